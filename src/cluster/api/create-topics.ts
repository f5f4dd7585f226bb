/**
 * CreateTopics (API key 19): each topic is created, or refused with Kafka's error, on its own;
 * but a request whose topics would take more metadata records than one controller operation may
 * write fails whole with POLICY_VIOLATION, creating nothing (see controller-record-limit.ts).
 */
import { ErrorCode, KafkaError } from '../error-codes.js'
import type { ClusterModel } from '../cluster-model.js'
import type { CreatableTopic, CreateTopicsRequest, CreateTopicsResponse } from './messages.js'
import { EXCESSIVE_BATCH_MESSAGE, MAX_RECORDS_PER_USER_OP } from './controller-record-limit.js'

type Result = CreateTopicsResponse['topics'][number]

const failed = (name: string, errorCode: number, errorMessage: string): Result => ({ name, errorCode, errorMessage, numPartitions: -1, replicationFactor: -1, configs: null })

export function handleCreateTopics(cluster: ClusterModel, _brokerId: number, request: CreateTopicsRequest): CreateTopicsResponse {
  const counts = new Map<string, number>()
  for (const t of request.topics) counts.set(t.name, (counts.get(t.name) ?? 0) + 1)
  // First every entry is checked (nothing changes), counting the records the valid ones need.
  let records = 0
  const checked = request.topics.map((spec): Result | CreatableTopic => {
    // Kafka refuses every entry of a name given twice in one request.
    if ((counts.get(spec.name) ?? 0) > 1) {
      return failed(spec.name, ErrorCode.INVALID_REQUEST, `Create topics request from client contains multiple entries for the following topics: ${spec.name}`)
    }
    const partitions = spec.assignments.length > 0 ? spec.assignments.length : spec.numPartitions === -1 ? cluster.config.numPartitions() : spec.numPartitions
    // More partitions than the limit: every other check is made with one partition, so that
    // the replicas of billions of partitions are never placed.
    const tooMany = spec.assignments.length === 0 && partitions > MAX_RECORDS_PER_USER_OP
    try {
      cluster.controller.planTopic(tooMany ? { ...spec, numPartitions: 1 } : spec)
    } catch (error) {
      if (!(error instanceof KafkaError)) throw error
      return failed(spec.name, error.errorCode, error.message)
    }
    records += 1 + partitions + spec.configs.filter((c) => c.value !== null).length
    return spec
  })
  if (records > MAX_RECORDS_PER_USER_OP) {
    return { topics: request.topics.map((t) => failed(t.name, ErrorCode.POLICY_VIOLATION, EXCESSIVE_BATCH_MESSAGE)) }
  }
  return {
    topics: checked.map((entry): Result => {
      if ('errorCode' in entry) return entry
      const spec = entry
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
        return failed(spec.name, error.errorCode, error.message)
      }
    }),
  }
}
