/**
 * DeleteRecords (API key 21) at the request boundary: moves a partition's logStartOffset
 * forward on its leader (Partition.deleteRecordsOnLeader, UnifiedLog.maybeIncrementLogStartOffset).
 */
import { describe, it, expect } from 'vitest'
import { ClusterModel } from '../../../src/cluster/cluster-model.js'
import { ErrorCode } from '../../../src/cluster/error-codes.js'
import type { DeleteRecordsResponse } from '../../../src/cluster/api/messages.js'
import { createTopic, newCluster } from '../../support/cluster-harness.js'

function leaderOf(cluster: ClusterModel, topic: string): number {
  return cluster.controller.topic(topic)!.partitions[0]!.leader
}

function followerOf(cluster: ClusterModel, topic: string): number {
  const p = cluster.controller.topic(topic)!.partitions[0]!
  return p.replicas.find((id) => id !== p.leader)!
}

/** Produces `count` one-record batches (offsets stay one per batch). */
async function produce(cluster: ClusterModel, topic: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const response = await cluster.send(leaderOf(cluster, topic), {
      api: 'Produce',
      acks: -1,
      timeoutMs: 1000,
      topics: [{ name: topic, partitions: [{ index: 0, records: [{ key: Buffer.from(`k${i}`), value: Buffer.from(`v${i}`) }] }] }],
    })
    expect(response.topics[0]!.partitions[0]!.errorCode).toBe(ErrorCode.NONE)
  }
}

async function deleteRecords(cluster: ClusterModel, topic: string, offset: number, brokerId = leaderOf(cluster, topic)): Promise<DeleteRecordsResponse['topics'][number]['partitions'][number]> {
  const response = await cluster.send(brokerId, { api: 'DeleteRecords', topics: [{ name: topic, partitions: [{ index: 0, offset }] }], timeoutMs: 1000 })
  return response.topics[0]!.partitions[0]!
}

function state(cluster: ClusterModel): unknown {
  const { time: _time, ...rest } = cluster.describe()
  return rest
}

function partitionState(cluster: ClusterModel, topic: string): { logStartOffset: number; highWatermark: number; logEndOffset: number } {
  const p = cluster.describe().topics.find((t) => t.name === topic)!.partitions[0]!
  return { logStartOffset: p.logStartOffset, highWatermark: p.highWatermark, logEndOffset: p.logEndOffset }
}

describe('DeleteRecords', () => {
  it('moves logStartOffset to the offset given and answers it as the low watermark', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 't', { replicationFactor: 3 })
    await produce(cluster, 't', 5)
    expect(await deleteRecords(cluster, 't', 3)).toEqual({ index: 0, lowWatermark: 3, errorCode: ErrorCode.NONE })
    expect(partitionState(cluster, 't')).toEqual({ logStartOffset: 3, highWatermark: 5, logEndOffset: 5 })
    expect(cluster.timeline({ types: ['recordsDeleted'] })).toMatchObject([{ topic: 't', partition: 0, logStartOffset: 3 }])
  })

  it('makes the deleted offsets unreadable: a fetch below the new start is OFFSET_OUT_OF_RANGE', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 't', { replicationFactor: 3 })
    await produce(cluster, 't', 4)
    await deleteRecords(cluster, 't', 2)
    const fetch = (fetchOffset: number) =>
      cluster.send(leaderOf(cluster, 't'), {
        api: 'Fetch',
        maxWaitMs: 0,
        minBytes: 0,
        maxBytes: 1 << 20,
        isolationLevel: 0,
        topics: [{ name: 't', partitions: [{ index: 0, fetchOffset, partitionMaxBytes: 1 << 20 }] }],
      })
    expect((await fetch(1)).topics[0]!.partitions[0]!.errorCode).toBe(ErrorCode.OFFSET_OUT_OF_RANGE)
    const ok = (await fetch(2)).topics[0]!.partitions[0]!
    expect(ok.errorCode).toBe(ErrorCode.NONE)
    expect(ok.logStartOffset).toBe(2)
    expect(ok.batches[0]!.baseOffset).toBe(2)
  })

  it('takes -1 to mean the high watermark', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 't', { replicationFactor: 3 })
    await produce(cluster, 't', 3)
    expect(await deleteRecords(cluster, 't', -1)).toEqual({ index: 0, lowWatermark: 3, errorCode: ErrorCode.NONE })
    expect(partitionState(cluster, 't')).toEqual({ logStartOffset: 3, highWatermark: 3, logEndOffset: 3 })
  })

  it('accepts exactly the high watermark', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 't', { replicationFactor: 3 })
    await produce(cluster, 't', 2)
    expect((await deleteRecords(cluster, 't', 2)).errorCode).toBe(ErrorCode.NONE)
  })

  it.each([
    ['beyond the high watermark', 4],
    ['a negative offset other than -1', -2],
  ])('refuses %s with OFFSET_OUT_OF_RANGE and changes nothing', async (_what, offset) => {
    const cluster = newCluster()
    await createTopic(cluster, 't', { replicationFactor: 3 })
    await produce(cluster, 't', 3)
    const before = state(cluster)
    expect(await deleteRecords(cluster, 't', offset)).toEqual({ index: 0, lowWatermark: -1, errorCode: ErrorCode.OFFSET_OUT_OF_RANGE })
    expect(state(cluster)).toEqual(before)
  })

  it('never moves logStartOffset backwards: a smaller offset succeeds with the current low watermark', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 't', { replicationFactor: 3 })
    await produce(cluster, 't', 5)
    await deleteRecords(cluster, 't', 4)
    const before = state(cluster)
    expect(await deleteRecords(cluster, 't', 1)).toEqual({ index: 0, lowWatermark: 4, errorCode: ErrorCode.NONE })
    expect(state(cluster)).toEqual(before)
    expect(cluster.timeline({ types: ['recordsDeleted'] })).toHaveLength(1)
  })

  it('answers NOT_LEADER_OR_FOLLOWER on a follower and changes nothing', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 't', { replicationFactor: 3 })
    await produce(cluster, 't', 3)
    const before = state(cluster)
    expect(await deleteRecords(cluster, 't', 2, followerOf(cluster, 't'))).toEqual({ index: 0, lowWatermark: -1, errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER })
    expect(state(cluster)).toEqual(before)
  })

  it('answers UNKNOWN_TOPIC_OR_PARTITION for a missing topic or partition', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 't', { replicationFactor: 3 })
    const response = await cluster.send(0, {
      api: 'DeleteRecords',
      topics: [
        { name: 'missing', partitions: [{ index: 0, offset: 0 }] },
        { name: 't', partitions: [{ index: 7, offset: 0 }] },
      ],
      timeoutMs: 1000,
    })
    expect(response.topics.map((t) => t.partitions[0]!.errorCode)).toEqual([ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION])
  })

  // Partition.deleteRecordsOnLeader: "if (!leaderLog.config.delete) throw new
  // PolicyViolationException(... can not be deleted due to the configured policy)". A topic whose
  // cleanup.policy is compact only refuses DeleteRecords with POLICY_VIOLATION.
  it('refuses a compact-only topic with POLICY_VIOLATION and changes nothing', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 'compacted', { replicationFactor: 3, configs: { 'cleanup.policy': 'compact' } })
    await produce(cluster, 'compacted', 3)
    const before = state(cluster)
    expect((await deleteRecords(cluster, 'compacted', 2)).errorCode).toBe(ErrorCode.POLICY_VIOLATION)
    expect(state(cluster)).toEqual(before)
  })

  it('is allowed on a compact,delete topic', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 'both', { replicationFactor: 3, configs: { 'cleanup.policy': 'compact,delete' } })
    await produce(cluster, 'both', 3)
    expect(await deleteRecords(cluster, 'both', 2)).toEqual({ index: 0, lowWatermark: 2, errorCode: ErrorCode.NONE })
  })
})
