/**
 * The kafkajs consumer (src/consumer/index.js in kafkajs 2.2.4): its configuration rules,
 * subscribe, run, stop, disconnect, commitOffsets, seek, pause/resume, describeGroup, events,
 * and the crash-and-restart policy.
 */
import { CoordinatorType, IsolationLevel } from '../../cluster/api/messages.js'
import { KafkaJSNonRetriableError } from '../errors.js'
import { createErrorFromCode } from '../protocol-error-table.js'
import { CONSUMER_EVENTS, InstrumentationEmitter, type InstrumentationListener } from '../instrumentation.js'
import { retryConfig, type RetryOptions } from '../retry.js'
import type { ClusterClient } from '../cluster-client.js'
import type { Logger } from '../logger.js'
import { toGroupDescription, type GroupDescription } from '../admin/admin-types.js'
import { PartitionAssigners, type PartitionAssigner } from './assigners/index.js'
import { ConsumerGroup, type TopicConfiguration } from './consumer-group.js'
import { Runner, type EachBatchPayload, type EachMessagePayload } from './runner.js'

export interface ConsumerConfig {
  groupId: string
  partitionAssigners?: PartitionAssigner[]
  metadataMaxAge?: number
  sessionTimeout?: number
  rebalanceTimeout?: number
  heartbeatInterval?: number
  maxBytesPerPartition?: number
  minBytes?: number
  maxBytes?: number
  maxWaitTimeInMs?: number
  retry?: RetryOptions & { restartOnFailure?: (err: Error) => Promise<boolean> }
  allowAutoTopicCreation?: boolean
  maxInFlightRequests?: number
  readUncommitted?: boolean
  rackId?: string
}

export interface ConsumerSubscribeTopics {
  topics: (string | RegExp)[]
  fromBeginning?: boolean
}

export interface ConsumerRunConfig {
  autoCommit?: boolean
  autoCommitInterval?: number | null
  autoCommitThreshold?: number | null
  eachBatchAutoResolve?: boolean
  partitionsConsumedConcurrently?: number
  eachBatch?: (payload: EachBatchPayload) => Promise<void>
  eachMessage?: (payload: EachMessagePayload) => Promise<void>
}

export interface TopicPartitionOffsetAndMetadata {
  topic: string
  partition: number
  offset: string
  metadata?: string | null
}

type ConsumerEventName = (typeof CONSUMER_EVENTS)[keyof typeof CONSUMER_EVENTS]

const SPECIAL_OFFSETS = ['-1', '-2']

export class Consumer {
  readonly events = CONSUMER_EVENTS
  private readonly client: ClusterClient
  private readonly config: Required<Pick<ConsumerConfig, 'groupId' | 'sessionTimeout' | 'rebalanceTimeout' | 'heartbeatInterval' | 'maxBytesPerPartition' | 'minBytes' | 'maxBytes' | 'maxWaitTimeInMs'>> & ConsumerConfig
  private readonly log: Logger
  private readonly instrumentation: InstrumentationEmitter<typeof CONSUMER_EVENTS>
  private readonly topics: Record<string, TopicConfiguration> = {}
  private group: ConsumerGroup | undefined
  private runner: Runner | undefined
  private restartTimer: { wake(): void } | undefined
  private unregister: (() => void) | undefined

  constructor(client: ClusterClient, config: ConsumerConfig) {
    if (!config?.groupId) throw new KafkaJSNonRetriableError('Consumer groupId must be a non-empty string.')
    this.client = client
    this.config = {
      sessionTimeout: 30_000,
      rebalanceTimeout: 60_000,
      heartbeatInterval: 3_000,
      maxBytesPerPartition: 1_048_576,
      minBytes: 1,
      maxBytes: 10_485_760,
      maxWaitTimeInMs: 5_000,
      ...config,
    }
    if (this.config.heartbeatInterval >= this.config.sessionTimeout) {
      throw new KafkaJSNonRetriableError(
        `Consumer heartbeatInterval (${this.config.heartbeatInterval}) must be lower than sessionTimeout (${this.config.sessionTimeout}). It is recommended to set heartbeatInterval to approximately a third of the sessionTimeout.`,
      )
    }
    this.log = client.logger.namespace('Consumer')
    this.instrumentation = new InstrumentationEmitter(CONSUMER_EVENTS, { clock: client.clock, logger: this.log })
  }

  connect = async (): Promise<void> => {
    await this.client.connect()
    this.instrumentation.emit(CONSUMER_EVENTS.CONNECT)
  }

  disconnect = async (): Promise<void> => {
    await this.stop()
    this.client.disconnect()
    this.instrumentation.emit(CONSUMER_EVENTS.DISCONNECT)
  }

  stop = async (): Promise<void> => {
    this.restartTimer?.wake()
    this.restartTimer = undefined
    if (this.runner) {
      const runner = this.runner
      this.runner = undefined
      this.group = undefined
      this.unregister?.()
      this.unregister = undefined
      await runner.stop()
      this.instrumentation.emit(CONSUMER_EVENTS.STOP)
    }
    this.log.info('Stopped', { groupId: this.config.groupId })
  }

  subscribe = async ({ topic, topics, fromBeginning = false }: Partial<ConsumerSubscribeTopics> & { topic?: string | RegExp }): Promise<void> => {
    if (this.group) throw new KafkaJSNonRetriableError('Cannot subscribe to topic while consumer is running')
    if (!topic && !topics) throw new KafkaJSNonRetriableError('Missing required argument "topics"')
    if (topics != null && !Array.isArray(topics)) throw new KafkaJSNonRetriableError('Argument "topics" must be an array')
    const subscriptions = topics ?? [topic!]
    for (const s of subscriptions) {
      if (typeof s !== 'string' && !(s instanceof RegExp)) {
        throw new KafkaJSNonRetriableError(`Invalid topic ${s} (${typeof s}), the topic name has to be a String or a RegExp`)
      }
    }
    const hasRegex = subscriptions.some((s) => s instanceof RegExp)
    const allTopics = hasRegex ? (await this.client.fetchAllMetadata()).topics.map((t) => t.name) : []
    const matched: string[] = []
    for (const s of subscriptions) {
      if (s instanceof RegExp) matched.push(...allTopics.filter((name) => s.test(name)))
      else matched.push(s)
    }
    for (const t of matched) this.topics[t] = { fromBeginning }
    await this.client.addTargetTopics(matched)
  }

  run = async (config: ConsumerRunConfig = {}): Promise<void> => {
    if (this.group) {
      this.log.warn('consumer#run was called, but the consumer is already running', { groupId: this.config.groupId })
      return
    }
    const {
      autoCommit = true,
      autoCommitInterval = null,
      autoCommitThreshold = null,
      eachBatchAutoResolve = true,
      partitionsConsumedConcurrently = 1,
      eachBatch,
      eachMessage,
    } = config
    const start = async (): Promise<void> => {
      this.log.info('Starting', { groupId: this.config.groupId })
      const assigners = (this.config.partitionAssigners ?? [PartitionAssigners.roundRobin]).map((create) =>
        create({ cluster: this.client, groupId: this.config.groupId, logger: this.log }),
      )
      const isolationLevel = this.config.readUncommitted ? IsolationLevel.READ_UNCOMMITTED : IsolationLevel.READ_COMMITTED
      const group = new ConsumerGroup(this.client, this.instrumentation, this.log, {
        groupId: this.config.groupId,
        topics: Object.keys(this.topics),
        topicConfigurations: this.topics,
        assigners,
        sessionTimeout: this.config.sessionTimeout,
        rebalanceTimeout: this.config.rebalanceTimeout,
        heartbeatInterval: this.config.heartbeatInterval,
        isolationLevel,
        autoCommit,
        autoCommitInterval,
        autoCommitThreshold,
      })
      const runner = new Runner(this.client, group, this.instrumentation, this.log, {
        eachMessage,
        eachBatch,
        eachBatchAutoResolve,
        autoCommit,
        partitionsConsumedConcurrently,
        maxWaitTimeInMs: this.config.maxWaitTimeInMs,
        minBytes: this.config.minBytes,
        maxBytes: this.config.maxBytes,
        maxBytesPerPartition: this.config.maxBytesPerPartition,
        isolationLevel,
        retry: this.config.retry,
        onCrash: (error) => void this.onCrash(error, start),
      })
      this.group = group
      this.runner = runner
      this.unregister = this.client.model.registerParticipant({
        clientId: this.client.clientId,
        isSettled: () => runner.isSettled(),
        describePending: () => runner.describePending(),
      })
      await runner.start()
    }
    await start()
  }

  /** kafkajs's onCrash: disconnect, emit consumer.crash, restart after back-off when retriable. */
  private async onCrash(error: Error & { retryCount?: number; retryTime?: number }, start: () => Promise<void>): Promise<void> {
    this.log.error(`Crash: ${error.name}: ${error.message}`, { groupId: this.config.groupId, retryCount: error.retryCount, stack: error.stack })
    await this.disconnect()
    const original = (e: { cause?: unknown }): { retriable?: boolean } => (e.cause ? original(e.cause as { cause?: unknown }) : e) as { retriable?: boolean }
    const retriable = error.name === 'KafkaJSNumberOfRetriesExceeded' || original(error as { cause?: unknown }).retriable === true
    let restart = retriable
    if (retriable && this.config.retry?.restartOnFailure) {
      restart = await this.config.retry.restartOnFailure(error).catch((e: Error) => {
        this.log.error('Caught error when invoking user-provided "restartOnFailure" callback. Defaulting to restarting.', {
          error: e.message || e,
          cause: error.message || error,
          groupId: this.config.groupId,
        })
        return true
      })
    }
    this.instrumentation.emit(CONSUMER_EVENTS.CRASH, { error, groupId: this.config.groupId, restart })
    if (restart) {
      const retryTime = error.retryTime || retryConfig(this.config.retry).initialRetryTime
      this.log.error(`Restarting the consumer in ${retryTime}ms`, { retryCount: error.retryCount, retryTime, groupId: this.config.groupId })
      // kafkajs's restart timer keeps the process alive; so does this wait.
      const release = this.client.model.clientConnected()
      const restart = this.client.sleeper(retryTime, `consumer of group ${this.config.groupId} restarting after a crash`)
      this.restartTimer = restart
      restart.done.then(
        () => {
          release()
          // stop() ends the wait early: no restart then.
          if (this.restartTimer !== restart) return
          this.restartTimer = undefined
          void start().catch((e: Error) => this.log.error(`Restart failed: ${e.message}`))
        },
        () => release(),
      )
    }
  }

  commitOffsets = async (topicPartitions: TopicPartitionOffsetAndMetadata[] = []): Promise<void> => {
    for (const { topic, partition, offset, metadata = null } of topicPartitions) {
      if (!topic) throw new KafkaJSNonRetriableError(`Invalid topic ${topic}`)
      if (isNaN(partition)) throw new KafkaJSNonRetriableError(`Invalid partition, expected a number received ${partition}`)
      if (!isLong(offset)) throw new KafkaJSNonRetriableError(`Invalid offset, expected a long received ${offset}`)
      if (BigInt(String(offset)) < 0n) throw new KafkaJSNonRetriableError('Offset must not be a negative number')
      if (metadata !== null && typeof metadata !== 'string') {
        throw new KafkaJSNonRetriableError(`Invalid offset metadata, expected string or null, received ${metadata}`)
      }
    }
    if (!this.group) throw new KafkaJSNonRetriableError('Consumer group was not initialized, consumer#run must be called first')
    await this.group.commitOffsets(topicPartitions.map((t) => ({ ...t, offset: String(t.offset) })))
  }

  seek = ({ topic, partition, offset }: { topic: string; partition: number; offset: string }): void => {
    if (!topic) throw new KafkaJSNonRetriableError(`Invalid topic ${topic}`)
    if (isNaN(partition)) throw new KafkaJSNonRetriableError(`Invalid partition, expected a number received ${partition}`)
    if (!isLong(offset)) throw new KafkaJSNonRetriableError(`Invalid offset, expected a long received ${offset}`)
    if (BigInt(String(offset)) < 0n && !SPECIAL_OFFSETS.includes(String(offset))) {
      throw new KafkaJSNonRetriableError('Offset must not be a negative number')
    }
    if (!this.group) throw new KafkaJSNonRetriableError('Consumer group was not initialized, consumer#run must be called first')
    this.group.seek(topic, partition, String(offset))
  }

  describeGroup = async (): Promise<GroupDescription> => {
    const coordinator = await this.client.findCoordinator(this.config.groupId, CoordinatorType.GROUP)
    return this.client.retrier(async () => {
      const response = await this.client.request(coordinator, { api: 'DescribeGroups', groups: [this.config.groupId] })
      const group = response.groups.find((g) => g.groupId === this.config.groupId)!
      if (group.errorCode !== 0) throw createErrorFromCode(group.errorCode)
      return toGroupDescription(group)
    })
  }

  pause = (topicPartitions: { topic: string; partitions?: number[] }[] = []): void => {
    this.validateTopicPartitions(topicPartitions, 'pause')
    if (!this.group) throw new KafkaJSNonRetriableError('Consumer group was not initialized, consumer#run must be called first')
    this.group.pause(topicPartitions)
  }

  paused = (): { topic: string; partitions: number[] }[] => (this.group ? this.group.paused() : [])

  resume = (topicPartitions: { topic: string; partitions?: number[] }[] = []): void => {
    this.validateTopicPartitions(topicPartitions, 'resume')
    if (!this.group) throw new KafkaJSNonRetriableError('Consumer group was not initialized, consumer#run must be called first')
    this.group.resume(topicPartitions)
  }

  private validateTopicPartitions(topicPartitions: { topic: string; partitions?: number[] }[], verb: string): void {
    for (const tp of topicPartitions) {
      if (!tp || !tp.topic) throw new KafkaJSNonRetriableError(`Invalid topic ${(tp && tp.topic) || tp}`)
      if (typeof tp.partitions !== 'undefined' && (!Array.isArray(tp.partitions) || tp.partitions.some((p) => isNaN(p)))) {
        throw new KafkaJSNonRetriableError(`Array of valid partitions required to ${verb} specific partitions instead of ${tp.partitions}`)
      }
    }
  }

  on = (eventName: ConsumerEventName, listener: InstrumentationListener): (() => void) => this.instrumentation.on(eventName, listener)

  logger = (): Logger => this.log
}

function isLong(value: unknown): boolean {
  if (typeof value === 'number') return Number.isInteger(value)
  if (typeof value === 'bigint') return true
  return typeof value === 'string' && /^-?\d+$/.test(value)
}
