/**
 * The order workflow demo (`npm run demo`): a 3-broker in-process cluster, the five services
 * of the e-commerce workflow, eight orders, a trace line per event, then the final order table
 * and the cluster's own view (leaders, ISR, watermarks, groups and their lag).
 *
 * Only this file knows about memkafka: the services take a kafkajs `Kafka`. Against a real
 * cluster, replace `cluster.kafka(...)` with `new Kafka({ clientId, brokers: [...] })` from
 * 'kafkajs' and wait for the confirmations instead of calling `cluster.settle()`.
 *
 * `npm run demo -- --ui [--ui-port P]` then keeps the cluster, its services and a web console
 * of it (docs/console.md) up until Ctrl-C, printing `console: http://localhost:P/`.
 */
import { Cluster, logLevel } from '../../src/index.js'
import { createWorkflow, sampleOrders } from './workflow.js'
import type { OrderRecord } from './order-service.js'

const args = process.argv.slice(2)
const withUi = args.includes('--ui')
const uiPortArg = args.indexOf('--ui-port')
const uiPort = uiPortArg >= 0 ? Number(args[uiPortArg + 1]) : 0

const cluster = new Cluster({ brokers: 3, seed: 1001 })
const kafka = cluster.kafka({ clientId: 'order-workflow', logLevel: logLevel.WARN })
const workflow = createWorkflow(kafka, {
  trace: (service, line) => console.log(`[${service}] ${line}`),
})

try {
  await workflow.start()
  for (const order of sampleOrders) await workflow.orders.placeOrder(order)
  // Every consumer group caught up and idle: every order has its outcome.
  await cluster.settle()

  console.log('\nOrders')
  console.log(formatOrders(workflow.orders.list()))
  console.log(`\nStock left: ${Object.entries(workflow.inventory.stockLevels()).map(([sku, n]) => `${sku} ${n}`).join(', ')}`)
  console.log(`Payments captured: $${workflow.payment.captured()}`)
  console.log()
  console.log(cluster.format())

  if (withUi) {
    const ui = await cluster.console({ port: uiPort })
    console.log(`\nconsole: ${ui.url}  (the services keep running; Ctrl-C to stop)`)
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve)
      process.once('SIGTERM', resolve)
    })
    await ui.close()
  }
} finally {
  await workflow.stop()
  await cluster.close()
}

function formatOrders(records: readonly OrderRecord[]): string {
  const rows = records.map(({ order, state }) => [
    order.orderId,
    order.customerId,
    order.items.map((line) => `${line.quantity} x ${line.sku}`).join(', '),
    `$${order.amount}`,
    state.status,
    state.status === 'rejected' ? `${state.reason}${state.detail ? ` (${state.detail})` : ''}` : '',
  ])
  const header = ['order', 'customer', 'items', 'amount', 'status', 'reason']
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)))
  const line = (cells: readonly string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n')
}
