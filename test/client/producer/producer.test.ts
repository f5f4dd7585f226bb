/**
 * The kafkajs producer as a user sees it (kafkajs 2.2.4, src/producer/index.js,
 * messageProducer.js, sendMessages.js): connecting, the shape of a send's result, acks, how
 * keys, values, headers and timestamps travel to a consumer, topic auto-creation, the broker's
 * refusals (MESSAGE_TOO_LARGE, INVALID_RECORD, NOT_ENOUGH_REPLICAS), events, transaction() without
 * a transactional id, and partitioning agreeing with kafkajs's own partitioners.
 */
import { createRequire } from 'node:module'
import type * as KafkaJS from 'kafkajs'
import { afterEach, describe, expect, it } from 'vitest'
import {
  Cluster,
  KafkaJSError,
  KafkaJSNonRetriableError,
  KafkaJSNotImplemented,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSProtocolError,
  ManualClock,
  Partitioners,
  logLevel,
  type ClusterOptions,
  type ICustomPartitioner,
  type KafkaMessage,
  type ProducerConfig,
} from '../../../src/index.js'

// kafkajs is the oracle for partitioning.
const require = createRequire(import.meta.url)
const kafkajs = require('kafkajs') as typeof KafkaJS

// -------------------------------------------------------------------------------------------
// Harness

const cleanups: (() => Promise<void>)[] = []

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

interface TopicSpec {
  partitions?: number
  replicationFactor?: number
  configs?: Record<string, string>
}

/** A fresh cluster with the given topics, a connected admin, and a connected producer. */
async function start(options: { topics?: Record<string, TopicSpec>; cluster?: ClusterOptions; producer?: ProducerConfig } = {}) {
  const cluster = new Cluster({ brokers: 3, seed: 1, ...options.cluster })
  const kafka = cluster.kafka({ clientId: 't', logLevel: logLevel.NOTHING })
  const admin = kafka.admin()
  await admin.connect()
  const specs = Object.entries(options.topics ?? {}).map(([topic, spec]) => ({
    topic,
    numPartitions: spec.partitions ?? 1,
    replicationFactor: spec.replicationFactor ?? 1,
    configEntries: Object.entries(spec.configs ?? {}).map(([name, value]) => ({ name, value })),
  }))
  if (specs.length > 0) await admin.createTopics({ topics: specs })
  const producer = kafka.producer(options.producer)
  await producer.connect()
  const consumers: { disconnect(): Promise<void> }[] = []
  cleanups.push(async () => {
    for (const c of consumers) await c.disconnect().catch(() => {})
    await producer.disconnect().catch(() => {})
    await admin.disconnect().catch(() => {})
    await cluster.close()
  })

  /** Everything in the topic, read by a fresh group from the beginning, in offset order per partition. */
  const consumeAll = async (topic: string): Promise<(KafkaMessage & { partition: number })[]> => {
    const consumer = kafka.consumer({ groupId: `reader-${consumers.length}` })
    consumers.push(consumer)
    await consumer.connect()
    await consumer.subscribe({ topics: [topic], fromBeginning: true })
    const seen: (KafkaMessage & { partition: number })[] = []
    await consumer.run({ eachMessage: async ({ partition, message }) => void seen.push({ ...message, partition }) })
    await cluster.settle()
    await consumer.disconnect()
    return seen.sort((a, b) => a.partition - b.partition || Number(a.offset) - Number(b.offset))
  }

  /** Per partition: [logStartOffset, highWatermark, logEndOffset]. */
  const watermarks = (topic: string): [number, number, number][] =>
    cluster
      .describe()
      .topics.find((t) => t.name === topic)!
      .partitions.map((p) => [p.logStartOffset, p.highWatermark, p.logEndOffset])

  return { cluster, kafka, admin, producer, consumeAll, watermarks }
}

/** The rejection of a promise that must reject. */
async function rejectionOf(promise: Promise<unknown>): Promise<any> {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error('expected the promise to reject')
}

const fastRetry = { retries: 1, initialRetryTime: 1, maxRetryTime: 1 }

// -------------------------------------------------------------------------------------------

describe('connecting', () => {
  it('rejects a send before connect with a retriable KafkaJSError', async () => {
    const cluster = new Cluster({ seed: 1 })
    cleanups.push(() => cluster.close())
    const producer = cluster.kafka({ logLevel: logLevel.NOTHING }).producer()
    const error = await rejectionOf(producer.send({ topic: 't', messages: [{ value: 'v' }] }))
    expect(error).toBeInstanceOf(KafkaJSError)
    expect(error).not.toBeInstanceOf(KafkaJSNonRetriableError)
    expect(error.message).toBe('The producer is disconnected')
    expect(error.retriable).toBe(true)
    // Nothing reached the cluster: the topic was not even auto-created.
    expect(cluster.describe().topics).toEqual([])
  })

  it('rejects a send after disconnect the same way, and works again after reconnecting', async () => {
    const { producer, watermarks } = await start({ topics: { t: {} } })
    await producer.disconnect()
    const error = await rejectionOf(producer.send({ topic: 't', messages: [{ value: 'v' }] }))
    expect(error.message).toBe('The producer is disconnected')
    await producer.connect()
    await producer.send({ topic: 't', messages: [{ value: 'v' }] })
    expect(watermarks('t')).toEqual([[0, 1, 1]])
  })

  it('emits producer.connect and producer.disconnect with the clock time', async () => {
    const clock = new ManualClock(1_000)
    const cluster = new Cluster({ clock, seed: 1 })
    cleanups.push(() => cluster.close())
    const producer = cluster.kafka({ logLevel: logLevel.NOTHING }).producer()
    const events: { type: string; timestamp: number }[] = []
    producer.on(producer.events.CONNECT, ({ type, timestamp }) => void events.push({ type, timestamp }))
    const remove = producer.on('producer.disconnect', ({ type, timestamp }) => void events.push({ type, timestamp }))
    await producer.connect()
    await clock.advance(5)
    await producer.disconnect()
    expect(events).toEqual([
      { type: 'producer.connect', timestamp: 1_000 },
      { type: 'producer.disconnect', timestamp: 1_005 },
    ])
    remove()
    await producer.connect()
    await producer.disconnect()
    expect(events.map((e) => e.type)).toEqual(['producer.connect', 'producer.disconnect', 'producer.connect'])
  })

  it('refuses to listen to an unknown event, listing the producer events', async () => {
    const cluster = new Cluster({ seed: 1 })
    cleanups.push(() => cluster.close())
    const producer = cluster.kafka({ logLevel: logLevel.NOTHING }).producer()
    expect(() => producer.on('producer.nope' as never, () => {})).toThrow(KafkaJSNonRetriableError)
    expect(() => producer.on('consumer.heartbeat' as never, () => {})).toThrow(
      'Event name should be one of producer.events.CONNECT, producer.events.DISCONNECT, producer.events.REQUEST, producer.events.REQUEST_TIMEOUT, producer.events.REQUEST_QUEUE_SIZE',
    )
    // The same table as kafkajs's producer.events.
    expect(producer.events).toEqual(new kafkajs.Kafka({ brokers: ['localhost:1'], logLevel: 0 }).producer().events)
  })
})

describe('the result of a send', () => {
  it('has one entry per partition written, with the base offset of its batch', async () => {
    const { producer } = await start({ topics: { t: { partitions: 2 } } })
    const first = await producer.send({
      topic: 't',
      messages: [
        { value: 'a', partition: 0 },
        { value: 'b', partition: 1 },
        { value: 'c', partition: 0 },
      ],
    })
    // (Sorted: the order follows the partitions' leaders, tested below.)
    expect(first.sort((a, b) => a.partition - b.partition)).toEqual([
      { topicName: 't', partition: 0, errorCode: 0, baseOffset: '0', logAppendTime: '-1', logStartOffset: '0' },
      { topicName: 't', partition: 1, errorCode: 0, baseOffset: '0', logAppendTime: '-1', logStartOffset: '0' },
    ])
    const second = await producer.send({ topic: 't', messages: [{ value: 'd', partition: 0 }] })
    expect(second).toEqual([{ topicName: 't', partition: 0, errorCode: 0, baseOffset: '2', logAppendTime: '-1', logStartOffset: '0' }])
  })

  it('lists partitions in kafkajs order: by leader, each leader’s partitions ascending', async () => {
    // One broker: every partition has the same leader, so the order is by partition number,
    // whatever order the messages came in.
    const { producer } = await start({ cluster: { brokers: 1 }, topics: { t: { partitions: 3 } } })
    const result = await producer.send({
      topic: 't',
      messages: [2, 0, 1, 2].map((partition) => ({ value: 'v', partition })),
    })
    expect(result.map((r) => r.partition)).toEqual([0, 1, 2])
  })

  it('orders partitions of different leaders by leader id first', async () => {
    const { producer, cluster } = await start({ topics: { t: { partitions: 6, replicationFactor: 2 } } })
    const leaders = new Map(cluster.describe().topics[0]!.partitions.map((p) => [p.partition, p.leader]))
    expect(new Set(leaders.values()).size).toBe(3)
    const result = await producer.send({ topic: 't', messages: [5, 4, 3, 2, 1, 0].map((partition) => ({ value: 'v', partition })) })
    const expected = [0, 1, 2, 3, 4, 5].sort((a, b) => leaders.get(a)! - leaders.get(b)! || a - b)
    expect(result.map((r) => r.partition)).toEqual(expected)
  })

  it('reports the log start offset after records were deleted', async () => {
    const { producer, admin } = await start({ topics: { t: {} } })
    await producer.send({ topic: 't', messages: [{ value: '0' }, { value: '1' }, { value: '2' }] })
    await admin.deleteTopicRecords({ topic: 't', partitions: [{ partition: 0, offset: '2' }] })
    const [result] = await producer.send({ topic: 't', messages: [{ value: '3' }] })
    expect(result).toMatchObject({ baseOffset: '3', logStartOffset: '2' })
  })

  it('is [] with acks=0, and the data is still written', async () => {
    const { producer, watermarks, consumeAll } = await start({ topics: { t: {} } })
    expect(await producer.send({ topic: 't', acks: 0, messages: [{ value: 'a' }, { value: 'b' }] })).toEqual([])
    expect(watermarks('t')).toEqual([[0, 2, 2]])
    expect((await consumeAll('t')).map((m) => m.value!.toString())).toEqual(['a', 'b'])
  })

  it('is the same with acks=1 and acks=-1 (all)', async () => {
    const { producer } = await start({ topics: { t: { replicationFactor: 3 } } })
    const one = await producer.send({ topic: 't', acks: 1, messages: [{ value: 'a' }] })
    const all = await producer.send({ topic: 't', acks: -1, messages: [{ value: 'b' }] })
    const byDefault = await producer.send({ topic: 't', messages: [{ value: 'c' }] })
    expect([one, all, byDefault].map((r) => r.map((e) => e.baseOffset))).toEqual([['0'], ['1'], ['2']])
  })

  it('is [] for an empty message list, which writes nothing', async () => {
    const { producer, watermarks } = await start({ topics: { t: {} } })
    expect(await producer.send({ topic: 't', messages: [] })).toEqual([])
    expect(watermarks('t')).toEqual([[0, 0, 0]])
  })

  it('fails an acks value Kafka does not know with INVALID_REQUIRED_ACKS, writing nothing', async () => {
    const { producer, watermarks } = await start({ topics: { t: {} } })
    const error = await rejectionOf(producer.send({ topic: 't', acks: 2, messages: [{ value: 'a' }] }))
    expect(error).toBeInstanceOf(KafkaJSProtocolError)
    expect(error.type).toBe('INVALID_REQUIRED_ACKS')
    expect(watermarks('t')).toEqual([[0, 0, 0]])
  })
})

describe('sendBatch', () => {
  it('merges entries for the same topic into one batch per partition, in order', async () => {
    const { producer, consumeAll } = await start({ topics: { t: {}, u: {} } })
    const result = await producer.sendBatch({
      topicMessages: [
        { topic: 't', messages: [{ value: 't1' }] },
        { topic: 'u', messages: [{ value: 'u1' }] },
        { topic: 't', messages: [{ value: 't2' }, { value: 't3' }] },
      ],
    })
    expect(result.map((r) => [r.topicName, r.partition, r.baseOffset]).sort()).toEqual([
      ['t', 0, '0'],
      ['u', 0, '0'],
    ])
    expect((await consumeAll('t')).map((m) => [m.offset, m.value!.toString()])).toEqual([
      ['0', 't1'],
      ['1', 't2'],
      ['2', 't3'],
    ])
  })

  // The producer groups a send's messages by partition (issue 15): each partition gets one batch
  // holding its messages in the order they were given, whether the partitions come in order,
  // scattered over a few partitions, or scattered over many more partitions than messages.
  it.each([
    ['in ascending order', 6, [0, 0, 1, 3, 3, 5]],
    ['scattered over a few partitions', 6, [3, 1, 3, 0, 1, 5, 0, 3]],
    ['scattered over many more partitions than messages', 40, [37, 2, 37, 19, 0, 2, 39]],
  ])('writes one batch per partition, each in send order, with messages %s', async (_case, partitions, targets) => {
    const { producer, consumeAll } = await start({ topics: { t: { partitions } } })
    const messages = targets.map((partition, i) => ({ partition, value: `m${i}` }))
    const result = await producer.sendBatch({ topicMessages: [{ topic: 't', messages }] })
    const written = [...new Set(targets)].sort((a, b) => a - b)
    expect(result.map((r) => r.partition).sort((a, b) => a - b)).toEqual(written)
    expect(result.every((r) => r.baseOffset === '0')).toBe(true)
    const expected = written.flatMap((partition) =>
      targets.flatMap((target, i) => (target === partition ? [[partition, `m${i}`]] : [])).map(([p, v], offset) => [p, String(offset), v]),
    )
    expect((await consumeAll('t')).map((m) => [m.partition, m.offset, m.value!.toString()])).toEqual(expected)
  })

  it('accepts no topicMessages at all', async () => {
    const { producer } = await start()
    expect(await producer.sendBatch({})).toEqual([])
  })
})

describe('what a consumer reads back', () => {
  it('turns string, Buffer and array header values into what kafkajs decodes', async () => {
    const { producer, consumeAll } = await start({ topics: { t: {} } })
    await producer.send({
      topic: 't',
      messages: [{ value: 'v', headers: { s: 'text', b: Buffer.from([1, 2]), many: ['x', Buffer.from('y')], one: ['only'], empty: '' } }],
    })
    const [message] = await consumeAll('t')
    expect(message!.headers).toEqual({
      s: Buffer.from('text'),
      b: Buffer.from([1, 2]),
      // Repeated headers come back as an array; a one-element array as a single Buffer.
      many: [Buffer.from('x'), Buffer.from('y')],
      one: Buffer.from('only'),
      empty: Buffer.alloc(0),
    })
  })

  it('gives no headers as {}', async () => {
    const { producer, consumeAll } = await start({ topics: { t: {} } })
    await producer.send({ topic: 't', messages: [{ value: 'v' }, { value: 'w', headers: {} }] })
    expect((await consumeAll('t')).map((m) => m.headers)).toEqual([{}, {}])
  })

  it('keeps Buffer keys and values byte for byte, and writes other byte-like values as kafkajs does (their String())', async () => {
    const { producer, consumeAll } = await start({ topics: { t: {} } })
    const bytes = Buffer.from([0, 255, 128, 7])
    await producer.send({
      topic: 't',
      messages: [
        { key: bytes, value: bytes },
        { key: 'k', value: 'é' },
        { key: new Uint8Array([1, 2]) as never, value: new ArrayBuffer(2) as never },
        { key: '', value: '' },
      ],
    })
    const read = await consumeAll('t')
    // Numbers, booleans and plain objects are refused as kafkajs refuses them (producer-bad-input.test.ts).
    expect(read.map((m) => [m.key, m.value])).toEqual([
      [bytes, bytes],
      [Buffer.from('k'), Buffer.from('é')],
      [Buffer.from('1,2'), Buffer.from('[object ArrayBuffer]')],
      [Buffer.alloc(0), Buffer.alloc(0)],
    ])
  })

  it('copies the bytes on send: changing the Buffer afterwards changes nothing', async () => {
    const { producer, consumeAll } = await start({ topics: { t: {} } })
    const value = Buffer.from('before')
    await producer.send({ topic: 't', messages: [{ value }] })
    value.write('AFTER!')
    expect((await consumeAll('t'))[0]!.value!.toString()).toBe('before')
  })

  it('reads a missing or null key as null', async () => {
    const { producer, consumeAll } = await start({ topics: { t: {} } })
    await producer.send({ topic: 't', messages: [{ value: 'a' }, { key: null, value: 'b' }] })
    expect((await consumeAll('t')).map((m) => m.key)).toEqual([null, null])
  })

  it('stores a tombstone (value null) and reads it back as null, key intact', async () => {
    const { producer, consumeAll } = await start({ topics: { t: {}, compacted: { configs: { 'cleanup.policy': 'compact' } } } })
    for (const topic of ['t', 'compacted']) {
      const [result] = await producer.send({ topic, messages: [{ key: 'k', value: 'v' }, { key: 'k', value: null }] })
      expect(result!.baseOffset).toBe('0')
      expect((await consumeAll(topic)).map((m) => [m.key!.toString(), m.value])).toEqual([
        ['k', Buffer.from('v')],
        ['k', null],
      ])
    }
  })

  it('sends a message with an explicit partition there, whatever its key', async () => {
    const { producer, consumeAll } = await start({ topics: { t: { partitions: 4 } } })
    const result = await producer.send({ topic: 't', messages: [{ key: 'same', value: 'a', partition: 3 }, { key: 'same', value: 'b', partition: 1 }] })
    expect(result.map((r) => r.partition)).toEqual([1, 3])
    expect((await consumeAll('t')).map((m) => [m.partition, m.value!.toString()])).toEqual([
      [1, 'b'],
      [3, 'a'],
    ])
  })
})

describe('timestamps', () => {
  it('keeps the producer’s CreateTime, and stamps the clock’s time on messages without one', async () => {
    const clock = new ManualClock(1_700_000_000_000)
    const { producer, consumeAll } = await start({ cluster: { clock }, topics: { t: {} } })
    const [result] = await producer.send({ topic: 't', messages: [{ value: 'a', timestamp: '12345' }, { value: 'b' }] })
    expect(result!.logAppendTime).toBe('-1')
    await clock.advance(10)
    await producer.send({ topic: 't', messages: [{ value: 'c' }] })
    const read = await consumeAll('t')
    expect(read.map((m) => m.timestamp)).toEqual(['12345', '1700000000000', '1700000000010'])
  })

  it('replaces every timestamp by the broker’s time on a LogAppendTime topic, and reports it', async () => {
    const clock = new ManualClock(5_000)
    const { producer, consumeAll } = await start({
      cluster: { clock },
      topics: { t: { configs: { 'message.timestamp.type': 'LogAppendTime' } } },
    })
    const [first] = await producer.send({ topic: 't', messages: [{ value: 'a', timestamp: '12345' }, { value: 'b' }] })
    expect(first).toMatchObject({ baseOffset: '0', logAppendTime: '5000' })
    await clock.advance(250)
    const [second] = await producer.send({ topic: 't', messages: [{ value: 'c', timestamp: '1' }] })
    expect(second).toMatchObject({ baseOffset: '2', logAppendTime: '5250' })
    expect((await consumeAll('t')).map((m) => m.timestamp)).toEqual(['5000', '5000', '5250'])
  })
})

describe('topics that do not exist yet', () => {
  it('are created on first send with the broker’s num.partitions (allowAutoTopicCreation defaults to true)', async () => {
    const { producer, cluster } = await start({ cluster: { brokerConfig: { 'num.partitions': 4 } } })
    const result = await producer.send({ topic: 'fresh', messages: [{ key: 'k', value: 'v' }] })
    expect(result).toHaveLength(1)
    const topic = cluster.describe().topics.find((t) => t.name === 'fresh')!
    expect(topic.partitions).toHaveLength(4)
    expect(topic.partitions.reduce((sum, p) => sum + p.highWatermark, 0)).toBe(1)
  })

  it('are not created with allowAutoTopicCreation: false: UNKNOWN_TOPIC_OR_PARTITION is retried, then KafkaJSNumberOfRetriesExceeded', async () => {
    const { producer, cluster } = await start({ producer: { allowAutoTopicCreation: false, retry: fastRetry } })
    const error = await rejectionOf(producer.send({ topic: 'missing', messages: [{ value: 'v' }] }))
    expect(error).toBeInstanceOf(KafkaJSNumberOfRetriesExceeded)
    expect(error.retryCount).toBe(1)
    expect(error.cause).toBeInstanceOf(KafkaJSProtocolError)
    expect(error.cause.type).toBe('UNKNOWN_TOPIC_OR_PARTITION')
    expect(cluster.describe().topics.map((t) => t.name)).toEqual([])
  })

  it('are not created when the broker has auto.create.topics.enable=false', async () => {
    const { producer, cluster } = await start({ cluster: { brokerConfig: { 'auto.create.topics.enable': false } }, producer: { retry: fastRetry } })
    const error = await rejectionOf(producer.send({ topic: 'missing', messages: [{ value: 'v' }] }))
    expect(error).toBeInstanceOf(KafkaJSNumberOfRetriesExceeded)
    expect(cluster.describe().topics).toEqual([])
  })

  it('succeed once the topic appears during the retries', async () => {
    const clock = new ManualClock()
    const { producer, admin, watermarks } = await start({
      cluster: { clock },
      producer: { allowAutoTopicCreation: false, retry: { retries: 5, initialRetryTime: 100 } },
    })
    const sending = producer.send({ topic: 'later', messages: [{ value: 'v' }] })
    await clock.advance(1)
    await admin.createTopics({ topics: [{ topic: 'later' }] })
    await clock.advance(1_000)
    expect(await sending).toMatchObject([{ topicName: 'later', baseOffset: '0' }])
    expect(watermarks('later')).toEqual([[0, 1, 1]])
  })

  // kafkajs's addMultipleTargetTopics restores the previous target topics when the new ones'
  // metadata fails (UNKNOWN_TOPIC_OR_PARTITION, INVALID_TOPIC_EXCEPTION, TOPIC_AUTHORIZATION_FAILED).
  it('does not poison the producer: a send to an existing topic works after a failed one', async () => {
    const { producer, watermarks } = await start({ topics: { good: {} }, producer: { allowAutoTopicCreation: false, retry: fastRetry } })
    await rejectionOf(producer.send({ topic: 'missing', messages: [{ value: 'v' }] }))
    await producer.send({ topic: 'good', messages: [{ value: 'v' }] })
    expect(watermarks('good')).toEqual([[0, 1, 1]])
  })
})

describe('what the broker refuses', () => {
  it('a batch over max.message.bytes: MESSAGE_TOO_LARGE, not retried, nothing written', async () => {
    const clock = new ManualClock()
    const { producer, watermarks } = await start({ cluster: { clock }, topics: { t: { configs: { 'max.message.bytes': '1000' } } } })
    // No clock advance: a retry would wait for one, so the send must settle without retrying.
    const error = await rejectionOf(producer.send({ topic: 't', messages: [{ value: Buffer.alloc(2_000) }] }))
    expect(error).toBeInstanceOf(KafkaJSProtocolError)
    expect(error.type).toBe('MESSAGE_TOO_LARGE')
    expect(error.retriable).toBe(false)
    expect(watermarks('t')).toEqual([[0, 0, 0]])
    // Just under the limit is fine: 61 bytes of batch header and 8 of record overhead.
    await producer.send({ topic: 't', messages: [{ value: Buffer.alloc(1_000 - 61 - 8) }] })
    expect(watermarks('t')).toEqual([[0, 1, 1]])
  })

  it('counts the whole batch, so many small messages can be too large together', async () => {
    const { producer, watermarks } = await start({ topics: { t: { configs: { 'max.message.bytes': '1000' } } } })
    const messages = Array.from({ length: 20 }, () => ({ value: Buffer.alloc(100) }))
    const error = await rejectionOf(producer.send({ topic: 't', messages }))
    expect(error.type).toBe('MESSAGE_TOO_LARGE')
    expect(watermarks('t')).toEqual([[0, 0, 0]])
  })

  it('judges each partition on its own: the partition under the limit is written', async () => {
    const { producer, watermarks } = await start({ cluster: { brokers: 1 }, topics: { t: { partitions: 2, configs: { 'max.message.bytes': '1000' } } } })
    const error = await rejectionOf(
      producer.send({
        topic: 't',
        messages: [
          { value: 'small', partition: 0 },
          { value: Buffer.alloc(2_000), partition: 1 },
        ],
      }),
    )
    expect(error.type).toBe('MESSAGE_TOO_LARGE')
    // As with a real broker, the other partition's batch in the same request was appended.
    expect(watermarks('t')).toEqual([
      [0, 1, 1],
      [0, 0, 0],
    ])
  })

  it('a keyless message on a compacted topic: INVALID_RECORD, nothing written', async () => {
    const { producer, watermarks } = await start({ topics: { t: { configs: { 'cleanup.policy': 'compact' } } } })
    const error = await rejectionOf(producer.send({ topic: 't', messages: [{ key: 'k', value: 'a' }, { value: 'no key' }] }))
    expect(error).toBeInstanceOf(KafkaJSProtocolError)
    expect(error.type).toBe('INVALID_RECORD')
    expect(error.retriable).toBe(false)
    expect(watermarks('t')).toEqual([[0, 0, 0]])
    await producer.send({ topic: 't', messages: [{ key: 'k', value: 'a' }] })
    expect(watermarks('t')).toEqual([[0, 1, 1]])
  })

  it('a write to an internal topic: INVALID_TOPIC_EXCEPTION, nothing written', async () => {
    const { producer, cluster } = await start()
    const error = await rejectionOf(producer.send({ topic: '__consumer_offsets', messages: [{ key: 'k', value: 'v' }] }))
    expect(error).toBeInstanceOf(KafkaJSProtocolError)
    expect(error.type).toBe('INVALID_TOPIC_EXCEPTION')
    const internal = cluster.describe().topics.find((t) => t.name === '__consumer_offsets')
    for (const p of internal?.partitions ?? []) expect(p.logEndOffset).toBe(0)
  })

  it('acks=-1 while the ISR is below min.insync.replicas: NOT_ENOUGH_REPLICAS, retried, then KafkaJSNumberOfRetriesExceeded', async () => {
    const { producer, cluster, watermarks } = await start({
      topics: { t: { replicationFactor: 3, configs: { 'min.insync.replicas': '3' } } },
      producer: { retry: fastRetry },
    })
    // White-box: shrink the ISR to the leader and one follower, as a broker failure would.
    const partition = cluster.controller.topic('t')!.partitions[0]!
    partition.isr = partition.isr.slice(0, 2)
    const error = await rejectionOf(producer.send({ topic: 't', acks: -1, messages: [{ value: 'v' }] }))
    expect(error).toBeInstanceOf(KafkaJSNumberOfRetriesExceeded)
    expect(error.cause).toBeInstanceOf(KafkaJSProtocolError)
    expect(error.cause.type).toBe('NOT_ENOUGH_REPLICAS')
    expect(error.cause.retriable).toBe(true)
    expect(watermarks('t')).toEqual([[0, 0, 0]])
    // acks=1 does not ask for the ISR.
    await producer.send({ topic: 't', acks: 1, messages: [{ value: 'v' }] })
    expect(watermarks('t')).toEqual([[0, 1, 1]])
  })

  it('acks=-1 with min.insync.replicas above the replication factor: accepted (Kafka 3.7+, KAFKA-15583)', async () => {
    // Since 3.7 the broker uses min(min.insync.replicas, replication factor) as the minimum.
    const { producer, watermarks } = await start({ topics: { t: { replicationFactor: 2, configs: { 'min.insync.replicas': '3' } } } })
    const [result] = await producer.send({ topic: 't', acks: -1, messages: [{ value: 'v' }] })
    expect(result!.baseOffset).toBe('0')
    expect(watermarks('t')).toEqual([[0, 1, 1]])
  })
})

describe('transactions without a transactional id', () => {
  it('asks for a transactional id when transaction() is called without one (kafkajs)', async () => {
    const { producer } = await start()
    const error = await rejectionOf(producer.transaction())
    expect(error).toBeInstanceOf(KafkaJSNonRetriableError)
    expect(error.message).toBe('Must provide transactional id for transactional producer')
    expect(producer.isIdempotent()).toBe(false)
  })
})

describe('metadata a refresh brings', () => {
  it('a partitioner sees each refresh as the brokers answer it: a moved leader at once, an unchanged topic unchanged', async () => {
    // The client keeps a topic's partition list when a refresh reads the same (issue 15); what
    // the partitioner sees must still be what the brokers said at the last refresh.
    const seen = new Map<string, { partitionId: number; leader: number; isr: number[] }[]>()
    const recording: ICustomPartitioner = () => ({ topic, partitionMetadata }) => {
      seen.set(topic, partitionMetadata.map(({ partitionId, leader, isr }) => ({ partitionId, leader, isr: [...isr] })))
      return 0
    }
    const { cluster, producer } = await start({
      topics: { a: { partitions: 3, replicationFactor: 3 }, b: { partitions: 3, replicationFactor: 3 } },
      // metadataMaxAge 0: every send refreshes every target topic first.
      producer: { createPartitioner: recording, metadataMaxAge: 0 },
    })
    const described = (topic: string) =>
      cluster
        .describe()
        .topics.find((t) => t.name === topic)!
        .partitions.map((p) => ({ partitionId: p.partition, leader: p.leader, isr: p.isr }))
    await producer.send({ topic: 'a', messages: [{ value: 'v' }] })
    await producer.send({ topic: 'b', messages: [{ value: 'v' }] })
    expect(seen.get('a')).toEqual(described('a'))
    const moved = described('a')[0]!.leader
    cluster.stopBroker(moved)
    expect(described('a')[0]!.leader).not.toBe(moved)
    await producer.send({ topic: 'a', messages: [{ value: 'v' }] })
    await producer.send({ topic: 'b', messages: [{ value: 'v' }] })
    expect(seen.get('a')).toEqual(described('a'))
    expect(seen.get('b')).toEqual(described('b'))
    expect(seen.get('a')!.some((p) => p.leader === moved || p.isr.includes(moved))).toBe(false)
    await cluster.startBroker(moved)
    await cluster.settle()
    await producer.send({ topic: 'b', messages: [{ value: 'v' }] })
    expect(seen.get('b')).toEqual(described('b'))
  })
})

describe('partitioning', () => {
  it('calls a custom partitioner as kafkajs does: once per message, in order, as a plain call with a fresh argument each time', async () => {
    const calls: { self: unknown; topic: string; value: string; args: object }[] = []
    const recording: ICustomPartitioner = () =>
      function (this: unknown, args) {
        calls.push({ self: this, topic: args.topic, value: String(args.message.value), args })
        return calls.length % 3
      }
    const { producer } = await start({ topics: { a: { partitions: 3, replicationFactor: 3 } }, producer: { createPartitioner: recording } })
    const sent = await producer.sendBatch({ topicMessages: [{ topic: 'a', messages: [{ value: 'm0' }, { value: 'm1' }, { value: 'm2' }, { value: 'm3' }] }] })
    expect(calls.map(({ self, topic, value }) => [self, topic, value])).toEqual([
      [undefined, 'a', 'm0'],
      [undefined, 'a', 'm1'],
      [undefined, 'a', 'm2'],
      [undefined, 'a', 'm3'],
    ])
    expect(new Set(calls.map((c) => c.args)).size).toBe(4)
    // m0 and m3 to partition 1, m1 to 2, m2 to 0.
    expect(sent.map((r) => [r.partition, r.baseOffset]).sort()).toEqual([
      [0, '0'],
      [1, '0'],
      [2, '0'],
    ])
  })

  /** kafkajs's choice of partition for `key` among `n` partitions that all have a leader. */
  function kafkajsPartition(createPartitioner: KafkaJS.ICustomPartitioner, key: string, n: number): number {
    const partitionMetadata = Array.from({ length: n }, (_, partitionId) => ({ partitionId, leader: 0, partitionErrorCode: 0, replicas: [0], isr: [0] }))
    return createPartitioner()({ topic: 't', partitionMetadata, message: { key, value: 'v' } })
  }

  const keys = Array.from({ length: 60 }, (_, i) => (i % 3 === 0 ? `user-${i}` : i % 3 === 1 ? String(i) : `${i}:${i * 7919}`))

  const cases: [string, ICustomPartitioner | undefined, KafkaJS.ICustomPartitioner][] = [
    ['the DefaultPartitioner (the default)', undefined, kafkajs.Partitioners.DefaultPartitioner],
    ['the LegacyPartitioner given as createPartitioner', Partitioners.LegacyPartitioner, kafkajs.Partitioners.LegacyPartitioner],
  ]
  for (const [name, ours, theirs] of cases) {
    it(`${name} puts every key where kafkajs's would`, async () => {
      const { producer, consumeAll } = await start({
        topics: { t: { partitions: 7 } },
        producer: ours ? { createPartitioner: ours } : {},
      })
      await producer.send({ topic: 't', messages: keys.map((key) => ({ key, value: key })) })
      const read = await consumeAll('t')
      expect(read).toHaveLength(keys.length)
      for (const m of read) expect([m.key!.toString(), m.partition]).toEqual([m.key!.toString(), kafkajsPartition(theirs, m.key!.toString(), 7)])
    })
  }

  it('the two partitioners disagree on some keys, so the choice is really applied', () => {
    const differ = keys.filter((k) => kafkajsPartition(kafkajs.Partitioners.DefaultPartitioner, k, 7) !== kafkajsPartition(kafkajs.Partitioners.LegacyPartitioner, k, 7))
    expect(differ.length).toBeGreaterThan(10)
  })

  it('spreads keyless messages round-robin over the partitions', async () => {
    const { producer, watermarks } = await start({ topics: { t: { partitions: 3 } } })
    for (let i = 0; i < 6; i++) await producer.send({ topic: 't', messages: [{ value: String(i) }] })
    expect(watermarks('t').map(([, hw]) => hw)).toEqual([2, 2, 2])
  })

  it('uses a custom partitioner written for kafkajs (called without arguments)', async () => {
    const { producer, watermarks } = await start({
      topics: { t: { partitions: 3 } },
      producer: { createPartitioner: () => ({ message }) => Number(message.value!.toString()) % 3 },
    })
    await producer.send({ topic: 't', messages: ['2', '5', '8', '1'].map((value) => ({ value })) })
    expect(watermarks('t').map(([, hw]) => hw)).toEqual([0, 1, 3])
  })
})
