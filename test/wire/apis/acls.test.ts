/**
 * DescribeAcls (29), CreateAcls (30), DeleteAcls (31) on the wire: v0-1 through kafkajs
 * 2.2.4's own request and response modules, v2-3 (flexible) through our codec both ways.
 */
import { describe, expect, it } from 'vitest'
import { ErrorCode } from '../../../src/cluster/error-codes.js'
import { newCluster, versions, viaCodec, viaKafkajs } from './oracle.js'

// The oracle's connections carry no principal: User:ANONYMOUS, made a super user here.
const AUTHORIZER = { 'authorizer.class.name': 'org.apache.kafka.metadata.authorizer.StandardAuthorizer', 'super.users': 'User:ANONYMOUS' }
const readOrders = { resourceType: 2, resourceName: 'orders', resourcePatternType: 3, principal: 'User:alice', host: '*', operation: 3, permissionType: 3 }
const writePrefix = { resourceType: 2, resourceName: 'pay', resourcePatternType: 4, principal: 'User:bob', host: '*', operation: 4, permissionType: 3 }
const anyFilter = { resourceType: 1, resourcePatternType: 1, operation: 1, permissionType: 1 }

describe('ACL APIs through kafkajs 2.2.4 (v0, v1)', () => {
  it('v1: create, describe grouped by resource, delete returns what it removed', async () => {
    const cluster = newCluster({ brokerConfig: AUTHORIZER })
    const created = await viaKafkajs(30, 'createAcls', 1, { creations: [readOrders, writePrefix] }, cluster)
    expect(created.error).toBeUndefined()
    expect(cluster.security.authorizer.size).toBe(2)
    const described = await viaKafkajs(29, 'describeAcls', 1, anyFilter, cluster)
    expect(described.parsed.resources).toEqual([
      { resourceType: 2, resourceName: 'orders', resourcePatternType: 3, acls: [{ principal: 'User:alice', host: '*', operation: 3, permissionType: 3 }] },
      { resourceType: 2, resourceName: 'pay', resourcePatternType: 4, acls: [{ principal: 'User:bob', host: '*', operation: 4, permissionType: 3 }] },
    ])
    const matching = await viaKafkajs(29, 'describeAcls', 1, { ...anyFilter, resourceName: 'payments', resourcePatternType: 2 }, cluster)
    expect(matching.parsed.resources.map((r: { resourceName: string }) => r.resourceName)).toEqual(['pay'])
    const deleted = await viaKafkajs(31, 'deleteAcls', 1, { filters: [{ ...anyFilter, principal: 'User:bob' }] }, cluster)
    expect(deleted.parsed.filterResponses[0].matchingAcls).toEqual([expect.objectContaining({ resourceName: 'pay', resourcePatternType: 4, principal: 'User:bob', operation: 4, errorCode: 0 })])
    expect(cluster.security.authorizer.acls().map((a) => a.resourceName)).toEqual(['orders'])
  })

  it('v0: no pattern type on the wire, so every binding is LITERAL', async () => {
    const cluster = newCluster({ brokerConfig: AUTHORIZER })
    const { resourcePatternType: _p, ...v0 } = readOrders
    await viaKafkajs(30, 'createAcls', 0, { creations: [v0] }, cluster)
    expect(cluster.security.authorizer.acls()[0]!.patternType).toBe(3)
    const described = await viaKafkajs(29, 'describeAcls', 0, { resourceType: 2, operation: 1, permissionType: 1 }, cluster)
    expect(described.parsed.resources).toEqual([{ resourceType: 2, resourceName: 'orders', acls: [{ principal: 'User:alice', host: '*', operation: 3, permissionType: 3 }] }])
  })

  it('without an authorizer kafkajs throws SECURITY_DISABLED; without ALTER on the cluster, CLUSTER_AUTHORIZATION_FAILED', async () => {
    const open = await viaKafkajs(30, 'createAcls', 1, { creations: [readOrders] }, newCluster())
    expect(open.error?.type).toBe('SECURITY_DISABLED')
    const locked = newCluster({ brokerConfig: { 'authorizer.class.name': AUTHORIZER['authorizer.class.name'] } })
    const refused = await viaKafkajs(30, 'createAcls', 1, { creations: [readOrders] }, locked)
    expect(refused.error?.type).toBe('CLUSTER_AUTHORIZATION_FAILED')
    const describeRefused = await viaKafkajs(29, 'describeAcls', 1, anyFilter, locked)
    expect(describeRefused.error?.type).toBe('CLUSTER_AUTHORIZATION_FAILED')
    expect(locked.security.authorizer.size).toBe(0)
  })
})

describe('ACL APIs, flexible versions through our codec', () => {
  for (const version of versions(30, 2)) {
    it(`v${version}: create, describe and delete; a malformed binding is INVALID_REQUEST`, async () => {
      const cluster = newCluster({ brokerConfig: AUTHORIZER })
      const created = await viaCodec(30, version, { creations: [readOrders, { ...readOrders, principal: 'no-colon' }] }, cluster)
      expect((created.results as { errorCode: number }[]).map((r) => r.errorCode)).toEqual([0, ErrorCode.INVALID_REQUEST])
      const described = await viaCodec(29, version, { resourceTypeFilter: 1, resourceNameFilter: null, patternTypeFilter: 1, principalFilter: null, hostFilter: null, operation: 1, permissionType: 1 }, cluster)
      expect(described.resources).toEqual([{ resourceType: 2, resourceName: 'orders', patternType: 3, acls: [{ principal: 'User:alice', host: '*', operation: 3, permissionType: 3 }] }])
      const deleted = await viaCodec(31, version, { filters: [{ resourceTypeFilter: 2, resourceNameFilter: 'orders', patternTypeFilter: 3, principalFilter: null, hostFilter: null, operation: 1, permissionType: 1 }] }, cluster)
      expect((deleted.filterResults as { matchingAcls: unknown[] }[])[0]!.matchingAcls).toHaveLength(1)
      expect(cluster.security.authorizer.size).toBe(0)
    })
  }
})
