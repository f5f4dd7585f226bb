/**
 * ListOffsets (API key 2) at the request boundary: earliest, latest, max timestamp (KIP-734) and
 * lookup by timestamp, answered by the partition leader (Partition.fetchOffsetForTimestamp).
 */
import { describe, it, expect } from 'vitest'
import { ClusterModel } from '../../../src/cluster/cluster-model.js'
import { ErrorCode } from '../../../src/cluster/error-codes.js'
import { IsolationLevel, OffsetSpec, type ListOffsetsResponse } from '../../../src/cluster/api/messages.js'
import { createTopic, newCluster } from '../../support/cluster-harness.js'

function leaderOf(cluster: ClusterModel, topic: string): number {
  return cluster.controller.topic(topic)!.partitions[0]!.leader
}

/** One batch holding a record per timestamp. */
async function produceAt(cluster: ClusterModel, topic: string, timestamps: (number | undefined)[]): Promise<void> {
  const response = await cluster.send(leaderOf(cluster, topic), {
    api: 'Produce',
    acks: -1,
    timeoutMs: 1000,
    topics: [{ name: topic, partitions: [{ index: 0, records: timestamps.map((timestamp) => ({ key: null, value: Buffer.from('v'), ...(timestamp !== undefined ? { timestamp } : {}) })) }] }],
  })
  expect(response.topics[0]!.partitions[0]!.errorCode).toBe(ErrorCode.NONE)
}

async function listOffset(
  cluster: ClusterModel,
  topic: string,
  timestamp: number,
  options: { brokerId?: number; partition?: number } = {},
): Promise<ListOffsetsResponse['topics'][number]['partitions'][number]> {
  const response = await cluster.send(options.brokerId ?? leaderOf(cluster, topic), {
    api: 'ListOffsets',
    isolationLevel: IsolationLevel.READ_UNCOMMITTED,
    topics: [{ name: topic, partitions: [{ index: options.partition ?? 0, timestamp }] }],
  })
  return response.topics[0]!.partitions[0]!
}

const answer = (p: { offset: number; timestamp: number; errorCode: number }) => ({ offset: p.offset, timestamp: p.timestamp, errorCode: p.errorCode })

describe('ListOffsets', () => {
  it('answers offset 0 for earliest and latest on an empty partition, and -1/-1 for max timestamp', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 't', { replicationFactor: 3 })
    expect(answer(await listOffset(cluster, 't', OffsetSpec.EARLIEST))).toEqual({ offset: 0, timestamp: -1, errorCode: ErrorCode.NONE })
    expect(answer(await listOffset(cluster, 't', OffsetSpec.LATEST))).toEqual({ offset: 0, timestamp: -1, errorCode: ErrorCode.NONE })
    expect(answer(await listOffset(cluster, 't', OffsetSpec.MAX_TIMESTAMP))).toEqual({ offset: -1, timestamp: -1, errorCode: ErrorCode.NONE })
    expect(answer(await listOffset(cluster, 't', 0))).toEqual({ offset: -1, timestamp: -1, errorCode: ErrorCode.NONE })
  })

  it('answers the log start for earliest (-2) and the high watermark for latest (-1)', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 't', { replicationFactor: 3 })
    await produceAt(cluster, 't', [10, 20, 30, 40])
    expect((await listOffset(cluster, 't', OffsetSpec.EARLIEST)).offset).toBe(0)
    expect((await listOffset(cluster, 't', OffsetSpec.LATEST)).offset).toBe(4)
    await cluster.send(leaderOf(cluster, 't'), { api: 'DeleteRecords', topics: [{ name: 't', partitions: [{ index: 0, offset: 3 }] }], timeoutMs: 1000 })
    expect((await listOffset(cluster, 't', OffsetSpec.EARLIEST)).offset).toBe(3)
    expect((await listOffset(cluster, 't', OffsetSpec.LATEST)).offset).toBe(4)
  })

  it('answers earliest and latest, asked again and again, as the log start, the end and the leader move', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 't', { replicationFactor: 3 })
    const both = async () => ({ earliest: await listOffset(cluster, 't', OffsetSpec.EARLIEST), latest: await listOffset(cluster, 't', OffsetSpec.LATEST) })
    await produceAt(cluster, 't', [1, 2, 3])
    expect(await both()).toEqual({
      earliest: { index: 0, errorCode: ErrorCode.NONE, timestamp: -1, offset: 0, leaderEpoch: 0 },
      latest: { index: 0, errorCode: ErrorCode.NONE, timestamp: -1, offset: 3, leaderEpoch: 0 },
    })
    expect(await both()).toMatchObject({ earliest: { offset: 0 }, latest: { offset: 3 } })
    await produceAt(cluster, 't', [4])
    expect(await both()).toMatchObject({ earliest: { offset: 0 }, latest: { offset: 4 } })
    await cluster.send(leaderOf(cluster, 't'), { api: 'DeleteRecords', topics: [{ name: 't', partitions: [{ index: 0, offset: 3 }] }], timeoutMs: 1000 })
    expect(await both()).toMatchObject({ earliest: { offset: 3, leaderEpoch: 0 }, latest: { offset: 4, leaderEpoch: 0 } })
    // A new leader: the end is answered in its epoch, the start in the epoch it was written in.
    cluster.stopBroker(leaderOf(cluster, 't'))
    expect(await both()).toMatchObject({ earliest: { offset: cluster.controller.topic('t')!.partitions[0]!.logStartOffset, leaderEpoch: 0 }, latest: { offset: 4, leaderEpoch: 1 } })
    await produceAt(cluster, 't', [5])
    await cluster.send(leaderOf(cluster, 't'), { api: 'DeleteRecords', topics: [{ name: 't', partitions: [{ index: 0, offset: 4 }] }], timeoutMs: 1000 })
    expect(await both()).toMatchObject({ earliest: { offset: 4, leaderEpoch: 1 }, latest: { offset: 5, leaderEpoch: 1 } })
  })

  it('answers the record with the largest timestamp for max timestamp (-3), the first one on a tie', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 't', { replicationFactor: 3 })
    await produceAt(cluster, 't', [100, 300, 200])
    await produceAt(cluster, 't', [300, 50])
    expect(answer(await listOffset(cluster, 't', OffsetSpec.MAX_TIMESTAMP))).toEqual({ offset: 1, timestamp: 300, errorCode: ErrorCode.NONE })
  })

  describe('by timestamp', () => {
    it('answers the first offset whose timestamp is at or after the target', async () => {
      const cluster = newCluster()
      await createTopic(cluster, 't', { replicationFactor: 3 })
      await produceAt(cluster, 't', [100, 200])
      await produceAt(cluster, 't', [300])
      await produceAt(cluster, 't', [400, 500])
      expect(answer(await listOffset(cluster, 't', 0))).toEqual({ offset: 0, timestamp: 100, errorCode: ErrorCode.NONE })
      expect(answer(await listOffset(cluster, 't', 100))).toEqual({ offset: 0, timestamp: 100, errorCode: ErrorCode.NONE })
      expect(answer(await listOffset(cluster, 't', 101))).toEqual({ offset: 1, timestamp: 200, errorCode: ErrorCode.NONE })
      expect(answer(await listOffset(cluster, 't', 250))).toEqual({ offset: 2, timestamp: 300, errorCode: ErrorCode.NONE })
      expect(answer(await listOffset(cluster, 't', 450))).toEqual({ offset: 4, timestamp: 500, errorCode: ErrorCode.NONE })
    })

    it('answers -1/-1 when no record is that recent', async () => {
      const cluster = newCluster()
      await createTopic(cluster, 't', { replicationFactor: 3 })
      await produceAt(cluster, 't', [100, 200])
      expect(answer(await listOffset(cluster, 't', 201))).toEqual({ offset: -1, timestamp: -1, errorCode: ErrorCode.NONE })
    })

    it('follows log order, not timestamp order, when timestamps go backwards', async () => {
      const cluster = newCluster()
      await createTopic(cluster, 't', { replicationFactor: 3 })
      await produceAt(cluster, 't', [100, 50])
      await produceAt(cluster, 't', [200])
      await produceAt(cluster, 't', [150])
      // The first offset (in log order) whose timestamp is >= 150 is offset 2, not offset 3.
      expect(answer(await listOffset(cluster, 't', 150))).toEqual({ offset: 2, timestamp: 200, errorCode: ErrorCode.NONE })
      expect(answer(await listOffset(cluster, 't', 60))).toEqual({ offset: 0, timestamp: 100, errorCode: ErrorCode.NONE })
    })

    it('skips offsets below the log start', async () => {
      const cluster = newCluster()
      await createTopic(cluster, 't', { replicationFactor: 3 })
      await produceAt(cluster, 't', [100, 200, 300])
      await cluster.send(leaderOf(cluster, 't'), { api: 'DeleteRecords', topics: [{ name: 't', partitions: [{ index: 0, offset: 2 }] }], timeoutMs: 1000 })
      expect(answer(await listOffset(cluster, 't', 0))).toEqual({ offset: 2, timestamp: 300, errorCode: ErrorCode.NONE })
    })

    it('uses the append time on a LogAppendTime topic', async () => {
      const cluster = newCluster()
      await createTopic(cluster, 't', { replicationFactor: 3, configs: { 'message.timestamp.type': 'LogAppendTime' } })
      await cluster.advance(1_000)
      await produceAt(cluster, 't', [5])
      await cluster.advance(1_000)
      await produceAt(cluster, 't', [5])
      expect(answer(await listOffset(cluster, 't', 1_500))).toEqual({ offset: 1, timestamp: 2_000, errorCode: ErrorCode.NONE })
      expect(answer(await listOffset(cluster, 't', OffsetSpec.MAX_TIMESTAMP))).toEqual({ offset: 1, timestamp: 2_000, errorCode: ErrorCode.NONE })
    })
  })

  it('answers NOT_LEADER_OR_FOLLOWER on a follower', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 't', { replicationFactor: 3 })
    await produceAt(cluster, 't', [100])
    const p = cluster.controller.topic('t')!.partitions[0]!
    const follower = p.replicas.find((id) => id !== p.leader)!
    for (const spec of [OffsetSpec.EARLIEST, OffsetSpec.LATEST, OffsetSpec.MAX_TIMESTAMP, 0]) {
      expect(answer(await listOffset(cluster, 't', spec, { brokerId: follower }))).toEqual({ offset: -1, timestamp: -1, errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER })
    }
  })

  it('answers UNKNOWN_TOPIC_OR_PARTITION for a missing topic or partition', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 't', { replicationFactor: 3 })
    expect((await listOffset(cluster, 'missing', OffsetSpec.LATEST, { brokerId: 0 })).errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION)
    expect((await listOffset(cluster, 't', OffsetSpec.LATEST, { partition: 2 })).errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION)
  })
})
