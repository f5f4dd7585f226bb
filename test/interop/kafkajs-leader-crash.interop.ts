/**
 * The real kafkajs 2.2.4 as the judge of one of memkafka's fault scenarios (issue 17): a
 * partition leader crashes while a producer keeps sending with acks=-1 and kafkajs's default
 * retries. Against Kafka, the controller fences the crashed broker only after
 * broker.session.timeout.ms (9 s); kafkajs refreshes metadata right after each failed attempt and
 * then backs off (about 0.3 + 0.6 + 1.2 + 2.4 + 4.8 s), so the attempt that follows its longest
 * back-off still uses metadata read about 4.5 s after the crash, which names the dead leader.
 * The send started at the crash therefore fails with KafkaJSNumberOfRetriesExceeded; the
 * application's next send finds the new leader. The in-process facade must do the same, on
 * virtual time (test/client/self-advancing-clock.test.ts asserts it there); this file runs the
 * real client over TCP against a wall-clock cluster, so it takes about 10 s of real time.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { Kafka, logLevel } from 'kafkajs'
import { Cluster } from '../../src/index.js'

const closers: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close().catch(() => {})
})

describe('kafkajs 2.2.4 over TCP: a partition leader crashes under acks=-1 with default retries', () => {
  it('the send started at the crash exhausts its retries before the leader is elected; every acknowledged write is read back', { timeout: 60_000 }, async () => {
    const cluster = new Cluster({ brokers: 3, clock: 'system', seed: 2, brokerConfig: { 'min.insync.replicas': 2, 'group.initial.rebalance.delay.ms': 0 } })
    closers.push(() => cluster.close())
    const server = await cluster.listen({ port: 0, host: '127.0.0.1' })
    closers.push(() => server.close())
    const kafka = new Kafka({ clientId: 'crash-judge', brokers: server.bootstrapBrokers, logLevel: logLevel.NOTHING })
    const admin = kafka.admin()
    await admin.connect()
    closers.push(() => admin.disconnect())
    await admin.createTopics({ topics: [{ topic: 'payments', numPartitions: 1, replicationFactor: 3 }], waitForLeaders: true })
    const producer = kafka.producer()
    await producer.connect()
    closers.push(() => producer.disconnect())

    const acknowledged: string[] = []
    const failures: { index: number; name: string; afterMs: number }[] = []
    let crashedAt = 0
    let crashed = -1
    for (let i = 0; i < 20; i++) {
      if (i === 10) {
        crashed = cluster.describe().topics.find((t) => t.name === 'payments')!.partitions[0]!.leader!
        crashedAt = cluster.clock.now()
        cluster.stopBroker(crashed, { crash: true })
      }
      for (;;) {
        try {
          await producer.send({ topic: 'payments', acks: -1, messages: [{ value: `v${i}` }] })
          break
        } catch (error) {
          failures.push({ index: i, name: (error as Error).name, afterMs: cluster.clock.now() - crashedAt })
        }
      }
      acknowledged.push(`v${i}`)
    }

    // Exactly the send started at the crash failed, once, after kafkajs's whole back-off
    // (each of the five waits is randomised by +-20%, so 7.4 s to 11.2 s in all)...
    expect(failures.map((f) => [f.index, f.name])).toEqual([[10, 'KafkaJSNumberOfRetriesExceeded']])
    expect(failures[0]!.afterMs).toBeGreaterThan(7_000)
    // ...and the controller fenced the crashed broker once, after broker.session.timeout.ms.
    const fenced = cluster.timeline({ types: ['brokerFenced'] })
    expect(fenced).toHaveLength(1)
    const leader = cluster.describe().topics.find((t) => t.name === 'payments')!.partitions[0]!.leader
    expect(leader).not.toBe(crashed)

    const seen: string[] = []
    const consumer = kafka.consumer({ groupId: 'crash-judge-reader' })
    await consumer.connect()
    closers.push(() => consumer.disconnect())
    await consumer.subscribe({ topic: 'payments', fromBeginning: true })
    await consumer.run({ eachMessage: async ({ message }) => void seen.push(message.value!.toString()) })
    const deadline = Date.now() + 20_000
    while (seen.length < acknowledged.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
    for (const value of acknowledged) expect(seen).toContain(value)
    cluster.checkInvariants()
  })
})
