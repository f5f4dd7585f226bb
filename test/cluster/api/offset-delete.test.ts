/**
 * OffsetDelete (API key 47) at the request boundary, as Kafka 3.7's
 * GroupCoordinator.handleDeleteOffsets and KafkaApis.handleOffsetDeleteRequest answer it.
 */
import { describe, it, expect } from 'vitest'
import { ErrorCode } from '../../../src/cluster/error-codes.js'
import { createTopic, groupCoordinator, joinAndSync, newCluster } from '../../support/cluster-harness.js'
import type { ClusterModel } from '../../../src/cluster/cluster-model.js'

async function commit(cluster: ClusterModel, groupId: string, offsets: Record<string, number>) {
  const topics = Object.entries(offsets).map(([tp, offset]) => {
    const [name, index] = tp.split('/') as [string, string]
    return { name, partitions: [{ index: Number(index), committedOffset: offset, committedMetadata: null }] }
  })
  const response = await cluster.send(groupCoordinator(cluster, groupId), { api: 'OffsetCommit', groupId, generationId: -1, memberId: '', topics })
  for (const t of response.topics) for (const p of t.partitions) expect(p.errorCode).toBe(0)
}

async function committed(cluster: ClusterModel, groupId: string, topic: string, partition: number) {
  const response = await cluster.send(groupCoordinator(cluster, groupId), { api: 'OffsetFetch', groupId, topics: [{ name: topic, partitionIndexes: [partition] }] })
  return response.topics[0]!.partitions[0]!.committedOffset
}

const deleteOffsets = (cluster: ClusterModel, groupId: string, topics: { name: string; partitions: number[] }[], broker = groupCoordinator(cluster, groupId)) =>
  cluster.send(broker, { api: 'OffsetDelete', groupId, topics })

describe('OffsetDelete', () => {
  it('an Empty group loses the offsets asked for; unknown partitions are UNKNOWN_TOPIC_OR_PARTITION', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 'a', { partitions: 2 })
    await commit(cluster, 'g', { 'a/0': 5, 'a/1': 6 })
    const response = await deleteOffsets(cluster, 'g', [{ name: 'a', partitions: [0, 7] }, { name: 'ghost', partitions: [0] }])
    expect(response).toEqual({
      errorCode: 0,
      topics: [
        { name: 'a', partitions: [{ index: 0, errorCode: 0 }, { index: 7, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION }] },
        { name: 'ghost', partitions: [{ index: 0, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION }] },
      ],
    })
    expect(await committed(cluster, 'g', 'a', 0)).toBe(-1)
    expect(await committed(cluster, 'g', 'a', 1)).toBe(6)
  })

  it('an Empty group left without offsets is removed (GROUP_ID_NOT_FOUND afterwards)', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 'a')
    await commit(cluster, 'g', { 'a/0': 1 })
    expect((await deleteOffsets(cluster, 'g', [{ name: 'a', partitions: [0] }])).errorCode).toBe(0)
    expect(await deleteOffsets(cluster, 'g', [{ name: 'a', partitions: [0] }])).toEqual({ errorCode: ErrorCode.GROUP_ID_NOT_FOUND, topics: [] })
  })

  it('a live consumer group keeps the offsets of topics it subscribes to (GROUP_SUBSCRIBED_TO_TOPIC) and loses the others', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 'mine')
    await createTopic(cluster, 'old')
    await commit(cluster, 'g', { 'mine/0': 3, 'old/0': 4 })
    await joinAndSync(cluster, 'g', ['mine'], { mine: [0] })
    const response = await deleteOffsets(cluster, 'g', [{ name: 'mine', partitions: [0] }, { name: 'old', partitions: [0] }])
    expect(response).toEqual({
      errorCode: 0,
      topics: [
        { name: 'mine', partitions: [{ index: 0, errorCode: ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC }] },
        { name: 'old', partitions: [{ index: 0, errorCode: 0 }] },
      ],
    })
    expect(await committed(cluster, 'g', 'mine', 0)).toBe(3)
    expect(await committed(cluster, 'g', 'old', 0)).toBe(-1)
  })

  it('a live group of another protocol type is NON_EMPTY_GROUP; an unknown group GROUP_ID_NOT_FOUND; another broker NOT_COORDINATOR; empty id INVALID_GROUP_ID', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 'a')
    const coordinator = groupCoordinator(cluster, 'connect')
    const joined = await cluster.send(coordinator, { api: 'JoinGroup', groupId: 'connect', sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 10_000, memberId: '', groupInstanceId: 'w1', protocolType: 'connect', protocols: [{ name: 'default', metadata: Buffer.alloc(0) }], clientId: 'c', clientHost: '/127.0.0.1' })
    expect(joined.errorCode).toBe(0)
    expect((await deleteOffsets(cluster, 'connect', [{ name: 'a', partitions: [0] }])).errorCode).toBe(ErrorCode.NON_EMPTY_GROUP)
    expect((await deleteOffsets(cluster, 'nobody', [{ name: 'a', partitions: [0] }])).errorCode).toBe(ErrorCode.GROUP_ID_NOT_FOUND)
    expect((await deleteOffsets(cluster, 'nobody', [], (groupCoordinator(cluster, 'nobody') + 1) % 3)).errorCode).toBe(ErrorCode.NOT_COORDINATOR)
    expect((await deleteOffsets(cluster, '', [])).errorCode).toBe(ErrorCode.INVALID_GROUP_ID)
  })
})
