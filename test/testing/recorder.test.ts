/**
 * HistoryRecorder around memkafka's kafkajs clients: the wrapped producer and consumer behave
 * as before, and the history says what they did — each message's partition and offset, each
 * delivery to a handler and whether the handler took it, joins with their assignment, commits,
 * seeks, transactions and their outcome — so that checkHistory can judge a user's own code.
 */
import { describe, expect, expectTypeOf, it } from 'vitest'
import type { Consumer as KafkajsConsumer, Producer as KafkajsProducer } from 'kafkajs'
import { Cluster, ManualClock, logLevel, type Consumer, type Producer } from '../../src/index.js'
import { HistoryRecorder } from '../../src/testing/recorder.js'
import { checkHistory, formatCheckResult } from '../../src/testing/checker.js'
import type { AssignOp, CommitOp, PollOp, SendOp, TxnOp } from '../../src/testing/history.js'

async function setUp(partitions = 3) {
  const clock = new ManualClock(0)
  const cluster = new Cluster({ brokers: 3, clock, seed: 11 })
  const kafka = cluster.kafka({ clientId: 'app', logLevel: logLevel.NOTHING })
  const admin = kafka.admin()
  await admin.connect()
  await admin.createTopics({ topics: [{ topic: 't', numPartitions: partitions, replicationFactor: 3 }, { topic: 'u', numPartitions: 1, replicationFactor: 3 }] })
  await admin.disconnect()
  return { clock, cluster, kafka }
}

const sendsOf = (recorder: HistoryRecorder) => recorder.history().ops.filter((op): op is SendOp => op.kind === 'send')
const pollsOf = (recorder: HistoryRecorder, process?: string) => recorder.history().ops.filter((op): op is PollOp => op.kind === 'poll' && (process === undefined || op.process === process))

/** Reads every topic from the beginning with a recorded consumer, until caught up. */
async function readAll(cluster: Cluster, recorder: HistoryRecorder, name: string, topics: string[]): Promise<Consumer> {
  const consumer = recorder.consumer(cluster.kafka({ clientId: name, logLevel: logLevel.NOTHING }).consumer({ groupId: name }), { name })
  await consumer.connect()
  await consumer.subscribe({ topics, fromBeginning: true })
  await consumer.run({ eachMessage: async () => {} })
  await cluster.settle()
  return consumer
}

describe('HistoryRecorder: producers', () => {
  it('records each message of a send with the partition and offset the broker gave it', async () => {
    const { clock, cluster, kafka } = await setUp()
    const recorder = new HistoryRecorder({ clock, topics: [{ name: 't', partitions: 3, compacted: false }] })
    const producer = recorder.producer(kafka.producer(), { name: 'p' })
    await producer.connect()
    const result = await producer.send({ topic: 't', messages: ['a', 'b', 'c', 'd', 'e', 'f'].map((value, i) => ({ key: `k${i % 4}`, value })) })
    // The wrapper returns kafkajs's answer unchanged: one entry per partition.
    expect(result.length).toBeGreaterThan(1)
    const sends = sendsOf(recorder)
    expect(sends.map((s) => s.value)).toEqual(['a', 'b', 'c', 'd', 'e', 'f'])
    expect(sends.every((s) => s.type === 'ok' && s.process === 'p' && s.call === 0 && s.acks === -1 && s.idempotent === false)).toBe(true)
    // The recorded places are where the values are.
    await readAll(cluster, recorder, 'reader', ['t'])
    const polled = new Map(pollsOf(recorder, 'reader').map((p) => [p.value, `${p.partition}@${p.offset}`]))
    for (const s of sends) expect(`${s.partition}@${s.offset}`, s.value!).toBe(polled.get(s.value))
    expect(checkHistory(recorder.history()).valid).toBe(true)
    await cluster.close()
  })

  it('without partition counts, places what it can: explicit partitions and single-partition answers', async () => {
    const { cluster, kafka } = await setUp()
    const recorder = new HistoryRecorder()
    const producer = recorder.producer(kafka.producer())
    await producer.connect()
    await producer.send({ topic: 't', messages: [{ key: 'x', value: 'one' }] })
    await producer.send({ topic: 't', messages: [{ value: 'two', partition: 2 }, { value: 'three', partition: 0 }] })
    await producer.sendBatch({ topicMessages: [{ topic: 'u', messages: [{ value: 'four' }] }, { topic: 't', messages: [{ key: 'a', value: 'five' }, { key: 'b', value: 'six' }] }] })
    const sends = sendsOf(recorder)
    const place = (v: string) => sends.find((s) => s.value === v)!
    expect(place('one').offset).toBe(0)
    expect(place('one').partition).not.toBeNull()
    expect([place('two').partition, place('three').partition]).toEqual([2, 0])
    expect(place('four')).toMatchObject({ topic: 'u', partition: 0, offset: 0, process: 'producer-0' })
    // Keyed messages spread over several partitions cannot be told apart without the counts
    // (unless they happened to land in one partition).
    const spread = sends.filter((s) => s.value === 'five' || s.value === 'six')
    if (new Set(spread.map((s) => s.partition)).size > 1) expect(spread.every((s) => s.offset === null)).toBe(true)
    expect(new Set(sends.map((s) => s.call)).size).toBe(3)
    await cluster.close()
  })

  it('records acks=0 sends without offsets, and failed sends as info with their error, rethrown', async () => {
    const { cluster, kafka } = await setUp()
    const recorder = new HistoryRecorder()
    const producer = recorder.producer(kafka.producer())
    await producer.connect()
    expect(await producer.send({ topic: 'u', acks: 0, messages: [{ value: 'fire' }] })).toEqual([])
    await producer.disconnect()
    await expect(producer.send({ topic: 'u', messages: [{ value: 'late' }] })).rejects.toThrow('The producer is disconnected')
    const [fire, late] = sendsOf(recorder)
    // No answer, no key, no partition count given: where it went is not known.
    expect(fire).toMatchObject({ type: 'ok', acks: 0, partition: null, offset: null })
    expect(late).toMatchObject({ type: 'info', offset: null, error: 'KafkaJSError: The producer is disconnected' })
    expect(late!.endIndex).toBe(2)
    await cluster.close()
  })

  it('records transactions: their sends, offsets, and whether they committed or aborted', async () => {
    const { cluster, kafka } = await setUp(1)
    const recorder = new HistoryRecorder()
    const producer = recorder.producer(kafka.producer({ transactionalId: 'tx', idempotent: true }), { name: 'p', transactionalId: 'tx' })
    await producer.connect()
    const committed = await producer.transaction()
    await committed.send({ topic: 't', messages: [{ value: 'kept' }] })
    await committed.sendOffsets({ consumerGroupId: 'g', topics: [{ topic: 'u', partitions: [{ partition: 0, offset: '7' }] }] })
    await committed.commit()
    const aborted = await producer.transaction()
    await aborted.send({ topic: 't', messages: [{ value: 'dropped' }] })
    await aborted.abort()
    const history = recorder.history()
    const txns = history.ops.filter((op): op is TxnOp => op.kind === 'txn')
    expect(txns.map((t) => [t.type, t.result, t.transactionalId])).toEqual([
      ['ok', 'committed', 'tx'],
      ['ok', 'aborted', 'tx'],
    ])
    expect(txns[0]!.offsets).toEqual([{ group: 'g', topic: 'u', partition: 0, offset: 7 }])
    const sends = sendsOf(recorder)
    expect(sends.map((s) => [s.value, s.txn, s.idempotent, s.offset])).toEqual([
      ['kept', txns[0]!.index, true, 0],
      ['dropped', txns[1]!.index, true, 2],
    ])
    // A read_committed reader sees the committed value only; the checker agrees with it.
    await readAll(cluster, recorder, 'reader', ['t'])
    expect(pollsOf(recorder, 'reader').map((p) => p.value)).toEqual(['kept'])
    const result = checkHistory(recorder.history())
    expect(result.valid, formatCheckResult(result)).toBe(true)
    await cluster.close()
  })

  it('hands out snapshots: a history taken mid-transaction does not change as the transaction goes on', async () => {
    const { cluster, kafka } = await setUp(1)
    const recorder = new HistoryRecorder()
    const producer = recorder.producer(kafka.producer({ transactionalId: 'tx', idempotent: true }), { name: 'p', transactionalId: 'tx' })
    await producer.connect()
    const txn = await producer.transaction()
    await txn.send({ topic: 't', messages: [{ value: 'v' }] })
    const before = recorder.history()
    const frozen = JSON.stringify(before)
    await txn.sendOffsets({ consumerGroupId: 'g', topics: [{ topic: 'u', partitions: [{ partition: 0, offset: '3' }] }] })
    await txn.commit()
    expect(JSON.stringify(before)).toBe(frozen)
    expect(before.ops.find((op): op is TxnOp => op.kind === 'txn')).toMatchObject({ result: 'aborted', offsets: [] })
    expect(recorder.history().ops.find((op): op is TxnOp => op.kind === 'txn')).toMatchObject({ result: 'committed', offsets: [{ group: 'g', topic: 'u', partition: 0, offset: 3 }] })
    await cluster.close()
  })

  it('records a commit that failed as unknown: it may have committed', async () => {
    const { clock, cluster } = await setUp(1)
    const recorder = new HistoryRecorder({ clock })
    const kafka = cluster.kafka({ clientId: 'app', logLevel: logLevel.NOTHING, retry: { retries: 1, initialRetryTime: 10 } })
    const producer = recorder.producer(kafka.producer({ transactionalId: 'tx', idempotent: true }))
    await producer.connect()
    const txn = await producer.transaction()
    await txn.send({ topic: 't', messages: [{ value: 'maybe' }] })
    // Every EndTxn loses its connection: did the coordinator get it? The client cannot tell.
    cluster.intercept('EndTxn', () => ({ disconnect: true }))
    const commit = txn.commit()
    commit.catch(() => {})
    await cluster.advance(1_000)
    await expect(commit).rejects.toThrow()
    const [op] = recorder.history().ops.filter((o): o is TxnOp => o.kind === 'txn')
    expect(op).toMatchObject({ type: 'info', result: 'unknown' })
    expect(op!.endIndex).toBe(recorder.history().ops.length)
    expect(op!.error).toContain('Connection error')
    await cluster.close()
  })
})

describe('HistoryRecorder: consumers', () => {
  it('records deliveries, joins with their assignment and generation, and commits', async () => {
    const { cluster, kafka } = await setUp()
    const recorder = new HistoryRecorder({ groupGeneration: (g) => cluster.describe().groups.find((x) => x.groupId === g)?.generationId ?? null })
    const producer = recorder.producer(kafka.producer())
    await producer.connect()
    await producer.send({ topic: 't', messages: Array.from({ length: 9 }, (_, i) => ({ value: `m${i}`, partition: i % 3 })) })
    const consumer = recorder.consumer(kafka.consumer({ groupId: 'g' }), { name: 'c' })
    await consumer.connect()
    await consumer.subscribe({ topics: ['t'], fromBeginning: true })
    const seen: string[] = []
    await consumer.run({ eachMessage: async ({ message }) => void seen.push(message.value!.toString()) })
    await cluster.settle()
    const history = recorder.history()
    const polls = pollsOf(recorder, 'c')
    expect(polls.map((p) => p.value)).toEqual(seen)
    expect(polls.every((p) => p.type === 'ok' && p.group === 'g' && p.isolation === 'read_committed')).toBe(true)
    const assign = history.ops.find((op): op is AssignOp => op.kind === 'assign')!
    expect(assign).toMatchObject({ process: 'c', group: 'g', generation: 1, assignment: [{ topic: 't', partitions: [0, 1, 2] }] })
    const commits = history.ops.filter((op): op is CommitOp => op.kind === 'commit')
    expect(commits.length).toBeGreaterThan(0)
    expect(commits.flatMap((c) => c.offsets).filter((o) => o.partition === 0).pop()).toEqual({ topic: 't', partition: 0, offset: 3 })
    expect(checkHistory(history).valid).toBe(true)
    await consumer.disconnect()
    await cluster.close()
  })

  it('marks what a handler threw on as fail; kafkajs delivers it again', async () => {
    const { cluster, kafka } = await setUp(1)
    const recorder = new HistoryRecorder()
    const producer = recorder.producer(kafka.producer())
    await producer.connect()
    await producer.send({ topic: 't', messages: [{ value: 'a' }, { value: 'b' }] })
    const consumer = recorder.consumer(kafka.consumer({ groupId: 'g', retry: { retries: 3, initialRetryTime: 10 } }), { name: 'c' })
    await consumer.connect()
    await consumer.subscribe({ topics: ['t'], fromBeginning: true })
    let failures = 1
    await consumer.run({
      eachMessage: async ({ message }) => {
        if (message.value!.toString() === 'b' && failures-- > 0) throw new Error('not yet')
      },
    })
    for (let i = 0; i < 20 && pollsOf(recorder, 'c').filter((p) => p.type === 'ok').length < 2; i++) await cluster.advance(100)
    expect(pollsOf(recorder, 'c').map((p) => [p.value, p.type])).toEqual([
      ['a', 'ok'],
      ['b', 'fail'],
      ['b', 'ok'],
    ])
    expect(checkHistory(recorder.history()).valid).toBe(true)
    await consumer.disconnect()
    await cluster.close()
  })

  it('with eachBatch, only what the handler resolved counts as processed', async () => {
    const { cluster, kafka } = await setUp(1)
    const recorder = new HistoryRecorder()
    const producer = recorder.producer(kafka.producer())
    await producer.connect()
    await producer.send({ topic: 't', messages: ['a', 'b', 'c', 'd'].map((value) => ({ value })) })
    const consumer = recorder.consumer(kafka.consumer({ groupId: 'g' }), { name: 'c' })
    await consumer.connect()
    await consumer.subscribe({ topics: ['t'], fromBeginning: true })
    let first = true
    await consumer.run({
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset }) => {
        // The first batch: only two messages processed; the rest comes again.
        const take = first ? batch.messages.slice(0, 2) : batch.messages
        first = false
        for (const m of take) resolveOffset(m.offset)
      },
    })
    await cluster.settle()
    const polls = pollsOf(recorder, 'c').map((p) => `${p.value}:${p.type}`)
    expect(polls).toEqual(['a:ok', 'b:ok', 'c:fail', 'd:fail', 'c:ok', 'd:ok'])
    expect(checkHistory(recorder.history()).valid).toBe(true)
    await consumer.disconnect()
    await cluster.close()
  })

  it('records seeks, and reading again after one is no anomaly', async () => {
    const { cluster, kafka } = await setUp(1)
    const recorder = new HistoryRecorder()
    const producer = recorder.producer(kafka.producer())
    await producer.connect()
    await producer.send({ topic: 't', messages: ['a', 'b'].map((value) => ({ value })) })
    const consumer = recorder.consumer(kafka.consumer({ groupId: 'g' }), { name: 'c' })
    await consumer.connect()
    await consumer.subscribe({ topics: ['t'], fromBeginning: true })
    await consumer.run({ eachMessage: async () => {} })
    await cluster.settle()
    consumer.seek({ topic: 't', partition: 0, offset: '0' })
    await cluster.settle()
    const history = recorder.history()
    expect(history.ops.filter((op) => op.kind === 'seek')).toMatchObject([{ process: 'c', topic: 't', partition: 0, offset: 0 }])
    expect(pollsOf(recorder, 'c').map((p) => p.value)).toEqual(['a', 'b', 'a', 'b'])
    expect(checkHistory(history).valid).toBe(true)
    await consumer.disconnect()
    await cluster.close()
  })

  it('records every client a wrapped Kafka makes', async () => {
    const { cluster } = await setUp(1)
    const recorder = new HistoryRecorder()
    const kafka = recorder.kafka(cluster.kafka({ clientId: 'svc', logLevel: logLevel.NOTHING }), { name: 'svc' })
    const producer = kafka.producer({ idempotent: true })
    await producer.connect()
    await producer.send({ topic: 't', messages: [{ value: 'x' }] })
    const consumer = kafka.consumer({ groupId: 'g', readUncommitted: true })
    await consumer.connect()
    await consumer.subscribe({ topics: ['t'], fromBeginning: true })
    await consumer.run({ eachMessage: async () => {} })
    await cluster.settle()
    expect(sendsOf(recorder)).toMatchObject([{ process: 'svc-producer-0', value: 'x', idempotent: true }])
    expect(pollsOf(recorder)).toMatchObject([{ process: 'svc-consumer-0', group: 'g', value: 'x', isolation: 'read_uncommitted' }])
    await consumer.disconnect()
    await cluster.close()
  })

  it('hands back the same client: other methods and events pass through', async () => {
    const { cluster, kafka } = await setUp(1)
    const recorder = new HistoryRecorder()
    const original = kafka.consumer({ groupId: 'g' })
    const consumer = recorder.consumer(original)
    expect(consumer.events).toBe(original.events)
    expect(consumer.paused()).toEqual([])
    const producer: Producer = recorder.producer(kafka.producer())
    expect(producer.isIdempotent()).toBe(false)
    await cluster.close()
  })

  it('takes kafkajs\'s own Producer and Consumer types and gives them back', () => {
    const recorder = new HistoryRecorder()
    expectTypeOf(recorder.producer<KafkajsProducer>).returns.toEqualTypeOf<KafkajsProducer>()
    expectTypeOf(recorder.consumer<KafkajsConsumer>).returns.toEqualTypeOf<KafkajsConsumer>()
    expectTypeOf(recorder.consumer<Consumer>).returns.toEqualTypeOf<Consumer>()
  })
})
