/** CreateTopics (API key 19): each topic is created, or refused with Kafka's error, on its own. */
import { ErrorCode, KafkaError } from '../error-codes.js'
import type { ClusterModel } from '../cluster-model.js'
import type { CreateTopicsRequest, CreateTopicsResponse } from './messages.js'

export function handleCreateTopics(cluster: ClusterModel, _brokerId: number, request: CreateTopicsRequest): CreateTopicsResponse {
  const counts = new Map<string, number>()
  for (const t of request.topics) counts.set(t.name, (counts.get(t.name) ?? 0) + 1)
  return {
    topics: request.topics.map((spec) => {
      // Kafka refuses every entry of a name given twice in one request.
      if ((counts.get(spec.name) ?? 0) > 1) {
        return { name: spec.name, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: `Create topics request from client contains multiple entries for the following topics: ${spec.name}`, numPartitions: -1, replicationFactor: -1 }
      }
      try {
        if (request.validateOnly) {
          const plan = cluster.controller.planTopic(spec)
          const configs = cluster.config.describeTopic(plan.configs, null, false)
          return { name: spec.name, errorCode: ErrorCode.NONE, errorMessage: null, numPartitions: plan.assignment.length, replicationFactor: plan.assignment[0]?.length ?? 0, configs }
        }
        const topic = cluster.controller.createTopic(spec)
        // ZkAdminManager.createTopics answers the new topic's configs as DescribeConfigs would
        // (no synonyms, no documentation) for CreateTopics v5+.
        const configs = cluster.config.describeTopic(topic.configs, null, false)
        return { name: spec.name, errorCode: ErrorCode.NONE, errorMessage: null, numPartitions: topic.partitions.length, replicationFactor: topic.replicationFactor, topicId: topic.topicId, configs }
      } catch (error) {
        if (!(error instanceof KafkaError)) throw error
        return { name: spec.name, errorCode: error.errorCode, errorMessage: error.message, numPartitions: -1, replicationFactor: -1, configs: null }
      }
    }),
  }
}
