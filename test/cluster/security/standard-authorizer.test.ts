import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { StandardAuthorizer, type Session } from '../../../src/cluster/security/standard-authorizer.js'
import { AclOperation as Op, AclPatternType, AclPermissionType, AclResourceType, type AclBinding } from '../../../src/cluster/security/acl.js'

const ALLOW = AclPermissionType.ALLOW
const DENY = AclPermissionType.DENY
const alice: Session = { principal: 'User:alice', host: '10.0.0.1' }

function authorizer(acls: AclBinding[], settings: { superUsers?: string[]; allowEveryoneIfNoAclFound?: boolean } = {}): StandardAuthorizer {
  const a = new StandardAuthorizer(() => ({ superUsers: settings.superUsers ?? [], allowEveryoneIfNoAclFound: settings.allowEveryoneIfNoAclFound ?? false }))
  for (const acl of acls) a.add(acl)
  return a
}
function acl(partial: Partial<AclBinding>): AclBinding {
  return { resourceType: AclResourceType.TOPIC, resourceName: 'orders', patternType: AclPatternType.LITERAL, principal: 'User:alice', host: '*', operation: Op.READ, permissionType: ALLOW, ...partial }
}

describe('StandardAuthorizer', () => {
  it('allows what an ALLOW ACL names, and the operations it implies (READ implies DESCRIBE)', () => {
    const a = authorizer([acl({})])
    expect(a.authorize(alice, Op.READ, AclResourceType.TOPIC, 'orders')).toBe(true)
    expect(a.authorize(alice, Op.DESCRIBE, AclResourceType.TOPIC, 'orders')).toBe(true)
    expect(a.authorize(alice, Op.WRITE, AclResourceType.TOPIC, 'orders')).toBe(false)
    expect(a.authorize(alice, Op.READ, AclResourceType.TOPIC, 'payments')).toBe(false)
    expect(a.authorize({ principal: 'User:bob', host: '10.0.0.1' }, Op.READ, AclResourceType.TOPIC, 'orders')).toBe(false)
  })

  it('DENY wins over ALLOW, but a DENY READ does not deny DESCRIBE (implied operations are for ALLOW only)', () => {
    const a = authorizer([acl({ operation: Op.ALL }), acl({ operation: Op.READ, permissionType: DENY })])
    expect(a.authorize(alice, Op.READ, AclResourceType.TOPIC, 'orders')).toBe(false)
    expect(a.authorize(alice, Op.DESCRIBE, AclResourceType.TOPIC, 'orders')).toBe(true)
    expect(a.authorize(alice, Op.WRITE, AclResourceType.TOPIC, 'orders')).toBe(true)
  })

  it('matches PREFIXED patterns, the wildcard resource, the wildcard principal and hosts', () => {
    const a = authorizer([
      acl({ resourceName: 'ord', patternType: AclPatternType.PREFIXED }),
      acl({ resourceName: '*', principal: 'User:*', operation: Op.WRITE }),
      acl({ resourceName: 'orders', operation: Op.DELETE, host: '10.0.0.2' }),
    ])
    expect(a.authorize(alice, Op.READ, AclResourceType.TOPIC, 'orders-eu')).toBe(true)
    expect(a.authorize(alice, Op.READ, AclResourceType.TOPIC, 'or')).toBe(false)
    expect(a.authorize({ principal: 'User:bob', host: '1.2.3.4' }, Op.WRITE, AclResourceType.TOPIC, 'anything')).toBe(true)
    expect(a.authorize(alice, Op.DELETE, AclResourceType.TOPIC, 'orders')).toBe(false)
    expect(a.authorize({ principal: 'User:alice', host: '10.0.0.2' }, Op.DELETE, AclResourceType.TOPIC, 'orders')).toBe(true)
  })

  it('super users may do anything; allow.everyone.if.no.acl.found opens only resources without any ACL', () => {
    const a = authorizer([acl({})], { superUsers: ['User:admin'], allowEveryoneIfNoAclFound: true })
    expect(a.authorize({ principal: 'User:admin', host: 'x' }, Op.ALTER, AclResourceType.CLUSTER, 'kafka-cluster')).toBe(true)
    expect(a.authorize({ principal: 'User:bob', host: 'x' }, Op.WRITE, AclResourceType.TOPIC, 'payments')).toBe(true)
    expect(a.authorize({ principal: 'User:bob', host: 'x' }, Op.READ, AclResourceType.TOPIC, 'orders')).toBe(false)
  })

  it('forgets a decision when the ACLs change', () => {
    const a = authorizer([])
    expect(a.authorize(alice, Op.READ, AclResourceType.TOPIC, 'orders')).toBe(false)
    a.add(acl({}))
    expect(a.authorize(alice, Op.READ, AclResourceType.TOPIC, 'orders')).toBe(true)
    a.remove({ resourceType: AclResourceType.ANY, resourceName: null, patternType: AclPatternType.ANY, principal: null, host: null, operation: Op.ANY, permissionType: AclPermissionType.ANY })
    expect(a.authorize(alice, Op.READ, AclResourceType.TOPIC, 'orders')).toBe(false)
  })

  /**
   * The reference: Kafka's rules written as plainly as possible, over the whole ACL list.
   */
  function reference(acls: AclBinding[], superUsers: string[], allowEveryone: boolean, s: Session, op: number, type: number, name: string): boolean {
    if (superUsers.includes(s.principal)) return true
    const onResource = acls.filter(
      (a) =>
        a.resourceType === type &&
        ((a.patternType === AclPatternType.LITERAL && (a.resourceName === name || a.resourceName === '*')) ||
          (a.patternType === AclPatternType.PREFIXED && name.startsWith(a.resourceName))),
    )
    if (onResource.length === 0) return allowEveryone
    const mine = onResource.filter((a) => (a.principal === s.principal || a.principal === 'User:*') && (a.host === s.host || a.host === '*'))
    const implied: Record<number, number[]> = { [Op.DESCRIBE]: [Op.READ, Op.WRITE, Op.DELETE, Op.ALTER], [Op.DESCRIBE_CONFIGS]: [Op.ALTER_CONFIGS] }
    const denied = mine.some((a) => a.permissionType === DENY && (a.operation === Op.ALL || a.operation === op))
    if (denied) return false
    return mine.some((a) => a.permissionType === ALLOW && (a.operation === Op.ALL || a.operation === op || (implied[op] ?? []).includes(a.operation)))
  }

  it('decides like the plain reference on random ACL sets', () => {
    const names = ['orders', 'orders-eu', 'ord', 'o', 'payments', '*']
    const principals = ['User:alice', 'User:bob', 'User:*']
    const hosts = ['*', '10.0.0.1', '10.0.0.2']
    const ops = [Op.ALL, Op.READ, Op.WRITE, Op.CREATE, Op.DELETE, Op.ALTER, Op.DESCRIBE, Op.DESCRIBE_CONFIGS, Op.ALTER_CONFIGS, Op.IDEMPOTENT_WRITE]
    const types = [AclResourceType.TOPIC, AclResourceType.GROUP]
    const bindingArb = fc.record({
      resourceType: fc.constantFrom(...types),
      resourceName: fc.constantFrom(...names),
      patternType: fc.constantFrom(AclPatternType.LITERAL, AclPatternType.PREFIXED),
      principal: fc.constantFrom(...principals),
      host: fc.constantFrom(...hosts),
      operation: fc.constantFrom(...ops),
      permissionType: fc.constantFrom(ALLOW, DENY),
    })
    const queryArb = fc.record({
      principal: fc.constantFrom('User:alice', 'User:bob', 'User:carol'),
      host: fc.constantFrom('10.0.0.1', '10.0.0.2'),
      op: fc.constantFrom(...ops.filter((o) => o !== Op.ALL)),
      type: fc.constantFrom(...types),
      name: fc.constantFrom('orders', 'orders-eu', 'ord', 'payments', 'x'),
    })
    fc.assert(
      fc.property(fc.array(bindingArb, { maxLength: 12 }), fc.array(queryArb, { minLength: 1, maxLength: 20 }), fc.boolean(), fc.boolean(), (acls, queries, allowEveryone, bobIsSuper) => {
        const superUsers = bobIsSuper ? ['User:bob'] : []
        const a = authorizer(acls, { superUsers, allowEveryoneIfNoAclFound: allowEveryone })
        for (const q of queries) {
          const session = { principal: q.principal, host: q.host }
          expect(a.authorize(session, q.op, q.type, q.name)).toBe(reference(acls, superUsers, allowEveryone, session, q.op, q.type, q.name))
        }
      }),
      { numRuns: 300 },
    )
  })
})
