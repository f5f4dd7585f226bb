/**
 * Metadata (API key 3) at the request boundary: what a client learns about brokers, the
 * controller and topics, and when asking about a missing topic creates it (KafkaApis
 * getTopicMetadata + AutoTopicCreationManager).
 */
import { describe, it, expect } from 'vitest'
import { ClusterModel } from '../../../src/cluster/cluster-model.js'
import { ErrorCode } from '../../../src/cluster/error-codes.js'
import { ZERO_UUID, type MetadataResponse } from '../../../src/cluster/api/messages.js'
import { createTopic, newCluster } from '../../support/cluster-harness.js'

function metadata(cluster: ClusterModel, topics: string[] | null, allowAutoTopicCreation = false, brokerId = 0): Promise<MetadataResponse> {
  return cluster.send(brokerId, { api: 'Metadata', topics, allowAutoTopicCreation })
}

/** describe() without the clock reading, to compare the cluster's state before and after. */
function state(cluster: ClusterModel): unknown {
  const { time: _time, ...rest } = cluster.describe()
  return rest
}

describe('Metadata', () => {
  it('lists every live broker with its address, the controller and the cluster id', async () => {
    const cluster = newCluster({ clusterId: 'test-cluster', basePort: 19092 })
    const response = await metadata(cluster, null)
    expect(response.clusterId).toBe('test-cluster')
    expect(response.controllerId).toBe(cluster.controller.controllerId)
    expect(response.brokers.map((b) => b.nodeId)).toContain(response.controllerId)
    expect(response.brokers).toEqual([
      { nodeId: 0, host: 'localhost', port: 19092, rack: null },
      { nodeId: 1, host: 'localhost', port: 19093, rack: null },
      { nodeId: 2, host: 'localhost', port: 19094, rack: null },
    ])
  })

  it('gives the same answer from every broker (they share the metadata image)', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 'orders', { partitions: 3, replicationFactor: 2 })
    const answers = await Promise.all([0, 1, 2].map((id) => metadata(cluster, null, false, id)))
    expect(answers[1]).toEqual(answers[0])
    expect(answers[2]).toEqual(answers[0])
  })

  it('answers every topic for null and only the named ones otherwise', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 'a')
    await createTopic(cluster, 'b', { partitions: 2 })
    const all = await metadata(cluster, null)
    expect(all.topics.map((t) => t.name).sort()).toEqual(['a', 'b'])
    const named = await metadata(cluster, ['b'])
    expect(named.topics.map((t) => t.name)).toEqual(['b'])
    expect(named.topics[0]!.partitions).toHaveLength(2)
    // An empty list asks for no topics at all (Metadata v1+), not for all of them.
    const none = await metadata(cluster, [])
    expect(none.topics).toEqual([])
    expect(none.brokers).toHaveLength(3)
  })

  // KafkaApis.handleTopicMetadataRequest takes the requested names as a set
  // (metadataRequest.topics.asScala.toSet), so a name asked for twice is answered once.
  it('answers a topic named twice once', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 'a')
    const response = await metadata(cluster, ['a', 'a', 'missing', 'missing'])
    expect(response.topics.map((t) => t.name).sort()).toEqual(['a', 'missing'])
  })

  it('reports each partition with its leader, epoch, replicas and ISR', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 'orders', { partitions: 3, replicationFactor: 3 })
    const response = await metadata(cluster, ['orders'])
    const topic = response.topics[0]!
    expect(topic).toMatchObject({ errorCode: ErrorCode.NONE, name: 'orders', isInternal: false })
    expect(topic.partitions.map((p) => p.partitionIndex)).toEqual([0, 1, 2])
    for (const p of topic.partitions) {
      expect(p.errorCode).toBe(ErrorCode.NONE)
      expect([...p.replicaNodes].sort()).toEqual([0, 1, 2])
      // A new partition: every replica is in sync, the preferred (first) replica leads, epoch 0.
      expect(p.isrNodes).toEqual(p.replicaNodes)
      expect(p.leaderId).toBe(p.replicaNodes[0])
      expect(p.leaderEpoch).toBe(0)
      expect(p.offlineReplicas).toEqual([])
      const model = cluster.controller.topic('orders')!.partitions[p.partitionIndex]!
      expect(p.leaderId).toBe(model.leader)
    }
  })

  it('answers UNKNOWN_TOPIC_OR_PARTITION for a missing topic when creation is not allowed, and creates nothing', async () => {
    const cluster = newCluster()
    const before = state(cluster)
    const response = await metadata(cluster, ['missing'], false)
    expect(response.topics).toEqual([{ errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, name: 'missing', topicId: ZERO_UUID, isInternal: false, partitions: [] }])
    expect(state(cluster)).toEqual(before)
  })

  it('never auto-creates when asked for every topic (null)', async () => {
    const cluster = newCluster()
    const response = await metadata(cluster, null, true)
    expect(response.topics).toEqual([])
    expect(cluster.controller.topicNames()).toEqual([])
  })

  describe('auto topic creation', () => {
    it('creates a missing topic with num.partitions and default.replication.factor', async () => {
      const cluster = newCluster({ brokerConfig: { 'num.partitions': 4, 'default.replication.factor': 2 } })
      const response = await metadata(cluster, ['auto'], true)
      const topic = response.topics[0]!
      expect(topic.errorCode).toBe(ErrorCode.NONE)
      expect(topic.partitions).toHaveLength(4)
      for (const p of topic.partitions) expect(p.replicaNodes).toHaveLength(2)
      const described = cluster.describe().topics
      expect(described.map((t) => t.name)).toEqual(['auto'])
      expect(described[0]!.partitions).toHaveLength(4)
      expect(cluster.timeline({ types: ['topicCreated'] })).toMatchObject([{ topic: 'auto', partitions: 4, replicationFactor: 2 }])
    })

    it('does not create when the broker has auto.create.topics.enable=false', async () => {
      const cluster = newCluster({ brokerConfig: { 'auto.create.topics.enable': false } })
      const before = state(cluster)
      const response = await metadata(cluster, ['auto'], true)
      expect(response.topics[0]!.errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION)
      expect(state(cluster)).toEqual(before)
    })

    it('does not create when the request does not allow it', async () => {
      const cluster = newCluster()
      const response = await metadata(cluster, ['auto'], false)
      expect(response.topics[0]!.errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION)
      expect(cluster.controller.topic('auto')).toBeUndefined()
    })

    it.each([
      ['a name with a space', 'bad name'],
      ['a name with a slash', 'a/b'],
      ["'.'", '.'],
      ["'..'", '..'],
      ['a 250-character name', 'x'.repeat(250)],
    ])('refuses %s with INVALID_TOPIC_EXCEPTION and creates nothing', async (_what, name) => {
      const cluster = newCluster()
      const before = state(cluster)
      const response = await metadata(cluster, [name], true)
      expect(response.topics).toEqual([{ errorCode: ErrorCode.INVALID_TOPIC_EXCEPTION, name, topicId: ZERO_UUID, isInternal: false, partitions: [] }])
      expect(state(cluster)).toEqual(before)
    })

    it('answers each named topic on its own: an invalid name does not stop a valid one', async () => {
      const cluster = newCluster()
      await createTopic(cluster, 'exists')
      const response = await metadata(cluster, ['exists', 'bad name', 'fresh'], true)
      expect(response.topics.map((t) => [t.name, t.errorCode])).toEqual([
        ['exists', ErrorCode.NONE],
        ['bad name', ErrorCode.INVALID_TOPIC_EXCEPTION],
        ['fresh', ErrorCode.NONE],
      ])
      expect(cluster.controller.topicNames().sort()).toEqual(['exists', 'fresh'])
    })

    it("refuses a name that collides with an existing one ('a.b' vs 'a_b') with INVALID_TOPIC_EXCEPTION", async () => {
      const cluster = newCluster()
      await createTopic(cluster, 'a_b')
      const response = await metadata(cluster, ['a.b'], true)
      expect(response.topics[0]!.errorCode).toBe(ErrorCode.INVALID_TOPIC_EXCEPTION)
      expect(cluster.controller.topic('a.b')).toBeUndefined()
    })
  })

  // Issue 15: a topic's description is kept between requests and built again only when the
  // topic changes; what a client is handed is frozen, so no client can change another's answer.
  describe('a kept description', () => {
    it('is handed again while the topic is unchanged, frozen to its arrays', async () => {
      const cluster = newCluster()
      await createTopic(cluster, 'orders', { partitions: 2, replicationFactor: 3 })
      const first = (await metadata(cluster, ['orders'])).topics[0]!
      const second = (await metadata(cluster, ['orders'])).topics[0]!
      expect(second).toBe(first)
      expect(Object.isFrozen(first) && Object.isFrozen(first.partitions)).toBe(true)
      const p = first.partitions[0]!
      expect(Object.isFrozen(p) && Object.isFrozen(p.replicaNodes) && Object.isFrozen(p.isrNodes) && Object.isFrozen(p.offlineReplicas)).toBe(true)
      expect(() => (p.isrNodes as number[]).push(9)).toThrow(TypeError)
      expect(p.replicaNodes).not.toBe(cluster.controller.topic('orders')!.partitions[0]!.replicas)
    })

    it('follows a stopped broker (leader, ISR, offline replicas) and its return', async () => {
      const cluster = newCluster()
      await createTopic(cluster, 'orders', { partitions: 3, replicationFactor: 3 })
      const before = (await metadata(cluster, ['orders'])).topics[0]!
      cluster.stopBroker(0)
      const stopped = (await metadata(cluster, ['orders'], false, 1)).topics[0]!
      expect(stopped).not.toBe(before)
      for (const p of stopped.partitions) {
        expect(p.leaderId).not.toBe(0)
        expect(p.isrNodes).not.toContain(0)
        expect(p.offlineReplicas).toEqual([0])
      }
      expect(stopped.partitions.some((p, i) => p.leaderEpoch > before.partitions[i]!.leaderEpoch)).toBe(true)
      cluster.startBroker(0)
      await cluster.settle()
      const back = (await metadata(cluster, ['orders'])).topics[0]!
      const partitions = cluster.controller.topic('orders')!.partitions
      expect(back.partitions.map((p) => [p.leaderId, p.leaderEpoch, [...p.isrNodes], [...p.offlineReplicas]])).toEqual(
        partitions.map((p) => [p.leader, p.leaderEpoch, p.isr, []]),
      )
    })

    it('grows with the topic when partitions are added', async () => {
      const cluster = newCluster()
      await createTopic(cluster, 'orders', { partitions: 2 })
      expect((await metadata(cluster, ['orders'])).topics[0]!.partitions).toHaveLength(2)
      await cluster.send(cluster.controller.controllerId, { api: 'CreatePartitions', topics: [{ name: 'orders', count: 5, assignments: null }], timeoutMs: 1000, validateOnly: false })
      expect((await metadata(cluster, ['orders'])).topics[0]!.partitions.map((p) => p.partitionIndex)).toEqual([0, 1, 2, 3, 4])
    })
  })
})
