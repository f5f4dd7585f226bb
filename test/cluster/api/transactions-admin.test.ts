/**
 * DescribeTransactions (API key 65) and ListTransactions (66) at the request boundary: the
 * transaction coordinator's view, per coordinating broker, with Kafka's filters.
 */
import { describe, it, expect } from 'vitest'
import { settleMicrotasks } from '../../../src/cluster/clock.js'
import type { ClusterModel } from '../../../src/cluster/cluster-model.js'
import { ErrorCode } from '../../../src/cluster/error-codes.js'
import { createTopic, newCluster } from '../../support/cluster-harness.js'

async function begin(cluster: ClusterModel, id: string, partitions: number[] | null) {
  const tc = cluster.coordinatorFor(id, 1)!
  const init = await cluster.send(tc, { api: 'InitProducerId', transactionalId: id, transactionTimeoutMs: 45_000 })
  if (partitions) {
    const added = await cluster.send(tc, { api: 'AddPartitionsToTxn', transactionalId: id, producerId: init.producerId, producerEpoch: init.producerEpoch, topics: [{ name: 't', partitions }] })
    expect(added.results[0]!.partitions.every((p) => p.errorCode === 0)).toBe(true)
  }
  return { tc, ...init }
}

const listAll = async (cluster: ClusterModel, stateFilters: string[] = [], producerIdFilters: number[] = []) => {
  const all = []
  const unknown = new Set<string>()
  for (const broker of [0, 1, 2]) {
    const r = await cluster.send(broker, { api: 'ListTransactions', stateFilters, producerIdFilters })
    expect(r.errorCode).toBe(0)
    r.unknownStateFilters.forEach((s) => unknown.add(s))
    all.push(...r.transactionStates.map((t) => ({ ...t, broker })))
  }
  return { all: all.sort((a, b) => a.transactionalId.localeCompare(b.transactionalId)), unknown: [...unknown] }
}

describe('DescribeTransactions', () => {
  it('an open transaction: state, timeout, start time, producer and partitions; a completed one without partitions', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 't', { partitions: 3 })
    const tx = await begin(cluster, 'tx', [2, 0])
    const [open] = (await cluster.send(tx.tc, { api: 'DescribeTransactions', transactionalIds: ['tx'] })).transactionStates
    expect(open).toEqual({
      errorCode: 0,
      transactionalId: 'tx',
      transactionState: 'Ongoing',
      transactionTimeoutMs: 45_000,
      transactionStartTimeMs: cluster.clock.now(),
      producerId: tx.producerId,
      producerEpoch: tx.producerEpoch,
      topics: [{ topic: 't', partitions: [2, 0] }],
    })
    await cluster.send(tx.tc, { api: 'EndTxn', transactionalId: 'tx', producerId: tx.producerId, producerEpoch: tx.producerEpoch, committed: false })
    await settleMicrotasks()
    const [done] = (await cluster.send(tx.tc, { api: 'DescribeTransactions', transactionalIds: ['tx'] })).transactionStates
    expect(done).toMatchObject({ errorCode: 0, transactionState: 'CompleteAbort', topics: [] })
  })

  it('TRANSACTIONAL_ID_NOT_FOUND for an unknown id, NOT_COORDINATOR from another broker', async () => {
    const cluster = newCluster()
    const tx = await begin(cluster, 'tx', null)
    const response = await cluster.send(tx.tc, { api: 'DescribeTransactions', transactionalIds: ['tx', 'nobody'] })
    expect(response.transactionStates.map((t) => [t.transactionalId, t.errorCode, t.transactionState])).toEqual([
      ['tx', 0, 'Empty'],
      ['nobody', cluster.coordinatorFor('nobody', 1) === tx.tc ? ErrorCode.TRANSACTIONAL_ID_NOT_FOUND : ErrorCode.NOT_COORDINATOR, ''],
    ])
    const elsewhere = (tx.tc + 1) % 3
    expect((await cluster.send(elsewhere, { api: 'DescribeTransactions', transactionalIds: ['tx'] })).transactionStates[0]!.errorCode).toBe(ErrorCode.NOT_COORDINATOR)
  })
})

describe('ListTransactions', () => {
  it('each broker lists the transactions it coordinates; state and producer id filters; unknown state names echoed', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 't')
    const ids = ['a', 'b', 'c', 'd', 'e']
    const txns = new Map<string, Awaited<ReturnType<typeof begin>>>()
    for (const id of ids) txns.set(id, await begin(cluster, id, id === 'a' || id === 'b' ? [0] : null))

    const { all } = await listAll(cluster)
    expect(all.map((t) => [t.transactionalId, t.transactionState, t.producerId, t.broker])).toEqual(
      ids.map((id) => [id, id === 'a' || id === 'b' ? 'Ongoing' : 'Empty', txns.get(id)!.producerId, txns.get(id)!.tc]),
    )
    expect((await listAll(cluster, ['Ongoing'])).all.map((t) => t.transactionalId)).toEqual(['a', 'b'])
    expect((await listAll(cluster, [], [txns.get('c')!.producerId])).all.map((t) => t.transactionalId)).toEqual(['c'])
    expect((await listAll(cluster, ['Ongoing'], [txns.get('c')!.producerId])).all).toEqual([])
    // Kafka: filters that name no known state filter nothing, and come back as unknown.
    const unknown = await listAll(cluster, ['Sleeping'])
    expect(unknown.unknown).toEqual(['Sleeping'])
    expect(unknown.all).toHaveLength(5)
  })
})
