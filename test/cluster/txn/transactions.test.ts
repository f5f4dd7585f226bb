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
