import { describe, expect, it } from 'vitest'
import { newCluster } from '../../support/cluster-harness.js'
import { ErrorCode } from '../../../src/cluster/error-codes.js'
import { AclOperation as Op, AclPatternType, AclPermissionType, AclResourceType, type AclBinding } from '../../../src/cluster/security/acl.js'
import type { ClusterModel } from '../../../src/cluster/cluster-model.js'

const AUTHORIZER = { 'authorizer.class.name': 'org.apache.kafka.metadata.authorizer.StandardAuthorizer', 'super.users': 'User:admin' }
const admin = { clientId: 'admin', principal: 'User:admin' }
const alice = { clientId: 'app', principal: 'User:alice', clientHost: '10.0.0.1' }

function allow(resourceType: number, resourceName: string, operation: number, principal = 'User:alice', patternType: number = AclPatternType.LITERAL): AclBinding {
  return { resourceType, resourceName, patternType, principal, host: '*', operation, permissionType: AclPermissionType.ALLOW }
}

async function secured(acls: AclBinding[]): Promise<ClusterModel> {
  const cluster = newCluster({ brokers: 1, brokerConfig: AUTHORIZER })
  await cluster.send(0, { api: 'CreateTopics', topics: ['orders', 'payments'].map((name) => ({ name, numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] })), timeoutMs: 1000, validateOnly: false }, admin)
  if (acls.length > 0) {
    const created = await cluster.send(0, { api: 'CreateAcls', creations: acls }, admin)
    expect(created.results.every((r) => r.errorCode === 0)).toBe(true)
  }
  return cluster
}

const record = { key: null, value: Buffer.from('x'), headers: [], timestamp: 0 }

describe('authorization at the request boundary', () => {
  it('without an authorizer every request is allowed and the ACL APIs answer SECURITY_DISABLED', async () => {
    const cluster = newCluster({ brokers: 1 })
    const r = await cluster.send(0, { api: 'CreateAcls', creations: [allow(AclResourceType.TOPIC, 'orders', Op.READ)] }, alice)
    expect(r.results[0]!.errorCode).toBe(ErrorCode.SECURITY_DISABLED)
    expect(cluster.security.authorizer.size).toBe(0)
  })

  it('produce needs WRITE: the refused topic answers TOPIC_AUTHORIZATION_FAILED, the allowed one is written', async () => {
    const cluster = await secured([allow(AclResourceType.TOPIC, 'orders', Op.WRITE)])
    const response = await cluster.send(
      0,
      { api: 'Produce', acks: 1, timeoutMs: 1000, topics: ['orders', 'payments'].map((name) => ({ name, partitions: [{ index: 0, records: [record] }] })) } as never,
      alice,
    )
    const byName = Object.fromEntries((response as { topics: { name: string; partitions: { errorCode: number }[] }[] }).topics.map((t) => [t.name, t.partitions[0]!.errorCode]))
    expect(byName).toEqual({ orders: 0, payments: ErrorCode.TOPIC_AUTHORIZATION_FAILED })
    const topics = cluster.describe().topics
    expect(topics.find((t) => t.name === 'payments')!.partitions[0]!.logEndOffset).toBe(0)
    expect(cluster.timeline({ types: ['authorizationDenied'] })).toEqual([
      expect.objectContaining({ principal: 'User:alice', host: '10.0.0.1', operation: 'WRITE', resourceType: 'TOPIC', resourceName: 'payments', api: 'Produce' }),
    ])
  })

  it('Metadata for all topics hides what the principal may not describe; named topics answer TOPIC_AUTHORIZATION_FAILED', async () => {
    const cluster = await secured([allow(AclResourceType.TOPIC, 'ord', Op.READ, 'User:alice', AclPatternType.PREFIXED)])
    const all = await cluster.send(0, { api: 'Metadata', topics: null, allowAutoTopicCreation: false }, alice)
    expect(all.topics.map((t) => t.name)).toEqual(['orders'])
    const named = await cluster.send(0, { api: 'Metadata', topics: ['orders', 'payments', 'secret'], allowAutoTopicCreation: true }, alice)
    expect(named.topics.map((t) => [t.name, t.errorCode])).toEqual([
      ['orders', 0],
      ['payments', ErrorCode.TOPIC_AUTHORIZATION_FAILED],
      ['secret', ErrorCode.TOPIC_AUTHORIZATION_FAILED],
    ])
    expect(cluster.controller.topic('secret')).toBeUndefined()
  })

  it('auto-creation through Metadata needs CREATE', async () => {
    const cluster = await secured([allow(AclResourceType.TOPIC, 'new', Op.DESCRIBE), allow(AclResourceType.TOPIC, 'made', Op.ALL)])
    const refused = await cluster.send(0, { api: 'Metadata', topics: ['new'], allowAutoTopicCreation: true }, alice)
    expect(refused.topics[0]!.errorCode).toBe(ErrorCode.TOPIC_AUTHORIZATION_FAILED)
    expect(cluster.controller.topic('new')).toBeUndefined()
    await cluster.send(0, { api: 'Metadata', topics: ['made'], allowAutoTopicCreation: true }, alice)
    expect(cluster.controller.topic('made')).toBeDefined()
  })

  it('group, transactional id and cluster refusals use their own errors', async () => {
    const cluster = await secured([])
    const coordinator = await cluster.send(0, { api: 'FindCoordinator', key: 'g', keyType: 0 }, alice)
    expect(coordinator.errorCode).toBe(ErrorCode.GROUP_AUTHORIZATION_FAILED)
    const txn = await cluster.send(0, { api: 'InitProducerId', transactionalId: 't', transactionTimeoutMs: 60000 }, alice)
    expect(txn.errorCode).toBe(ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED)
    const idempotent = await cluster.send(0, { api: 'InitProducerId', transactionalId: null, transactionTimeoutMs: 60000 }, alice)
    expect(idempotent.errorCode).toBe(ErrorCode.CLUSTER_AUTHORIZATION_FAILED)
    const acls = await cluster.send(0, { api: 'CreateAcls', creations: [allow(AclResourceType.TOPIC, 'orders', Op.READ)] }, alice)
    expect(acls.results[0]!.errorCode).toBe(ErrorCode.CLUSTER_AUTHORIZATION_FAILED)
    expect(cluster.security.authorizer.size).toBe(0)
  })

  it('WRITE on some topic is enough for an idempotent producer id (KIP-679)', async () => {
    const cluster = await secured([allow(AclResourceType.TOPIC, 'orders', Op.WRITE)])
    const idempotent = await cluster.send(0, { api: 'InitProducerId', transactionalId: null, transactionTimeoutMs: 60000 }, alice)
    expect(idempotent.errorCode).toBe(0)
  })

  it('a Fetch with no readable partition answers at once instead of long-polling', async () => {
    const cluster = await secured([])
    const response = await cluster.send(
      0,
      { api: 'Fetch', maxWaitMs: 60_000, minBytes: 1, maxBytes: 1 << 20, isolationLevel: 0, topics: [{ name: 'orders', partitions: [{ partition: 0, fetchOffset: 0, partitionMaxBytes: 1 << 20 }] }] } as never,
      alice,
    )
    expect((response as { topics: { partitions: { errorCode: number }[] }[] }).topics[0]!.partitions[0]!.errorCode).toBe(ErrorCode.TOPIC_AUTHORIZATION_FAILED)
  })

  it('CreateAcls refuses malformed bindings with INVALID_REQUEST and stores nothing of them', async () => {
    const cluster = await secured([])
    const r = await cluster.send(
      0,
      {
        api: 'CreateAcls',
        creations: [
          { ...allow(AclResourceType.TOPIC, 'orders', Op.READ), principal: 'alice' },
          { ...allow(AclResourceType.CLUSTER, 'other', Op.ALTER) },
          { ...allow(AclResourceType.TOPIC, 'orders', Op.ANY) },
          allow(AclResourceType.TOPIC, 'orders', Op.READ),
        ],
      },
      admin,
    )
    expect(r.results.map((x) => x.errorCode)).toEqual([ErrorCode.INVALID_REQUEST, ErrorCode.INVALID_REQUEST, ErrorCode.INVALID_REQUEST, 0])
    expect(cluster.security.authorizer.size).toBe(1)
  })
})
