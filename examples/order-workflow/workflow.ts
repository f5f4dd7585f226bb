/**
 * The order workflow, wired: the topics and the five services, each with its own producer and
 * consumer group. Given any kafkajs `Kafka` (memkafka's or a real cluster's), createWorkflow
 * returns the services and start/stop; the sample data below drives the demo and the test.
 */
import type { Kafka } from 'kafkajs'
import { allTopics } from './topics.js'
import { silent, type Trace } from './trace.js'
import { OrderService, type NewOrder } from './order-service.js'
import { InventoryService } from './inventory-service.js'
import { PaymentService, type Customer } from './payment-service.js'
import { ShippingService } from './shipping-service.js'
import { ConfirmationService } from './confirmation-service.js'

export interface WorkflowOptions {
  readonly trace?: Trace
  readonly stock?: Readonly<Record<string, number>>
  readonly customers?: Readonly<Record<string, Customer>>
  readonly carriers?: Readonly<Record<string, string>>
  /** Partitions per topic. Default 3. */
  readonly partitions?: number
  /** Replicas per partition. Default 3 (needs as many brokers). */
  readonly replicationFactor?: number
}

export interface Workflow {
  readonly orders: OrderService
  readonly inventory: InventoryService
  readonly payment: PaymentService
  readonly shipping: ShippingService
  readonly confirmation: ConfirmationService
  /** Creates the topics (if missing) and starts every service. */
  start(): Promise<void>
  /** Disconnects every service's consumer and producer. */
  stop(): Promise<void>
}

export function createWorkflow(kafka: Kafka, options: WorkflowOptions = {}): Workflow {
  const trace = options.trace ?? silent
  const orders = new OrderService(kafka, { trace })
  const inventory = new InventoryService(kafka, { stock: options.stock ?? sampleStock, trace })
  const payment = new PaymentService(kafka, { customers: options.customers ?? sampleCustomers, trace })
  const shipping = new ShippingService(kafka, { carriers: options.carriers ?? sampleCarriers, trace })
  const confirmation = new ConfirmationService(kafka, { trace })
  const services = [orders, inventory, payment, shipping, confirmation]

  return {
    orders,
    inventory,
    payment,
    shipping,
    confirmation,
    async start() {
      const admin = kafka.admin()
      await admin.connect()
      try {
        // Created up front rather than auto-created on first use: every topic needs the same
        // partition count for the keyed join (see confirmation-service.ts), and RF 3 means an
        // acknowledged (acks=-1) event survives the loss of any one broker.
        await admin.createTopics({
          waitForLeaders: true,
          topics: allTopics.map((topic) => ({
            topic,
            numPartitions: options.partitions ?? 3,
            replicationFactor: options.replicationFactor ?? 3,
          })),
        })
      } finally {
        await admin.disconnect()
      }
      await Promise.all(services.map((service) => service.start()))
    },
    async stop() {
      await Promise.all(services.map((service) => service.stop()))
    },
  }
}

export const sampleStock: Readonly<Record<string, number>> = {
  widget: 100,
  gadget: 5,
  gizmo: 20,
}

export const sampleCustomers: Readonly<Record<string, Customer>> = {
  'c-alice': { limit: 500 },
  'c-bob': { limit: 200 },
  'c-carol': { limit: 1000, flaggedCards: ['4000-0000-0000-0002'] },
  'c-dave': { limit: 50 },
}

export const sampleCarriers: Readonly<Record<string, string>> = {
  US: 'UPS',
  DE: 'DHL',
  FR: 'Colissimo',
}

const aliceHome = { name: 'Alice', street: '1 Main St', city: 'Springfield', country: 'US' }
const bobHome = { name: 'Bob', street: '12 Hauptstrasse', city: 'Berlin', country: 'DE' }
const carolHome = { name: 'Carol', street: '3 rue de Rivoli', city: 'Paris', country: 'FR' }
const daveHome = { name: 'Dave', street: '9 Elm St', city: 'Portland', country: 'US' }

/**
 * Eight orders: five go through, o-5003 wants more gadgets than exist (out of stock), o-5004 is
 * over Dave's limit and o-5006 uses Carol's flagged card (payment declined). The outcomes do
 * not depend on the order in which partitions are processed: the out-of-stock order asks for
 * more than the whole stock, and the rest fit together.
 */
export const sampleOrders: readonly NewOrder[] = [
  { orderId: 'o-5001', customerId: 'c-alice', cardNumber: '4111-1111-1111-1111', shipTo: aliceHome, items: [{ sku: 'widget', quantity: 2, unitPrice: 20 }] },
  { orderId: 'o-5002', customerId: 'c-bob', cardNumber: '5500-0000-0000-0004', shipTo: bobHome, items: [{ sku: 'gizmo', quantity: 1, unitPrice: 35 }] },
  { orderId: 'o-5003', customerId: 'c-carol', cardNumber: '3400-0000-0000-0009', shipTo: carolHome, items: [{ sku: 'gadget', quantity: 10, unitPrice: 15 }] },
  { orderId: 'o-5004', customerId: 'c-dave', cardNumber: '6011-0000-0000-0004', shipTo: daveHome, items: [{ sku: 'widget', quantity: 3, unitPrice: 20 }] },
  {
    orderId: 'o-5005',
    customerId: 'c-alice',
    cardNumber: '4111-1111-1111-1111',
    shipTo: aliceHome,
    items: [
      { sku: 'gadget', quantity: 1, unitPrice: 15 },
      { sku: 'gizmo', quantity: 2, unitPrice: 35 },
    ],
  },
  { orderId: 'o-5006', customerId: 'c-carol', cardNumber: '4000-0000-0000-0002', shipTo: carolHome, items: [{ sku: 'widget', quantity: 1, unitPrice: 20 }] },
  { orderId: 'o-5007', customerId: 'c-bob', cardNumber: '5500-0000-0000-0004', shipTo: bobHome, items: [{ sku: 'widget', quantity: 4, unitPrice: 20 }] },
  { orderId: 'o-5008', customerId: 'c-dave', cardNumber: '6011-0000-0000-0004', shipTo: daveHome, items: [{ sku: 'gizmo', quantity: 1, unitPrice: 35 }] },
]
