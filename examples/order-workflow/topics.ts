/**
 * The contract between the services of the order workflow: the topic names and the JSON
 * messages each topic carries. Every message is keyed by its orderId, so the default
 * partitioner (murmur2 of the key, modulo the partition count) puts all of one order's events
 * in the same partition of each topic, and Kafka keeps them in order there. With the same
 * partition count everywhere, an order even lands in the same partition number in every topic
 * (the topics are co-partitioned).
 */

export const Topics = {
  orderEvents: 'order-events',
  inventoryStatus: 'inventory-status',
  paymentStatus: 'payment-status',
  shippingStatus: 'shipping-status',
  orderConfirmations: 'order-confirmations',
} as const

export type TopicName = (typeof Topics)[keyof typeof Topics]

export const allTopics: readonly TopicName[] = Object.values(Topics)

export interface OrderLine {
  readonly sku: string
  readonly quantity: number
  /** Whole dollars, to keep the example's arithmetic exact. */
  readonly unitPrice: number
}

export interface ShippingAddress {
  readonly name: string
  readonly street: string
  readonly city: string
  readonly country: string
}

/** order-events: a customer placed an order. */
export interface OrderPlaced {
  readonly type: 'OrderPlaced'
  readonly orderId: string
  readonly customerId: string
  readonly items: readonly OrderLine[]
  /** Sum of quantity x unitPrice, in whole dollars. */
  readonly amount: number
  readonly cardNumber: string
  readonly shipTo: ShippingAddress
}

/** inventory-status: stock was reserved for the whole order, or not. */
export interface InventoryStatus {
  readonly orderId: string
  readonly ok: boolean
  readonly reason?: string
}

/** payment-status: the payment was authorised, or declined. */
export interface PaymentStatus {
  readonly orderId: string
  readonly ok: boolean
  readonly reason?: string
}

/** shipping-status: shipping was prepared (carrier and tracking id), or cannot be. */
export interface ShippingStatus {
  readonly orderId: string
  readonly ok: boolean
  readonly carrier?: string
  readonly trackingId?: string
  readonly reason?: string
}

/** Why an order was rejected; the first failing step in workflow order wins. */
export type RejectionReason = 'out-of-stock' | 'payment-declined' | 'shipping-unavailable'

/** order-confirmations: the outcome of an order once every step has reported. */
export type OrderConfirmation =
  | { readonly orderId: string; readonly status: 'confirmed' }
  | { readonly orderId: string; readonly status: 'rejected'; readonly reason: RejectionReason; readonly detail?: string }

/** Messages travel as UTF-8 JSON. */
export function encode(message: object): string {
  return JSON.stringify(message)
}

export function decode<T>(value: Buffer | null): T {
  if (value === null) throw new Error('order workflow messages are never tombstones')
  return JSON.parse(value.toString('utf8')) as T
}
