/**
 * Fetch (API key 1) for consumers at the request boundary: what a fetch returns
 * (ReplicaManager.readFromLog), which offsets are out of range, the size limits with KIP-74's
 * first-batch rule, and the long poll (DelayedFetch) on the cluster's clock.
 */
import { describe, it, expect } from 'vitest'
import { ClusterModel } from '../../../src/cluster/cluster-model.js'
import { ManualClock, settleMicrotasks } from '../../../src/cluster/clock.js'
import { BrokerUnreachableError, ErrorCode } from '../../../src/cluster/error-codes.js'
import { IsolationLevel, type FetchPartitionResponse, type FetchRequest, type FetchResponse } from '../../../src/cluster/api/messages.js'
import { createTopic, newCluster } from '../../support/cluster-harness.js'

function leaderOf(cluster: ClusterModel, topic: string, partition = 0): number {
  return cluster.controller.topic(topic)!.partitions[partition]!.leader
}

/** A batch of `count` records of `valueBytes` each; one-record 100-byte batches are 169 bytes. */
async function produce(cluster: ClusterModel, topic: string, count: number, options: { partition?: number; valueBytes?: number } = {}): Promise<number> {
  const partition = options.partition ?? 0
  const response = await cluster.send(leaderOf(cluster, topic, partition), {
    api: 'Produce',
    acks: -1,
    timeoutMs: 1000,
    topics: [
      {
        name: topic,
        partitions: [{ index: partition, records: Array.from({ length: count }, (_, i) => ({ key: null, value: Buffer.alloc(options.valueBytes ?? 100, i) })) }],
      },
    ],
  })
  const result = response.topics[0]!.partitions[0]!
  expect(result.errorCode).toBe(ErrorCode.NONE)
  return result.baseOffset
}

const BATCH_OF_ONE_100B = 61 + 8 + 100

interface FetchOptions {
  fetchOffset?: number
  partitions?: { index: number; fetchOffset: number; partitionMaxBytes?: number }[]
  partitionMaxBytes?: number
  maxBytes?: number
  minBytes?: number
  maxWaitMs?: number
  isolationLevel?: number
  brokerId?: number
  signal?: AbortSignal
}

function fetchRequest(topic: string, options: FetchOptions): FetchRequest {
  const partitions = (options.partitions ?? [{ index: 0, fetchOffset: options.fetchOffset ?? 0 }]).map((p) => ({
    index: p.index,
    fetchOffset: p.fetchOffset,
    partitionMaxBytes: p.partitionMaxBytes ?? options.partitionMaxBytes ?? 1 << 20,
  }))
  return {
    api: 'Fetch',
    maxWaitMs: options.maxWaitMs ?? 0,
    minBytes: options.minBytes ?? 0,
    maxBytes: options.maxBytes ?? 50 << 20,
    isolationLevel: options.isolationLevel ?? IsolationLevel.READ_UNCOMMITTED,
    topics: [{ name: topic, partitions }],
    ...(options.signal ? { signal: options.signal } : {}),
  }
}

function fetch(cluster: ClusterModel, topic: string, options: FetchOptions = {}): Promise<FetchResponse> {
  return cluster.send(options.brokerId ?? leaderOf(cluster, topic), fetchRequest(topic, options))
}

async function fetchOne(cluster: ClusterModel, topic: string, options: FetchOptions = {}): Promise<FetchPartitionResponse> {
  const response = await fetch(cluster, topic, options)
  expect(response.errorCode).toBe(ErrorCode.NONE)
  return response.topics[0]!.partitions[0]!
}

/** A promise whose settlement can be looked at without awaiting it. */
function track<T>(promise: Promise<T>): { readonly value: T | undefined; readonly settled: boolean } {
  const state: { value: T | undefined; settled: boolean } = { value: undefined, settled: false }
  void promise.then((v) => {
    state.value = v
    state.settled = true
  })
  return state
}

const offsetsOf = (p: FetchPartitionResponse): number[] => p.batches.flatMap((b) => [...b.records()].map((r) => r.offset))

describe('Fetch', () => {
  describe('reading', () => {
    it('returns the batches from the one holding fetchOffset up to the high watermark, with the watermarks', async () => {
      const cluster = newCluster()
      await createTopic(cluster, 't', { replicationFactor: 3 })
      await produce(cluster, 't', 3) // 0..2
      await produce(cluster, 't', 2) // 3..4
      await produce(cluster, 't', 1) // 5
      const p = await fetchOne(cluster, 't', { fetchOffset: 4 })
      expect(p).toMatchObject({ index: 0, errorCode: ErrorCode.NONE, highWatermark: 6, lastStableOffset: 6, logStartOffset: 0, abortedTransactions: null })
      // The first batch starts before fetchOffset; the consumer skips what it did not ask for.
      expect(p.batches.map((b) => b.baseOffset)).toEqual([3, 5])
      expect(offsetsOf(p)).toEqual([3, 4, 5])
    })

    it('returns the stored records intact', async () => {
      const cluster = newCluster()
      await createTopic(cluster, 't', { replicationFactor: 3 })
      await cluster.send(leaderOf(cluster, 't'), {
        api: 'Produce',
        acks: 1,
        timeoutMs: 1000,
        topics: [{ name: 't', partitions: [{ index: 0, records: [{ key: Buffer.from('k'), value: Buffer.from('v'), headers: [{ key: 'h', value: Buffer.from('x') }], timestamp: 77 }] }] }],
      })
      const [stored] = [...(await fetchOne(cluster, 't')).batches[0]!.records()]
      expect(stored!.key!.toString()).toBe('k')
      expect(stored!.value!.toString()).toBe('v')
      expect(stored!.timestamp).toBe(77)
      expect(stored!.headers).toEqual([{ key: 'h', value: Buffer.from('x') }])
    })

    it('answers read_committed with an empty aborted-transactions list', async () => {
      const cluster = newCluster()
      await createTopic(cluster, 't', { replicationFactor: 3 })
      await produce(cluster, 't', 2)
      const p = await fetchOne(cluster, 't', { isolationLevel: IsolationLevel.READ_COMMITTED })
      expect(p.abortedTransactions).toEqual([])
      expect(offsetsOf(p)).toEqual([0, 1])
    })

    it('is empty, with no error, at the log end', async () => {
      const cluster = newCluster()
      await createTopic(cluster, 't', { replicationFactor: 3 })
      await produce(cluster, 't', 2)
      const p = await fetchOne(cluster, 't', { fetchOffset: 2 })
      expect(p).toMatchObject({ errorCode: ErrorCode.NONE, highWatermark: 2, batches: [] })
    })

    it('answers a partition with nothing to read with where it stands now, each time it is asked', async () => {
      const cluster = newCluster()
      await createTopic(cluster, 't', { replicationFactor: 3 })
      await produce(cluster, 't', 2)
      const committed = { isolationLevel: IsolationLevel.READ_COMMITTED }
      expect(await fetchOne(cluster, 't', { fetchOffset: 2 })).toEqual({ index: 0, errorCode: ErrorCode.NONE, highWatermark: 2, lastStableOffset: 2, logStartOffset: 0, abortedTransactions: null, batches: [] })
      expect(await fetchOne(cluster, 't', { fetchOffset: 2, ...committed })).toEqual({ index: 0, errorCode: ErrorCode.NONE, highWatermark: 2, lastStableOffset: 2, logStartOffset: 0, abortedTransactions: [], batches: [] })
      // Asked again unchanged, and after the partition moved: the high watermark, then the log start.
      expect(await fetchOne(cluster, 't', { fetchOffset: 2 })).toMatchObject({ highWatermark: 2, abortedTransactions: null })
      await produce(cluster, 't', 3)
      expect(await fetchOne(cluster, 't', { fetchOffset: 5 })).toMatchObject({ highWatermark: 5, lastStableOffset: 5, logStartOffset: 0, batches: [] })
      expect(await fetchOne(cluster, 't', { fetchOffset: 5, ...committed })).toMatchObject({ highWatermark: 5, lastStableOffset: 5, abortedTransactions: [], batches: [] })
      await cluster.send(leaderOf(cluster, 't'), { api: 'DeleteRecords', topics: [{ name: 't', partitions: [{ index: 0, offset: 4 }] }], timeoutMs: 1000 })
      expect(await fetchOne(cluster, 't', { fetchOffset: 5 })).toMatchObject({ highWatermark: 5, logStartOffset: 4, batches: [] })
      expect(await fetchOne(cluster, 't', { fetchOffset: 5, ...committed })).toMatchObject({ highWatermark: 5, logStartOffset: 4, abortedTransactions: [] })
      // A read from where there is data again returns it (the batch of offsets 2-4 whole).
      expect(offsetsOf(await fetchOne(cluster, 't', { fetchOffset: 4 }))).toEqual([2, 3, 4])
    })

    it('answers OFFSET_OUT_OF_RANGE above the log end and below the log start', async () => {
      const cluster = newCluster()
      await createTopic(cluster, 't', { replicationFactor: 3 })
      await produce(cluster, 't', 1)
      await produce(cluster, 't', 1)
      await produce(cluster, 't', 1)
      expect(await fetchOne(cluster, 't', { fetchOffset: 4 })).toMatchObject({ errorCode: ErrorCode.OFFSET_OUT_OF_RANGE, batches: [], highWatermark: 3, logStartOffset: 0 })
      await cluster.send(leaderOf(cluster, 't'), { api: 'DeleteRecords', topics: [{ name: 't', partitions: [{ index: 0, offset: 2 }] }], timeoutMs: 1000 })
      expect(await fetchOne(cluster, 't', { fetchOffset: 1 })).toMatchObject({ errorCode: ErrorCode.OFFSET_OUT_OF_RANGE, batches: [], logStartOffset: 2 })
      expect(offsetsOf(await fetchOne(cluster, 't', { fetchOffset: 2 }))).toEqual([2])
    })

    it('answers NOT_LEADER_OR_FOLLOWER on a broker that holds no replica', async () => {
      const cluster = newCluster()
      await createTopic(cluster, 't')
      await produce(cluster, 't', 1)
      const elsewhere = [0, 1, 2].find((id) => id !== leaderOf(cluster, 't'))!
      expect(await fetchOne(cluster, 't', { brokerId: elsewhere })).toMatchObject({ errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER, batches: [] })
    })

    it('answers UNKNOWN_TOPIC_OR_PARTITION for a missing topic or partition', async () => {
      const cluster = newCluster()
      await createTopic(cluster, 't', { replicationFactor: 3 })
      expect(await fetchOne(cluster, 'missing', { brokerId: 0 })).toMatchObject({ errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, batches: [] })
      expect(await fetchOne(cluster, 't', { partitions: [{ index: 3, fetchOffset: 0 }] })).toMatchObject({ errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION })
    })
  })

  describe('size limits', () => {
    it('stops at partitionMaxBytes on whole batches', async () => {
      const cluster = newCluster()
      await createTopic(cluster, 't', { replicationFactor: 3 })
      for (let i = 0; i < 3; i++) await produce(cluster, 't', 1)
      const p = await fetchOne(cluster, 't', { partitionMaxBytes: 2 * BATCH_OF_ONE_100B + 10 })
      expect(p.batches.map((b) => b.baseOffset)).toEqual([0, 1])
    })

    it('stops at maxBytes over the whole response', async () => {
      const cluster = newCluster({ brokers: 1 })
      await createTopic(cluster, 't', { partitions: 2 })
      for (let i = 0; i < 3; i++) await produce(cluster, 't', 1, { partition: 0 })
      await produce(cluster, 't', 1, { partition: 1 })
      const response = await fetch(cluster, 't', { partitions: [{ index: 0, fetchOffset: 0 }, { index: 1, fetchOffset: 0 }], maxBytes: 2 * BATCH_OF_ONE_100B })
      expect(response.topics[0]!.partitions.map((p) => p.batches.length)).toEqual([2, 0])
      expect(response.topics[0]!.partitions[1]!.errorCode).toBe(ErrorCode.NONE)
    })

    it('KIP-74: returns the first batch even when it is larger than partitionMaxBytes and maxBytes', async () => {
      const cluster = newCluster()
      await createTopic(cluster, 't', { replicationFactor: 3 })
      await produce(cluster, 't', 1, { valueBytes: 5000 })
      await produce(cluster, 't', 1)
      const p = await fetchOne(cluster, 't', { partitionMaxBytes: 100, maxBytes: 100 })
      expect(p.batches.map((b) => b.baseOffset)).toEqual([0])
    })

    it('KIP-74: the first batch rule applies to the first partition that has data', async () => {
      const cluster = newCluster({ brokers: 1 })
      await createTopic(cluster, 't', { partitions: 2 })
      await produce(cluster, 't', 1, { partition: 1, valueBytes: 5000 })
      const response = await fetch(cluster, 't', { partitions: [{ index: 0, fetchOffset: 0 }, { index: 1, fetchOffset: 0 }], partitionMaxBytes: 100, maxBytes: 100 })
      expect(response.topics[0]!.partitions.map((p) => p.batches.length)).toEqual([0, 1])
    })

    // ReplicaManager.readFromLog: minOneMessage is true only until a partition returned data;
    // after that the limits hold, and a partition whose first batch does not fit returns an
    // incomplete batch, which checkFetchDataInfo replaces with an empty one. So the response
    // never exceeds maxBytes except by the first batch of the first non-empty partition.
    it('KIP-74: after the first non-empty partition, a batch that does not fit in maxBytes is not returned', async () => {
      const cluster = newCluster({ brokers: 1 })
      await createTopic(cluster, 't', { partitions: 2 })
      await produce(cluster, 't', 1, { partition: 0 })
      await produce(cluster, 't', 1, { partition: 1 })
      const response = await fetch(cluster, 't', {
        partitions: [{ index: 0, fetchOffset: 0 }, { index: 1, fetchOffset: 0 }],
        maxBytes: BATCH_OF_ONE_100B + 50,
      })
      const [p0, p1] = response.topics[0]!.partitions
      expect(p0!.batches).toHaveLength(1)
      expect(p1!.errorCode).toBe(ErrorCode.NONE)
      expect(p1!.batches).toHaveLength(0)
    })

    it('KIP-74: after the first non-empty partition, a batch larger than partitionMaxBytes is not returned', async () => {
      const cluster = newCluster({ brokers: 1 })
      await createTopic(cluster, 't', { partitions: 2 })
      await produce(cluster, 't', 1, { partition: 0 })
      await produce(cluster, 't', 1, { partition: 1, valueBytes: 5000 })
      const response = await fetch(cluster, 't', { partitions: [{ index: 0, fetchOffset: 0 }, { index: 1, fetchOffset: 0 }], partitionMaxBytes: 1000 })
      expect(response.topics[0]!.partitions.map((p) => p.batches.length)).toEqual([1, 0])
    })
  })

  describe('long poll', () => {
    it('parks with no data and wakes when a Produce lands, without the clock moving', async () => {
      const cluster = newCluster()
      await createTopic(cluster, 't', { replicationFactor: 3 })
      const parked = track(fetch(cluster, 't', { fetchOffset: 0, minBytes: 1, maxWaitMs: 30_000 }))
      await settleMicrotasks()
      expect(parked.settled).toBe(false)
      await produce(cluster, 't', 2)
      await settleMicrotasks()
      expect(parked.settled).toBe(true)
      expect(cluster.clock.now()).toBe(0)
      const p = parked.value!.topics[0]!.partitions[0]!
      expect(p).toMatchObject({ errorCode: ErrorCode.NONE, highWatermark: 2 })
      expect(offsetsOf(p)).toEqual([0, 1])
    })

    it('answers empty after maxWaitMs on the cluster clock', async () => {
      const cluster = newCluster()
      await createTopic(cluster, 't', { replicationFactor: 3 })
      await produce(cluster, 't', 1)
      const parked = track(fetch(cluster, 't', { fetchOffset: 1, minBytes: 1, maxWaitMs: 500 }))
      await cluster.advance(499)
      expect(parked.settled).toBe(false)
      await cluster.advance(1)
      expect(parked.settled).toBe(true)
      expect(parked.value!.topics[0]!.partitions[0]).toMatchObject({ errorCode: ErrorCode.NONE, highWatermark: 1, batches: [] })
    })

    it('waits until minBytes have arrived', async () => {
      const cluster = newCluster()
      await createTopic(cluster, 't', { replicationFactor: 3 })
      const parked = track(fetch(cluster, 't', { minBytes: 2 * BATCH_OF_ONE_100B, maxWaitMs: 30_000 }))
      await produce(cluster, 't', 1)
      await settleMicrotasks()
      expect(parked.settled).toBe(false)
      await produce(cluster, 't', 1)
      await settleMicrotasks()
      expect(parked.settled).toBe(true)
      expect(offsetsOf(parked.value!.topics[0]!.partitions[0]!)).toEqual([0, 1])
    })

    it('wakes for data on any partition of the request', async () => {
      const cluster = newCluster({ brokers: 1 })
      await createTopic(cluster, 't', { partitions: 2 })
      const parked = track(fetch(cluster, 't', { partitions: [{ index: 0, fetchOffset: 0 }, { index: 1, fetchOffset: 0 }], minBytes: 1, maxWaitMs: 30_000 }))
      await produce(cluster, 't', 1, { partition: 1 })
      await settleMicrotasks()
      expect(parked.settled).toBe(true)
      expect(parked.value!.topics[0]!.partitions.map((p) => p.batches.length)).toEqual([0, 1])
    })

    it('answers at once when there is data already, or an error, whatever minBytes says', async () => {
      const cluster = newCluster()
      await createTopic(cluster, 't', { replicationFactor: 3 })
      await produce(cluster, 't', 1)
      const withData = track(fetch(cluster, 't', { minBytes: 1, maxWaitMs: 30_000 }))
      const outOfRange = track(fetch(cluster, 't', { fetchOffset: 9, minBytes: 1, maxWaitMs: 30_000 }))
      await settleMicrotasks()
      expect(withData.settled).toBe(true)
      expect(outOfRange.settled).toBe(true)
      expect(outOfRange.value!.topics[0]!.partitions[0]!.errorCode).toBe(ErrorCode.OFFSET_OUT_OF_RANGE)
    })

    it('ends when its AbortSignal fires, answering what there is', async () => {
      const cluster = newCluster()
      await createTopic(cluster, 't', { replicationFactor: 3 })
      const controller = new AbortController()
      const parked = track(fetch(cluster, 't', { minBytes: 1, maxWaitMs: 30_000, signal: controller.signal }))
      await settleMicrotasks()
      expect(parked.settled).toBe(false)
      controller.abort()
      await settleMicrotasks()
      expect(parked.settled).toBe(true)
      expect(parked.value!.topics[0]!.partitions[0]!.batches).toEqual([])
    })

    it('shares one AbortSignal among fetches of many rounds: an abort answers those parked then, in the order they parked', async () => {
      const clock = new ManualClock(0)
      const cluster = newCluster({ clock })
      await createTopic(cluster, 't', { partitions: 3, replicationFactor: 1 })
      const timersBefore = clock.pendingTimers
      const controller = new AbortController()
      const order: number[] = []
      const parkOn = (partition: number, maxWaitMs: number) =>
        track(
          fetch(cluster, 't', { brokerId: leaderOf(cluster, 't', partition), partitions: [{ index: partition, fetchOffset: 0 }], minBytes: 1, maxWaitMs, signal: controller.signal }).then((answer) => {
            order.push(partition)
            return answer
          }),
        )
      // A first round ends by its wait (no abort): the signal is used again by the next ones.
      const first = parkOn(0, 100)
      await settleMicrotasks()
      await clock.advance(100)
      expect(first.settled).toBe(true)
      order.length = 0
      const round = [parkOn(2, 30_000), parkOn(0, 30_000), parkOn(1, 30_000)]
      // One more ends by its own wait before the abort, which then answers the other three.
      const short = parkOn(1, 50)
      await settleMicrotasks()
      await clock.advance(50)
      expect(short.settled).toBe(true)
      expect(round.map((r) => r.settled)).toEqual([false, false, false])
      order.length = 0
      controller.abort()
      await settleMicrotasks()
      expect(round.map((r) => r.settled)).toEqual([true, true, true])
      expect(order).toEqual([2, 0, 1])
      expect(round.map((r) => r.value!.topics[0]!.partitions[0]!.index)).toEqual([2, 0, 1])
      expect(clock.pendingTimers).toBe(timersBefore)
    })

    it('answers at once with an AbortSignal that has already fired', async () => {
      const cluster = newCluster()
      await createTopic(cluster, 't', { replicationFactor: 3 })
      const parked = track(fetch(cluster, 't', { minBytes: 1, maxWaitMs: 30_000, signal: AbortSignal.abort() }))
      await settleMicrotasks()
      expect(parked.settled).toBe(true)
    })

    it('ends when the cluster closes, and leaves no timer behind', async () => {
      const clock = new ManualClock(0)
      const cluster = newCluster({ clock })
      await createTopic(cluster, 't', { replicationFactor: 3 })
      const timersBefore = clock.pendingTimers
      const parked = track(fetch(cluster, 't', { minBytes: 1, maxWaitMs: 30_000 }))
      await settleMicrotasks()
      expect(clock.pendingTimers).toBe(timersBefore + 1)
      await cluster.close()
      expect(parked.settled).toBe(true)
      expect(clock.pendingTimers).toBeLessThanOrEqual(timersBefore)
    })

    it('fails as unreachable when its broker crashes', async () => {
      const clock = new ManualClock(0)
      const cluster = newCluster({ clock })
      await createTopic(cluster, 't', { replicationFactor: 3 })
      const leader = leaderOf(cluster, 't')
      const outcome: { error?: unknown; value?: FetchResponse } = {}
      const parked = fetch(cluster, 't', { minBytes: 1, maxWaitMs: 30_000 }).then(
        (value) => (outcome.value = value),
        (error: unknown) => (outcome.error = error),
      )
      await settleMicrotasks()
      expect(outcome).toEqual({})
      cluster.stopBroker(leader, { crash: true })
      await parked
      expect(outcome.value).toBeUndefined()
      expect(outcome.error).toBeInstanceOf(BrokerUnreachableError)
      // Its wait's end passes without a second settlement (a promise settles once; nothing throws).
      await cluster.advance(30_000)
      expect(outcome.value).toBeUndefined()
    })

    it('cancels its timer when data wakes it', async () => {
      const clock = new ManualClock(0)
      const cluster = newCluster({ clock })
      await createTopic(cluster, 't', { replicationFactor: 3 })
      const timersBefore = clock.pendingTimers
      const parked = track(fetch(cluster, 't', { minBytes: 1, maxWaitMs: 30_000 }))
      await produce(cluster, 't', 1)
      await settleMicrotasks()
      expect(parked.settled).toBe(true)
      expect(clock.pendingTimers).toBe(timersBefore)
    })
  })
})
