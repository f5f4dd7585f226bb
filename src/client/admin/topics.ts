/**
 * The admin's topic administration (kafkajs's admin createTopics, deleteTopics,
 * createPartitions): kafkajs's argument checks, then the request to the controller, retried on
 * NOT_CONTROLLER as kafkajs retries it.
 */
import type { MetadataResponse } from '../../cluster/api/messages.js'
import { KafkaJSAggregateError, KafkaJSCreateTopicError, KafkaJSNonRetriableError, KafkaJSTimeout } from '../errors.js'
import { createErrorFromCode } from '../protocol-error-table.js'
import { byName, DEFAULT_REQUEST_TIMEOUT, messageOf, NOT_CONTROLLER, refreshMetadata, retryOn, typeOf, type AdminContext } from './admin-context.js'
import type { ITopicConfig, ITopicPartitionConfig } from './admin-types.js'
import { toInt16, toInt32 } from './protocol-numbers.js'

/** kafkajs's waitFor defaults for createTopics' wait for leaders. */
const LEADER_CHECK_DELAY = 100
const DEFAULT_LEADER_WAIT = 10_000

export interface CreateTopicsOptions {
  topics: ITopicConfig[]
  validateOnly?: boolean
  waitForLeaders?: boolean
  timeout?: number
}

/**
 * Creates topics on the controller. Resolves true, or false when every topic that failed
 * failed with TOPIC_ALREADY_EXISTS (the others were created); any other failure rejects with
 * a KafkaJSAggregateError of one KafkaJSCreateTopicError per failed topic.
 */
export async function createTopics(context: AdminContext, { topics, validateOnly, timeout, waitForLeaders = true }: CreateTopicsOptions): Promise<boolean> {
  if (!topics || !Array.isArray(topics)) {
    throw new KafkaJSNonRetriableError(`Invalid topics array ${topics}`)
  }
  if (topics.some(({ topic }) => typeof topic !== 'string')) {
    throw new KafkaJSNonRetriableError('Invalid topics array, the topic names have to be a valid string')
  }
  const topicNames = new Set(topics.map(({ topic }) => topic))
  if (topicNames.size < topics.length) {
    throw new KafkaJSNonRetriableError('Invalid topics array, it cannot have multiple entries for the same topic')
  }
  for (const { topic, configEntries } of topics) {
    if (configEntries == null) continue
    if (!Array.isArray(configEntries)) {
      throw new KafkaJSNonRetriableError(`Invalid configEntries for topic "${topic}", must be an array`)
    }
    configEntries.forEach((entry: unknown, index) => {
      if (typeof entry !== 'object' || entry == null) {
        throw new KafkaJSNonRetriableError(`Invalid configEntries for topic "${topic}". Entry ${index} must be an object`)
      }
      for (const property of ['name', 'value'] as const) {
        if (!Object.prototype.hasOwnProperty.call(entry, property) || typeof (entry as Record<string, unknown>)[property] !== 'string') {
          throw new KafkaJSNonRetriableError(
            `Invalid configEntries for topic "${topic}". Entry ${index} must have a valid "${property}" property`,
          )
        }
      }
    })
  }

  const { client } = context
  return retryOn(context, [NOT_CONTROLLER], 'create topics', async () => {
    await refreshMetadata(context)
    const controller = client.controllerId
    const response = await client.request(controller, {
      api: 'CreateTopics',
      topics: topics.map(toCreatableTopic),
      timeoutMs: toInt32(timeout ?? DEFAULT_REQUEST_TIMEOUT, 'timeout'),
      validateOnly: Boolean(validateOnly),
      // kafkajs 2.2.4 sends CreateTopics v3, whose response has no configs.
      describeConfigs: false,
    })
    const failed = [...response.topics].sort(byName).filter((t) => t.errorCode !== 0)
    if (failed.length > 0) {
      const errors = failed.map((t) => new KafkaJSCreateTopicError(createErrorFromCode(t.errorCode), t.name))
      if (errors.every((error) => typeOf(error) === 'TOPIC_ALREADY_EXISTS')) return false
      throw new KafkaJSAggregateError('Topic creation errors', errors)
    }
    if (waitForLeaders) await waitForTopicLeaders(context, controller, [...topicNames], timeout)
    return true
  })
}

/**
 * kafkajs's wait for leaders: Metadata for the new topics until every partition has a
 * leader. Any other error ends the wait, including UNKNOWN_TOPIC_OR_PARTITION after a
 * validateOnly creation, which kafkajs reports too (tulios/kafkajs#1222: pass
 * waitForLeaders: false with validateOnly). kafkajs sleeps before its first look; memkafka
 * looks at once (leaders are elected synchronously here, so the answer is usually
 * immediate, and a ManualClock never has to be advanced for a healthy cluster), then every
 * 100 ms of clock time, giving up with KafkaJSTimeout after `timeout` ms (10 s by default).
 */
async function waitForTopicLeaders({ client }: AdminContext, brokerId: number, topics: string[], timeout: number | undefined): Promise<void> {
  if (topics.length === 0) return
  const maxWait = timeout ?? DEFAULT_LEADER_WAIT
  let waited = 0
  for (;;) {
    const response = await client.request(brokerId, { api: 'Metadata', topics, allowAutoTopicCreation: false })
    const error = firstMetadataError(response)
    if (!error) return
    if (error.type !== 'LEADER_NOT_AVAILABLE') throw error
    if (waited >= maxWait) throw new KafkaJSTimeout('Timed out while waiting for topic leaders')
    const delay = Math.min(LEADER_CHECK_DELAY, maxWait - waited)
    await client.sleep(delay, `an admin of client ${client.clientId} waiting`)
    waited += delay
  }
}

/**
 * Deletes topics on the controller. UNKNOWN_TOPIC_OR_PARTITION is retried (kafkajs treats it
 * as a controller that has not caught up), so deleting a topic that does not exist ends in
 * KafkaJSNumberOfRetriesExceeded; any other error is thrown as it is.
 */
export async function deleteTopics(context: AdminContext, { topics, timeout }: { topics: string[]; timeout?: number }): Promise<void> {
  if (!topics || !Array.isArray(topics)) {
    throw new KafkaJSNonRetriableError(`Invalid topics array ${topics}`)
  }
  if (topics.some((topic) => typeof topic !== 'string')) {
    throw new KafkaJSNonRetriableError('Invalid topics array, the names must be a valid string')
  }

  const { client } = context
  return retryOn(context, [NOT_CONTROLLER, 'UNKNOWN_TOPIC_OR_PARTITION'], 'delete topics', async (retryCount, retryTime) => {
    try {
      await refreshMetadata(context)
      const response = await client.request(client.controllerId, {
        api: 'DeleteTopics',
        topicNames: topics,
        timeoutMs: toInt32(timeout ?? DEFAULT_REQUEST_TIMEOUT, 'timeout'),
      })
      const failed = [...response.responses].sort(byName).find((t) => t.errorCode !== 0)
      if (failed) throw createErrorFromCode(failed.errorCode)
      for (const topic of topics) client.forgetTopic(topic)
      await refreshMetadata(context)
    } catch (e) {
      if (typeOf(e) === 'REQUEST_TIMED_OUT') {
        context.log.error(
          'Could not delete topics, check if "delete.topic.enable" is set to "true" (the default value is "false") or increase the timeout',
          { error: messageOf(e), retryCount, retryTime },
        )
      }
      throw e
    }
  })
}

export interface CreatePartitionsOptions {
  topicPartitions: ITopicPartitionConfig[]
  validateOnly?: boolean
  timeout?: number
}

/**
 * Adds partitions (never removes them: INVALID_PARTITIONS). Resolves undefined, as kafkajs
 * does, although kafkajs's types declare a boolean.
 */
export async function createPartitions(context: AdminContext, { topicPartitions, validateOnly, timeout }: CreatePartitionsOptions): Promise<boolean> {
  if (!topicPartitions || !Array.isArray(topicPartitions)) {
    throw new KafkaJSNonRetriableError(`Invalid topic partitions array ${topicPartitions}`)
  }
  if (topicPartitions.length === 0) {
    throw new KafkaJSNonRetriableError('Empty topic partitions array')
  }
  if (topicPartitions.some(({ topic }) => typeof topic !== 'string')) {
    throw new KafkaJSNonRetriableError('Invalid topic partitions array, the topic names have to be a valid string')
  }
  const topicNames = new Set(topicPartitions.map(({ topic }) => topic))
  if (topicNames.size < topicPartitions.length) {
    throw new KafkaJSNonRetriableError('Invalid topic partitions array, it cannot have multiple entries for the same topic')
  }

  const { client } = context
  // kafkajs logs this method's NOT_CONTROLLER retries as 'Could not create topics' too.
  await retryOn(context, [NOT_CONTROLLER], 'create topics', async () => {
    await refreshMetadata(context)
    const response = await client.request(client.controllerId, {
      api: 'CreatePartitions',
      topics: topicPartitions.map(({ topic, count, assignments }) => ({
        name: topic,
        count: toInt32(count, 'count'),
        // An empty list is written as a null array: the controller places the replicas.
        assignments: assignments && assignments.length > 0 ? assignments.map((replicas) => replicas.map((id) => toInt32(id, 'replica'))) : null,
      })),
      timeoutMs: toInt32(timeout ?? DEFAULT_REQUEST_TIMEOUT, 'timeout'),
      validateOnly: Boolean(validateOnly),
    })
    const failed = [...response.results].sort(byName).find((t) => t.errorCode !== 0)
    if (failed) throw createErrorFromCode(failed.errorCode)
  })
  return undefined as unknown as boolean
}

/** One CreateTopics entry, with kafkajs's defaults and its encoder's number coercion. */
function toCreatableTopic({ topic, numPartitions = -1, replicationFactor = -1, replicaAssignment = [], configEntries = [] }: ITopicConfig) {
  return {
    name: topic,
    numPartitions: toInt32(numPartitions, 'numPartitions'),
    replicationFactor: toInt16(replicationFactor, 'replicationFactor'),
    assignments: replicaAssignment.map(({ partition, replicas }) => ({
      partitionIndex: toInt32(partition, 'partition'),
      brokerIds: replicas.map((id) => toInt32(id, 'replica')),
    })),
    configs: configEntries.map(({ name, value }) => ({ name, value })),
  }
}

/**
 * The error kafkajs's Metadata decoder throws: the first topic-level error, else the first
 * partition-level one.
 */
function firstMetadataError(response: MetadataResponse) {
  const topic = response.topics.find((t) => t.errorCode !== 0)
  if (topic) return createErrorFromCode(topic.errorCode)
  const partition = response.topics.flatMap((t) => t.partitions).find((p) => p.errorCode !== 0)
  return partition ? createErrorFromCode(partition.errorCode) : undefined
}
