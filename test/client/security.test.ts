/**
 * Security through the kafkajs facade, as a service sees it: SASL credentials are checked
 * against the cluster's listener, and ACLs decide who may do what, with the errors kafkajs
 * gives against a real broker.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { Cluster } from '../../src/client/cluster.js'
import { ManualClock } from '../../src/cluster/clock.js'
import { KafkaJSConnectionError, KafkaJSProtocolError, KafkaJSSASLAuthenticationError } from '../../src/client/errors.js'
import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes } from '../../src/client/admin/enums.js'

const SECURED = {
  listeners: 'SASL_PLAINTEXT://:9092',
  'sasl.enabled.mechanisms': 'PLAIN,SCRAM-SHA-256,SCRAM-SHA-512',
  'authorizer.class.name': 'org.apache.kafka.metadata.authorizer.StandardAuthorizer',
  'super.users': 'User:admin',
}

let cluster: Cluster | undefined
afterEach(async () => {
  await cluster?.close()
  cluster = undefined
})

function securedCluster(brokerConfig: Record<string, string> = SECURED): Cluster {
  cluster = new Cluster({ brokers: 1, clock: new ManualClock(0), seed: 3, brokerConfig: brokerConfig as never })
  cluster.createUser('admin', 'admin-secret')
  cluster.createUser('alice', 'alice-secret')
  return cluster
}

const retry = { retries: 0 }

describe('SASL in-process', () => {
  it('a wrong password is a KafkaJSSASLAuthenticationError with the broker\'s message, and on the timeline', async () => {
    const c = securedCluster()
    const producer = c.kafka({ clientId: 'svc', retry, sasl: { mechanism: 'plain', username: 'alice', password: 'wrong' } }).producer()
    const error = await producer.connect().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(KafkaJSSASLAuthenticationError)
    expect((error as Error).message).toBe('SASL PLAIN authentication failed: Authentication failed: Invalid username or password')
    expect(c.timeline({ types: ['authenticationFailed'] })).toEqual([expect.objectContaining({ mechanism: 'PLAIN', host: '127.0.0.1' })])
  })

  it('SCRAM checks the salted password; the right one connects', async () => {
    const c = securedCluster()
    const bad = c.kafka({ clientId: 'svc', retry, sasl: { mechanism: 'scram-sha-512', username: 'alice', password: 'nope' } }).producer()
    await expect(bad.connect()).rejects.toThrow('SASL SCRAM SHA512 authentication failed: Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512')
    const good = c.kafka({ clientId: 'svc', retry, sasl: { mechanism: 'scram-sha-256', username: 'alice', password: 'alice-secret' } }).admin()
    await good.connect()
    await good.disconnect()
  })

  it('a mechanism the broker has not enabled is UNSUPPORTED_SASL_MECHANISM', async () => {
    const c = securedCluster({ ...SECURED, 'sasl.enabled.mechanisms': 'SCRAM-SHA-512' })
    const error = await c.kafka({ clientId: 'svc', retry, sasl: { mechanism: 'plain', username: 'alice', password: 'alice-secret' } }).producer().connect().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(KafkaJSProtocolError)
    expect((error as KafkaJSProtocolError).type).toBe('UNSUPPORTED_SASL_MECHANISM')
  })

  it('SASL against a PLAINTEXT listener is ILLEGAL_SASL_STATE; no SASL against a SASL listener is a closed connection', async () => {
    const plain = securedCluster({ 'authorizer.class.name': '' })
    const error = await plain.kafka({ clientId: 'svc', retry, sasl: { mechanism: 'plain', username: 'alice', password: 'alice-secret' } }).producer().connect().catch((e: unknown) => e)
    expect((error as KafkaJSProtocolError).type).toBe('ILLEGAL_SASL_STATE')
    await plain.close()
    const c = securedCluster()
    await expect(c.kafka({ clientId: 'svc', retry }).producer().connect()).rejects.toBeInstanceOf(KafkaJSConnectionError)
  })

  it('ssl must match the listener: an SSL client on a SASL_PLAINTEXT listener cannot connect', async () => {
    const c = securedCluster()
    const error = await c.kafka({ clientId: 'svc', retry, ssl: true, sasl: { mechanism: 'plain', username: 'alice', password: 'alice-secret' } }).producer().connect().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(KafkaJSConnectionError)
  })
})

describe('ACLs in-process', () => {
  it('this consumer may read orders but not payments', async () => {
    const c = securedCluster()
    const adminClient = c.kafka({ clientId: 'ops', sasl: { mechanism: 'plain', username: 'admin', password: 'admin-secret' } }).admin()
    await adminClient.connect()
    await adminClient.createTopics({ topics: [{ topic: 'orders' }, { topic: 'payments' }] })
    const acl = (resourceType: number, resourceName: string, operation: number) => ({
      resourceType, resourceName, resourcePatternType: ResourcePatternTypes.LITERAL, principal: 'User:alice', host: '*', operation, permissionType: AclPermissionTypes.ALLOW,
    }) as never
    await adminClient.createAcls({
      acl: [acl(AclResourceTypes.TOPIC, 'orders', AclOperationTypes.READ), acl(AclResourceTypes.TOPIC, 'orders', AclOperationTypes.WRITE), acl(AclResourceTypes.GROUP, 'billing', AclOperationTypes.READ)],
    })
    const described = await adminClient.describeAcls({ resourceType: AclResourceTypes.ANY, resourcePatternType: ResourcePatternTypes.ANY, operation: AclOperationTypes.ANY, permissionType: AclPermissionTypes.ANY } as never)
    expect(described.resources.map((r) => [r.resourceType, r.resourceName, r.acls.length])).toEqual([
      [AclResourceTypes.TOPIC, 'orders', 2],
      [AclResourceTypes.GROUP, 'billing', 1],
    ])

    const kafka = c.kafka({ clientId: 'billing', retry, sasl: { mechanism: 'scram-sha-256', username: 'alice', password: 'alice-secret' } })
    const producer = kafka.producer({ allowAutoTopicCreation: false, idempotent: false } as never)
    await producer.connect()
    await producer.send({ topic: 'orders', messages: [{ value: 'o-1' }] })
    const refused = await producer.send({ topic: 'payments', messages: [{ value: 'p-1' }] }).catch((e: unknown) => e)
    // kafkajs's retrier wraps the non-retriable protocol error, as against a real broker.
    expect((refused as Error).name).toBe('KafkaJSNonRetriableError')
    expect(((refused as Error).cause as KafkaJSProtocolError).type).toBe('TOPIC_AUTHORIZATION_FAILED')
    expect(c.describe().topics.find((t) => t.name === 'payments')!.partitions[0]!.logEndOffset).toBe(0)

    const aliceAdmin = kafka.admin()
    await aliceAdmin.connect()
    const groupRefused = await aliceAdmin.fetchOffsets({ groupId: 'not-mine', topics: ['orders'] }).catch((e: unknown) => e)
    expect((groupRefused as KafkaJSProtocolError).type ?? ((groupRefused as Error).cause as KafkaJSProtocolError).type).toBe('GROUP_AUTHORIZATION_FAILED')
    await aliceAdmin.disconnect()

    const consumer = kafka.consumer({ groupId: 'billing' })
    await consumer.connect()
    await consumer.subscribe({ topics: ['orders'], fromBeginning: true })
    const seen: string[] = []
    await consumer.run({ eachMessage: async ({ message }) => void seen.push(String(message.value)) })
    await c.settle()
    expect(seen).toEqual(['o-1'])
    await consumer.disconnect()
    await producer.disconnect()

    const denials = c.timeline({ types: ['authorizationDenied'] })
    expect(denials).toContainEqual(expect.objectContaining({ principal: 'User:alice', operation: 'DESCRIBE', resourceName: 'payments', api: 'Metadata' }))
    expect(denials).toContainEqual(expect.objectContaining({ principal: 'User:alice', resourceType: 'GROUP', resourceName: 'not-mine' }))
    await adminClient.disconnect()
  })
})

describe('describe() and format() show security', () => {
  it('listeners, users (never their passwords) and ACLs; nothing when security is not in use', async () => {
    const c = securedCluster()
    c.security.authorizer.add({ resourceType: 2, resourceName: 'orders', patternType: 3, principal: 'User:alice', host: '*', operation: 3, permissionType: 3 })
    const security = c.describe().security!
    expect(security.listeners).toEqual([{ name: 'SASL_PLAINTEXT', securityProtocol: 'SASL_PLAINTEXT', port: 9092 }])
    expect(security.users.map((u) => u.name)).toEqual(['admin', 'alice'])
    expect(security.acls).toEqual(['User:alice ALLOW READ from host * on TOPIC orders (LITERAL)'])
    const text = c.format()
    expect(text).toContain('authorizer on; super users User:admin')
    expect(text).toContain('User:alice ALLOW READ from host * on TOPIC orders (LITERAL)')
    expect(text).not.toContain('alice-secret')
    await c.close()
    cluster = new Cluster({ brokers: 1, clock: new ManualClock(0) })
    expect(cluster.describe().security).toBeUndefined()
  })
})
