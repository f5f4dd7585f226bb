/** DescribeProducers (API key 61) at the request boundary: a partition leader's producer state. */
import { describe, it, expect } from 'vitest'
import { settleMicrotasks } from '../../../src/cluster/clock.js'
import type { ClusterModel } from '../../../src/cluster/cluster-model.js'
import { ErrorCode } from '../../../src/cluster/error-codes.js'
import { createTopic, newCluster } from '../../support/cluster-harness.js'

async function produce(cluster: ClusterModel, leader: number, batch: { producerId: number; producerEpoch: number; baseSequence: number; count: number; transactionalId?: string; timestamp: number }) {
  const response = await cluster.send(leader, {
    api: 'Produce',
    transactionalId: batch.transactionalId ?? null,
    acks: -1,
    timeoutMs: 1000,
    topics: [{ name: 't', partitions: [{ index: 0, records: Array.from({ length: batch.count }, () => ({ key: null, value: Buffer.from('v'), headers: [], timestamp: batch.timestamp })), producerId: batch.producerId, producerEpoch: batch.producerEpoch, baseSequence: batch.baseSequence, isTransactional: batch.transactionalId !== undefined }] }],
  })
  expect(response.topics[0]!.partitions[0]!.errorCode).toBe(0)
  return response.topics[0]!.partitions[0]!.baseOffset
}

describe('DescribeProducers', () => {
  it('lists each producer: epoch, last sequence, last timestamp, coordinator epoch, open transaction start', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 't', { replicationFactor: 3 })
    const leader = cluster.controller.topic('t')!.partitions[0]!.leader
    const idempotent = (await cluster.send(leader, { api: 'InitProducerId', transactionalId: null, transactionTimeoutMs: 1000 })).producerId
    await produce(cluster, leader, { producerId: idempotent, producerEpoch: 0, baseSequence: 0, count: 3, timestamp: 1000 })
    await produce(cluster, leader, { producerId: idempotent, producerEpoch: 0, baseSequence: 3, count: 2, timestamp: 2000 })

    const tc = cluster.coordinatorFor('tx', 1)!
    const txn = await cluster.send(tc, { api: 'InitProducerId', transactionalId: 'tx', transactionTimeoutMs: 60_000 })
    expect((await cluster.send(tc, { api: 'AddPartitionsToTxn', transactionalId: 'tx', producerId: txn.producerId, producerEpoch: txn.producerEpoch, topics: [{ name: 't', partitions: [0] }] })).results[0]!.partitions[0]!.errorCode).toBe(0)
    const txnStart = await produce(cluster, leader, { producerId: txn.producerId, producerEpoch: txn.producerEpoch, baseSequence: 0, count: 1, transactionalId: 'tx', timestamp: 3000 })

    const describeProducers = async (broker = leader) => (await cluster.send(broker, { api: 'DescribeProducers', topics: [{ name: 't', partitionIndexes: [0] }] })).topics[0]!.partitions[0]!
    const open = await describeProducers()
    expect(open.errorCode).toBe(0)
    expect(open.activeProducers).toEqual([
      { producerId: idempotent, producerEpoch: 0, lastSequence: 4, lastTimestamp: 2000, coordinatorEpoch: -1, currentTxnStartOffset: -1 },
      { producerId: txn.producerId, producerEpoch: txn.producerEpoch, lastSequence: 0, lastTimestamp: 3000, coordinatorEpoch: -1, currentTxnStartOffset: txnStart },
    ].sort((a, b) => a.producerId - b.producerId))

    expect((await cluster.send(tc, { api: 'EndTxn', transactionalId: 'tx', producerId: txn.producerId, producerEpoch: txn.producerEpoch, committed: true })).errorCode).toBe(0)
    await settleMicrotasks()
    const closed = (await describeProducers()).activeProducers.find((p) => p.producerId === txn.producerId)!
    // The marker closed the transaction and carries the coordinator's epoch.
    expect(closed).toMatchObject({ currentTxnStartOffset: -1, coordinatorEpoch: 0 })
  })

  it('answers NOT_LEADER_OR_FOLLOWER from a follower and UNKNOWN_TOPIC_OR_PARTITION for a missing partition', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 't', { replicationFactor: 3 })
    const leader = cluster.controller.topic('t')!.partitions[0]!.leader
    const follower = (leader + 1) % 3
    const response = await cluster.send(follower, { api: 'DescribeProducers', topics: [{ name: 't', partitionIndexes: [0, 5] }, { name: 'nope', partitionIndexes: [0] }] })
    expect(response.topics.map((t) => [t.name, t.partitions.map((p) => [p.index, p.errorCode, p.activeProducers.length])])).toEqual([
      ['t', [[0, ErrorCode.NOT_LEADER_OR_FOLLOWER, 0], [5, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, 0]]],
      ['nope', [[0, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, 0]]],
    ])
  })
})
