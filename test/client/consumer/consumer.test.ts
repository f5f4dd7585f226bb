/**
 * The kafkajs consumer as a user sees it (kafkajs 2.2.4, src/consumer/index.js, runner.js,
 * consumerGroup.js, offsetManager): configuration rules, subscribe, the eachMessage and
 * eachBatch payloads, delivery latency, commits, seek, pause/resume, stop/run, describeGroup,
 * instrumentation events and handler failures. Group membership and rebalances are in
 * consumer-groups.test.ts.
 *
 * Every test runs against a fresh in-process cluster with the default SystemClock, so the
 * latency tests measure real time; tests with several members of one group lower
 * heartbeatInterval so that a rebalance is noticed within a few milliseconds, as it would be
 * with kafkajs against a real broker configured the same way.
 */
import { afterEach, describe, expect, it } from 'vitest'
import {
  Cluster,
  KafkaJSError,
  KafkaJSNonRetriableError,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSProtocolError,
  logLevel,
  type Consumer,
  type ConsumerConfig,
  type EachBatchPayload,
  type KafkaMessage,
} from '../../../src/index.js'

// -------------------------------------------------------------------------------------------
// Harness

const cleanups: (() => Promise<void>)[] = []

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

interface StartOptions {
  /** Topic name -> partition count. */
  topics?: Record<string, number>
  brokers?: number
}

async function start({ topics = { t: 1 }, brokers = 1 }: StartOptions = {}) {
  const cluster = new Cluster({ brokers, seed: 1 })
  const kafka = cluster.kafka({ clientId: 't', logLevel: logLevel.NOTHING })
  const admin = kafka.admin()
  await admin.connect()
  const specs = Object.entries(topics).map(([topic, numPartitions]) => ({ topic, numPartitions, replicationFactor: Math.min(brokers, 3) }))
  if (specs.length > 0) await admin.createTopics({ topics: specs })
  const producer = kafka.producer()
  await producer.connect()
  const consumers: Consumer[] = []
  const consumer = (config: ConsumerConfig): Consumer => {
    const c = kafka.consumer(config)
    consumers.push(c)
    return c
  }
  cleanups.push(async () => {
    for (const c of consumers) await c.disconnect().catch(() => {})
    await producer.disconnect().catch(() => {})
    await admin.disconnect().catch(() => {})
    await cluster.close()
  })
  /** Sends `values` to one partition, in order, as one request. */
  const produce = (topic: string, values: string[], partition = 0) =>
    producer.send({ topic, messages: values.map((value) => ({ value, partition })) })
  /** The group's committed offset of one partition, as admin.fetchOffsets reports it. */
  const committed = async (groupId: string, topic: string, partition = 0): Promise<string> => {
    const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] })
    return entry!.partitions.find((p) => p.partition === partition)!.offset
  }
  return { cluster, kafka, admin, producer, consumer, produce, committed }
}

/** Resolves with the first event `name` whose payload passes `match`. */
function nextEvent<T = any>(consumer: Consumer, name: string, match: (payload: T) => boolean = () => true): Promise<{ id: string; type: string; timestamp: number; payload: T }> {
  return new Promise((resolve) => {
    const remove = consumer.on(name as never, (event) => {
      if (!match(event.payload as T)) return
      remove()
      resolve(event as never)
    })
  })
}

/** Polls `condition` every millisecond (real time) until it holds; fails after `timeoutMs`. */
async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const startedAt = Date.now()
  while (!(await condition())) {
    if (Date.now() - startedAt > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 1))
  }
}

const values = (messages: KafkaMessage[]): string[] => messages.map((m) => m.value!.toString())

/** A consumer subscribed to `topics` that records every message it is given. */
async function recording(consumer: Consumer, topics: (string | RegExp)[], fromBeginning = true) {
  const seen: { topic: string; partition: number; message: KafkaMessage }[] = []
  await consumer.connect()
  await consumer.subscribe({ topics, fromBeginning })
  await consumer.run({
    eachMessage: async ({ topic, partition, message }) => {
      seen.push({ topic, partition, message })
    },
  })
  return seen
}

// -------------------------------------------------------------------------------------------

describe('consumer configuration', () => {
  it("requires a groupId: 'Consumer groupId must be a non-empty string.'", async () => {
    const { kafka } = await start()
    for (const config of [{}, { groupId: '' }, undefined]) {
      const create = () => kafka.consumer(config as unknown as ConsumerConfig)
      expect(create).toThrow(KafkaJSNonRetriableError)
      expect(create).toThrow('Consumer groupId must be a non-empty string.')
    }
  })

  it('rejects a heartbeatInterval that is not lower than the sessionTimeout', async () => {
    const { kafka } = await start()
    for (const heartbeatInterval of [10_000, 12_000]) {
      const create = () => kafka.consumer({ groupId: 'g', sessionTimeout: 10_000, heartbeatInterval })
      expect(create).toThrow(KafkaJSNonRetriableError)
      expect(create).toThrow(`Consumer heartbeatInterval (${heartbeatInterval}) must be lower than sessionTimeout (10000)`)
    }
    expect(() => kafka.consumer({ groupId: 'g', sessionTimeout: 10_000, heartbeatInterval: 9_999 })).not.toThrow()
  })
})

describe('subscribe', () => {
  it('subscribes to several topics by name', async () => {
    const { consumer, produce, cluster } = await start({ topics: { a: 1, b: 2, c: 1 } })
    await produce('a', ['a0'])
    await produce('b', ['b0'], 1)
    await produce('c', ['c0'])
    const seen = await recording(consumer({ groupId: 'g' }), ['a', 'b'])
    await cluster.settle()
    expect(seen.map((s) => s.message.value!.toString()).sort()).toEqual(['a0', 'b0'])
    expect(cluster.describe().groups[0]!.members[0]!.assignment).toEqual({ a: [0], b: [0, 1] })
  })

  it('resolves a RegExp against the topics that exist at subscribe time', async () => {
    const { consumer, produce, cluster, admin } = await start({ topics: { 'orders-1': 1, 'orders-2': 1, payments: 1 } })
    for (const topic of ['orders-1', 'orders-2', 'payments']) await produce(topic, [topic])
    const seen = await recording(consumer({ groupId: 'g' }), [/^orders-/])
    await cluster.settle()
    expect(seen.map((s) => s.topic).sort()).toEqual(['orders-1', 'orders-2'])
    // A topic created later that also matches is not picked up (kafkajs resolves only once).
    await admin.createTopics({ topics: [{ topic: 'orders-3', numPartitions: 1 }] })
    await produce('orders-3', ['late'])
    await cluster.settle()
    expect(seen.map((s) => s.topic).sort()).toEqual(['orders-1', 'orders-2'])
    expect(Object.keys(cluster.describe().groups[0]!.members[0]!.assignment).sort()).toEqual(['orders-1', 'orders-2'])
  })

  it('fromBeginning: false starts at the end: only messages produced after the join arrive', async () => {
    const { consumer, produce, cluster } = await start()
    await produce('t', ['before-1', 'before-2'])
    const seen = await recording(consumer({ groupId: 'g' }), ['t'], false)
    await cluster.settle()
    expect(seen).toEqual([])
    await produce('t', ['after'])
    await cluster.settle()
    expect(values(seen.map((s) => s.message))).toEqual(['after'])
    expect(seen[0]!.message.offset).toBe('2')
  })

  it('fromBeginning: true starts at the log start offset', async () => {
    const { consumer, produce, cluster } = await start()
    await produce('t', ['m0', 'm1'])
    const seen = await recording(consumer({ groupId: 'g' }), ['t'], true)
    await cluster.settle()
    expect(values(seen.map((s) => s.message))).toEqual(['m0', 'm1'])
  })

  for (const fromBeginning of [true, false]) {
    it(`fromBeginning: ${fromBeginning} is ignored once the group has committed: a restarted group resumes from its commit`, async () => {
      const { consumer, produce, cluster, committed } = await start()
      await produce('t', ['m0', 'm1', 'm2'])
      const first = consumer({ groupId: 'g' })
      const firstSeen = await recording(first, ['t'], true)
      await cluster.settle()
      expect(values(firstSeen.map((s) => s.message))).toEqual(['m0', 'm1', 'm2'])
      await first.disconnect()
      expect(await committed('g', 't')).toBe('3')

      await produce('t', ['m3', 'm4'])
      const second = consumer({ groupId: 'g' })
      const secondSeen = await recording(second, ['t'], fromBeginning)
      await cluster.settle()
      expect(values(secondSeen.map((s) => s.message))).toEqual(['m3', 'm4'])
    })
  }

  it('cannot subscribe while running', async () => {
    const { consumer, cluster } = await start({ topics: { t: 1, u: 1 } })
    const c = consumer({ groupId: 'g' })
    await recording(c, ['t'])
    await cluster.settle()
    const before = cluster.describe()
    await expect(c.subscribe({ topics: ['u'] })).rejects.toThrow(KafkaJSNonRetriableError)
    await expect(c.subscribe({ topics: ['u'] })).rejects.toThrow('Cannot subscribe to topic while consumer is running')
    expect(cluster.describe().groups).toEqual(before.groups)
  })
})

describe('eachMessage', () => {
  it('passes { topic, partition, message, heartbeat, pause } with kafkajs message fields', async () => {
    const { consumer, producer, cluster } = await start({ topics: { t: 2 } })
    await producer.send({
      topic: 't',
      messages: [
        { key: 'k', value: 'v', partition: 1, headers: { h: 'x', multi: ['1', '2'] }, timestamp: '1700000000000' },
        { value: 'no-key', partition: 1 },
      ],
    })
    const payloads: Parameters<NonNullable<Parameters<Consumer['run']>[0]>['eachMessage'] & {}>[0][] = []
    const c = consumer({ groupId: 'g' })
    await c.connect()
    await c.subscribe({ topics: ['t'], fromBeginning: true })
    await c.run({ eachMessage: async (payload) => void payloads.push(payload) })
    await cluster.settle()

    expect(payloads).toHaveLength(2)
    const [first, second] = payloads as [(typeof payloads)[0], (typeof payloads)[0]]
    expect(first.topic).toBe('t')
    expect(first.partition).toBe(1)
    expect(typeof first.heartbeat).toBe('function')
    expect(typeof first.pause).toBe('function')
    const m = first.message
    expect(Buffer.isBuffer(m.key)).toBe(true)
    expect(m.key!.toString()).toBe('k')
    expect(m.value!.toString()).toBe('v')
    expect(m.offset).toBe('0')
    expect(m.timestamp).toBe('1700000000000')
    expect(typeof m.attributes).toBe('number')
    expect(Buffer.isBuffer(m.headers.h)).toBe(true)
    expect(String(m.headers.h)).toBe('x')
    expect((m.headers.multi as Buffer[]).map(String)).toEqual(['1', '2'])

    expect(second.message.key).toBeNull()
    expect(second.message.offset).toBe('1')
    expect(second.message.headers).toEqual({})
    expect(Number(second.message.timestamp)).toBeGreaterThan(0)
  })

  it('delivers messages of one partition in offset order', async () => {
    const { consumer, produce, cluster } = await start()
    const sent = Array.from({ length: 50 }, (_, i) => `m${i}`)
    for (let i = 0; i < sent.length; i += 7) await produce('t', sent.slice(i, i + 7))
    const seen = await recording(consumer({ groupId: 'g' }), ['t'])
    await cluster.settle()
    expect(values(seen.map((s) => s.message))).toEqual(sent)
    expect(seen.map((s) => s.message.offset)).toEqual(sent.map((_, i) => String(i)))
  })

  it('redelivers the same offset after the handler throws', async () => {
    const { consumer, produce, cluster, committed } = await start()
    await produce('t', ['m0', 'm1', 'm2'])
    const offsets: string[] = []
    let failures = 0
    const c = consumer({ groupId: 'g', retry: { retries: 5, initialRetryTime: 5 } })
    await c.connect()
    await c.subscribe({ topics: ['t'], fromBeginning: true })
    await c.run({
      eachMessage: async ({ message }) => {
        offsets.push(message.offset)
        if (message.offset === '1' && failures++ === 0) throw new Error('transient')
      },
    })
    await until(() => offsets.length >= 4)
    await cluster.settle()
    // m0 is processed once (its offset was committed before the error was rethrown), m1 twice.
    expect(offsets).toEqual(['0', '1', '1', '2'])
    expect(await committed('g', 't')).toBe('3')
  })

  it('gives each message as an object of its own: kafkajs fields in kafkajs order, its own headers and value Buffer', async () => {
    const { consumer, producer, cluster } = await start()
    await producer.send({ topic: 't', messages: [{ value: 'a', headers: { h: 'x' } }, { value: 'b', headers: { h: 'y' } }, { value: 'c' }, { value: 'd' }] })
    const messages: KafkaMessage[] = []
    const c = consumer({ groupId: 'g' })
    await c.connect()
    await c.subscribe({ topics: ['t'], fromBeginning: true })
    await c.run({
      eachMessage: async ({ message }) => {
        messages.push(message)
        // What a handler does to its message or headers is its own: the next message is untouched.
        message.headers.added = Buffer.from('z')
        ;(message as { extra?: number }).extra = 1
      },
    })
    await cluster.settle()
    expect(messages.map((m) => Object.keys(m).filter((k) => k !== 'extra'))).toEqual(
      Array.from({ length: 4 }, () => ['magicByte', 'attributes', 'timestamp', 'offset', 'key', 'value', 'headers', 'isControlRecord', 'batchContext']),
    )
    expect(messages.map((m) => [m.magicByte, m.attributes, m.isControlRecord, m.key, typeof m.timestamp, m.offset])).toEqual([
      [2, 0, false, null, 'string', '0'],
      [2, 0, false, null, 'string', '1'],
      [2, 0, false, null, 'string', '2'],
      [2, 0, false, null, 'string', '3'],
    ])
    expect(messages.map((m) => Object.keys(m.headers))).toEqual([['h', 'added'], ['h', 'added'], ['added'], ['added']])
    expect(new Set(messages.map((m) => m.headers)).size).toBe(4)
    expect(new Set(messages.map((m) => m.value)).size).toBe(4)
    expect(messages.map((m) => [Buffer.isBuffer(m.value), m.value!.toString()])).toEqual([[true, 'a'], [true, 'b'], [true, 'c'], [true, 'd']])
  })

  it("resolves the message's offset as the handler leaves it, as kafkajs does", async () => {
    const { consumer, produce, cluster, committed } = await start()
    await produce('t', ['m0', 'm1', 'm2'])
    const c = consumer({ groupId: 'g' })
    await c.connect()
    await c.subscribe({ topics: ['t'], fromBeginning: true })
    await c.run({
      eachMessage: async ({ message }) => {
        // kafkajs resolves message.offset after the handler returns: the replaced string counts.
        if (message.offset === '2') message.offset = '7'
      },
    })
    await cluster.settle()
    expect(await committed('g', 't')).toBe('8')
  })
})

describe('eachBatch', () => {
  it('passes the batch and its helpers with kafkajs semantics', async () => {
    const { consumer, produce, cluster } = await start()
    await produce('t', ['m0', 'm1', 'm2'])
    const seen: { batch: EachBatchPayload['batch']; running: boolean; stale: boolean; uncommitted: unknown; fns: string[] }[] = []
    const c = consumer({ groupId: 'g' })
    await c.connect()
    await c.subscribe({ topics: ['t'], fromBeginning: true })
    await c.run({
      eachBatch: async (payload) => {
        const { batch, resolveOffset, isRunning, isStale, uncommittedOffsets } = payload
        resolveOffset(batch.messages[0]!.offset)
        seen.push({
          batch,
          running: isRunning(),
          stale: isStale(),
          uncommitted: uncommittedOffsets(),
          fns: (['resolveOffset', 'heartbeat', 'pause', 'commitOffsetsIfNecessary', 'uncommittedOffsets', 'isRunning', 'isStale'] as const).filter(
            (k) => typeof payload[k] === 'function',
          ),
        })
      },
    })
    await cluster.settle()

    expect(seen).toHaveLength(1)
    const { batch, running, stale, uncommitted, fns } = seen[0]!
    expect(batch.topic).toBe('t')
    expect(batch.partition).toBe(0)
    expect(batch.highWatermark).toBe('3')
    expect(values(batch.messages)).toEqual(['m0', 'm1', 'm2'])
    expect(batch.isEmpty()).toBe(false)
    expect(batch.firstOffset()).toBe('0')
    expect(batch.lastOffset()).toBe('2')
    expect(batch.offsetLag()).toBe('0') // hw - 1 - lastOffset
    expect(batch.offsetLagLow()).toBe('2') // hw - 1 - firstOffset
    expect(running).toBe(true)
    expect(stale).toBe(false)
    expect(uncommitted).toEqual({ topics: [{ topic: 't', partitions: [{ partition: 0, offset: '1' }] }] })
    expect(fns).toHaveLength(7)
  })

  it('reports offsetLag against the high watermark when more is left than one batch holds', async () => {
    const { consumer, produce, cluster } = await start()
    await produce('t', ['m0', 'm1'])
    await produce('t', ['m2', 'm3'])
    const lags: { first: string | null; last: string; lag: string; low: string; hw: string }[] = []
    const c = consumer({ groupId: 'g', maxBytesPerPartition: 1 })
    await c.connect()
    await c.subscribe({ topics: ['t'], fromBeginning: true })
    await c.run({
      eachBatch: async ({ batch }) => {
        lags.push({ first: batch.firstOffset(), last: batch.lastOffset(), lag: batch.offsetLag(), low: batch.offsetLagLow(), hw: batch.highWatermark })
      },
    })
    await cluster.settle()
    // Whatever the batch boundaries, each batch's lags are computed from the same hw = 4.
    expect(lags.length).toBeGreaterThanOrEqual(1)
    for (const l of lags) {
      expect(l.hw).toBe('4')
      expect(Number(l.lag)).toBe(3 - Number(l.last))
      expect(Number(l.low)).toBe(3 - Number(l.first))
    }
    expect(lags[lags.length - 1]!.last).toBe('3')
  })

  it('eachBatchAutoResolve: false commits only what the handler resolved, and redelivers the rest', async () => {
    const { consumer, produce, cluster, committed } = await start()
    await produce('t', ['m0', 'm1', 'm2'])
    const batches: string[][] = []
    const c = consumer({ groupId: 'g' })
    await c.connect()
    await c.subscribe({ topics: ['t'], fromBeginning: true })
    await c.run({
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset }) => {
        batches.push(batch.messages.map((m) => m.offset))
        // First time: resolve only up to m1. Afterwards: everything.
        const upTo = batches.length === 1 ? '1' : batch.lastOffset()
        for (const m of batch.messages) if (Number(m.offset) <= Number(upTo)) resolveOffset(m.offset)
      },
    })
    await cluster.settle()
    expect(batches).toEqual([
      ['0', '1', '2'],
      ['2'],
    ])
    expect(await committed('g', 't')).toBe('3')
  })

  it('eachBatchAutoResolve: false without resolving anything commits nothing', async () => {
    const { consumer, produce, cluster, committed } = await start()
    await produce('t', ['m0', 'm1'])
    const c = consumer({ groupId: 'g' })
    let calls = 0
    await c.connect()
    await c.subscribe({ topics: ['t'], fromBeginning: true })
    await c.run({
      eachBatchAutoResolve: false,
      eachBatch: async ({ pause }) => {
        calls++
        pause() // otherwise the same batch would come back at once, forever
      },
    })
    await cluster.settle()
    expect(calls).toBe(1)
    expect(await committed('g', 't')).toBe('-1')
    expect(c.paused()).toEqual([{ topic: 't', partitions: [0] }])
  })

  it('commitOffsetsIfNecessary() commits mid-batch once autoCommitThreshold resolved offsets are reached', async () => {
    const { consumer, produce, cluster, committed } = await start()
    await produce('t', ['m0', 'm1', 'm2'])
    const commitsSeen: string[] = []
    const c = consumer({ groupId: 'g' })
    await c.connect()
    await c.subscribe({ topics: ['t'], fromBeginning: true })
    await c.run({
      autoCommitThreshold: 2,
      eachBatch: async ({ batch, resolveOffset, commitOffsetsIfNecessary }) => {
        for (const m of batch.messages) {
          resolveOffset(m.offset)
          await commitOffsetsIfNecessary()
          commitsSeen.push(await committed('g', 't'))
        }
      },
    })
    await cluster.settle()
    // One resolved offset is below the threshold; two reach it and commit '2'.
    expect(commitsSeen).toEqual(['-1', '2', '2'])
    expect(await committed('g', 't')).toBe('3')
  })

  it('commitOffsetsIfNecessary() without interval or threshold leaves the commit to the end of the batch', async () => {
    const { consumer, produce, cluster, committed } = await start()
    await produce('t', ['m0', 'm1'])
    const commitsSeen: string[] = []
    const c = consumer({ groupId: 'g' })
    await c.connect()
    await c.subscribe({ topics: ['t'], fromBeginning: true })
    await c.run({
      eachBatch: async ({ batch, resolveOffset, commitOffsetsIfNecessary }) => {
        for (const m of batch.messages) resolveOffset(m.offset)
        await commitOffsetsIfNecessary()
        commitsSeen.push(await committed('g', 't'))
      },
    })
    await cluster.settle()
    expect(commitsSeen).toEqual(['-1'])
    expect(await committed('g', 't')).toBe('2')
  })

  it('commitOffsetsIfNecessary(offsets) commits the given { topics: [{ topic, partitions }] } at once', async () => {
    // kafkajs runner.js: `offsets ? consumerGroup.commitOffsets(offsets) : ...`, and
    // offsetManager.commitOffsets reads `{ topics = uncommittedOffsets().topics } = offsets`.
    const { consumer, produce, cluster, committed } = await start()
    await produce('t', ['m0', 'm1', 'm2'])
    const commitsSeen: string[] = []
    const c = consumer({ groupId: 'g' })
    await c.connect()
    await c.subscribe({ topics: ['t'], fromBeginning: true })
    await c.run({
      autoCommit: false,
      eachBatch: async ({ commitOffsetsIfNecessary }) => {
        await commitOffsetsIfNecessary({ topics: [{ topic: 't', partitions: [{ partition: 0, offset: '2' }] }] } as never)
        commitsSeen.push(await committed('g', 't'))
      },
    })
    await cluster.settle()
    expect(commitsSeen).toEqual(['2'])
  })

  it('isRunning() turns false once the consumer is stopping', async () => {
    const { consumer, produce } = await start()
    await produce('t', ['m0'])
    let release!: () => void
    const gate = new Promise<void>((resolve) => (release = resolve))
    const observed: boolean[] = []
    const c = consumer({ groupId: 'g' })
    await c.connect()
    await c.subscribe({ topics: ['t'], fromBeginning: true })
    const entered = nextEvent(c, c.events.START_BATCH_PROCESS)
    await c.run({
      eachBatch: async ({ isRunning }) => {
        observed.push(isRunning())
        await gate
        observed.push(isRunning())
      },
    })
    await entered
    const stopping = c.stop()
    release()
    await stopping
    expect(observed).toEqual([true, false])
  })
})

describe('delivery latency (SystemClock)', () => {
  it('delivers a message produced while the consumer waits at once, not after maxWaitTimeInMs', async () => {
    const { consumer, produce, cluster } = await start()
    let delivered!: (at: number) => void
    const deliveredAt = new Promise<number>((resolve) => (delivered = resolve))
    const c = consumer({ groupId: 'g', maxWaitTimeInMs: 5_000 })
    await c.connect()
    await c.subscribe({ topics: ['t'] })
    await c.run({ eachMessage: async () => delivered(performance.now()) })
    await cluster.settle()
    // Let the consumer park its long poll.
    await new Promise((resolve) => setTimeout(resolve, 20))
    const sentAt = performance.now()
    await produce('t', ['now'])
    expect((await deliveredAt) - sentAt).toBeLessThan(50)
  })

  it('disconnect() returns at once even while a long poll of maxWaitTimeInMs 5000 is parked', async () => {
    const { consumer, cluster } = await start()
    const c = consumer({ groupId: 'g', maxWaitTimeInMs: 5_000 })
    await recording(c, ['t'])
    await cluster.settle()
    await new Promise((resolve) => setTimeout(resolve, 20))
    const startedAt = performance.now()
    await c.disconnect()
    expect(performance.now() - startedAt).toBeLessThan(50)
    // It left the group: the coordinator has no members any more.
    expect(cluster.describe().groups[0]!.members).toEqual([])
  })
})

describe('commits', () => {
  it('autoCommit commits the last offset + 1 after each batch', async () => {
    const { consumer, produce, cluster, committed, admin } = await start({ topics: { t: 2 } })
    await produce('t', ['a0', 'a1', 'a2'], 0)
    await produce('t', ['b0'], 1)
    await recording(consumer({ groupId: 'g' }), ['t'])
    await cluster.settle()
    expect(await committed('g', 't', 0)).toBe('3')
    expect(await committed('g', 't', 1)).toBe('1')
    const [entry] = await admin.fetchOffsets({ groupId: 'g', topics: ['t'] })
    expect(entry).toEqual({
      topic: 't',
      partitions: expect.arrayContaining([
        { partition: 0, offset: '3', metadata: null },
        { partition: 1, offset: '1', metadata: null },
      ]),
    })
    const offsets = cluster.describe().groups[0]!.offsets
    expect(offsets.map((o) => [o.partition, o.committedOffset, o.highWatermark, o.lag])).toEqual([
      [0, 3, 3, 0],
      [1, 1, 1, 0],
    ])
    await produce('t', ['a3'], 0)
    await cluster.settle()
    expect(await committed('g', 't', 0)).toBe('4')
  })

  it('autoCommit: false commits nothing by itself; commitOffsets() commits what it is given', async () => {
    const { consumer, produce, cluster, committed } = await start()
    await produce('t', ['m0', 'm1', 'm2'])
    const c = consumer({ groupId: 'g' })
    const seen: string[] = []
    await c.connect()
    await c.subscribe({ topics: ['t'], fromBeginning: true })
    await c.run({ autoCommit: false, eachMessage: async ({ message }) => void seen.push(message.offset) })
    await cluster.settle()
    expect(seen).toEqual(['0', '1', '2'])
    expect(await committed('g', 't')).toBe('-1')

    const commitEvent = nextEvent(c, c.events.COMMIT_OFFSETS)
    await c.commitOffsets([{ topic: 't', partition: 0, offset: '2' }])
    expect(await committed('g', 't')).toBe('2')
    expect(cluster.describe().groups[0]!.offsets[0]).toMatchObject({ topic: 't', partition: 0, committedOffset: 2, highWatermark: 3, lag: 1 })
    // kafkajs emits an explicit commit's partitions as given (number, Long offset), the
    // automatic ones as strings; compare them as strings.
    const { payload } = await commitEvent
    expect(payload.groupId).toBe('g')
    const committedInEvent = payload.topics.map((t: any) => ({ topic: t.topic, partitions: t.partitions.map((p: any) => [String(p.partition), String(p.offset)]) }))
    expect(committedInEvent).toEqual([{ topic: 't', partitions: [['0', '2']] }])
  })

  it('commitOffsets() accepts metadata, which admin.fetchOffsets returns', async () => {
    const { consumer, produce, cluster, admin } = await start()
    await produce('t', ['m0'])
    const c = consumer({ groupId: 'g' })
    await recording(c, ['t'])
    await cluster.settle()
    await c.commitOffsets([{ topic: 't', partition: 0, offset: '1', metadata: 'event-1' }])
    const [entry] = await admin.fetchOffsets({ groupId: 'g', topics: ['t'] })
    expect(entry!.partitions).toEqual([{ partition: 0, offset: '1', metadata: 'event-1' }])
  })
})

describe('seek', () => {
  // A quick heartbeat bounds how long a parked long poll lasts, so that these tests check what
  // a seek does; the tests after them check that settle() waits for it (it does not yet).
  const quick = { groupId: 'g', heartbeatInterval: 20 }

  it('re-reads from the sought offset', async () => {
    const { consumer, produce, cluster, committed } = await start()
    await produce('t', ['m0', 'm1', 'm2', 'm3'])
    const c = consumer(quick)
    const seen = await recording(c, ['t'])
    await cluster.settle()
    expect(seen.map((s) => s.message.offset)).toEqual(['0', '1', '2', '3'])
    expect(await committed('g', 't')).toBe('4')

    c.seek({ topic: 't', partition: 0, offset: '1' })
    await until(() => seen.length === 7)
    await cluster.settle()
    expect(seen.map((s) => s.message.offset)).toEqual(['0', '1', '2', '3', '1', '2', '3'])
    expect(await committed('g', 't')).toBe('4')
  })

  it('with autoCommit, commits the sought offset at once (seen while the partition is paused)', async () => {
    // kafkajs offsetManager.seek: with autoCommit it sends OffsetCommit for the sought offset
    // at the next fetch, paused or not (consumerGroup.fetch seeks every assigned partition).
    const { consumer, produce, cluster, committed } = await start()
    await produce('t', ['m0', 'm1', 'm2'])
    const c = consumer(quick)
    const seen = await recording(c, ['t'])
    await cluster.settle()
    c.pause([{ topic: 't' }])
    c.seek({ topic: 't', partition: 0, offset: '1' })
    await until(async () => (await committed('g', 't')) === '1')
    expect(seen).toHaveLength(3)
    c.resume([{ topic: 't' }])
    await until(() => seen.length === 5)
    expect(seen.map((s) => s.message.offset)).toEqual(['0', '1', '2', '1', '2'])
  })

  it('seeks to -2 (earliest) and -1 (latest)', async () => {
    const { consumer, produce, cluster } = await start()
    await produce('t', ['m0', 'm1'])
    const c = consumer(quick)
    const seen = await recording(c, ['t'])
    await cluster.settle()
    c.seek({ topic: 't', partition: 0, offset: '-2' })
    await until(() => seen.length === 4)
    c.seek({ topic: 't', partition: 0, offset: '-1' })
    await new Promise((resolve) => setTimeout(resolve, 60))
    await produce('t', ['m2'])
    await until(() => seen.length === 5)
    await cluster.settle()
    expect(seen.map((s) => s.message.offset)).toEqual(['0', '1', '0', '1', '2'])
  })

  it('with autoCommit: false, a seek moves the position without committing', async () => {
    const { consumer, produce, cluster, committed } = await start()
    await produce('t', ['m0', 'm1', 'm2'])
    const c = consumer(quick)
    const seen: string[] = []
    await c.connect()
    await c.subscribe({ topics: ['t'], fromBeginning: true })
    await c.run({ autoCommit: false, eachMessage: async ({ message }) => void seen.push(message.offset) })
    await cluster.settle()
    c.seek({ topic: 't', partition: 0, offset: '2' })
    await until(() => seen.length === 4)
    await cluster.settle()
    expect(seen).toEqual(['0', '1', '2', '2'])
    expect(await committed('g', 't')).toBe('-1')
  })

  it('a seek to a partition the consumer does not own is ignored', async () => {
    const { consumer, produce, cluster, committed } = await start({ topics: { t: 1, other: 1 } })
    await produce('t', ['m0'])
    await produce('other', ['o0'])
    const c = consumer(quick)
    const seen = await recording(c, ['t'])
    await cluster.settle()
    c.seek({ topic: 'other', partition: 0, offset: '0' })
    await new Promise((resolve) => setTimeout(resolve, 60))
    await cluster.settle()
    expect(seen).toHaveLength(1)
    expect(await committed('g', 'other')).toBe('-1')
  })

  it('settle() waits for a pending seek to be applied and the re-read to finish', async () => {
    const { consumer, produce, cluster, committed } = await start()
    await produce('t', ['m0', 'm1', 'm2', 'm3'])
    const c = consumer({ groupId: 'g' })
    const seen = await recording(c, ['t'])
    await cluster.settle()
    c.seek({ topic: 't', partition: 0, offset: '1' })
    await cluster.settle()
    expect(seen.map((s) => s.message.offset)).toEqual(['0', '1', '2', '3', '1', '2', '3'])
    expect(await committed('g', 't')).toBe('4')
  })

  it('settle() waits for a seek on a paused partition to be committed (autoCommit)', async () => {
    const { consumer, produce, cluster, committed } = await start()
    await produce('t', ['m0', 'm1', 'm2'])
    const c = consumer({ groupId: 'g' })
    await recording(c, ['t'])
    await cluster.settle()
    c.pause([{ topic: 't' }])
    c.seek({ topic: 't', partition: 0, offset: '1' })
    await cluster.settle()
    expect(await committed('g', 't')).toBe('1')
  })
})

describe('pause and resume', () => {
  const quick = { groupId: 'g', heartbeatInterval: 20 }
  /** Long enough for a long poll parked before a pause to end (heartbeatInterval 20). */
  const pollCycle = () => new Promise((resolve) => setTimeout(resolve, 60))

  it('pause() stops delivery of a topic until resume(); paused() lists what is paused', async () => {
    const { consumer, produce, cluster } = await start({ topics: { t: 2 } })
    const c = consumer(quick)
    const seen = await recording(c, ['t'])
    await cluster.settle()
    expect(c.paused()).toEqual([])

    c.pause([{ topic: 't' }])
    expect(c.paused()).toEqual([{ topic: 't', partitions: [0, 1] }])
    await pollCycle()
    await produce('t', ['p0'], 0)
    await produce('t', ['p1'], 1)
    await cluster.settle()
    await pollCycle()
    expect(seen).toEqual([])

    c.resume([{ topic: 't' }])
    expect(c.paused()).toEqual([])
    await cluster.settle()
    expect(values(seen.map((s) => s.message)).sort()).toEqual(['p0', 'p1'])
  })

  it('pauses and resumes single partitions', async () => {
    const { consumer, produce, cluster } = await start({ topics: { t: 2 } })
    const c = consumer(quick)
    const seen = await recording(c, ['t'])
    await cluster.settle()
    c.pause([{ topic: 't', partitions: [1] }])
    expect(c.paused()).toEqual([{ topic: 't', partitions: [1] }])
    await pollCycle()
    await produce('t', ['p1'], 1)
    await produce('t', ['p0'], 0)
    await cluster.settle()
    expect(values(seen.map((s) => s.message))).toEqual(['p0'])
    c.resume([{ topic: 't', partitions: [1] }])
    await cluster.settle()
    expect(values(seen.map((s) => s.message))).toEqual(['p0', 'p1'])
  })

  it('pausing a topic the consumer does not own is remembered and listed', async () => {
    const { consumer, cluster } = await start({ topics: { t: 1 } })
    const c = consumer(quick)
    await recording(c, ['t'])
    await cluster.settle()
    c.pause([{ topic: 'elsewhere', partitions: [3] }])
    expect(c.paused()).toEqual([{ topic: 'elsewhere', partitions: [3] }])
    c.resume([{ topic: 'elsewhere' }])
    expect(c.paused()).toEqual([])
  })

  it('paused() is [] before run()', async () => {
    const { consumer } = await start()
    expect(consumer({ groupId: 'g' }).paused()).toEqual([])
  })

  it('the pause() of the eachMessage payload pauses the partition after this message; its result resumes it', async () => {
    const { consumer, produce, cluster } = await start()
    await produce('t', ['m0', 'm1', 'm2'])
    const seen: string[] = []
    let resume: (() => void) | undefined
    const c = consumer(quick)
    await c.connect()
    await c.subscribe({ topics: ['t'], fromBeginning: true })
    await c.run({
      eachMessage: async ({ message, pause }) => {
        seen.push(message.offset)
        if (message.offset === '0') resume = pause()
      },
    })
    await cluster.settle()
    expect(seen).toEqual(['0'])
    expect(c.paused()).toEqual([{ topic: 't', partitions: [0] }])
    resume!()
    await cluster.settle()
    expect(seen).toEqual(['0', '1', '2'])
  })

  it('pause() takes effect on the fetch already in flight', async () => {
    const { consumer, produce, cluster } = await start()
    const c = consumer({ groupId: 'g' })
    const seen = await recording(c, ['t'])
    await cluster.settle()
    c.pause([{ topic: 't' }])
    await produce('t', ['m0'])
    await cluster.settle()
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(seen).toEqual([])
  })

  it('resume() delivers at once, without waiting for a heartbeat or maxWaitTimeInMs', async () => {
    const { consumer, produce, cluster } = await start()
    await produce('t', ['m0', 'm1'])
    const seen: string[] = []
    let resume: (() => void) | undefined
    const c = consumer({ groupId: 'g' })
    await c.connect()
    await c.subscribe({ topics: ['t'], fromBeginning: true })
    await c.run({
      eachMessage: async ({ message, pause }) => {
        seen.push(message.offset)
        if (message.offset === '0') resume = pause()
      },
    })
    await cluster.settle()
    expect(seen).toEqual(['0'])
    await new Promise((resolve) => setTimeout(resolve, 20))
    const startedAt = performance.now()
    resume!()
    await until(() => seen.length === 2, 200)
    expect(performance.now() - startedAt).toBeLessThan(50)
  })
})

describe('stop and run again', () => {
  it('stop() ends delivery and leaves the group; run() again resumes from the commit', async () => {
    const { consumer, produce, cluster } = await start()
    await produce('t', ['m0'])
    const c = consumer({ groupId: 'g' })
    const seen: string[] = []
    await c.connect()
    await c.subscribe({ topics: ['t'], fromBeginning: true })
    const handler = async ({ message }: { message: KafkaMessage }) => void seen.push(message.value!.toString())
    await c.run({ eachMessage: handler })
    await cluster.settle()
    const stopped = nextEvent(c, c.events.STOP)
    await c.stop()
    await stopped
    expect(cluster.describe().groups[0]!.state).toBe('Empty')

    await produce('t', ['m1'])
    await cluster.settle()
    expect(seen).toEqual(['m0'])

    await c.run({ eachMessage: handler })
    await cluster.settle()
    expect(seen).toEqual(['m0', 'm1'])
    expect(cluster.describe().groups[0]!.state).toBe('Stable')
  })
})

describe('describeGroup', () => {
  it('returns the group as the coordinator sees it', async () => {
    const { consumer, cluster } = await start({ topics: { t: 2 } })
    const c = consumer({ groupId: 'g' })
    const joined = nextEvent(c, c.events.GROUP_JOIN)
    await recording(c, ['t'])
    await cluster.settle()
    const { payload } = await joined
    const group = await c.describeGroup()
    expect(group).toMatchObject({ groupId: 'g', state: 'Stable', protocolType: 'consumer', protocol: 'RoundRobinAssigner', errorCode: 0 })
    expect(group.members).toHaveLength(1)
    const member = group.members[0]!
    expect(member.memberId).toBe(payload.memberId)
    expect(member.clientId).toBe('t')
    expect(typeof member.clientHost).toBe('string')
    expect(Buffer.isBuffer(member.memberAssignment)).toBe(true)
    expect(Buffer.isBuffer(member.memberMetadata)).toBe(true)
    expect(member.memberAssignment.length).toBeGreaterThan(0)
  })
})

describe('events', () => {
  it('consumer.group_join carries { duration, groupId, isLeader, leaderId, groupProtocol, memberId, memberAssignment }', async () => {
    const { consumer, cluster } = await start({ topics: { t: 3 } })
    const c = consumer({ groupId: 'g' })
    const joined = nextEvent(c, c.events.GROUP_JOIN)
    await recording(c, ['t'])
    const event = await joined
    expect(event.type).toBe('consumer.group_join')
    expect(typeof event.timestamp).toBe('number')
    const { payload } = event
    expect(Object.keys(payload).sort()).toEqual(['duration', 'groupId', 'groupProtocol', 'isLeader', 'leaderId', 'memberAssignment', 'memberId'])
    expect(payload).toMatchObject({ groupId: 'g', isLeader: true, groupProtocol: 'RoundRobinAssigner', memberAssignment: { t: [0, 1, 2] } })
    expect(payload.leaderId).toBe(payload.memberId)
    expect(typeof payload.duration).toBe('number')
    expect(cluster.describe().groups[0]!.members[0]!.memberId).toBe(payload.memberId)
  })

  it('consumer.heartbeat fires every heartbeatInterval', async () => {
    const { consumer } = await start()
    const c = consumer({ groupId: 'g', heartbeatInterval: 20 })
    const joined = nextEvent(c, c.events.GROUP_JOIN)
    const beat = nextEvent(c, c.events.HEARTBEAT)
    await recording(c, ['t'])
    const { payload: join } = await joined
    const { payload } = await beat
    expect(payload).toEqual({ groupId: 'g', memberId: join.memberId, groupGenerationId: 1 })
  })

  it('consumer.commit_offsets carries the committed offsets', async () => {
    const { consumer, produce } = await start()
    await produce('t', ['m0', 'm1'])
    const c = consumer({ groupId: 'g' })
    const commit = nextEvent(c, c.events.COMMIT_OFFSETS)
    const joined = nextEvent(c, c.events.GROUP_JOIN)
    await recording(c, ['t'])
    const { payload: join } = await joined
    const { payload } = await commit
    expect(payload).toEqual({
      groupId: 'g',
      memberId: join.memberId,
      groupGenerationId: 1,
      topics: [{ topic: 't', partitions: [{ partition: '0', offset: '2' }] }],
    })
  })

  it('consumer.start_batch_process and end_batch_process frame each batch', async () => {
    const { consumer, produce, cluster } = await start()
    await produce('t', ['m0', 'm1', 'm2'])
    const c = consumer({ groupId: 'g' })
    const order: string[] = []
    const startEvent = nextEvent(c, c.events.START_BATCH_PROCESS)
    const endEvent = nextEvent(c, c.events.END_BATCH_PROCESS)
    c.on(c.events.START_BATCH_PROCESS, () => void order.push('start'))
    c.on(c.events.END_BATCH_PROCESS, () => void order.push('end'))
    await c.connect()
    await c.subscribe({ topics: ['t'], fromBeginning: true })
    await c.run({ eachMessage: async () => void order.push('message') })
    await cluster.settle()
    expect(order).toEqual(['start', 'message', 'message', 'message', 'end'])
    const expected = { topic: 't', partition: 0, highWatermark: '3', offsetLag: '0', offsetLagLow: '2', batchSize: 3, firstOffset: '0', lastOffset: '2' }
    expect((await startEvent).payload).toEqual(expected)
    const end = (await endEvent).payload
    expect(end).toMatchObject(expected)
    expect(typeof end.duration).toBe('number')
  })

  it('end_batch_process alone gets the whole payload, in kafkajs order, as the batch was before the handler', async () => {
    const { consumer, produce, cluster } = await start()
    await produce('t', ['m0', 'm1', 'm2'])
    const c = consumer({ groupId: 'g' })
    const endEvent = nextEvent(c, c.events.END_BATCH_PROCESS)
    await c.connect()
    await c.subscribe({ topics: ['t'], fromBeginning: true })
    await c.run({
      eachBatch: async ({ batch }) => {
        // The handler empties the batch it was given; the events still describe what it was given.
        batch.messages.length = 0
      },
    })
    await cluster.settle()
    const end = (await endEvent).payload
    expect(Object.keys(end)).toEqual(['topic', 'partition', 'highWatermark', 'offsetLag', 'offsetLagLow', 'batchSize', 'firstOffset', 'lastOffset', 'duration'])
    expect(end).toMatchObject({ topic: 't', partition: 0, highWatermark: '3', offsetLag: '0', offsetLagLow: '2', batchSize: 3, firstOffset: '0', lastOffset: '2' })
  })

  it('an end_batch_process listener added while the handler runs gets that batch as it was before the handler', async () => {
    const { consumer, produce, cluster } = await start()
    await produce('t', ['m0', 'm1'])
    const c = consumer({ groupId: 'g' })
    const ends: unknown[] = []
    await c.connect()
    await c.subscribe({ topics: ['t'], fromBeginning: true })
    await c.run({
      eachBatch: async ({ batch }) => {
        if (ends.length === 0) c.on(c.events.END_BATCH_PROCESS, ({ payload }) => void ends.push(payload))
        batch.messages.splice(0, 1)
      },
    })
    await cluster.settle()
    expect(ends[0]).toMatchObject({ topic: 't', partition: 0, highWatermark: '2', offsetLagLow: '1', batchSize: 2, firstOffset: '0', lastOffset: '1' })
  })

  it('with eachMessage, an end_batch_process listener added by the handler gets the whole batch it belongs to', async () => {
    const { consumer, produce, cluster } = await start()
    await produce('t', ['m0', 'm1', 'm2'])
    const c = consumer({ groupId: 'g' })
    const ends: unknown[] = []
    await c.connect()
    await c.subscribe({ topics: ['t'], fromBeginning: true })
    await c.run({
      eachMessage: async ({ message }) => {
        if (message.offset === '1') c.on(c.events.END_BATCH_PROCESS, ({ payload }) => void ends.push(payload))
      },
    })
    await cluster.settle()
    expect(ends).toHaveLength(1)
    expect(ends[0]).toMatchObject({ topic: 't', partition: 0, highWatermark: '3', offsetLag: '0', offsetLagLow: '2', batchSize: 3, firstOffset: '0', lastOffset: '2' })
  })

  it("eachBatch's and eachMessage's helpers carry kafkajs's names and work when taken off the payload", async () => {
    const { consumer, produce, cluster } = await start()
    await produce('t', ['m0'])
    const names: string[][] = []
    const c = consumer({ groupId: 'g' })
    await c.connect()
    await c.subscribe({ topics: ['t'], fromBeginning: true })
    await c.run({
      eachBatch: async (payload) => {
        const { resolveOffset, heartbeat, pause, commitOffsetsIfNecessary, uncommittedOffsets, isRunning, isStale, batch } = payload
        names.push([resolveOffset, heartbeat, pause, commitOffsetsIfNecessary, uncommittedOffsets, isRunning, isStale].map((f) => f.name))
        expect(isRunning()).toBe(true)
        expect(isStale()).toBe(false)
        resolveOffset(batch.lastOffset())
        expect(uncommittedOffsets()).toEqual({ topics: [{ topic: 't', partitions: [{ partition: 0, offset: '1' }] }] })
        await heartbeat()
        await commitOffsetsIfNecessary()
      },
    })
    await cluster.settle()
    expect(names[0]).toEqual(['resolveOffset', 'heartbeat', 'pause', 'commitOffsetsIfNecessary', 'uncommittedOffsets', 'isRunning', 'isStale'])
    const d = consumer({ groupId: 'h' })
    await d.connect()
    await d.subscribe({ topics: ['t'], fromBeginning: true })
    await d.run({
      eachMessage: async ({ heartbeat, pause }) => {
        names.push([heartbeat.name, pause.name])
        await heartbeat()
      },
    })
    await cluster.settle()
    expect(names[1]).toEqual(['heartbeat', 'pause'])
  })

  it('consumer.fetch_start and consumer.fetch frame each fetch', async () => {
    const { consumer, produce } = await start()
    await produce('t', ['m0'])
    const c = consumer({ groupId: 'g' })
    const order: string[] = []
    c.on(c.events.FETCH_START, () => void order.push('fetch_start'))
    c.on(c.events.FETCH, () => void order.push('fetch'))
    c.on(c.events.START_BATCH_PROCESS, () => void order.push('batch'))
    const fetchStart = nextEvent(c, c.events.FETCH_START)
    const fetch = nextEvent(c, c.events.FETCH)
    await recording(c, ['t'])
    expect(typeof (await fetchStart).payload.nodeId).toBe('number')
    const { payload } = await fetch
    // kafkajs always reports numberOfBatches 0 (runner.js, since PR #570); any number will do.
    expect(typeof payload.numberOfBatches).toBe('number')
    expect(typeof payload.duration).toBe('number')
    await until(() => order.includes('batch'))
    expect(order.slice(0, 3)).toEqual(['fetch_start', 'fetch', 'batch'])
  })

  it('consumer.fetch carries the nodeId of the broker fetched from, as FETCH_START does', async () => {
    const { consumer, produce } = await start()
    await produce('t', ['m0'])
    const c = consumer({ groupId: 'g' })
    const fetchStart = nextEvent(c, c.events.FETCH_START)
    const fetch = nextEvent(c, c.events.FETCH)
    await recording(c, ['t'])
    const { payload } = await fetch
    expect(Object.keys(payload).sort()).toEqual(['duration', 'nodeId', 'numberOfBatches'])
    expect(payload.nodeId).toBe((await fetchStart).payload.nodeId)
  })

  it("with several leaders, each consumer.fetch counts its own leader's batches", async () => {
    const { consumer, produce, cluster } = await start({ topics: { t: 6 }, brokers: 3 })
    for (let partition = 0; partition < 6; partition++) await produce('t', [`m${partition}`], partition)
    const leaders = cluster.describe().topics.find((t) => t.name === 't')!.partitions.map((p) => p.leader)
    expect(new Set(leaders).size).toBe(3)
    const c = consumer({ groupId: 'g' })
    const fetches: { nodeId: number; numberOfBatches: number }[] = []
    c.on(c.events.FETCH, ({ payload }) => void fetches.push(payload))
    const seen = await recording(c, ['t'])
    await until(() => seen.length === 6)
    // The first round asks each leader for its two partitions, each with one message.
    const firstRound = fetches.slice(0, 3)
    expect(firstRound.map((f) => f.nodeId).sort()).toEqual([...new Set(leaders)].sort())
    expect(firstRound.map((f) => f.numberOfBatches)).toEqual([2, 2, 2])
  })

  it('consumer.connect, consumer.stop and consumer.disconnect', async () => {
    const { consumer, cluster } = await start()
    const c = consumer({ groupId: 'g' })
    const order: string[] = []
    for (const name of [c.events.CONNECT, c.events.STOP, c.events.DISCONNECT]) c.on(name, (e) => void order.push(e.type))
    await recording(c, ['t'])
    await cluster.settle()
    await c.disconnect()
    expect(order).toEqual(['consumer.connect', 'consumer.stop', 'consumer.disconnect'])
  })

  it('on() with an unknown event name throws KafkaJSNonRetriableError', async () => {
    const { consumer } = await start()
    const c = consumer({ groupId: 'g' })
    expect(() => c.on('consumer.nope' as never, () => {})).toThrow(KafkaJSNonRetriableError)
    expect(() => c.on('consumer.nope' as never, () => {})).toThrow(/^Event name should be one of consumer\.events\.HEARTBEAT, /)
  })

  it('a listener removed with the function on() returns is not called again', async () => {
    const { consumer, produce, cluster } = await start()
    const c = consumer({ groupId: 'g' })
    let calls = 0
    const remove = c.on(c.events.START_BATCH_PROCESS, () => void calls++)
    await recording(c, ['t'])
    await produce('t', ['m0'])
    await cluster.settle()
    expect(calls).toBe(1)
    remove()
    await produce('t', ['m1'])
    await cluster.settle()
    expect(calls).toBe(1)
  })
})

describe('crashes', () => {
  it('a TypeError in the handler crashes the consumer for good: consumer.crash { restart: false }', async () => {
    const { consumer, produce, cluster } = await start()
    await produce('t', ['m0'])
    const c = consumer({ groupId: 'g', retry: { retries: 2, initialRetryTime: 5 } })
    let calls = 0
    const crash = nextEvent(c, c.events.CRASH)
    await c.connect()
    await c.subscribe({ topics: ['t'], fromBeginning: true })
    await c.run({
      eachMessage: async () => {
        calls++
        throw new TypeError('bad code')
      },
    })
    const { payload } = await crash
    expect(payload.groupId).toBe('g')
    expect(payload.restart).toBe(false)
    expect(payload.error).toBeInstanceOf(TypeError)
    expect(payload.error.message).toBe('bad code')
    // Not retried, and not restarted later.
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(calls).toBe(1)
    // The crashed consumer left the group.
    expect(cluster.describe().groups[0]!.members).toEqual([])
  })

  it('a handler that keeps failing gets the same message retry.retries + 1 times, then KafkaJSNumberOfRetriesExceeded and a restart', async () => {
    const { consumer, produce } = await start()
    await produce('t', ['m0', 'm1'])
    const c = consumer({ groupId: 'g', retry: { retries: 2, initialRetryTime: 5 } })
    const offsets: string[] = []
    await c.connect()
    await c.subscribe({ topics: ['t'], fromBeginning: true })
    const crash = new Promise<any>((resolve) => {
      const remove = c.on(c.events.CRASH, (event) => {
        remove()
        // Record how often it was called at the moment of the crash, before any restart.
        resolve({ payload: event.payload, callsAtCrash: offsets.length })
      })
    })
    await c.run({
      eachMessage: async ({ message }) => {
        offsets.push(message.offset)
        throw new Error('still broken')
      },
    })
    const { payload, callsAtCrash } = await crash
    expect(callsAtCrash).toBe(3)
    expect(offsets.slice(0, 3)).toEqual(['0', '0', '0'])
    expect(payload.groupId).toBe('g')
    expect(payload.restart).toBe(true)
    expect(payload.error).toBeInstanceOf(KafkaJSNumberOfRetriesExceeded)
    expect(payload.error.name).toBe('KafkaJSNumberOfRetriesExceeded')
    expect(payload.error.cause?.message ?? payload.error.originalError?.message).toBe('still broken')

    // The restart rejoins and gets the same message again.
    await until(() => offsets.length > 3, 2_000)
    expect(offsets[3]).toBe('0')
    await c.disconnect()
  })

  it('restartOnFailure can veto the restart', async () => {
    const { consumer, produce } = await start()
    await produce('t', ['m0'])
    const asked: string[] = []
    const c = consumer({
      groupId: 'g',
      retry: {
        retries: 0,
        initialRetryTime: 5,
        restartOnFailure: async (e) => {
          asked.push(e.name)
          return false
        },
      },
    })
    const crash = nextEvent(c, c.events.CRASH)
    await c.connect()
    await c.subscribe({ topics: ['t'], fromBeginning: true })
    await c.run({
      eachMessage: async () => {
        throw new Error('broken')
      },
    })
    const { payload } = await crash
    expect(payload.restart).toBe(false)
    expect(asked).toEqual(['KafkaJSNumberOfRetriesExceeded'])
  })

  it('an error thrown from eachBatch is retried the same way', async () => {
    const { consumer, produce, cluster, committed } = await start()
    await produce('t', ['m0', 'm1'])
    const c = consumer({ groupId: 'g', retry: { retries: 3, initialRetryTime: 5 } })
    const firstOffsets: (string | null)[] = []
    await c.connect()
    await c.subscribe({ topics: ['t'], fromBeginning: true })
    await c.run({
      eachBatch: async ({ batch }) => {
        firstOffsets.push(batch.firstOffset())
        if (firstOffsets.length === 1) throw new KafkaJSError('flaky')
      },
    })
    await until(() => firstOffsets.length >= 2)
    await cluster.settle()
    expect(firstOffsets).toEqual(['0', '0'])
    expect(await committed('g', 't')).toBe('2')
  })
})

describe('auto-commit during a batch (eachMessage)', () => {
  it('autoCommitThreshold commits once that many offsets are resolved, before the batch ends', async () => {
    const { consumer, produce, cluster, committed } = await start()
    await produce('t', ['m0', 'm1', 'm2', 'm3'])
    const seenCommitted: string[] = []
    const c = consumer({ groupId: 'g' })
    await c.connect()
    await c.subscribe({ topics: ['t'], fromBeginning: true })
    await c.run({ autoCommitThreshold: 2, eachMessage: async () => void seenCommitted.push(await committed('g', 't')) })
    await cluster.settle()
    expect(seenCommitted).toEqual(['-1', '-1', '2', '2'])
    expect(await committed('g', 't')).toBe('4')
  })

  it('autoCommitInterval commits once the interval has passed since the last commit', async () => {
    const { consumer, produce, cluster, committed } = await start()
    await produce('t', ['m0', 'm1', 'm2'])
    const seenCommitted: string[] = []
    const c = consumer({ groupId: 'g' })
    await c.connect()
    await c.subscribe({ topics: ['t'], fromBeginning: true })
    await c.run({
      autoCommitInterval: 10,
      eachMessage: async ({ message }) => {
        seenCommitted.push(await committed('g', 't'))
        if (message.offset === '0') await new Promise((resolve) => setTimeout(resolve, 25))
      },
    })
    await cluster.settle()
    // m0 took longer than the interval, so its offset was committed before m1 ran.
    expect(seenCommitted.slice(0, 2)).toEqual(['-1', '1'])
    expect(await committed('g', 't')).toBe('3')
  })
})

describe('partitionsConsumedConcurrently', () => {
  async function maxInFlight(concurrency: number | undefined): Promise<number> {
    const { consumer, producer, cluster } = await start({ topics: { t: 3 } })
    await producer.send({ topic: 't', messages: [0, 1, 2].map((partition) => ({ value: `p${partition}`, partition })) })
    let inFlight = 0
    let max = 0
    const c = consumer({ groupId: 'g' })
    await c.connect()
    await c.subscribe({ topics: ['t'], fromBeginning: true })
    await c.run({
      ...(concurrency === undefined ? {} : { partitionsConsumedConcurrently: concurrency }),
      eachMessage: async () => {
        inFlight++
        max = Math.max(max, inFlight)
        await new Promise((resolve) => setTimeout(resolve, 10))
        inFlight--
      },
    })
    await cluster.settle()
    return max
  }

  it('processes one partition at a time by default', async () => {
    expect(await maxInFlight(undefined)).toBe(1)
  })

  it('processes up to that many partitions at once', async () => {
    expect(await maxInFlight(2)).toBe(2)
    expect(await maxInFlight(3)).toBe(3)
  })
})

describe('offsets out of range', () => {
  // KAFKA-SEMANTICS scenario 9: DeleteRecords overtakes the group's committed offset; the fetch
  // gets OFFSET_OUT_OF_RANGE and the consumer applies its reset policy (fromBeginning).
  for (const [fromBeginning, expected] of [
    [true, ['m3', 'm4', 'new']],
    [false, ['new']],
  ] as const) {
    it(`a committed offset below the log start resets to the ${fromBeginning ? 'earliest' : 'latest'} offset (fromBeginning: ${fromBeginning})`, async () => {
      const { consumer, produce, cluster, admin } = await start()
      await produce('t', ['m0', 'm1', 'm2', 'm3', 'm4'])
      await admin.setOffsets({ groupId: 'g', topic: 't', partitions: [{ partition: 0, offset: '1' }] })
      await admin.deleteTopicRecords({ topic: 't', partitions: [{ partition: 0, offset: '3' }] })
      expect(cluster.describe().topics.find((t) => t.name === 't')!.partitions[0]!.logStartOffset).toBe(3)
      const seen = await recording(consumer({ groupId: 'g' }), ['t'], fromBeginning)
      await cluster.settle()
      await produce('t', ['new'])
      await cluster.settle()
      expect(values(seen.map((s) => s.message))).toEqual(expected)
    })
  }

  it('an answer with two partitions out of range among others resets and logs each in the answer order, and delivers every partition', async () => {
    const cluster = new Cluster({ brokers: 1, seed: 1 })
    const logged: { level: number; log: { message: string; partition?: number; offset?: number } }[] = []
    const kafka = cluster.kafka({ clientId: 't', logLevel: logLevel.ERROR, logCreator: () => (entry) => void logged.push(entry as never) })
    const admin = kafka.admin()
    const producer = kafka.producer()
    await admin.connect()
    await producer.connect()
    const c = kafka.consumer({ groupId: 'g' })
    cleanups.push(async () => {
      await c.disconnect().catch(() => {})
      await producer.disconnect()
      await admin.disconnect()
      await cluster.close()
    })
    await admin.createTopics({ topics: [{ topic: 't', numPartitions: 4 }] })
    for (let partition = 0; partition < 4; partition++) {
      await producer.send({ topic: 't', messages: ['a', 'b', 'c', 'd'].map((v) => ({ value: `${partition}${v}`, partition })) })
    }
    await admin.setOffsets({ groupId: 'g', topic: 't', partitions: [0, 1, 2, 3].map((partition) => ({ partition, offset: '1' })) })
    await admin.deleteTopicRecords({ topic: 't', partitions: [{ partition: 3, offset: '3' }, { partition: 1, offset: '2' }] })
    const seen = await recording(c, ['t'], true)
    await cluster.settle()
    const byPartition = (p: number) => values(seen.filter((s) => s.partition === p).map((s) => s.message))
    expect([0, 1, 2, 3].map(byPartition)).toEqual([
      ['0b', '0c', '0d'],
      ['1c', '1d'],
      ['2b', '2c', '2d'],
      ['3d'],
    ])
    const resets = logged.filter((e) => e.log.message === 'Offset out of range, resetting to the default offset')
    expect(resets.map((e) => [e.log.partition, e.log.offset])).toEqual([
      [1, 2],
      [3, 3],
    ])
  })
})

describe('topics and values', () => {
  it('subscribing to a topic that does not exist creates it (allowAutoTopicCreation defaults to true)', async () => {
    const { consumer, produce, cluster } = await start({ topics: {} })
    const seen = await recording(consumer({ groupId: 'g' }), ['fresh'])
    expect(cluster.describe().topics.map((t) => t.name)).toContain('fresh')
    await cluster.settle()
    await produce('fresh', ['hello'])
    await cluster.settle()
    expect(values(seen.map((s) => s.message))).toEqual(['hello'])
  })

  it('with allowAutoTopicCreation: false, subscribing to a missing topic fails with UNKNOWN_TOPIC_OR_PARTITION and creates nothing', async () => {
    const { consumer, cluster } = await start({ topics: {} })
    const c = consumer({ groupId: 'g', allowAutoTopicCreation: false })
    await c.connect()
    const before = cluster.describe()
    const error = await c.subscribe({ topics: ['missing'] }).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(KafkaJSProtocolError)
    expect((error as KafkaJSProtocolError).type).toBe('UNKNOWN_TOPIC_OR_PARTITION')
    expect(cluster.describe().topics).toEqual(before.topics)
  })

  it('a tombstone (value: null) arrives with value null', async () => {
    const { consumer, producer, cluster } = await start()
    await producer.send({ topic: 't', messages: [{ key: 'k', value: null, partition: 0 }] })
    const seen = await recording(consumer({ groupId: 'g' }), ['t'])
    await cluster.settle()
    expect(seen).toHaveLength(1)
    expect(seen[0]!.message.value).toBeNull()
    expect(seen[0]!.message.key!.toString()).toBe('k')
  })

  it('the heartbeat() of the payload heartbeats once heartbeatInterval has passed', async () => {
    const { consumer, produce, cluster } = await start()
    await produce('t', ['m0'])
    const c = consumer({ groupId: 'g', heartbeatInterval: 10 })
    const beats: number[] = []
    c.on(c.events.HEARTBEAT, (e) => void beats.push(e.timestamp))
    let beatsInHandler = -1
    await c.connect()
    await c.subscribe({ topics: ['t'], fromBeginning: true })
    await c.run({
      eachMessage: async ({ heartbeat }) => {
        await new Promise((resolve) => setTimeout(resolve, 20))
        const before = beats.length
        await heartbeat()
        beatsInHandler = beats.length - before
      },
    })
    await cluster.settle()
    expect(beatsInHandler).toBe(1)
  })
})

describe('seek and pause from inside a handler', () => {
  it('a seek from eachMessage skips the rest of the batch and re-reads from the sought offset', async () => {
    // kafkajs processEachMessage: `if (!this.running || hasSeekOffset(...)) break` before each message.
    const { consumer, produce, cluster, committed } = await start()
    await produce('t', ['m0', 'm1', 'm2'])
    const c = consumer({ groupId: 'g' })
    const seen: string[] = []
    let sought = false
    await c.connect()
    await c.subscribe({ topics: ['t'], fromBeginning: true })
    await c.run({
      eachMessage: async ({ topic, partition, message }) => {
        seen.push(message.offset)
        if (message.offset === '1' && !sought) {
          sought = true
          c.seek({ topic, partition, offset: '0' })
        }
      },
    })
    await cluster.settle()
    expect(seen).toEqual(['0', '1', '0', '1', '2'])
    expect(await committed('g', 't')).toBe('3')
  })

  it('a seek from eachBatch is not overridden by the auto-resolve of the batch', async () => {
    const { consumer, produce, cluster, committed } = await start()
    await produce('t', ['m0', 'm1'])
    const c = consumer({ groupId: 'g' })
    const firstOffsets: (string | null)[] = []
    await c.connect()
    await c.subscribe({ topics: ['t'], fromBeginning: true })
    await c.run({
      eachBatch: async ({ batch }) => {
        firstOffsets.push(batch.firstOffset())
        if (firstOffsets.length === 1) c.seek({ topic: batch.topic, partition: batch.partition, offset: '1' })
      },
    })
    await cluster.settle()
    expect(firstOffsets).toEqual(['0', '1'])
    expect(await committed('g', 't')).toBe('2')
  })

  it('isStale() turns true in eachBatch once the partition has a pending seek', async () => {
    const { consumer, produce, cluster } = await start()
    await produce('t', ['m0', 'm1'])
    const c = consumer({ groupId: 'g' })
    const stale: boolean[] = []
    const firstOffsets: (string | null)[] = []
    await c.connect()
    await c.subscribe({ topics: ['t'], fromBeginning: true })
    await c.run({
      eachBatch: async ({ batch, isStale }) => {
        firstOffsets.push(batch.firstOffset())
        if (firstOffsets.length > 1) return
        stale.push(isStale())
        c.seek({ topic: batch.topic, partition: batch.partition, offset: '1' })
        stale.push(isStale())
      },
    })
    await cluster.settle()
    expect(stale).toEqual([false, true])
    expect(firstOffsets).toEqual(['0', '1'])
  })

  it('consumer.pause() from inside eachMessage stops the batch after the current message', async () => {
    const { consumer, produce, cluster } = await start()
    await produce('t', ['m0', 'm1', 'm2'])
    const c = consumer({ groupId: 'g' })
    const seen: string[] = []
    await c.connect()
    await c.subscribe({ topics: ['t'], fromBeginning: true })
    await c.run({
      eachMessage: async ({ topic, message }) => {
        seen.push(message.offset)
        if (message.offset === '0') c.pause([{ topic }])
      },
    })
    await cluster.settle()
    expect(seen).toEqual(['0'])
  })
})
