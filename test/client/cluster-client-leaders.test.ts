/**
 * ClusterClient.leaderFor and listsPartition read a column shared by every client of a topic's
 * description (issue 15); they answer what the client's own metadata (findTopicPartitionMetadata)
 * says, and follow it when a refresh brings a new leader; the built-in assigners read the ids
 * it lists without a copy of the metadata. The client's own copy of a topic's
 * metadata (made when first asked for) stays the same array while the topic is unchanged.
 */
import { describe, expect, it } from 'vitest'
import { Cluster, logLevel } from '../../src/index.js'
import { ClusterClient } from '../../src/client/cluster-client.js'
import { createLogger } from '../../src/client/logger.js'
import { PartitionAssigners, MemberMetadata } from '../../src/client/consumer/assigners/index.js'

function newClient(cluster: Cluster, clientId: string): ClusterClient {
  return new ClusterClient({ model: cluster, clientId, logger: createLogger({ level: logLevel.NOTHING, clock: cluster.clock }), random: cluster.random.fork() })
}

/** leaderFor's answer or the error type it throws. */
function leaderOrError(client: ClusterClient, topic: string, partition: number): number | string {
  try {
    return client.leaderFor(topic, partition)
  } catch (error) {
    return (error as { type?: string; name: string }).type ?? (error as Error).name
  }
}

describe('ClusterClient leaders and listed partitions', () => {
  it('answer what the client metadata says, for listed, unlisted and odd partition ids', async () => {
    const cluster = new Cluster({ brokers: 3, seed: 4 })
    const admin = cluster.kafka({ clientId: 'setup', logLevel: logLevel.NOTHING }).admin()
    await admin.connect()
    await admin.createTopics({ topics: [{ topic: 't', numPartitions: 7, replicationFactor: 2 }] })
    await admin.disconnect()
    const [one, two] = [newClient(cluster, 'one'), newClient(cluster, 'two')]
    for (const client of [one, two]) await client.addTargetTopics(['t'])
    const metadata = one.findTopicPartitionMetadata('t')
    expect(metadata).toHaveLength(7)
    expect(two.findTopicPartitionMetadata('t')).not.toBe(metadata)
    for (const p of metadata) {
      expect(one.leaderFor('t', p.partitionId)).toBe(p.leader)
      expect(two.leaderFor('t', p.partitionId)).toBe(p.leader)
      expect(one.listsPartition('t', p.partitionId)).toBe(true)
    }
    for (const odd of [7, 100, -1, 1.5, Number.NaN, '3' as unknown as number]) {
      expect(one.listsPartition('t', odd)).toBe(false)
      expect(leaderOrError(one, 't', odd)).toBe('UNKNOWN_TOPIC_OR_PARTITION')
    }
    expect(one.listsPartition('unknown', 0)).toBe(false)
    expect(leaderOrError(one, 'unknown', 0)).toBe('KafkaJSTopicMetadataNotLoaded')
    await cluster.close()
  })

  it('follow a new leader once a refresh brings it, and say a partition without one has none', async () => {
    const cluster = new Cluster({ brokers: 3, seed: 9 })
    const admin = cluster.kafka({ clientId: 'setup', logLevel: logLevel.NOTHING }).admin()
    await admin.connect()
    await admin.createTopics({ topics: [{ topic: 'r2', numPartitions: 6, replicationFactor: 2 }, { topic: 'r1', numPartitions: 6, replicationFactor: 1 }] })
    await admin.disconnect()
    const client = newClient(cluster, 'c')
    await client.addTargetTopics(['r2', 'r1'])
    const copy = client.findTopicPartitionMetadata('r2')
    const before = copy.map((p) => p.leader)
    // Unchanged: a refresh keeps the client's array.
    await client.refreshMetadata()
    expect(client.findTopicPartitionMetadata('r2')).toBe(copy)
    cluster.stopBroker(before[0]!)
    await client.refreshMetadata()
    // Changed: a new array, with the new leaders; the old one is left as it was.
    expect(client.findTopicPartitionMetadata('r2')).not.toBe(copy)
    expect(copy.map((p) => p.leader)).toEqual(before)
    const described = (await cluster.send(client.anyBrokerId(), { api: 'Metadata', topics: ['r2', 'r1'], allowAutoTopicCreation: false })).topics
    for (const t of described) {
      expect(client.findTopicPartitionMetadata(t.name)).toEqual(
        t.partitions.map((p) => ({ partitionErrorCode: p.errorCode, partitionId: p.partitionIndex, leader: p.leaderId, replicas: p.replicaNodes, isr: p.isrNodes, offlineReplicas: p.offlineReplicas })),
      )
    }
    for (const topic of ['r2', 'r1']) {
      for (const p of client.findTopicPartitionMetadata(topic)) {
        expect(leaderOrError(client, topic, p.partitionId)).toBe(p.leader >= 0 ? p.leader : 'LEADER_NOT_AVAILABLE')
        expect(client.listsPartition(topic, p.partitionId)).toBe(true)
      }
    }
    expect(client.findTopicPartitionMetadata('r2').map((p) => p.leader)).not.toEqual(before)
    // A replication factor of one leaves the stopped broker's partitions without a leader.
    expect(client.findTopicPartitionMetadata('r1').some((p) => p.leader < 0)).toBe(true)
    await cluster.close()
  })

  it('give the built-in assigners the ids the client metadata lists, without changing them', async () => {
    const cluster = new Cluster({ brokers: 3, seed: 2 })
    const admin = cluster.kafka({ clientId: 'setup', logLevel: logLevel.NOTHING }).admin()
    await admin.connect()
    await admin.createTopics({ topics: [{ topic: 'a', numPartitions: 11, replicationFactor: 1 }, { topic: 'b', numPartitions: 3, replicationFactor: 1 }] })
    await admin.disconnect()
    const client = newClient(cluster, 'leader')
    await client.addTargetTopics(['a', 'b'])
    const ids = client.partitionIdsOf('a')
    // What an assigner given only findTopicPartitionMetadata (a custom cluster) deals.
    const other = newClient(cluster, 'other')
    await other.addTargetTopics(['a', 'b'])
    const plain = { findTopicPartitionMetadata: (topic: string) => other.findTopicPartitionMetadata(topic) }
    const members = ['m3', 'm1', 'm2'].map((memberId) => ({ memberId, memberMetadata: MemberMetadata.encode({ version: 0, topics: ['a', 'b'], userData: Buffer.alloc(0) }) }))
    for (const create of [PartitionAssigners.roundRobin, PartitionAssigners.range]) {
      const logger = createLogger({ level: logLevel.NOTHING, clock: cluster.clock })
      const ours = await create({ cluster: client, groupId: 'g', logger }).assign({ members, topics: ['a', 'b'] })
      const theirs = await create({ cluster: plain, groupId: 'g', logger }).assign({ members, topics: ['a', 'b'] })
      expect(ours).toEqual(theirs)
    }
    expect(client.partitionIdsOf('a')).toBe(ids)
    expect([...ids]).toEqual(client.findTopicPartitionMetadata('a').map((p) => p.partitionId))
    await cluster.close()
  })
})
