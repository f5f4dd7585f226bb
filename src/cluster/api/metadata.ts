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
    topics.push(describeTopic(cluster, topic))
  }
  return {
    brokers: cluster.liveBrokers().map((b) => ({ nodeId: b.id, host: b.host, port: b.port, rack: b.rack })),
    clusterId: cluster.clusterId,
    controllerId: controller.controllerId,
    topics,
  }
}

/**
 * One topic's metadata, a partition's entry reused while it says the same (see answerOf): a
 * client asks for a topic of 10 000 partitions at every refresh and each consumer at each join,
 * and an entry and its three arrays made afresh per partition each time were most of what a new
 * consumer of such a topic allocated (issue 15).
 */
function describeTopic(cluster: BrokerContext, topic: Topic): TopicMetadata {
  // Which brokers are alive, by id, asked once per topic rather than per replica.
  const alive: boolean[] = []
  for (const broker of cluster.liveBrokers()) alive[broker.id] = true
  const source = topic.partitions
  const partitions: TopicMetadata['partitions'][number][] = new Array(source.length)
  for (let i = 0; i < source.length; i++) partitions[i] = answerOf(alive, source[i]!)
  return { errorCode: ErrorCode.NONE, name: topic.name, topicId: topic.topicId, isInternal: topic.isInternal, partitions }
}

type PartitionAnswer = TopicMetadata['partitions'][number]

/**
 * A partition's last Metadata entry (Partition.answers.metadata) with what it was made from.
 * Frozen, arrays and all: every client that asked since it was made holds the same one, and
 * reads it (the admin's fetchTopicMetadata hands its caller copies, as kafkajs's decoded
 * responses are the caller's own).
 */
interface KnownAnswer {
  readonly answer: PartitionAnswer
  /** The partition's replica and ISR lists it was made from: a change replaces them (controller, replica manager). */
  readonly replicas: readonly number[]
  readonly isr: readonly number[]
}

const NO_OFFLINE: number[] = Object.freeze([]) as unknown as number[]

function answerOf(alive: readonly boolean[], p: Partition): PartitionAnswer {
  const known = p.answers.metadata as KnownAnswer | undefined
  const replicas = p.replicas
  if (known !== undefined && known.replicas === replicas && known.isr === p.isr && known.answer.leaderId === p.leader && known.answer.leaderEpoch === p.leaderEpoch && sameOffline(alive, known.answer.offlineReplicas, replicas)) {
    return known.answer
  }
  let offlineReplicas = NO_OFFLINE
  for (let r = 0; r < replicas.length; r++) {
    if (alive[replicas[r]!] === true) continue
    if (offlineReplicas === NO_OFFLINE) offlineReplicas = []
    offlineReplicas.push(replicas[r]!)
  }
  const answer: PartitionAnswer = Object.freeze({
    errorCode: p.leader === -1 ? ErrorCode.LEADER_NOT_AVAILABLE : ErrorCode.NONE,
    partitionIndex: p.index,
    leaderId: p.leader,
    leaderEpoch: p.leaderEpoch,
    replicaNodes: Object.freeze(replicas.slice()) as number[],
    isrNodes: Object.freeze(p.isr.slice()) as number[],
    offlineReplicas: Object.freeze(offlineReplicas) as number[],
  })
  p.answers.metadata = { answer, replicas, isr: p.isr } satisfies KnownAnswer
  return answer
}

/** Whether `offline` still lists exactly the replicas whose broker is down, in replica order. */
function sameOffline(alive: readonly boolean[], offline: readonly number[], replicas: readonly number[]): boolean {
  let at = 0
  for (let r = 0; r < replicas.length; r++) {
    if (alive[replicas[r]!] === true) continue
    if (offline[at] !== replicas[r]) return false
    at++
  }
  return at === offline.length
}
