/**
 * The consumer's argument validation (kafkajs 2.2.4, src/consumer/index.js): commitOffsets,
 * seek, pause, resume and subscribe reject bad input with KafkaJSNonRetriableError and
 * kafkajs's messages, before they check whether run() was called, and a rejected call changes
 * nothing in the cluster. A ManualClock keeps the cluster still between the two snapshots, so
 * `cluster.describe()` must be exactly equal before and after.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { Cluster, KafkaJSNonRetriableError, KafkaJSProtocolError, ManualClock, logLevel, type Consumer } from '../../../src/index.js'

const cleanups: (() => Promise<void>)[] = []

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

/**
 * A cluster with topic `t` (2 partitions, 3 messages on partition 0) and a consumer of group `g`.
 * With `running`, the consumer has joined and consumed everything (so the group has offsets).
 */
async function setup({ running }: { running: boolean }) {
  const cluster = new Cluster({ brokers: 1, seed: 7, clock: new ManualClock(1_000_000) })
  const kafka = cluster.kafka({ clientId: 't', logLevel: logLevel.NOTHING })
  const admin = kafka.admin()
  await admin.connect()
  await admin.createTopics({ topics: [{ topic: 't', numPartitions: 2 }] })
  const producer = kafka.producer()
  await producer.connect()
  await producer.send({ topic: 't', messages: ['m0', 'm1', 'm2'].map((value) => ({ value, partition: 0 })) })
  const consumer = kafka.consumer({ groupId: 'g' })
  await consumer.connect()
  await consumer.subscribe({ topics: ['t'], fromBeginning: true })
  const seen: string[] = []
  if (running) {
    await consumer.run({ eachMessage: async ({ message }) => void seen.push(message.offset) })
    await cluster.settle()
  }
  cleanups.push(async () => {
    await consumer.disconnect().catch(() => {})
    await producer.disconnect().catch(() => {})
    await admin.disconnect().catch(() => {})
    await cluster.close()
  })
  return { cluster, kafka, consumer, seen }
}

/** Asserts that `act` fails (throws or rejects) with KafkaJSNonRetriableError and `message`. */
async function rejects(act: () => unknown, message: string | RegExp): Promise<void> {
  let error: unknown
  try {
    await act()
  } catch (e) {
    error = e
  }
  expect(error, 'expected the call to fail').toBeInstanceOf(KafkaJSNonRetriableError)
  expect((error as Error).name).toBe('KafkaJSNonRetriableError')
  if (typeof message === 'string') expect((error as Error).message).toBe(message)
  else expect((error as Error).message).toMatch(message)
  expect((error as { retriable: boolean }).retriable).toBe(false)
}

/** Runs `act`, expecting the failure, and checks that the cluster looks exactly the same after it. */
async function rejectsWithoutEffect(cluster: Cluster, act: () => unknown, message: string | RegExp): Promise<void> {
  const before = cluster.describe()
  await rejects(act, message)
  await cluster.settle()
  expect(cluster.describe()).toEqual(before)
}

type Commit = NonNullable<Parameters<Consumer['commitOffsets']>[0]>[number]
const commit = (over: Partial<Record<keyof Commit, unknown>>): Commit[] => [{ topic: 't', partition: 0, offset: '1', ...over } as Commit]

describe('commitOffsets() validation', () => {
  const cases: [string, Partial<Record<keyof Commit, unknown>>, string][] = [
    ['a missing topic', { topic: undefined }, 'Invalid topic undefined'],
    ['an empty topic', { topic: '' }, 'Invalid topic '],
    ['a partition that is not a number', { partition: 'one' }, 'Invalid partition, expected a number received one'],
    ['a missing partition', { partition: undefined }, 'Invalid partition, expected a number received undefined'],
    ['a missing offset', { offset: undefined }, 'Invalid offset, expected a long received undefined'],
    ['a null offset', { offset: null }, 'Invalid offset, expected a long received null'],
    ['an offset that is not an integer string', { offset: 'abc' }, 'Invalid offset, expected a long received abc'],
    ['a fractional offset', { offset: 1.5 }, 'Invalid offset, expected a long received 1.5'],
    ['a negative offset', { offset: '-1' }, 'Offset must not be a negative number'],
    ['a negative numeric offset', { offset: -7 }, 'Offset must not be a negative number'],
    ['metadata that is not a string', { metadata: 5 }, 'Invalid offset metadata, expected string or null, received 5'],
  ]

  for (const [what, over, message] of cases) {
    it(`rejects ${what}: '${message}'`, async () => {
      const { cluster, consumer } = await setup({ running: true })
      await rejectsWithoutEffect(cluster, () => consumer.commitOffsets(commit(over)), message)
    })
  }

  it('validates every entry before committing any (a bad second entry commits nothing)', async () => {
    const { cluster, consumer } = await setup({ running: true })
    await rejectsWithoutEffect(
      cluster,
      () => consumer.commitOffsets([{ topic: 't', partition: 1, offset: '0' }, ...commit({ offset: '-2' })]),
      'Offset must not be a negative number',
    )
  })

  it('validates the input before checking that run() was called', async () => {
    const { cluster, consumer } = await setup({ running: false })
    await rejectsWithoutEffect(cluster, () => consumer.commitOffsets(commit({ partition: 'x' })), 'Invalid partition, expected a number received x')
  })

  it("before run(): 'Consumer group was not initialized, consumer#run must be called first'", async () => {
    const { cluster, consumer } = await setup({ running: false })
    await rejectsWithoutEffect(cluster, () => consumer.commitOffsets(commit({})), 'Consumer group was not initialized, consumer#run must be called first')
  })

  it('accepts numeric and bigint offsets and numeric-string partitions (kafkajs uses Long.fromValue and isNaN)', async () => {
    const { cluster, consumer } = await setup({ running: true })
    await consumer.commitOffsets(commit({ offset: 2 }))
    expect(cluster.describe().groups[0]!.offsets.find((o) => o.partition === 0)!.committedOffset).toBe(2)
    await consumer.commitOffsets(commit({ offset: 1n }))
    expect(cluster.describe().groups[0]!.offsets.find((o) => o.partition === 0)!.committedOffset).toBe(1)
  })
})

describe('seek() validation', () => {
  type Seek = Parameters<Consumer['seek']>[0]
  const seek = (over: Partial<Record<keyof Seek, unknown>>): Seek => ({ topic: 't', partition: 0, offset: '1', ...over }) as Seek
  const cases: [string, Partial<Record<keyof Seek, unknown>>, string][] = [
    ['a missing topic', { topic: undefined }, 'Invalid topic undefined'],
    ['a partition that is not a number', { partition: 'zero' }, 'Invalid partition, expected a number received zero'],
    ['a missing offset', { offset: undefined }, 'Invalid offset, expected a long received undefined'],
    ['an offset that is not an integer string', { offset: '1e3x' }, 'Invalid offset, expected a long received 1e3x'],
    ['a negative offset other than -1 and -2', { offset: '-3' }, 'Offset must not be a negative number'],
  ]

  for (const [what, over, message] of cases) {
    it(`rejects ${what}: '${message}'`, async () => {
      const { cluster, consumer, seen } = await setup({ running: true })
      // seek is synchronous in kafkajs: it throws, it does not return a rejected promise.
      expect(() => consumer.seek(seek(over))).toThrow(KafkaJSNonRetriableError)
      await rejectsWithoutEffect(cluster, () => consumer.seek(seek(over)), message)
      expect(seen).toEqual(['0', '1', '2'])
    })
  }

  it('validates the input before checking that run() was called', async () => {
    const { cluster, consumer } = await setup({ running: false })
    await rejectsWithoutEffect(cluster, () => consumer.seek(seek({ offset: '-5' })), 'Offset must not be a negative number')
  })

  it("before run(): 'Consumer group was not initialized, consumer#run must be called first', even for -1 / -2", async () => {
    const { cluster, consumer } = await setup({ running: false })
    for (const offset of ['0', '-1', '-2']) {
      await rejectsWithoutEffect(cluster, () => consumer.seek(seek({ offset })), 'Consumer group was not initialized, consumer#run must be called first')
    }
  })
})

describe('pause() and resume() validation', () => {
  for (const verb of ['pause', 'resume'] as const) {
    const cases: [string, unknown[], string][] = [
      ['a null entry', [null], 'Invalid topic null'],
      ['an entry without a topic', [{ partitions: [0] }], 'Invalid topic [object Object]'],
      ['an empty topic', [{ topic: '' }], 'Invalid topic [object Object]'],
      ['partitions that are not an array', [{ topic: 't', partitions: 0 }], `Array of valid partitions required to ${verb} specific partitions instead of 0`],
      ['a partition that is not a number', [{ topic: 't', partitions: [0, 'x'] }], `Array of valid partitions required to ${verb} specific partitions instead of 0,x`],
    ]
    for (const [what, input, message] of cases) {
      it(`${verb}() rejects ${what}: '${message}'`, async () => {
        const { cluster, consumer } = await setup({ running: true })
        const pausedBefore = consumer.paused()
        await rejectsWithoutEffect(cluster, () => consumer[verb](input as never), message)
        expect(consumer.paused()).toEqual(pausedBefore)
      })
    }

    it(`${verb}() before run(): 'Consumer group was not initialized, consumer#run must be called first'`, async () => {
      const { cluster, consumer } = await setup({ running: false })
      await rejectsWithoutEffect(cluster, () => consumer[verb]([{ topic: 't' }]), 'Consumer group was not initialized, consumer#run must be called first')
      expect(consumer.paused()).toEqual([])
    })

    it(`${verb}() validates the input before checking that run() was called`, async () => {
      const { cluster, consumer } = await setup({ running: false })
      await rejectsWithoutEffect(cluster, () => consumer[verb]([{ topic: '' }]), 'Invalid topic [object Object]')
    })
  }

  it('a rejected pause() pauses none of the entries before the bad one', async () => {
    const { cluster, consumer } = await setup({ running: true })
    await rejectsWithoutEffect(cluster, () => consumer.pause([{ topic: 't' }, { topic: '' }]), 'Invalid topic [object Object]')
    expect(consumer.paused()).toEqual([])
  })
})

describe('subscribe() validation', () => {
  const cases: [string, unknown, string][] = [
    ['a number as topic', { topics: [42] }, 'Invalid topic 42 (number), the topic name has to be a String or a RegExp'],
    ['an object as topic', { topics: ['t', { name: 'x' }] }, 'Invalid topic [object Object] (object), the topic name has to be a String or a RegExp'],
    ['a null topic', { topics: [null] }, 'Invalid topic null (object), the topic name has to be a String or a RegExp'],
    ['no topics at all', {}, 'Missing required argument "topics"'],
    ['topics that are not an array', { topics: 't' }, 'Argument "topics" must be an array'],
  ]

  for (const [what, input, message] of cases) {
    it(`rejects ${what}: '${message}'`, async () => {
      const cluster = new Cluster({ brokers: 1, seed: 7, clock: new ManualClock(1_000_000) })
      cleanups.push(() => cluster.close())
      const consumer = cluster.kafka({ clientId: 't', logLevel: logLevel.NOTHING }).consumer({ groupId: 'g' })
      await consumer.connect()
      await rejectsWithoutEffect(cluster, () => consumer.subscribe(input as never), message)
      expect(cluster.describe().topics.filter((t) => !t.internal)).toEqual([])
    })
  }

  it('a rejected subscribe() subscribes to none of its topics (a later run() has nothing to consume)', async () => {
    const { cluster, kafka } = await setup({ running: false })
    const consumer = kafka.consumer({ groupId: 'other' })
    cleanups.push(() => consumer.disconnect())
    await consumer.connect()
    await rejects(() => consumer.subscribe({ topics: ['t', 7 as never], fromBeginning: true }), /^Invalid topic 7 \(number\)/)
    const seen: string[] = []
    await consumer.run({ eachMessage: async ({ message }) => void seen.push(message.offset) })
    await cluster.settle()
    expect(seen).toEqual([])
    const group = cluster.describe().groups.find((g) => g.groupId === 'other')
    expect(group?.members.flatMap((m) => Object.keys(m.assignment)) ?? []).toEqual([])
  })

  it('an invalid topic name is refused by the cluster with INVALID_TOPIC_EXCEPTION and creates nothing', async () => {
    const cluster = new Cluster({ brokers: 1, seed: 7, clock: new ManualClock(1_000_000) })
    cleanups.push(() => cluster.close())
    const consumer = cluster.kafka({ clientId: 't', logLevel: logLevel.NOTHING }).consumer({ groupId: 'g' })
    await consumer.connect()
    const before = cluster.describe()
    const error = await consumer.subscribe({ topics: ['not a valid name!'] }).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(KafkaJSProtocolError)
    expect((error as KafkaJSProtocolError).type).toBe('INVALID_TOPIC_EXCEPTION')
    expect(cluster.describe()).toEqual(before)
  })
})

describe('run() misuse', () => {
  it('a second run() while running is ignored (kafkajs warns and returns)', async () => {
    const { cluster, consumer, seen } = await setup({ running: true })
    const before = cluster.describe()
    await consumer.run({ eachMessage: async () => {} })
    await cluster.settle()
    expect(cluster.describe()).toEqual(before)
    expect(seen).toEqual(['0', '1', '2'])
  })
})
