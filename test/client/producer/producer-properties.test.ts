/**
 * Invariants of the produce path over random workloads of send and sendBatch calls:
 * - offsets are dense: every partition holds exactly 0..n-1, and each result entry's
 *   baseOffset is where that call's messages for the partition start, one after another in the
 *   order they were given (KAFKA-SEMANTICS.md invariants 8 and 13);
 * - one key always lands on one partition, the one kafkajs's DefaultPartitioner picks, and a
 *   key's messages are read back in the order they were sent;
 * - ListOffsets agrees with what was produced: fetchTopicOffsets reports [logStartOffset, HW]
 *   and fetchTopicOffsetsByTimestamp the first offset at or after a timestamp (else the HW).
 */
import { createRequire } from 'node:module'
import fc from 'fast-check'
import type * as KafkaJS from 'kafkajs'
import { describe, expect, it } from 'vitest'
import { Cluster, ManualClock, logLevel, type KafkaMessage, type Message, type RecordMetadata } from '../../../src/index.js'

const require = createRequire(import.meta.url)
const kafkajs = require('kafkajs') as typeof KafkaJS

const TOPICS = ['t', 'u'] as const
type TopicName = (typeof TOPICS)[number]

interface GeneratedMessage {
  key: string | null
  /** Taken modulo the topic's partition count; undefined lets the partitioner choose. */
  partition: number | undefined
}
interface Call {
  kind: 'send' | 'sendBatch'
  acks: -1 | 0 | 1
  entries: { topic: TopicName; messages: GeneratedMessage[] }[]
}

const messageArb: fc.Arbitrary<GeneratedMessage> = fc.record({
  key: fc.option(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g'), { nil: null, freq: 3 }),
  // Mostly left to the partitioner; one message in four names its partition.
  partition: fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.nat(99) }),
})
const entryArb = fc.record({ topic: fc.constantFrom(...TOPICS), messages: fc.array(messageArb, { minLength: 1, maxLength: 6 }) })
const callArb: fc.Arbitrary<Call> = fc.oneof(
  fc.record({ kind: fc.constant('send' as const), acks: fc.constantFrom(-1 as const, 1 as const, 0 as const), entries: fc.tuple(entryArb).map((e) => [...e]) }),
  fc.record({ kind: fc.constant('sendBatch' as const), acks: fc.constantFrom(-1 as const, 1 as const, 0 as const), entries: fc.array(entryArb, { minLength: 1, maxLength: 4 }) }),
)
const setupArb = fc.record({
  brokers: fc.integer({ min: 1, max: 3 }),
  partitions: fc.record({ t: fc.integer({ min: 1, max: 4 }), u: fc.integer({ min: 1, max: 3 }) }),
  seed: fc.nat(),
})

type Setup = typeof setupArb extends fc.Arbitrary<infer T> ? T : never

interface Consumed extends KafkaMessage {
  topic: string
  partition: number
}

/**
 * Runs the calls on a fresh cluster and reads everything back with a consumer. Each message's
 * value is "call:index", index counting the call's messages per topic in kafkajs's merged order.
 */
async function run(setup: Setup, calls: Call[]) {
  const cluster = new Cluster({ brokers: setup.brokers, seed: setup.seed })
  try {
    const kafka = cluster.kafka({ clientId: 'p', logLevel: logLevel.NOTHING })
    const admin = kafka.admin()
    await admin.connect()
    await admin.createTopics({
      topics: TOPICS.map((topic) => ({ topic, numPartitions: setup.partitions[topic], replicationFactor: setup.brokers })),
    })
    await admin.disconnect()
    const producer = kafka.producer()
    await producer.connect()
    const results: RecordMetadata[][] = []
    for (const [c, call] of calls.entries()) {
      const counters: Record<string, number> = { t: 0, u: 0 }
      const topicMessages = call.entries.map(({ topic, messages }) => ({
        topic,
        messages: messages.map(
          (m): Message => ({
            key: m.key,
            value: `${c}:${counters[topic]!++}`,
            ...(m.partition === undefined ? {} : { partition: m.partition % setup.partitions[topic] }),
          }),
        ),
      }))
      results.push(
        call.kind === 'send'
          ? await producer.send({ acks: call.acks, ...topicMessages[0]! })
          : await producer.sendBatch({ acks: call.acks, topicMessages }),
      )
    }
    await producer.disconnect()

    const consumer = kafka.consumer({ groupId: 'reader' })
    await consumer.connect()
    await consumer.subscribe({ topics: [...TOPICS], fromBeginning: true })
    const consumed: Consumed[] = []
    await consumer.run({ eachMessage: async ({ topic, partition, message }) => void consumed.push({ ...message, topic, partition }) })
    await cluster.settle()
    await consumer.disconnect()
    return { results, consumed, description: cluster.describe() }
  } finally {
    await cluster.close()
  }
}

const callsArb = fc.array(callArb, { minLength: 1, maxLength: 10 })

describe('producer properties', () => {
  it('offsets are dense per partition, and each result entry is where that call’s batch starts', async () => {
    await fc.assert(
      fc.asyncProperty(setupArb, callsArb, async (setup, calls) => {
        const { results, consumed, description } = await run(setup, calls)
        const total = calls.reduce((n, c) => n + c.entries.reduce((m, e) => m + e.messages.length, 0), 0)
        expect(consumed).toHaveLength(total)

        // Every partition holds 0..n-1 and its high watermark is n.
        for (const topic of description.topics) {
          for (const p of topic.partitions) {
            const offsets = consumed.filter((m) => m.topic === topic.name && m.partition === p.partition).map((m) => Number(m.offset))
            expect(offsets).toEqual(offsets.map((_, i) => i))
            expect([p.logStartOffset, p.highWatermark, p.logEndOffset]).toEqual([0, offsets.length, offsets.length])
          }
        }

        // Each call: one result entry per partition it wrote (none with acks=0), and that
        // partition's messages of the call sit at baseOffset, baseOffset+1, ... in call order.
        for (const [c, call] of calls.entries()) {
          const mine = consumed.filter((m) => m.value!.toString().startsWith(`${c}:`))
          const written = new Map<string, Consumed[]>()
          for (const m of mine) {
            const key = `${m.topic}/${m.partition}`
            written.set(key, [...(written.get(key) ?? []), m])
          }
          if (call.acks === 0) {
            expect(results[c]).toEqual([])
            continue
          }
          expect(results[c]!.map((r) => `${r.topicName}/${r.partition}`).sort()).toEqual([...written.keys()].sort())
          for (const r of results[c]!) {
            const inOrder = written.get(`${r.topicName}/${r.partition}`)!.sort((a, b) => index(a) - index(b))
            expect(inOrder.map((m) => Number(m.offset))).toEqual(inOrder.map((_, i) => Number(r.baseOffset) + i))
            expect(r).toMatchObject({ errorCode: 0, logAppendTime: '-1', logStartOffset: '0' })
          }
        }
      }),
      { numRuns: 100 },
    )
  })

  it('one key, one partition (kafkajs’s choice), and its messages read back in send order', async () => {
    await fc.assert(
      fc.asyncProperty(setupArb, callsArb, async (setup, calls) => {
        const { consumed } = await run(setup, calls)
        // What each message asked for, by its value.
        const asked = new Map<string, GeneratedMessage>()
        for (const [c, call] of calls.entries()) {
          const counters: Record<string, number> = { t: 0, u: 0 }
          for (const { topic, messages } of call.entries) for (const m of messages) asked.set(`${topic}/${c}:${counters[topic]!++}`, m)
        }
        const partitioner = kafkajs.Partitioners.DefaultPartitioner()
        const byKey = new Map<string, Consumed[]>()
        for (const m of consumed) {
          const wanted = asked.get(`${m.topic}/${m.value!.toString()}`)!
          if (wanted.partition !== undefined || wanted.key === null) continue
          const n = setup.partitions[m.topic as TopicName]
          const partitionMetadata = Array.from({ length: n }, (_, partitionId) => ({ partitionId, leader: 0, partitionErrorCode: 0, replicas: [0], isr: [0] }))
          expect(m.partition).toBe(partitioner({ topic: m.topic, partitionMetadata, message: { key: wanted.key, value: null } }))
          const key = `${m.topic}/${wanted.key}`
          byKey.set(key, [...(byKey.get(key) ?? []), m])
        }
        for (const messages of byKey.values()) {
          expect(new Set(messages.map((m) => m.partition)).size).toBe(1)
          // Offset order is send order: call number first, then position within the call.
          const byOffset = [...messages].sort((a, b) => Number(a.offset) - Number(b.offset)).map((m) => m.value!.toString())
          const bySend = [...messages].sort((a, b) => call(a) - call(b) || index(a) - index(b)).map((m) => m.value!.toString())
          expect(byOffset).toEqual(bySend)
        }
      }),
      { numRuns: 100 },
    )
  })

  it('fetchTopicOffsets and fetchTopicOffsetsByTimestamp agree with what was produced', async () => {
    const sendArb = fc.record({
      partition: fc.nat(99),
      count: fc.integer({ min: 1, max: 4 }),
      // A CreateTime of the producer's choosing, or none (the clock's time is stamped).
      timestamp: fc.option(fc.integer({ min: 0, max: 2_000 }), { nil: undefined }),
      advance: fc.integer({ min: 0, max: 300 }),
    })
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 3 }),
        fc.boolean(),
        fc.array(sendArb, { maxLength: 12 }),
        fc.array(fc.integer({ min: -2, max: 3_500 }), { minLength: 1, maxLength: 6 }),
        fc.option(fc.record({ partition: fc.nat(99), upTo: fc.nat(10) }), { nil: undefined }),
        async (partitions, logAppendTime, sends, probes, deletion) => {
          const clock = new ManualClock(1_000)
          const cluster = new Cluster({ brokers: 2, seed: 7, clock })
          try {
            const kafka = cluster.kafka({ clientId: 'p', logLevel: logLevel.NOTHING })
            const admin = kafka.admin()
            await admin.connect()
            const configEntries = logAppendTime ? [{ name: 'message.timestamp.type', value: 'LogAppendTime' }] : []
            await admin.createTopics({ topics: [{ topic: 't', numPartitions: partitions, replicationFactor: 2, configEntries }] })
            const producer = kafka.producer()
            await producer.connect()
            // The timestamp of every record, by partition, in offset order.
            const stored: number[][] = Array.from({ length: partitions }, () => [])
            for (const send of sends) {
              const partition = send.partition % partitions
              const messages = Array.from({ length: send.count }, () => ({
                value: 'v',
                partition,
                ...(send.timestamp === undefined ? {} : { timestamp: String(send.timestamp) }),
              }))
              const [result] = await producer.send({ topic: 't', messages })
              expect(Number(result!.baseOffset)).toBe(stored[partition]!.length)
              const ts = logAppendTime ? clock.now() : (send.timestamp ?? clock.now())
              expect(result!.logAppendTime).toBe(logAppendTime ? String(clock.now()) : '-1')
              for (let i = 0; i < send.count; i++) stored[partition]!.push(ts)
              await clock.advance(send.advance)
            }
            const low = stored.map(() => 0)
            if (deletion) {
              const partition = deletion.partition % partitions
              const offset = Math.min(deletion.upTo, stored[partition]!.length)
              await admin.deleteTopicRecords({ topic: 't', partitions: [{ partition, offset: String(offset) }] })
              low[partition] = offset
            }

            const offsets = await admin.fetchTopicOffsets('t')
            expect(offsets.sort((a, b) => a.partition - b.partition)).toEqual(
              stored.map((records, partition) => ({ partition, offset: String(records.length), high: String(records.length), low: String(low[partition]) })),
            )
            // Probing at the stored timestamps themselves checks the "at or after" edge.
            const exact = [...new Set(stored.flat())].slice(0, 6)
            for (const probe of [...probes, ...exact, undefined]) {
              const found = await admin.fetchTopicOffsetsByTimestamp('t', probe)
              const expected = stored.map((records, partition) => {
                // No timestamp, or -1 (LATEST): the high watermark; -2 (EARLIEST): the log start.
                // Otherwise the first offset still in the log whose timestamp is at or after the
                // probe, else the high watermark.
                if (probe === -2) return { partition, offset: String(low[partition]) }
                const first = probe === undefined || probe === -1 ? -1 : records.findIndex((ts, offset) => offset >= low[partition]! && ts >= probe)
                return { partition, offset: String(first >= 0 ? first : records.length) }
              })
              expect(found.sort((a, b) => a.partition - b.partition)).toEqual(expected)
            }
            await producer.disconnect()
            await admin.disconnect()
          } finally {
            await cluster.close()
          }
        },
      ),
      { numRuns: 150 },
    )
  })
})

/** The position of a consumed message within its call ("call:index"). */
function index(m: KafkaMessage): number {
  return Number(m.value!.toString().split(':')[1])
}

function call(m: KafkaMessage): number {
  return Number(m.value!.toString().split(':')[0])
}
