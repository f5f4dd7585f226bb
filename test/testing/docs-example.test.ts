// example:start
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { Cluster, ManualClock, logLevel, type Kafka, type Producer } from '../../src/index.js'
import { HistoryRecorder, Nemesis, SIMULATION_BROKER_CONFIG, checkHistory, faultScheduleArbitrary, formatCheckResult, runUntil, runUntilSettled } from '../../src/testing/index.js'

/**
 * The service under test: it reads orders and writes an invoice for each, exactly once
 * (consume-transform-produce in Kafka transactions).
 */
async function startInvoicer(kafka: Kafka): Promise<{ stop(): Promise<void> }> {
  let producer: Producer | undefined
  const transactional = async (): Promise<Producer> => {
    if (!producer) {
      const fresh = kafka.producer({ transactionalId: 'invoicer', idempotent: true, maxInFlightRequests: 1 })
      await fresh.connect()
      producer = fresh
    }
    return producer
  }
  const consumer = kafka.consumer({ groupId: 'invoicer' })
  await consumer.connect()
  await consumer.subscribe({ topics: ['orders'], fromBeginning: true })
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ topic, partition, message }) => {
      const current = await transactional()
      const txn = await current.transaction()
      try {
        await txn.send({ topic: 'invoices', messages: [{ key: message.key, value: `invoice for ${message.value}` }] })
        await txn.sendOffsets({ consumerGroupId: 'invoicer', topics: [{ topic, partitions: [{ partition, offset: String(Number(message.offset) + 1) }] }] })
        await txn.commit()
      } catch (error) {
        // After a failed commit (or abort) kafkajs's producer can start no other transaction: a
        // new one (InitProducerId) fences it and ends what it left open.
        await txn.abort().catch(() => {
          producer = undefined
          void current.disconnect()
        })
        throw error // the consumer retries the message
      }
    },
  })
  return { stop: async () => void (await Promise.all([consumer.disconnect(), producer?.disconnect()])) }
}

describe('the invoicer under faults', () => {
  it('writes one invoice per order, whatever fails', async () => {
    const faults = faultScheduleArbitrary({ brokers: 3, kinds: ['stopBroker', 'startBroker', 'slowFollower', 'failRequests', 'electPreferredLeaders'] })
    await fc.assert(
      fc.asyncProperty(faults, fc.integer({ min: 1, max: 20 }), fc.nat(), async (schedule, orderCount, seed) => {
        const cluster = new Cluster({ brokers: 3, clock: new ManualClock(0), seed, brokerConfig: SIMULATION_BROKER_CONFIG })
        const recorder = new HistoryRecorder({ clock: cluster.clock })
        const kafka = recorder.kafka(cluster.kafka({ clientId: 'test', logLevel: logLevel.NOTHING }))
        const admin = kafka.admin()
        await admin.connect()
        await admin.createTopics({
          topics: ['orders', 'invoices'].map((topic) => ({ topic, numPartitions: 2, replicationFactor: 3, configEntries: [{ name: 'min.insync.replicas', value: '2' }] })),
        })
        await admin.disconnect()
        const invoicer = await startInvoicer(kafka)
        // The upstream shop retries long enough to outlast any fault of the schedule (kafkajs's
        // default, 5 retries, gives up after about 10 s without an in-sync quorum).
        const shop = kafka.producer({ idempotent: true, retry: { retries: 20 } })
        await shop.connect()

        // An order every 200 ms of virtual time, while the nemesis plays its schedule; then
        // every fault is lifted.
        const sending = (async () => {
          for (let i = 0; i < orderCount; i++) {
            await shop.send({ topic: 'orders', messages: [{ key: `customer-${i % 3}`, value: `order-${i}` }] })
            await new Promise<void>((resolve) => cluster.clock.setTimeout(resolve, 200))
          }
        })()
        const nemesis = new Nemesis(cluster, { recorder })
        await nemesis.play(schedule)
        await nemesis.recover()
        await runUntilSettled(cluster, sending, { maxMs: 120_000 })

        // Final reads: a read_committed consumer reads both topics to their end.
        const reader = kafka.consumer({ groupId: 'audit' })
        await reader.connect()
        await reader.subscribe({ topics: ['orders', 'invoices'], fromBeginning: true })
        let read = 0
        await reader.run({ eachMessage: async () => void read++ })
        await runUntil(cluster, () => read >= 2 * orderCount, { maxMs: 120_000, what: 'every order invoiced' })
        await cluster.advance(5_000) // a duplicate invoice would show up now

        const result = checkHistory(recorder.history(), { pipelines: [{ input: 'orders', output: 'invoices', transform: (order) => `invoice for ${order}` }] })
        expect(result.valid, formatCheckResult(result)).toBe(true)
        await runUntilSettled(cluster, Promise.all([invoicer.stop(), reader.disconnect(), shop.disconnect()]))
        await cluster.close()
      }),
    )
  }, 120_000)
})
// example:end

// docs/testing.md shows the example above; it must not drift from the code that runs.
describe('docs/testing.md', () => {
  it('shows this file\'s example, word for word (imports from the package)', async () => {
    const { readFileSync } = await import('node:fs')
    const doc = readFileSync(new URL('../../docs/testing.md', import.meta.url), 'utf8')
    const self = readFileSync(new URL(import.meta.url), 'utf8')
    const shown = doc.split('<!-- example: service-under-faults')[1]!.split('```ts\n')[1]!.split('\n```')[0]!
    const example = self.split('// example:start\n')[1]!.split('// example:end')[0]!.trimEnd()
    const asPackage = example.replace("from '../../src/testing/index.js'", "from 'memkafka/testing'").replace("from '../../src/index.js'", "from 'memkafka'")
    expect(shown).toBe(asPackage)
  })
})

// The example's check can fail: the same harness catches an at-least-once invoicer (a plain
// producer, offsets committed after the send) that fails once between its send and its commit.
describe('the same check on an at-least-once invoicer', () => {
  it('reports the invoice written twice (pipeline-duplicate)', async () => {
    const cluster = new Cluster({ brokers: 3, clock: new ManualClock(0), seed: 1, brokerConfig: SIMULATION_BROKER_CONFIG })
    const recorder = new HistoryRecorder({ clock: cluster.clock })
    const kafka = recorder.kafka(cluster.kafka({ clientId: 'test', logLevel: logLevel.NOTHING }))
    const admin = kafka.admin()
    await admin.connect()
    await admin.createTopics({ topics: ['orders', 'invoices'].map((topic) => ({ topic, numPartitions: 1, replicationFactor: 3 })) })
    await admin.disconnect()
    const producer = kafka.producer()
    const consumer = kafka.consumer({ groupId: 'invoicer' })
    await producer.connect()
    await consumer.connect()
    await consumer.subscribe({ topics: ['orders'], fromBeginning: true })
    let failed = false
    await consumer.run({
      eachMessage: async ({ message }) => {
        await producer.send({ topic: 'invoices', messages: [{ key: message.key, value: `invoice for ${message.value}` }] })
        if (message.value?.toString() === 'order-1' && !failed) {
          failed = true
          throw new Error('crashed after sending the invoice') // kafkajs delivers order-1 again
        }
      },
    })
    const shop = kafka.producer({ idempotent: true })
    await shop.connect()
    for (let i = 0; i < 3; i++) await shop.send({ topic: 'orders', messages: [{ key: `customer-${i}`, value: `order-${i}` }] })

    const reader = kafka.consumer({ groupId: 'audit' })
    await reader.connect()
    await reader.subscribe({ topics: ['orders', 'invoices'], fromBeginning: true })
    let read = 0
    await reader.run({ eachMessage: async () => void read++ })
    await runUntil(cluster, () => read >= 7, { maxMs: 60_000, what: 'three orders and four invoices read' })

    const result = checkHistory(recorder.history(), { pipelines: [{ input: 'orders', output: 'invoices', transform: (order) => `invoice for ${order}` }] })
    expect(result.valid).toBe(false)
    expect(result.anomalies.map((a) => [a.kind, a.values])).toEqual([['pipeline-duplicate', ['order-1', 'invoice for order-1']]])
    await runUntilSettled(cluster, Promise.all([consumer.disconnect(), producer.disconnect(), reader.disconnect(), shop.disconnect()]))
    await cluster.close()
  })
})
