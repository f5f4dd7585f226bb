/**
 * CreateTopics (API key 19): each topic is created, or refused with Kafka's error, on its own;
 * but a request whose topics would take more metadata records than one controller operation may
 * write fails whole with POLICY_VIOLATION, creating nothing (see controller-record-limit.ts).
 */
import { ErrorCode, KafkaError } from '../error-codes.js'
import type { BrokerContext } from './broker-context.js'
import type { CreatableTopic, CreateTopicsRequest, CreateTopicsResponse } from './messages.js'
import { EXCESSIVE_BATCH_MESSAGE, MAX_RECORDS_PER_USER_OP } from './controller-record-limit.js'

type Result = CreateTopicsResponse['topics'][number]

const failed = (name: string, errorCode: number, errorMessage: string): Result => ({ name, errorCode, errorMessage, numPartitions: -1, replicationFactor: -1, configs: null })

export function handleCreateTopics(cluster: BrokerContext, _brokerId: number, request: CreateTopicsRequest): CreateTopicsResponse {
  const counts = new Map<string, number>()
  for (const t of request.topics) counts.set(t.name, (counts.get(t.name) ?? 0) + 1)
  const duplicate = (spec: CreatableTopic): Result | undefined =>
    (counts.get(spec.name) ?? 0) > 1
      ? failed(spec.name, ErrorCode.INVALID_REQUEST, `Create topics request from client contains multiple entries for the following topics: ${spec.name}`)
      : undefined
  const partitionsOf = (spec: CreatableTopic): number =>
    spec.assignments.length > 0 ? spec.assignments.length : spec.numPartitions === -1 ? cluster.config.numPartitions() : spec.numPartitions
  const recordsOf = (spec: CreatableTopic): number => 1 + Math.max(0, partitionsOf(spec)) + spec.configs.filter((c) => c.value !== null).length
  // Counting every entry as if valid is an upper bound: within it nothing more is checked, and
  // replicas are placed once per topic (the seeded placement stays as it was).
  let checked: (Result | CreatableTopic)[] = request.topics.map((spec) => duplicate(spec) ?? spec)
  const upperBound = checked.reduce((sum, entry) => sum + ('errorCode' in entry ? 0 : recordsOf(entry)), 0)
  if (upperBound > MAX_RECORDS_PER_USER_OP) {
    // Only the entries that are otherwise valid count (Kafka adds a topic's records once it
    // passed its checks). A topic with more partitions than the limit is checked with one
    // partition, so that the replicas of billions of partitions are never placed.
    let records = 0
    checked = checked.map((entry) => {
      if ('errorCode' in entry) return entry
      const tooMany = entry.assignments.length === 0 && partitionsOf(entry) > MAX_RECORDS_PER_USER_OP
      try {
        cluster.controller.planTopic(tooMany ? { ...entry, numPartitions: 1 } : entry)
      } catch (error) {
        if (!(error instanceof KafkaError)) throw error
        return failed(entry.name, error.errorCode, error.message)
      }
      records += recordsOf(entry)
      return entry
    })
    if (records > MAX_RECORDS_PER_USER_OP) {
      return { topics: request.topics.map((t) => failed(t.name, ErrorCode.POLICY_VIOLATION, EXCESSIVE_BATCH_MESSAGE)) }
    }
  }
  return {
    topics: checked.map((entry): Result => {
      if ('errorCode' in entry) return entry
      const spec = entry
      try {
        if (request.validateOnly) {
          const plan = cluster.controller.planTopic(spec)
          const configs = request.describeConfigs === false ? null : cluster.config.describeTopic(plan.configs, null, false)
          return { name: spec.name, errorCode: ErrorCode.NONE, errorMessage: null, numPartitions: plan.assignment.length, replicationFactor: plan.assignment[0]?.length ?? 0, configs }
        }
        const topic = cluster.controller.createTopic(spec)
        // ZkAdminManager.createTopics answers the new topic's configs as DescribeConfigs would
        // (no synonyms, no documentation) for CreateTopics v5+.
        const configs = request.describeConfigs === false ? null : cluster.config.describeTopic(topic.configs, null, false)
        return { name: spec.name, errorCode: ErrorCode.NONE, errorMessage: null, numPartitions: topic.partitions.length, replicationFactor: topic.replicationFactor, topicId: topic.topicId, configs }
      } catch (error) {
        if (!(error instanceof KafkaError)) throw error
        return failed(spec.name, error.errorCode, error.message)
      }
    }),
  }
}
