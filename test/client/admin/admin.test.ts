import { createRequire } from 'node:module'
import type * as KafkaJS from 'kafkajs'
import { afterEach, describe, expect, it } from 'vitest'
import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  Cluster,
  ConfigResourceTypes,
  ConfigSource,
  KafkaJSNotImplemented,
  ManualClock,
  ResourcePatternTypes,
  ResourceTypes,
  logLevel,
  type ClusterOptions,
} from '../../../src/index.js'
import type { Admin } from '../../../src/client/admin/admin.js'

// kafkajs is the oracle for the enums' values.
const require = createRequire(import.meta.url)
const kafkajs = require('kafkajs') as typeof KafkaJS

// Compile-time: code typed against kafkajs's Admin accepts memkafka's.
void ((admin: Admin): KafkaJS.Admin => admin)

function setup(options: ClusterOptions = {}) {
  const cluster = new Cluster({ brokers: 3, seed: 1, ...options })
  const kafka = cluster.kafka({ clientId: 'test', logLevel: logLevel.NOTHING })
  const admin = kafka.admin({ retry: { retries: 0 } })
  return { cluster, kafka, admin }
}

async function produce(kafka: ReturnType<typeof setup>['kafka'], topic: string, messages: { value: string; partition: number; timestamp?: string }[]) {
  const producer = kafka.producer()
  await producer.connect()
  await producer.send({ topic, messages })
  await producer.disconnect()
}

/** A consumer of `groupId` running on `topic`, joined and caught up. */
async function runningConsumer(cluster: Cluster, kafka: ReturnType<typeof setup>['kafka'], groupId: string, topic: string) {
  const consumer = kafka.consumer({ groupId })
  await consumer.connect()
  await consumer.subscribe({ topics: [topic], fromBeginning: true })
  await consumer.run({ eachMessage: async () => {} })
  await cluster.settle()
  return consumer
}

afterEach(async () => {
  await Cluster.resetAll()
})

describe('connect, disconnect, events, logger', () => {
  it('emits admin.connect and admin.disconnect as { id, type, timestamp, payload }', async () => {
    const clock = new ManualClock(1_000)
    const { admin } = setup({ clock })
    const seen: KafkaJS.InstrumentationEvent<unknown>[] = []
    admin.on(admin.events.CONNECT, (e) => void seen.push(e))
    admin.on(admin.events.DISCONNECT, (e) => void seen.push(e))
    await admin.connect()
    await admin.disconnect()
    expect(seen).toEqual([
      { id: 0, type: 'admin.connect', timestamp: 1_000, payload: undefined },
      { id: 1, type: 'admin.disconnect', timestamp: 1_000, payload: undefined },
    ])
  })

  it('has kafkajs’s event names', () => {
    const { admin } = setup()
    expect(admin.events).toEqual({
      CONNECT: 'admin.connect',
      DISCONNECT: 'admin.disconnect',
      REQUEST: 'admin.network.request',
      REQUEST_TIMEOUT: 'admin.network.request_timeout',
      REQUEST_QUEUE_SIZE: 'admin.network.request_queue_size',
    })
  })

  it('on() returns a remover', async () => {
    const { admin } = setup()
    const seen: string[] = []
    const remove = admin.on(admin.events.CONNECT, (e) => void seen.push(e.type))
    await admin.connect()
    remove()
    await admin.connect()
    expect(seen).toEqual(['admin.connect'])
  })

  it('logger() is the Admin-namespaced logger', () => {
    const entries: KafkaJS.LogEntry[] = []
    const cluster = new Cluster({ brokers: 1, seed: 1 })
    const admin = cluster
      .kafka({ clientId: 'test', logLevel: logLevel.INFO, logCreator: () => (entry) => void entries.push(entry as KafkaJS.LogEntry) })
      .admin()
    admin.logger().info('hello')
    expect(entries.map((e) => [e.namespace, e.log.message])).toEqual([['Admin', 'hello']])
  })

  it('methods work when destructured', async () => {
    const { admin } = setup()
    const { connect, createTopics, listTopics, disconnect } = admin
    await connect()
    await createTopics({ topics: [{ topic: 'destructured' }] })
    expect(await listTopics()).toEqual(['destructured'])
    await disconnect()
  })

  it('works without connect(), as kafkajs’s admin connects on demand', async () => {
    const { admin } = setup()
    expect(await admin.createTopics({ topics: [{ topic: 't' }] })).toBe(true)
    expect(await admin.listTopics()).toEqual(['t'])
  })
})

describe('listTopics and createTopics', () => {
  it('lists no topics in a new cluster, then the ones created', async () => {
    const { admin } = setup()
    await admin.connect()
    expect(await admin.listTopics()).toEqual([])
    await admin.createTopics({ topics: [{ topic: 'orders' }, { topic: 'payments' }] })
    expect((await admin.listTopics()).sort()).toEqual(['orders', 'payments'])
  })

  it('creates a topic with the partitions, replication factor and configs asked for', async () => {
    const { cluster, admin } = setup()
    const created = await admin.createTopics({
      topics: [{ topic: 'orders', numPartitions: 3, replicationFactor: 2, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }],
    })
    expect(created).toBe(true)
    const [topic] = cluster.describe().topics
    expect(topic!.name).toBe('orders')
    expect(topic!.configs).toEqual({ 'cleanup.policy': 'compact' })
    expect(topic!.partitions).toHaveLength(3)
    for (const p of topic!.partitions) {
      expect(p.replicas).toHaveLength(2)
      expect(p.isr).toEqual(p.replicas)
      expect(p.replicas).toContain(p.leader)
    }
  })

  it('uses the broker’s num.partitions and default.replication.factor when left out (-1)', async () => {
    const { cluster, admin } = setup({ brokerConfig: { 'num.partitions': 4, 'default.replication.factor': 3 } })
    await admin.createTopics({ topics: [{ topic: 'defaults' }, { topic: 'explicit-defaults', numPartitions: -1, replicationFactor: -1 }] })
    for (const topic of cluster.describe().topics) {
      expect(topic.partitions).toHaveLength(4)
      expect(topic.partitions.every((p) => p.replicas.length === 3)).toBe(true)
    }
  })

  it('places replicas exactly as a replicaAssignment says, the first replica leading', async () => {
    const { cluster, admin } = setup()
    await admin.createTopics({
      topics: [
        {
          topic: 'placed',
          replicaAssignment: [
            { partition: 0, replicas: [2, 1] },
            { partition: 1, replicas: [0, 2] },
          ],
        },
      ],
    })
    const partitions = cluster.describe().topics[0]!.partitions
    expect(partitions.map((p) => [p.replicas, p.leader])).toEqual([
      [[2, 1], 2],
      [[0, 2], 0],
    ])
  })

  it('answers false when the topic already exists, and changes nothing', async () => {
    const { cluster, admin } = setup()
    await admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 2 }] })
    const before = cluster.describe().topics
    expect(await admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 5 }] })).toBe(false)
    expect(cluster.describe().topics).toEqual(before)
  })

  it('answers false when the only failures are TOPIC_ALREADY_EXISTS, and creates the others (kafkajs)', async () => {
    const { admin } = setup()
    await admin.createTopics({ topics: [{ topic: 'old' }] })
    expect(await admin.createTopics({ topics: [{ topic: 'old' }, { topic: 'new' }] })).toBe(false)
    expect((await admin.listTopics()).sort()).toEqual(['new', 'old'])
  })

  it('validateOnly checks without creating (with waitForLeaders: false)', async () => {
    const { cluster, admin } = setup()
    expect(await admin.createTopics({ validateOnly: true, waitForLeaders: false, topics: [{ topic: 'dry', numPartitions: 2 }] })).toBe(true)
    expect(cluster.describe().topics).toEqual([])
  })

  it('validateOnly with waitForLeaders (the default) rejects UNKNOWN_TOPIC_OR_PARTITION, as kafkajs does (tulios/kafkajs#1222)', async () => {
    const { cluster, admin } = setup()
    await expect(admin.createTopics({ validateOnly: true, topics: [{ topic: 'dry' }] })).rejects.toMatchObject({
      name: 'KafkaJSProtocolError',
      type: 'UNKNOWN_TOPIC_OR_PARTITION',
    })
    expect(cluster.describe().topics).toEqual([])
  })

  it('resolves under a ManualClock without advancing it: leaders are there at once', async () => {
    const { admin } = setup({ clock: new ManualClock(0) })
    expect(await admin.createTopics({ topics: [{ topic: 'quick', numPartitions: 3, replicationFactor: 3 }] })).toBe(true)
  })

  it('coerces numbers as kafkajs’s encoder does: numPartitions 1.5 reaches the broker as 1', async () => {
    const { cluster, admin } = setup()
    await admin.createTopics({ topics: [{ topic: 'fraction', numPartitions: 1.5, replicationFactor: 2.9 }] })
    const partitions = cluster.describe().topics[0]!.partitions
    expect(partitions).toHaveLength(1)
    expect(partitions[0]!.replicas).toHaveLength(2)
  })
})

describe('deleteTopics', () => {
  it('deletes topics, which then leave the topic list', async () => {
    const { cluster, admin } = setup()
    await admin.createTopics({ topics: [{ topic: 'a' }, { topic: 'b' }, { topic: 'c' }] })
    await expect(admin.deleteTopics({ topics: ['a', 'c'] })).resolves.toBeUndefined()
    expect(await admin.listTopics()).toEqual(['b'])
    expect(cluster.describe().topics.map((t) => t.name)).toEqual(['b'])
  })

  it('retries an unknown topic with the admin’s retrier, backing off on the cluster’s clock', async () => {
    const clock = new ManualClock(0)
    const cluster = new Cluster({ brokers: 1, seed: 1, clock })
    const admin = cluster
      .kafka({ clientId: 'test', logLevel: logLevel.NOTHING })
      .admin({ retry: { retries: 2, initialRetryTime: 100, factor: 0, multiplier: 2 } })
    let outcome: unknown
    const deletion = admin.deleteTopics({ topics: ['missing'] }).catch((e: unknown) => (outcome = e))
    await clock.advance(99)
    expect(outcome).toBeUndefined()
    await clock.advance(1 + 200)
    await deletion
    expect(outcome).toMatchObject({ name: 'KafkaJSNumberOfRetriesExceeded', retryCount: 2, retryTime: 400 })
  })

  it('lets a deleted topic be created again, empty', async () => {
    const { kafka, admin } = setup()
    await admin.createTopics({ topics: [{ topic: 'again' }] })
    await produce(kafka, 'again', [{ value: 'x', partition: 0 }])
    await admin.deleteTopics({ topics: ['again'] })
    expect(await admin.createTopics({ topics: [{ topic: 'again' }] })).toBe(true)
    expect(await admin.fetchTopicOffsets('again')).toEqual([{ partition: 0, offset: '0', high: '0', low: '0' }])
  })
})

describe('createPartitions', () => {
  it('adds partitions, resolving undefined as kafkajs does', async () => {
    const { cluster, admin } = setup()
    await admin.createTopics({ topics: [{ topic: 'grow', numPartitions: 2, replicationFactor: 2 }] })
    await expect(admin.createPartitions({ topicPartitions: [{ topic: 'grow', count: 5 }] })).resolves.toBeUndefined()
    const partitions = cluster.describe().topics[0]!.partitions
    expect(partitions.map((p) => p.partition)).toEqual([0, 1, 2, 3, 4])
    expect(partitions.every((p) => p.replicas.length === 2)).toBe(true)
  })

  it('places the new partitions where assignments say', async () => {
    const { cluster, admin } = setup()
    await admin.createTopics({ topics: [{ topic: 'grow', numPartitions: 1, replicationFactor: 2 }] })
    await admin.createPartitions({ topicPartitions: [{ topic: 'grow', count: 3, assignments: [[1, 2], [2, 0]] }] })
    const partitions = cluster.describe().topics[0]!.partitions
    expect(partitions.slice(1).map((p) => p.replicas)).toEqual([
      [1, 2],
      [2, 0],
    ])
  })

  it('validateOnly changes nothing', async () => {
    const { cluster, admin } = setup()
    await admin.createTopics({ topics: [{ topic: 'grow', numPartitions: 1 }] })
    await admin.createPartitions({ validateOnly: true, topicPartitions: [{ topic: 'grow', count: 4 }] })
    expect(cluster.describe().topics[0]!.partitions).toHaveLength(1)
  })
})

describe('fetchTopicMetadata and describeCluster', () => {
  it('describes each partition in kafkajs’s shape', async () => {
    const { cluster, admin } = setup()
    await admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 2, replicationFactor: 3 }, { topic: 'other' }] })
    const { topics } = await admin.fetchTopicMetadata({ topics: ['orders'] })
    const described = cluster.describe().topics.find((t) => t.name === 'orders')!
    expect(topics).toEqual([
      {
        name: 'orders',
        partitions: described.partitions.map((p) => ({
          partitionErrorCode: 0,
          partitionId: p.partition,
          leader: p.leader,
          replicas: p.replicas,
          isr: p.isr,
          offlineReplicas: [],
        })),
      },
    ])
  })

  it('describes every topic when none is named', async () => {
    const { admin } = setup()
    await admin.createTopics({ topics: [{ topic: 'a' }, { topic: 'b', numPartitions: 2 }] })
    const all = await admin.fetchTopicMetadata()
    expect(all.topics.map((t) => [t.name, t.partitions.length]).sort()).toEqual([
      ['a', 1],
      ['b', 2],
    ])
    expect((await admin.fetchTopicMetadata({ topics: [] })).topics).toHaveLength(2)
  })

  it('describeCluster gives the brokers, the controller and the cluster id', async () => {
    const { cluster, admin } = setup()
    const description = cluster.describe()
    expect(await admin.describeCluster()).toEqual({
      brokers: [
        { nodeId: 0, host: 'localhost', port: 9092 },
        { nodeId: 1, host: 'localhost', port: 9093 },
        { nodeId: 2, host: 'localhost', port: 9094 },
      ],
      controller: description.controllerId,
      clusterId: description.clusterId,
    })
  })
})

describe('fetchTopicOffsets and fetchTopicOffsetsByTimestamp', () => {
  it('gives each partition’s high and low watermarks as strings, grouped by leader as kafkajs merges them', async () => {
    const { cluster, kafka, admin } = setup()
    await admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 3 }] })
    await produce(kafka, 'orders', [
      { value: 'a', partition: 0 },
      { value: 'b', partition: 0 },
      { value: 'c', partition: 2 },
    ])
    const offsets = await admin.fetchTopicOffsets('orders')
    const partitions = cluster.describe().topics[0]!.partitions
    // kafkajs asks each leader in id order and concatenates the answers.
    const expectedOrder = [...partitions].sort((a, b) => a.leader - b.leader || a.partition - b.partition).map((p) => p.partition)
    expect(offsets.map((o) => o.partition)).toEqual(expectedOrder)
    expect([...offsets].sort((a, b) => a.partition - b.partition)).toEqual([
      { partition: 0, offset: '2', high: '2', low: '0' },
      { partition: 1, offset: '0', high: '0', low: '0' },
      { partition: 2, offset: '1', high: '1', low: '0' },
    ])
  })

  it('finds the first offset at or after a timestamp, or the high watermark when none is that recent', async () => {
    const { kafka, admin } = setup()
    await admin.createTopics({ topics: [{ topic: 'timed', numPartitions: 2 }] })
    await produce(kafka, 'timed', [
      { value: 'a', partition: 0, timestamp: '1000' },
      { value: 'b', partition: 0, timestamp: '2000' },
      { value: 'c', partition: 0, timestamp: '3000' },
      { value: 'd', partition: 1, timestamp: '1000' },
    ])
    const byPartition = async (timestamp?: number) =>
      Object.fromEntries((await admin.fetchTopicOffsetsByTimestamp('timed', timestamp)).map((o) => [o.partition, o.offset]))
    expect(await byPartition(0)).toEqual({ 0: '0', 1: '0' })
    expect(await byPartition(1500)).toEqual({ 0: '1', 1: '1' })
    expect(await byPartition(3000)).toEqual({ 0: '2', 1: '1' })
    expect(await byPartition(9999)).toEqual({ 0: '3', 1: '1' })
    expect(await byPartition()).toEqual({ 0: '3', 1: '1' })
  })
})

describe('fetchOffsets, setOffsets, resetOffsets', () => {
  it('reports -1 with null metadata for every partition a group has not committed', async () => {
    const { admin } = setup()
    await admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 2 }] })
    expect(await admin.fetchOffsets({ groupId: 'g', topics: ['orders'] })).toEqual([
      {
        topic: 'orders',
        partitions: [
          { partition: 0, offset: '-1', metadata: null },
          { partition: 1, offset: '-1', metadata: null },
        ],
      },
    ])
  })

  it('lists partitions in kafkajs’s string order (0, 1, 10, 11, 2, ...)', async () => {
    const { admin } = setup()
    await admin.createTopics({ topics: [{ topic: 'wide', numPartitions: 12 }] })
    const [result] = await admin.fetchOffsets({ groupId: 'g', topics: ['wide'] })
    expect(result!.partitions.map((p) => p.partition)).toEqual([0, 1, 10, 11, 2, 3, 4, 5, 6, 7, 8, 9])
  })

  it('setOffsets commits for a group with no members, creating it Empty', async () => {
    const { cluster, admin } = setup()
    await admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 3 }] })
    await admin.setOffsets({
      groupId: 'g',
      topic: 'orders',
      partitions: [
        { partition: 0, offset: '5' },
        { partition: 2, offset: '7' },
      ],
    })
    const group = cluster.describe().groups.find((g) => g.groupId === 'g')!
    expect(group.state).toBe('Empty')
    expect(group.offsets.map((o) => [o.partition, o.committedOffset])).toEqual([
      [0, 5],
      [2, 7],
    ])
    expect(await admin.fetchOffsets({ groupId: 'g', topics: ['orders'] })).toEqual([
      {
        topic: 'orders',
        partitions: [
          { partition: 0, offset: '5', metadata: null },
          { partition: 1, offset: '-1', metadata: null },
          { partition: 2, offset: '7', metadata: null },
        ],
      },
    ])
  })

  it('setOffsets ignores partitions the topic does not have, as kafkajs’s consumer does', async () => {
    const { cluster, admin } = setup()
    await admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 1 }] })
    await admin.setOffsets({ groupId: 'g', topic: 'orders', partitions: [{ partition: 0, offset: '1' }, { partition: 9, offset: '1' }] })
    expect(cluster.describe().groups[0]!.offsets.map((o) => o.partition)).toEqual([0])
  })

  it('fetchOffsets without topics gives every offset the group has', async () => {
    const { admin } = setup()
    await admin.createTopics({ topics: [{ topic: 'a', numPartitions: 2 }, { topic: 'b' }] })
    await admin.setOffsets({ groupId: 'g', topic: 'a', partitions: [{ partition: 1, offset: '3' }] })
    await admin.setOffsets({ groupId: 'g', topic: 'b', partitions: [{ partition: 0, offset: '4' }] })
    const all = await admin.fetchOffsets({ groupId: 'g' })
    expect(all.sort((x, y) => x.topic.localeCompare(y.topic))).toEqual([
      { topic: 'a', partitions: [{ partition: 1, offset: '3', metadata: null }] },
      { topic: 'b', partitions: [{ partition: 0, offset: '4', metadata: null }] },
    ])
  })

  it('resetOffsets commits the special offsets themselves, as kafkajs does (-2 earliest, -1 latest)', async () => {
    const { admin } = setup()
    await admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 2 }] })
    await admin.resetOffsets({ groupId: 'g', topic: 'orders', earliest: true })
    expect((await admin.fetchOffsets({ groupId: 'g', topics: ['orders'] }))[0]!.partitions.map((p) => p.offset)).toEqual(['-2', '-2'])
    await admin.resetOffsets({ groupId: 'g', topic: 'orders' })
    expect((await admin.fetchOffsets({ groupId: 'g', topics: ['orders'] }))[0]!.partitions.map((p) => p.offset)).toEqual(['-1', '-1'])
  })

  it('resolveOffsets turns -1 into the high watermark and -2 into the low one, and commits them', async () => {
    const { cluster, kafka, admin } = setup()
    await admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 2 }] })
    await produce(kafka, 'orders', [
      { value: 'a', partition: 0 },
      { value: 'b', partition: 0 },
      { value: 'c', partition: 1 },
      { value: 'd', partition: 1 },
      { value: 'e', partition: 1 },
    ])
    await admin.deleteTopicRecords({ topic: 'orders', partitions: [{ partition: 1, offset: '1' }] })
    await admin.setOffsets({ groupId: 'g', topic: 'orders', partitions: [{ partition: 1, offset: '-2' }] })
    const resolved = await admin.fetchOffsets({ groupId: 'g', topics: ['orders'], resolveOffsets: true })
    expect(resolved).toEqual([
      {
        topic: 'orders',
        partitions: [
          { partition: 0, offset: '2', metadata: null },
          { partition: 1, offset: '1', metadata: null },
        ],
      },
    ])
    expect(cluster.describe().groups[0]!.offsets.map((o) => o.committedOffset)).toEqual([2, 1])
  })
})

describe('deleteTopicRecords', () => {
  it('moves the low watermark up to the given offsets; -1 means the high watermark', async () => {
    const { cluster, kafka, admin } = setup()
    await admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 2 }] })
    await produce(kafka, 'orders', [
      { value: 'a', partition: 0 },
      { value: 'b', partition: 0 },
      { value: 'c', partition: 0 },
      { value: 'd', partition: 1 },
      { value: 'e', partition: 1 },
    ])
    await expect(
      admin.deleteTopicRecords({
        topic: 'orders',
        partitions: [
          { partition: 0, offset: '2' },
          { partition: 1, offset: '-1' },
        ],
      }),
    ).resolves.toBeUndefined()
    expect(cluster.describe().topics[0]!.partitions.map((p) => [p.logStartOffset, p.highWatermark])).toEqual([
      [2, 3],
      [2, 2],
    ])
  })

  it('deletes nothing for an offset below the low watermark', async () => {
    const { cluster, kafka, admin } = setup()
    await admin.createTopics({ topics: [{ topic: 'orders' }] })
    await produce(kafka, 'orders', [
      { value: 'a', partition: 0 },
      { value: 'b', partition: 0 },
    ])
    await admin.deleteTopicRecords({ topic: 'orders', partitions: [{ partition: 0, offset: '2' }] })
    await admin.deleteTopicRecords({ topic: 'orders', partitions: [{ partition: 0, offset: '1' }] })
    expect(cluster.describe().topics[0]!.partitions[0]!.logStartOffset).toBe(2)
  })
})

describe('describeConfigs and alterConfigs', () => {
  it('describes a topic’s configs with their sources; an override is a TOPIC_CONFIG', async () => {
    const { admin } = setup()
    await admin.createTopics({ topics: [{ topic: 'orders', configEntries: [{ name: 'retention.ms', value: '60000' }] }] })
    const result = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: 'orders', configNames: ['retention.ms', 'cleanup.policy'] }],
    })
    expect(Object.keys(result)).toEqual(['resources'])
    expect(result.resources).toHaveLength(1)
    const [resource] = result.resources
    expect(resource).toMatchObject({ errorCode: 0, errorMessage: null, resourceType: ConfigResourceTypes.TOPIC, resourceName: 'orders' })
    const entries = Object.fromEntries(resource!.configEntries.map((e) => [e.configName, e]))
    expect(Object.keys(entries).sort()).toEqual(['cleanup.policy', 'retention.ms'])
    expect(entries['retention.ms']).toEqual({
      configName: 'retention.ms',
      configValue: '60000',
      readOnly: false,
      isDefault: false,
      configSource: ConfigSource.TOPIC_CONFIG,
      isSensitive: false,
      configSynonyms: [],
    })
    expect(entries['cleanup.policy']).toMatchObject({ configValue: 'delete', isDefault: true, configSource: ConfigSource.DEFAULT_CONFIG })
  })

  it('describes every config when configNames is left out, with synonyms when asked', async () => {
    const { admin } = setup()
    await admin.createTopics({ topics: [{ topic: 'orders', configEntries: [{ name: 'retention.ms', value: '60000' }] }] })
    const { resources } = await admin.describeConfigs({ includeSynonyms: true, resources: [{ type: ConfigResourceTypes.TOPIC, name: 'orders' }] })
    const names = resources[0]!.configEntries.map((e) => e.configName)
    expect(names).toEqual(expect.arrayContaining(['retention.ms', 'cleanup.policy', 'min.insync.replicas', 'max.message.bytes']))
    const retention = resources[0]!.configEntries.find((e) => e.configName === 'retention.ms')!
    expect(retention.configSynonyms[0]).toEqual({ configName: 'retention.ms', configValue: '60000', configSource: ConfigSource.TOPIC_CONFIG })
  })

  it('asks a broker for its own configs', async () => {
    const { admin } = setup({ brokerConfig: { 'num.partitions': 6 } })
    const { resources } = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: ConfigResourceTypes.BROKER, name: '1', configNames: ['num.partitions'] }],
    })
    expect(resources[0]).toMatchObject({ errorCode: 0, resourceType: ConfigResourceTypes.BROKER, resourceName: '1' })
    expect(resources[0]!.configEntries.map((e) => [e.configName, e.configValue])).toEqual([['num.partitions', '6']])
  })

  it('alterConfigs replaces a topic’s overrides and reports each resource', async () => {
    const { cluster, admin } = setup()
    await admin.createTopics({ topics: [{ topic: 'orders', configEntries: [{ name: 'retention.ms', value: '60000' }] }] })
    const result = await admin.alterConfigs({
      validateOnly: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: 'orders', configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }],
    })
    expect(result).toEqual({ resources: [{ errorCode: 0, errorMessage: null, resourceType: ConfigResourceTypes.TOPIC, resourceName: 'orders' }] })
    // Not incremental: retention.ms is back to its default.
    expect(cluster.describe().topics[0]!.configs).toEqual({ 'cleanup.policy': 'compact' })
  })

  it('alterConfigs with validateOnly changes nothing', async () => {
    const { cluster, admin } = setup()
    await admin.createTopics({ topics: [{ topic: 'orders' }] })
    await admin.alterConfigs({
      validateOnly: true,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: 'orders', configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }],
    })
    expect(cluster.describe().topics[0]!.configs).toEqual({})
  })
})

describe('listGroups, describeGroups, deleteGroups', () => {
  it('lists every group of the cluster, whichever broker coordinates it', async () => {
    const { admin } = setup()
    await admin.createTopics({ topics: [{ topic: 'orders' }] })
    const groupIds = ['g1', 'g2', 'g3', 'g4', 'g5', 'g6']
    for (const groupId of groupIds) await admin.setOffsets({ groupId, topic: 'orders', partitions: [{ partition: 0, offset: '0' }] })
    const { groups } = await admin.listGroups()
    expect(groups.map((g) => g.groupId).sort()).toEqual(groupIds)
    expect(groups.every((g) => Object.keys(g).sort().join() === 'groupId,protocolType')).toBe(true)
  })

  it('describes a running group with its members, and an unknown one as Dead', async () => {
    const { cluster, kafka, admin } = setup()
    await admin.createTopics({ topics: [{ topic: 'orders' }] })
    const consumer = await runningConsumer(cluster, kafka, 'running', 'orders')
    const { groups } = await admin.describeGroups(['running', 'unknown'])
    const byId = Object.fromEntries(groups.map((g) => [g.groupId, g]))
    expect(byId.running).toMatchObject({ errorCode: 0, state: 'Stable', protocolType: 'consumer', protocol: 'RoundRobinAssigner' })
    expect(byId.running!.members).toHaveLength(1)
    expect(byId.running!.members[0]).toMatchObject({ clientId: 'test' })
    expect(Buffer.isBuffer(byId.running!.members[0]!.memberAssignment)).toBe(true)
    expect(byId.unknown).toEqual({ errorCode: 0, groupId: 'unknown', state: 'Dead', protocolType: '', protocol: '', members: [] })
    expect((await admin.listGroups()).groups).toContainEqual({ groupId: 'running', protocolType: 'consumer' })
    await consumer.disconnect()
  })

  it('deletes empty groups with their offsets', async () => {
    const { cluster, admin } = setup()
    await admin.createTopics({ topics: [{ topic: 'orders' }] })
    await admin.setOffsets({ groupId: 'a', topic: 'orders', partitions: [{ partition: 0, offset: '1' }] })
    await admin.setOffsets({ groupId: 'b', topic: 'orders', partitions: [{ partition: 0, offset: '1' }] })
    const results = await admin.deleteGroups(['a', 'b'])
    expect([...results].sort((x, y) => x.groupId.localeCompare(y.groupId))).toEqual([
      { groupId: 'a', errorCode: 0 },
      { groupId: 'b', errorCode: 0 },
    ])
    expect(cluster.describe().groups).toEqual([])
    expect(await admin.fetchOffsets({ groupId: 'a', topics: ['orders'] })).toEqual([
      { topic: 'orders', partitions: [{ partition: 0, offset: '-1', metadata: null }] },
    ])
  })

  it('deleting no groups answers []', async () => {
    const { admin } = setup()
    expect(await admin.deleteGroups([])).toEqual([])
  })
})

describe('not implemented yet', () => {
  it.each([
    ['alterPartitionReassignments', (a: Admin) => a.alterPartitionReassignments({ topics: [] }), 'partition reassignments'],
    ['listPartitionReassignments', (a: Admin) => a.listPartitionReassignments({}), 'partition reassignments'],
  ] as const)('%s rejects with KafkaJSNotImplemented naming the feature', async (method, call, feature) => {
    const { admin } = setup()
    const error = await call(admin).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(KafkaJSNotImplemented)
    expect((error as Error).message).toBe(`memkafka does not implement ${feature} yet (${method})`)
  })
})

describe('enums', () => {
  it.each([
    ['ConfigResourceTypes', ConfigResourceTypes],
    ['ConfigSource', ConfigSource],
    ['AclResourceTypes', AclResourceTypes],
    ['AclOperationTypes', AclOperationTypes],
    ['AclPermissionTypes', AclPermissionTypes],
    ['ResourcePatternTypes', ResourcePatternTypes],
  ] as const)('%s has kafkajs’s keys and values', (name, ours) => {
    expect(ours).toEqual((kafkajs as unknown as Record<string, unknown>)[name])
  })

  it('ResourceTypes (kafkajs 1.x’s name) are the ACL resource types', () => {
    expect(ResourceTypes).toEqual({ UNKNOWN: 0, ANY: 1, TOPIC: 2, GROUP: 3, CLUSTER: 4, TRANSACTIONAL_ID: 5, DELEGATION_TOKEN: 6 })
  })
})
