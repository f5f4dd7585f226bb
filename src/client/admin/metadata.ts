/**
 * The admin's reads of the cluster's metadata (kafkajs's admin listTopics, fetchTopicMetadata,
 * describeCluster): one Metadata request each, through the cluster client's metadata().
 */
import { KafkaJSNonRetriableError } from '../errors.js'
import type { AdminContext } from './admin-context.js'
import type { ITopicMetadata } from './admin-types.js'

export async function listTopics({ client }: AdminContext): Promise<string[]> {
  const { topics } = await client.metadata(null)
  return topics.map((t) => t.name)
}

/**
 * Metadata of the given topics, or of every topic. An unknown topic rejects with
 * UNKNOWN_TOPIC_OR_PARTITION. (kafkajs fails with a TypeError when any partition of the
 * topics asked for has no leader, because its broker pool swallows the LEADER_NOT_AVAILABLE;
 * memkafka returns the partition with its error code and leader -1, as the broker reports it.)
 */
export async function fetchTopicMetadata({ client }: AdminContext, { topics = [] }: { topics?: string[] } = {}): Promise<{ topics: ITopicMetadata[] }> {
  if (topics) {
    // kafkajs calls topics.forEach: anything but an array is a TypeError there too.
    if (!Array.isArray(topics)) throw new TypeError(`fetchTopicMetadata expects topics to be an array of topic names, got ${topics}`)
    for (const topic of topics) {
      if (!topic || typeof topic !== 'string') throw new KafkaJSNonRetriableError(`Invalid topic ${topic}`)
    }
  }
  const metadata = await client.metadata(topics && topics.length > 0 ? topics : null)
  return {
    topics: metadata.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => ({
        partitionErrorCode: p.errorCode,
        partitionId: p.partitionIndex,
        leader: p.leaderId,
        replicas: [...p.replicaNodes],
        isr: [...p.isrNodes],
        offlineReplicas: [...p.offlineReplicas],
      })),
    })),
  }
}

/** What describeCluster resolves: the brokers, the controller's id (null when none), the cluster id. */
export interface DescribedCluster {
  brokers: Array<{ nodeId: number; host: string; port: number }>
  controller: number | null
  clusterId: string
}

export async function describeCluster({ client }: AdminContext): Promise<DescribedCluster> {
  const { brokers, clusterId, controllerId } = await client.metadata([])
  return {
    brokers: brokers.map(({ nodeId, host, port }) => ({ nodeId, host, port })),
    controller: controllerId == null || controllerId === -1 ? null : controllerId,
    clusterId,
  }
}
