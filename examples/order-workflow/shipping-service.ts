/**
 * The shipping service: picks a carrier for every placed order's destination and reports the
 * shipping details (carrier, tracking id) on shipping-status. It does not wait for the stock
 * or the payment: the three checks run in parallel, and the confirmation service joins them.
 *
 * Plain kafkajs: it runs unchanged against a real cluster.
 */
import type { Consumer, EachMessagePayload, Kafka, Producer } from 'kafkajs'
import { Topics, decode, encode, type OrderPlaced, type ShippingStatus } from './topics.js'
import { silent, type Trace } from './trace.js'

export const shippingGroupId = 'shipping-service'

export interface ShippingServiceOptions {
  /** Carrier by destination country code. */
  readonly carriers: Readonly<Record<string, string>>
  readonly trace?: Trace
}

export class ShippingService {
  private readonly carriers: ReadonlyMap<string, string>
  private readonly producer: Producer
  private readonly consumer: Consumer
  private readonly trace: Trace

  constructor(kafka: Kafka, options: ShippingServiceOptions) {
    this.carriers = new Map(Object.entries(options.carriers))
    this.trace = options.trace ?? silent
    this.producer = kafka.producer({ allowAutoTopicCreation: false })
    this.consumer = kafka.consumer({ groupId: shippingGroupId })
  }

  async start(): Promise<void> {
    await this.producer.connect()
    await this.consumer.connect()
    await this.consumer.subscribe({ topics: [Topics.orderEvents], fromBeginning: true })
    await this.consumer.run({ eachMessage: (payload) => this.handle(payload) })
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect()
    await this.producer.disconnect()
  }

  private async handle({ message }: EachMessagePayload): Promise<void> {
    const order = decode<OrderPlaced>(message.value)
    // Derived from the order alone, so a redelivered order gets the same details again.
    const carrier = this.carriers.get(order.shipTo.country)
    const status: ShippingStatus = carrier
      ? { orderId: order.orderId, ok: true, carrier, trackingId: `${carrier}-${order.orderId}` }
      : { orderId: order.orderId, ok: false, reason: `no carrier ships to ${order.shipTo.country}` }
    this.trace('shipping', status.ok ? `${order.orderId} ships with ${status.carrier} to ${order.shipTo.city}` : `${order.orderId} cannot ship (${status.reason})`)
    await this.producer.send({
      topic: Topics.shippingStatus,
      messages: [{ key: order.orderId, value: encode(status) }],
    })
  }
}
