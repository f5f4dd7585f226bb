/**
 * The default clock runs itself (issue 17): with Kafka's default timings, the waits a test
 * author would otherwise sit through (a rebalance per join, broker fencing, session and
 * transaction timeouts) cost no real time, because the clock jumps to the next timer whenever
 * nothing else can progress. Each test shows virtual time passing far beyond what the test's
 * own timeout would allow on the wall clock.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { AutoClock, Cluster, logLevel, type Consumer, type EachMessagePayload } from '../../src/index.js'

const clusters: Cluster[] = []
const clients: { disconnect(): Promise<void> }[] = []

afterEach(async () => {
  for (const c of clients.splice(0).reverse()) await c.disconnect().catch(() => {})
  for (const c of clusters.splice(0)) await c.close()
})

function start(options: ConstructorParameters<typeof Cluster>[0] = {}): Cluster {
  const cluster = new Cluster(options)
  clusters.push(cluster)
  return cluster
}

/** Three brokers, min.insync.replicas=2, topic 'payments' (RF 3) and a connected kafkajs producer. */
async function paymentsOnThreeBrokers() {
  const cluster = start({ brokers: 3, seed: 2, brokerConfig: { 'min.insync.replicas': 2 } })
  const kafka = cluster.kafka({ clientId: 'app', logLevel: logLevel.NOTHING })
  const admin = kafka.admin()
  clients.push(admin)
  await admin.connect()
  await admin.createTopics({ topics: [{ topic: 'payments', numPartitions: 1, replicationFactor: 3 }] })
  const producer = kafka.producer()
  clients.push(producer)
  await producer.connect()
  return { cluster, kafka, producer }
}

describe('the default clock runs itself', () => {
  it('is an AutoClock unless told otherwise', () => {
    expect(start().clock).toBeInstanceOf(AutoClock)
  })

  it("never jumps while a consumer's handlers run, for every batch of a fetch, and holds it no longer once they are done", { timeout: 20_000 }, async () => {
    const cluster = start({ seed: 1 })
    const kafka = cluster.kafka({ clientId: 'app', logLevel: logLevel.NOTHING })
    const admin = kafka.admin()
    clients.push(admin)
    await admin.connect()
    await admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 3 }] })
    const producer = kafka.producer()
    clients.push(producer)
    await producer.connect()
    // One record in each partition before the consumer starts: its first fetch brings all three.
    await producer.send({ topic: 'orders', messages: [0, 1, 2].map((partition) => ({ value: `o${partition}`, partition })) })
    const consumer = kafka.consumer({ groupId: 'g' })
    clients.push(consumer)
    await consumer.connect()
    await consumer.subscribe({ topic: 'orders', fromBeginning: true })
    const skipped: number[] = []
    await consumer.run({
      eachBatch: async ({ batch }) => {
        const before = cluster.clock.now()
        // Whole quiet turns of the event loop, in which an unheld clock jumps to its next timer
        // (the coordinator's session timeout, seconds away).
        for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve))
        skipped[batch.partition] = cluster.clock.now() - before
      },
    })
    await cluster.settle()
    expect(skipped).toHaveLength(3)
    for (const ms of skipped) expect(ms).toBeLessThan(1_000)
    // The hold ended with the handlers.
    expect((cluster.clock as AutoClock).describe()).not.toContain('handler')
  })

  it('15 consumers joining one by one to a 10-partition topic: Stable, 5 of them idle', { timeout: 20_000 }, async () => {
    const cluster = start({ seed: 1 })
    const kafka = cluster.kafka({ clientId: 'app', logLevel: logLevel.NOTHING })
    const admin = kafka.admin()
    clients.push(admin)
    await admin.connect()
    await admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 10 }] })
    const t0 = cluster.clock.now()
    for (let i = 0; i < 15; i++) {
      const consumer = kafka.consumer({ groupId: 'g' })
      clients.push(consumer)
      await consumer.connect()
      await consumer.subscribe({ topic: 'orders' })
      await consumer.run({ eachMessage: async () => {} })
    }
    await cluster.settle()
    const group = cluster.describe().groups.find((g) => g.groupId === 'g')!
    expect(group.state).toBe('Stable')
    expect(group.members).toHaveLength(15)
    const current = group.members.map((m) => (m.assignment.orders ?? []).length)
    expect(current.filter((n) => n === 0)).toHaveLength(5)
    expect(current.filter((n) => n === 1)).toHaveLength(10)
    // Every join after the first waited for the other members' next heartbeat (3 s by default):
    // far more virtual time than the test's real-time budget.
    expect(cluster.clock.now() - t0).toBeGreaterThan(30_000)
  })

  it('a partition leader crashes while a producer keeps sending with acks=-1 and default retries: as with the real kafkajs, only the send started at the crash fails, the leader moves after broker.session.timeout.ms, every acknowledged write is read back', { timeout: 20_000 }, async () => {
    const { cluster, kafka, producer } = await paymentsOnThreeBrokers()
    const acknowledged: string[] = []
    const failures: [number, string][] = []
    const t0 = cluster.clock.now()
    let crashedAt = 0
    for (let i = 0; i < 40; i++) {
      if (i === 10) {
        crashedAt = cluster.clock.now()
        cluster.stopBroker(cluster.describe().topics.find((t) => t.name === 'payments')!.partitions[0]!.leader!, { crash: true })
      }
      // kafkajs's default retries back off for about 9.3 s in all and refresh metadata right
      // after each failed attempt, so the last attempt still uses metadata read about 4.5 s after
      // the crash, before the controller fences the broker at 9 s: the send started at the crash
      // fails, and the application's next send finds the new leader. The real kafkajs 2.2.4 does
      // exactly this over TCP (test/interop/kafkajs-leader-crash.interop.ts).
      for (;;) {
        try {
          await producer.send({ topic: 'payments', acks: -1, messages: [{ value: `v${i}` }] })
          break
        } catch (error) {
          failures.push([i, (error as Error).name])
          expect(cluster.clock.now() - crashedAt).toBeGreaterThan(7_000)
        }
      }
      acknowledged.push(`v${i}`)
    }
    expect(failures).toEqual([[10, 'KafkaJSNumberOfRetriesExceeded']])
    // The crash was noticed after broker.session.timeout.ms (9 s) of virtual time.
    expect(cluster.timeline({ types: ['brokerFenced'] })).toHaveLength(1)
    expect(cluster.clock.now() - t0).toBeGreaterThanOrEqual(9_000)
    const seen: string[] = []
    const consumer = kafka.consumer({ groupId: 'reader' })
    clients.push(consumer)
    await consumer.connect()
    await consumer.subscribe({ topic: 'payments', fromBeginning: true })
    await consumer.run({ eachMessage: async ({ message }) => void seen.push(message.value!.toString()) })
    await cluster.settle()
    for (const value of acknowledged) expect(seen).toContain(value)
  })

  it('a partition leader shut down cleanly while a producer keeps sending with acks=-1 and default retries: leadership moves at once and every send succeeds', { timeout: 20_000 }, async () => {
    const { cluster, kafka, producer } = await paymentsOnThreeBrokers()
    const acknowledged: string[] = []
    let stopped = -1
    for (let i = 0; i < 40; i++) {
      if (i === 10) {
        stopped = cluster.describe().topics.find((t) => t.name === 'payments')!.partitions[0]!.leader!
        // A controlled shutdown (SIGTERM to a Kafka broker): it hands its leaderships over
        // before it goes, so kafkajs's retries find the new leader on their first refresh.
        cluster.stopBroker(stopped)
      }
      await producer.send({ topic: 'payments', acks: -1, messages: [{ value: `v${i}` }] })
      acknowledged.push(`v${i}`)
    }
    expect(cluster.describe().topics.find((t) => t.name === 'payments')!.partitions[0]!.leader).not.toBe(stopped)
    const seen: string[] = []
    const consumer = kafka.consumer({ groupId: 'reader' })
    clients.push(consumer)
    await consumer.connect()
    await consumer.subscribe({ topic: 'payments', fromBeginning: true })
    await consumer.run({ eachMessage: async ({ message }) => void seen.push(message.value!.toString()) })
    await cluster.settle()
    expect(seen.sort()).toEqual(acknowledged.sort())
  })

  it('a consumer that stops heartbeating is expelled after session.timeout.ms and its partitions move', { timeout: 20_000 }, async () => {
    const cluster = start({ seed: 3 })
    const app = cluster.kafka({ clientId: 'app', logLevel: logLevel.NOTHING })
    const admin = app.admin()
    clients.push(admin)
    await admin.connect()
    await admin.createTopics({ topics: [{ topic: 'events', numPartitions: 2 }] })
    const readBy = new Map<string, Set<number>>()
    const consumers: Consumer[] = []
    for (const clientId of ['alive', 'hung']) {
      const consumer = cluster.kafka({ clientId, logLevel: logLevel.NOTHING }).consumer({ groupId: 'g' })
      clients.push(consumer)
      consumers.push(consumer)
      readBy.set(clientId, new Set())
      await consumer.connect()
      // From the beginning: a partition that moves without a committed offset is read from its start.
      await consumer.subscribe({ topic: 'events', fromBeginning: true })
      await consumer.run({ eachMessage: async ({ partition }: EachMessagePayload) => void readBy.get(clientId)!.add(partition) })
    }
    await cluster.settle()
    cluster.pauseClient('hung')
    try {
      const pausedAt = cluster.clock.now()
      const producer = app.producer()
      clients.push(producer)
      await producer.connect()
      await producer.send({ topic: 'events', messages: [{ value: 'a', partition: 0 }, { value: 'b', partition: 1 }] })
      await cluster.settle()
      // The hung member's partition moved to the live one, after kafkajs's sessionTimeout (30 s),
      // which read what the hung one could not commit.
      expect(readBy.get('alive')).toEqual(new Set([0, 1]))
      const removed = cluster.timeline({ types: ['memberRemoved'] })
      expect(removed).toHaveLength(1)
      // The session times out 30 s after the member's last heartbeat, which came at most one
      // heartbeat interval (kafkajs: 3 s) before the pause.
      expect(removed[0]!.time - pausedAt).toBeGreaterThanOrEqual(30_000 - 3_000)
      const group = cluster.describe().groups.find((g) => g.groupId === 'g')!
      expect(group.members.map((m) => m.clientId)).toEqual(['alive'])
    } finally {
      cluster.resumeClient('hung')
    }
  })

  it('a transaction left open is aborted after transaction.timeout.ms, and a read_committed consumer reads past it', { timeout: 20_000 }, async () => {
    const cluster = start({ seed: 4 })
    const kafka = cluster.kafka({ clientId: 'app', logLevel: logLevel.NOTHING })
    const admin = kafka.admin()
    clients.push(admin)
    await admin.connect()
    await admin.createTopics({ topics: [{ topic: 'ledger', numPartitions: 1 }] })
    const producer = kafka.producer({ transactionalId: 'tx', idempotent: true, maxInFlightRequests: 1 })
    clients.push(producer)
    await producer.connect()
    const txn = await producer.transaction()
    await txn.send({ topic: 'ledger', messages: [{ value: 'never committed' }] })
    const plain = kafka.producer()
    clients.push(plain)
    await plain.connect()
    await plain.send({ topic: 'ledger', messages: [{ value: 'after' }] })
    const seen: string[] = []
    const consumer = kafka.consumer({ groupId: 'g', readUncommitted: false })
    clients.push(consumer)
    await consumer.connect()
    await consumer.subscribe({ topic: 'ledger', fromBeginning: true })
    const t0 = cluster.clock.now()
    await consumer.run({ eachMessage: async ({ message }) => void seen.push(message.value!.toString()) })
    await cluster.settle()
    expect(seen).toEqual(['after'])
    const ended = cluster.timeline({ types: ['txnEnded'] })
    expect(ended).toMatchObject([{ transactionalId: 'tx', result: 'abort' }])
    // kafkajs's transactionTimeout: 60 s.
    expect(cluster.clock.now() - t0).toBeGreaterThanOrEqual(50_000)
  })

  it('200 members join one by one', { timeout: 60_000 }, async () => {
    const cluster = start({ seed: 5 })
    const kafka = cluster.kafka({ clientId: 'app', logLevel: logLevel.NOTHING })
    const admin = kafka.admin()
    clients.push(admin)
    await admin.connect()
    await admin.createTopics({ topics: [{ topic: 'wide', numPartitions: 200 }] })
    for (let i = 0; i < 200; i++) {
      const consumer = kafka.consumer({ groupId: 'g' })
      clients.push(consumer)
      await consumer.connect()
      await consumer.subscribe({ topic: 'wide' })
      await consumer.run({ eachMessage: async () => {} })
    }
    await cluster.settle()
    const group = cluster.describe().groups.find((g) => g.groupId === 'g')!
    expect(group.state).toBe('Stable')
    expect(group.members).toHaveLength(200)
  })
})
