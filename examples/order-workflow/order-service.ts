/**
 * The order service: takes orders, publishes OrderPlaced to order-events (keyed by order id),
 * and learns each order's outcome from order-confirmations, moving it from pending to
 * confirmed or rejected. The feedback loop runs through Kafka: the service never calls the
 * others.
 *
 * Plain kafkajs: it runs unchanged against a real cluster.
 */
import type { Consumer, EachMessagePayload, Kafka, Producer } from 'kafkajs'
import { Topics, decode, encode, type OrderConfirmation, type OrderPlaced, type RejectionReason } from './topics.js'
import { silent, type Trace } from './trace.js'

export const orderGroupId = 'order-service'

/** What a caller hands in; the service adds the type tag and the amount. */
export type NewOrder = Omit<OrderPlaced, 'type' | 'amount'>

export type OrderState =
  | { readonly status: 'pending' }
  | { readonly status: 'confirmed' }
  | { readonly status: 'rejected'; readonly reason: RejectionReason; readonly detail?: string }

export interface OrderRecord {
  readonly order: OrderPlaced
  readonly state: OrderState
}

export interface OrderServiceOptions {
  readonly trace?: Trace
}

export class OrderService {
  /** The service's order table (a database in production). */
  private readonly orders = new Map<string, OrderRecord>()
  private readonly producer: Producer
  private readonly consumer: Consumer
  private readonly trace: Trace

  constructor(kafka: Kafka, options: OrderServiceOptions = {}) {
    this.trace = options.trace ?? silent
    this.producer = kafka.producer({ allowAutoTopicCreation: false })
    this.consumer = kafka.consumer({ groupId: orderGroupId })
  }

  async start(): Promise<void> {
    await this.producer.connect()
    await this.consumer.connect()
    await this.consumer.subscribe({ topics: [Topics.orderConfirmations], fromBeginning: true })
    await this.consumer.run({ eachMessage: (payload) => this.handle(payload) })
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect()
    await this.producer.disconnect()
  }

  async placeOrder(input: NewOrder): Promise<OrderPlaced> {
    if (this.orders.has(input.orderId)) throw new Error(`order ${input.orderId} was already placed`)
    const amount = input.items.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0)
    const order: OrderPlaced = { type: 'OrderPlaced', ...input, amount }
    // Recorded as pending before it is published, so a fast confirmation always finds it.
    this.orders.set(order.orderId, { order, state: { status: 'pending' } })
    // Narrated before the send: the other services may react before send() resolves.
    const lines = order.items.map((line) => `${line.quantity} x ${line.sku}`).join(', ')
    this.trace('order-service', `placed order ${order.orderId} (${lines}, $${amount})`)
    await this.producer.send({
      topic: Topics.orderEvents,
      messages: [{ key: order.orderId, value: encode(order) }],
    })
    return order
  }

  get(orderId: string): OrderRecord | undefined {
    return this.orders.get(orderId)
  }

  list(): OrderRecord[] {
    return [...this.orders.values()]
  }

  private async handle({ message }: EachMessagePayload): Promise<void> {
    const outcome = decode<OrderConfirmation>(message.value)
    const record = this.orders.get(outcome.orderId)
    // Outcomes of orders this instance did not place (another replica's), and repeated
    // outcomes (at-least-once delivery), change nothing.
    if (!record || record.state.status !== 'pending') return
    const state: OrderState =
      outcome.status === 'confirmed'
        ? { status: 'confirmed' }
        : { status: 'rejected', reason: outcome.reason, ...(outcome.detail !== undefined && { detail: outcome.detail }) }
    this.orders.set(outcome.orderId, { order: record.order, state })
    this.trace(
      'order-service',
      state.status === 'confirmed'
        ? `order ${outcome.orderId} confirmed, customer notified`
        : `order ${outcome.orderId} rejected (${state.reason}), customer notified`,
    )
  }
}
