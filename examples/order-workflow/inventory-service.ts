/**
 * The inventory service: for every placed order, reserves the stock of all its lines at once
 * or none of them, and reports the outcome on inventory-status. It also listens to
 * order-confirmations to release the stock of an order that was rejected for another reason
 * (a declined payment): the compensating step of a saga.
 *
 * Plain kafkajs: it runs unchanged against a real cluster.
 */
import type { Consumer, EachMessagePayload, Kafka, Producer } from 'kafkajs'
import { Topics, decode, encode, type InventoryStatus, type OrderConfirmation, type OrderPlaced } from './topics.js'
import { silent, type Trace } from './trace.js'

export const inventoryGroupId = 'inventory-service'

export interface InventoryServiceOptions {
  /** Units in stock, by SKU. */
  readonly stock: Readonly<Record<string, number>>
  readonly trace?: Trace
}

export class InventoryService {
  private readonly stock: Map<string, number>
  /** Units held for orders whose outcome is not known yet, by order id. */
  private readonly reservations = new Map<string, Map<string, number>>()
  /**
   * The answer given for each order. Delivery is at-least-once (a rebalance or a crash before
   * the offset commit redelivers), so a repeated OrderPlaced gets the same answer again
   * instead of reserving twice.
   */
  private readonly decisions = new Map<string, InventoryStatus>()
  private readonly producer: Producer
  private readonly consumer: Consumer
  private readonly trace: Trace

  constructor(kafka: Kafka, options: InventoryServiceOptions) {
    this.stock = new Map(Object.entries(options.stock))
    this.trace = options.trace ?? silent
    this.producer = kafka.producer({ allowAutoTopicCreation: false })
    this.consumer = kafka.consumer({ groupId: inventoryGroupId })
  }

  async start(): Promise<void> {
    await this.producer.connect()
    await this.consumer.connect()
    // A new group has no committed offsets: start from the beginning so that orders placed
    // before the service came up are not skipped (the default would be the log end).
    await this.consumer.subscribe({ topics: [Topics.orderEvents, Topics.orderConfirmations], fromBeginning: true })
    await this.consumer.run({ eachMessage: (payload) => this.handle(payload) })
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect()
    await this.producer.disconnect()
  }

  /** Units in stock now (reserved units excluded), by SKU. */
  stockLevels(): Record<string, number> {
    return Object.fromEntries(this.stock)
  }

  /** Orders holding a reservation whose outcome is not known yet. */
  openReservations(): string[] {
    return [...this.reservations.keys()]
  }

  private async handle({ topic, message }: EachMessagePayload): Promise<void> {
    if (topic === Topics.orderEvents) await this.reserve(decode<OrderPlaced>(message.value))
    else if (topic === Topics.orderConfirmations) this.settleReservation(decode<OrderConfirmation>(message.value))
  }

  private async reserve(order: OrderPlaced): Promise<void> {
    let status = this.decisions.get(order.orderId)
    if (!status) {
      status = this.tryReserve(order)
      this.decisions.set(order.orderId, status)
      this.trace('inventory', status.ok ? `${order.orderId} reserved` : `${order.orderId} out of stock (${status.reason})`)
    }
    await this.producer.send({
      topic: Topics.inventoryStatus,
      messages: [{ key: order.orderId, value: encode(status) }],
    })
  }

  /** All lines or none: an order is never half-reserved. */
  private tryReserve(order: OrderPlaced): InventoryStatus {
    const wanted = new Map<string, number>()
    for (const line of order.items) wanted.set(line.sku, (wanted.get(line.sku) ?? 0) + line.quantity)
    for (const [sku, quantity] of wanted) {
      const available = this.stock.get(sku) ?? 0
      if (quantity > available) {
        return { orderId: order.orderId, ok: false, reason: `${sku}: ${quantity} wanted, ${available} in stock` }
      }
    }
    for (const [sku, quantity] of wanted) this.stock.set(sku, (this.stock.get(sku) ?? 0) - quantity)
    this.reservations.set(order.orderId, wanted)
    return { orderId: order.orderId, ok: true }
  }

  private settleReservation(confirmation: OrderConfirmation): void {
    const reserved = this.reservations.get(confirmation.orderId)
    if (!reserved) return
    this.reservations.delete(confirmation.orderId)
    if (confirmation.status === 'confirmed') return
    for (const [sku, quantity] of reserved) this.stock.set(sku, (this.stock.get(sku) ?? 0) + quantity)
    this.trace('inventory', `${confirmation.orderId} released its reservation (order ${confirmation.reason})`)
  }
}
