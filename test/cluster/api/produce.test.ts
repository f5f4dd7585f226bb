/**
 * Produce (API key 0) at the request boundary: where a batch may be appended, what is refused
 * with which Kafka error (KafkaApis.handleProduceRequest, ReplicaManager.appendRecords,
 * Partition.appendRecordsToLeader, UnifiedLog.analyzeAndValidateRecords, LogValidator), the
 * offsets and timestamps a successful append gets, and how the log rolls segments.
 */
import { describe, it, expect } from 'vitest'
import { ClusterModel } from '../../../src/cluster/cluster-model.js'
import { ManualClock } from '../../../src/cluster/clock.js'
import { ErrorCode } from '../../../src/cluster/error-codes.js'
import type { ProducePartitionResponse } from '../../../src/cluster/api/messages.js'
import type { ProducerRecord } from '../../../src/cluster/log/record-batch.js'
import { createTopic, newCluster } from '../../support/cluster-harness.js'

function leaderOf(cluster: ClusterModel, topic: string, partition = 0): number {
  return cluster.controller.topic(topic)!.partitions[partition]!.leader
}

function followerOf(cluster: ClusterModel, topic: string, partition = 0): number {
  const p = cluster.controller.topic(topic)!.partitions[partition]!
  return p.replicas.find((id) => id !== p.leader)!
}

function nonReplicaOf(cluster: ClusterModel, topic: string, partition = 0): number {
  const p = cluster.controller.topic(topic)!.partitions[partition]!
  return [0, 1, 2].find((id) => !p.replicas.includes(id))!
}

const record = (value: string | Buffer | null, key: string | null = null, timestamp?: number): ProducerRecord => ({
  key: key === null ? null : Buffer.from(key),
  value: value === null ? null : typeof value === 'string' ? Buffer.from(value) : value,
  ...(timestamp !== undefined ? { timestamp } : {}),
})

async function produce(
  cluster: ClusterModel,
  topic: string,
  records: ProducerRecord[],
  options: { partition?: number; acks?: number; brokerId?: number } = {},
): Promise<ProducePartitionResponse> {
  const partition = options.partition ?? 0
  const brokerId = options.brokerId ?? cluster.controller.topic(topic)?.partitions[partition]?.leader ?? 0
  const response = await cluster.send(brokerId, {
    api: 'Produce',
    acks: options.acks ?? -1,
    timeoutMs: 1000,
    topics: [{ name: topic, partitions: [{ index: partition, records }] }],
  })
  expect(response.topics).toHaveLength(1)
  expect(response.topics[0]!.name).toBe(topic)
  return response.topics[0]!.partitions[0]!
}

/** Leaves only the leader in the ISR of partition 0 (as if every follower had fallen behind). */
function shrinkIsrToLeader(cluster: ClusterModel, topic: string): void {
  const partition = cluster.controller.topic(topic)!.partitions[0]!
  partition.isr = [partition.leader]
}

function state(cluster: ClusterModel): unknown {
  const { time: _time, ...rest } = cluster.describe()
  return rest
}

/** Sends a produce that must be refused with `code`; checks that nothing was appended or recorded. */
async function expectRefused(
  cluster: ClusterModel,
  topic: string,
  records: ProducerRecord[],
  code: number,
  options: { partition?: number; acks?: number; brokerId?: number } = {},
): Promise<ProducePartitionResponse> {
  const before = state(cluster)
  const produced = cluster.timeline({ types: ['produced'] }).length
  const result = await produce(cluster, topic, records, options)
  expect(result).toMatchObject({ errorCode: code, baseOffset: -1, logAppendTime: -1 })
  expect(state(cluster)).toEqual(before)
  expect(cluster.timeline({ types: ['produced'] })).toHaveLength(produced)
  return result
}

describe('Produce', () => {
  describe('a successful append', () => {
    it('gets dense base offsets, batch after batch, and moves the watermarks', async () => {
      const cluster = newCluster()
      await createTopic(cluster, 't', { replicationFactor: 3 })
      expect(await produce(cluster, 't', [record('a'), record('b'), record('c')])).toEqual({
        index: 0,
        errorCode: ErrorCode.NONE,
        baseOffset: 0,
        logAppendTime: -1,
        logStartOffset: 0,
      })
      expect((await produce(cluster, 't', [record('d')])).baseOffset).toBe(3)
      expect((await produce(cluster, 't', [record('e'), record('f')])).baseOffset).toBe(4)
      const p = cluster.describe().topics[0]!.partitions[0]!
      expect(p).toMatchObject({ logStartOffset: 0, highWatermark: 6, lastStableOffset: 6, logEndOffset: 6 })
    })

    it('reports the current logStartOffset in the response', async () => {
      const cluster = newCluster()
      await createTopic(cluster, 't', { replicationFactor: 3 })
      await produce(cluster, 't', [record('a'), record('b'), record('c')])
      await cluster.send(leaderOf(cluster, 't'), { api: 'DeleteRecords', topics: [{ name: 't', partitions: [{ index: 0, offset: 2 }] }], timeoutMs: 1000 })
      expect(await produce(cluster, 't', [record('d')])).toMatchObject({ errorCode: ErrorCode.NONE, baseOffset: 3, logStartOffset: 2 })
    })

    it('appends with acks 0 and 1 as well', async () => {
      const cluster = newCluster()
      await createTopic(cluster, 't', { replicationFactor: 3 })
      expect(await produce(cluster, 't', [record('a')], { acks: 0 })).toMatchObject({ errorCode: ErrorCode.NONE, baseOffset: 0 })
      expect(await produce(cluster, 't', [record('b')], { acks: 1 })).toMatchObject({ errorCode: ErrorCode.NONE, baseOffset: 1 })
      expect(cluster.describe().topics[0]!.partitions[0]!.logEndOffset).toBe(2)
    })

    it('answers each partition of a request on its own', async () => {
      const cluster = newCluster()
      await createTopic(cluster, 't', { partitions: 2, replicationFactor: 1 })
      const leader = leaderOf(cluster, 't', 0)
      const response = await cluster.send(leader, {
        api: 'Produce',
        acks: 1,
        timeoutMs: 1000,
        topics: [
          { name: 't', partitions: [{ index: 0, records: [record('a')] }, { index: 1, records: [record('b')] }] },
          { name: 'missing', partitions: [{ index: 0, records: [record('c')] }] },
        ],
      })
      const byPartition = response.topics.flatMap((t) => t.partitions.map((p) => [t.name, p.index, p.errorCode]))
      const otherLeader = leaderOf(cluster, 't', 1)
      expect(byPartition).toEqual([
        ['t', 0, ErrorCode.NONE],
        ['t', 1, otherLeader === leader ? ErrorCode.NONE : ErrorCode.NOT_LEADER_OR_FOLLOWER],
        ['missing', 0, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION],
      ])
    })

    it('records a produced event with the offsets and acks', async () => {
      const cluster = newCluster()
      await createTopic(cluster, 't', { replicationFactor: 3 })
      await cluster.advance(25)
      await produce(cluster, 't', [record('a'), record('b')], { acks: 1 })
      expect(cluster.timeline({ types: ['produced'] })).toEqual([{ type: 'produced', topic: 't', partition: 0, baseOffset: 0, count: 2, acks: 1, time: 25 }])
    })
  })

  describe('timestamps', () => {
    it("CreateTime keeps the producer's timestamps and stamps the clock's time on records without one", async () => {
      const cluster = newCluster({ clock: new ManualClock(1_000) })
      await createTopic(cluster, 't', { replicationFactor: 3 })
      await cluster.advance(500)
      const result = await produce(cluster, 't', [record('a', null, 42), record('b'), record('c', null, 7)])
      expect(result.logAppendTime).toBe(-1)
      const batch = cluster.controller.topic('t')!.partitions[0]!.log.allSegments[0]!.batches[0]!
      expect([...batch.records()].map((r) => r.timestamp)).toEqual([42, 1_500, 7])
      expect(batch.timestampType).toBe(0)
      expect(batch.maxTimestamp).toBe(1_500)
    })

    it("LogAppendTime replaces every timestamp with the broker's clock and answers it as logAppendTime", async () => {
      const cluster = newCluster({ clock: new ManualClock(1_000) })
      await createTopic(cluster, 't', { configs: { 'message.timestamp.type': 'LogAppendTime' }, replicationFactor: 3 })
      await cluster.advance(234)
      const result = await produce(cluster, 't', [record('a', null, 42), record('b')])
      expect(result).toMatchObject({ errorCode: ErrorCode.NONE, logAppendTime: 1_234 })
      const batch = cluster.controller.topic('t')!.partitions[0]!.log.allSegments[0]!.batches[0]!
      expect(batch.timestampType).toBe(1)
      expect([...batch.records()].map((r) => r.timestamp)).toEqual([1_234, 1_234])
    })
  })

  describe('refusals', () => {
    it('answers NOT_LEADER_OR_FOLLOWER on a follower and on a broker without a replica', async () => {
      const cluster = newCluster()
      await createTopic(cluster, 'rf3', { replicationFactor: 3 })
      await expectRefused(cluster, 'rf3', [record('a')], ErrorCode.NOT_LEADER_OR_FOLLOWER, { brokerId: followerOf(cluster, 'rf3') })
      await createTopic(cluster, 'rf1', { replicationFactor: 1 })
      await expectRefused(cluster, 'rf1', [record('a')], ErrorCode.NOT_LEADER_OR_FOLLOWER, { brokerId: nonReplicaOf(cluster, 'rf1') })
    })

    it('answers UNKNOWN_TOPIC_OR_PARTITION for a missing topic or partition, and never auto-creates', async () => {
      const cluster = newCluster()
      await createTopic(cluster, 't', { replicationFactor: 3 })
      await expectRefused(cluster, 'missing', [record('a')], ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, { brokerId: 0 })
      await expectRefused(cluster, 't', [record('a')], ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, { partition: 1, brokerId: leaderOf(cluster, 't') })
      expect(cluster.controller.topic('missing')).toBeUndefined()
    })

    it.each([2, -2, 5])('answers INVALID_REQUIRED_ACKS for acks %s', async (acks) => {
      const cluster = newCluster()
      await createTopic(cluster, 't', { replicationFactor: 3 })
      await expectRefused(cluster, 't', [record('a')], ErrorCode.INVALID_REQUIRED_ACKS, { acks })
    })

    // KafkaApis.handleProduceRequest sorts out partitions missing from the metadata cache
    // (UNKNOWN_TOPIC_OR_PARTITION) before ReplicaManager.appendRecords looks at acks, so only
    // existing partitions get INVALID_REQUIRED_ACKS.
    it('answers UNKNOWN_TOPIC_OR_PARTITION, not INVALID_REQUIRED_ACKS, for a missing topic with acks 2', async () => {
      const cluster = newCluster()
      await expectRefused(cluster, 'missing', [record('a')], ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, { acks: 2, brokerId: 0 })
    })

    // An empty batch is refused with InvalidRecordException, i.e. INVALID_RECORD: with no batch
    // by ProduceRequest.validateRecords ("must have at least one record batch per partition"),
    // with a batch of no records by LogValidator ("Invalid reported count for record batch: 0").
    it('answers INVALID_RECORD for an empty batch', async () => {
      const cluster = newCluster()
      await createTopic(cluster, 't', { replicationFactor: 3 })
      await expectRefused(cluster, 't', [], ErrorCode.INVALID_RECORD)
    })

    it('answers MESSAGE_TOO_LARGE for a batch over max.message.bytes, appending none of it', async () => {
      const cluster = newCluster()
      await createTopic(cluster, 't', { configs: { 'max.message.bytes': '300' }, replicationFactor: 3 })
      await produce(cluster, 't', [record('first')])
      const result = await expectRefused(cluster, 't', [record(Buffer.alloc(100)), record(Buffer.alloc(200))], ErrorCode.MESSAGE_TOO_LARGE)
      expect(result.errorMessage).toEqual(expect.any(String))
      // A batch that fits is still accepted, at the next offset.
      expect(await produce(cluster, 't', [record(Buffer.alloc(100))])).toMatchObject({ errorCode: ErrorCode.NONE, baseOffset: 1 })
    })

    it('takes the broker message.max.bytes as the default max.message.bytes', async () => {
      const cluster = newCluster({ brokerConfig: { 'message.max.bytes': 200 } })
      await createTopic(cluster, 't', { replicationFactor: 3 })
      await expectRefused(cluster, 't', [record(Buffer.alloc(500))], ErrorCode.MESSAGE_TOO_LARGE)
    })

    it('answers INVALID_RECORD for a keyless record on a compacted topic, appending none of the batch', async () => {
      const cluster = newCluster()
      await createTopic(cluster, 'c', { configs: { 'cleanup.policy': 'compact' }, replicationFactor: 3 })
      await expectRefused(cluster, 'c', [record('v', 'k1'), record('no key'), record('v', 'k2')], ErrorCode.INVALID_RECORD)
      expect(await produce(cluster, 'c', [record('v', 'k1'), record(null, 'k2')])).toMatchObject({ errorCode: ErrorCode.NONE, baseOffset: 0 })
    })

    it('accepts keyless records on a delete-only topic', async () => {
      const cluster = newCluster()
      await createTopic(cluster, 'd', { replicationFactor: 3 })
      expect((await produce(cluster, 'd', [record('no key')])).errorCode).toBe(ErrorCode.NONE)
    })

    it('answers NOT_ENOUGH_REPLICAS for acks=-1 when the ISR is smaller than min.insync.replicas, appending nothing', async () => {
      const cluster = newCluster()
      await createTopic(cluster, 't', { replicationFactor: 3, configs: { 'min.insync.replicas': '2' } })
      // The ISR shrinks when followers fall behind or their brokers stop; this model has no
      // request that does that yet, so the test shrinks it to the leader alone directly.
      shrinkIsrToLeader(cluster, 't')
      const result = await expectRefused(cluster, 't', [record('a')], ErrorCode.NOT_ENOUGH_REPLICAS, { acks: -1 })
      expect(result.errorMessage).toContain('min.isr')
      // acks=1 and acks=0 do not look at min.insync.replicas.
      expect((await produce(cluster, 't', [record('b')], { acks: 1 })).errorCode).toBe(ErrorCode.NONE)
      expect((await produce(cluster, 't', [record('c')], { acks: 0 })).errorCode).toBe(ErrorCode.NONE)
    })

    it('accepts acks=-1 when the ISR is exactly min.insync.replicas', async () => {
      const cluster = newCluster()
      await createTopic(cluster, 't', { replicationFactor: 2, configs: { 'min.insync.replicas': '2' } })
      expect((await produce(cluster, 't', [record('a')], { acks: -1 })).errorCode).toBe(ErrorCode.NONE)
    })

    // KAFKA-15583 (3.7.0): Partition.effectiveMinIsr = min(min.insync.replicas, replication
    // factor), so a min.insync.replicas above the replication factor no longer blocks acks=all.
    it('caps min.insync.replicas at the replication factor (Kafka 3.7+)', async () => {
      const cluster = newCluster()
      await createTopic(cluster, 't', { replicationFactor: 2, configs: { 'min.insync.replicas': '3' } })
      expect((await produce(cluster, 't', [record('a')], { acks: -1 })).errorCode).toBe(ErrorCode.NONE)
    })

    // Partition.appendRecordsToLeader throws NotEnoughReplicasException before it calls
    // UnifiedLog.appendAsLeader, where the batch size (analyzeAndValidateRecords) and then the
    // keys of a compacted topic (LogValidator) are checked.
    it('checks the ISR first, then the batch size, then the keys, as Kafka does', async () => {
      const cluster = newCluster()
      await createTopic(cluster, 'c', { configs: { 'cleanup.policy': 'compact', 'max.message.bytes': '100', 'min.insync.replicas': '2' }, replicationFactor: 3 })
      const oversizedKeyless = [record(Buffer.alloc(500))]
      await expectRefused(cluster, 'c', oversizedKeyless, ErrorCode.MESSAGE_TOO_LARGE, { acks: -1 })
      await expectRefused(cluster, 'c', oversizedKeyless, ErrorCode.MESSAGE_TOO_LARGE, { acks: 1 })
      shrinkIsrToLeader(cluster, 'c')
      await expectRefused(cluster, 'c', oversizedKeyless, ErrorCode.NOT_ENOUGH_REPLICAS, { acks: -1 })
      await expectRefused(cluster, 'c', [record('small')], ErrorCode.INVALID_RECORD, { acks: 1 })
    })
  })

  describe('segments', () => {
    it('rolls a new segment when the next batch would overflow segment.bytes', async () => {
      const cluster = newCluster()
      // Each one-record batch of a 100-byte value is 61 (header) + 8 + 100 = 169 bytes; two fit in 400.
      await createTopic(cluster, 't', { configs: { 'segment.bytes': '400' }, replicationFactor: 3 })
      for (let i = 0; i < 5; i++) await produce(cluster, 't', [record(Buffer.alloc(100))])
      const segments = cluster.controller.topic('t')!.partitions[0]!.log.allSegments
      expect(segments.map((s) => s.baseOffset)).toEqual([0, 2, 4])
      expect(segments.map((s) => s.batches.length)).toEqual([2, 2, 1])
      for (const s of segments) expect(s.sizeInBytes).toBeLessThanOrEqual(400)
    })

    it('puts a batch larger than segment.bytes in a segment of its own', async () => {
      const cluster = newCluster()
      await createTopic(cluster, 't', { configs: { 'segment.bytes': '100' }, replicationFactor: 3 })
      await produce(cluster, 't', [record(Buffer.alloc(10))])
      await produce(cluster, 't', [record(Buffer.alloc(300)), record(Buffer.alloc(300))])
      await produce(cluster, 't', [record(Buffer.alloc(10))])
      const segments = cluster.controller.topic('t')!.partitions[0]!.log.allSegments
      expect(segments.map((s) => [s.baseOffset, s.batches.length])).toEqual([
        [0, 1],
        [1, 1],
        [3, 1],
      ])
    })

    // LogSegment.shouldRoll / timeWaitedForRoll: a segment rolls when the new batch's max
    // timestamp is more than segment.ms after the max timestamp of the segment's first batch.
    it('rolls when a batch comes more than segment.ms after the first batch of the segment', async () => {
      const cluster = newCluster()
      await createTopic(cluster, 't', { configs: { 'segment.ms': '1000' }, replicationFactor: 3 })
      await cluster.advance(5_000) // time before the first batch does not count
      await produce(cluster, 't', [record('a')])
      await cluster.advance(1_000)
      await produce(cluster, 't', [record('b')])
      await cluster.advance(1)
      await produce(cluster, 't', [record('c')])
      await produce(cluster, 't', [record('d')])
      const segments = cluster.controller.topic('t')!.partitions[0]!.log.allSegments
      expect(segments.map((s) => s.baseOffset)).toEqual([0, 2])
    })

    it('measures segment.ms by the records\' CreateTime, not by the clock', async () => {
      const cluster = newCluster()
      await createTopic(cluster, 't', { configs: { 'segment.ms': '1000' }, replicationFactor: 3 })
      await produce(cluster, 't', [record('a', null, 10_000)])
      await produce(cluster, 't', [record('b', null, 11_001)])
      const segments = cluster.controller.topic('t')!.partitions[0]!.log.allSegments
      expect(cluster.clock.now()).toBe(0)
      expect(segments.map((s) => s.baseOffset)).toEqual([0, 1])
    })
  })
})
