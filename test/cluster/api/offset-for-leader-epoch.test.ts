/**
 * OffsetForLeaderEpoch (API key 23) at the request boundary: the end offset of a leader epoch
 * from the leader's epoch cache, after leader changes, fenced by the client's current epoch.
 */
import { describe, it, expect } from 'vitest'
import { ClusterModel } from '../../../src/cluster/cluster-model.js'
import { ManualClock } from '../../../src/cluster/clock.js'
import { ErrorCode } from '../../../src/cluster/error-codes.js'

async function setup(): Promise<{ cluster: ClusterModel; clock: ManualClock }> {
  const clock = new ManualClock(0)
  const cluster = new ClusterModel({ brokers: 3, seed: 1, clock })
  const created = await cluster.send(0, { api: 'CreateTopics', topics: [{ name: 't', numPartitions: 1, replicationFactor: 3, assignments: [], configs: [] }], timeoutMs: 1000, validateOnly: false })
  expect(created.topics[0]!.errorCode).toBe(0)
  return { cluster, clock }
}

function partition(cluster: ClusterModel) {
  return cluster.controller.topic('t')!.partitions[0]!
}

async function produce(cluster: ClusterModel, count: number): Promise<void> {
  const records = Array.from({ length: count }, () => ({ key: null, value: Buffer.from('v') }))
  const r = await cluster.send(partition(cluster).leader, { api: 'Produce', acks: -1, timeoutMs: 1000, topics: [{ name: 't', partitions: [{ index: 0, records }] }] })
  expect(r.topics[0]!.partitions[0]!.errorCode).toBe(0)
}

async function ask(cluster: ClusterModel, brokerId: number, leaderEpoch: number, currentLeaderEpoch = -1) {
  const r = await cluster.send(brokerId, { api: 'OffsetForLeaderEpoch', replicaId: -1, topics: [{ topic: 't', partitions: [{ partition: 0, currentLeaderEpoch, leaderEpoch }] }] })
  return r.topics[0]!.partitions[0]!
}

describe('OffsetForLeaderEpoch', () => {
  it('answers the end of each epoch: the next epoch start for an old epoch, the log end for the current one', async () => {
    const { cluster } = await setup()
    await produce(cluster, 3)
    const first = partition(cluster).leaderEpoch
    const firstLeader = partition(cluster).leader
    cluster.stopBroker(firstLeader)
    const second = partition(cluster).leaderEpoch
    expect(second).toBeGreaterThan(first)
    await produce(cluster, 2)
    const leader = partition(cluster).leader
    expect(await ask(cluster, leader, first)).toEqual({ errorCode: 0, partition: 0, leaderEpoch: first, endOffset: 3 })
    expect(await ask(cluster, leader, second)).toEqual({ errorCode: 0, partition: 0, leaderEpoch: second, endOffset: 5 })
    // An epoch newer than every epoch the leader knows: -1/-1 (UNDEFINED_EPOCH_OFFSET).
    expect(await ask(cluster, leader, second + 5)).toEqual({ errorCode: 0, partition: 0, leaderEpoch: -1, endOffset: -1 })
  })

  it('fences a stale current epoch (FENCED_LEADER_EPOCH), refuses a future one (UNKNOWN_LEADER_EPOCH), and answers only on the leader', async () => {
    const { cluster } = await setup()
    await produce(cluster, 1)
    const epoch = partition(cluster).leaderEpoch
    cluster.stopBroker(partition(cluster).leader)
    const leader = partition(cluster).leader
    const now = partition(cluster).leaderEpoch
    expect((await ask(cluster, leader, epoch, epoch)).errorCode).toBe(ErrorCode.FENCED_LEADER_EPOCH)
    expect((await ask(cluster, leader, epoch, now + 1)).errorCode).toBe(ErrorCode.UNKNOWN_LEADER_EPOCH)
    expect((await ask(cluster, leader, epoch, now)).errorCode).toBe(0)
    const follower = partition(cluster).replicas.find((id) => id !== leader && cluster.isBrokerAlive(id))!
    expect((await ask(cluster, follower, epoch)).errorCode).toBe(ErrorCode.NOT_LEADER_OR_FOLLOWER)
    const missing = await cluster.send(leader, { api: 'OffsetForLeaderEpoch', replicaId: -1, topics: [{ topic: 'nope', partitions: [{ partition: 0, currentLeaderEpoch: -1, leaderEpoch: 0 }] }] })
    expect(missing.topics[0]!.partitions[0]).toEqual({ errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, partition: 0, leaderEpoch: -1, endOffset: -1 })
  })
})
