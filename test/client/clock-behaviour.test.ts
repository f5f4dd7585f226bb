/**
 * What a test author sees of the clocks (issue 17): fake timers in the test cannot stall
 * memkafka; settle() on a ManualClock advances it and says what is pending when it cannot
 * settle; a ManualClock nobody advances is reported; awaited sends let the event loop run;
 * close() leaves no timer and rejects what waits; a seeded run replays its timeline.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { AutoClock, Cluster, ManualClock, SystemClock, logLevel, type Kafka } from '../../src/index.js'

const clusters: Cluster[] = []

afterEach(async () => {
  vi.useRealTimers()
  for (const c of clusters.splice(0)) await c.close()
})

function start(options: ConstructorParameters<typeof Cluster>[0] = {}): Cluster {
  const cluster = new Cluster(options)
  clusters.push(cluster)
  return cluster
}

async function produceAndConsume(kafka: Kafka, cluster: Cluster, topic: string): Promise<string[]> {
  const admin = kafka.admin()
  await admin.connect()
  await admin.createTopics({ topics: [{ topic, numPartitions: 2 }] })
  const producer = kafka.producer()
  await producer.connect()
  const seen: string[] = []
  const consumer = kafka.consumer({ groupId: `${topic}-g` })
  await consumer.connect()
  await consumer.subscribe({ topic, fromBeginning: true })
  await consumer.run({ eachMessage: async ({ message }) => void seen.push(message.value!.toString()) })
  for (let i = 0; i < 5; i++) await producer.send({ topic, acks: -1, messages: [{ key: `k${i}`, value: `v${i}` }] })
  // A second member: a rebalance that waits for the first one's heartbeat (3 s of virtual time).
  const second = kafka.consumer({ groupId: `${topic}-g` })
  await second.connect()
  await second.subscribe({ topic, fromBeginning: true })
  await second.run({ eachMessage: async ({ message }) => void seen.push(message.value!.toString()) })
  await cluster.settle()
  await Promise.all([consumer.disconnect(), second.disconnect(), producer.disconnect(), admin.disconnect()])
  return seen.sort()
}

describe('fake timers in a test cannot stall memkafka', () => {
  it("vi.useFakeTimers() at its defaults, installed after the cluster started", async () => {
    const cluster = start()
    vi.useFakeTimers()
    const seen = await produceAndConsume(cluster.kafka({ logLevel: logLevel.NOTHING }), cluster, 'vitest-fake')
    expect(seen).toEqual(['v0', 'v1', 'v2', 'v3', 'v4'])
    // The test's own fake clock did not move; memkafka's did.
    expect(vi.getTimerCount()).toBe(0)
  })

  it("jest's modern fake timers (every timer, Date and performance faked) installed before the cluster is created", async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'Date', 'performance', 'hrtime', 'queueMicrotask'] })
    const cluster = start({ clock: 'auto' })
    const seen = await produceAndConsume(cluster.kafka({ logLevel: logLevel.NOTHING }), cluster, 'jest-fake')
    expect(seen).toEqual(['v0', 'v1', 'v2', 'v3', 'v4'])
    // The faked Date stood still; memkafka's time moved on, past the rebalance's 3 s wait.
    expect(cluster.clock.now() - Date.now()).toBeGreaterThanOrEqual(3_000)
  })
})

describe('settle()', () => {
  it('on a ManualClock advances virtual time through due timers until settled', async () => {
    const clock = new ManualClock(0)
    const cluster = start({ clock })
    const kafka = cluster.kafka({ logLevel: logLevel.NOTHING })
    const consumers = [kafka.consumer({ groupId: 'g' }), kafka.consumer({ groupId: 'g' })]
    for (const consumer of consumers) {
      await consumer.connect()
      await consumer.subscribe({ topic: 'auto-created' })
    }
    await consumers[0]!.run({ eachMessage: async () => {} })
    // The second join waits for the first member's next heartbeat (3 s): settle() moves time.
    const running = consumers[1]!.run({ eachMessage: async () => {} })
    await cluster.settle()
    await running
    expect(clock.now()).toBeGreaterThanOrEqual(3_000)
    const group = cluster.describe().groups[0]!
    expect(group.state).toBe('Stable')
    expect(group.members).toHaveLength(2)
    for (const consumer of consumers) await consumer.disconnect()
  })

  it('gives up with a message naming the clock and what is pending', async () => {
    const cluster = start({ clock: new ManualClock(0), brokers: 3, brokerConfig: { 'min.insync.replicas': 3 } })
    const kafka = cluster.kafka({ logLevel: logLevel.NOTHING })
    const admin = kafka.admin()
    await admin.connect()
    await admin.createTopics({ topics: [{ topic: 't', numPartitions: 1, replicationFactor: 3 }] })
    const follower = cluster.describe().topics.find((t) => t.name === 't')!.partitions[0]!.replicas.find((r) => r !== cluster.describe().topics.find((t) => t.name === 't')!.partitions[0]!.leader)!
    cluster.pauseReplication(follower)
    const producer = kafka.producer({ retry: { retries: 0 } })
    await producer.connect()
    const send = producer.send({ topic: 't', acks: -1, timeout: 1_000_000, messages: [{ value: 'x' }] }).catch((e: Error) => e)
    await expect(cluster.settle({ maxVirtualMs: 60_000 })).rejects.toThrow(/without settling on a ManualClock at t=\d+.*Still pending: requests in flight: 1 Produce/)
    await cluster.close()
    expect(await send).toBeInstanceOf(Error)
  })

  it('on the wall clock times out in real time below 5 s by default, naming the wall clock', async () => {
    const cluster = start({ clock: 'system' })
    expect(cluster.clock).toBeInstanceOf(SystemClock)
    const never = cluster.sleep(60_000, 'a test wait').done.catch((e: Error) => e)
    await expect(cluster.settle({ timeoutMs: 50 })).rejects.toThrow(/gave up after 50 ms of real time on the wall clock \(SystemClock\).*Still pending: a test wait/)
    await cluster.close()
    expect(String(await never)).toMatch(/the cluster is closed \(a test wait was waiting\)/)
  })
})

describe('a ManualClock that nobody advances', () => {
  it('is reported as a warning while a request waits on it', async () => {
    const cluster = start({ clock: new ManualClock(0) })
    const kafka = cluster.kafka({ logLevel: logLevel.NOTHING })
    const consumer = kafka.consumer({ groupId: 'g' })
    await consumer.connect()
    await consumer.subscribe({ topic: 'x' })
    const warnings: string[] = []
    const onWarning = (w: Error & { code?: string }): void => void (w.code === 'MEMKAFKA_CLOCK' && warnings.push(w.message))
    process.on('warning', onWarning)
    try {
      const second = kafka.consumer({ groupId: 'g' })
      await second.connect()
      await second.subscribe({ topic: 'x' })
      await second.run({ eachMessage: async () => {} })
      void consumer.run({ eachMessage: async () => {} })
      await vi.waitFor(() => expect(warnings.length).toBeGreaterThan(0), { timeout: 4_000, interval: 50 })
    } finally {
      process.off('warning', onWarning)
    }
    expect(warnings[0]).toMatch(/waiting for a ManualClock at t=0 .* that nobody advances .*JoinGroup.*cluster\.advance\(ms\)/)
    await cluster.close()
  })
})

describe('awaited requests yield to the event loop', () => {
  it("a `while (!stop) await producer.send()` loop lets the test's own 50 ms timer fire", async () => {
    const cluster = start()
    const producer = cluster.kafka({ logLevel: logLevel.NOTHING }).producer()
    await producer.connect()
    let stop = false
    setTimeout(() => (stop = true), 50)
    let sent = 0
    while (!stop) {
      await producer.send({ topic: 'loop', messages: [{ value: 'x' }] })
      sent++
    }
    expect(sent).toBeGreaterThan(0)
    await producer.disconnect()
  })
})

describe('close()', () => {
  it('with 200 acks=all sends in flight: every one rejects at once, and no timer is left', async () => {
    const clock = new AutoClock({ followWallClock: false })
    const cluster = start({ clock, brokers: 3, brokerConfig: { 'min.insync.replicas': 2 } })
    const kafka = cluster.kafka({ logLevel: logLevel.NOTHING })
    const admin = kafka.admin()
    await admin.connect()
    await admin.createTopics({ topics: [{ topic: 't', numPartitions: 1, replicationFactor: 3 }] })
    const leader = cluster.describe().topics.find((t) => t.name === 't')!.partitions[0]!.leader!
    // Followers that do not fetch: the high watermark cannot pass the writes, so they wait.
    for (const b of [0, 1, 2]) if (b !== leader) cluster.pauseReplication(b)
    const producer = kafka.producer()
    await producer.connect()
    // A consumer in a long poll and a client in a retry back-off wait as well.
    const consumer = kafka.consumer({ groupId: 'g' })
    await consumer.connect()
    await consumer.subscribe({ topic: 't' })
    await consumer.run({ eachMessage: async () => {} })
    const hold = clock.hold('this test')
    const sends = Array.from({ length: 200 }, (_, i) => producer.send({ topic: 't', acks: -1, messages: [{ value: `${i}` }] }).then(() => 'sent', (e: Error) => e.name))
    await new Promise((r) => setImmediate(r))
    const closing = cluster.close()
    hold()
    await closing
    const outcomes = await Promise.all(sends)
    expect(outcomes.filter((o) => o === 'sent')).toHaveLength(0)
    // Dropped connections, then a back-off that ends with the cluster: "the cluster is closed".
    expect(new Set(outcomes)).toEqual(new Set(['KafkaJSConnectionError']))
    expect(clock.pendingTimers).toBe(0)
    await consumer.disconnect().catch(() => {})
  })
})

describe('one clock shared by two clusters', () => {
  it('jumps for either cluster, and both settle', { timeout: 20_000 }, async () => {
    const clock = new AutoClock()
    const clusters2 = [start({ clock, basePort: 19092 }), start({ clock, basePort: 29092 })]
    const joins = clusters2.map(async (cluster, i) => {
      const kafka = cluster.kafka({ logLevel: logLevel.NOTHING })
      const consumers = [kafka.consumer({ groupId: `g${i}` }), kafka.consumer({ groupId: `g${i}` })]
      for (const c of consumers) {
        await c.connect()
        await c.subscribe({ topic: 't' })
        await c.run({ eachMessage: async () => {} })
      }
      await cluster.settle()
      return consumers
    })
    const t0 = clock.now()
    const consumers = (await Promise.all(joins)).flat()
    for (const cluster of clusters2) expect(cluster.describe().groups[0]).toMatchObject({ state: 'Stable', members: [{}, {}] })
    // Each second join waited for a heartbeat (3 s), in virtual time.
    expect(clock.now() - t0).toBeGreaterThanOrEqual(3_000)
    for (const c of consumers) await c.disconnect()
  })
})

describe('determinism', () => {
  it('a seeded workload on a self-advancing clock that does not follow the wall clock replays the same timeline', async () => {
    const run = async (): Promise<unknown[]> => {
      const cluster = start({ seed: 42, brokers: 3, clock: new AutoClock({ followWallClock: false }) })
      const start0 = cluster.clock.now()
      await produceAndConsume(cluster.kafka({ clientId: 'app', logLevel: logLevel.NOTHING }), cluster, 'replay')
      cluster.stopBroker(1, { crash: true })
      await cluster.advance(10_000)
      return cluster.timeline().map((e) => ({ ...e, time: e.time - start0 }))
    }
    const first = await run()
    const second = await run()
    expect(first.length).toBeGreaterThan(20)
    expect(second).toEqual(first)
  })
})
