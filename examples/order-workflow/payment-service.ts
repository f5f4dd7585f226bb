/**
 * The payment service: authorises the amount of every placed order against the customer's
 * limit, declines flagged cards, and reports on payment-status. Like the inventory service it
 * listens to order-confirmations to void the authorisation of an order rejected for another
 * reason (out of stock).
 *
 * Plain kafkajs: it runs unchanged against a real cluster.
 */
import type { Consumer, EachMessagePayload, Kafka, Producer } from 'kafkajs'
import { Topics, decode, encode, type OrderConfirmation, type OrderPlaced, type PaymentStatus } from './topics.js'
import { silent, type Trace } from './trace.js'

export const paymentGroupId = 'payment-service'

export interface Customer {
  /** The largest amount one order may charge, in whole dollars. */
  readonly limit: number
  /** Cards the fraud team has flagged: any charge on them is declined. */
  readonly flaggedCards?: readonly string[]
}

export interface PaymentServiceOptions {
  readonly customers: Readonly<Record<string, Customer>>
  readonly trace?: Trace
}

export class PaymentService {
  private readonly customers: ReadonlyMap<string, Customer>
  /** Authorised amounts of orders whose outcome is not known yet, by order id. */
  private readonly authorisations = new Map<string, number>()
  /** Answers already given, so a redelivered order is not charged twice (at-least-once delivery). */
  private readonly decisions = new Map<string, PaymentStatus>()
  private readonly producer: Producer
  private readonly consumer: Consumer
  private readonly trace: Trace
  private capturedTotal = 0

  constructor(kafka: Kafka, options: PaymentServiceOptions) {
    this.customers = new Map(Object.entries(options.customers))
    this.trace = options.trace ?? silent
    this.producer = kafka.producer({ allowAutoTopicCreation: false })
    this.consumer = kafka.consumer({ groupId: paymentGroupId })
  }

  async start(): Promise<void> {
    await this.producer.connect()
    await this.consumer.connect()
    await this.consumer.subscribe({ topics: [Topics.orderEvents, Topics.orderConfirmations], fromBeginning: true })
    await this.consumer.run({ eachMessage: (payload) => this.handle(payload) })
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect()
    await this.producer.disconnect()
  }

  /** Dollars captured for confirmed orders. */
  captured(): number {
    return this.capturedTotal
  }

  /** Orders holding an authorisation that is neither captured nor voided yet. */
  openAuthorisations(): string[] {
    return [...this.authorisations.keys()]
  }

  private async handle({ topic, message }: EachMessagePayload): Promise<void> {
    if (topic === Topics.orderEvents) await this.authorise(decode<OrderPlaced>(message.value))
    else if (topic === Topics.orderConfirmations) this.settleAuthorisation(decode<OrderConfirmation>(message.value))
  }

  private async authorise(order: OrderPlaced): Promise<void> {
    let status = this.decisions.get(order.orderId)
    if (!status) {
      status = this.decide(order)
      this.decisions.set(order.orderId, status)
      if (status.ok) this.authorisations.set(order.orderId, order.amount)
      this.trace('payment', status.ok ? `${order.orderId} authorised $${order.amount}` : `${order.orderId} declined (${status.reason})`)
    }
    await this.producer.send({
      topic: Topics.paymentStatus,
      messages: [{ key: order.orderId, value: encode(status) }],
    })
  }

  private decide(order: OrderPlaced): PaymentStatus {
    const customer = this.customers.get(order.customerId)
    if (!customer) return { orderId: order.orderId, ok: false, reason: `unknown customer ${order.customerId}` }
    if (customer.flaggedCards?.includes(order.cardNumber)) {
      return { orderId: order.orderId, ok: false, reason: `card ending ${order.cardNumber.slice(-4)} is flagged` }
    }
    if (order.amount > customer.limit) {
      return { orderId: order.orderId, ok: false, reason: `$${order.amount} exceeds the $${customer.limit} limit` }
    }
    return { orderId: order.orderId, ok: true }
  }

  private settleAuthorisation(confirmation: OrderConfirmation): void {
    const amount = this.authorisations.get(confirmation.orderId)
    if (amount === undefined) return
    this.authorisations.delete(confirmation.orderId)
    if (confirmation.status === 'confirmed') {
      this.capturedTotal += amount
      return
    }
    this.trace('payment', `${confirmation.orderId} voided the $${amount} authorisation (order ${confirmation.reason})`)
  }
}
