/**
 * A payment processor that reads payment requests and writes ledger entries exactly once:
 * for each batch it consumes, the ledger entries it produces and the consumer offsets it
 * commits go into one Kafka transaction (consume-transform-produce, KIP-98 / KIP-447). Either
 * all of it becomes visible (the entries to read_committed readers, the offsets to the group)
 * or none of it: a processor that dies mid-batch leaves an open transaction that is aborted,
 * and its successor processes the batch again from the last committed offset.
 *
 * The transactional id names the processor's role, not the process: a restarted (or replacing)
 * instance uses the same id, and registering it fences the old instance. A fenced "zombie" that
 * wakes up cannot commit anything.
 *
 * Plain kafkajs: it runs unchanged against a real cluster.
 */
import type { Consumer, Kafka, Producer } from 'kafkajs'

export const Topics = { requests: 'payment-requests', ledger: 'ledger' } as const
export const processorGroupId = 'payment-processor'

export interface PaymentRequest {
  readonly id: string
  readonly account: string
  readonly amount: number
}

export interface LedgerEntry {
  readonly payment: string
  readonly account: string
  readonly debit: number
  /** Which instance wrote it: shows in the guide who did what. */
  readonly by: string
}

export interface PaymentProcessorOptions {
  /** The instance's name (for the ledger's `by`); its kafkajs clientId is the Kafka's. */
  readonly name: string
  /** Shared by every instance of the processor: a new instance fences the previous one. */
  readonly transactionalId: string
  /** Called after each ledger entry is sent, before the transaction commits (the example crashes here). */
  readonly afterSend?: (payment: PaymentRequest) => Promise<void>
  /** Called when a batch's transaction fails (a fenced zombie). */
  readonly onError?: (error: Error) => void
}

export class PaymentProcessor {
  private readonly consumer: Consumer
  private readonly producer: Producer
  private readonly options: PaymentProcessorOptions

  constructor(kafka: Kafka, options: PaymentProcessorOptions) {
    this.options = options
    // Sessions of 6 s (the broker's minimum) keep the example's failover short.
    this.consumer = kafka.consumer({ groupId: processorGroupId, heartbeatInterval: 1_000, sessionTimeout: 6_000 })
    // A transactional producer is idempotent, with one request in flight (kafkajs requires it).
    this.producer = kafka.producer({ transactionalId: options.transactionalId, idempotent: true, maxInFlightRequests: 1 })
  }

  async start(): Promise<void> {
    await this.producer.connect()
    await this.consumer.connect()
    await this.consumer.subscribe({ topics: [Topics.requests], fromBeginning: true })
    await this.consumer.run({
      // Offsets are committed by the transaction, never by the consumer itself.
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset }) => {
        if (batch.isEmpty()) return
        const transaction = await this.producer.transaction()
        try {
          for (const message of batch.messages) {
            const payment = JSON.parse(message.value!.toString()) as PaymentRequest
            const entry: LedgerEntry = { payment: payment.id, account: payment.account, debit: payment.amount, by: this.options.name }
            await transaction.send({ topic: Topics.ledger, messages: [{ key: payment.account, value: JSON.stringify(entry) }] })
            await this.options.afterSend?.(payment)
          }
          // The group's next offset, committed only if (and when) the transaction commits.
          await transaction.sendOffsets({
            consumerGroupId: processorGroupId,
            topics: [{ topic: batch.topic, partitions: [{ partition: batch.partition, offset: String(Number(batch.lastOffset()) + 1) }] }],
          })
          await transaction.commit()
          resolveOffset(batch.lastOffset())
        } catch (error) {
          await transaction.abort().catch(() => {})
          this.options.onError?.(error as Error)
          // Stop consuming this batch; kafkajs would otherwise retry the handler.
          if (!this.options.onError) throw error
        }
      },
    })
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect()
    await this.producer.disconnect()
  }
}
