/**
 * ClusterClient.leaderFor and listsPartition read a column shared by every client of a topic's
 * description (issue 15); they answer what the client's own metadata (findTopicPartitionMetadata)
 * says, and follow it when a refresh brings a new leader.
 */
import { describe, expect, it } from 'vitest'
import { Cluster, logLevel } from '../../src/index.js'
import { ClusterClient } from '../../src/client/cluster-client.js'
import { createLogger } from '../../src/client/logger.js'

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
    const before = client.findTopicPartitionMetadata('r2').map((p) => p.leader)
    cluster.stopBroker(before[0]!)
    await client.refreshMetadata()
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
})
