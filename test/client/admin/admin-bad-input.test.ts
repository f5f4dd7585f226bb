import { createRequire } from 'node:module'
import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import {
  Cluster,
  ConfigResourceTypes,
  KafkaJSAggregateError,
  KafkaJSBrokerNotFound,
  KafkaJSCreateTopicError,
  KafkaJSDeleteGroupsError,
  KafkaJSDeleteTopicRecordsError,
  KafkaJSNonRetriableError,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSProtocolError,
  logLevel,
  type ClusterOptions,
} from '../../../src/index.js'
import type { Admin } from '../../../src/client/admin/admin.js'

// kafkajs's own admin is the oracle for argument checks: built over a cluster object that
// throws if touched, it shows which error and message each bad argument gets before any request.
const require = createRequire(import.meta.url)
const createKafkaJsAdmin = require('kafkajs/src/admin') as (options: object) => Record<string, (...args: unknown[]) => unknown>
const { createLogger } = require('kafkajs/src/loggers') as { createLogger: (options: object) => unknown }
const untouchable = new Proxy({}, { get: (_target, property) => { throw new Error(`kafkajs touched the cluster (${String(property)})`) } })
const theirAdmin = createKafkaJsAdmin({ logger: createLogger({ level: 0, logCreator: () => () => {} }), cluster: untouchable, retry: { retries: 0 } })

function setup(options: ClusterOptions = {}) {
  const cluster = new Cluster({ brokers: 3, seed: 1, ...options })
  const kafka = cluster.kafka({ clientId: 'test', logLevel: logLevel.NOTHING })
  const admin = kafka.admin({ retry: { retries: 0 } })
  return { cluster, kafka, admin }
}

/** The cluster as a test can compare it: everything but the clock reading. */
function snapshot(cluster: Cluster) {
  const { time: _time, ...rest } = cluster.describe()
  return rest
}

async function failure(promise: Promise<unknown>): Promise<any> {
  return promise.then(
    (value) => {
      throw new Error(`expected a rejection, got ${JSON.stringify(value)}`)
    },
    (error: unknown) => error,
  )
}

/** Runs a call on kafkajs's admin and on ours: same error class name and message. */
async function expectSameRejection(method: string, ...args: unknown[]): Promise<any> {
  const { cluster, admin } = setup()
  const before = snapshot(cluster)
  const theirs = await failure(Promise.resolve().then(() => theirAdmin[method]!(...args)))
  const ours = await failure(Promise.resolve().then(() => (admin as unknown as Record<string, (...a: unknown[]) => unknown>)[method]!(...args)))
  expect(theirs.message).not.toMatch(/kafkajs touched the cluster/)
  expect({ name: ours.name, message: ours.message }).toEqual({ name: theirs.name, message: theirs.message })
  expect(ours).toBeInstanceOf(KafkaJSNonRetriableError)
  expect(snapshot(cluster)).toEqual(before)
  return ours
}

async function createdTopic(admin: Admin, topic: string, numPartitions = 1) {
  await admin.createTopics({ topics: [{ topic, numPartitions }] })
}

async function produce(kafka: ReturnType<typeof setup>['kafka'], topic: string, values: number) {
  const producer = kafka.producer()
  await producer.connect()
  await producer.send({ topic, messages: Array.from({ length: values }, (_, i) => ({ value: `v${i}`, partition: 0 })) })
  await producer.disconnect()
}

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

describe('argument checks are kafkajs’s, word for word, and send nothing', () => {
  it.each([
    ['createTopics', [{}]],
    ['createTopics', [{ topics: 'orders' }]],
    ['createTopics', [{ topics: [{ topic: 1 }] }]],
    ['createTopics', [{ topics: [{ topic: 'a' }, { topic: 'a' }] }]],
    ['createTopics', [{ topics: [{ topic: 'a', configEntries: {} }] }]],
    ['createTopics', [{ topics: [{ topic: 'a', configEntries: [null] }] }]],
    ['createTopics', [{ topics: [{ topic: 'a', configEntries: [{ name: 'retention.ms' }] }] }]],
    ['createTopics', [{ topics: [{ topic: 'a', configEntries: [{ name: 'retention.ms', value: 1000 }] }] }]],
    ['createTopics', [{ topics: [{ topic: 'a', configEntries: [{ value: '1' }] }] }]],
    ['deleteTopics', [{}]],
    ['deleteTopics', [{ topics: [1] }]],
    ['createPartitions', [{}]],
    ['createPartitions', [{ topicPartitions: [] }]],
    ['createPartitions', [{ topicPartitions: [{ topic: null, count: 2 }] }]],
    ['createPartitions', [{ topicPartitions: [{ topic: 'a', count: 2 }, { topic: 'a', count: 3 }] }]],
    ['fetchTopicMetadata', [{ topics: [''] }]],
    ['fetchTopicMetadata', [{ topics: ['a', 5] }]],
    ['fetchTopicOffsets', ['']],
    ['fetchTopicOffsets', [5]],
    ['fetchTopicOffsetsByTimestamp', [undefined, 1000]],
    ['fetchOffsets', [{ topics: ['a'] }]],
    ['fetchOffsets', [{ groupId: 'g', topics: 'a' }]],
    ['setOffsets', [{ topic: 'a', partitions: [{ partition: 0, offset: '1' }] }]],
    ['setOffsets', [{ groupId: 'g', partitions: [{ partition: 0, offset: '1' }] }]],
    ['setOffsets', [{ groupId: 'g', topic: 'a', partitions: [] }]],
    ['resetOffsets', [{ topic: 'a' }]],
    ['resetOffsets', [{ groupId: 'g' }]],
    ['deleteTopicRecords', [{ topic: '', partitions: [{ partition: 0, offset: '1' }] }]],
    ['deleteTopicRecords', [{ topic: 'a', partitions: [] }]],
    ['deleteGroups', ['g']],
    ['deleteGroups', [['g', 1]]],
    ['describeConfigs', [{}]],
    ['describeConfigs', [{ resources: [] }]],
    ['describeConfigs', [{ resources: [{ type: 99, name: 'a' }] }]],
    ['describeConfigs', [{ resources: [{ type: ConfigResourceTypes.TOPIC, name: '' }] }]],
    ['describeConfigs', [{ resources: [{ type: ConfigResourceTypes.TOPIC, name: 'a', configNames: 'retention.ms' }] }]],
    ['alterConfigs', [{}]],
    ['alterConfigs', [{ resources: [] }]],
    ['alterConfigs', [{ resources: [{ type: 7, name: 'a', configEntries: [] }] }]],
    ['alterConfigs', [{ resources: [{ type: ConfigResourceTypes.TOPIC, name: 5, configEntries: [] }] }]],
    ['alterConfigs', [{ resources: [{ type: ConfigResourceTypes.TOPIC, name: 'a' }] }]],
    ['alterConfigs', [{ resources: [{ type: ConfigResourceTypes.TOPIC, name: 'a', configEntries: [{ name: 'retention.ms', value: 5 }] }] }]],
  ] as const)('%s(%j)', async (method, args) => {
    await expectSameRejection(method, ...args)
  })

  it('on() with an unknown event name', () => {
    const { admin } = setup()
    let theirs: Error | undefined
    try {
      theirAdmin.on!('admin.nope', () => {})
    } catch (e) {
      theirs = e as Error
    }
    expect(() => admin.on('admin.nope' as never, () => {})).toThrow(KafkaJSNonRetriableError)
    expect(() => admin.on('admin.nope' as never, () => {})).toThrow(theirs!.message)
  })
})

describe('createTopics refused by the broker', () => {
  it.each([
    ['the empty name', ''],
    ["'.'", '.'],
    ["'..'", '..'],
    ['a space', 'a b'],
    ['a slash', 'a/b'],
    ['250 characters', 'x'.repeat(250)],
  ])('%s: KafkaJSAggregateError of INVALID_TOPIC_EXCEPTION, nothing created', async (_label, topic) => {
    const { cluster, admin } = setup()
    const before = snapshot(cluster)
    const error = await failure(admin.createTopics({ topics: [{ topic }] }))
    expect(error).toBeInstanceOf(KafkaJSAggregateError)
    expect(error.message).toBe('Topic creation errors')
    expect(error.errors).toHaveLength(1)
    expect(error.errors[0]).toBeInstanceOf(KafkaJSCreateTopicError)
    expect(error.errors[0]).toBeInstanceOf(KafkaJSProtocolError)
    expect(error.errors[0]).toMatchObject({ type: 'INVALID_TOPIC_EXCEPTION', code: 17, retriable: false, topic })
    expect(snapshot(cluster)).toEqual(before)
  })

  it('249 characters is still a valid name', async () => {
    const { admin } = setup()
    expect(await admin.createTopics({ topics: [{ topic: 'x'.repeat(249) }] })).toBe(true)
  })

  it('a name colliding with an existing one by . versus _ is INVALID_TOPIC_EXCEPTION', async () => {
    const { cluster, admin } = setup()
    await createdTopic(admin, 'orders.v1')
    const before = snapshot(cluster)
    const error = await failure(admin.createTopics({ topics: [{ topic: 'orders_v1' }] }))
    expect(error.errors[0]).toMatchObject({ type: 'INVALID_TOPIC_EXCEPTION', topic: 'orders_v1' })
    expect(snapshot(cluster)).toEqual(before)
  })

  it.each([
    ['numPartitions 0', { numPartitions: 0 }, 'INVALID_PARTITIONS'],
    ['numPartitions -2', { numPartitions: -2 }, 'INVALID_PARTITIONS'],
    ['numPartitions 0.5 (0 on the wire)', { numPartitions: 0.5 }, 'INVALID_PARTITIONS'],
    ['replicationFactor above the broker count', { replicationFactor: 4 }, 'INVALID_REPLICATION_FACTOR'],
    ['replicationFactor 0', { replicationFactor: 0 }, 'INVALID_REPLICATION_FACTOR'],
    ['an unknown config', { configEntries: [{ name: 'no.such.config', value: '1' }] }, 'INVALID_CONFIG'],
    ['a config value of the wrong type', { configEntries: [{ name: 'retention.ms', value: 'a week' }] }, 'INVALID_CONFIG'],
    ['a config value out of its range', { configEntries: [{ name: 'cleanup.policy', value: 'sometimes' }] }, 'INVALID_CONFIG'],
    ['a replica on an unknown broker', { replicaAssignment: [{ partition: 0, replicas: [0, 7] }] }, 'INVALID_REPLICA_ASSIGNMENT'],
    ['numPartitions together with a replicaAssignment', { numPartitions: 1, replicaAssignment: [{ partition: 0, replicas: [0] }] }, 'INVALID_REQUEST'],
  ])('%s: %s', async (_label, spec, type) => {
    const { cluster, admin } = setup()
    const before = snapshot(cluster)
    const error = await failure(admin.createTopics({ topics: [{ topic: 'orders', ...spec }] }))
    expect(error).toBeInstanceOf(KafkaJSAggregateError)
    expect(error.errors.map((e: KafkaJSCreateTopicError) => [e.name, e.type, e.topic])).toEqual([['KafkaJSCreateTopicError', type, 'orders']])
    expect(snapshot(cluster)).toEqual(before)
  })

  it('reports every failed topic, sorted by name, and creates the valid ones', async () => {
    const { cluster, admin } = setup()
    const error = await failure(
      admin.createTopics({
        topics: [
          { topic: 'z-bad', replicationFactor: 9 },
          { topic: 'fine' },
          { topic: 'a bad' },
          { topic: 'm-bad', configEntries: [{ name: 'nope', value: 'x' }] },
        ],
      }),
    )
    expect(error.errors.map((e: KafkaJSCreateTopicError) => [e.topic, e.type])).toEqual([
      ['a bad', 'INVALID_TOPIC_EXCEPTION'],
      ['m-bad', 'INVALID_CONFIG'],
      ['z-bad', 'INVALID_REPLICATION_FACTOR'],
    ])
    expect(cluster.describe().topics.map((t) => t.name)).toEqual(['fine'])
  })

  it('a TOPIC_ALREADY_EXISTS among other failures is reported with them', async () => {
    const { admin } = setup()
    await createdTopic(admin, 'old')
    const error = await failure(admin.createTopics({ topics: [{ topic: 'old' }, { topic: 'new', numPartitions: 0 }] }))
    expect(error.errors.map((e: KafkaJSCreateTopicError) => e.type)).toEqual(['INVALID_PARTITIONS', 'TOPIC_ALREADY_EXISTS'])
  })

  it('a number the wire cannot carry is a RangeError, as kafkajs’s encoder throws, and nothing is created', async () => {
    const { cluster, admin } = setup()
    const before = snapshot(cluster)
    await expect(admin.createTopics({ topics: [{ topic: 'huge', numPartitions: 2 ** 31 }] })).rejects.toBeInstanceOf(RangeError)
    await expect(admin.createTopics({ topics: [{ topic: 'huge', replicationFactor: 40_000 }] })).rejects.toBeInstanceOf(RangeError)
    expect(snapshot(cluster)).toEqual(before)
  })
})

describe('createTopics over generated input (property)', () => {
  const legal = [...'abcxyzABCXYZ0189._-']
  const illegal = [' ', '/', '#', 'é', ':', '*']
  const topicName = fc.oneof(
    fc.string({ unit: fc.constantFrom(...legal), minLength: 0, maxLength: 12 }),
    fc.string({ unit: fc.constantFrom(...legal, ...illegal), minLength: 1, maxLength: 12 }),
    fc.string({ unit: fc.constantFrom(...legal), minLength: 246, maxLength: 253 }),
    fc.constantFrom('.', '..', '...'),
  )

  it('creates exactly the names Kafka allows; any other is INVALID_TOPIC_EXCEPTION and changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(topicName, async (topic) => {
        const { cluster, admin } = setup()
        const valid = /^[a-zA-Z0-9._-]{1,249}$/.test(topic) && topic !== '.' && topic !== '..'
        const before = snapshot(cluster)
        const outcome = await admin.createTopics({ topics: [{ topic }] }).then(
          (created) => ({ created }),
          (error: KafkaJSAggregateError) => ({ error }),
        )
        if (valid) {
          expect(outcome).toEqual({ created: true })
          expect(cluster.describe().topics.map((t) => t.name)).toEqual([topic])
        } else {
          expect('error' in outcome && (outcome.error.errors[0] as KafkaJSCreateTopicError).type).toBe('INVALID_TOPIC_EXCEPTION')
          expect(snapshot(cluster)).toEqual(before)
        }
        await cluster.close()
      }),
      { numRuns: 60 },
    )
  })

  it('numPartitions reaches the broker truncated to an integer: >= 1 creates that many, -1 the default, the rest INVALID_PARTITIONS', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.integer({ min: -4, max: 24 }), fc.double({ min: -4, max: 24, noNaN: true })), async (numPartitions) => {
        const { cluster, admin } = setup({ brokerConfig: { 'num.partitions': 3 } })
        const onWire = Math.trunc(numPartitions)
        const outcome = await admin.createTopics({ topics: [{ topic: 't', numPartitions }] }).then(
          () => cluster.describe().topics[0]!.partitions.length,
          (error: KafkaJSAggregateError) => (error.errors[0] as KafkaJSCreateTopicError).type,
        )
        expect(outcome).toEqual(onWire >= 1 ? onWire : onWire === -1 ? 3 : 'INVALID_PARTITIONS')
        await cluster.close()
      }),
      { numRuns: 60 },
    )
  })
})

describe('deleteTopics refused', () => {
  it('an unknown topic is retried as kafkajs retries it, then KafkaJSNumberOfRetriesExceeded of UNKNOWN_TOPIC_OR_PARTITION', async () => {
    const { cluster, admin } = setup()
    await createdTopic(admin, 'kept')
    const before = snapshot(cluster)
    const error = await failure(admin.deleteTopics({ topics: ['missing'] }))
    expect(error).toBeInstanceOf(KafkaJSNumberOfRetriesExceeded)
    expect(error.cause).toBeInstanceOf(KafkaJSProtocolError)
    expect(error.cause.type).toBe('UNKNOWN_TOPIC_OR_PARTITION')
    expect(snapshot(cluster)).toEqual(before)
  })

  it('with delete.topic.enable=false, TOPIC_DELETION_DISABLED as it is', async () => {
    const { cluster, admin } = setup({ brokerConfig: { 'delete.topic.enable': false } })
    await createdTopic(admin, 'kept')
    const before = snapshot(cluster)
    const error = await failure(admin.deleteTopics({ topics: ['kept'] }))
    expect(error).toBeInstanceOf(KafkaJSProtocolError)
    expect(error).toMatchObject({ type: 'TOPIC_DELETION_DISABLED', retriable: false })
    expect(snapshot(cluster)).toEqual(before)
  })
})

describe('createPartitions refused', () => {
  it.each([
    ['fewer partitions', 2, 'INVALID_PARTITIONS'],
    ['the same count', 3, 'INVALID_PARTITIONS'],
    ['zero', 0, 'INVALID_PARTITIONS'],
  ])('%s: %s', async (_label, count, type) => {
    const { cluster, admin } = setup()
    await createdTopic(admin, 'orders', 3)
    const before = snapshot(cluster)
    const error = await failure(admin.createPartitions({ topicPartitions: [{ topic: 'orders', count }] }))
    expect(error).toBeInstanceOf(KafkaJSProtocolError)
    expect(error).toMatchObject({ name: 'KafkaJSProtocolError', type, retriable: false })
    expect(snapshot(cluster)).toEqual(before)
  })

  it('an unknown topic: UNKNOWN_TOPIC_OR_PARTITION, not retried', async () => {
    const { cluster, admin } = setup()
    const before = snapshot(cluster)
    const error = await failure(admin.createPartitions({ topicPartitions: [{ topic: 'missing', count: 2 }] }))
    expect(error).toBeInstanceOf(KafkaJSProtocolError)
    expect(error.type).toBe('UNKNOWN_TOPIC_OR_PARTITION')
    expect(snapshot(cluster)).toEqual(before)
  })

  it('assignments that do not match the partitions added: INVALID_REPLICA_ASSIGNMENT', async () => {
    const { cluster, admin } = setup()
    await createdTopic(admin, 'orders', 1)
    const before = snapshot(cluster)
    const error = await failure(admin.createPartitions({ topicPartitions: [{ topic: 'orders', count: 3, assignments: [[0]] }] }))
    expect(error.type).toBe('INVALID_REPLICA_ASSIGNMENT')
    expect(snapshot(cluster)).toEqual(before)
  })

  it('the first failure by topic name is the one thrown, and the valid topics still grow', async () => {
    const { cluster, admin } = setup()
    await createdTopic(admin, 'b-ok', 1)
    await createdTopic(admin, 'c-bad', 2)
    const error = await failure(
      admin.createPartitions({
        topicPartitions: [
          { topic: 'c-bad', count: 1 },
          { topic: 'b-ok', count: 2 },
          { topic: 'a-missing', count: 2 },
        ],
      }),
    )
    expect(error.type).toBe('UNKNOWN_TOPIC_OR_PARTITION')
    expect(cluster.describe().topics.map((t) => [t.name, t.partitions.length])).toEqual([
      ['b-ok', 2],
      ['c-bad', 2],
    ])
  })
})

describe('metadata and offsets of unknown topics', () => {
  it('fetchTopicMetadata: UNKNOWN_TOPIC_OR_PARTITION, and the topic is not auto-created', async () => {
    const { cluster, admin } = setup()
    const before = snapshot(cluster)
    const error = await failure(admin.fetchTopicMetadata({ topics: ['missing'] }))
    expect(error).toBeInstanceOf(KafkaJSProtocolError)
    expect(error.type).toBe('UNKNOWN_TOPIC_OR_PARTITION')
    expect(snapshot(cluster)).toEqual(before)
  })

  it('fetchTopicMetadata with a non-array is a TypeError, as kafkajs’s forEach makes it', async () => {
    const { admin } = setup()
    await expect(admin.fetchTopicMetadata({ topics: 'orders' as never })).rejects.toBeInstanceOf(TypeError)
  })

  it.each([
    ['fetchTopicOffsets', (a: Admin) => a.fetchTopicOffsets('missing')],
    ['fetchTopicOffsetsByTimestamp', (a: Admin) => a.fetchTopicOffsetsByTimestamp('missing', 0)],
  ])('%s: retried, then KafkaJSNumberOfRetriesExceeded; nothing created', async (_label, call) => {
    const { cluster, admin } = setup()
    const before = snapshot(cluster)
    const error = await failure(call(admin))
    expect(error).toBeInstanceOf(KafkaJSNumberOfRetriesExceeded)
    expect(error.cause.type).toBe('UNKNOWN_TOPIC_OR_PARTITION')
    expect(snapshot(cluster)).toEqual(before)
    // The refused topic is not kept as a target: the admin still works.
    await createdTopic(admin, 'present')
    expect(await admin.fetchTopicOffsets('present')).toEqual([{ partition: 0, offset: '0', high: '0', low: '0' }])
  })

  it('fetchOffsets of an unknown topic: UNKNOWN_TOPIC_OR_PARTITION; no group is created', async () => {
    const { cluster, admin } = setup()
    const before = snapshot(cluster)
    const error = await failure(admin.fetchOffsets({ groupId: 'g', topics: ['missing'] }))
    expect(error).toBeInstanceOf(KafkaJSProtocolError)
    expect(error.type).toBe('UNKNOWN_TOPIC_OR_PARTITION')
    expect(snapshot(cluster)).toEqual(before)
  })
})

describe('setOffsets and resetOffsets refused', () => {
  it.each([
    ['setOffsets', (a: Admin) => a.setOffsets({ groupId: 'running', topic: 'orders', partitions: [{ partition: 0, offset: '0' }] })],
    ['resetOffsets', (a: Admin) => a.resetOffsets({ groupId: 'running', topic: 'orders', earliest: true })],
    ['fetchOffsets with resolveOffsets', (a: Admin) => a.fetchOffsets({ groupId: 'running', topics: ['orders'], resolveOffsets: true })],
  ])('%s on a running group: kafkajs’s error naming the state, offsets untouched', async (_label, call) => {
    const { cluster, kafka, admin } = setup()
    await createdTopic(admin, 'orders')
    await produce(kafka, 'orders', 3)
    const consumer = await runningConsumer(cluster, kafka, 'running', 'orders')
    const before = snapshot(cluster).groups
    const error = await failure(call(admin))
    expect(error).toBeInstanceOf(KafkaJSNonRetriableError)
    expect(error.message).toBe('The consumer group must have no running instances, current state: Stable')
    expect(snapshot(cluster).groups).toEqual(before)
    await consumer.disconnect()
  })

  it.each([
    ['an offset that is not a number', { partition: 0, offset: 'ten' }, 'Invalid offset, expected a long received ten'],
    ['a fractional offset', { partition: 0, offset: '1.5' }, 'Invalid offset, expected a long received 1.5'],
    ['a missing offset', { partition: 0 }, 'Invalid offset, expected a long received undefined'],
    ['a negative offset', { partition: 0, offset: '-5' }, 'Offset must not be a negative number'],
    ['a missing partition', { offset: '1' }, 'Invalid partition, expected a number received undefined'],
  ])('%s: kafkajs’s seek error, nothing committed', async (_label, entry, message) => {
    const { cluster, admin } = setup()
    await createdTopic(admin, 'orders')
    const before = snapshot(cluster)
    const error = await failure(admin.setOffsets({ groupId: 'g', topic: 'orders', partitions: [{ partition: 0, offset: '1' }, entry as never] }))
    expect(error).toBeInstanceOf(KafkaJSNonRetriableError)
    expect(error.message).toBe(message)
    expect(snapshot(cluster)).toEqual(before)
  })

  it('an unknown topic: UNKNOWN_TOPIC_OR_PARTITION, and no group is created', async () => {
    const { cluster, admin } = setup()
    const before = snapshot(cluster)
    const error = await failure(admin.setOffsets({ groupId: 'g', topic: 'missing', partitions: [{ partition: 0, offset: '1' }] }))
    expect(error).toBeInstanceOf(KafkaJSProtocolError)
    expect(error.type).toBe('UNKNOWN_TOPIC_OR_PARTITION')
    expect(snapshot(cluster)).toEqual(before)
  })
})

describe('deleteTopicRecords refused', () => {
  it('beyond the high watermark: OFFSET_OUT_OF_RANGE per partition, wrapped by the retrier as non-retriable', async () => {
    const { cluster, kafka, admin } = setup()
    await createdTopic(admin, 'orders')
    await produce(kafka, 'orders', 3)
    const before = snapshot(cluster)
    const error = await failure(admin.deleteTopicRecords({ topic: 'orders', partitions: [{ partition: 0, offset: '4' }] }))
    expect(error).toBeInstanceOf(KafkaJSNonRetriableError)
    expect(error.message).toBe('Error while deleting records')
    expect(error.cause).toBeInstanceOf(KafkaJSDeleteTopicRecordsError)
    expect(error.cause.retriable).toBe(false)
    expect(error.cause.partitions).toHaveLength(1)
    expect(error.cause.partitions[0]).toMatchObject({ partition: 0, offset: '4', error: { name: 'KafkaJSProtocolError', type: 'OFFSET_OUT_OF_RANGE' } })
    expect(snapshot(cluster)).toEqual(before)
  })

  it('a partition the topic does not have: KafkaJSDeleteTopicRecordsError naming it, before any deletion', async () => {
    const { cluster, kafka, admin } = setup()
    await createdTopic(admin, 'orders')
    await produce(kafka, 'orders', 3)
    const before = snapshot(cluster)
    const error = await failure(
      admin.deleteTopicRecords({
        topic: 'orders',
        partitions: [
          { partition: 0, offset: '1' },
          { partition: 7, offset: '1' },
        ],
      }),
    )
    expect(error).toBeInstanceOf(KafkaJSDeleteTopicRecordsError)
    expect(error.retriable).toBe(false)
    expect(error.partitions).toEqual([{ partition: 7, offset: '1', error: expect.any(KafkaJSBrokerNotFound) }])
    expect(error.partitions[0].error).toMatchObject({ message: 'Could not find the leader for the partition', retriable: false })
    expect(snapshot(cluster)).toEqual(before)
  })

  it('an unknown topic: retried, then KafkaJSNumberOfRetriesExceeded', async () => {
    const { cluster, admin } = setup()
    const before = snapshot(cluster)
    const error = await failure(admin.deleteTopicRecords({ topic: 'missing', partitions: [{ partition: 0, offset: '1' }] }))
    expect(error).toBeInstanceOf(KafkaJSNumberOfRetriesExceeded)
    expect(snapshot(cluster)).toEqual(before)
  })

  it('an offset that is not a long is non-retriable, nothing deleted', async () => {
    const { cluster, kafka, admin } = setup()
    await createdTopic(admin, 'orders')
    await produce(kafka, 'orders', 3)
    const before = snapshot(cluster)
    const error = await failure(admin.deleteTopicRecords({ topic: 'orders', partitions: [{ partition: 0, offset: 'two' }] }))
    expect(error).toBeInstanceOf(KafkaJSNonRetriableError)
    expect(error.message).toBe('Invalid offset, expected a long received two')
    expect(snapshot(cluster)).toEqual(before)
  })
})

describe('deleteGroups refused', () => {
  it('a group with members: KafkaJSDeleteGroupsError with NON_EMPTY_GROUP, the group untouched', async () => {
    const { cluster, kafka, admin } = setup()
    await createdTopic(admin, 'orders')
    const consumer = await runningConsumer(cluster, kafka, 'busy', 'orders')
    const before = snapshot(cluster).groups
    const error = await failure(admin.deleteGroups(['busy']))
    expect(error).toBeInstanceOf(KafkaJSDeleteGroupsError)
    expect(error.message).toBe('Error in DeleteGroups')
    expect(error.groups).toEqual([{ groupId: 'busy', errorCode: 68, error: expect.any(KafkaJSProtocolError) }])
    expect(error.groups[0].error.type).toBe('NON_EMPTY_GROUP')
    expect(snapshot(cluster).groups).toEqual(before)
    await consumer.disconnect()
  })

  it('an unknown group: GROUP_ID_NOT_FOUND', async () => {
    const { admin } = setup()
    const error = await failure(admin.deleteGroups(['nobody']))
    expect(error).toBeInstanceOf(KafkaJSDeleteGroupsError)
    expect(error.groups.map((g: { groupId: string; errorCode: number; error: KafkaJSProtocolError }) => [g.groupId, g.errorCode, g.error.type])).toEqual([
      ['nobody', 69, 'GROUP_ID_NOT_FOUND'],
    ])
  })

  it('only the failures are reported; the deletable groups are deleted', async () => {
    const { cluster, kafka, admin } = setup()
    await createdTopic(admin, 'orders')
    await admin.setOffsets({ groupId: 'idle', topic: 'orders', partitions: [{ partition: 0, offset: '0' }] })
    const consumer = await runningConsumer(cluster, kafka, 'busy', 'orders')
    const error = await failure(admin.deleteGroups(['idle', 'busy']))
    expect(error.groups.map((g: { groupId: string }) => g.groupId)).toEqual(['busy'])
    expect(cluster.describe().groups.map((g) => g.groupId)).toEqual(['busy'])
    await consumer.disconnect()
  })
})

describe('configs refused', () => {
  it('describeConfigs of an unknown topic: UNKNOWN_TOPIC_OR_PARTITION', async () => {
    const { admin } = setup()
    const error = await failure(admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: 'missing' }] }))
    expect(error).toBeInstanceOf(KafkaJSProtocolError)
    expect(error.type).toBe('UNKNOWN_TOPIC_OR_PARTITION')
  })

  it('describeConfigs of a broker the cluster does not have: KafkaJSBrokerNotFound', async () => {
    const { admin } = setup()
    const error = await failure(admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.BROKER, name: '7' }] }))
    expect(error).toBeInstanceOf(KafkaJSBrokerNotFound)
    expect(error.message).toBe('Broker 7 not found in the cached metadata')
  })

  it.each([
    ['an unknown config', { name: 'no.such.config', value: '1' }, 'INVALID_CONFIG'],
    ['a value of the wrong type', { name: 'retention.ms', value: 'forever' }, 'INVALID_CONFIG'],
    ['a value outside its choices', { name: 'cleanup.policy', value: 'sometimes' }, 'INVALID_CONFIG'],
  ])('alterConfigs with %s: %s, configs untouched', async (_label, entry, type) => {
    const { cluster, admin } = setup()
    await admin.createTopics({ topics: [{ topic: 'orders', configEntries: [{ name: 'retention.ms', value: '1000' }] }] })
    const before = snapshot(cluster)
    const error = await failure(admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: 'orders', configEntries: [entry] }] }))
    expect(error).toBeInstanceOf(KafkaJSProtocolError)
    expect(error.type).toBe(type)
    expect(snapshot(cluster)).toEqual(before)
  })

  it('alterConfigs of an unknown topic: UNKNOWN_TOPIC_OR_PARTITION, nothing created', async () => {
    const { cluster, admin } = setup()
    const before = snapshot(cluster)
    const error = await failure(
      admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: 'missing', configEntries: [{ name: 'retention.ms', value: '1' }] }] }),
    )
    expect(error.type).toBe('UNKNOWN_TOPIC_OR_PARTITION')
    expect(snapshot(cluster)).toEqual(before)
  })
})
