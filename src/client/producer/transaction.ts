/**
 * What `producer.transaction()` returns (kafkajs 2.2.4, src/producer/index.js): send and
 * sendBatch into the transaction, sendOffsets, commit, abort and isActive. Only messages sent
 * through this object take part in the transaction. Once it has ended (committed or aborted),
 * or once its producer has left the TRANSACTING state, every method rejects with kafkajs's
 * 'Cannot continue to use transaction once ended'.
 */
import { KafkaJSNonRetriableError } from '../errors.js'
import type { EosManager, SendOffsetsRequest } from './eos-manager.js'
import type { ProducerBatch, ProducerRecord, RecordMetadata } from './producer-types.js'

/** The producer's send and sendBatch bound to the transactional manager. */
export interface TransactionalSenders {
  readonly send: (record: ProducerRecord) => Promise<RecordMetadata[]>
  readonly sendBatch: (batch: ProducerBatch) => Promise<RecordMetadata[]>
}

export class Transaction {
  private readonly eos: EosManager
  private readonly senders: TransactionalSenders
  private ended = false

  constructor(eos: EosManager, senders: TransactionalSenders) {
    this.eos = eos
    this.senders = senders
  }

  /** In progress: the producer is TRANSACTING and this transaction has not been ended. */
  isActive = (): boolean => this.eos.isInTransaction() && !this.ended

  send = (record: ProducerRecord): Promise<RecordMetadata[]> => this.guarded(() => this.senders.send(record))

  sendBatch = (batch: ProducerBatch): Promise<RecordMetadata[]> => this.guarded(() => this.senders.sendBatch(batch))

  /**
   * Adds a consumer group's offsets to the transaction (AddOffsetsToTxn + TxnOffsetCommit):
   * the group sees them only if the transaction commits. (kafkajs also marks them committed in
   * the producer's own cluster object, which no consumer shares; there is nothing to mirror.)
   */
  sendOffsets = (offsets: SendOffsetsRequest): Promise<void> => this.guarded(() => this.eos.sendOffsets(offsets))

  commit = (): Promise<void> =>
    this.guarded(async () => {
      await this.eos.commit()
      this.ended = true
    })

  abort = (): Promise<void> =>
    this.guarded(async () => {
      await this.eos.abort()
      this.ended = true
    })

  /** kafkajs's transactionGuard: a rejected promise, never a synchronous throw. */
  private guarded<T>(fn: () => Promise<T>): Promise<T> {
    if (!this.isActive()) return Promise.reject(new KafkaJSNonRetriableError('Cannot continue to use transaction once ended'))
    return fn()
  }
}
