/**
 * What the producer does with input it must refuse: each case checks the error's class (and
 * `type` for a protocol error, as kafkajs raises it), and that the cluster is exactly as it was
 * (cluster.describe() before and after, the clock reading aside).
 */
import { afterEach, describe, expect, it } from 'vitest'
import { createRequire } from 'node:module'
import {
  Cluster,
  KafkaJSError,
  KafkaJSNonRetriableError,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSProtocolError,
  ManualClock,
  logLevel,
  type Message,
  type Producer,
} from '../../../src/index.js'

const require = createRequire(import.meta.url)
const cleanups: (() => Promise<void>)[] = []

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

/** A cluster with topic 't' (3 partitions, one message in each) and a connected producer. */
async function start() {
  const cluster = new Cluster({ brokers: 3, seed: 1, clock: new ManualClock(1_000) })
  const kafka = cluster.kafka({ clientId: 't', logLevel: logLevel.NOTHING })
  const admin = kafka.admin()
  await admin.connect()
  await admin.createTopics({ topics: [{ topic: 't', numPartitions: 3, replicationFactor: 2, configEntries: [{ name: 'max.message.bytes', value: '1000' }] }] })
  await admin.disconnect()
  const producer = kafka.producer({ retry: { retries: 1, initialRetryTime: 1, maxRetryTime: 1 } })
  await producer.connect()
  await producer.send({ topic: 't', messages: [0, 1, 2].map((partition) => ({ value: 'seed', partition })) })
  cleanups.push(async () => {
    await producer.disconnect()
    await cluster.close()
  })
  return { cluster, producer }
}

/** The cluster as describe() shows it, without the clock reading. */
function snapshot(cluster: Cluster): unknown {
  const { time: _time, ...rest } = cluster.describe()
  return rest
}

/**
 * Runs `act`, which must reject, and returns the error after checking the cluster did not
 * change. A ManualClock drives the retries, so the time an error takes to surface is moved on.
 */
async function refused(cluster: Cluster, act: () => Promise<unknown>): Promise<any> {
  const before = snapshot(cluster)
  const outcome = act().then(
    () => ({ error: undefined as unknown, resolved: true }),
    (error: unknown) => ({ error, resolved: false }),
  )
  await cluster.advance(100)
  const { error, resolved } = await outcome
  expect(resolved, 'the send should have been refused').toBe(false)
  expect(snapshot(cluster)).toEqual(before)
  return error
}

const send = (producer: Producer, messages: Message[], topic = 't') => () => producer.send({ topic, messages })

describe('messages', () => {
  it('a message without a value (undefined): KafkaJSNonRetriableError naming the message', async () => {
    const { cluster, producer } = await start()
    const error = await refused(cluster, send(producer, [{ value: 'ok' }, { key: 'k' } as Message]))
    expect(error).toBeInstanceOf(KafkaJSNonRetriableError)
    expect(error.message).toBe('Invalid message without value for topic "t": {"key":"k"}')
  })

  it('a message with value undefined spelled out: the same, and JSON drops the undefined', async () => {
    const { cluster, producer } = await start()
    const error = await refused(cluster, send(producer, [{ key: 'k', value: undefined as never, partition: 1 }]))
    expect(error.message).toBe('Invalid message without value for topic "t": {"key":"k","partition":1}')
  })

  it('is checked before the connection: a disconnected producer still reports the bad message', async () => {
    const { cluster, producer } = await start()
    await producer.disconnect()
    const error = await refused(cluster, send(producer, [{ key: 'k' } as Message]))
    expect(error.message).toMatch(/^Invalid message without value/)
  })

  it('one bad entry in a sendBatch refuses the whole batch, the good entries too', async () => {
    const { cluster, producer } = await start()
    const error = await refused(cluster, () =>
      producer.sendBatch({
        topicMessages: [
          { topic: 't', messages: [{ value: 'good' }] },
          { topic: 'other', messages: [{ key: 'bad' } as Message] },
        ],
      }),
    )
    expect(error).toBeInstanceOf(KafkaJSNonRetriableError)
    expect(error.message).toBe('Invalid message without value for topic "other": {"key":"bad"}')
  })

  it('a missing messages array: KafkaJSNonRetriableError', async () => {
    const { cluster, producer } = await start()
    const error = await refused(cluster, () => producer.send({ topic: 't' } as never))
    expect(error).toBeInstanceOf(KafkaJSNonRetriableError)
    expect(error.message).toBe('Invalid messages array [undefined] for topic "t"')
    const nullError = await refused(cluster, () => producer.sendBatch({ topicMessages: [{ topic: 't', messages: null as never }] }))
    expect(nullError.message).toBe('Invalid messages array [null] for topic "t"')
  })

  // kafkajs 2.2.4 itself is the oracle: its record encoder, given the same message, throws the
  // error the send fails with (Node's TypeError ERR_INVALID_ARG_TYPE from Buffer.byteLength).
  const kafkajsRecord = require('kafkajs/src/protocol/recordBatch/record/v0') as (message: unknown) => unknown
  const kafkajsRefusal = (message: Message): { name: string; code: string; message: string } => {
    try {
      kafkajsRecord(message)
    } catch (e) {
      const error = e as { name: string; code: string; message: string }
      return { name: error.name, code: error.code, message: error.message }
    }
    throw new Error(`kafkajs encodes ${JSON.stringify(message)}`)
  }

  for (const [label, message] of [
    ['a header value undefined', { value: 'v', headers: { h: undefined } }],
    ['a header value null', { value: 'v', headers: { h: null } }],
    ['a header value 7', { value: 'v', headers: { h: 7 } }],
    ['a number among a header’s values', { value: 'v', headers: { h: [Buffer.from('a'), 8] } }],
    ['a value 123', { value: 123 }],
    ['a value true', { value: true }],
    ['a value {}', { value: {} }],
    ['a key 5', { key: 5, value: 'v' }],
    ['a key {} and a value 6 (the key is sized first)', { key: {}, value: 6 }],
  ] as const) {
    it(`${label}: the TypeError kafkajs’s encoder throws, nothing stored`, async () => {
      const { cluster, producer } = await start()
      const error = await refused(cluster, send(producer, [message as unknown as Message]))
      expect(error).toBeInstanceOf(TypeError)
      expect({ name: error.name, code: error.code, message: error.message }).toEqual(kafkajsRefusal(message as unknown as Message))
    })
  }

  it('a typed array or ArrayBuffer value is stored as the text kafkajs writes for it', async () => {
    const { cluster, producer } = await start()
    const kafka = cluster.kafka({ logLevel: logLevel.NOTHING })
    await producer.send({ topic: 't', messages: [{ value: new Uint8Array([65, 66]) as never, partition: 0 }, { value: new ArrayBuffer(1) as never, partition: 0 }] })
    const consumer = kafka.consumer({ groupId: 'typed-arrays' })
    await consumer.connect()
    await consumer.subscribe({ topics: ['t'], fromBeginning: true })
    const seen: string[] = []
    await consumer.run({ eachMessage: async ({ partition, message }) => void (partition === 0 && seen.push(message.value!.toString())) })
    while (seen.length < 3) await cluster.advance(100)
    await consumer.disconnect()
    // kafkajs: String(new Uint8Array([65, 66])) and String(new ArrayBuffer(1)).
    expect(seen).toEqual(['seed', '65,66', '[object ArrayBuffer]'])
  })
})

describe('topics', () => {
  for (const topic of [undefined, null, '']) {
    it(`a missing topic (${JSON.stringify(topic)}): KafkaJSNonRetriableError 'Invalid topic'`, async () => {
      const { cluster, producer } = await start()
      const error = await refused(cluster, () => producer.send({ topic: topic as never, messages: [{ value: 'v' }] }))
      expect(error).toBeInstanceOf(KafkaJSNonRetriableError)
      expect(error.message).toBe('Invalid topic')
    })
  }

  it('a missing topic in one sendBatch entry refuses the batch', async () => {
    const { cluster, producer } = await start()
    const error = await refused(cluster, () =>
      producer.sendBatch({ topicMessages: [{ topic: 't', messages: [{ value: 'v' }] }, { messages: [{ value: 'v' }] } as never] }),
    )
    expect(error.message).toBe('Invalid topic')
  })

  // kafkajs raises the metadata error outside its send's try block, so its retrier wraps the
  // non-retriable INVALID_TOPIC_EXCEPTION in a KafkaJSNonRetriableError; the protocol error,
  // with its type, is the cause.
  for (const [label, topic] of [
    ['a space', 'a b'],
    ['"."', '.'],
    ['".."', '..'],
    ['a slash', 'a/b'],
    ['250 characters', 'x'.repeat(250)],
  ] as const) {
    it(`an invalid topic name (${label}) with auto-creation: INVALID_TOPIC_EXCEPTION, nothing created`, async () => {
      const { cluster, producer } = await start()
      const error = await refused(cluster, send(producer, [{ value: 'v' }], topic))
      expect(error).toBeInstanceOf(KafkaJSNonRetriableError)
      expect(error.cause).toBeInstanceOf(KafkaJSProtocolError)
      expect(error.cause.type).toBe('INVALID_TOPIC_EXCEPTION')
      expect(error.message).toBe(error.cause.message)
    })
  }

  it('a topic name that is not a string (123): INVALID_TOPIC_EXCEPTION, nothing created, and the producer still works', async () => {
    const { cluster, producer } = await start()
    const error = await refused(cluster, send(producer, [{ value: 'v' }], 123 as never))
    expect(error).toBeInstanceOf(KafkaJSNonRetriableError)
    expect(error.cause.type).toBe('INVALID_TOPIC_EXCEPTION')
    const [meta] = await producer.send({ topic: 't', messages: [{ value: 'after', partition: 0 }] })
    expect(meta!.baseOffset).toBe('1')
  })

  it('two overlapping sends, one to an invalid topic: only that send fails, and the producer keeps working (kafkajs changes its target topics one at a time)', async () => {
    const { cluster, producer } = await start()
    const before = cluster.describe().topics.map((t) => t.name)
    const [bad, good] = await Promise.allSettled([
      producer.send({ topic: 'bad topic!', messages: [{ value: 'v' }] }),
      producer.send({ topic: 'fresh', messages: [{ value: 'v' }] }),
    ])
    expect(bad.status).toBe('rejected')
    expect(((bad as PromiseRejectedResult).reason as { cause: { type: string } }).cause.type).toBe('INVALID_TOPIC_EXCEPTION')
    expect(good.status).toBe('fulfilled')
    for (let i = 0; i < 3; i++) {
      const [meta] = await producer.send({ topic: 't', messages: [{ value: `after-${i}`, partition: 0 }] })
      expect(meta!.baseOffset).toBe(String(1 + i))
    }
    expect(cluster.describe().topics.map((t) => t.name).sort()).toEqual([...before, 'fresh'].sort())
  })

  it('249 characters is still a valid name (the limit is 249)', async () => {
    const { cluster, producer } = await start()
    await producer.send({ topic: 'x'.repeat(249), messages: [{ value: 'v' }] })
    expect(cluster.describe().topics.map((t) => t.name)).toContain('x'.repeat(249))
  })
})

describe('partitions', () => {
  for (const partition of [-1, 1.5, Number.NaN]) {
    it(`an explicit partition that can never exist (${partition}): KafkaJSNonRetriableError, not retried`, async () => {
      const { cluster, producer } = await start()
      const error = await refused(cluster, send(producer, [{ value: 'v', partition }]))
      expect(error).toBeInstanceOf(KafkaJSNonRetriableError)
      expect(error).not.toBeInstanceOf(KafkaJSNumberOfRetriesExceeded)
      expect(error.message).toBe(`Invalid partition ${partition} for topic "t": a partition is an integer >= 0`)
    })
  }

  it('an explicit partition past the last one: UNKNOWN_TOPIC_OR_PARTITION, retried, then KafkaJSNumberOfRetriesExceeded', async () => {
    // kafkajs silently drops such messages (its leader lookup skips the partition) and resolves;
    // memkafka refuses rather than lose them, and retries because partitions may be added.
    const { cluster, producer } = await start()
    const error = await refused(cluster, send(producer, [{ value: 'good', partition: 0 }, { value: 'v', partition: 3 }]))
    expect(error).toBeInstanceOf(KafkaJSNumberOfRetriesExceeded)
    expect(error.cause).toBeInstanceOf(KafkaJSProtocolError)
    expect(error.cause.type).toBe('UNKNOWN_TOPIC_OR_PARTITION')
  })

  it('a custom partitioner returning a negative partition is refused the same way', async () => {
    const { cluster, producer: _unused } = await start()
    const producer = cluster.kafka({ logLevel: logLevel.NOTHING }).producer({ createPartitioner: () => () => -1, retry: { retries: 1, initialRetryTime: 1 } })
    await producer.connect()
    const error = await refused(cluster, send(producer, [{ value: 'v' }]))
    expect(error).toBeInstanceOf(KafkaJSNonRetriableError)
    await producer.disconnect()
  })
})

describe('sizes', () => {
  it('a message over max.message.bytes: KafkaJSProtocolError MESSAGE_TOO_LARGE, not retried', async () => {
    const { cluster, producer } = await start()
    const error = await refused(cluster, send(producer, [{ value: Buffer.alloc(1_000), partition: 0 }]))
    expect(error).toBeInstanceOf(KafkaJSProtocolError)
    expect(error.type).toBe('MESSAGE_TOO_LARGE')
    expect(error.retriable).toBe(false)
  })

  it('headers count towards the size', async () => {
    const { cluster, producer } = await start()
    const error = await refused(cluster, send(producer, [{ value: 'v', partition: 0, headers: { big: 'h'.repeat(1_000) } }]))
    expect(error.type).toBe('MESSAGE_TOO_LARGE')
  })
})

describe('connection state', () => {
  it('a send while disconnected is a retriable KafkaJSError, not a protocol error', async () => {
    const { cluster, producer } = await start()
    await producer.disconnect()
    const error = await refused(cluster, send(producer, [{ value: 'v' }]))
    expect(error).toBeInstanceOf(KafkaJSError)
    expect(error).not.toBeInstanceOf(KafkaJSProtocolError)
    expect(error.message).toBe('The producer is disconnected')
  })
})

describe('refusals are rejections, never throws (kafkajs send and sendBatch are async functions)', () => {
  // The producer hands back its send's own promise rather than wrapping each call in an async
  // function (issue 15); a refusal must still arrive as a rejected promise, never a throw.
  const rejected = async (act: () => Promise<unknown>): Promise<any> => {
    let result: Promise<unknown> | undefined
    expect(() => {
      result = act()
    }).not.toThrow()
    expect(result).toBeInstanceOf(Promise)
    return result!.then(
      () => expect.fail('the call should have been refused'),
      (error: unknown) => error,
    )
  }

  it('no argument at all: TypeError from the destructuring, as kafkajs rejects', async () => {
    const { cluster, producer } = await start()
    const before = snapshot(cluster)
    expect(await rejected(() => producer.send(undefined as never))).toBeInstanceOf(TypeError)
    expect(await rejected(() => producer.sendBatch(undefined as never))).toBeInstanceOf(TypeError)
    expect(snapshot(cluster)).toEqual(before)
  })

  it('messages or topicMessages that are not arrays: the TypeError of kafkajs’s own array calls', async () => {
    const { cluster, producer } = await start()
    const before = snapshot(cluster)
    expect((await rejected(() => producer.send({ topic: 't', messages: 5 as never }))).message).toBe('messages.find is not a function')
    expect((await rejected(() => producer.sendBatch({ topicMessages: {} as never }))).message).toBe('topicMessages.some is not a function')
    expect(snapshot(cluster)).toEqual(before)
  })

  it('bad messages, a bad topic, an unregistered codec and a disconnected producer reject', async () => {
    const { producer } = await start()
    expect((await rejected(() => producer.send({ topic: 't', messages: [{ key: 'k' } as Message] }))).message).toMatch(/^Invalid message without value/)
    expect((await rejected(() => producer.sendBatch({ topicMessages: [{ topic: '', messages: [{ value: 'v' }] }] }))).message).toBe('Invalid topic')
    expect((await rejected(() => producer.send({ topic: 't', messages: [{ value: 'v' }], compression: 2 }))).name).toBe('KafkaJSNotImplemented')
    await producer.disconnect()
    expect((await rejected(() => producer.send({ topic: 't', messages: [{ value: 'v' }] }))).message).toBe('The producer is disconnected')
  })

  it('a transaction\'s send and sendBatch reject the same way', async () => {
    const cluster = new Cluster({ brokers: 3, seed: 2, clock: new ManualClock(1_000) })
    const kafka = cluster.kafka({ clientId: 'txn', logLevel: logLevel.NOTHING })
    const admin = kafka.admin()
    await admin.connect()
    await admin.createTopics({ topics: [{ topic: 't', numPartitions: 1, replicationFactor: 3 }] })
    await admin.disconnect()
    const producer = kafka.producer({ transactionalId: 'tx', idempotent: true, maxInFlightRequests: 1 })
    await producer.connect()
    cleanups.push(async () => {
      await producer.disconnect()
      await cluster.close()
    })
    const transaction = await producer.transaction()
    expect(await rejected(() => transaction.send(undefined as never))).toBeInstanceOf(TypeError)
    expect((await rejected(() => transaction.sendBatch({ topicMessages: [{ topic: 't', messages: [{ key: 'k' } as Message] }] }))).message).toMatch(/^Invalid message without value/)
    expect((await rejected(() => transaction.send({ topic: 't', messages: [{ value: 'v' }], acks: 1 }))).message).toMatch(/invalidates the idempotent producer's EoS guarantees/)
    // The transaction is still usable after the refusals.
    await transaction.send({ topic: 't', messages: [{ value: 'v' }] })
    await transaction.commit()
  })
})
