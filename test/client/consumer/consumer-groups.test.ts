/**
 * Consumer groups as kafkajs consumers live them (classic protocol; KAFKA-SEMANTICS.md
 * "Consumer groups"): every group receives every message; within a group the partitions are
 * split between the members and move when members join, leave or stop heartbeating; moving
 * partitions may redeliver what was not committed, never lose it.
 *
 * The SystemClock tests use heartbeatInterval 50 so that a member notices a rebalance within
 * milliseconds; the ManualClock tests step virtual time to show when it notices.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { Cluster, ManualClock, logLevel, type Consumer, type ConsumerConfig, type KafkaMessage } from '../../../src/index.js'

const cleanups: (() => Promise<void>)[] = []

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function start({ topics = { t: 4 } as Record<string, number>, clock }: { topics?: Record<string, number>; clock?: ManualClock } = {}) {
  const cluster = new Cluster({ brokers: 3, seed: 3, ...(clock ? { clock } : {}) })
  const kafka = cluster.kafka({ clientId: 't', logLevel: logLevel.NOTHING })
  const admin = kafka.admin()
  await admin.connect()
  await admin.createTopics({ topics: Object.entries(topics).map(([topic, numPartitions]) => ({ topic, numPartitions, replicationFactor: 3 })) })
  const producer = kafka.producer()
  await producer.connect()
  const consumers: Consumer[] = []
  const consumer = (config: ConsumerConfig): Consumer => {
    const c = kafka.consumer(config)
    consumers.push(c)
    return c
  }
  cleanups.push(async () => {
    for (const c of consumers) await c.disconnect().catch(() => {})
    await producer.disconnect().catch(() => {})
    await admin.disconnect().catch(() => {})
    await cluster.close()
  })
  /** One message per partition of `topic`, valued `${prefix}${partition}`. */
  const onePerPartition = (topic: string, prefix: string) =>
    producer.send({ topic, messages: Array.from({ length: topics[topic]! }, (_, partition) => ({ value: `${prefix}${partition}`, partition })) })
  const group = (groupId = 'g') => cluster.describe().groups.find((g) => g.groupId === groupId)!
  return { cluster, kafka, admin, producer, consumer, onePerPartition, group }
}

interface Delivery {
  topic: string
  partition: number
  offset: string
  value: string
}

/** Connects, subscribes and runs `consumer`, recording every delivery. Does not await the join when `awaitRun` is false. */
async function recording(consumer: Consumer, topics: string[], { awaitRun = true, fromBeginning = true } = {}) {
  const seen: Delivery[] = []
  await consumer.connect()
  await consumer.subscribe({ topics, fromBeginning })
  const running = consumer.run({
    eachMessage: async ({ topic, partition, message }: { topic: string; partition: number; message: KafkaMessage }) => {
      seen.push({ topic, partition, offset: message.offset, value: message.value!.toString() })
    },
  })
  if (awaitRun) await running
  return Object.assign(seen, { running })
}

const quick = (groupId = 'g'): ConsumerConfig => ({ groupId, heartbeatInterval: 50, sessionTimeout: 6_000 })

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const startedAt = Date.now()
  while (!(await condition())) {
    if (Date.now() - startedAt > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 1))
  }
}

describe('several groups', () => {
  it('each group receives every message', async () => {
    const { consumer, producer, cluster, group } = await start({ topics: { t: 3 } })
    const sent = Array.from({ length: 30 }, (_, i) => `m${i}`)
    await producer.send({ topic: 't', messages: sent.map((value) => ({ key: value, value })) })
    const a = await recording(consumer({ groupId: 'a' }), ['t'])
    const b = await recording(consumer({ groupId: 'b' }), ['t'])
    await cluster.settle()
    expect(a.map((d) => d.value).sort()).toEqual([...sent].sort())
    expect(b.map((d) => d.value).sort()).toEqual([...sent].sort())
    // Each group has its own committed offsets, all caught up.
    for (const id of ['a', 'b']) {
      expect(group(id).offsets.map((o) => o.lag)).toEqual([0, 0, 0])
      expect(group(id).offsets.reduce((sum, o) => sum + o.committedOffset, 0)).toBe(30)
    }
  })

  it('a member starts from its committed offsets whatever the order of the OffsetFetch answer', async () => {
    const { consumer, producer, admin, cluster } = await start({ topics: { t: 4 } })
    for (let round = 0; round < 3; round++) await producer.send({ topic: 't', messages: [0, 1, 2, 3].map((partition) => ({ partition, value: `r${round}` })) })
    await admin.setOffsets({ groupId: 'g', topic: 't', partitions: [{ partition: 0, offset: '1' }, { partition: 1, offset: '2' }, { partition: 2, offset: '0' }] })
    // The coordinator answers in the order asked; this answer lists the partitions backwards
    // (and partition 3, never committed, with -1), as another broker might.
    cluster.intercept(
      'OffsetFetch',
      () => ({
        respond: {
          errorCode: 0,
          topics: [{ name: 't', partitions: [3, 2, 1, 0].map((index) => ({ index, committedOffset: [1, 2, 0, -1][index]!, metadata: '', errorCode: 0 })) }],
        },
      }),
      { times: 1 },
    )
    const seen = await recording(consumer(quick()), ['t'])
    await cluster.settle()
    const offsets = (partition: number) => seen.filter((d) => d.partition === partition).map((d) => d.offset)
    expect([0, 1, 2, 3].map(offsets)).toEqual([['1', '2'], ['2'], ['0', '1', '2'], ['0', '1', '2']])
  })

  it('a group that commits does not move another group forward', async () => {
    const { consumer, onePerPartition, cluster, group } = await start({ topics: { t: 2 } })
    await onePerPartition('t', 'v')
    await recording(consumer({ groupId: 'a' }), ['t'])
    await cluster.settle()
    expect(group('a').offsets.map((o) => o.committedOffset)).toEqual([1, 1])
    const late = await recording(consumer({ groupId: 'b' }), ['t'])
    await cluster.settle()
    expect(late.map((d) => d.value).sort()).toEqual(['v0', 'v1'])
  })
})

describe('membership and rebalances', () => {
  it('a second member joining triggers a rebalance that splits the partitions', async () => {
    const { consumer, onePerPartition, cluster, group } = await start()
    const first = consumer(quick())
    const firstSeen = await recording(first, ['t'])
    await cluster.settle()
    expect(group().generationId).toBe(1)
    expect(group().members.map((m) => m.assignment)).toEqual([{ t: [0, 1, 2, 3] }])

    const rebalancing = new Promise<unknown>((resolve) => first.on(first.events.REBALANCING, (e) => resolve(e.payload)))
    const second = consumer(quick())
    const secondSeen = await recording(second, ['t'])
    expect(await rebalancing).toMatchObject({ groupId: 'g' })
    await cluster.settle()
    const after = group()
    expect(after.state).toBe('Stable')
    expect(after.generationId).toBe(2)
    expect(after.members.map((m) => (m.assignment.t ?? []).length)).toEqual([2, 2])
    expect(after.members.flatMap((m) => m.assignment.t ?? []).sort()).toEqual([0, 1, 2, 3])

    await onePerPartition('t', 'p')
    await cluster.settle()
    expect(firstSeen).toHaveLength(2)
    expect(secondSeen).toHaveLength(2)
    // Each member got exactly the partitions the coordinator says it owns.
    const owner = new Map(after.members.flatMap((m) => (m.assignment.t ?? []).map((p) => [p, m.memberId] as const)))
    const ids = new Map<Consumer, string>()
    for (const [c, seen] of [
      [first, firstSeen],
      [second, secondSeen],
    ] as const) {
      const owners = new Set(seen.map((d) => owner.get(d.partition)))
      expect(owners.size).toBe(1)
      ids.set(c, [...owners][0]!)
    }
    expect(new Set(ids.values()).size).toBe(2)
  })

  it('a member leaving (disconnect) hands its partitions to the one that stays', async () => {
    const { consumer, onePerPartition, cluster, group } = await start()
    const first = consumer(quick())
    const firstSeen = await recording(first, ['t'])
    await cluster.settle()
    const second = consumer(quick())
    await recording(second, ['t'])
    await cluster.settle()
    expect(group().members).toHaveLength(2)

    await second.disconnect()
    await cluster.settle()
    expect(group()).toMatchObject({ state: 'Stable', generationId: 3 })
    expect(group().members.map((m) => m.assignment)).toEqual([{ t: [0, 1, 2, 3] }])

    await onePerPartition('t', 'p')
    await cluster.settle()
    expect(firstSeen.map((d) => d.partition).sort()).toEqual([0, 1, 2, 3])
  })

  it('the last member leaving leaves the group Empty, its committed offsets kept', async () => {
    const { consumer, onePerPartition, cluster, group } = await start({ topics: { t: 2 } })
    await onePerPartition('t', 'p')
    const only = consumer(quick())
    await recording(only, ['t'])
    await cluster.settle()
    await only.disconnect()
    expect(group()).toMatchObject({ state: 'Empty', members: [] })
    expect(group().offsets.map((o) => [o.partition, o.committedOffset])).toEqual([
      [0, 1],
      [1, 1],
    ])
  })

  it('members beyond the partition count stay idle and receive nothing', async () => {
    const { consumer, onePerPartition, cluster, group } = await start({ topics: { t: 2 } })
    const seen: Delivery[][] = []
    for (let i = 0; i < 4; i++) {
      seen.push(await recording(consumer(quick()), ['t']))
      await cluster.settle()
    }
    await onePerPartition('t', 'p')
    await onePerPartition('t', 'q')
    await cluster.settle()
    const members = group().members
    expect(members).toHaveLength(4)
    expect(members.map((m) => (m.assignment.t ?? []).length).sort()).toEqual([0, 0, 1, 1])
    expect(seen.map((s) => s.length).sort()).toEqual([0, 0, 2, 2])
    // Each partition's messages went to a single member, in order.
    for (const s of seen.filter((x) => x.length > 0)) {
      expect(new Set(s.map((d) => d.partition)).size).toBe(1)
      expect(s.map((d) => d.offset)).toEqual(['0', '1'])
    }
  })

  it('consumer.group_join tells each member whether it leads and what it owns', async () => {
    const { consumer, cluster, group } = await start()
    const joins: any[] = []
    const a = consumer(quick())
    a.on(a.events.GROUP_JOIN, (e) => void joins.push({ who: 'a', ...e.payload }))
    await recording(a, ['t'])
    await cluster.settle()
    const b = consumer(quick())
    b.on(b.events.GROUP_JOIN, (e) => void joins.push({ who: 'b', ...e.payload }))
    await recording(b, ['t'])
    await cluster.settle()

    const leaderId = group().leader
    const latest = (who: string) => joins.filter((j) => j.who === who).at(-1)
    for (const who of ['a', 'b']) {
      const j = latest(who)
      expect(j.leaderId).toBe(leaderId)
      expect(j.isLeader).toBe(j.memberId === leaderId)
      const member = group().members.find((m) => m.memberId === j.memberId)!
      expect(j.memberAssignment).toEqual(member.assignment)
    }
    expect([latest('a').isLeader, latest('b').isLeader].filter(Boolean)).toHaveLength(1)
  })
})

describe('when members notice a rebalance (ManualClock)', () => {
  it('a joining member waits for the running member’s next heartbeat, as with kafkajs', async () => {
    const clock = new ManualClock(0)
    const { consumer, cluster, group } = await start({ clock })
    const first = consumer({ groupId: 'g', heartbeatInterval: 3_000, sessionTimeout: 30_000 })
    await recording(first, ['t'])
    await cluster.settle()
    expect(group().generationId).toBe(1)

    const second = consumer({ groupId: 'g', heartbeatInterval: 3_000, sessionTimeout: 30_000 })
    const secondSeen = await recording(second, ['t'], { awaitRun: false })
    await cluster.advance(2_999)
    expect(group().state).toBe('PreparingRebalance')
    expect(group().generationId).toBe(1)

    await cluster.advance(1)
    await secondSeen.running
    await cluster.settle()
    expect(group()).toMatchObject({ state: 'Stable', generationId: 2 })
    expect(group().members.map((m) => (m.assignment.t ?? []).length)).toEqual([2, 2])
  })

  it('a member that stops heartbeating is removed after sessionTimeout; its partitions and uncommitted message move', async () => {
    const clock = new ManualClock(0)
    const { consumer, producer, cluster, group } = await start({ topics: { t: 2 }, clock })
    const config = { groupId: 'g', heartbeatInterval: 1_000, sessionTimeout: 6_000 }

    // `stuck` blocks on its first message until released, so it stops heartbeating.
    let release!: () => void
    const gate = new Promise<void>((resolve) => (release = resolve))
    const stuckSeen: Delivery[] = []
    const stuck = consumer(config)
    await stuck.connect()
    await stuck.subscribe({ topics: ['t'], fromBeginning: true })
    await stuck.run({
      eachMessage: async ({ topic, partition, message }) => {
        stuckSeen.push({ topic, partition, offset: message.offset, value: message.value!.toString() })
        await gate
      },
    })
    await cluster.settle()

    const healthy = consumer(config)
    const healthySeen = await recording(healthy, ['t'], { awaitRun: false })
    await cluster.advance(1_000)
    await healthySeen.running
    await cluster.settle()
    expect(group().members).toHaveLength(2)
    expect(group().members.map((m) => m.assignment.t?.length)).toEqual([1, 1])

    // A message for each partition: the stuck member blocks on its own one.
    await producer.send({ topic: 't', messages: [0, 1].map((partition) => ({ value: `v${partition}`, partition })) })
    await clock.runDue()
    await new Promise((resolve) => setImmediate(resolve))
    expect(stuckSeen).toHaveLength(1)
    const stuckPartition = stuckSeen[0]!.partition

    // Past the session timeout the coordinator drops it; the healthy member takes over both
    // partitions at its next heartbeat and re-reads the message the stuck one never finished.
    for (let i = 0; i < 10; i++) await cluster.advance(1_000)
    expect(group().members).toHaveLength(1)
    expect(group().members[0]!.assignment).toEqual({ t: [0, 1] })
    expect(healthySeen.map((d) => d.partition).sort()).toEqual([0, 1])
    expect(healthySeen.find((d) => d.partition === stuckPartition)!.value).toBe(`v${stuckPartition}`)

    // The stuck handler was never cancelled; once it finishes, its member rejoins.
    release()
    for (let i = 0; i < 5; i++) await cluster.advance(1_000)
    await cluster.settle()
    expect(group().members).toHaveLength(2)
    expect(group().state).toBe('Stable')
  })
})

describe('leaving while joining (ManualClock)', () => {
  it('disconnect() while run() is still joining leaves the group for good', async () => {
    const clock = new ManualClock(0)
    const { consumer, cluster, group } = await start({ topics: { t: 2 }, clock })
    await recording(consumer({ groupId: 'g' }), ['t'])
    await cluster.settle()

    const leaving = consumer({ groupId: 'g' })
    const { running } = await recording(leaving, ['t'], { awaitRun: false })
    await clock.runDue()
    expect(group().state).toBe('PreparingRebalance')
    await leaving.disconnect()
    await cluster.advance(3_000)
    await running
    await cluster.settle()
    expect(group().members).toHaveLength(1)
    expect(group().members[0]!.assignment).toEqual({ t: [0, 1] })
  })
})

describe('redelivery, never loss', () => {
  it('partitions moved by a rebalance are re-read from the last commit (autoCommit: false)', async () => {
    const { consumer, producer, cluster, group } = await start({ topics: { t: 2 } })
    await producer.send({ topic: 't', messages: [0, 1, 0, 1].map((partition, i) => ({ value: `m${i}`, partition })) })
    const firstSeen: Delivery[] = []
    const first = consumer(quick())
    await first.connect()
    await first.subscribe({ topics: ['t'], fromBeginning: true })
    await first.run({
      autoCommit: false,
      eachMessage: async ({ topic, partition, message }) => void firstSeen.push({ topic, partition, offset: message.offset, value: message.value!.toString() }),
    })
    await cluster.settle()
    expect(firstSeen).toHaveLength(4)
    expect(group().offsets).toEqual([])

    const secondSeen = await recording(consumer(quick()), ['t'])
    await cluster.settle()
    // The second member got one partition, with nothing committed on it: it reads it again.
    expect(secondSeen).toHaveLength(2)
    const moved = secondSeen[0]!.partition
    expect(secondSeen.map((d) => d.offset)).toEqual(['0', '1'])
    expect(firstSeen.filter((d) => d.partition === moved).map((d) => d.value)).toEqual(secondSeen.map((d) => d.value))
  })

  it('a consumer that crashes mid-batch with autoCommit: the next member resumes at the failed message (KAFKA-SEMANTICS scenario 8)', async () => {
    const { consumer, producer, cluster, group } = await start({ topics: { t: 1 } })
    await producer.send({ topic: 't', messages: ['m0', 'm1', 'm2', 'm3'].map((value) => ({ value, partition: 0 })) })
    const crashing = consumer(quick())
    const crashed = new Promise<void>((resolve) => crashing.on(crashing.events.CRASH, () => resolve()))
    const crashingSeen: string[] = []
    await crashing.connect()
    await crashing.subscribe({ topics: ['t'], fromBeginning: true })
    await crashing.run({
      eachMessage: async ({ message }) => {
        crashingSeen.push(message.offset)
        // A TypeError is not retriable: the consumer crashes for good.
        if (message.offset === '2') throw new TypeError('bug in handler')
      },
    })
    await crashed
    expect(crashingSeen).toEqual(['0', '1', '2'])
    // What was processed before the error was committed before the error was rethrown.
    expect(group().offsets[0]!.committedOffset).toBe(2)

    const next = await recording(consumer(quick()), ['t'])
    await cluster.settle()
    expect(next.map((d) => d.offset)).toEqual(['2', '3'])
  })

  it('a member busy in eachMessage during a rebalance finishes the message; nothing is lost', async () => {
    const { consumer, producer, cluster } = await start({ topics: { t: 4 } })
    let release!: () => void
    const gate = new Promise<void>((resolve) => (release = resolve))
    const finished: string[] = []
    const firstSeen: string[] = []
    const first = consumer(quick())
    await first.connect()
    await first.subscribe({ topics: ['t'], fromBeginning: true })
    await first.run({
      eachMessage: async ({ message, partition }) => {
        const id = `${partition}:${message.offset}`
        firstSeen.push(id)
        if (id === '0:0') await gate
        finished.push(id)
      },
    })
    await producer.send({ topic: 't', messages: [0, 1, 2, 3, 0, 1, 2, 3].map((partition, i) => ({ value: `m${i}`, partition })) })
    await until(() => firstSeen.includes('0:0'))

    const second = consumer(quick())
    const secondSeen = await recording(second, ['t'], { awaitRun: false })
    await new Promise((resolve) => setTimeout(resolve, 100))
    release()
    await secondSeen.running
    await cluster.settle()
    expect(finished).toContain('0:0')
    const all = new Set([...firstSeen, ...secondSeen.map((d) => `${d.partition}:${d.offset}`)])
    expect([...all].sort()).toEqual(['0:0', '0:1', '1:0', '1:1', '2:0', '2:1', '3:0', '3:1'])
  })
})

describe('members with different subscriptions', () => {
  it('the round-robin leader may hand a member a topic it did not subscribe to: consumer.received_unsubscribed_topics', async () => {
    // kafkajs's RoundRobinAssigner deals the union of the members' topics to every member, and
    // consumerGroup.sync drops (and reports) the topics a member did not subscribe to.
    const { consumer, cluster, group } = await start({ topics: { x: 2, y: 2 } })
    const events: any[] = []
    const a = consumer(quick())
    a.on(a.events.RECEIVED_UNSUBSCRIBED_TOPICS, (e) => void events.push(e.payload))
    await recording(a, ['x'])
    await cluster.settle()
    const b = consumer(quick())
    b.on(b.events.RECEIVED_UNSUBSCRIBED_TOPICS, (e) => void events.push(e.payload))
    await recording(b, ['y'])
    await cluster.settle()

    const members = group().members
    expect(members).toHaveLength(2)
    // Every partition of both topics is dealt out, one per member in turn.
    expect(members.map((m) => m.assignment).sort((p, q) => p.x![0]! - q.x![0]!)).toEqual([
      { x: [0], y: [0] },
      { x: [1], y: [1] },
    ])
    expect(events.length).toBeGreaterThanOrEqual(2)
    for (const e of events.slice(-2)) {
      expect(Object.keys(e).sort()).toEqual(['assignedTopics', 'generationId', 'groupId', 'memberId', 'topicsNotSubscribed', 'topicsSubscribed'])
      expect(e.groupId).toBe('g')
      expect(e.assignedTopics.sort()).toEqual(['x', 'y'])
      expect(e.topicsNotSubscribed).toHaveLength(1)
    }
  })
})
