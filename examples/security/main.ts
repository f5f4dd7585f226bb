/**
 * Concept 13: security.
 *
 * A broker with a SASL listener authenticates every connection (here PLAIN and SCRAM) and,
 * with an authorizer, checks every request against ACLs: who (the principal the SASL exchange
 * proved), from where (host), may do what (operation) on which resource (topic, group, cluster,
 * transactional id). DENY wins over ALLOW, READ implies DESCRIBE, a PREFIXED ACL covers every
 * name it starts, and a resource without any ACL is closed (allow.everyone.if.no.acl.found is
 * false) to all but super users.
 *
 *   npm run example -- security
 */
import type { Cluster } from '../../src/index.js'
import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes } from '../../src/index.js'
import { defineExample } from '../kit/example.js'
import { runIfMain } from '../kit/cli.js'

export interface SecurityResult {
  readonly refusals: string[]
}

/** What a refusal looks like to the client: the kafkajs error's name, its Kafka error type and message. */
function refusal(error: unknown): string {
  const e = error as { name?: string; type?: string; message?: string; cause?: { type?: string } }
  const type = e.type ?? e.cause?.type
  return `${e.name}${type ? ` (${type})` : ''}: ${e.message}`
}

const example = defineExample<SecurityResult>({
  name: 'security',
  title: 'Security: who may do what, and what each refusal looks like',
  async run(ctx) {
    const cluster: Cluster = ctx.cluster({
      brokers: 1,
      seed: 13,
      brokerConfig: {
        listeners: 'SASL_PLAINTEXT://:9092',
        'sasl.enabled.mechanisms': 'PLAIN,SCRAM-SHA-256',
        'authorizer.class.name': 'org.apache.kafka.metadata.authorizer.StandardAuthorizer',
        'super.users': 'User:admin',
      } as never,
    })
    cluster.createUser('admin', 'admin-secret')
    cluster.createUser('billing', 'billing-secret')
    const refusals: string[] = []

    ctx.part('authentication', 'Authentication: the SASL listener checks every connection')
    const wrong = ctx.kafka(cluster, 'billing', { sasl: { mechanism: 'scram-sha-256', username: 'billing', password: 'guess' }, retry: { retries: 0 } }).producer()
    await wrong.connect().catch((e: unknown) => refusals.push(refusal(e)))
    const anonymous = ctx.kafka(cluster, 'nobody', { retry: { retries: 0 } }).producer()
    await anonymous.connect().catch((e: unknown) => refusals.push(refusal(e)))
    ctx.log('wrong password:  ' + refusals[0])
    ctx.log('no credentials:  ' + refusals[1])

    ctx.part('acls', 'Authorization: the admin grants billing what it needs, and no more')
    const admin = ctx.kafka(cluster, 'ops', { sasl: { mechanism: 'plain', username: 'admin', password: 'admin-secret' } }).admin()
    await admin.connect()
    ctx.defer(() => admin.disconnect())
    await admin.createTopics({ topics: [{ topic: 'orders' }, { topic: 'payments' }] })
    const allow = (resourceType: number, resourceName: string, operation: number, resourcePatternType: number = ResourcePatternTypes.LITERAL) =>
      ({ resourceType, resourceName, resourcePatternType, principal: 'User:billing', host: '*', operation, permissionType: AclPermissionTypes.ALLOW }) as never
    await admin.createAcls({
      acl: [
        allow(AclResourceTypes.TOPIC, 'orders', AclOperationTypes.READ),
        allow(AclResourceTypes.TOPIC, 'invoices-', AclOperationTypes.ALL, ResourcePatternTypes.PREFIXED),
        allow(AclResourceTypes.GROUP, 'billing', AclOperationTypes.READ),
      ],
    })
    ctx.log(cluster.format().split('\n').filter((l) => l.startsWith('Security') || l.startsWith('ACLs') || l.startsWith('  User:')).join('\n'))

    ctx.part('refusals', 'What billing may do, and what each refusal looks like')
    const billing = ctx.kafka(cluster, 'billing', { sasl: { mechanism: 'scram-sha-256', username: 'billing', password: 'billing-secret' }, retry: { retries: 0 } })
    const producer = billing.producer({ allowAutoTopicCreation: true })
    await producer.connect()
    ctx.defer(() => producer.disconnect())
    await producer.send({ topic: 'invoices-2024', messages: [{ value: 'created by its prefix ACL' }] })
    ctx.log('produce to invoices-2024 (PREFIXED invoices- ALL: CREATE and WRITE): ok, topic auto-created')
    const tryIt = async (what: string, action: () => Promise<unknown>): Promise<void> => {
      const outcome = await action().then(
        () => 'ok',
        (e: unknown) => refusal(e),
      )
      if (outcome !== 'ok') refusals.push(outcome)
      ctx.log(`${what}:\n  ${outcome}`)
    }
    await tryIt('produce to orders (READ only)', () => producer.send({ topic: 'orders', messages: [{ value: 'x' }] }))
    await tryIt('produce to payments (no ACL)', () => producer.send({ topic: 'payments', messages: [{ value: 'x' }] }))
    const billingAdmin = billing.admin()
    await billingAdmin.connect()
    ctx.defer(() => billingAdmin.disconnect())
    await tryIt("read another group's offsets", () => billingAdmin.fetchOffsets({ groupId: 'fraud', topics: ['orders'] }))
    await tryIt('create an ACL', () => billingAdmin.createAcls({ acl: [allow(AclResourceTypes.TOPIC, 'payments', AclOperationTypes.READ)] }))
    const listed = await billingAdmin.listTopics()
    ctx.log(`topics billing can see: ${listed.sort().join(', ')} (payments is hidden, not refused)`)

    ctx.part('timeline', 'The broker records every failed authentication and every denial')
    const story = cluster.story().split('\n').filter((l) => l.includes('denied') || l.includes('failed authentication'))
    ctx.log(story.map((l) => l.replace(/^t=\d+\s+/, '')).join('\n'))
    return { refusals }
  },
})

export default example
runIfMain(import.meta.url, example)
