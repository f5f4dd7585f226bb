/**
 * Metadata (API key 3): live brokers, the controller, and for each topic asked for (or every
 * topic) its partitions' leaders, epochs, replicas and ISR. A missing topic is created here when
 * the request allows it and auto.create.topics.enable is on, as Kafka's auto topic creation does.
 */
import { ErrorCode } from '../error-codes.js'
import { KafkaError } from '../error-codes.js'
import type { BrokerContext } from './broker-context.js'
import type { Topic } from '../metadata/topic.js'
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
 * One topic's metadata. Each partition gets arrays of its own (a client may keep or change what
 * it is given, as kafkajs's decoded responses are its own); built in a plain loop, without a
 * closure per partition and with no filter when every replica is alive, since a client asks for
 * a topic of 10 000 partitions at every refresh (issue 15).
 */
function describeTopic(cluster: BrokerContext, topic: Topic): TopicMetadata {
  const source = topic.partitions
  const partitions: TopicMetadata['partitions'][number][] = new Array(source.length)
  for (let i = 0; i < source.length; i++) {
    const p = source[i]!
    const replicas = p.replicas
    const offlineReplicas: number[] = []
    for (let r = 0; r < replicas.length; r++) if (!cluster.isBrokerAlive(replicas[r]!)) offlineReplicas.push(replicas[r]!)
    partitions[i] = {
      errorCode: p.leader === -1 ? ErrorCode.LEADER_NOT_AVAILABLE : ErrorCode.NONE,
      partitionIndex: p.index,
      leaderId: p.leader,
      leaderEpoch: p.leaderEpoch,
      replicaNodes: replicas.slice(),
      isrNodes: p.isr.slice(),
      offlineReplicas,
    }
  }
  return { errorCode: ErrorCode.NONE, name: topic.name, topicId: topic.topicId, isInternal: topic.isInternal, partitions }
}
