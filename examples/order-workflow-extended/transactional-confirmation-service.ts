/**
 * The confirmation service of the order workflow, exactly once: it joins the inventory, payment
 * and shipping statuses of each order (as ../order-workflow/confirmation-service.ts does), and
 * for every batch of statuses it consumes, the confirmations it publishes and the offsets it
 * commits go into one transaction. An order's outcome is therefore published once, whatever
 * fails: a retried or redelivered batch either finds its earlier transaction committed (and
 * its offsets with it, so it is not redelivered) or aborted (and its confirmations with it).
 *
 * The join state lives in memory and follows the transactions: it is snapshotted at the start
 * of each batch and restored when the transaction fails, so that the batch, processed again,
 * decides the same outcomes again. (A production service keeps it in a compacted changelog
 * topic written in the same transaction, the way Kafka Streams does.)
 *
 * Plain kafkajs: it runs unchanged against a real cluster.
 */
import type { Consumer, Kafka, Producer } from 'kafkajs'
import { Topics, decode, encode, type InventoryStatus, type OrderConfirmation, type PaymentStatus, type ShippingStatus } from '../order-workflow/topics.js'
import { decideOutcome } from '../order-workflow/confirmation-service.js'
import { silent, type Trace } from '../order-workflow/trace.js'

export const confirmationGroupId = 'confirmation-service'

interface PendingOrder {
  inventory?: InventoryStatus
  payment?: PaymentStatus
  shipping?: ShippingStatus
}

export interface TransactionalConfirmationServiceOptions {
  readonly trace?: Trace
  /** Shared by every instance of the service: a new one fences the previous one. */
  readonly transactionalId?: string
}

export class TransactionalConfirmationService {
  private pending = new Map<string, PendingOrder>()
  private decided = new Set<string>()
  private readonly producer: Producer
  private readonly consumer: Consumer
  private readonly trace: Trace
  /** Transactions that failed (and were aborted) before the batch was processed again. */
  abortedTransactions = 0

  constructor(kafka: Kafka, options: TransactionalConfirmationServiceOptions = {}) {
    this.trace = options.trace ?? silent
    this.producer = kafka.producer({ transactionalId: options.transactionalId ?? 'confirmation-service', idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false })
    this.consumer = kafka.consumer({ groupId: confirmationGroupId })
  }

  async start(): Promise<void> {
    await this.producer.connect()
    await this.consumer.connect()
    await this.consumer.subscribe({ topics: [Topics.inventoryStatus, Topics.paymentStatus, Topics.shippingStatus], fromBeginning: true })
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset }) => {
        if (batch.isEmpty()) return
        const before = { pending: cloneState(this.pending), decided: new Set(this.decided) }
        const transaction = await this.producer.transaction()
        try {
          const outcomes: OrderConfirmation[] = []
          for (const message of batch.messages) {
            const outcome = this.join(batch.topic, decode<{ orderId: string }>(message.value))
            if (outcome) outcomes.push(outcome)
          }
          if (outcomes.length > 0) {
            await transaction.send({ topic: Topics.orderConfirmations, messages: outcomes.map((o) => ({ key: o.orderId, value: encode(o) })) })
          }
          await transaction.sendOffsets({
            consumerGroupId: confirmationGroupId,
            topics: [{ topic: batch.topic, partitions: [{ partition: batch.partition, offset: String(Number(batch.lastOffset()) + 1) }] }],
          })
          await transaction.commit()
          resolveOffset(batch.lastOffset())
          for (const o of outcomes) this.trace('confirmation', o.status === 'confirmed' ? `${o.orderId} confirmed` : `${o.orderId} rejected: ${o.reason}`)
        } catch (error) {
          // Nothing of this batch happened: undo the join state, abort, and let kafkajs retry it.
          this.pending = before.pending
          this.decided = before.decided
          this.abortedTransactions++
          await transaction.abort().catch(() => {})
          throw error
        }
      },
    })
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect()
    await this.producer.disconnect()
  }

  /** Orders still waiting for at least one status. */
  waiting(): string[] {
    return [...this.pending.keys()]
  }

  /** Adds a status to its order's join; returns the outcome when the join is complete. */
  private join(topic: string, status: { orderId: string }): OrderConfirmation | undefined {
    if (this.decided.has(status.orderId)) return undefined
    const entry = this.pending.get(status.orderId) ?? {}
    if (topic === Topics.inventoryStatus) entry.inventory = status as InventoryStatus
    else if (topic === Topics.paymentStatus) entry.payment = status as PaymentStatus
    else if (topic === Topics.shippingStatus) entry.shipping = status as ShippingStatus
    if (!entry.inventory || !entry.payment || !entry.shipping) {
      this.pending.set(status.orderId, entry)
      return undefined
    }
    this.pending.delete(status.orderId)
    this.decided.add(status.orderId)
    return decideOutcome(status.orderId, entry.inventory, entry.payment, entry.shipping)
  }
}

function cloneState(pending: Map<string, PendingOrder>): Map<string, PendingOrder> {
  return new Map([...pending].map(([id, entry]) => [id, { ...entry }]))
}
