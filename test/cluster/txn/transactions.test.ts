/**
 * Transactions at the request boundary: a transactional producer's writes stay below the LSO
 * until EndTxn, markers take offsets, aborted data is listed for read_committed fetches, and
 * fencing, timeouts and state errors answer as Kafka's coordinator does.
 */
import { describe, it, expect } from 'vitest'
import { ManualClock, settleMicrotasks } from '../../../src/cluster/clock.js'
import { ClusterModel } from '../../../src/cluster/cluster-model.js'
import { ErrorCode } from '../../../src/cluster/error-codes.js'
import { CoordinatorType, IsolationLevel } from '../../../src/cluster/api/messages.js'
import { controlTypeOf } from '../../../src/cluster/log/control-record.js'

async function setup(brokerConfig = {}) {
  const clock = new ManualClock(0)
  const cluster = new ClusterModel({ brokers: 3, clock, seed: 4, brokerConfig })
  await cluster.send(0, { api: 'CreateTopics', timeoutMs: 1000, validateOnly: false, topics: [{ name: 'out', numPartitions: 1, replicationFactor: 3, assignments: [], configs: [] }] })
  const leader = cluster.controller.topic('out')!.partitions[0]!.leader
  const coordinator = cluster.coordinatorFor('tx-1', CoordinatorType.TRANSACTION)!
  const init = async (timeout = 60_000) => cluster.send(coordinator, { api: 'InitProducerId', transactionalId: 'tx-1', transactionTimeoutMs: timeout })
  const add = (producerId: number, producerEpoch: number) =>
    cluster.send(coordinator, { api: 'AddPartitionsToTxn', transactionalId: 'tx-1', producerId, producerEpoch, topics: [{ name: 'out', partitions: [0] }] })
  const produce = (producerId: number, producerEpoch: number, baseSequence: number, values: string[]) =>
    cluster.send(leader, {
      api: 'Produce',
      transactionalId: 'tx-1',
      acks: -1,
      timeoutMs: 1000,
      topics: [{ name: 'out', partitions: [{ index: 0, producerId, producerEpoch, baseSequence, isTransactional: true, records: values.map((v) => ({ key: null, value: Buffer.from(v) })) }] }],
    })
  const end = async (producerId: number, producerEpoch: number, committed: boolean) => {
    const response = await cluster.send(coordinator, { api: 'EndTxn', transactionalId: 'tx-1', producerId, producerEpoch, committed })
    await settleMicrotasks() // the markers follow the answer
    return response
  }
  const fetch = (isolationLevel: number) =>
    cluster.send(leader, { api: 'Fetch', maxWaitMs: 0, minBytes: 1, maxBytes: 1 << 20, isolationLevel, topics: [{ name: 'out', partitions: [{ index: 0, fetchOffset: 0, partitionMaxBytes: 1 << 20 }] }] })
  const partition = cluster.controller.topic('out')!.partitions[0]!
  return { cluster, clock, init, add, produce, end, fetch, partition, coordinator }
}

describe('transactions at the request boundary', () => {
  it('keeps written data below the LSO until commit; the marker takes an offset', async () => {
    const { init, add, produce, end, fetch, partition } = await setup()
    const { producerId, producerEpoch } = await init()
    expect((await add(producerId, producerEpoch)).results[0]!.partitions[0]!.errorCode).toBe(ErrorCode.NONE)
    expect((await produce(producerId, producerEpoch, 0, ['a', 'b'])).topics[0]!.partitions[0]!.errorCode).toBe(ErrorCode.NONE)
    expect(partition.highWatermark).toBe(2)
    expect(partition.lastStableOffset).toBe(0)
    const before = await fetch(IsolationLevel.READ_COMMITTED)
    expect(before.topics[0]!.partitions[0]!.batches).toEqual([])
    expect((await end(producerId, producerEpoch, true)).errorCode).toBe(ErrorCode.NONE)
    expect(partition.highWatermark).toBe(3)
    expect(partition.lastStableOffset).toBe(3)
    const after = (await fetch(IsolationLevel.READ_COMMITTED)).topics[0]!.partitions[0]!
    expect(after.batches.map((b) => [b.baseOffset, b.isControl, controlTypeOf(b)])).toEqual([
      [0, false, undefined],
      [2, true, 'COMMIT'],
    ])
    expect(after.abortedTransactions).toEqual([])
  })

  it('lists an aborted transaction for read_committed, and none for read_uncommitted', async () => {
    const { init, add, produce, end, fetch, partition } = await setup()
    const { producerId, producerEpoch } = await init()
    await add(producerId, producerEpoch)
    await produce(producerId, producerEpoch, 0, ['x'])
    expect((await end(producerId, producerEpoch, false)).errorCode).toBe(ErrorCode.NONE)
    expect(partition.lastStableOffset).toBe(2)
    expect((await fetch(IsolationLevel.READ_COMMITTED)).topics[0]!.partitions[0]!.abortedTransactions).toEqual([{ producerId, firstOffset: 0 }])
    expect((await fetch(IsolationLevel.READ_UNCOMMITTED)).topics[0]!.partitions[0]!.abortedTransactions).toBeNull()
  })

  it('fences the old instance: a new InitProducerId aborts its open transaction and bumps the epoch', async () => {
    const { init, add, produce, end, partition } = await setup()
    const first = await init()
    await add(first.producerId, first.producerEpoch)
    await produce(first.producerId, first.producerEpoch, 0, ['zombie'])
    expect((await init()).errorCode).toBe(ErrorCode.CONCURRENT_TRANSACTIONS)
    await settleMicrotasks()
    const second = await init()
    expect(second.errorCode).toBe(ErrorCode.NONE)
    expect(second.producerEpoch).toBeGreaterThan(first.producerEpoch)
    expect(partition.lastStableOffset).toBe(partition.highWatermark)
    expect((await produce(first.producerId, first.producerEpoch, 1, ['late'])).topics[0]!.partitions[0]!.errorCode).toBe(ErrorCode.INVALID_PRODUCER_EPOCH)
    expect((await end(first.producerId, first.producerEpoch, true)).errorCode).toBe(ErrorCode.INVALID_PRODUCER_EPOCH)
  })

  it('aborts on transaction.timeout.ms and fences the producer', async () => {
    const { cluster, init, add, produce, end, partition } = await setup()
    const { producerId, producerEpoch } = await init(5_000)
    await add(producerId, producerEpoch)
    await produce(producerId, producerEpoch, 0, ['slow'])
    await cluster.advance(5_000)
    expect(partition.lastStableOffset).toBe(partition.highWatermark)
    expect(cluster.timeline({ types: ['txnEnded'] }).map((e) => e.type === 'txnEnded' && e.result)).toEqual(['abort'])
    expect((await end(producerId, producerEpoch, true)).errorCode).toBe(ErrorCode.INVALID_PRODUCER_EPOCH)
  })

  it('refuses a write to a partition outside the transaction (hanging-transaction prevention)', async () => {
    const { init, add, produce, end } = await setup()
    const { producerId, producerEpoch } = await init()
    await add(producerId, producerEpoch)
    await produce(producerId, producerEpoch, 0, ['in'])
    await end(producerId, producerEpoch, false)
    expect((await produce(producerId, producerEpoch, 1, ['late'])).topics[0]!.partitions[0]!.errorCode).toBe(ErrorCode.INVALID_TXN_STATE)
  })

  it('answers state errors as Kafka does', async () => {
    const { cluster, init, end, coordinator } = await setup({ 'transaction.max.timeout.ms': 10_000 })
    expect((await init(20_000)).errorCode).toBe(ErrorCode.INVALID_TRANSACTION_TIMEOUT)
    const { producerId, producerEpoch } = await init(5_000)
    expect((await end(producerId, producerEpoch, true)).errorCode).toBe(ErrorCode.INVALID_TXN_STATE)
    expect((await end(producerId + 100, producerEpoch, true)).errorCode).toBe(ErrorCode.INVALID_PRODUCER_ID_MAPPING)
    const other = cluster.brokers.find((b) => b.id !== coordinator)!.id
    expect((await cluster.send(other, { api: 'InitProducerId', transactionalId: 'tx-1', transactionTimeoutMs: 1000 })).errorCode).toBe(ErrorCode.NOT_COORDINATOR)
  })
})

describe('idempotent produce', () => {
  it('answers a repeated batch with its original offsets and appends nothing', async () => {
    const { cluster, partition } = await setup()
    const { producerId, producerEpoch } = await cluster.send(1, { api: 'InitProducerId', transactionalId: null, transactionTimeoutMs: 1000 })
    const send = (seq: number, n: number) =>
      cluster.send(partition.leader, {
        api: 'Produce',
        acks: -1,
        timeoutMs: 1000,
        topics: [{ name: 'out', partitions: [{ index: 0, producerId, producerEpoch, baseSequence: seq, records: Array.from({ length: n }, () => ({ key: null, value: Buffer.from('v') })) }] }],
      })
    expect((await send(0, 2)).topics[0]!.partitions[0]!.baseOffset).toBe(0)
    expect((await send(2, 3)).topics[0]!.partitions[0]!.baseOffset).toBe(2)
    expect((await send(0, 2)).topics[0]!.partitions[0]).toMatchObject({ errorCode: 0, baseOffset: 0 })
    expect((await send(2, 3)).topics[0]!.partitions[0]).toMatchObject({ errorCode: 0, baseOffset: 2 })
    expect(partition.logEndOffset).toBe(5)
    expect((await send(7, 1)).topics[0]!.partitions[0]!.errorCode).toBe(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER)
    expect((await send(5, 1)).topics[0]!.partitions[0]!.baseOffset).toBe(5)
  })
})

describe('transaction markers under compaction', () => {
  it('removes a marker once its transaction has no record left and delete.retention.ms has passed', async () => {
    const clock = new ManualClock(0)
    const cluster = new ClusterModel({ brokers: 1, clock, seed: 2 })
    await cluster.send(0, {
      api: 'CreateTopics',
      timeoutMs: 1,
      validateOnly: false,
      topics: [{ name: 'c', numPartitions: 1, replicationFactor: 1, assignments: [], configs: [{ name: 'cleanup.policy', value: 'compact' }, { name: 'segment.ms', value: '100' }, { name: 'delete.retention.ms', value: '1000' }, { name: 'min.cleanable.dirty.ratio', value: '0.01' }] }],
    })
    const coordinator = cluster.coordinatorFor('tx-c', CoordinatorType.TRANSACTION)!
    const { producerId, producerEpoch } = await cluster.send(coordinator, { api: 'InitProducerId', transactionalId: 'tx-c', transactionTimeoutMs: 60_000 })
    await cluster.send(coordinator, { api: 'AddPartitionsToTxn', transactionalId: 'tx-c', producerId, producerEpoch, topics: [{ name: 'c', partitions: [0] }] })
    await cluster.send(0, { api: 'Produce', transactionalId: 'tx-c', acks: -1, timeoutMs: 1, topics: [{ name: 'c', partitions: [{ index: 0, producerId, producerEpoch, baseSequence: 0, isTransactional: true, records: [{ key: Buffer.from('k'), value: Buffer.from('in-txn') }] }] }] })
    await cluster.send(coordinator, { api: 'EndTxn', transactionalId: 'tx-c', producerId, producerEpoch, committed: true })
    await settleMicrotasks()
    // The key is overwritten outside the transaction: the transaction keeps no record.
    const write = async (value: string) => {
      await clock.advance(200)
      await cluster.send(0, { api: 'Produce', acks: -1, timeoutMs: 1, topics: [{ name: 'c', partitions: [{ index: 0, records: [{ key: Buffer.from('k'), value: Buffer.from(value) }] }] }] })
    }
    await write('later')
    await write('later still')
    const log = cluster.controller.topic('c')!.partitions[0]!.log
    // Markers still holding their record (a producer's last batch stays behind, emptied).
    const markers = () => log.allSegments.flatMap((s) => s.batches).filter((b) => b.isControl && b.count > 0).map((b) => b.baseOffset)
    expect(markers()).toEqual([1])
    cluster.runCleaner()
    expect(markers()).toEqual([1]) // stamped with its delete horizon, still there
    await write('again')
    cluster.runCleaner()
    expect(markers()).toEqual([1]) // horizon not reached yet
    await clock.advance(1000)
    await write('last')
    const removed = cluster.runCleaner()
    expect(markers()).toEqual([])
    expect(removed.length).toBeGreaterThan(0)
    await cluster.close()
  })
})

describe('scenario 7: a zombie consumer sends offsets from an old generation', () => {
  it('TxnOffsetCommit from a stale generation is refused (ILLEGAL_GENERATION); aborting leaves the group offsets untouched', async () => {
    const { cluster, init, add, produce, end } = await setup()
    const groupCoordinator = cluster.coordinatorFor('g', CoordinatorType.GROUP)!
    const join = async (memberId: string) =>
      cluster.send(groupCoordinator, {
        api: 'JoinGroup',
        groupId: 'g',
        sessionTimeoutMs: 10_000,
        rebalanceTimeoutMs: 10_000,
        memberId,
        protocolType: 'consumer',
        protocols: [{ name: 'range', metadata: Buffer.alloc(0) }],
        clientId: 'c',
        clientHost: '/127.0.0.1',
      })
    const first = await join('')
    const joined = await join(first.memberId)
    await cluster.send(groupCoordinator, { api: 'SyncGroup', groupId: 'g', generationId: joined.generationId, memberId: joined.memberId, assignments: [] })
    // The member is expelled (its session expires) and the group moves to a new generation.
    await cluster.advance(10_001)
    const { producerId, producerEpoch } = await init()
    await add(producerId, producerEpoch)
    await produce(producerId, producerEpoch, 0, ['out'])
    const coordinator = cluster.coordinatorFor('tx-1', CoordinatorType.TRANSACTION)!
    expect((await cluster.send(coordinator, { api: 'AddOffsetsToTxn', transactionalId: 'tx-1', producerId, producerEpoch, groupId: 'g' })).errorCode).toBe(ErrorCode.NONE)
    const stale = await cluster.send(groupCoordinator, {
      api: 'TxnOffsetCommit',
      transactionalId: 'tx-1',
      groupId: 'g',
      producerId,
      producerEpoch,
      generationId: joined.generationId,
      memberId: joined.memberId,
      topics: [{ name: 'out', partitions: [{ index: 0, committedOffset: 1, committedMetadata: null }] }],
    })
    expect(stale.topics[0]!.partitions[0]!.errorCode).not.toBe(ErrorCode.NONE)
    expect([ErrorCode.ILLEGAL_GENERATION, ErrorCode.UNKNOWN_MEMBER_ID]).toContain(stale.topics[0]!.partitions[0]!.errorCode)
    expect((await end(producerId, producerEpoch, false)).errorCode).toBe(ErrorCode.NONE)
    const fetched = await cluster.send(groupCoordinator, { api: 'OffsetFetch', groupId: 'g', topics: [{ name: 'out', partitionIndexes: [0] }] })
    expect(fetched.topics[0]!.partitions[0]!.committedOffset).toBe(-1)
  })
})
