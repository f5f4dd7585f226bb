/**
 * Metadata (API key 3): live brokers, the controller, and for each topic asked for (or every
 * topic) its partitions' leaders, epochs, replicas and ISR. A missing topic is created here when
 * the request allows it and auto.create.topics.enable is on, as Kafka's auto topic creation does.
 */
import { ErrorCode } from '../error-codes.js'
import { KafkaError } from '../error-codes.js'
import type { BrokerContext } from './broker-context.js'
import type { Topic } from '../metadata/topic.js'
import type { Partition } from '../partition/partition.js'
import { ZERO_UUID, type MetadataRequest, type MetadataResponse, type TopicMetadata } from './messages.js'

export function handleMetadata(cluster: BrokerContext, _brokerId: number, request: MetadataRequest): MetadataResponse {
  const controller = cluster.controller
  const topics: TopicMetadata[] = []
  const live = cluster.liveBrokers()
  // The live brokers, as a key: a topic's cached description holds while they stay the same.
  let liveKey = ''
  for (const b of live) liveKey += `${b.id},`
  // KafkaApis answers each requested name once.
  const names = request.topics ? [...new Set(request.topics)] : controller.topicNames()
  for (const name of names) {
    let topic = controller.topic(name)
    if (!topic && request.topics && request.allowAutoTopicCreation && cluster.brokerConfig.autoCreateTopicsEnable) {
      try {
        topic = controller.createTopic({ name, ...cluster.autoCreateSizing(name), assignments: [], configs: [] })
      } catch (error) {
        if (!(error instanceof KafkaError)) throw error
        topics.push({ errorCode: error.errorCode, name, topicId: ZERO_UUID, isInternal: false, partitions: [] })
        continue
      }
    }
    if (!topic) {
      topics.push({ errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, name, topicId: ZERO_UUID, isInternal: false, partitions: [] })
      continue
    }
    topics.push(describedTopic(cluster, topic, liveKey))
  }
  return {
    brokers: live.map((b) => ({ nodeId: b.id, host: b.host, port: b.port, rack: b.rack })),
    clusterId: cluster.clusterId,
    controllerId: controller.controllerId,
    topics,
  }
}

/**
 * A topic's last description and what it was built from. A client asks for every topic it
 * targets at each refresh, and kafkajs refreshes whenever it meets a new topic (issue 15: a
 * producer writing to 1 000 topics in turn had 1 000 partitions described afresh per send);
 * the description is built again only when the topic's partition list, a partition's leader,
 * epoch, replicas or ISR, or the set of live brokers (offlineReplicas) changed. The arrays of a
 * partition are replaced, never changed in place, when its replicas or ISR change.
 */
interface Described {
  readonly partitions: readonly Partition[]
  readonly liveKey: string
  readonly replicas: readonly (readonly number[])[]
  readonly isr: readonly (readonly number[])[]
  readonly metadata: TopicMetadata
}

const described = new WeakMap<Topic, Described>()

function describedTopic(cluster: BrokerContext, topic: Topic, liveKey: string): TopicMetadata {
  const known = described.get(topic)
  if (known !== undefined && isCurrent(known, topic, liveKey)) return known.metadata
  const metadata = describeTopic(cluster, topic)
  described.set(topic, { partitions: topic.partitions, liveKey, replicas: topic.partitions.map((p) => p.replicas), isr: topic.partitions.map((p) => p.isr), metadata })
  return metadata
}

function isCurrent(known: Described, topic: Topic, liveKey: string): boolean {
  const partitions = topic.partitions
  if (known.partitions !== partitions || known.liveKey !== liveKey) return false
  const described = known.metadata.partitions
  for (let i = 0; i < partitions.length; i++) {
    const p = partitions[i]!
    const m = described[i]!
    if (p.leader !== m.leaderId || p.leaderEpoch !== m.leaderEpoch || p.replicas !== known.replicas[i] || p.isr !== known.isr[i]) return false
  }
  return true
}

/**
 * One topic's metadata, built in a plain loop without a closure per partition and with no
 * filter when every replica is alive. The same description is handed to every client that asks
 * until the topic changes, so it is frozen, arrays included: a client that wants to change what
 * it was given copies it (as the facade's client and admin do), and no client's change can
 * reach another's answer or the cluster's state (the arrays are copies of the partition's).
 */
function describeTopic(cluster: BrokerContext, topic: Topic): TopicMetadata {
  const source = topic.partitions
  const partitions: TopicMetadata['partitions'][number][] = new Array(source.length)
  for (let i = 0; i < source.length; i++) {
    const p = source[i]!
    const replicas = p.replicas
    const offlineReplicas: number[] = []
    for (let r = 0; r < replicas.length; r++) if (!cluster.isBrokerAlive(replicas[r]!)) offlineReplicas.push(replicas[r]!)
    partitions[i] = Object.freeze({
      errorCode: p.leader === -1 ? ErrorCode.LEADER_NOT_AVAILABLE : ErrorCode.NONE,
      partitionIndex: p.index,
      leaderId: p.leader,
      leaderEpoch: p.leaderEpoch,
      replicaNodes: Object.freeze(replicas.slice()) as number[],
      isrNodes: Object.freeze(p.isr.slice()) as number[],
      offlineReplicas: Object.freeze(offlineReplicas) as number[],
    })
  }
  return Object.freeze({ errorCode: ErrorCode.NONE, name: topic.name, topicId: topic.topicId, isInternal: topic.isInternal, partitions: Object.freeze(partitions) as TopicMetadata['partitions'][number][] })
}
