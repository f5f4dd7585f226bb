/**
 * CreateTopics (API key 19) at the request boundary: each entry is created or refused on its
 * own with Kafka's error (ControllerApis.createTopics + ReplicationControlManager.createTopics),
 * and a refused entry changes nothing.
 */
import { describe, it, expect } from 'vitest'
import { ClusterModel } from '../../../src/cluster/cluster-model.js'
import { ErrorCode } from '../../../src/cluster/error-codes.js'
import type { CreatableTopic, CreateTopicsResponse } from '../../../src/cluster/api/messages.js'
import { newCluster } from '../../support/cluster-harness.js'

function spec(name: string, overrides: Partial<CreatableTopic> = {}): CreatableTopic {
  return { name, numPartitions: 1, replicationFactor: 1, assignments: [], configs: [], ...overrides }
}

function create(cluster: ClusterModel, topics: CreatableTopic[], validateOnly = false): Promise<CreateTopicsResponse> {
  return cluster.send(0, { api: 'CreateTopics', topics, timeoutMs: 1000, validateOnly })
}

async function createOne(cluster: ClusterModel, topic: CreatableTopic, validateOnly = false): Promise<CreateTopicsResponse['topics'][number]> {
  const response = await create(cluster, [topic], validateOnly)
  expect(response.topics).toHaveLength(1)
  return response.topics[0]!
}

function state(cluster: ClusterModel): unknown {
  const { time: _time, ...rest } = cluster.describe()
  return rest
}

/** Sends one entry that must be refused with `code`, and checks that the cluster did not change. */
async function expectRefused(cluster: ClusterModel, topic: CreatableTopic, code: number): Promise<CreateTopicsResponse['topics'][number]> {
  const before = state(cluster)
  const events = cluster.timeline().length
  const result = await createOne(cluster, topic)
  expect(result.errorCode).toBe(code)
  expect(result.errorMessage).toEqual(expect.any(String))
  expect(result.numPartitions).toBe(-1)
  expect(result.replicationFactor).toBe(-1)
  expect(state(cluster)).toEqual(before)
  expect(cluster.timeline()).toHaveLength(events)
  return result
}

describe('CreateTopics', () => {
  it('creates a topic with the partitions and replication factor asked for', async () => {
    const cluster = newCluster()
    const result = await createOne(cluster, spec('orders', { numPartitions: 3, replicationFactor: 2 }))
    expect(result).toMatchObject({ name: 'orders', errorCode: ErrorCode.NONE, errorMessage: null, numPartitions: 3, replicationFactor: 2, topicId: cluster.controller.topic('orders')!.topicId })
    const topic = cluster.describe().topics.find((t) => t.name === 'orders')!
    expect(topic.partitions).toHaveLength(3)
    for (const p of topic.partitions) {
      expect(p.replicas).toHaveLength(2)
      expect(new Set(p.replicas).size).toBe(2)
      expect(p).toMatchObject({ logStartOffset: 0, highWatermark: 0, logEndOffset: 0, leaderEpoch: 0 })
    }
  })

  it('uses num.partitions and default.replication.factor for -1', async () => {
    const cluster = newCluster({ brokerConfig: { 'num.partitions': 5, 'default.replication.factor': 3 } })
    const result = await createOne(cluster, spec('defaults', { numPartitions: -1, replicationFactor: -1 }))
    expect(result).toMatchObject({ errorCode: ErrorCode.NONE, numPartitions: 5, replicationFactor: 3 })
  })

  it('spreads the preferred leaders evenly over the brokers', async () => {
    const cluster = newCluster()
    await createOne(cluster, spec('spread', { numPartitions: 6, replicationFactor: 3 }))
    const leaders = cluster.describe().topics[0]!.partitions.map((p) => p.leader)
    const counts = [0, 1, 2].map((id) => leaders.filter((l) => l === id).length)
    expect(counts).toEqual([2, 2, 2])
    // With RF = brokers every broker holds a replica of every partition.
    for (const p of cluster.describe().topics[0]!.partitions) expect([...p.replicas].sort()).toEqual([0, 1, 2])
  })

  it('records topicCreated and one leaderElected per partition', async () => {
    const cluster = newCluster()
    await createOne(cluster, spec('t', { numPartitions: 2, replicationFactor: 1, configs: [{ name: 'retention.ms', value: '1000' }] }))
    const events = cluster.timeline({ types: ['topicCreated', 'leaderElected'] })
    expect(events.map((e) => e.type)).toEqual(['topicCreated', 'leaderElected', 'leaderElected'])
    expect(events[0]).toMatchObject({ topic: 't', partitions: 2, replicationFactor: 1, configs: { 'retention.ms': '1000' } })
  })

  describe('topic names (org.apache.kafka.common.internals.Topic)', () => {
    it.each([
      ['the empty name', ''],
      ["'.'", '.'],
      ["'..'", '..'],
      ['a 250-character name', 'x'.repeat(250)],
      ['a space', 'has space'],
      ['a slash', 'a/b'],
      ['a colon', 'a:b'],
      ['a non-ASCII letter', 'café'],
    ])('refuses %s with INVALID_TOPIC_EXCEPTION', async (_what, name) => {
      await expectRefused(newCluster(), spec(name), ErrorCode.INVALID_TOPIC_EXCEPTION)
    })

    it('accepts a 249-character name and every legal character', async () => {
      const cluster = newCluster()
      expect((await createOne(cluster, spec('y'.repeat(249)))).errorCode).toBe(ErrorCode.NONE)
      expect((await createOne(cluster, spec('Az09._-'))).errorCode).toBe(ErrorCode.NONE)
    })

    it("refuses 'a.b' while 'a_b' exists, and the other way round (metric names collide)", async () => {
      const cluster = newCluster()
      await createOne(cluster, spec('a_b'))
      const result = await expectRefused(cluster, spec('a.b'), ErrorCode.INVALID_TOPIC_EXCEPTION)
      expect(result.errorMessage).toContain('a_b')
      const other = newCluster()
      await createOne(other, spec('x.y'))
      await expectRefused(other, spec('x_y'), ErrorCode.INVALID_TOPIC_EXCEPTION)
    })

    it('answers TOPIC_ALREADY_EXISTS for an existing name and leaves the topic as it was', async () => {
      const cluster = newCluster()
      await createOne(cluster, spec('orders', { numPartitions: 2 }))
      await expectRefused(cluster, spec('orders', { numPartitions: 5 }), ErrorCode.TOPIC_ALREADY_EXISTS)
      expect(cluster.controller.topic('orders')!.partitions).toHaveLength(2)
    })

    it('answers INVALID_REQUEST for every entry of a name given twice, and creates neither', async () => {
      const cluster = newCluster()
      const before = state(cluster)
      const response = await create(cluster, [spec('dup'), spec('dup', { numPartitions: 2 }), spec('ok')])
      expect(response.topics.map((t) => [t.name, t.errorCode])).toEqual([
        ['dup', ErrorCode.INVALID_REQUEST],
        ['dup', ErrorCode.INVALID_REQUEST],
        ['ok', ErrorCode.NONE],
      ])
      expect(cluster.controller.topic('dup')).toBeUndefined()
      expect(cluster.controller.topicNames()).toEqual(['ok'])
      expect(before).not.toEqual(state(cluster))
    })
  })

  describe('partitions and replication factor', () => {
    it.each([0, -2, 1.5])('refuses numPartitions %s with INVALID_PARTITIONS', async (numPartitions) => {
      await expectRefused(newCluster(), spec('t', { numPartitions }), ErrorCode.INVALID_PARTITIONS)
    })

    it.each([4, 0, -2])('refuses replicationFactor %s on three brokers with INVALID_REPLICATION_FACTOR', async (replicationFactor) => {
      await expectRefused(newCluster(), spec('t', { replicationFactor }), ErrorCode.INVALID_REPLICATION_FACTOR)
    })

    it('refuses a default.replication.factor larger than the cluster when -1 is asked for', async () => {
      const cluster = newCluster({ brokers: 1, brokerConfig: { 'default.replication.factor': 3 } })
      await expectRefused(cluster, spec('t', { replicationFactor: -1 }), ErrorCode.INVALID_REPLICATION_FACTOR)
    })

    // ReplicationControlManager.createTopic checks the replication factor before the partition
    // count: "Replication factor must be larger than 0, or -1 to use the default value." comes
    // first when both are invalid.
    it('checks the replication factor before the partition count, as Kafka does', async () => {
      await expectRefused(newCluster(), spec('t', { numPartitions: 0, replicationFactor: 0 }), ErrorCode.INVALID_REPLICATION_FACTOR)
    })
  })

  describe('configs', () => {
    it('stores valid overrides as the topic configs', async () => {
      const cluster = newCluster()
      await createOne(cluster, spec('c', { configs: [{ name: 'cleanup.policy', value: 'compact' }, { name: 'retention.ms', value: '60000' }] }))
      expect(cluster.describe().topics[0]!.configs).toEqual({ 'cleanup.policy': 'compact', 'retention.ms': '60000' })
    })

    it('answers the created topic\'s configs (v5+) unless told the client has no field for them', async () => {
      const cluster = newCluster()
      const described = await createOne(cluster, spec('with', { configs: [{ name: 'retention.ms', value: '60000' }] }))
      expect(described.configs).toContainEqual(expect.objectContaining({ name: 'retention.ms', value: '60000' }))
      const plain = await cluster.send(0, { api: 'CreateTopics', topics: [spec('without', { configs: [{ name: 'retention.ms', value: '60000' }] })], timeoutMs: 1000, validateOnly: false, describeConfigs: false })
      expect(plain.topics[0]).toMatchObject({ name: 'without', errorCode: ErrorCode.NONE, numPartitions: 1, configs: null })
      expect(cluster.describe().topics.find((t) => t.name === 'without')!.configs).toEqual({ 'retention.ms': '60000' })
    })

    it('refuses an unknown config name with INVALID_CONFIG naming it', async () => {
      const result = await expectRefused(newCluster(), spec('c', { configs: [{ name: 'retention.msx', value: '1' }] }), ErrorCode.INVALID_CONFIG)
      expect(result.errorMessage).toContain('retention.msx')
    })

    it.each([
      ['retention.ms', 'abc'],
      ['cleanup.policy', 'shred'],
      ['min.insync.replicas', '0'],
      ['segment.bytes', '13'],
    ])('refuses %s=%s with INVALID_CONFIG naming the config', async (name, value) => {
      const result = await expectRefused(newCluster(), spec('c', { configs: [{ name, value }] }), ErrorCode.INVALID_CONFIG)
      expect(result.errorMessage).toContain(name)
    })

    it('refuses a null config value with INVALID_CONFIG', async () => {
      const result = await expectRefused(newCluster(), spec('c', { configs: [{ name: 'retention.ms', value: null }] }), ErrorCode.INVALID_CONFIG)
      expect(result.errorMessage).toContain('retention.ms')
    })
  })

  describe('manual replica assignments', () => {
    const manual = (assignments: number[][]): Partial<CreatableTopic> => ({
      numPartitions: -1,
      replicationFactor: -1,
      assignments: assignments.map((brokerIds, partitionIndex) => ({ partitionIndex, brokerIds })),
    })

    it('places each partition on the brokers given, the first leading', async () => {
      const cluster = newCluster()
      const result = await createOne(cluster, spec('m', manual([[2, 0], [1, 2], [0, 1]])))
      expect(result).toMatchObject({ errorCode: ErrorCode.NONE, numPartitions: 3, replicationFactor: 2 })
      const partitions = cluster.describe().topics[0]!.partitions
      expect(partitions.map((p) => p.replicas)).toEqual([[2, 0], [1, 2], [0, 1]])
      expect(partitions.map((p) => p.leader)).toEqual([2, 1, 0])
      expect(partitions.map((p) => p.isr)).toEqual([[2, 0], [1, 2], [0, 1]])
    })

    it('refuses an unknown broker with INVALID_REPLICA_ASSIGNMENT', async () => {
      await expectRefused(newCluster(), spec('m', manual([[0, 7]])), ErrorCode.INVALID_REPLICA_ASSIGNMENT)
    })

    it('refuses a broker listed twice for one partition with INVALID_REPLICA_ASSIGNMENT', async () => {
      await expectRefused(newCluster(), spec('m', manual([[1, 1]])), ErrorCode.INVALID_REPLICA_ASSIGNMENT)
    })

    it('refuses partitions of different replication factors with INVALID_REPLICA_ASSIGNMENT', async () => {
      await expectRefused(newCluster(), spec('m', manual([[0, 1], [2]])), ErrorCode.INVALID_REPLICA_ASSIGNMENT)
    })

    it('refuses partition ids that are not 0..n-1 with INVALID_REPLICA_ASSIGNMENT', async () => {
      const topic = spec('m', { numPartitions: -1, replicationFactor: -1, assignments: [{ partitionIndex: 1, brokerIds: [0] }] })
      await expectRefused(newCluster(), topic, ErrorCode.INVALID_REPLICA_ASSIGNMENT)
    })

    it('refuses an assignment together with numPartitions or replicationFactor with INVALID_REQUEST', async () => {
      await expectRefused(newCluster(), spec('m', { ...manual([[0]]), numPartitions: 1 }), ErrorCode.INVALID_REQUEST)
      await expectRefused(newCluster(), spec('m', { ...manual([[0]]), replicationFactor: 1 }), ErrorCode.INVALID_REQUEST)
    })
  })

  describe('validateOnly', () => {
    it('answers what would be created and changes nothing', async () => {
      const cluster = newCluster()
      const before = state(cluster)
      const events = cluster.timeline().length
      const result = await createOne(cluster, spec('dry', { numPartitions: 4, replicationFactor: 3 }), true)
      expect(result).toMatchObject({ name: 'dry', errorCode: ErrorCode.NONE, errorMessage: null, numPartitions: 4, replicationFactor: 3 })
      expect(result.topicId).toBeUndefined()
      expect(state(cluster)).toEqual(before)
      expect(cluster.timeline()).toHaveLength(events)
      // and the real creation afterwards still works
      expect((await createOne(cluster, spec('dry'))).errorCode).toBe(ErrorCode.NONE)
    })

    it('still reports the errors a real creation would get', async () => {
      const cluster = newCluster()
      await createOne(cluster, spec('exists'))
      const response = await create(
        cluster,
        [spec('exists'), spec('bad name'), spec('p', { numPartitions: 0 }), spec('r', { replicationFactor: 9 }), spec('c', { configs: [{ name: 'nope', value: '1' }] })],
        true,
      )
      expect(response.topics.map((t) => t.errorCode)).toEqual([
        ErrorCode.TOPIC_ALREADY_EXISTS,
        ErrorCode.INVALID_TOPIC_EXCEPTION,
        ErrorCode.INVALID_PARTITIONS,
        ErrorCode.INVALID_REPLICATION_FACTOR,
        ErrorCode.INVALID_CONFIG,
      ])
    })
  })
})

describe('CreateTopics beyond one controller operation (QuorumController.MAX_RECORDS_PER_USER_OP)', () => {
  it('a request needing more than 10 000 metadata records fails whole with POLICY_VIOLATION and creates nothing, at once', async () => {
    const cluster = newCluster()
    const before = state(cluster)
    const response = await create(cluster, [spec('small', { numPartitions: 2 }), spec('huge', { numPartitions: 2_000_000_000 })])
    expect(response.topics.map((t) => [t.name, t.errorCode, t.errorMessage])).toEqual([
      ['small', ErrorCode.POLICY_VIOLATION, 'Unable to perform excessively large batch operation.'],
      ['huge', ErrorCode.POLICY_VIOLATION, 'Unable to perform excessively large batch operation.'],
    ])
    expect(state(cluster)).toEqual(before)
    // 9 999 partitions + the TopicRecord fit; one config more does not.
    expect((await createOne(cluster, spec('edge', { numPartitions: 9_999, replicationFactor: 1 }), true)).errorCode).toBe(ErrorCode.NONE)
    expect((await createOne(cluster, spec('edge', { numPartitions: 9_999, replicationFactor: 1, configs: [{ name: 'retention.ms', value: '1' }] }), true)).errorCode).toBe(ErrorCode.POLICY_VIOLATION)
  })

  it('a huge topic that is invalid for another reason gets that error instead', async () => {
    const cluster = newCluster()
    const result = await createOne(cluster, spec('bad', { numPartitions: 2_000_000_000, replicationFactor: 9 }))
    expect(result.errorCode).toBe(ErrorCode.INVALID_REPLICATION_FACTOR)
  })
})
