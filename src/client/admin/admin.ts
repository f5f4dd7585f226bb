/**
 * kafkajs's admin client (kafkajs 2.2.4, src/admin/index.js), over the in-process cluster.
 *
 * Each method keeps kafkajs's argument checks and their KafkaJSNonRetriableError messages, its
 * requests (CreateTopics, DeleteTopics and the config APIs go to the controller; offsets to the
 * partition leaders; group APIs to the group coordinator), its retry rules (which errors a method
 * retries with the admin's retrier, which it hands back as they are), the way it turns error
 * codes into errors (the first failing topic, sorted by name, as kafkajs's decoders do; the
 * aggregate of CreateTopics; the per-group and per-partition errors of DeleteGroups and
 * DeleteRecords) and its return shapes. Methods are arrow-function properties, so they work
 * when destructured (`const { createTopics } = admin`).
 *
 * Where kafkajs 2.2.4 has a plain bug that only breaks a call, memkafka does the sensible thing
 * and says so beside the code ("kafkajs ..."). ACLs and partition reassignments are not
 * implemented: those methods throw KafkaJSNotImplemented.
 */
import type { MetadataResponse } from '../../cluster/api/messages.js'
import { OffsetSpec } from '../../cluster/api/messages.js'
import type { ClusterClient } from '../cluster-client.js'
import {
  KafkaJSAggregateError,
  KafkaJSBrokerNotFound,
  KafkaJSCreateTopicError,
  KafkaJSDeleteGroupsError,
  KafkaJSDeleteTopicRecordsError,
  KafkaJSNonRetriableError,
  KafkaJSNotImplemented,
  KafkaJSTimeout,
  type KafkaJSDeleteGroupsErrorGroup,
  type KafkaJSDeleteTopicRecordsErrorPartition,
} from '../errors.js'
import {
  ADMIN_EVENTS,
  InstrumentationEmitter,
  type EventName,
  type InstrumentationListener,
  type RemoveInstrumentationEventListener,
} from '../instrumentation.js'
import type { Logger } from '../logger.js'
import { createErrorFromCode, isStaleMetadata } from '../protocol-error-table.js'
import { createRetry, type Bail, type Retrier, type RetryOptions } from '../retry.js'
import type {
  AclEntry,
  AclFilter,
  AlterConfigResponse,
  ConfigEntries,
  DeleteAclResponse,
  DeleteGroupsResult,
  DescribeAclResponse,
  DescribeConfigResponse,
  FetchOffsetsPartition,
  GroupDescription,
  GroupDescriptions,
  GroupOverview,
  IResourceConfig,
  ITopicConfig,
  ITopicMetadata,
  ITopicPartitionConfig,
  ListPartitionReassignmentsResponse,
  PartitionReassignment,
  ResourceConfigQuery,
  SeekEntry,
  TopicPartitions,
} from './admin-types.js'
import { toGroupDescription } from './admin-types.js'
import { sendCreateAcls, sendDeleteAcls, sendDescribeAcls, validateCreateAcls, validateDeleteAcls, validateDescribeAcls } from './acl-operations.js'
import { ConfigResourceTypes, ConfigSource } from './enums.js'
import { toInt16, toInt32, toLong } from './protocol-numbers.js'

export type * from './admin-types.js'

export interface AdminConfig {
  retry?: RetryOptions
}

export type AdminEventName = EventName<typeof ADMIN_EVENTS>

/** kafkajs's EARLIEST_OFFSET / LATEST_OFFSET (src/constants.js), Kafka's ListOffsets specs. */
const EARLIEST_OFFSET = OffsetSpec.EARLIEST
const LATEST_OFFSET = OffsetSpec.LATEST

/** kafkajs's request defaults (src/protocol/requests/*): 5 s for the admin APIs' broker timeout. */
const DEFAULT_REQUEST_TIMEOUT = 5000
/** kafkajs's waitFor defaults for createTopics' wait for leaders. */
const LEADER_CHECK_DELAY = 100
const DEFAULT_LEADER_WAIT = 10_000

/** A controller that is not the controller any more (Kafka's NOT_CONTROLLER, code 41). */
const NOT_CONTROLLER = 'NOT_CONTROLLER'

/** The group states in which kafkajs lets the admin move a group's offsets. */
const STOPPED_GROUP_STATES: readonly string[] = ['Empty', 'Dead']

/** The seek offsets kafkajs's consumer accepts besides non-negative ones: LATEST, EARLIEST. */
const SPECIAL_SEEK_OFFSETS: readonly bigint[] = [-1n, -2n]

function typeOf(error: unknown): string | undefined {
  return (error as { type?: string } | null | undefined)?.type
}

function messageOf(error: unknown): string | undefined {
  return (error as { message?: string } | null | undefined)?.message
}

/** kafkajs's pattern for a retrier step that will not retry: bail with the error, as it is. */
function giveUp(bail: Bail, error: unknown): never {
  bail(error)
  throw error
}

/** kafkajs's decoders sort topic results by name before picking the first failure. */
function byName<T extends { readonly name: string }>(a: T, b: T): number {
  return a.name.localeCompare(b.name)
}

function sleep(client: ClusterClient, ms: number): Promise<void> {
  return client.sleep(ms, `an admin of client ${client.clientId} waiting`)
}

export class Admin {
  readonly events = ADMIN_EVENTS
  private readonly client: ClusterClient
  private readonly log: Logger
  private readonly retrier: Retrier
  private readonly instrumentation: InstrumentationEmitter<typeof ADMIN_EVENTS>

  constructor(client: ClusterClient, config: AdminConfig = {}) {
    this.client = client
    this.log = client.logger.namespace('Admin')
    // kafkajs: the admin's retry options laid over the Kafka client's.
    this.retrier = createRetry({ ...client.retryOptions, ...config.retry }, { clock: client.clock, random: client.random })
    this.instrumentation = new InstrumentationEmitter(ADMIN_EVENTS, { clock: client.clock, logger: this.log })
  }

  // -------------------------------------------------------------------------------------------
  // Connection, events, logger

  connect = async (): Promise<void> => {
    await this.client.connect()
    this.instrumentation.emit(ADMIN_EVENTS.CONNECT)
  }

  disconnect = async (): Promise<void> => {
    this.client.disconnect()
    this.instrumentation.emit(ADMIN_EVENTS.DISCONNECT)
  }

  on = (eventName: AdminEventName, listener: InstrumentationListener): RemoveInstrumentationEventListener =>
    this.instrumentation.on(eventName, listener)

  logger = (): Logger => this.log

  // -------------------------------------------------------------------------------------------
  // Topics

  listTopics = async (): Promise<string[]> => {
    const { topics } = await this.client.metadata(null)
    return topics.map((t) => t.name)
  }

  /**
   * Creates topics on the controller. Resolves true, or false when every topic that failed
   * failed with TOPIC_ALREADY_EXISTS (the others were created); any other failure rejects with
   * a KafkaJSAggregateError of one KafkaJSCreateTopicError per failed topic.
   */
  createTopics = async ({
    topics,
    validateOnly,
    timeout,
    waitForLeaders = true,
  }: {
    topics: ITopicConfig[]
    validateOnly?: boolean
    waitForLeaders?: boolean
    timeout?: number
  }): Promise<boolean> => {
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

    return this.retryOn([NOT_CONTROLLER], 'create topics', async () => {
      await this.refreshMetadata()
      const controller = this.client.controllerId
      const response = await this.client.request(controller, {
        api: 'CreateTopics',
        topics: topics.map(toCreatableTopic),
        timeoutMs: toInt32(timeout ?? DEFAULT_REQUEST_TIMEOUT, 'timeout'),
        validateOnly: Boolean(validateOnly),
      })
      const failed = [...response.topics].sort(byName).filter((t) => t.errorCode !== 0)
      if (failed.length > 0) {
        const errors = failed.map((t) => new KafkaJSCreateTopicError(createErrorFromCode(t.errorCode), t.name))
        if (errors.every((error) => typeOf(error) === 'TOPIC_ALREADY_EXISTS')) return false
        throw new KafkaJSAggregateError('Topic creation errors', errors)
      }
      if (waitForLeaders) await this.waitForLeaders(controller, [...topicNames], timeout)
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
  private async waitForLeaders(brokerId: number, topics: string[], timeout: number | undefined): Promise<void> {
    if (topics.length === 0) return
    const maxWait = timeout ?? DEFAULT_LEADER_WAIT
    let waited = 0
    for (;;) {
      const response = await this.client.request(brokerId, { api: 'Metadata', topics, allowAutoTopicCreation: false })
      const error = firstMetadataError(response)
      if (!error) return
      if (error.type !== 'LEADER_NOT_AVAILABLE') throw error
      if (waited >= maxWait) throw new KafkaJSTimeout('Timed out while waiting for topic leaders')
      const delay = Math.min(LEADER_CHECK_DELAY, maxWait - waited)
      await sleep(this.client, delay)
      waited += delay
    }
  }

  /**
   * Deletes topics on the controller. UNKNOWN_TOPIC_OR_PARTITION is retried (kafkajs treats it
   * as a controller that has not caught up), so deleting a topic that does not exist ends in
   * KafkaJSNumberOfRetriesExceeded; any other error is thrown as it is.
   */
  deleteTopics = async ({ topics, timeout }: { topics: string[]; timeout?: number }): Promise<void> => {
    if (!topics || !Array.isArray(topics)) {
      throw new KafkaJSNonRetriableError(`Invalid topics array ${topics}`)
    }
    if (topics.some((topic) => typeof topic !== 'string')) {
      throw new KafkaJSNonRetriableError('Invalid topics array, the names must be a valid string')
    }

    return this.retryOn([NOT_CONTROLLER, 'UNKNOWN_TOPIC_OR_PARTITION'], 'delete topics', async (retryCount, retryTime) => {
      try {
        await this.refreshMetadata()
        const response = await this.client.request(this.client.controllerId, {
          api: 'DeleteTopics',
          topicNames: topics,
          timeoutMs: toInt32(timeout ?? DEFAULT_REQUEST_TIMEOUT, 'timeout'),
        })
        const failed = [...response.responses].sort(byName).find((t) => t.errorCode !== 0)
        if (failed) throw createErrorFromCode(failed.errorCode)
        for (const topic of topics) this.client.forgetTopic(topic)
        await this.refreshMetadata()
      } catch (e) {
        if (typeOf(e) === 'REQUEST_TIMED_OUT') {
          this.log.error(
            'Could not delete topics, check if "delete.topic.enable" is set to "true" (the default value is "false") or increase the timeout',
            { error: messageOf(e), retryCount, retryTime },
          )
        }
        throw e
      }
    })
  }

  /**
   * Adds partitions (never removes them: INVALID_PARTITIONS). Resolves undefined, as kafkajs
   * does, although kafkajs's types declare a boolean.
   */
  createPartitions = async ({
    topicPartitions,
    validateOnly,
    timeout,
  }: {
    topicPartitions: ITopicPartitionConfig[]
    validateOnly?: boolean
    timeout?: number
  }): Promise<boolean> => {
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

    // kafkajs logs this method's NOT_CONTROLLER retries as 'Could not create topics' too.
    await this.retryOn([NOT_CONTROLLER], 'create topics', async () => {
      await this.refreshMetadata()
      const response = await this.client.request(this.client.controllerId, {
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

  /**
   * Metadata of the given topics, or of every topic. An unknown topic rejects with
   * UNKNOWN_TOPIC_OR_PARTITION. (kafkajs fails with a TypeError when any partition of the
   * topics asked for has no leader, because its broker pool swallows the LEADER_NOT_AVAILABLE;
   * memkafka returns the partition with its error code and leader -1, as the broker reports it.)
   */
  fetchTopicMetadata = async ({ topics = [] }: { topics?: string[] } = {}): Promise<{ topics: ITopicMetadata[] }> => {
    if (topics) {
      // kafkajs calls topics.forEach: anything but an array is a TypeError there too.
      if (!Array.isArray(topics)) throw new TypeError(`fetchTopicMetadata expects topics to be an array of topic names, got ${topics}`)
      for (const topic of topics) {
        if (!topic || typeof topic !== 'string') throw new KafkaJSNonRetriableError(`Invalid topic ${topic}`)
      }
    }
    const metadata = await this.client.metadata(topics && topics.length > 0 ? topics : null)
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

  // -------------------------------------------------------------------------------------------
  // Offsets

  /**
   * The high and low watermarks of every partition of a topic, as read_committed consumers see
   * them (kafkajs's admin lists offsets with its default isolation level, READ_COMMITTED, so
   * `high` is the last stable offset). Partitions come grouped by leader, leaders in id order,
   * as kafkajs merges its per-broker answers. An unknown topic is retried, then rejects with
   * KafkaJSNumberOfRetriesExceeded.
   */
  fetchTopicOffsets = async (topic: string): Promise<Array<SeekEntry & { high: string; low: string }>> => {
    if (!topic || typeof topic !== 'string') {
      throw new KafkaJSNonRetriableError(`Invalid topic ${topic}`)
    }

    return this.retrier(async (bail) => {
      try {
        const partitions = await this.loadTopicPartitions(topic)
        const high = await this.client.listOffsets(topic, partitions, LATEST_OFFSET)
        const low = await this.client.listOffsets(topic, partitions, EARLIEST_OFFSET)
        return high.map(({ partition, offset }) => ({
          partition,
          offset,
          high: offset,
          low: low.find((l) => l.partition === partition)!.offset,
        }))
      } catch (e) {
        if (this.isRetriableTopicLookup(e)) {
          await this.refreshMetadata()
          throw e
        }
        giveUp(bail, e)
      }
    })
  }

  /**
   * For each partition, the first offset whose record timestamp is at or after `timestamp`;
   * where no record is that recent, the high watermark. Without a timestamp: the high
   * watermark.
   */
  fetchTopicOffsetsByTimestamp = async (topic: string, timestamp?: number): Promise<SeekEntry[]> => {
    if (!topic || typeof topic !== 'string') {
      throw new KafkaJSNonRetriableError(`Invalid topic ${topic}`)
    }

    return this.retrier(async (bail) => {
      try {
        const partitions = await this.loadTopicPartitions(topic)
        const high = await this.client.listOffsets(topic, partitions, LATEST_OFFSET)
        const spec = timestamp != null ? Number(toLong(timestamp)) : LATEST_OFFSET
        const found = await this.client.listOffsets(topic, partitions, spec)
        return found.map(({ partition, offset }) => ({
          partition,
          offset: parseInt(offset, 10) >= 0 ? offset : high.find((h) => h.partition === partition)!.offset,
        }))
      } catch (e) {
        if (this.isRetriableTopicLookup(e)) {
          await this.refreshMetadata()
          throw e
        }
        giveUp(bail, e)
      }
    })
  }

  /**
   * A group's committed offsets for the given topics (every partition, '-1' where nothing is
   * committed), or, with no topics, for every partition it has an offset for. With
   * `resolveOffsets`, the special offsets are resolved as kafkajs does (-1 to the high
   * watermark, -2 to the low watermark) and committed back with setOffsets, so the group must
   * not be running.
   */
  fetchOffsets = async ({
    groupId,
    topics,
    resolveOffsets = false,
  }: {
    groupId: string
    topics?: string[]
    resolveOffsets?: boolean
  }): Promise<Array<{ topic: string; partitions: FetchOffsetsPartition[] }>> => {
    if (!groupId) {
      throw new KafkaJSNonRetriableError(`Invalid groupId ${groupId}`)
    }
    const wanted: unknown = topics ?? []
    if (!Array.isArray(wanted)) {
      throw new KafkaJSNonRetriableError('Expected topics array to be set')
    }

    const coordinator = await this.client.findCoordinator(groupId)
    const topicsToFetch = await Promise.all(
      (wanted as string[]).map(async (topic) => ({ name: topic, partitionIndexes: await this.findTopicPartitions(topic) })),
    )
    // An empty list is written as a null array: every offset the group has.
    const response = await this.client.request(coordinator, {
      api: 'OffsetFetch',
      groupId,
      topics: topicsToFetch.length > 0 ? topicsToFetch : null,
    })
    if (response.errorCode !== 0) throw createErrorFromCode(response.errorCode)
    const failed = response.topics.flatMap((t) => t.partitions).find((p) => p.errorCode !== 0)
    if (failed) throw createErrorFromCode(failed.errorCode)

    let consumerOffsets = response.topics.map((t) => ({
      topic: t.name,
      partitions: t.partitions.map((p) => ({ partition: p.index, offset: String(p.committedOffset), metadata: p.metadata })),
    }))

    if (resolveOffsets) {
      consumerOffsets = await Promise.all(
        consumerOffsets.map(async ({ topic, partitions }) => {
          const watermarks = new Map((await this.fetchTopicOffsets(topic)).map((o) => [o.partition, o]))
          const resolved = partitions.map((p) => {
            let offset = p.offset
            if (Number(offset) === EARLIEST_OFFSET) offset = watermarks.get(p.partition)!.low
            if (Number(offset) === LATEST_OFFSET) offset = watermarks.get(p.partition)!.high
            return { ...p, offset }
          })
          await this.setOffsets({ groupId, topic, partitions: resolved })
          return { topic, partitions: resolved }
        }),
      )
    }

    // The broker answers '' for "no metadata"; kafkajs reports null.
    return consumerOffsets.map(({ topic, partitions }) => ({
      topic,
      partitions: partitions.map(({ partition, offset, metadata }) => ({ partition, offset, metadata: metadata || null })),
    }))
  }

  /**
   * Moves every partition of a topic to the earliest (-2) or latest (-1) offset. As in kafkajs,
   * the special offset itself is committed, and a consumer starting from it applies its own
   * `fromBeginning` setting.
   */
  resetOffsets = async ({ groupId, topic, earliest = false }: { groupId: string; topic: string; earliest?: boolean }): Promise<void> => {
    if (!groupId) {
      throw new KafkaJSNonRetriableError(`Invalid groupId ${groupId}`)
    }
    if (!topic) {
      throw new KafkaJSNonRetriableError(`Invalid topic ${topic}`)
    }
    const partitions = await this.findTopicPartitions(topic)
    const offset = String(earliest ? EARLIEST_OFFSET : LATEST_OFFSET)
    return this.setOffsets({ groupId, topic, partitions: partitions.map((partition) => ({ partition, offset })) })
  }

  /**
   * Commits offsets for a group that has no running member (state Empty, or Dead: a group that
   * does not exist yet). kafkajs does this by running a throwaway consumer in the group and
   * seeking it; memkafka commits the same offsets directly, as Kafka's own admin client does
   * (an OffsetCommit with generation -1, which the coordinator accepts for an empty group), so
   * the group does not go through a rebalance to get there. The checks are kafkajs's: the
   * group's state first, then each entry as its consumer's seek checks it; entries for
   * partitions the topic does not have are ignored, as its consumer ignores them.
   */
  setOffsets = async ({ groupId, topic, partitions }: { groupId: string; topic: string; partitions: SeekEntry[] }): Promise<void> => {
    if (!groupId) {
      throw new KafkaJSNonRetriableError(`Invalid groupId ${groupId}`)
    }
    if (!topic) {
      throw new KafkaJSNonRetriableError(`Invalid topic ${topic}`)
    }
    if (!partitions || partitions.length === 0) {
      throw new KafkaJSNonRetriableError('Invalid partitions')
    }
    // What kafkajs's consumer.subscribe checks and does.
    if (typeof topic !== 'string') {
      throw new KafkaJSNonRetriableError(
        `Invalid topic ${topic} (${typeof topic}), the topic name has to be a String or a RegExp`,
      )
    }
    await this.client.addTargetTopic(topic)

    const { state } = await this.describeGroup(groupId)
    if (!STOPPED_GROUP_STATES.includes(state)) {
      throw new KafkaJSNonRetriableError(`The consumer group must have no running instances, current state: ${state}`)
    }

    // What kafkajs's consumer.seek checks, entry by entry; the last seek of a partition wins.
    const seeks = new Map<unknown, bigint>()
    for (const { partition, offset } of partitions) {
      if (Number.isNaN(Number(partition))) {
        throw new KafkaJSNonRetriableError(`Invalid partition, expected a number received ${partition}`)
      }
      let seekOffset: bigint
      try {
        seekOffset = toLong(offset)
      } catch {
        throw new KafkaJSNonRetriableError(`Invalid offset, expected a long received ${offset}`)
      }
      if (seekOffset < 0n && !SPECIAL_SEEK_OFFSETS.includes(seekOffset)) {
        throw new KafkaJSNonRetriableError('Offset must not be a negative number')
      }
      seeks.set(partition, seekOffset)
    }

    const existing = new Set(this.client.findTopicPartitionMetadata(topic).map((p) => p.partitionId))
    const commits = [...seeks]
      .filter((entry): entry is [number, bigint] => typeof entry[0] === 'number' && existing.has(entry[0]))
      .map(([index, offset]) => ({ index, committedOffset: Number(offset), committedMetadata: null }))
    if (commits.length === 0) return

    await this.retrier(async (bail) => {
      try {
        const coordinator = await this.client.findCoordinator(groupId)
        const response = await this.client.request(coordinator, {
          api: 'OffsetCommit',
          groupId,
          generationId: -1,
          memberId: '',
          topics: [{ name: topic, partitions: commits }],
        })
        const failed = response.topics.flatMap((t) => t.partitions).find((p) => p.errorCode !== 0)
        if (failed) throw createErrorFromCode(failed.errorCode)
      } catch (e) {
        if ((e as { retriable?: boolean }).retriable === true) throw e
        giveUp(bail, e)
      }
    })
  }

  /**
   * Deletes the records of a topic's partitions below the given offsets ('-1': below the high
   * watermark). A partition the topic does not have rejects with a KafkaJSDeleteTopicRecordsError
   * naming it; an offset below the low watermark deletes nothing (and logs a warning). The
   * broker refuses an offset above the high watermark with OFFSET_OUT_OF_RANGE: not retriable,
   * so the retrier rejects with a KafkaJSNonRetriableError whose cause is the
   * KafkaJSDeleteTopicRecordsError listing each failed partition's offset and error.
   */
  deleteTopicRecords = async ({ topic, partitions }: { topic: string; partitions: SeekEntry[] }): Promise<void> => {
    if (!topic || typeof topic !== 'string') {
      throw new KafkaJSNonRetriableError(`Invalid topic "${topic}"`)
    }
    if (!partitions || partitions.length === 0) {
      throw new KafkaJSNonRetriableError('Invalid partitions')
    }

    // kafkajs looks the leaders up in the metadata it held before fetchTopicOffsets refreshed
    // it, which fails for a topic created after connect(); memkafka looks after the refresh.
    const topicOffsets = await this.fetchTopicOffsets(topic)
    const known = new Set(this.client.findTopicPartitionMetadata(topic).map((p) => p.partitionId))

    const leaderNotFound: KafkaJSDeleteTopicRecordsErrorPartition[] = []
    for (const { partition, offset } of partitions) {
      if (!known.has(partition)) {
        leaderNotFound.push({
          partition,
          offset,
          error: new KafkaJSBrokerNotFound('Could not find the leader for the partition', { retriable: false }),
        })
        continue
      }
      const low = topicOffsets.find((p) => p.partition === partition)?.low
      if (parseInt(offset, 10) < parseInt(low as string, 10) && parseInt(offset, 10) !== -1) {
        this.log.warn(
          'The requested offset is before the earliest offset maintained on the partition - no records will be deleted from this partition',
          { topic, partition, offset },
        )
      }
    }
    if (leaderNotFound.length > 0) {
      throw new KafkaJSDeleteTopicRecordsError({ topic, partitions: leaderNotFound })
    }

    // Entries still to delete; a broker's entries leave once it has answered without errors,
    // so a retry only repeats what failed. (kafkajs retries each failed batch on the broker it
    // first chose; memkafka regroups by the current leaders, so a moved leader is followed.)
    let pending = [...partitions]
    await this.retrier(async () => {
      try {
        const errors: KafkaJSDeleteTopicRecordsErrorPartition[] = []
        const byLeader = new Map<number, SeekEntry[]>()
        for (const entry of pending) {
          const leader = this.client.findTopicPartitionMetadata(topic).find((p) => p.partitionId === entry.partition)?.leader ?? -1
          if (leader < 0) {
            errors.push({ partition: entry.partition, offset: entry.offset, error: createErrorFromCode(5) })
            continue
          }
          byLeader.set(leader, [...(byLeader.get(leader) ?? []), entry])
        }
        await Promise.all(
          [...byLeader].map(async ([leader, entries]) => {
            const response = await this.client.request(leader, {
              api: 'DeleteRecords',
              topics: [{ name: topic, partitions: entries.map(({ partition, offset }) => ({ index: partition, offset: longOffset(offset) })) }],
              timeoutMs: DEFAULT_REQUEST_TIMEOUT,
            })
            const failed = response.topics.flatMap((t) => t.partitions).filter((p) => p.errorCode !== 0)
            for (const p of failed) {
              errors.push({
                partition: p.index,
                error: createErrorFromCode(p.errorCode),
                // The offset the caller asked for, as kafkajs attaches it.
                offset: entries.find((e) => e.partition === p.index)!.offset,
              })
            }
            if (failed.length === 0) pending = pending.filter((e) => !entries.includes(e))
          }),
        )
        if (errors.length > 0) throw new KafkaJSDeleteTopicRecordsError({ topic, partitions: errors })
      } catch (e) {
        const failedPartitions = (e as { partitions?: KafkaJSDeleteTopicRecordsErrorPartition[] }).partitions
        if (
          (e as { retriable?: boolean }).retriable &&
          failedPartitions?.some(({ error }) => isStaleMetadata(error) || (error as { name?: string } | null | undefined)?.name === 'KafkaJSMetadataNotLoaded')
        ) {
          await this.refreshMetadata()
        }
        throw e
      }
    })
  }

  // -------------------------------------------------------------------------------------------
  // Cluster and configs

  describeCluster = async (): Promise<{ brokers: Array<{ nodeId: number; host: string; port: number }>; controller: number | null; clusterId: string }> => {
    const { brokers, clusterId, controllerId } = await this.client.metadata([])
    return {
      brokers: brokers.map(({ nodeId, host, port }) => ({ nodeId, host, port })),
      controller: controllerId == null || controllerId === -1 ? null : controllerId,
      clusterId,
    }
  }

  /**
   * Describes topic configs (asked of the controller) and broker configs (asked of the broker
   * itself, as Kafka requires). Resolves `{ resources }`: kafkajs 2.2.4 declares a
   * `throttleTime` too, but never sets it.
   */
  describeConfigs = async ({
    resources,
    includeSynonyms,
  }: {
    resources: ResourceConfigQuery[]
    includeSynonyms?: boolean
  }): Promise<DescribeConfigResponse> => {
    validateResources(resources)
    const invalidConfigs = resources.find((r) => !Array.isArray(r.configNames) && r.configNames != null)
    if (invalidConfigs) {
      throw new KafkaJSNonRetriableError(
        `Invalid resource configNames ${invalidConfigs.configNames}: ${JSON.stringify(invalidConfigs)}`,
      )
    }

    return this.retryOn([NOT_CONTROLLER], 'describe configs', async () => {
      await this.refreshMetadata()
      const byBroker = await this.groupResourcesByBroker(resources)
      const responses = await Promise.all(
        [...byBroker].map(async ([brokerId, group]) => {
          const response = await this.client.request(brokerId, {
            api: 'DescribeConfigs',
            resources: group.map((r) => ({
              resourceType: r.type,
              resourceName: r.name,
              // An empty list is written as a null array: every config.
              configurationKeys: r.configNames && r.configNames.length > 0 ? r.configNames : null,
            })),
            includeSynonyms: Boolean(includeSynonyms),
          })
          const failed = response.results.find((r) => r.errorCode !== 0)
          if (failed) throw createErrorFromCode(failed.errorCode)
          return response.results
        }),
      )
      return {
        resources: responses.flat().map((r) => ({
          errorCode: r.errorCode,
          errorMessage: r.errorMessage as string,
          resourceType: r.resourceType as ConfigResourceTypes,
          resourceName: r.resourceName,
          configEntries: r.configs.map(
            (c): ConfigEntries => ({
              configName: c.name,
              configValue: c.value as string,
              readOnly: c.readOnly,
              // kafkajs derives isDefault from the source (DescribeConfigs v1+).
              isDefault: c.configSource === ConfigSource.DEFAULT_CONFIG,
              configSource: c.configSource as ConfigSource,
              isSensitive: c.isSensitive,
              configSynonyms: c.synonyms.map((s) => ({ configName: s.name, configValue: s.value as string, configSource: s.source as ConfigSource })),
            }),
          ),
        })),
      } as unknown as DescribeConfigResponse
    })
  }

  /**
   * Sets configs (AlterConfigs, not incremental: the entries given replace the resource's
   * dynamic configs). Resolves `{ resources: [{ errorCode, errorMessage, resourceType,
   * resourceName }] }`.
   */
  alterConfigs = async ({ validateOnly, resources }: { validateOnly?: boolean; resources: IResourceConfig[] }): Promise<AlterConfigResponse> => {
    validateResources(resources)
    const invalidConfigs = resources.find((r) => !Array.isArray(r.configEntries))
    if (invalidConfigs) {
      throw new KafkaJSNonRetriableError(
        `Invalid resource configEntries ${invalidConfigs.configEntries}: ${JSON.stringify(invalidConfigs)}`,
      )
    }
    const invalidConfigValue = resources.find((r) => r.configEntries.some((e) => typeof e.name !== 'string' || typeof e.value !== 'string'))
    if (invalidConfigValue) {
      throw new KafkaJSNonRetriableError(`Invalid resource config value: ${JSON.stringify(invalidConfigValue)}`)
    }

    return this.retryOn([NOT_CONTROLLER], 'alter configs', async () => {
      await this.refreshMetadata()
      const byBroker = await this.groupResourcesByBroker(resources)
      const responses = await Promise.all(
        [...byBroker].map(async ([brokerId, group]) => {
          const response = await this.client.request(brokerId, {
            api: 'AlterConfigs',
            resources: group.map((r) => ({
              resourceType: r.type,
              resourceName: r.name,
              configs: r.configEntries.map(({ name, value }) => ({ name, value })),
            })),
            validateOnly: Boolean(validateOnly),
          })
          const failed = response.responses.find((r) => r.errorCode !== 0)
          if (failed) throw createErrorFromCode(failed.errorCode)
          return response.responses
        }),
      )
      return {
        resources: responses.flat().map((r) => ({
          errorCode: r.errorCode,
          errorMessage: r.errorMessage,
          resourceType: r.resourceType as ConfigResourceTypes,
          resourceName: r.resourceName,
        })),
      }
    })
  }

  /**
   * kafkajs's groupResourcesByBroker: broker and broker-logger configs are only answered by
   * the broker they belong to (the resource name is its id); every other resource goes to the
   * controller. Groups keep the order in which their broker first appears.
   */
  private async groupResourcesByBroker<R extends { type: number; name: string }>(resources: readonly R[]): Promise<Map<number, R[]>> {
    const controller = this.client.controllerId
    const groups = new Map<number, R[]>()
    for (const resource of resources) {
      const isBrokerConfig = resource.type === ConfigResourceTypes.BROKER || resource.type === ConfigResourceTypes.BROKER_LOGGER
      const brokerId = isBrokerConfig ? await this.client.findBroker(String(resource.name)) : controller
      groups.set(brokerId, [...(groups.get(brokerId) ?? []), resource])
    }
    return groups
  }

  // -------------------------------------------------------------------------------------------
  // Groups

  /** Every group of the cluster: each live broker lists the groups it coordinates. */
  listGroups = async (): Promise<{ groups: GroupOverview[] }> => {
    await this.refreshMetadata()
    const brokerIds = this.client
      .brokers()
      .map((b) => b.nodeId)
      .sort((a, b) => a - b)
    let groups: GroupOverview[] = []
    for (const brokerId of brokerIds) {
      const response = await this.client.request(brokerId, { api: 'ListGroups' })
      if (response.errorCode !== 0) throw createErrorFromCode(response.errorCode)
      groups = groups.concat(response.groups.map(({ groupId, protocolType }) => ({ groupId, protocolType })))
    }
    return { groups }
  }

  /**
   * Describes groups, each asked of its coordinator. A group that does not exist is described
   * as Dead with no members, as Kafka does.
   */
  describeGroups = async (groupIds: string[]): Promise<GroupDescriptions> => {
    const byCoordinator = new Map<number, string[]>()
    const coordinators = await Promise.all(groupIds.map(async (groupId) => [await this.client.findCoordinator(groupId), groupId] as const))
    for (const [coordinator, groupId] of coordinators) {
      byCoordinator.set(coordinator, [...(byCoordinator.get(coordinator) ?? []), groupId])
    }
    // kafkajs collects coordinators in an object keyed by node id: ascending id order.
    const ordered = [...byCoordinator].sort(([a], [b]) => a - b)
    const responses = await Promise.all(ordered.map(([coordinator, ids]) => this.retrier(() => this.describeGroupsAt(coordinator, ids))))
    return { groups: responses.flat() }
  }

  private async describeGroupsAt(coordinator: number, groupIds: string[]): Promise<GroupDescription[]> {
    const response = await this.client.request(coordinator, { api: 'DescribeGroups', groups: groupIds })
    const failed = response.groups.find((g) => g.errorCode !== 0)
    if (failed) throw createErrorFromCode(failed.errorCode)
    return response.groups.map(toGroupDescription)
  }

  /** kafkajs's consumer.describeGroup, as its setOffsets uses it. */
  private async describeGroup(groupId: string): Promise<GroupDescription> {
    const coordinator = await this.client.findCoordinator(groupId)
    const groups = await this.retrier(() => this.describeGroupsAt(coordinator, [groupId]))
    return groups.find((g) => g.groupId === groupId)!
  }

  /**
   * Deletes groups (only Empty ones can go). Resolves `[{ groupId, errorCode: 0 }]`; if any
   * group fails (GROUP_ID_NOT_FOUND, NON_EMPTY_GROUP, ...), the others are still deleted and
   * the call rejects with a KafkaJSDeleteGroupsError whose `groups` lists the failures, each
   * with its errorCode and protocol error.
   */
  deleteGroups = async (groupIds: string[]): Promise<DeleteGroupsResult[]> => {
    if (!groupIds || !Array.isArray(groupIds)) {
      throw new KafkaJSNonRetriableError(`Invalid groupIds array ${groupIds}`)
    }
    const invalidGroupId = groupIds.some((g) => typeof g !== 'string')
    if (invalidGroupId) {
      // kafkajs prints the result of its `some` check here: 'Invalid groupId name: true'.
      throw new KafkaJSNonRetriableError(`Invalid groupId name: ${JSON.stringify(invalidGroupId)}`)
    }

    let remaining = groupIds.slice()
    // kafkajs's list; COORDINATOR_NOT_AVAILABLE is Kafka's name, which kafkajs's table calls
    // GROUP_COORDINATOR_NOT_AVAILABLE, so in practice nothing here is retried.
    return this.retryOn([NOT_CONTROLLER, 'COORDINATOR_NOT_AVAILABLE'], 'delete groups', async () => {
      if (remaining.length === 0) return []
      await this.refreshMetadata()
      const byCoordinator = new Map<number, string[]>()
      for (const groupId of remaining) {
        const coordinator = await this.client.findCoordinator(groupId)
        byCoordinator.set(coordinator, [...(byCoordinator.get(coordinator) ?? []), groupId])
      }
      const ordered = [...byCoordinator].sort(([a], [b]) => a - b)
      const responses = await Promise.all(
        ordered.map(([coordinator, ids]) => this.client.request(coordinator, { api: 'DeleteGroups', groupsNames: ids })),
      )
      const results: DeleteGroupsResult[] = responses.flatMap(({ results: r }) =>
        r.map(({ groupId, errorCode }) => (errorCode === 0 ? { groupId, errorCode } : { groupId, errorCode, error: createErrorFromCode(errorCode) })),
      )
      const errors = results.filter(({ errorCode }) => errorCode !== 0) as KafkaJSDeleteGroupsErrorGroup[]
      remaining = errors.map(({ groupId }) => groupId)
      if (errors.length > 0) throw new KafkaJSDeleteGroupsError('Error in DeleteGroups', errors)
      return results
    })
  }

  // -------------------------------------------------------------------------------------------
  // ACLs (acl-operations.ts): kafkajs's checks, then the request to the controller.

  describeAcls = async (options: AclFilter): Promise<DescribeAclResponse> => {
    validateDescribeAcls(options)
    return this.aclRequest('describe ACL', () => sendDescribeAcls(this.client, options))
  }

  createAcls = async (options: { acl: AclEntry[] }): Promise<boolean> => {
    validateCreateAcls(options?.acl)
    return this.aclRequest('create ACL', async () => {
      await sendCreateAcls(this.client, options.acl)
      return true
    })
  }

  deleteAcls = async (options: { filters: AclFilter[] }): Promise<DeleteAclResponse> => {
    validateDeleteAcls(options?.filters)
    return this.aclRequest('delete ACL', () => sendDeleteAcls(this.client, options.filters))
  }

  /** kafkajs retries the ACL calls on NOT_CONTROLLER only, after a metadata refresh. */
  private aclRequest<T>(what: string, send: () => Promise<T>): Promise<T> {
    return this.retryOn([NOT_CONTROLLER], what, async () => {
      await this.refreshMetadata()
      return send()
    })
  }

  /**
   * The error handling kafkajs's admin methods share: `attempt` runs under the admin's
   * retrier; an error whose type is one of `retriedTypes` is logged as a warning,
   * `Could not <what>`, and tried again; any other error is handed back as it is (bail), so
   * the caller sees the broker's error and not a retrier's wrapper.
   */
  private retryOn<T>(retriedTypes: readonly string[], what: string, attempt: (retryCount: number, retryTime: number) => Promise<T>): Promise<T> {
    return this.retrier(async (bail, retryCount, retryTime) => {
      try {
        return await attempt(retryCount, retryTime)
      } catch (e) {
        const type = typeOf(e)
        if (type !== undefined && retriedTypes.includes(type)) {
          this.log.warn(`Could not ${what}`, { error: messageOf(e), retryCount, retryTime })
          throw e
        }
        giveUp(bail, e)
      }
    })
  }

  // -------------------------------------------------------------------------------------------
  // Not implemented yet

  alterPartitionReassignments = async (_request: { topics: PartitionReassignment[]; timeout?: number }): Promise<void> => {
    throw new KafkaJSNotImplemented('memkafka does not implement partition reassignments yet (alterPartitionReassignments)')
  }

  listPartitionReassignments = async (_request: { topics?: TopicPartitions[]; timeout?: number }): Promise<ListPartitionReassignmentsResponse> => {
    throw new KafkaJSNotImplemented('memkafka does not implement partition reassignments yet (listPartitionReassignments)')
  }

  // -------------------------------------------------------------------------------------------
  // Metadata and offsets, as kafkajs's cluster provides them to the admin

  /** The admin never creates topics by asking for their metadata (kafkajs: allowAutoTopicCreation false). */
  private async refreshMetadata(): Promise<void> {
    await this.client.refreshMetadata([], false)
  }

  /** The topic's partition ids, with its metadata loaded (fetchTopicOffsets' first step). */
  private async loadTopicPartitions(topic: string): Promise<number[]> {
    await this.client.addTargetTopic(topic)
    await this.client.refreshMetadataIfNecessary()
    return this.client.findTopicPartitionMetadata(topic).map((p) => p.partitionId)
  }

  /** kafkajs's findTopicPartitions: the ids sorted by Array#sort's default, as strings (0, 1, 10, 2). */
  private async findTopicPartitions(topic: string): Promise<number[]> {
    return (await this.loadTopicPartitions(topic)).sort()
  }

  /**
   * Errors after which fetchTopicOffsets refreshes the metadata and tries again. kafkajs
   * retries only UNKNOWN_TOPIC_OR_PARTITION (and fails on a partition without a leader with a
   * KafkaJSBrokerNotFound for broker -1); memkafka retries LEADER_NOT_AVAILABLE too, since an
   * election may end during the back-off.
   */
  private isRetriableTopicLookup(e: unknown): boolean {
    const type = typeOf(e)
    return type === 'UNKNOWN_TOPIC_OR_PARTITION' || type === 'LEADER_NOT_AVAILABLE'
  }

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

/** The checks describeConfigs and alterConfigs share (kafkajs repeats them in each). */
function validateResources(resources: ReadonlyArray<{ type: number; name: string }>): void {
  if (!resources || !Array.isArray(resources)) {
    throw new KafkaJSNonRetriableError(`Invalid resources array ${resources}`)
  }
  if (resources.length === 0) {
    throw new KafkaJSNonRetriableError('Resources array cannot be empty')
  }
  const validTypes: readonly number[] = Object.values(ConfigResourceTypes)
  const invalidType = resources.find((r) => !validTypes.includes(r.type))
  if (invalidType) {
    throw new KafkaJSNonRetriableError(`Invalid resource type ${invalidType.type}: ${JSON.stringify(invalidType)}`)
  }
  const invalidName = resources.find((r) => !r.name || typeof r.name !== 'string')
  if (invalidName) {
    throw new KafkaJSNonRetriableError(`Invalid resource name ${invalidName.name}: ${JSON.stringify(invalidName)}`)
  }
}

/** A DeleteRecords offset, through kafkajs's Long coercion. */
function longOffset(offset: unknown): number {
  try {
    return Number(toLong(offset))
  } catch {
    throw new KafkaJSNonRetriableError(`Invalid offset, expected a long received ${offset}`)
  }
}
