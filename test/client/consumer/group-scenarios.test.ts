/**
 * Consumer-group scenarios at the kafkajs facade, on virtual time (ManualClock): one test per
 * rebalance trigger and per error rule of the classic group protocol (KAFKA-SEMANTICS.md
 * "Consumer groups"), each asserting what a kafkajs user sees — the assignments, the generations,
 * the consumer.group_join / consumer.rebalancing / consumer.crash events, redelivery and commits.
 *
 * Every member is its own client (clientId = its name), so cluster.pauseClient(name) hangs that
 * one process. Members heartbeat every second; sessions last 10 s. A member learns of a
 * rebalance only from the answer to its next heartbeat (kafkajs's runner heartbeats between
 * fetches), which is why the tests step time by the heartbeat interval.
 */
import { afterEach, describe, expect, it } from 'vitest'
import {
  AssignerProtocol,
  Cluster,
  KafkaJSDeleteGroupsError,
  KafkaJSNonRetriableError,
  ManualClock,
  PartitionAssigners,
  logLevel,
  type Admin,
  type Consumer,
  type ConsumerConfig,
  type ConsumerRunConfig,
  type EachMessagePayload,
  type PartitionAssigner,
  type Producer,
  type TimelineEvent,
} from '../../../src/index.js'

// -------------------------------------------------------------------------------------------
// Harness

const HEARTBEAT = 1_000
const SESSION = 10_000

interface Delivery {
  partition: number
  offset: number
  value: string
  /** Virtual time of the delivery. */
  at: number
}

interface GroupJoin {
  at: number
  generationId: number
  memberId: string
  isLeader: boolean
  groupProtocol: string
  memberAssignment: Record<string, number[]>
}

interface MemberOptions {
  config?: Partial<ConsumerConfig>
  topics?: string[]
  fromBeginning?: boolean
  run?: Omit<ConsumerRunConfig, 'eachMessage' | 'eachBatch'>
  /** Runs after the delivery is recorded; may block or throw. */
  onMessage?: (payload: EachMessagePayload) => Promise<void>
}

interface Member {
  readonly name: string
  readonly consumer: Consumer
  readonly seen: Delivery[]
  readonly joins: GroupJoin[]
  readonly rebalancing: number[]
  /** Virtual times of its successful heartbeats (consumer.heartbeat). */
  readonly heartbeats: number[]
  readonly crashes: { at: number; error: any; restart: boolean }[]
  /** run()'s promise: resolves once the member joined (or crashed). */
  readonly running: Promise<void>
}

const cleanups: (() => Promise<void>)[] = []

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function world({
  topics = { t: 4 } as Record<string, number>,
  seed = 1,
  brokerConfig = {} as Record<string, string | number | boolean>,
} = {}) {
  const clock = new ManualClock(0)
  const cluster = new Cluster({ brokers: 3, clock, seed, brokerConfig })
  const admin: Admin = cluster.kafka({ clientId: 'admin', logLevel: logLevel.NOTHING }).admin()
  await admin.connect()
  const specs = Object.entries(topics).map(([topic, numPartitions]) => ({ topic, numPartitions, replicationFactor: 3 }))
  if (specs.length > 0) await admin.createTopics({ topics: specs })
  const producer: Producer = cluster.kafka({ clientId: 'producer', logLevel: logLevel.NOTHING }).producer()
  await producer.connect()
  const members: Member[] = []
  cleanups.push(async () => {
    for (const name of members.map((m) => m.name)) cluster.resumeClient(name)
    for (const m of members) await m.consumer.disconnect().catch(() => {})
    await producer.disconnect().catch(() => {})
    await admin.disconnect().catch(() => {})
    await cluster.close()
  })

  /** Starts a member of group 'g' (unless config says otherwise) without waiting for its join. */
  const join = async (name: string, options: MemberOptions = {}): Promise<Member> => {
    const consumer = cluster.kafka({ clientId: name, logLevel: logLevel.NOTHING }).consumer({
      groupId: 'g',
      heartbeatInterval: HEARTBEAT,
      sessionTimeout: SESSION,
      ...options.config,
    })
    const member = {
      name,
      consumer,
      seen: [] as Delivery[],
      joins: [] as GroupJoin[],
      rebalancing: [] as number[],
      heartbeats: [] as number[],
      crashes: [] as Member['crashes'],
    }
    consumer.on(consumer.events.GROUP_JOIN, (e) => {
      // The generation is not in kafkajs's payload; the coordinator's is read at the same instant.
      const generationId = cluster.describe().groups.find((g) => g.groupId === (options.config?.groupId ?? 'g'))!.generationId
      member.joins.push({ at: e.timestamp, generationId, ...(e.payload as Omit<GroupJoin, 'at' | 'generationId'>) })
    })
    consumer.on(consumer.events.REBALANCING, (e) => void member.rebalancing.push(e.timestamp))
    consumer.on(consumer.events.HEARTBEAT, (e) => void member.heartbeats.push(e.timestamp))
    consumer.on(consumer.events.CRASH, (e) => void member.crashes.push({ at: e.timestamp, error: e.payload.error, restart: e.payload.restart }))
    await consumer.connect()
    await consumer.subscribe({ topics: options.topics ?? Object.keys(topics).slice(0, 1), fromBeginning: options.fromBeginning ?? true })
    const running = consumer.run({
      ...options.run,
      eachMessage: async (payload) => {
        member.seen.push({ partition: payload.partition, offset: Number(payload.message.offset), value: payload.message.value!.toString(), at: clock.now() })
        await options.onMessage?.(payload)
      },
    })
    const full: Member = { ...member, running }
    members.push(full)
    return full
  }

  const group = (groupId = 'g') => cluster.describe().groups.find((g) => g.groupId === groupId)!
  /** clientId -> its partitions of `topic`, as the coordinator records them. */
  const owners = (topic = 't', groupId = 'g'): Record<string, number[]> =>
    Object.fromEntries(group(groupId).members.map((m) => [m.clientId, m.assignment[topic] ?? []]))
  const events = <T extends TimelineEvent['type']>(type: T) => cluster.timeline({ types: [type] }) as Extract<TimelineEvent, { type: T }>[]
  /** One message per partition, valued `${prefix}${partition}`. */
  const onePerPartition = (prefix: string, topic = 't') =>
    producer.send({ topic, messages: Array.from({ length: topics[topic]! }, (_, partition) => ({ value: `${prefix}${partition}`, partition })) })
  const committed = (topic = 't', groupId = 'g') =>
    Object.fromEntries(group(groupId).offsets.filter((o) => o.topic === topic).map((o) => [o.partition, o.committedOffset]))

  return { clock, cluster, admin, producer, join, group, owners, events, onePerPartition, committed }
}

const valuesOf = (seen: Delivery[]) => seen.map((d) => d.value).sort()

// -------------------------------------------------------------------------------------------
// Rebalance triggers

describe('a member joins a Stable group', () => {
  it('the running member learns at its next heartbeat, not before, and keeps consuming until then', async () => {
    const { cluster, join, group, owners, onePerPartition, producer } = await world()
    const a = await join('a')
    await a.running
    await cluster.settle()
    expect(group()).toMatchObject({ state: 'Stable', generationId: 1 })
    expect(a.joins.map((j) => [j.at, j.generationId, j.isLeader, j.memberAssignment])).toEqual([[0, 1, true, { t: [0, 1, 2, 3] }]])

    // b's JoinGroup (after MEMBER_ID_REQUIRED) puts the group in PreparingRebalance at once.
    const b = await join('b')
    await cluster.advance(0)
    expect(group().state).toBe('PreparingRebalance')

    // Half-way to a's next heartbeat a knows nothing: it still owns everything and consumes.
    await cluster.advance(HEARTBEAT / 2)
    await onePerPartition('early-')
    await cluster.advance(HEARTBEAT / 2 - 1)
    expect(group()).toMatchObject({ state: 'PreparingRebalance', generationId: 1 })
    // b is a member already (awaiting the join phase's end), with nothing assigned.
    expect(owners()).toEqual({ a: [0, 1, 2, 3], b: [] })
    expect(a.rebalancing).toEqual([])
    expect(b.joins).toEqual([])
    expect(valuesOf(a.seen)).toEqual(['early-0', 'early-1', 'early-2', 'early-3'])

    // At a's heartbeat (t = 1000) the answer is REBALANCE_IN_PROGRESS: a rejoins, generation 2.
    await cluster.advance(1)
    await b.running
    expect(a.rebalancing).toEqual([HEARTBEAT])
    expect(group()).toMatchObject({ state: 'Stable', generationId: 2 })
    const joinedAt2 = [a, b].map((m) => m.joins.at(-1)!)
    expect(joinedAt2.map((j) => [j.at, j.generationId])).toEqual([
      [HEARTBEAT, 2],
      [HEARTBEAT, 2],
    ])
    expect(joinedAt2.filter((j) => j.isLeader)).toHaveLength(1)
    expect(owners().a).toHaveLength(2)
    expect([...owners().a!, ...owners().b!].sort()).toEqual([0, 1, 2, 3])
    // Each member's group_join names exactly what the coordinator recorded for it.
    expect(a.joins.at(-1)!.memberAssignment).toEqual({ t: owners().a })
    expect(b.joins.at(-1)!.memberAssignment).toEqual({ t: owners().b })

    // a committed what it read before the rebalance: b does not read it again.
    await cluster.settle()
    expect(b.seen).toEqual([])
    await producer.send({ topic: 't', messages: [0, 1, 2, 3].map((partition) => ({ value: `late-${partition}`, partition })) })
    await cluster.settle()
    expect(a.seen.filter((d) => d.value.startsWith('late-')).map((d) => d.partition).sort()).toEqual(owners().a)
    expect(b.seen.map((d) => d.partition).sort()).toEqual(owners().b)
  })
})

describe('a member leaves (disconnect)', () => {
  it('the group rebalances at once; the remaining member takes over at its next heartbeat, from the leaver’s commits', async () => {
    const { cluster, clock, join, group, owners, events, onePerPartition } = await world()
    const a = await join('a')
    await a.running
    const b = await join('b')
    await cluster.advance(HEARTBEAT)
    await b.running
    await cluster.settle()
    expect(group().generationId).toBe(2)
    await onePerPartition('before-')
    await cluster.settle()
    const bPartitions = owners().b!
    expect(b.seen.map((d) => d.partition).sort()).toEqual(bPartitions)

    const leftAt = clock.now()
    await b.consumer.disconnect()
    expect(events('memberRemoved').map((e) => [e.time, e.reason])).toEqual([[leftAt, 'left']])
    expect(group()).toMatchObject({ state: 'PreparingRebalance', generationId: 2 })
    // Until a heartbeats, b's partitions are nobody's.
    expect(owners()).toEqual({ a: expect.not.arrayContaining(bPartitions) })

    await cluster.advance(HEARTBEAT)
    await cluster.settle()
    expect(group()).toMatchObject({ state: 'Stable', generationId: 3 })
    expect(owners()).toEqual({ a: [0, 1, 2, 3] })
    // a heard of it from its first heartbeat after b left.
    expect(a.rebalancing.at(-1)).toBeGreaterThan(leftAt)
    expect(a.rebalancing.at(-1)).toBeLessThanOrEqual(leftAt + HEARTBEAT)
    expect(a.joins.at(-1)).toMatchObject({ generationId: 3, isLeader: true, memberAssignment: { t: [0, 1, 2, 3] } })
    // b committed before leaving: a re-reads none of b's messages.
    expect(a.seen.filter((d) => bPartitions.includes(d.partition))).toEqual([])
    await onePerPartition('after-')
    await cluster.settle()
    expect(valuesOf(a.seen.filter((d) => d.value.startsWith('after-')))).toEqual(['after-0', 'after-1', 'after-2', 'after-3'])
  })
})

describe('a member’s session expires (its process hangs: cluster.pauseClient)', () => {
  it('it is removed exactly sessionTimeout after its last heartbeat; the other member takes its partitions at its next heartbeat', async () => {
    const { cluster, clock, join, group, owners, events } = await world()
    // a heartbeats every 3 s so that its heartbeats never coincide with b's expiry.
    const a = await join('a', { config: { heartbeatInterval: 3_000 } })
    await a.running
    const b = await join('b')
    await cluster.advance(3_000)
    await b.running
    await cluster.settle()
    expect(group().generationId).toBe(2)
    const bPartitions = owners().b!
    expect(bPartitions).toHaveLength(2)

    await cluster.advance(HEARTBEAT)
    cluster.pauseClient('b')
    const lastHeartbeat = b.heartbeats.at(-1)!
    expect(lastHeartbeat).toBe(clock.now())

    await cluster.advance(lastHeartbeat + SESSION - 1 - clock.now())
    expect(events('memberRemoved')).toEqual([])
    expect(group()).toMatchObject({ state: 'Stable', generationId: 2 })
    expect(owners().b).toEqual(bPartitions)

    await cluster.advance(2)
    expect(events('memberRemoved').map((e) => [e.time, e.reason])).toEqual([[lastHeartbeat + SESSION, 'sessionTimeout']])
    expect(group()).toMatchObject({ state: 'PreparingRebalance', generationId: 2 })
    expect(Object.keys(owners())).toEqual(['a'])

    // a's next heartbeat is answered REBALANCE_IN_PROGRESS; it rejoins alone and takes all.
    const nextHeartbeatOfA = a.heartbeats.at(-1)! + 3_000
    await cluster.advance(nextHeartbeatOfA - clock.now())
    await cluster.settle()
    expect(a.rebalancing.at(-1)).toBe(nextHeartbeatOfA)
    expect(group()).toMatchObject({ state: 'Stable', generationId: 3 })
    expect(owners()).toEqual({ a: [0, 1, 2, 3] })
    expect(a.joins.at(-1)).toMatchObject({ at: nextHeartbeatOfA, generationId: 3, memberAssignment: { t: [0, 1, 2, 3] } })

    // The process wakes up: its held heartbeat is answered UNKNOWN_MEMBER_ID and it rejoins.
    cluster.resumeClient('b')
    await cluster.advance(3_000)
    await cluster.settle()
    expect(group()).toMatchObject({ state: 'Stable', generationId: 4 })
    expect(b.joins.at(-1)).toMatchObject({ generationId: 4 })
    expect(owners().b).toHaveLength(2)
  })
})

describe('rebalance timeout', () => {
  it('a member that does not rejoin within rebalanceTimeout is dropped when the join phase ends', async () => {
    // A session longer than the rebalance timeout, so that the rebalance timeout is what drops it.
    const config = { sessionTimeout: 30_000, rebalanceTimeout: 8_000 }
    const { cluster, clock, join, group, owners, events } = await world()
    const a = await join('a', { config })
    await a.running
    const b = await join('b', { config })
    await cluster.advance(HEARTBEAT)
    await b.running
    await cluster.settle()
    expect(group().generationId).toBe(2)

    // c joins: the rebalance starts now; b hangs before it hears of it.
    const c = await join('c', { config })
    await cluster.advance(0)
    const startedAt = clock.now()
    expect(group().state).toBe('PreparingRebalance')
    cluster.pauseClient('b')

    // a rejoins at its next heartbeat; the join phase still waits for b.
    await cluster.advance(startedAt + 8_000 - 1 - clock.now())
    expect(a.rebalancing.at(-1)).toBe(startedAt + HEARTBEAT)
    expect(group()).toMatchObject({ state: 'PreparingRebalance', generationId: 2 })
    expect(group().members.map((m) => m.clientId).sort()).toEqual(['a', 'b', 'c'])
    expect(c.joins).toEqual([])

    await cluster.advance(1)
    await c.running
    expect(events('memberRemoved').map((e) => [e.time, e.reason])).toEqual([[startedAt + 8_000, 'rebalanceTimeout']])
    expect(group()).toMatchObject({ state: 'Stable', generationId: 3 })
    expect(Object.keys(owners()).sort()).toEqual(['a', 'c'])
    expect([...owners().a!, ...owners().c!].sort()).toEqual([0, 1, 2, 3])
    expect([a, c].map((m) => m.joins.at(-1)!.at)).toEqual([startedAt + 8_000, startedAt + 8_000])

    // b wakes up, finds itself unknown, and rejoins.
    cluster.resumeClient('b')
    await cluster.advance(HEARTBEAT)
    await cluster.settle()
    expect(group()).toMatchObject({ state: 'Stable', generationId: 4 })
    expect(Object.keys(owners()).sort()).toEqual(['a', 'b', 'c'])
  })
})

describe('partitions added to a subscribed topic', () => {
  // Kafka and kafkajs: a partition the group has no committed offset for starts at the reset
  // policy (kafkajs: fromBeginning ? earliest : latest). So what is written to a new partition
  // before the group is assigned it is read with fromBeginning, and skipped without it (the
  // well-known "latest" gap of KAFKA-12478).
  for (const fromBeginning of [true, false]) {
    it(`trigger a rebalance that hands out the new partitions, read from ${fromBeginning ? 'offset 0' : 'the end'} (fromBeginning: ${fromBeginning})`, async () => {
      const { cluster, clock, admin, producer, join, group, owners, events } = await world({ topics: { t: 2 } })
      const a = await join('a', { fromBeginning })
      await a.running
      const b = await join('b', { fromBeginning })
      await cluster.advance(HEARTBEAT)
      await b.running
      await cluster.settle()
      await producer.send({ topic: 't', messages: [0, 1].map((partition) => ({ value: `old-${partition}`, partition })) })
      await cluster.settle()
      expect(group().generationId).toBe(2)

      await admin.createPartitions({ topicPartitions: [{ topic: 't', count: 4 }] })
      const addedAt = clock.now()
      expect(group()).toMatchObject({ state: 'PreparingRebalance', generationId: 2 })
      // Written to the new partitions before anyone owns them.
      await producer.send({ topic: 't', messages: [2, 3].map((partition) => ({ value: `early-${partition}`, partition })) })

      await cluster.advance(HEARTBEAT)
      await cluster.settle()
      expect(group()).toMatchObject({ state: 'Stable', generationId: 3 })
      expect(events('rebalanced').at(-1)!.time).toBeGreaterThan(addedAt)
      expect(owners().a).toHaveLength(2)
      expect([...owners().a!, ...owners().b!].sort()).toEqual([0, 1, 2, 3])
      for (const m of [a, b]) expect(m.joins.at(-1)).toMatchObject({ generationId: 3, memberAssignment: { t: owners()[m.name] } })

      const early = [...a.seen, ...b.seen].filter((d) => d.value.startsWith('early-'))
      expect(valuesOf(early)).toEqual(fromBeginning ? ['early-2', 'early-3'] : [])
      await producer.send({ topic: 't', messages: [0, 1, 2, 3].map((partition) => ({ value: `late-${partition}`, partition })) })
      await cluster.settle()
      const all = [...a.seen, ...b.seen]
      // Nothing read twice, every late message read by the owner of its partition.
      expect(all.map((d) => d.value).sort()).toEqual(
        ['old-0', 'old-1', ...(fromBeginning ? ['early-2', 'early-3'] : []), 'late-0', 'late-1', 'late-2', 'late-3'].sort(),
      )
      for (const m of [a, b]) {
        expect([...new Set(m.seen.filter((d) => d.value.startsWith('late-')).map((d) => d.partition))].sort()).toEqual(owners()[m.name])
      }
    })
  }
})

describe('a subscribed topic is deleted', () => {
  it('the group rebalances without it, drops its offsets, and keeps consuming the other topic', async () => {
    const { cluster, clock, admin, producer, join, group, owners, events } = await world({ topics: { x: 2, y: 2 } })
    const a = await join('a', { topics: ['x', 'y'] })
    await a.running
    await producer.send({ topic: 'x', messages: [{ value: 'x0', partition: 0 }] })
    await producer.send({ topic: 'y', messages: [{ value: 'y0', partition: 0 }] })
    await cluster.settle()
    expect(group().offsets.map((o) => o.topic)).toEqual(['x', 'y'])
    expect(owners('x')).toEqual({ a: [0, 1] })

    await admin.deleteTopics({ topics: ['x'] })
    const deletedAt = clock.now()
    expect(group()).toMatchObject({ state: 'PreparingRebalance', generationId: 1 })
    expect(group().offsets.map((o) => o.topic)).toEqual(['y'])

    await cluster.advance(HEARTBEAT)
    await cluster.settle()
    expect(a.rebalancing).toEqual([deletedAt + HEARTBEAT])
    expect(group()).toMatchObject({ state: 'Stable', generationId: 2 })
    expect(a.joins.at(-1)).toMatchObject({ generationId: 2, memberAssignment: { y: [0, 1] } })
    expect(group().members[0]!.assignment).toEqual({ y: [0, 1] })
    expect(a.crashes).toEqual([])

    await producer.send({ topic: 'y', messages: [{ value: 'y1', partition: 1 }] })
    await cluster.settle()
    expect(valuesOf(a.seen)).toEqual(['x0', 'y0', 'y1'])
  })
})
