/**
 * The real kafkajs 2.2.4 client against memkafka's wire server: its admin client for topics,
 * partitions, configs, records and groups, and a transactional producer that commits and
 * aborts with consumer offsets (sendOffsets), each checked against the cluster's own state.
 */
import { afterAll, beforeAll, describe, it, expect } from 'vitest'
import { Kafka, logLevel, type Admin } from 'kafkajs'
import { ClusterModel } from '../../../src/cluster/cluster-model.js'
import { listen, type WireServer } from '../../../src/wire/server.js'

let cluster: ClusterModel
let server: WireServer
let kafka: Kafka
let admin: Admin

beforeAll(async () => {
  cluster = new ClusterModel({ brokers: 3, seed: 7 })
  server = await listen(cluster, { log: { warn: () => {}, error: () => {}, info: () => {}, debug: () => {} } as never })
  kafka = new Kafka({ clientId: 'e2e', brokers: server.bootstrapBrokers, logLevel: logLevel.NOTHING, retry: { retries: 2, initialRetryTime: 50 } })
  admin = kafka.admin()
  await admin.connect()
})

afterAll(async () => {
  await admin?.disconnect()
  await server?.close()
  cluster?.close()
})

describe('kafkajs admin over the wire', () => {
  it('createTopics, and TOPIC_ALREADY_EXISTS for a second time', async () => {
    expect(await admin.createTopics({ topics: [{ topic: 'e2e-orders', numPartitions: 2, replicationFactor: 3, configEntries: [{ name: 'retention.ms', value: '3600000' }] }] })).toBe(true)
    expect(cluster.controller.topic('e2e-orders')!.partitions).toHaveLength(2)
    expect(cluster.controller.topic('e2e-orders')!.replicationFactor).toBe(3)
    // kafkajs answers false when every topic already exists.
    expect(await admin.createTopics({ topics: [{ topic: 'e2e-orders' }] })).toBe(false)
    await expect(admin.createTopics({ topics: [{ topic: 'e2e-bad', numPartitions: 1, replicationFactor: 9 }] })).rejects.toMatchObject({
      name: 'KafkaJSAggregateError',
      errors: [expect.objectContaining({ topic: 'e2e-bad', type: 'INVALID_REPLICATION_FACTOR' })],
    })
  })

  it('createPartitions, and INVALID_PARTITIONS for a lower count', async () => {
    await admin.createTopics({ topics: [{ topic: 'e2e-grow', numPartitions: 1, replicationFactor: 1 }] })
    await admin.createPartitions({ topicPartitions: [{ topic: 'e2e-grow', count: 3 }] })
    expect(cluster.controller.topic('e2e-grow')!.partitions).toHaveLength(3)
    await expect(admin.createPartitions({ topicPartitions: [{ topic: 'e2e-grow', count: 2 }] })).rejects.toMatchObject({ type: 'INVALID_PARTITIONS' })
  })

  it('describeConfigs and alterConfigs', async () => {
    await admin.createTopics({ topics: [{ topic: 'e2e-configs', numPartitions: 1, replicationFactor: 1 }] })
    await admin.alterConfigs({ validateOnly: false, resources: [{ type: 2, name: 'e2e-configs', configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }] })
    const described = await admin.describeConfigs({ includeSynonyms: true, resources: [{ type: 2, name: 'e2e-configs', configNames: ['cleanup.policy', 'retention.ms'] }] })
    const entries = described.resources[0]!.configEntries
    expect(entries.find((e) => e.configName === 'cleanup.policy')).toMatchObject({ configValue: 'compact', isDefault: false, configSource: 1 })
    expect(entries.find((e) => e.configName === 'retention.ms')).toMatchObject({ configValue: '604800000', isDefault: true })
    await expect(admin.alterConfigs({ validateOnly: false, resources: [{ type: 2, name: 'e2e-configs', configEntries: [{ name: 'retention.ms', value: 'never' }] }] })).rejects.toMatchObject({ type: 'INVALID_CONFIG' })
  })

  it('deleteTopicRecords moves the low watermark', async () => {
    await admin.createTopics({ topics: [{ topic: 'e2e-records', numPartitions: 1, replicationFactor: 1 }] })
    const producer = kafka.producer()
    await producer.connect()
    await producer.send({ topic: 'e2e-records', messages: [{ value: 'a' }, { value: 'b' }, { value: 'c' }] })
    await producer.disconnect()
    // kafkajs looks the leader up in its cached metadata, which must know the topic (as against Kafka).
    await admin.fetchTopicMetadata({ topics: ['e2e-records'] })
    await admin.deleteTopicRecords({ topic: 'e2e-records', partitions: [{ partition: 0, offset: '2' }] })
    expect(cluster.controller.topic('e2e-records')!.partitions[0]!.logStartOffset).toBe(2)
    const offsets = await admin.fetchTopicOffsets('e2e-records')
    expect(offsets[0]).toMatchObject({ partition: 0, low: '2', high: '3' })
  })

  it('deleteGroups deletes an empty group and refuses an unknown one', async () => {
    await admin.createTopics({ topics: [{ topic: 'e2e-group-topic', numPartitions: 1, replicationFactor: 1 }] })
    await admin.setOffsets({ groupId: 'e2e-idle', topic: 'e2e-group-topic', partitions: [{ partition: 0, offset: '0' }] })
    expect(await admin.deleteGroups(['e2e-idle'])).toEqual([{ groupId: 'e2e-idle', errorCode: 0 }])
    await expect(admin.deleteGroups(['e2e-never'])).rejects.toThrow()
  })

  it('deleteTopics', async () => {
    await admin.createTopics({ topics: [{ topic: 'e2e-doomed', numPartitions: 1, replicationFactor: 1 }] })
    await admin.deleteTopics({ topics: ['e2e-doomed'] })
    expect(cluster.controller.topic('e2e-doomed')).toBeUndefined()
  })
})

describe('a kafkajs transactional producer over the wire', () => {
  it('commits records and consumer offsets together, and an abort leaves neither', async () => {
    await admin.createTopics({ topics: [{ topic: 'e2e-txn-out', numPartitions: 1, replicationFactor: 3 }, { topic: 'e2e-txn-in', numPartitions: 1, replicationFactor: 3 }] })
    const producer = kafka.producer({ transactionalId: 'e2e-tx', maxInFlightRequests: 1, idempotent: true })
    await producer.connect()

    const committed = await producer.transaction()
    await committed.send({ topic: 'e2e-txn-out', messages: [{ value: 'kept' }] })
    await committed.sendOffsets({ consumerGroupId: 'e2e-eos', topics: [{ topic: 'e2e-txn-in', partitions: [{ partition: 0, offset: '5' }] }] })
    await committed.commit()

    const aborted = await producer.transaction()
    await aborted.send({ topic: 'e2e-txn-out', messages: [{ value: 'dropped' }] })
    await aborted.sendOffsets({ consumerGroupId: 'e2e-eos', topics: [{ topic: 'e2e-txn-in', partitions: [{ partition: 0, offset: '9' }] }] })
    await aborted.abort()
    await producer.disconnect()

    const offsets = await admin.fetchOffsets({ groupId: 'e2e-eos', topics: ['e2e-txn-in'] })
    expect(offsets[0]!.partitions[0]!.offset).toBe('5')
    const txn = cluster.transactions.snapshot().find((t) => t.transactionalId === 'e2e-tx')!
    expect(txn.state).toBe('CompleteAbort')

    // A read_committed consumer sees only the committed record.
    const consumer = kafka.consumer({ groupId: 'e2e-reader', readUncommitted: false })
    await consumer.connect()
    await consumer.subscribe({ topic: 'e2e-txn-out', fromBeginning: true })
    const seen: string[] = []
    await new Promise<void>((resolve, reject) => {
      const timer = globalThis.setTimeout(() => reject(new Error(`timed out; saw ${JSON.stringify(seen)}`)), 15_000)
      void consumer.run({
        eachMessage: async ({ message }) => {
          seen.push(message.value!.toString())
          if (seen.includes('kept')) {
            globalThis.clearTimeout(timer)
            resolve()
          }
        },
      })
    })
    await consumer.disconnect()
    expect(seen).toEqual(['kept'])
  }, 30_000)
})
