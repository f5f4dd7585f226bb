/**
 * CreatePartitions (API key 37) at the request boundary: partitions can be added, never removed
 * (ReplicationControlManager.createPartitions); existing data does not move.
 */
import { describe, it, expect } from 'vitest'
import { ClusterModel } from '../../../src/cluster/cluster-model.js'
import { ManualClock } from '../../../src/cluster/clock.js'
import { ErrorCode } from '../../../src/cluster/error-codes.js'
import type { CreatePartitionsResponse } from '../../../src/cluster/api/messages.js'
import { createTopic, newCluster } from '../../support/cluster-harness.js'

function createPartitions(
  cluster: ClusterModel,
  name: string,
  count: number,
  options: { assignments?: number[][] | null; validateOnly?: boolean } = {},
): Promise<CreatePartitionsResponse> {
  return cluster.send(0, {
    api: 'CreatePartitions',
    topics: [{ name, count, assignments: options.assignments ?? null }],
    timeoutMs: 1000,
    validateOnly: options.validateOnly ?? false,
  })
}

function state(cluster: ClusterModel): unknown {
  const { time: _time, ...rest } = cluster.describe()
  return rest
}

async function produce(cluster: ClusterModel, topic: string, partition: number, values: string[]): Promise<void> {
  const leader = cluster.controller.topic(topic)!.partitions[partition]!.leader
  const response = await cluster.send(leader, {
    api: 'Produce',
    acks: -1,
    timeoutMs: 1000,
    topics: [{ name: topic, partitions: [{ index: partition, records: values.map((v) => ({ key: Buffer.from(v), value: Buffer.from(v) })) }] }],
  })
  expect(response.topics[0]!.partitions[0]!.errorCode).toBe(ErrorCode.NONE)
}

describe('CreatePartitions', () => {
  it('adds partitions; the old ones keep their data, replicas and leaders', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 'grow', { partitions: 2, replicationFactor: 2 })
    await produce(cluster, 'grow', 0, ['a', 'b'])
    await produce(cluster, 'grow', 1, ['c'])
    const old = cluster.describe().topics[0]!.partitions
    const response = await createPartitions(cluster, 'grow', 5)
    expect(response.results).toEqual([{ name: 'grow', errorCode: ErrorCode.NONE, errorMessage: null }])
    const now = cluster.describe().topics[0]!.partitions
    expect(now).toHaveLength(5)
    expect(now.slice(0, 2)).toEqual(old)
    for (const p of now.slice(2)) {
      expect(p).toMatchObject({ logStartOffset: 0, highWatermark: 0, logEndOffset: 0, leaderEpoch: 0 })
      // The new partitions keep the topic's replication factor.
      expect(p.replicas).toHaveLength(2)
      expect(p.isr).toEqual(p.replicas)
    }
    expect(cluster.timeline({ types: ['partitionsCreated'] })).toMatchObject([{ topic: 'grow', from: 2, to: 5 }])
  })

  it('places new partitions where the assignment says', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 'manual', { replicationFactor: 2 })
    const response = await createPartitions(cluster, 'manual', 3, { assignments: [[2, 1], [0, 2]] })
    expect(response.results[0]!.errorCode).toBe(ErrorCode.NONE)
    const partitions = cluster.describe().topics[0]!.partitions
    expect(partitions.slice(1).map((p) => [p.replicas, p.leader])).toEqual([
      [[2, 1], 2],
      [[0, 2], 0],
    ])
  })

  it.each([
    ['fewer', 1],
    ['the same number of', 3],
  ])('refuses %s partitions with INVALID_PARTITIONS and changes nothing', async (_what, count) => {
    const cluster = newCluster()
    await createTopic(cluster, 'fixed', { partitions: 3, replicationFactor: 2 })
    const before = state(cluster)
    const response = await createPartitions(cluster, 'fixed', count)
    expect(response.results[0]).toMatchObject({ name: 'fixed', errorCode: ErrorCode.INVALID_PARTITIONS })
    expect(response.results[0]!.errorMessage).toEqual(expect.any(String))
    expect(state(cluster)).toEqual(before)
  })

  it('answers UNKNOWN_TOPIC_OR_PARTITION for a missing topic', async () => {
    const cluster = newCluster()
    const response = await createPartitions(cluster, 'missing', 3)
    expect(response.results[0]!.errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION)
    expect(cluster.controller.topic('missing')).toBeUndefined()
  })

  it('refuses assignments that do not match the partitions added, or name unknown brokers, with INVALID_REPLICA_ASSIGNMENT', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 't', { replicationFactor: 2 })
    const before = state(cluster)
    expect((await createPartitions(cluster, 't', 3, { assignments: [[0, 1]] })).results[0]!.errorCode).toBe(ErrorCode.INVALID_REPLICA_ASSIGNMENT)
    expect((await createPartitions(cluster, 't', 2, { assignments: [[0, 9]] })).results[0]!.errorCode).toBe(ErrorCode.INVALID_REPLICA_ASSIGNMENT)
    expect((await createPartitions(cluster, 't', 2, { assignments: [[0]] })).results[0]!.errorCode).toBe(ErrorCode.INVALID_REPLICA_ASSIGNMENT)
    expect(state(cluster)).toEqual(before)
  })

  it('validateOnly answers as a real request would and changes nothing', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 'dry', { partitions: 2, replicationFactor: 2 })
    const before = state(cluster)
    const events = cluster.timeline().length
    expect((await createPartitions(cluster, 'dry', 4, { validateOnly: true })).results[0]!.errorCode).toBe(ErrorCode.NONE)
    expect((await createPartitions(cluster, 'dry', 1, { validateOnly: true })).results[0]!.errorCode).toBe(ErrorCode.INVALID_PARTITIONS)
    expect(state(cluster)).toEqual(before)
    expect(cluster.timeline()).toHaveLength(events)
  })

  // ControllerApis.createPartitions: a topic named twice gets INVALID_REQUEST "Duplicate topic
  // name." and is left out of the request, so no partitions are added.
  it('answers INVALID_REQUEST for a topic named twice and adds nothing', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 'twice', { replicationFactor: 2 })
    const before = state(cluster)
    const response = await cluster.send(0, {
      api: 'CreatePartitions',
      topics: [
        { name: 'twice', count: 2, assignments: null },
        { name: 'twice', count: 3, assignments: null },
      ],
      timeoutMs: 1000,
      validateOnly: false,
    })
    expect(response.results.map((r) => [r.name, r.errorCode])).toEqual([['twice', ErrorCode.INVALID_REQUEST]])
    expect(state(cluster)).toEqual(before)
  })
})

describe('CreatePartitions beyond one controller operation (QuorumController.MAX_RECORDS_PER_USER_OP)', () => {
  it('refuses the topic whose new partitions would pass 10 000 records, at once and adding nothing', async () => {
    const cluster = new ClusterModel({ brokers: 3, seed: 1, clock: new ManualClock(0) })
    for (const name of ['a', 'b']) {
      await cluster.send(0, { api: 'CreateTopics', topics: [{ name, numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }], timeoutMs: 1000, validateOnly: false })
    }
    const response = await cluster.send(0, { api: 'CreatePartitions', topics: [{ name: 'a', count: 3, assignments: null }, { name: 'b', count: 2_000_000_000, assignments: null }], timeoutMs: 1000, validateOnly: false })
    expect(response.results.map((r) => [r.name, r.errorCode])).toEqual([['a', 0], ['b', ErrorCode.UNKNOWN_SERVER_ERROR]])
    expect(cluster.controller.topic('a')!.partitions).toHaveLength(3)
    expect(cluster.controller.topic('b')!.partitions).toHaveLength(1)
  })
})
