/**
 * The real kafkajs 2.2.4 npm package (not memkafka's facade) against `cluster.listen()`, as a
 * user's service would use it: keys and headers survive the trip, a group consumer commits and
 * a restarted consumer resumes after its commit, a second consumer triggers a rebalance that
 * splits the partitions, and a read_committed consumer sees committed transactions only.
 */
import { Kafka, logLevel, type Consumer, type EachMessagePayload } from 'kafkajs'
import { describe, expect, it } from 'vitest'
import { cleanupAfterEach } from '../support/cleanup-after-each.js'
import { Cluster } from '../../src/client/cluster.js'
import { SystemClock } from '../../src/cluster/clock.js'

let cluster: Cluster | undefined
const cleanups = cleanupAfterEach(() => cluster)

async function served(): Promise<Kafka> {
  // A fast initial rebalance, as a test cluster would configure it.
  cluster = new Cluster({ brokers: 3, clock: new SystemClock(), seed: 7, brokerConfig: { 'group.initial.rebalance.delay.ms': 0 } as never })
  const server = await cluster.listen({ log: () => {} })
  cleanups.push(() => server.close())
  return new Kafka({ clientId: 'wire-e2e', brokers: server.bootstrapBrokers, logLevel: logLevel.NOTHING, retry: { retries: 5, initialRetryTime: 50 } })
}

async function createTopic(kafka: Kafka, topic: string, numPartitions: number): Promise<void> {
  const admin = kafka.admin()
  await admin.connect()
  await admin.createTopics({ topics: [{ topic, numPartitions, replicationFactor: 3 }], waitForLeaders: true })
  await admin.disconnect()
}

function track(consumer: Consumer): Consumer {
  cleanups.push(() => consumer.disconnect())
  return consumer
}

/** Runs `consumer` until `done` says so, collecting every message it is handed. */
async function consumeUntil(consumer: Consumer, done: (seen: EachMessagePayload[]) => boolean): Promise<EachMessagePayload[]> {
  const seen: EachMessagePayload[] = []
  await new Promise<void>((resolve, reject) => {
    consumer
      .run({
        eachMessage: async (payload) => {
          seen.push(payload)
          if (done(seen)) resolve()
        },
      })
      .catch(reject)
  })
  return seen
}

describe('the real kafkajs 2.2.4 over the wire', () => {
  it('keys and headers arrive; committed offsets are where a restarted group member resumes', async () => {
    const kafka = await served()
    await createTopic(kafka, 'events', 2)
    const producer = kafka.producer()
    await producer.connect()
    await producer.send({ topic: 'events', messages: Array.from({ length: 10 }, (_, i) => ({ key: `key-${i % 3}`, value: `value-${i}`, headers: { seq: String(i), origin: 'test' } })) })

    const first = track(kafka.consumer({ groupId: 'readers', maxWaitTimeInMs: 50 }))
    await first.connect()
    await first.subscribe({ topic: 'events', fromBeginning: true })
    const seen = await consumeUntil(first, (s) => s.length === 10)
    for (const { message } of seen) {
      const i = Number(message.headers!.seq!.toString())
      expect(message.value!.toString()).toBe(`value-${i}`)
      expect(message.key!.toString()).toBe(`key-${i % 3}`)
      expect(message.headers!.origin!.toString()).toBe('test')
    }
    // Same key, same partition, in order.
    for (const key of ['key-0', 'key-1', 'key-2']) {
      const sameKey = seen.filter((p) => p.message.key!.toString() === key)
      expect(new Set(sameKey.map((p) => p.partition)).size).toBe(1)
      const seqs = sameKey.map((p) => Number(p.message.headers!.seq!.toString()))
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b))
    }
    await first.disconnect()

    const admin = kafka.admin()
    await admin.connect()
    const committed = await admin.fetchOffsets({ groupId: 'readers', topics: ['events'] })
    const total = committed[0]!.partitions.reduce((n, p) => n + Number(p.offset), 0)
    expect(total).toBe(10)
    await admin.disconnect()

    await producer.send({ topic: 'events', messages: [{ key: 'key-0', value: 'after-restart', headers: { seq: '10', origin: 'test' } }] })
    const second = track(kafka.consumer({ groupId: 'readers', maxWaitTimeInMs: 50 }))
    await second.connect()
    await second.subscribe({ topic: 'events', fromBeginning: true })
    const resumed = await consumeUntil(second, (s) => s.length >= 1)
    expect(resumed.map((p) => p.message.value!.toString())).toEqual(['after-restart'])
    await producer.disconnect()
  })

  it('a second consumer joining rebalances the group: the partitions are split between the two', async () => {
    const kafka = await served()
    await createTopic(kafka, 'split', 4)
    const assignments = new Map<string, number[]>()
    const join = async (name: string) => {
      const consumer = track(kafka.consumer({ groupId: 'splitters', maxWaitTimeInMs: 50, heartbeatInterval: 100, sessionTimeout: 6000, rebalanceTimeout: 6000 }))
      consumer.on(consumer.events.GROUP_JOIN, (e) => {
        assignments.set(name, (e.payload.memberAssignment as Record<string, number[]>).split ?? [])
      })
      await consumer.connect()
      await consumer.subscribe({ topic: 'split', fromBeginning: true })
      await consumer.run({ eachMessage: async () => {} })
      return consumer
    }
    await join('a')
    await waitFor(() => assignments.get('a')?.length === 4)
    await join('b')
    await waitFor(() => (assignments.get('a')?.length ?? 0) === 2 && (assignments.get('b')?.length ?? 0) === 2)
    expect([...assignments.get('a')!, ...assignments.get('b')!].sort()).toEqual([0, 1, 2, 3])
    const group = cluster!.describe().groups.find((g) => g.groupId === 'splitters')!
    expect(group.members).toHaveLength(2)
    expect(group.state).toBe('Stable')
  })

  it('transactions: a read_committed consumer sees the committed transaction and never the aborted one', async () => {
    const kafka = await served()
    await createTopic(kafka, 'ledger', 1)
    const producer = kafka.producer({ transactionalId: 'ledger-writer', maxInFlightRequests: 1, idempotent: true })
    await producer.connect()
    const committed = await producer.transaction()
    await committed.send({ topic: 'ledger', messages: [{ value: 'c1' }, { value: 'c2' }] })
    await committed.commit()
    const aborted = await producer.transaction()
    await aborted.send({ topic: 'ledger', messages: [{ value: 'a1' }] })
    await aborted.abort()
    const last = await producer.transaction()
    await last.send({ topic: 'ledger', messages: [{ value: 'c3' }] })
    await last.commit()
    await producer.disconnect()

    const consumer = track(kafka.consumer({ groupId: 'auditors', maxWaitTimeInMs: 50, readUncommitted: false }))
    await consumer.connect()
    await consumer.subscribe({ topic: 'ledger', fromBeginning: true })
    const seen = await consumeUntil(consumer, (s) => s.some((p) => p.message.value!.toString() === 'c3'))
    expect(seen.map((p) => p.message.value!.toString())).toEqual(['c1', 'c2', 'c3'])
  })
})

async function waitFor(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = performance.now() + timeoutMs
  while (!condition()) {
    if (performance.now() > deadline) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}
