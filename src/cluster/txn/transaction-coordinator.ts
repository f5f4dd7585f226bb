/**
 * The transaction coordinator (Kafka's TransactionCoordinator and TransactionStateManager,
 * KIP-98): producer ids and epochs for transactional ids, the partitions and groups each
 * transaction touches, its state machine, the transaction timeout, fencing of older instances,
 * and the commit / abort markers written to every partition of a transaction when it ends.
 *
 *   Empty -> Ongoing -> PrepareCommit -> CompleteCommit -> Ongoing ...
 *                    -> PrepareAbort  -> CompleteAbort  -> Ongoing ...
 */
import type { Clock, TimerHandle } from '../clock.js'
import { ErrorCode, type ErrorName } from '../error-codes.js'
import type {
  AddOffsetsToTxnRequest,
  AddOffsetsToTxnResponse,
  AddPartitionsToTxnRequest,
  AddPartitionsToTxnResponse,
  DescribedTransaction,
  EndTxnRequest,
  EndTxnResponse,
  InitProducerIdRequest,
  InitProducerIdResponse,
} from '../api/messages.js'

export type TransactionState = 'Empty' | 'Ongoing' | 'PrepareCommit' | 'PrepareAbort' | 'CompleteCommit' | 'CompleteAbort' | 'Dead'

/** Every state name Kafka 3.7 knows (TransactionState.AllStates; memkafka never fences with PrepareEpochFence). */
const KAFKA_TRANSACTION_STATES: readonly string[] = ['Empty', 'Ongoing', 'PrepareCommit', 'PrepareAbort', 'CompleteCommit', 'CompleteAbort', 'Dead', 'PrepareEpochFence']

/** Kafka's TransactionState valid previous states, as a table. */
const VALID_PREVIOUS: Record<TransactionState, readonly TransactionState[]> = {
  Empty: ['Empty', 'CompleteCommit', 'CompleteAbort'],
  Ongoing: ['Ongoing', 'Empty', 'CompleteCommit', 'CompleteAbort'],
  PrepareCommit: ['Ongoing'],
  PrepareAbort: ['Ongoing'],
  CompleteCommit: ['PrepareCommit'],
  CompleteAbort: ['PrepareAbort'],
  Dead: ['Empty', 'CompleteCommit', 'CompleteAbort'],
}

export interface TopicPartitionRef {
  readonly topic: string
  readonly partition: number
}

export type TransactionEvent =
  | { type: 'txnBegun'; transactionalId: string; producerId: number; producerEpoch: number }
  | { type: 'txnEnded'; transactionalId: string; producerId: number; producerEpoch: number; result: 'commit' | 'abort'; partitions: TopicPartitionRef[]; reason: string }
  | { type: 'producerFenced'; transactionalId: string; producerId: number; producerEpoch: number; reason: string }

export interface TransactionCoordinatorDeps {
  readonly clock: Clock
  readonly config: () => { transactionMaxTimeoutMs: number; transactionalIdExpirationMs: number }
  readonly emit: (event: TransactionEvent) => void
  /** A new producer id, unique in the cluster. */
  readonly nextProducerId: () => number
  readonly partitionExists: (topic: string, partition: number) => boolean
  /**
   * Writes a COMMIT or ABORT marker for the producer to each partition; resolves once every
   * marker is replicated (below its partition's high watermark).
   */
  readonly writeMarkers: (producerId: number, producerEpoch: number, partitions: TopicPartitionRef[], result: 'commit' | 'abort') => Promise<void>
  /** The transaction's offsets (TxnOffsetCommit) become visible, or vanish. */
  readonly completeGroupOffsets: (producerId: number, committed: boolean) => void
}

interface TransactionMetadata {
  readonly transactionalId: string
  producerId: number
  producerEpoch: number
  timeoutMs: number
  state: TransactionState
  partitions: Map<string, TopicPartitionRef>
  groups: Set<string>
  startTime: number
  lastUpdate: number
  timer: TimerHandle | undefined
  /** The id and epoch before the last bump (Kafka's lastProducerId/lastProducerEpoch, KIP-360); -1 before any. */
  lastProducerId: number
  lastProducerEpoch: number
}

const key = (topic: string, partition: number): string => `${topic}\u0000${partition}`

export class TransactionCoordinator {
  private readonly deps: TransactionCoordinatorDeps
  private readonly transactions = new Map<string, TransactionMetadata>()
  private closed = false

  constructor(deps: TransactionCoordinatorDeps) {
    this.deps = deps
  }

  private transition(txn: TransactionMetadata, to: TransactionState): void {
    if (!VALID_PREVIOUS[to].includes(txn.state)) throw new Error(`illegal transaction state change ${txn.state} -> ${to} for ${txn.transactionalId}`)
    txn.state = to
    txn.lastUpdate = this.deps.clock.now()
  }

  /** Transactional ids idle longer than transactional.id.expiration.ms are forgotten (lazily). */
  private lookup(transactionalId: string): TransactionMetadata | undefined {
    const txn = this.transactions.get(transactionalId)
    if (!txn) return undefined
    const expiry = this.deps.config().transactionalIdExpirationMs
    const idle = txn.state === 'Empty' || txn.state === 'CompleteCommit' || txn.state === 'CompleteAbort'
    if (idle && this.deps.clock.now() - txn.lastUpdate > expiry) {
      this.transactions.delete(transactionalId)
      return undefined
    }
    return txn
  }

  initProducerId(request: InitProducerIdRequest): InitProducerIdResponse {
    const fail = (name: ErrorName): InitProducerIdResponse => ({ errorCode: ErrorCode[name], producerId: -1, producerEpoch: -1 })
    if (request.transactionalId === null) return { errorCode: ErrorCode.NONE, producerId: this.deps.nextProducerId(), producerEpoch: 0 }
    if (request.transactionalId === '') return fail('INVALID_REQUEST')
    const max = this.deps.config().transactionMaxTimeoutMs
    if (!Number.isInteger(request.transactionTimeoutMs) || request.transactionTimeoutMs <= 0 || request.transactionTimeoutMs > max) return fail('INVALID_TRANSACTION_TIMEOUT')
    const now = this.deps.clock.now()
    const existing = this.lookup(request.transactionalId)
    if (!existing) {
      const txn: TransactionMetadata = {
        transactionalId: request.transactionalId,
        producerId: this.deps.nextProducerId(),
        producerEpoch: 0,
        timeoutMs: request.transactionTimeoutMs,
        state: 'Empty',
        partitions: new Map(),
        groups: new Set(),
        startTime: -1,
        lastUpdate: now,
        timer: undefined,
        lastProducerId: -1,
        lastProducerEpoch: -1,
      }
      this.transactions.set(request.transactionalId, txn)
      return { errorCode: ErrorCode.NONE, producerId: txn.producerId, producerEpoch: txn.producerEpoch }
    }
    // KIP-360 (InitProducerId v3+): a producer that names its current id and epoch is fenced
    // unless they are the transaction's (or, for a retried bump whose answer was lost, the
    // id before an exhausted epoch's renewal): TransactionCoordinator.isValidProducerId.
    const expectedId = request.producerId ?? -1
    const expectedEpoch = request.producerEpoch ?? -1
    const expected = expectedId >= 0
    // Kafka's PRODUCER_FENCED, in the old form this coordinator answers (see validate()).
    if (expected && expectedId !== existing.producerId && !(expectedId === existing.lastProducerId && expectedEpoch >= 32766)) return fail('INVALID_PRODUCER_EPOCH')
    if (existing.state === 'PrepareCommit' || existing.state === 'PrepareAbort') return fail('CONCURRENT_TRANSACTIONS')
    if (existing.state === 'Ongoing') {
      // A new instance while the old one's transaction is open: bump the epoch to fence the old
      // instance, abort its transaction, and have the new one retry (CONCURRENT_TRANSACTIONS).
      this.bumpEpoch(existing, 'a new instance called InitProducerId')
      this.beginCompletion(existing, 'abort', 'fenced by a new instance with the same transactional id')
      return fail('CONCURRENT_TRANSACTIONS')
    }
    if (expected && expectedId === existing.producerId && expectedEpoch !== existing.producerEpoch) {
      // TransactionMetadata.prepareIncrementProducerEpoch: the epoch before the last bump is a
      // retry whose answer was lost (answered with the current epoch, unbumped); any other is fenced.
      if (expectedEpoch !== existing.lastProducerEpoch) return fail('INVALID_PRODUCER_EPOCH')
      existing.timeoutMs = request.transactionTimeoutMs
      return { errorCode: ErrorCode.NONE, producerId: existing.producerId, producerEpoch: existing.producerEpoch }
    }
    this.bumpEpoch(existing, 'a new instance called InitProducerId')
    existing.timeoutMs = request.transactionTimeoutMs
    this.transition(existing, 'Empty')
    return { errorCode: ErrorCode.NONE, producerId: existing.producerId, producerEpoch: existing.producerEpoch }
  }

  private bumpEpoch(txn: TransactionMetadata, reason: string): void {
    txn.lastProducerId = txn.producerId
    txn.lastProducerEpoch = txn.producerEpoch
    if (txn.producerEpoch >= 32766) {
      // Epoch exhausted: a fresh producer id (KIP-360).
      txn.producerId = this.deps.nextProducerId()
      txn.producerEpoch = 0
    } else {
      txn.producerEpoch++
    }
    this.deps.emit({ type: 'producerFenced', transactionalId: txn.transactionalId, producerId: txn.producerId, producerEpoch: txn.producerEpoch, reason })
  }

  /** The checks every request of a transaction goes through (producer id, epoch, state). */
  private validate(transactionalId: string, producerId: number, producerEpoch: number): { txn: TransactionMetadata } | { error: ErrorName } {
    const txn = this.lookup(transactionalId)
    if (!txn || txn.producerId !== producerId) return { error: 'INVALID_PRODUCER_ID_MAPPING' }
    // kafkajs speaks request versions for which Kafka answers a fenced epoch with
    // INVALID_PRODUCER_EPOCH (PRODUCER_FENCED exists only in newer versions, KIP-588).
    if (producerEpoch !== txn.producerEpoch) return { error: 'INVALID_PRODUCER_EPOCH' }
    if (txn.state === 'PrepareCommit' || txn.state === 'PrepareAbort') return { error: 'CONCURRENT_TRANSACTIONS' }
    return { txn }
  }

  private begin(txn: TransactionMetadata): void {
    if (txn.state === 'Ongoing') return
    txn.partitions.clear()
    txn.groups.clear()
    this.transition(txn, 'Ongoing')
    txn.startTime = this.deps.clock.now()
    this.deps.emit({ type: 'txnBegun', transactionalId: txn.transactionalId, producerId: txn.producerId, producerEpoch: txn.producerEpoch })
    // transaction.timeout.ms counts from the first partition added (KIP-98).
    txn.timer = this.deps.clock.setTimeout(() => this.expire(txn), txn.timeoutMs)
  }

  addPartitions(request: AddPartitionsToTxnRequest): AddPartitionsToTxnResponse {
    const answer = (errorFor: (topic: string, partition: number) => number): AddPartitionsToTxnResponse => ({
      results: request.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ index: p, errorCode: errorFor(t.name, p) })) })),
    })
    const unknown = request.topics.flatMap((t) => t.partitions.filter((p) => !this.deps.partitionExists(t.name, p)).map((p) => key(t.name, p)))
    if (unknown.length > 0) {
      const missing = new Set(unknown)
      return answer((topic, partition) => (missing.has(key(topic, partition)) ? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION : ErrorCode.OPERATION_NOT_ATTEMPTED))
    }
    if (request.verifyOnly) {
      // TransactionCoordinator.handleVerifyPartitionsInTransaction (after KafkaApis's unknown
      // partition check): no state changes; the Prepare states answer CONCURRENT_TRANSACTIONS.
      const verified = this.validate(request.transactionalId, request.producerId, request.producerEpoch)
      if ('error' in verified) return answer(() => ErrorCode[verified.error])
      return answer((topic, partition) => (verified.txn.partitions.has(key(topic, partition)) ? ErrorCode.NONE : ErrorCode.INVALID_TXN_STATE))
    }
    const checked = this.validate(request.transactionalId, request.producerId, request.producerEpoch)
    if ('error' in checked) return answer(() => ErrorCode[checked.error])
    const txn = checked.txn
    this.begin(txn)
    for (const t of request.topics) for (const p of t.partitions) txn.partitions.set(key(t.name, p), { topic: t.name, partition: p })
    return answer(() => ErrorCode.NONE)
  }

  addOffsets(request: AddOffsetsToTxnRequest): AddOffsetsToTxnResponse {
    const checked = this.validate(request.transactionalId, request.producerId, request.producerEpoch)
    if ('error' in checked) return { errorCode: ErrorCode[checked.error] }
    this.begin(checked.txn)
    checked.txn.groups.add(request.groupId)
    return { errorCode: ErrorCode.NONE }
  }

  endTxn(request: EndTxnRequest): EndTxnResponse {
    const txn = this.lookup(request.transactionalId)
    if (!txn || txn.producerId !== request.producerId) return { errorCode: ErrorCode.INVALID_PRODUCER_ID_MAPPING }
    if (request.producerEpoch !== txn.producerEpoch) return { errorCode: ErrorCode.INVALID_PRODUCER_EPOCH }
    const result = request.committed ? 'commit' : 'abort'
    switch (txn.state) {
      case 'Ongoing':
        this.beginCompletion(txn, result, request.committed ? 'committed by the producer' : 'aborted by the producer')
        return { errorCode: ErrorCode.NONE }
      case 'CompleteCommit':
        // A retried EndTxn of a transaction already ended the same way succeeds again.
        return { errorCode: request.committed ? ErrorCode.NONE : ErrorCode.INVALID_TXN_STATE }
      case 'CompleteAbort':
        return { errorCode: request.committed ? ErrorCode.INVALID_TXN_STATE : ErrorCode.NONE }
      case 'PrepareCommit':
        return { errorCode: request.committed ? ErrorCode.CONCURRENT_TRANSACTIONS : ErrorCode.INVALID_TXN_STATE }
      case 'PrepareAbort':
        return { errorCode: request.committed ? ErrorCode.INVALID_TXN_STATE : ErrorCode.CONCURRENT_TRANSACTIONS }
      default:
        return { errorCode: ErrorCode.INVALID_TXN_STATE }
    }
  }

  /**
   * PrepareCommit / PrepareAbort, then the markers. EndTxn is answered once the decision is
   * logged; the markers follow (Kafka's TransactionMarkerChannelManager), so a request that
   * arrives in between is told CONCURRENT_TRANSACTIONS.
   */
  private beginCompletion(txn: TransactionMetadata, result: 'commit' | 'abort', reason: string): void {
    this.deps.clock.clearTimeout(txn.timer)
    txn.timer = undefined
    this.transition(txn, result === 'commit' ? 'PrepareCommit' : 'PrepareAbort')
    // The answer to EndTxn goes first; the markers follow, and the transaction completes once
    // every one of them is replicated.
    const partitions = [...txn.partitions.values()]
    queueMicrotask(() => {
      if (this.closed) return
      // The group's offsets take their marker on __consumer_offsets, a partition of its own:
      // they become visible (or vanish) without waiting for the data partitions' markers.
      if (txn.groups.size > 0) this.deps.completeGroupOffsets(txn.producerId, result === 'commit')
      void this.deps.writeMarkers(txn.producerId, txn.producerEpoch, partitions, result).then(() => this.complete(txn, result, reason))
    })
  }

  private complete(txn: TransactionMetadata, result: 'commit' | 'abort', reason: string): void {
    if (this.closed) return
    this.transition(txn, result === 'commit' ? 'CompleteCommit' : 'CompleteAbort')
    this.deps.emit({
      type: 'txnEnded',
      transactionalId: txn.transactionalId,
      producerId: txn.producerId,
      producerEpoch: txn.producerEpoch,
      result,
      partitions: [...txn.partitions.values()],
      reason,
    })
  }

  /** transaction.timeout.ms passed with the transaction open: fence the producer and abort. */
  private expire(txn: TransactionMetadata): void {
    txn.timer = undefined
    if (txn.state !== 'Ongoing') return
    this.bumpEpoch(txn, `transaction timed out after ${txn.timeoutMs} ms`)
    this.beginCompletion(txn, 'abort', `timed out after transaction.timeout.ms (${txn.timeoutMs} ms)`)
  }

  /**
   * KIP-890 verification: may this producer write transactionally to this partition now?
   * undefined when it may; else the error the partition leader answers with.
   */
  verifyTransactionalWrite(transactionalId: string, producerId: number, producerEpoch: number, topic: string, partition: number): ErrorName | undefined {
    const txn = this.lookup(transactionalId)
    if (!txn || txn.producerId !== producerId) return 'INVALID_PRODUCER_ID_MAPPING'
    if (producerEpoch < txn.producerEpoch) return 'INVALID_PRODUCER_EPOCH'
    if (txn.state !== 'Ongoing' || !txn.partitions.has(key(topic, partition))) return 'INVALID_TXN_STATE'
    return undefined
  }

  /**
   * DescribeTransactions for one id (TransactionCoordinator.handleDescribeTransactions):
   * TRANSACTIONAL_ID_NOT_FOUND for an unknown (or expired) id; the partitions only while a
   * transaction is open or ending, as Kafka clears them when it completes.
   */
  describe(transactionalId: string): DescribedTransaction {
    const txn = this.lookup(transactionalId)
    if (!txn || txn.state === 'Dead') {
      return { errorCode: ErrorCode.TRANSACTIONAL_ID_NOT_FOUND, transactionalId, transactionState: '', transactionTimeoutMs: 0, transactionStartTimeMs: 0, producerId: 0, producerEpoch: 0, topics: [] }
    }
    const open = txn.state === 'Ongoing' || txn.state === 'PrepareCommit' || txn.state === 'PrepareAbort'
    const topics = new Map<string, number[]>()
    if (open) for (const p of txn.partitions.values()) topics.set(p.topic, [...(topics.get(p.topic) ?? []), p.partition])
    return {
      errorCode: ErrorCode.NONE,
      transactionalId,
      transactionState: txn.state,
      transactionTimeoutMs: txn.timeoutMs,
      transactionStartTimeMs: txn.startTime,
      producerId: txn.producerId,
      producerEpoch: txn.producerEpoch,
      topics: [...topics].map(([topic, partitions]) => ({ topic, partitions })),
    }
  }

  /**
   * ListTransactions (TransactionStateManager.listTransactionStates): the transactional ids in
   * one of the given states (every state when none names a known one) held by one of the given
   * producer ids (every producer when none), never Dead ones.
   */
  list(stateFilters: readonly string[], producerIdFilters: readonly number[]): { unknownStateFilters: string[]; transactions: { transactionalId: string; producerId: number; transactionState: string }[] } {
    const unknownStateFilters = stateFilters.filter((name) => !KAFKA_TRANSACTION_STATES.includes(name))
    const states = new Set(stateFilters.filter((name) => KAFKA_TRANSACTION_STATES.includes(name)))
    const producers = new Set(producerIdFilters)
    const transactions = []
    for (const id of [...this.transactions.keys()]) {
      const txn = this.lookup(id)
      if (!txn || txn.state === 'Dead') continue
      if (producers.size > 0 && !producers.has(txn.producerId)) continue
      if (states.size > 0 && !states.has(txn.state)) continue
      transactions.push({ transactionalId: txn.transactionalId, producerId: txn.producerId, transactionState: txn.state as string })
    }
    return { unknownStateFilters, transactions }
  }

  snapshot(): { transactionalId: string; producerId: number; producerEpoch: number; state: TransactionState; partitions: TopicPartitionRef[]; groups: string[]; timeoutMs: number }[] {
    return [...this.transactions.values()].map((t) => ({
      transactionalId: t.transactionalId,
      producerId: t.producerId,
      producerEpoch: t.producerEpoch,
      state: t.state,
      partitions: [...t.partitions.values()],
      groups: [...t.groups],
      timeoutMs: t.timeoutMs,
    }))
  }

  close(): void {
    this.closed = true
    for (const t of this.transactions.values()) this.deps.clock.clearTimeout(t.timer)
  }
}
