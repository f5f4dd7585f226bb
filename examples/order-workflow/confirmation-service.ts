/**
 * The confirmation service: joins the three status streams per order id and, once the
 * inventory, payment and shipping results have all arrived, publishes the order's outcome to
 * order-confirmations. The statuses of one order arrive in any order relative to each other
 * (three topics), but each is keyed by the order id, and the topics have the same partition
 * count, so all three land in the same partition number (the topics are co-partitioned).
 *
 * The join needs the member that owns partition p of one status topic to own partition p of
 * the others. With one instance (as here) that always holds. To scale out, give the group an
 * assigner that hands out partition numbers rather than topic-partitions, the way Kafka Streams
 * assigns co-partitioned topics; kafkajs's round-robin would split them.
 *
 * The pending results live in memory here; a production service would keep them in a state
 * store (a compacted changelog topic) so that a restart does not forget half-joined orders.
 *
 * Plain kafkajs: it runs unchanged against a real cluster.
 */
import type { Consumer, EachMessagePayload, Kafka, Producer } from 'kafkajs'
import {
  Topics,
  decode,
  encode,
  type InventoryStatus,
  type OrderConfirmation,
  type PaymentStatus,
  type ShippingStatus,
} from './topics.js'
import { silent, type Trace } from './trace.js'

export const confirmationGroupId = 'confirmation-service'

interface PendingOrder {
  inventory?: InventoryStatus
  payment?: PaymentStatus
  shipping?: ShippingStatus
}

export interface ConfirmationServiceOptions {
  readonly trace?: Trace
}

export class ConfirmationService {
  private readonly pending = new Map<string, PendingOrder>()
  /** Outcomes already published: a redelivered status must not start a new join. */
  private readonly decided = new Map<string, OrderConfirmation>()
  private readonly producer: Producer
  private readonly consumer: Consumer
  private readonly trace: Trace

  constructor(kafka: Kafka, options: ConfirmationServiceOptions = {}) {
    this.trace = options.trace ?? silent
    this.producer = kafka.producer({ allowAutoTopicCreation: false })
    this.consumer = kafka.consumer({ groupId: confirmationGroupId })
  }

  async start(): Promise<void> {
    await this.producer.connect()
    await this.consumer.connect()
    await this.consumer.subscribe({
      topics: [Topics.inventoryStatus, Topics.paymentStatus, Topics.shippingStatus],
      fromBeginning: true,
    })
    await this.consumer.run({ eachMessage: (payload) => this.handle(payload) })
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect()
    await this.producer.disconnect()
  }

  /** Orders still waiting for at least one status. */
  waiting(): string[] {
    return [...this.pending.keys()]
  }

  private async handle({ topic, message }: EachMessagePayload): Promise<void> {
    const status = decode<{ orderId: string }>(message.value)
    const already = this.decided.get(status.orderId)
    if (already) {
      // Redelivered after the outcome went out: publishing it again is harmless (the order
      // service applies an outcome once), and covers a crash between send and commit.
      await this.publish(already)
      return
    }
    const entry = this.pending.get(status.orderId) ?? {}
    if (topic === Topics.inventoryStatus) entry.inventory = status as InventoryStatus
    else if (topic === Topics.paymentStatus) entry.payment = status as PaymentStatus
    else if (topic === Topics.shippingStatus) entry.shipping = status as ShippingStatus
    if (!entry.inventory || !entry.payment || !entry.shipping) {
      this.pending.set(status.orderId, entry)
      return
    }
    this.pending.delete(status.orderId)
    const outcome = decideOutcome(status.orderId, entry.inventory, entry.payment, entry.shipping)
    this.decided.set(status.orderId, outcome)
    this.trace(
      'confirmation',
      outcome.status === 'confirmed' ? `${outcome.orderId} confirmed` : `${outcome.orderId} rejected: ${outcome.reason}`,
    )
    await this.publish(outcome)
  }

  private async publish(outcome: OrderConfirmation): Promise<void> {
    await this.producer.send({
      topic: Topics.orderConfirmations,
      messages: [{ key: outcome.orderId, value: encode(outcome) }],
    })
  }
}

/** The first failing step in workflow order (stock, payment, shipping) names the rejection. */
export function decideOutcome(
  orderId: string,
  inventory: InventoryStatus,
  payment: PaymentStatus,
  shipping: ShippingStatus,
): OrderConfirmation {
  if (!inventory.ok) return { orderId, status: 'rejected', reason: 'out-of-stock', detail: inventory.reason }
  if (!payment.ok) return { orderId, status: 'rejected', reason: 'payment-declined', detail: payment.reason }
  if (!shipping.ok) return { orderId, status: 'rejected', reason: 'shipping-unavailable', detail: shipping.reason }
  return { orderId, status: 'confirmed' }
}
