/**
 * Retention and compaction as a kafkajs user sees them, on a virtual clock: old segments
 * deleted by retention.ms and retention.bytes, admin.deleteTopicRecords, a lagging consumer
 * overtaken by retention getting OFFSET_OUT_OF_RANGE and resetting by its policy (fault
 * scenario 9 of KAFKA-SEMANTICS.md), and a compacted topic read from the start giving the last
 * value of every key at its original offset.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { Cluster, ManualClock, logLevel, type Admin, type Consumer, type Producer } from '../../src/index.js'

const opened: { close(): Promise<void> }[] = []
afterEach(async () => {
  for (const c of opened.splice(0)) await c.close()
})

async function setup(brokerConfig: Record<string, string | number | boolean> = {}) {
  const clock = new ManualClock(0)
  const cluster = new Cluster({ clock, seed: 3, brokerConfig })
  const kafka = cluster.kafka({ clientId: 'app', logLevel: logLevel.NOTHING })
  const admin: Admin = kafka.admin()
  const producer: Producer = kafka.producer()
  await admin.connect()
  await producer.connect()
  const consumers: Consumer[] = []
  // Clients first, then the cluster.
  opened.push({
    close: async () => {
      for (const c of consumers) await c.disconnect()
      await producer.disconnect()
      await admin.disconnect()
    },
  })
  opened.push(cluster)
  const createTopic = async (topic: string, configs: Record<string, string>) => {
    await admin.createTopics({ topics: [{ topic, numPartitions: 1, configEntries: Object.entries(configs).map(([name, value]) => ({ name, value })) }] })
  }
  const send = async (topic: string, ...messages: { key?: string; value: string | null }[]) => {
    await producer.send({ topic, messages })
  }
  /** A consumer of a new (or existing) group that records what it receives as offset:value. */
  const consume = async (topic: string, groupId: string, fromBeginning: boolean) => {
    const consumer = kafka.consumer({ groupId })
    consumers.push(consumer)
    await consumer.subscribe({ topics: [topic], fromBeginning })
    const seen: string[] = []
    await consumer.run({ eachMessage: async ({ message }) => void seen.push(`${message.offset}:${message.key ? `${message.key.toString()}=` : ''}${message.value?.toString() ?? ''}`) })
    await cluster.settle()
    return { consumer, seen }
  }
  const lowWatermark = async (topic: string) => (await admin.fetchTopicOffsets(topic))[0]!.low
  return { clock, cluster, admin, producer, createTopic, send, consume, lowWatermark }
}

describe('retention', () => {
  it('retention.ms: the retention check deletes segments whose records are all older than retention.ms', async () => {
    const t = await setup({ 'log.retention.check.interval.ms': 60_000 })
    await t.createTopic('events', { 'retention.ms': '120000', 'segment.ms': '10000' })
    await t.send('events', { value: 'old-0' }, { value: 'old-1' }, { value: 'old-2' })
    await t.clock.advance(100_000)
    await t.send('events', { value: 'new' })
    // The check at 120 000 finds nothing older than 120 s; the one at 180 000 deletes the
    // first segment (its newest record is from 0) and keeps the active one (from 100 000).
    await t.clock.advance(20_000)
    expect(await t.lowWatermark('events')).toBe('0')
    await t.clock.advance(60_000)
    expect(await t.lowWatermark('events')).toBe('3')
    const { seen } = await t.consume('events', 'readers', true)
    expect(seen).toEqual(['3:new'])
    expect(t.cluster.timeline({ types: ['segmentsDeleted'] })).toMatchObject([{ time: 180_000, topic: 'events', reason: 'retention.ms', logStartOffset: 3 }])
  })

  it('retention.bytes: the oldest segments go while the partition stays at or above retention.bytes without them', async () => {
    const t = await setup()
    // Each send is one batch of 61 + 8 + 100 bytes; segments of up to 3 of them.
    await t.createTopic('events', { 'retention.bytes': '500', 'segment.bytes': '510' })
    for (let i = 0; i < 10; i++) await t.send('events', { value: `${i}`.padStart(100, '.') })
    // Segments [0-2] [3-5] [6-8] [9]: 1690 bytes. Deleting the first two leaves 676 >= 500;
    // the third would leave 169.
    expect(t.cluster.runCleaner()).toMatchObject([{ topic: 'events', deletedSegments: 2, logStartOffset: 6 }])
    expect(await t.lowWatermark('events')).toBe('6')
    const { seen } = await t.consume('events', 'readers', true)
    expect(seen.map((s) => s.split(':')[0])).toEqual(['6', '7', '8', '9'])
  })

  it('deleteTopicRecords moves the low watermark; a consumer from the beginning starts there', async () => {
    const t = await setup()
    await t.createTopic('events', {})
    for (let i = 0; i < 6; i++) await t.send('events', { value: `v${i}` })
    await t.admin.deleteTopicRecords({ topic: 'events', partitions: [{ partition: 0, offset: '4' }] })
    expect(await t.lowWatermark('events')).toBe('4')
    const { seen } = await t.consume('events', 'readers', true)
    expect(seen).toEqual(['4:v4', '5:v5'])
    // Beyond the high watermark: OFFSET_OUT_OF_RANGE, nothing moves.
    await expect(t.admin.deleteTopicRecords({ topic: 'events', partitions: [{ partition: 0, offset: '7' }] })).rejects.toThrow()
    expect(await t.lowWatermark('events')).toBe('4')
  })
})

describe('scenario 9: retention overtakes a lagging consumer', () => {
  /** A group consumes 3 records and leaves; then retention deletes past its committed offset. */
  async function overtaken() {
    const t = await setup({ 'log.retention.check.interval.ms': 1_000 })
    await t.createTopic('events', { 'retention.ms': '60000', 'segment.ms': '1000' })
    await t.send('events', { value: 'a' }, { value: 'b' }, { value: 'c' })
    const first = await t.consume('events', 'slow', true)
    expect(first.seen).toEqual(['0:a', '1:b', '2:c'])
    await first.consumer.disconnect()
    await t.clock.advance(2_000)
    await t.send('events', { value: 'd' }, { value: 'e' })
    await t.clock.advance(59_500)
    expect(await t.lowWatermark('events')).toBe('3')
    const committed = await t.admin.fetchOffsets({ groupId: 'slow', topics: ['events'] })
    expect(committed[0]!.partitions[0]!.offset).toBe('3')
    return t
  }

  it('committed offset still valid: the group resumes where it was', async () => {
    const t = await overtaken()
    const again = await t.consume('events', 'slow', false)
    expect(again.seen).toEqual(['3:d', '4:e'])
  })

  it('fromBeginning (earliest): OFFSET_OUT_OF_RANGE resets to the new log start', async () => {
    const t = await overtaken()
    await t.send('events', { value: 'f' })
    // The segment of d and e expires at 2 000 + 60 000; f is in the new active segment.
    await t.clock.advance(2_000)
    expect(await t.lowWatermark('events')).toBe('5')
    const again = await t.consume('events', 'slow', true)
    expect(again.seen).toEqual(['5:f'])
  })

  it('latest: OFFSET_OUT_OF_RANGE resets to the log end; only new records arrive', async () => {
    const t = await overtaken()
    await t.send('events', { value: 'f' })
    await t.clock.advance(2_000)
    const again = await t.consume('events', 'slow', false)
    expect(again.seen).toEqual([])
    await t.send('events', { value: 'g' })
    await t.cluster.settle()
    expect(again.seen).toEqual(['6:g'])
  })

  it('a paused consumer overtaken while running resets when it resumes', async () => {
    const t = await setup({ 'log.retention.check.interval.ms': 1_000 })
    await t.createTopic('events', { 'retention.ms': '10000', 'segment.ms': '1000' })
    await t.send('events', { value: 'a' })
    const live = await t.consume('events', 'live', true)
    expect(live.seen).toEqual(['0:a'])
    live.consumer.pause([{ topic: 'events' }])
    await t.clock.advance(1_001)
    await t.send('events', { value: 'b' })
    await t.clock.advance(1_001)
    await t.send('events', { value: 'c' })
    await t.clock.advance(10_000)
    // a's and b's segments are gone; the consumer's position (1) is below the log start.
    expect(await t.lowWatermark('events')).toBe('2')
    live.consumer.resume([{ topic: 'events' }])
    await t.cluster.settle()
    expect(live.seen).toEqual(['0:a', '2:c'])
  })
})

describe('compaction', () => {
  it('a consumer from the start gets the last value of every key, at its original offset, in write order', async () => {
    const t = await setup()
    await t.createTopic('profiles', { 'cleanup.policy': 'compact', 'segment.ms': '1000', 'delete.retention.ms': '3600000' })
    await t.send('profiles', { key: 'alice', value: 'v1' }, { key: 'bob', value: 'v1' }, { key: 'carol', value: 'v1' })
    await t.clock.advance(1_001)
    await t.send('profiles', { key: 'alice', value: 'v2' }, { key: 'carol', value: null })
    await t.clock.advance(1_001)
    await t.send('profiles', { key: 'dave', value: 'v1' })
    // The cleaner's first pass comes log.cleaner.backoff.ms (15 s) after the start.
    await t.clock.advance(15_000 - t.clock.now())
    expect(t.cluster.timeline({ types: ['logCompacted'] })).toMatchObject([{ topic: 'profiles', removedRecords: 2, cleanedUpTo: 5 }])
    const { seen } = await t.consume('profiles', 'readers', true)
    // carol's tombstone is kept for delete.retention.ms so that readers learn of the delete.
    expect(seen).toEqual(['1:bob=v1', '3:alice=v2', '4:carol=', '5:dave=v1'])
  })

  it('an aborted transaction never replaces a key’s committed value, and its records are removed', async () => {
    const t = await setup({ 'log.cleaner.enable': false })
    await t.createTopic('profiles', { 'cleanup.policy': 'compact', 'segment.ms': '1000' })
    await t.send('profiles', { key: 'alice', value: 'committed' })
    const kafka = t.cluster.kafka({ clientId: 'txn', logLevel: logLevel.NOTHING })
    const transactional = kafka.producer({ transactionalId: 'profile-writer', maxInFlightRequests: 1, idempotent: true })
    await transactional.connect()
    const txn = await transactional.transaction()
    await txn.send({ topic: 'profiles', messages: [{ key: 'alice', value: 'aborted' }] })
    await txn.abort()
    await transactional.disconnect()
    await t.clock.advance(1_001)
    await t.send('profiles', { key: 'bob', value: 'v1' })
    expect(t.cluster.runCleaner()).toMatchObject([{ topic: 'profiles', compactedRecords: 1 }])
    // read_committed (kafkajs's default) and read_uncommitted readers both find the committed value.
    const committed = await t.consume('profiles', 'committed-readers', true)
    expect(committed.seen).toEqual(['0:alice=committed', '3:bob=v1'])
    const consumer = kafka.consumer({ groupId: 'uncommitted-readers', readUncommitted: true })
    await consumer.subscribe({ topics: ['profiles'], fromBeginning: true })
    const seen: string[] = []
    await consumer.run({ eachMessage: async ({ message }) => void seen.push(`${message.offset}:${message.value?.toString()}`) })
    await t.cluster.settle()
    await consumer.disconnect()
    expect(seen).toEqual(['0:committed', '3:v1'])
  })

  /** A compacted topic cleaned eagerly, where a transactional producer has aborted one write (offset 0, marker at 1). */
  async function abortedTransactionOnCompactedTopic() {
    const t = await setup({ 'log.cleaner.enable': false })
    await t.createTopic('profiles', { 'cleanup.policy': 'compact', 'segment.ms': '100', 'delete.retention.ms': '100', 'min.cleanable.dirty.ratio': '0.01' })
    const kafka = t.cluster.kafka({ clientId: 'txn', logLevel: logLevel.NOTHING })
    const transactional = kafka.producer({ transactionalId: 'profile-writer', maxInFlightRequests: 1, idempotent: true })
    await transactional.connect()
    const aborted = await transactional.transaction()
    await aborted.send({ topic: 'profiles', messages: [{ key: 'alice', value: 'aborted' }] })
    await aborted.abort()
    return { t, transactional }
  }

  // Found by memkafka/testing: once the cleaner had removed an aborted transaction's records and
  // then its marker, fetches still announced the transaction, which no marker closed any more, so
  // a read_committed consumer skipped everything the same producer committed afterwards.
  it('an aborted transaction cleaned away with its marker leaves the producer\'s later commits readable', async () => {
    const { t, transactional } = await abortedTransactionOnCompactedTopic()
    await t.clock.advance(200)
    const committed = await transactional.transaction()
    await committed.send({ topic: 'profiles', messages: [{ key: 'alice', value: 'committed' }] })
    await committed.commit()
    await t.clock.advance(200)
    await t.send('profiles', { key: 'bob', value: 'active' }) // rolls: the transactions' segments are cleanable
    t.cluster.runCleaner() // removes the aborted record
    // Past delete.retention.ms, with new dirty data, a later pass removes the abort marker, whose
    // transaction has no record left.
    await t.clock.advance(200)
    await t.send('profiles', { key: 'bob', value: 'again' })
    await t.clock.advance(200)
    await t.send('profiles', { key: 'carol', value: 'active' })
    t.cluster.runCleaner()
    const markers = t.cluster.controller.topic('profiles')!.partitions[0]!.log.read(0, 10, Infinity).filter((b) => b.isControl)
    expect(markers.map((b) => b.baseOffset)).toEqual([3]) // the commit marker only
    const reader = await t.consume('profiles', 'committed-readers', true)
    expect(reader.seen).toEqual(['2:alice=committed', '5:bob=again', '6:carol=active'])
    await transactional.disconnect()
  })

  it('the same when the cleaner keeps the marker\'s batch, emptied, as the producer\'s last in the cleaned range', async () => {
    const { t, transactional } = await abortedTransactionOnCompactedTopic()
    for (const value of ['b1', 'b2', 'b3']) {
      await t.clock.advance(200)
      await t.send('profiles', { key: 'bob', value }) // rolls, and makes the older segments dirty
      t.cluster.runCleaner()
    }
    const marker = t.cluster.controller.topic('profiles')!.partitions[0]!.log.read(1, 2, Infinity)[0]!
    expect([marker.baseOffset, marker.isControl, marker.count]).toEqual([1, true, 0])
    const committed = await transactional.transaction()
    await committed.send({ topic: 'profiles', messages: [{ key: 'alice', value: 'committed' }] })
    await committed.commit()
    const reader = await t.consume('profiles', 'committed-readers', true)
    expect(reader.seen).toEqual(['3:bob=b2', '4:bob=b3', '5:alice=committed'])
    // One fetch from the start: it announces no aborted transaction that no marker could close.
    const partition = t.cluster.controller.topic('profiles')!.partitions[0]!
    const fetched = await t.cluster.send(partition.leader, {
      api: 'Fetch',
      maxWaitMs: 0,
      minBytes: 0,
      maxBytes: 1 << 30,
      isolationLevel: 1,
      topics: [{ name: 'profiles', partitions: [{ index: 0, fetchOffset: 0, partitionMaxBytes: 1 << 30 }] }],
    })
    expect(fetched.topics[0]!.partitions[0]!.abortedTransactions).toEqual([])
    await transactional.disconnect()
  })

  it('alterConfigs to cleanup.policy=compact: the next pass compacts', async () => {
    const t = await setup({ 'log.cleaner.enable': false })
    await t.createTopic('profiles', { 'segment.ms': '1000' })
    await t.send('profiles', { key: 'k', value: 'v1' })
    await t.clock.advance(1_001)
    await t.send('profiles', { key: 'k', value: 'v2' })
    await t.clock.advance(1_001)
    await t.send('profiles', { key: 'other', value: 'v1' })
    expect(t.cluster.runCleaner()).toEqual([])
    await t.admin.alterConfigs({
      validateOnly: false,
      resources: [{ type: 2, name: 'profiles', configEntries: [{ name: 'cleanup.policy', value: 'compact' }, { name: 'segment.ms', value: '1000' }] }],
    })
    expect(t.cluster.runCleaner()).toMatchObject([{ topic: 'profiles', compactedRecords: 1, removedTombstones: 0 }])
    const { seen } = await t.consume('profiles', 'readers', true)
    expect(seen).toEqual(['1:k=v2', '2:other=v1'])
  })
})
