/**
 * kafkajs's eosManager (src/producer/eosManager in kafkajs 2.2.4): what an idempotent or
 * transactional producer knows about itself — its producer id and epoch, the next sequence
 * number per partition, the partitions and offsets in the current transaction — and the
 * requests that change it (InitProducerId, AddPartitionsToTxn, AddOffsetsToTxn,
 * TxnOffsetCommit, EndTxn), guarded by kafkajs's transaction state machine.
 *
 * The state machine is kept as kafkajs keeps it, as two tables: which state may follow which
 * (VALID_TRANSITIONS) and in which states each operation may be called (LEGAL_STATES). Its
 * quirks are kept too, because user code observes them: a commit or abort whose EndTxn fails
 * leaves the manager in COMMITTING or ABORTING for good, so the producer cannot begin another
 * transaction (a fenced producer must be replaced, as in Kafka).
 */
import { CoordinatorType } from '../../cluster/api/messages.js'
import { ErrorCode } from '../../cluster/error-codes.js'
import { KafkaJSNonRetriableError, type KafkaJSError } from '../errors.js'
import { createErrorFromCode } from '../protocol-error-table.js'
import { toInt32, toLong } from '../admin/protocol-numbers.js'
import type { ClusterClient } from '../cluster-client.js'
import type { Logger } from '../logger.js'

export const TransactionState = {
  UNINITIALIZED: 'UNINITIALIZED',
  READY: 'READY',
  TRANSACTING: 'TRANSACTING',
  COMMITTING: 'COMMITTING',
  ABORTING: 'ABORTING',
} as const
export type TransactionStateName = (typeof TransactionState)[keyof typeof TransactionState]

const { UNINITIALIZED, READY, TRANSACTING, COMMITTING, ABORTING } = TransactionState

/** kafkajs's VALID_STATE_TRANSITIONS (transactionStateMachine.js). */
export const VALID_TRANSITIONS: { readonly [S in TransactionStateName]: readonly TransactionStateName[] } = {
  [UNINITIALIZED]: [READY],
  [READY]: [READY, TRANSACTING],
  [TRANSACTING]: [COMMITTING, ABORTING],
  [COMMITTING]: [READY],
  [ABORTING]: [READY],
}

/** kafkajs's guards (eosManager/index.js, createGuarded): the states each operation accepts. */
export const LEGAL_STATES = {
  initProducerId: [UNINITIALIZED, READY],
  beginTransaction: [READY],
  addPartitionsToTransaction: [TRANSACTING],
  sendOffsets: [TRANSACTING],
  commit: [TRANSACTING],
  abort: [TRANSACTING],
} as const satisfies Record<string, readonly TransactionStateName[]>
type GuardedOperation = keyof typeof LEGAL_STATES

export const NO_PRODUCER_ID = -1
const SEQUENCE_START = 0
/** Sequence numbers are int32 and wrap to 0 after 2^31 - 1 (Kafka's DefaultRecordBatch.incrementSequence). */
const SEQUENCE_MODULUS = 2 ** 31

/**
 * Errors after which kafkajs retries InitProducerId. CONCURRENT_TRANSACTIONS: a previous
 * instance left a transaction open and the coordinator is aborting it (Kafka's
 * TransactionManager retries it too). The other names are kafkajs's for NOT_COORDINATOR,
 * COORDINATOR_NOT_AVAILABLE and COORDINATOR_LOAD_IN_PROGRESS.
 */
const INIT_PRODUCER_RETRIABLE = new Set(['NOT_COORDINATOR_FOR_GROUP', 'GROUP_COORDINATOR_NOT_AVAILABLE', 'GROUP_LOAD_IN_PROGRESS', 'CONCURRENT_TRANSACTIONS'])
/**
 * TxnOffsetCommit: errors to retry as they are, and errors after which the group coordinator is
 * looked up again. kafkajs lists these under Kafka's names (COORDINATOR_LOAD_IN_PROGRESS,
 * NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE), which its own error table never produces, so in
 * kafkajs they bail; memkafka matches both spellings, which is what kafkajs meant.
 */
const TXN_OFFSET_COMMIT_RETRIABLE = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'COORDINATOR_LOAD_IN_PROGRESS', 'GROUP_LOAD_IN_PROGRESS'])
const TXN_OFFSET_COMMIT_STALE_COORDINATOR = new Set(['COORDINATOR_NOT_AVAILABLE', 'NOT_COORDINATOR', 'GROUP_COORDINATOR_NOT_AVAILABLE', 'NOT_COORDINATOR_FOR_GROUP'])

/** A topic's partitions, as AddPartitionsToTxn names them. */
export interface TopicPartitions {
  readonly topic: string
  readonly partitions: readonly number[]
}

/** What `transaction.sendOffsets` takes (kafkajs's Offsets & { consumerGroupId }). */
export interface SendOffsetsRequest {
  readonly consumerGroupId: string
  readonly topics: readonly {
    readonly topic: string
    readonly partitions: readonly { readonly partition: number; readonly offset: string; readonly metadata?: string | null }[]
  }[]
}

export interface EosManagerOptions {
  readonly client: ClusterClient
  readonly logger: Logger
  /** true for the manager behind producer.transaction(); false for an idempotent producer's. */
  readonly transactional: boolean
  readonly transactionalId?: string | undefined
  /** Sent with InitProducerId (kafkajs's default: 60000). */
  readonly transactionTimeout?: number | undefined
}

const key = (topic: string, partition: number): string => `${topic}\u0000${partition}`

export class EosManager {
  readonly transactional: boolean
  readonly transactionalId: string | undefined
  private readonly client: ClusterClient
  private readonly log: Logger
  private readonly transactionTimeout: number
  private currentState: TransactionStateName = UNINITIALIZED
  private producerIdValue = NO_PRODUCER_ID
  private producerEpochValue = 0
  /** Next sequence per topic-partition. */
  private sequences = new Map<string, number>()
  /** One request at a time per broker: the ordering sequence numbers rely on. */
  private brokerLocks = new Map<number, Promise<void>>()
  private partitionsInTransaction = new Set<string>()
  private offsetsAddedToTransaction = false

  constructor(options: EosManagerOptions) {
    if (options.transactional && !options.transactionalId) {
      throw new KafkaJSNonRetriableError('Cannot manage transactions without a transactionalId')
    }
    this.client = options.client
    this.log = options.logger
    this.transactional = options.transactional
    this.transactionalId = options.transactionalId
    this.transactionTimeout = options.transactionTimeout ?? 60_000
  }

  get state(): TransactionStateName {
    return this.currentState
  }

  get producerId(): number {
    return this.producerIdValue
  }

  get producerEpoch(): number {
    return this.producerEpochValue
  }

  isInitialized(): boolean {
    return this.producerIdValue !== NO_PRODUCER_ID
  }

  isTransactional(): boolean {
    return this.transactional
  }

  isInTransaction(): boolean {
    return this.currentState === TRANSACTING
  }

  /**
   * InitProducerId: from the transaction coordinator for a transactional producer (which bumps
   * the epoch and fences older instances, KIP-98), from the controller otherwise. Resets every
   * sequence number: a new id or epoch starts at 0.
   */
  async initProducerId(): Promise<void> {
    this.guard('initProducerId')
    await this.client.retrier(async (bail, retryCount, retryTime) => {
      try {
        await this.client.refreshMetadataIfNecessary()
        const brokerId = this.transactional ? await this.findTransactionCoordinator() : this.client.controllerId
        const response = await this.client.request(brokerId, {
          api: 'InitProducerId',
          transactionalId: this.transactional ? this.transactionalId! : null,
          transactionTimeoutMs: this.transactionTimeout,
        })
        if (response.errorCode !== 0) throw fencedAsOldEpoch(response.errorCode)
        this.transitionTo(READY)
        this.producerIdValue = response.producerId
        this.producerEpochValue = response.producerEpoch
        this.sequences = new Map()
        this.brokerLocks = new Map()
        this.log.debug('Initialized producer id & epoch', { producerId: this.producerIdValue, producerEpoch: this.producerEpochValue })
      } catch (error) {
        const type = (error as { type?: string }).type
        if (type !== undefined && INIT_PRODUCER_RETRIABLE.has(type)) {
          if (type === 'CONCURRENT_TRANSACTIONS') {
            this.log.debug('There is an ongoing transaction on this transactionId, retrying', {
              error: (error as Error).message,
              transactionalId: this.transactionalId,
              retryCount,
              retryTime,
            })
          }
          throw error
        }
        bail(error)
      }
    })
  }

  /** The next sequence for a partition; always 0 before the producer id is known (kafkajs). */
  getSequence(topic: string, partition: number): number {
    if (!this.isInitialized()) return SEQUENCE_START
    return this.sequences.get(key(topic, partition)) ?? SEQUENCE_START
  }

  /**
   * Moves a partition's sequence by `increment` records (negative to give back the numbers of
   * a request that failed, as kafkajs's sendMessages does). Wraps modulo 2^31 as Kafka does;
   * kafkajs resets to 0 on reaching 2^31 - 1 instead, which a broker would reject.
   */
  updateSequence(topic: string, partition: number, increment: number): void {
    if (!this.isInitialized()) return
    const next = (((this.getSequence(topic, partition) + increment) % SEQUENCE_MODULUS) + SEQUENCE_MODULUS) % SEQUENCE_MODULUS
    this.sequences.set(key(topic, partition), next)
  }

  beginTransaction(): void {
    this.transactionalGuard()
    this.guard('beginTransaction')
    this.transitionTo(TRANSACTING)
  }

  /**
   * AddPartitionsToTxn for the partitions not yet in the transaction; must precede any write to
   * them (KIP-98: the coordinator must know every partition that needs a marker).
   */
  async addPartitionsToTransaction(topicData: readonly TopicPartitions[]): Promise<void> {
    this.transactionalGuard()
    this.guard('addPartitionsToTransaction')
    const topics: { name: string; partitions: number[] }[] = []
    for (const { topic, partitions } of topicData) {
      const fresh = partitions.filter((p) => !this.partitionsInTransaction.has(key(topic, p)))
      if (fresh.length > 0) topics.push({ name: topic, partitions: fresh })
    }
    if (topics.length === 0) return
    const coordinator = await this.findTransactionCoordinator()
    const response = await this.client.request(coordinator, {
      api: 'AddPartitionsToTxn',
      transactionalId: this.transactionalId!,
      producerId: this.producerIdValue,
      producerEpoch: this.producerEpochValue,
      topics,
    })
    // kafkajs's decoder throws the first partition error.
    for (const result of response.results) {
      for (const p of result.partitions) if (p.errorCode !== 0) throw fencedAsOldEpoch(p.errorCode)
    }
    for (const { name, partitions } of topics) for (const p of partitions) this.partitionsInTransaction.add(key(name, p))
  }

  /**
   * AddOffsetsToTxn to the transaction coordinator, then TxnOffsetCommit to the group's
   * coordinator: the group's offsets become visible only if the transaction commits.
   * kafkajs sends TxnOffsetCommit v0, which has no member id or generation (KIP-447 came with
   * v3), so the group coordinator cannot fence a zombie consumer by generation here.
   */
  async sendOffsets({ consumerGroupId, topics }: SendOffsetsRequest): Promise<void> {
    this.guard('sendOffsets')
    if (!consumerGroupId) throw assertionError('Missing consumerGroupId')
    if (!topics) throw assertionError('Missing offset topics')
    // The offsets as kafkajs's encoder writes them (INT32 partition, INT64 offset), converted
    // before anything is sent so that an offset it cannot encode (e.g. 'abc': SyntaxError
    // "Cannot convert abc to a BigInt") fails with kafkajs's error and leaves the cluster as it
    // was. (kafkajs itself fails only while encoding TxnOffsetCommit, after AddOffsetsToTxn.)
    const offsets = topics.map(({ topic, partitions }) => ({
      name: topic,
      partitions: partitions.map(({ partition, offset, metadata }) => ({
        index: toInt32(partition),
        committedOffset: Number(toLong(offset)),
        committedMetadata: metadata ?? null,
      })),
    }))
    const transactionCoordinator = await this.findTransactionCoordinator()
    const added = await this.client.request(transactionCoordinator, {
      api: 'AddOffsetsToTxn',
      transactionalId: this.transactionalId!,
      producerId: this.producerIdValue,
      producerEpoch: this.producerEpochValue,
      groupId: consumerGroupId,
    })
    if (added.errorCode !== 0) throw fencedAsOldEpoch(added.errorCode)
    this.offsetsAddedToTransaction = true

    let groupCoordinator = await this.client.findCoordinator(consumerGroupId, CoordinatorType.GROUP)
    await this.client.retrier(async (bail, retryCount, retryTime) => {
      try {
        const response = await this.client.request(groupCoordinator, {
          api: 'TxnOffsetCommit',
          transactionalId: this.transactionalId!,
          groupId: consumerGroupId,
          producerId: this.producerIdValue,
          producerEpoch: this.producerEpochValue,
          generationId: -1,
          memberId: '',
          groupInstanceId: null,
          topics: offsets,
        })
        for (const t of response.topics) {
          for (const p of t.partitions) if (p.errorCode !== 0) throw fencedAsOldEpoch(p.errorCode)
        }
      } catch (error) {
        const e = error as KafkaJSError & { type?: string }
        if (e.type !== undefined && TXN_OFFSET_COMMIT_RETRIABLE.has(e.type)) {
          this.log.debug('Group coordinator is not ready yet, retrying', { error: e.message, transactionalId: this.transactionalId, retryCount, retryTime })
          throw e
        }
        if ((e.type !== undefined && TXN_OFFSET_COMMIT_STALE_COORDINATOR.has(e.type)) || e.name === 'KafkaJSConnectionError') {
          this.log.debug('Invalid group coordinator, finding new group coordinator and retrying', {
            error: e.message,
            transactionalId: this.transactionalId,
            retryCount,
            retryTime,
          })
          groupCoordinator = await this.client.findCoordinator(consumerGroupId, CoordinatorType.GROUP)
          throw e
        }
        bail(e)
      }
    })
  }

  /** EndTxn(commit); skipped when nothing was added to the transaction, as kafkajs does. */
  async commit(): Promise<void> {
    await this.endTransaction(true)
  }

  /** EndTxn(abort); skipped when nothing was added to the transaction, as kafkajs does. */
  async abort(): Promise<void> {
    await this.endTransaction(false)
  }

  /**
   * Runs `fn` holding this broker's lock: an idempotent producer has one Produce in flight per
   * broker (kafkajs's brokerMutexLocks), so sequence numbers reach each leader in order.
   * A producer without an id (not idempotent) does not lock.
   */
  async withBrokerLock<T>(brokerId: number, fn: () => Promise<T>): Promise<T> {
    if (!this.isInitialized()) return fn()
    const locks = this.brokerLocks
    const previous = locks.get(brokerId) ?? Promise.resolve()
    let release!: () => void
    const mine = new Promise<void>((resolve) => (release = resolve))
    const tail = previous.then(() => mine)
    locks.set(brokerId, tail)
    await previous
    try {
      return await fn()
    } finally {
      release()
      if (locks.get(brokerId) === tail) locks.delete(brokerId)
    }
  }

  private async endTransaction(committed: boolean): Promise<void> {
    this.transactionalGuard()
    this.guard(committed ? 'commit' : 'abort')
    this.transitionTo(committed ? COMMITTING : ABORTING)
    if (!this.isOngoing()) {
      this.log.debug('No partitions or offsets registered, not sending EndTxn')
      this.transitionTo(READY)
      return
    }
    const coordinator = await this.findTransactionCoordinator()
    const response = await this.client.request(coordinator, {
      api: 'EndTxn',
      transactionalId: this.transactionalId!,
      producerId: this.producerIdValue,
      producerEpoch: this.producerEpochValue,
      committed,
    })
    if (response.errorCode !== 0) throw fencedAsOldEpoch(response.errorCode)
    this.transitionTo(READY)
  }

  /** Something was added: a partition or the offsets of a group. */
  private isOngoing(): boolean {
    return this.offsetsAddedToTransaction || this.partitionsInTransaction.size > 0
  }

  private findTransactionCoordinator(): Promise<number> {
    return this.client.findCoordinator(this.transactionalId!, CoordinatorType.TRANSACTION)
  }

  private transactionalGuard(): void {
    if (!this.transactional) throw new KafkaJSNonRetriableError('Method unavailable if non-transactional')
  }

  private guard(operation: GuardedOperation): void {
    const legal: readonly TransactionStateName[] = LEGAL_STATES[operation]
    if (!legal.includes(this.currentState)) {
      throw new KafkaJSNonRetriableError(`Transaction state exception: Cannot call "${operation}" in state "${this.currentState}"`)
    }
  }

  private transitionTo(state: TransactionStateName): void {
    this.log.debug(`Transaction state transition ${this.currentState} --> ${state}`)
    if (!VALID_TRANSITIONS[this.currentState].includes(state)) {
      throw new KafkaJSNonRetriableError(`Transaction state exception: Invalid transition ${this.currentState} --> ${state}`)
    }
    this.currentState = state
    // Entering READY starts a fresh transaction (kafkajs's 'transition' listener).
    if (state === READY) {
      this.partitionsInTransaction = new Set()
      this.offsetsAddedToTransaction = false
    }
  }
}

/**
 * The error kafkajs sees for a code. kafkajs speaks the request versions from before KIP-588,
 * to which Kafka answers INVALID_PRODUCER_EPOCH where newer clients get PRODUCER_FENCED
 * (KafkaApis downgrades the code by request version), so memkafka downgrades it the same way.
 */
export function fencedAsOldEpoch(code: number) {
  return createErrorFromCode(code === ErrorCode.PRODUCER_FENCED ? ErrorCode.INVALID_PRODUCER_EPOCH : code)
}

/** kafkajs checks sendOffsets' arguments with node's assert: an AssertionError. */
function assertionError(message: string): Error {
  const error = new Error(message) as Error & { code: string }
  error.name = 'AssertionError'
  error.code = 'ERR_ASSERTION'
  return error
}
