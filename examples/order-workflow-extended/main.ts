/**
 * Concept 12: the order workflow, extended.
 *
 * The e-commerce workflow of ../order-workflow (order, inventory, payment, shipping and
 * confirmation services talking through Kafka) with two changes: the confirmation service
 * publishes each order's outcome exactly once (consume, produce and commit in one transaction,
 * see transactional-confirmation-service.ts), and a broker crashes halfway through the orders.
 * Every order still reaches its outcome, with one confirmation each: the leaders move, the
 * clients retry and follow them, and nothing acknowledged is lost (acks=all, RF 3).
 *
 *   npm run example -- order-workflow-extended
 */
import type { Cluster } from '../../src/index.js'
import { defineExample, type ExampleContext } from '../kit/example.js'
import { runIfMain } from '../kit/cli.js'
import { OrderService, type OrderRecord } from '../order-workflow/order-service.js'
import { InventoryService } from '../order-workflow/inventory-service.js'
import { PaymentService } from '../order-workflow/payment-service.js'
import { ShippingService } from '../order-workflow/shipping-service.js'
import { Topics, allTopics, decode, type OrderConfirmation } from '../order-workflow/topics.js'
import { sampleCarriers, sampleCustomers, sampleOrders, sampleStock } from '../order-workflow/workflow.js'
import { TransactionalConfirmationService } from './transactional-confirmation-service.js'

export interface ExtendedWorkflowResult {
  readonly orders: { orderId: string; status: string; reason?: string }[]
  /** Confirmations per order, as read_committed and read_uncommitted readers see them. */
  readonly committedConfirmations: Record<string, number>
  readonly uncommittedConfirmations: Record<string, number>
  readonly stock: Record<string, number>
  readonly captured: number
  readonly waiting: string[]
  /** Leaders that moved off the crashed broker: topic-partition -> new leader. */
  readonly movedLeaders: Record<string, number>
  readonly crashedAt: number
  readonly crashedBroker: number
  /** When the transaction that was writing at the crash committed. */
  readonly inFlightCommittedAt: number
  readonly abortedTransactions: number
}

const example = defineExample<ExtendedWorkflowResult>({
  name: 'order-workflow-extended',
  title: 'The order workflow, with exactly-once confirmations and a broker crash',
  async run(ctx) {
    const cluster = ctx.cluster({ brokers: 3, seed: 12 })
    // Retries that outlast the controller noticing a crash (broker.session.timeout.ms, 9 s).
    const kafka = ctx.kafka(cluster, 'order-workflow', { retry: { retries: 10 } })
    const trace: string[] = []
    const say = (service: string, line: string): void => void trace.push(`t=${String(cluster.clock.now()).padEnd(6)} [${service}] ${line}`)
    const orders = new OrderService(kafka, { trace: say })
    const inventory = new InventoryService(kafka, { stock: sampleStock, trace: say })
    const payment = new PaymentService(kafka, { customers: sampleCustomers, trace: say })
    const shipping = new ShippingService(kafka, { carriers: sampleCarriers })
    const confirmation = new TransactionalConfirmationService(kafka, { trace: say })
    const services = [orders, inventory, payment, shipping, confirmation]
    ctx.defer(() => Promise.all(services.map((s) => s.stop())))

    const admin = kafka.admin()
    await admin.connect()
    ctx.defer(() => admin.disconnect())
    await admin.createTopics({ topics: allTopics.map((topic) => ({ topic, numPartitions: 3, replicationFactor: 3 })) })
    await ctx.drive(cluster, Promise.all(services.map((s) => s.start())), 'the services start')
    await cluster.settle()

    // --- The first half of the orders ------------------------------------------------------------------
    ctx.part('first-half', 'Four orders on a healthy cluster')
    for (const order of sampleOrders.slice(0, 4)) await orders.placeOrder(order)
    await cluster.settle()
    ctx.log(trace.splice(0).join('\n'))

    // --- A broker crashes ---------------------------------------------------------------------------------
    ctx.part('crash', 'A broker crashes in the middle of a confirmation transaction; four more orders')
    // The crash is timed by the request boundary: the first confirmation written inside a
    // transaction finds its leader dying (the request is lost with the broker's connections).
    let crashed: { broker: number; at: number; led: string[]; partition: string } | undefined
    const removeHook = cluster.intercept('Produce', ({ request, brokerId }) => {
      const confirmations = request.topics.find((t) => t.name === Topics.orderConfirmations)
      if (crashed || !request.transactionalId || !confirmations) return undefined
      crashed = { broker: brokerId, at: cluster.clock.now(), led: leadersOn(cluster, brokerId), partition: `${Topics.orderConfirmations}-${confirmations.partitions[0]!.index}` }
      cluster.stopBroker(brokerId, { crash: true })
      return { disconnect: true }
    })
    // Placing an order waits for its partition's leader: the controller elects new ones after
    // the session timeout, and the producer's retries carry the send across.
    await ctx.drive(
      cluster,
      (async () => {
        for (const order of sampleOrders.slice(4)) await orders.placeOrder(order)
      })(),
      'the second half of the orders is placed',
      { stepMs: 100 },
    )
    await ctx.until(cluster, () => orders.list().every((o) => o.state.status !== 'pending'), 'every order has its outcome', { stepMs: 100 })
    await cluster.settle()
    removeHook()
    if (!crashed) throw new Error('no confirmation was written after the first half: nothing crashed')
    const { broker: crashedBroker, at: crashedAt, led, partition } = crashed
    const movedLeaders: Record<string, number> = {}
    for (const tp of led) movedLeaders[tp] = leaderOf(cluster, tp)
    const commitAfter = cluster
      .timeline({ types: ['txnEnded'] })
      .find((e) => e.type === 'txnEnded' && e.time > crashedAt && e.partitions.some((p) => `${p.topic}-${p.partition}` === partition))
    ctx.log(trace.splice(0).join('\n'))
    ctx.log()
    ctx.log(`At t=${crashedAt} the confirmation service, inside a transaction, sent a confirmation to ${partition};`)
    ctx.log(`broker ${crashedBroker}, its leader, crashed as the request arrived. It led ${led.length} partitions:`)
    ctx.log(`  ${led.join(', ')}`)
    ctx.log('The controller, from the timeline:')
    ctx.story(cluster, { since: crashedAt, types: ['brokerStopped', 'brokerFenced', 'leaderElected', 'partitionOffline'] })
    ctx.log('The transaction stayed open while its producer retried; once the new leader was known it')
    ctx.log(`wrote the confirmation there (same producer id and sequence: never twice) and committed at t=${commitAfter?.time ?? -1}.`)
    ctx.log("The other services' producers and consumers retried too, and found the new leaders through")
    ctx.log('fresh metadata: every order placed during the outage got its outcome.')

    // --- The broker returns ----------------------------------------------------------------------------------
    ctx.part('recovery', 'The broker returns')
    cluster.startBroker(crashedBroker)
    await ctx.until(cluster, () => cluster.describe().topics.every((t) => t.partitions.every((p) => p.isr.length === p.replicas.length)), 'every replica back in sync', { stepMs: 100 })
    await cluster.settle()
    const underReplicated = cluster.describe().topics.flatMap((t) => t.partitions.filter((p) => p.isr.length < p.replicas.length))
    ctx.log(`Broker ${crashedBroker} restarts, catches up, and rejoins every ISR (${underReplicated.length} partitions under-replicated now).`)

    // --- The outcome ----------------------------------------------------------------------------------------
    ctx.part('outcome', 'Every order has one outcome')
    const committed = await countConfirmations(ctx, cluster, 'audit-committed', false)
    const uncommitted = await countConfirmations(ctx, cluster, 'audit-uncommitted', true)
    ctx.log(formatOrders(orders.list(), committed))
    ctx.log()
    ctx.log(`Stock left: ${Object.entries(inventory.stockLevels()).map(([sku, n]) => `${sku} ${n}`).join(', ')}`)
    ctx.log(`Payments captured: $${payment.captured()}`)
    const total = (counts: Record<string, number>): number => Object.values(counts).reduce((a, b) => a + b, 0)
    ctx.log(`Confirmations in order-confirmations: ${total(committed)} for ${sampleOrders.length} orders as read_committed readers see them,`)
    ctx.log(`${total(uncommitted)} with aborted transactions' records too (read_uncommitted). Transactions the confirmation`)
    ctx.log(`service aborted and redid: ${confirmation.abortedTransactions}.`)
    ctx.log()
    const view = cluster.format()
    ctx.log(view.slice(view.indexOf('Group confirmation-service'), view.indexOf('Group inventory-service')).trimEnd())

    return {
      orders: orders.list().map(({ order, state }) => ({ orderId: order.orderId, status: state.status, ...(state.status === 'rejected' && { reason: state.reason }) })),
      committedConfirmations: committed,
      uncommittedConfirmations: uncommitted,
      stock: inventory.stockLevels(),
      captured: payment.captured(),
      waiting: confirmation.waiting(),
      movedLeaders,
      crashedAt,
      crashedBroker,
      inFlightCommittedAt: commitAfter?.time ?? -1,
      abortedTransactions: confirmation.abortedTransactions,
    }
  },
})

function leadersOn(cluster: Cluster, brokerId: number): string[] {
  return cluster
    .describe()
    .topics.filter((t) => !t.internal)
    .flatMap((t) => t.partitions.filter((p) => p.leader === brokerId).map((p) => `${t.name}-${p.partition}`))
}

function leaderOf(cluster: Cluster, topicPartition: string): number {
  const at = topicPartition.lastIndexOf('-')
  const topic = cluster.describe().topics.find((t) => t.name === topicPartition.slice(0, at))!
  return topic.partitions[Number(topicPartition.slice(at + 1))]!.leader
}

/** Confirmations per order id in order-confirmations, as a new group reads them. */
async function countConfirmations(ctx: ExampleContext, cluster: Cluster, groupId: string, readUncommitted: boolean): Promise<Record<string, number>> {
  const consumer = ctx.kafka(cluster, groupId).consumer({ groupId, readUncommitted })
  const counts: Record<string, number> = {}
  await consumer.connect()
  await consumer.subscribe({ topics: [Topics.orderConfirmations], fromBeginning: true })
  await consumer.run({
    eachMessage: async ({ message }) => {
      const { orderId } = decode<OrderConfirmation>(message.value)
      counts[orderId] = (counts[orderId] ?? 0) + 1
    },
  })
  await cluster.settle()
  await consumer.disconnect()
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)))
}

function formatOrders(records: readonly OrderRecord[], confirmations: Record<string, number>): string {
  const rows = records.map(({ order, state }) => [
    order.orderId,
    order.customerId,
    `$${order.amount}`,
    state.status,
    state.status === 'rejected' ? state.reason : '',
    String(confirmations[order.orderId] ?? 0),
  ])
  const header = ['order', 'customer', 'amount', 'status', 'reason', 'confirmations']
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)))
  const line = (cells: readonly string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n')
}

export default example

await runIfMain(import.meta.url, example)
