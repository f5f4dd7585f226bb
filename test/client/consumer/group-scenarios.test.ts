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
    // Closing the cluster ends any long poll a disconnect would otherwise wait out in virtual time.
    const stopped = members.map((m) => m.consumer.disconnect().catch(() => {}))
    await producer.disconnect().catch(() => {})
    await admin.disconnect().catch(() => {})
    await cluster.close()
    await Promise.all(stopped)
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
      // Written to the new partitions before anyone owns them (by a producer that knows them).
      const fresh = cluster.kafka({ clientId: 'fresh-producer', logLevel: logLevel.NOTHING }).producer()
      await fresh.connect()
      await fresh.send({ topic: 't', messages: [2, 3].map((partition) => ({ value: `early-${partition}`, partition })) })

      await cluster.advance(HEARTBEAT)
      await cluster.settle()
      expect(group()).toMatchObject({ state: 'Stable', generationId: 3 })
      expect(events('rebalanced').at(-1)!.time).toBe(addedAt + HEARTBEAT)
      expect(owners().a).toHaveLength(2)
      expect([...owners().a!, ...owners().b!].sort()).toEqual([0, 1, 2, 3])
      for (const m of [a, b]) expect(m.joins.at(-1)).toMatchObject({ generationId: 3, memberAssignment: { t: owners()[m.name] } })

      const early = [...a.seen, ...b.seen].filter((d) => d.value.startsWith('early-'))
      expect(valuesOf(early)).toEqual(fromBeginning ? ['early-2', 'early-3'] : [])
      await fresh.send({ topic: 't', messages: [0, 1, 2, 3].map((partition) => ({ value: `late-${partition}`, partition })) })
      await fresh.disconnect()
      await cluster.settle()
      const all = [...a.seen, ...b.seen]
      // Nothing read twice, every late message read by the owner of its partition.
      expect(valuesOf(all)).toEqual(
        ['old-0', 'old-1', ...(fromBeginning ? ['early-2', 'early-3'] : []), 'late-0', 'late-1', 'late-2', 'late-3'].sort(),
      )
      for (const m of [a, b]) {
        expect([...new Set(m.seen.filter((d) => d.value.startsWith('late-')).map((d) => d.partition))].sort()).toEqual(owners()[m.name])
      }
    })
  }
})

describe('a member assigned a partition its metadata does not know yet', () => {
  it('refreshes its metadata and consumes them, without crashing', async () => {
    const { cluster, admin, join, group, owners } = await world({ topics: { t: 2 } })
    // The leader refreshes its metadata at every join (metadataMaxAge 0), so it sees the new
    // partitions; b joined before they existed and is parked in JoinGroup meanwhile.
    const a = await join('a', { config: { metadataMaxAge: 0 } })
    await a.running
    const b = await join('b')
    await cluster.advance(0)
    await admin.createPartitions({ topicPartitions: [{ topic: 't', count: 4 }] })
    await cluster.advance(HEARTBEAT)
    expect(b.crashes.map((c) => c.error.message)).toEqual([])
    await cluster.settle()
    expect(group()).toMatchObject({ state: 'Stable', generationId: 2 })
    expect([...owners().a!, ...owners().b!].sort()).toEqual([0, 1, 2, 3])
  })
})

describe('a subscribed topic is deleted', () => {
  it('the group rebalances; the deleted topic’s offsets go; the member goes on consuming the other topic', async () => {
    const { cluster, clock, admin, producer, join, group, events } = await world({ topics: { x: 2, y: 2 } })
    const a = await join('a', { topics: ['x', 'y'] })
    await a.running
    await producer.send({ topic: 'x', messages: [{ value: 'x0', partition: 0 }] })
    await producer.send({ topic: 'y', messages: [{ value: 'y0', partition: 0 }] })
    await cluster.settle()
    expect(group().offsets.map((o) => o.topic)).toEqual(['x', 'y'])
    expect(group().members[0]!.assignment).toEqual({ x: [0, 1], y: [0, 1] })

    await admin.deleteTopics({ topics: ['x'] })
    const deletedAt = clock.now()
    expect(group()).toMatchObject({ state: 'PreparingRebalance', generationId: 1 })
    expect(group().offsets.map((o) => o.topic)).toEqual(['y'])

    await cluster.advance(5 * HEARTBEAT)
    await cluster.settle()
    expect(events('rebalanced').filter((e) => e.time >= deletedAt).length).toBeGreaterThanOrEqual(1)
    expect(group().state).toBe('Stable')
    expect(group().generationId).toBeGreaterThanOrEqual(2)
    expect(a.joins.at(-1)!.memberAssignment.y).toEqual([0, 1])
    // kafkajs's consumer keeps asking for the metadata of every topic it subscribed to, with
    // allowAutoTopicCreation (default true), and the broker's auto.create.topics.enable is true
    // by default: so the deleted topic comes back, empty, with num.partitions (1) partitions,
    // and the group is assigned it again.
    expect(cluster.describe().topics.find((t) => t.name === 'x')?.partitions).toHaveLength(1)
    expect(group().members[0]!.assignment).toEqual({ x: [0], y: [0, 1] })

    await producer.send({ topic: 'y', messages: [{ value: 'y1', partition: 1 }] })
    await cluster.settle()
    expect(valuesOf(a.seen)).toEqual(['x0', 'y0', 'y1'])
  })

  it('a member whose fetch finds its topic gone rejoins at once, without a retry back-off or a crash', async () => {
    const { cluster, clock, admin, join } = await world({ topics: { x: 2, y: 2 } })
    const a = await join('a', { topics: ['x', 'y'] })
    await a.running
    await cluster.settle()
    await admin.deleteTopics({ topics: ['x'] })
    const deletedAt = clock.now()
    // Kafka completes a parked fetch for a partition that no longer exists; at the latest the
    // long poll ends at the member's next heartbeat.
    await cluster.advance(HEARTBEAT)
    expect(a.crashes).toEqual([])
    expect(a.joins.length).toBeGreaterThanOrEqual(2)
    expect(a.joins[1]!.at).toBeLessThanOrEqual(deletedAt + HEARTBEAT)
  })
})

describe('disconnect() on virtual time', () => {
  it('returns without time passing, even when called as the member rejoins (from its consumer.group_join listener)', async () => {
    const { cluster, join } = await world()
    const a = await join('a')
    await a.running
    await cluster.settle()
    let disconnected: Promise<string> | undefined
    a.consumer.on(a.consumer.events.GROUP_JOIN, () => {
      disconnected ??= a.consumer.disconnect().then(() => 'disconnected')
    })
    await join('b')
    await cluster.advance(HEARTBEAT)
    expect(disconnected).toBeDefined()
    const realTimeout = new Promise<string>((resolve) => setTimeout(() => resolve('still waiting'), 200))
    expect(await Promise.race([disconnected!, realTimeout])).toBe('disconnected')
  })
})

// -------------------------------------------------------------------------------------------
// Assignment protocols

/** A custom assigner of the kind kafkajs users write with AssignerProtocol. */
const otherAssigner: PartitionAssigner = () => ({
  name: 'OtherAssigner',
  version: 0,
  async assign({ members }) {
    return members.map(({ memberId }) => ({
      memberId,
      memberAssignment: AssignerProtocol.MemberAssignment.encode({ version: 0, assignment: {}, userData: Buffer.alloc(0) }),
    }))
  },
  protocol({ topics }) {
    return { name: 'OtherAssigner', metadata: AssignerProtocol.MemberMetadata.encode({ version: 0, topics, userData: Buffer.alloc(0) }) }
  },
})

describe('members with no protocol in common', () => {
  it('the newcomer gets INCONSISTENT_GROUP_PROTOCOL and crashes for good (not retriable: no restart); the group is untouched', async () => {
    const { cluster, join, group, owners, events } = await world()
    const a = await join('a')
    await a.running
    await cluster.settle()

    const b = await join('b', { config: { partitionAssigners: [otherAssigner] } })
    // run() itself resolves: kafkajs's runner.start() catches the join error and crashes.
    await b.running
    await cluster.advance(0)
    expect(b.crashes).toHaveLength(1)
    const { error, restart } = b.crashes[0]!
    expect(error.name).toBe('KafkaJSProtocolError')
    expect(error.type).toBe('INCONSISTENT_GROUP_PROTOCOL')
    expect(error.code).toBe(23)
    expect(error.retriable).toBe(false)
    expect(restart).toBe(false)

    // The coordinator refused it before making it a member: no rebalance, nothing moved.
    expect(events('memberJoined')).toHaveLength(1)
    expect(group()).toMatchObject({ state: 'Stable', generationId: 1, protocol: 'RoundRobinAssigner' })
    expect(owners()).toEqual({ a: [0, 1, 2, 3] })
    await cluster.advance(60_000)
    expect(b.crashes).toHaveLength(1)
    expect(b.joins).toEqual([])
    expect(a.rebalancing).toEqual([])
  })
})

describe('the range assigner (PartitionAssigners.range)', () => {
  it('assigns per topic, in ranges over the members in lexicographic order (the RangeAssignor javadoc example)', async () => {
    const { cluster, join, group, owners } = await world({ topics: { t0: 3, t1: 3 } })
    const range = { partitionAssigners: [PartitionAssigners.range] }
    const c0 = await join('c0', { topics: ['t0', 't1'], config: range })
    await c0.running
    const c1 = await join('c1', { topics: ['t0', 't1'], config: range })
    await cluster.advance(HEARTBEAT)
    await c1.running
    await cluster.settle()
    expect(group().protocol).toBe('RangeAssigner')
    expect([c0, c1].map((m) => m.joins.at(-1)!.groupProtocol)).toEqual(['RangeAssigner', 'RangeAssigner'])
    // Member ids are clientId-uuid, so c0 sorts first.
    expect(group().members.map((m) => [m.clientId, m.assignment])).toEqual(
      expect.arrayContaining([
        ['c0', { t0: [0, 1], t1: [0, 1] }],
        ['c1', { t0: [2], t1: [2] }],
      ]),
    )

    // A third member that prefers round-robin but also speaks range: range is the only
    // protocol every member supports, so the group stays on it.
    const c2 = await join('c2', { topics: ['t0', 't1'], config: { partitionAssigners: [PartitionAssigners.roundRobin, PartitionAssigners.range] } })
    await cluster.advance(HEARTBEAT)
    await c2.running
    await cluster.settle()
    expect(group()).toMatchObject({ protocol: 'RangeAssigner', generationId: 3 })
    expect(c2.joins.at(-1)!.groupProtocol).toBe('RangeAssigner')
    expect(owners('t0')).toEqual({ c0: [0], c1: [1], c2: [2] })
    expect(owners('t1')).toEqual({ c0: [0], c1: [1], c2: [2] })
  })
})

describe('a custom assigner written with AssignerProtocol', () => {
  /** "Everything to the lexicographically first member", passing each member's zone as userData. */
  function firstTakesAll(zone: string, seenByLeader: { memberId: string; version: number; zone: string }[][]): PartitionAssigner {
    return ({ cluster }) => ({
      name: 'FirstTakesAll',
      version: 1,
      async assign({ members, topics }) {
        const sorted = [...members].sort((x, y) => (x.memberId < y.memberId ? -1 : x.memberId > y.memberId ? 1 : 0))
        seenByLeader.push(
          sorted.map(({ memberId, memberMetadata }) => {
            const metadata = AssignerProtocol.MemberMetadata.decode(memberMetadata)!
            return { memberId, version: metadata.version, zone: metadata.userData.toString() }
          }),
        )
        const everything = Object.fromEntries(topics.map((topic) => [topic, cluster.findTopicPartitionMetadata(topic).map((p) => p.partitionId).sort()]))
        return sorted.map(({ memberId }, rank) => ({
          memberId,
          memberAssignment: AssignerProtocol.MemberAssignment.encode({
            version: 1,
            assignment: rank === 0 ? everything : {},
            userData: Buffer.from(`rank=${rank}`),
          }),
        }))
      },
      protocol({ topics }) {
        return { name: 'FirstTakesAll', metadata: AssignerProtocol.MemberMetadata.encode({ version: 1, topics, userData: Buffer.from(zone) }) }
      },
    })
  }

  it('runs on the leader with every member’s userData, and its assignment (userData included) reaches the members', async () => {
    const { cluster, admin, join, group, owners, onePerPartition } = await world({ topics: { t: 3 } })
    const seenByLeader: { memberId: string; version: number; zone: string }[][] = []
    // b joins first and leads; a sorts first and so takes everything.
    const b = await join('b', { config: { partitionAssigners: [firstTakesAll('zone-b', seenByLeader)] } })
    await b.running
    const a = await join('a', { config: { partitionAssigners: [firstTakesAll('zone-a', seenByLeader)] } })
    await cluster.advance(HEARTBEAT)
    await a.running
    await cluster.settle()

    expect(group()).toMatchObject({ state: 'Stable', generationId: 2, protocol: 'FirstTakesAll' })
    expect(b.joins.at(-1)).toMatchObject({ isLeader: true, groupProtocol: 'FirstTakesAll' })
    expect(a.joins.at(-1)).toMatchObject({ isLeader: false, memberAssignment: { t: [0, 1, 2] } })
    expect(b.joins.at(-1)!.memberAssignment).toEqual({})
    expect(owners()).toEqual({ a: [0, 1, 2], b: [] })
    // The leader saw both members' metadata as they encoded it.
    expect(seenByLeader.at(-1)!.map((m) => [m.memberId.split('-')[0], m.version, m.zone])).toEqual([
      ['a', 1, 'zone-a'],
      ['b', 1, 'zone-b'],
    ])

    // What the coordinator hands out is the leader's bytes, userData included.
    const [described] = (await admin.describeGroups(['g'])).groups
    const byClient = Object.fromEntries(
      described!.members.map((m) => {
        const assignment = AssignerProtocol.MemberAssignment.decode(m.memberAssignment)!
        const metadata = AssignerProtocol.MemberMetadata.decode(m.memberMetadata)!
        return [m.clientId, { assignment: assignment.assignment, userData: assignment.userData.toString(), zone: metadata.userData.toString() }]
      }),
    )
    expect(byClient).toEqual({
      a: { assignment: { t: [0, 1, 2] }, userData: 'rank=0', zone: 'zone-a' },
      b: { assignment: {}, userData: 'rank=1', zone: 'zone-b' },
    })

    await onePerPartition('m')
    await cluster.settle()
    expect(valuesOf(a.seen)).toEqual(['m0', 'm1', 'm2'])
    expect(b.seen).toEqual([])
  })
})

// -------------------------------------------------------------------------------------------
// Failures and offsets

describe('a zombie: the process hangs inside eachMessage', () => {
  it('its late commit is refused; the message is redelivered to the new owner (at-least-once)', async () => {
    const { cluster, producer, join, group, owners, events, committed } = await world({ topics: { t: 2 } })
    const a = await join('a')
    await a.running
    const z = await join('z', {
      onMessage: async ({ message }) => {
        // The process hangs from here on; the handler itself returns normally.
        if (message.value!.toString() === 'work') cluster.pauseClient('z')
      },
    })
    await cluster.advance(HEARTBEAT)
    await z.running
    await cluster.settle()
    expect(group().generationId).toBe(2)
    const [zPartition] = owners().z!

    await producer.send({ topic: 't', messages: [{ value: 'work', partition: zPartition! }] })
    await cluster.advance(0)
    expect(z.seen.map((d) => d.value)).toEqual(['work'])
    // z's commit of offset 1 left its process but never reached the coordinator.
    expect(committed()[zPartition!]).toBeUndefined()

    await cluster.advance(SESSION + 2 * HEARTBEAT)
    await cluster.settle()
    expect(events('memberRemoved').map((e) => e.reason)).toEqual(['sessionTimeout'])
    expect(group()).toMatchObject({ state: 'Stable', generationId: 3 })
    expect(owners()).toEqual({ a: [0, 1] })
    // The new owner reads the message again and commits it in generation 3.
    expect(a.seen.filter((d) => d.partition === zPartition).map((d) => [d.offset, d.value])).toEqual([[0, 'work']])
    expect(committed()[zPartition!]).toBe(1)
    const commitsOfPartition = () => events('offsetsCommitted').filter((e) => e.offsets.some((o) => o.partition === zPartition))
    expect(commitsOfPartition().map((e) => e.generationId)).toEqual([3])

    // The zombie wakes: its held commit (generation 2) is refused, it rejoins as a new member.
    cluster.resumeClient('z')
    await cluster.advance(HEARTBEAT)
    await cluster.settle()
    expect(commitsOfPartition().map((e) => e.generationId)).toEqual([3])
    expect(group()).toMatchObject({ state: 'Stable', generationId: 4 })
    expect(Object.keys(owners()).sort()).toEqual(['a', 'z'])
    // Delivered twice in all, never lost; nobody reads it a third time.
    const deliveries = [...a.seen, ...z.seen].filter((d) => d.value === 'work')
    expect(deliveries).toHaveLength(2)
    expect(committed()[zPartition!]).toBe(1)
  })
})

describe('autoCommitInterval (ManualClock)', () => {
  // kafkajs commits after every batch regardless; within a batch (eachMessage), it commits once
  // autoCommitInterval ms have passed since the last commit (offsetManager.commitOffsetsIfNecessary).
  for (const [autoCommitInterval, expected] of [
    [5_000, [[6_000, 3], [8_000, 4]]],
    [null, [[8_000, 4]]],
  ] as const) {
    it(`${autoCommitInterval === null ? 'without an interval, commits only at the end of the batch' : 'commits mid-batch only once the interval has passed'} (autoCommitInterval: ${autoCommitInterval})`, async () => {
      const { cluster, clock, producer, join, events } = await world({ topics: { t: 1 } })
      await producer.send({ topic: 't', messages: ['m0', 'm1', 'm2', 'm3'].map((value) => ({ value, partition: 0 })) })
      // Each message takes 2 s of virtual time to handle.
      const a = await join('a', {
        run: { autoCommitInterval },
        onMessage: () => new Promise<void>((resolve) => void clock.setTimeout(resolve, 2_000)),
      })
      await a.running
      await cluster.advance(10_000)
      expect(a.seen.map((d) => [d.at, d.offset])).toEqual([
        [0, 0],
        [2_000, 1],
        [4_000, 2],
        [6_000, 3],
      ])
      expect(events('offsetsCommitted').map((e) => [e.time, e.offsets[0]!.offset])).toEqual(expected)
    })
  }
})

describe('offsets.retention.minutes', () => {
  const brokerConfig = { 'offsets.retention.minutes': 1, 'offsets.retention.check.interval.ms': 1_000 }

  it('an Empty group’s offsets expire retention after it became Empty (at the next check); the next member starts over', async () => {
    const { cluster, clock, producer, join, group } = await world({ topics: { t: 1 }, brokerConfig })
    await producer.send({ topic: 't', messages: [{ value: 'm0', partition: 0 }, { value: 'm1', partition: 0 }] })
    const a = await join('a')
    await a.running
    await cluster.settle()
    await cluster.advance(500)
    await a.consumer.disconnect()
    const emptyAt = clock.now()
    expect(group()).toMatchObject({ state: 'Empty' })
    expect(group().offsets.map((o) => o.committedOffset)).toEqual([2])

    // Retention has passed, but the expiry pass runs every second, from the broker's start.
    await cluster.advance(emptyAt + 60_000 - clock.now())
    expect(group().offsets.map((o) => o.committedOffset)).toEqual([2])
    await cluster.advance(Math.ceil(clock.now() / 1_000) * 1_000 - clock.now())
    // The group, Empty and without offsets, is removed altogether.
    expect(cluster.describe().groups).toEqual([])

    const b = await join('b')
    await b.running
    await cluster.settle()
    expect(b.seen.map((d) => d.value)).toEqual(['m0', 'm1'])
  })

  it('a group with a member subscribed to the topic keeps its offsets however long it runs', async () => {
    const { cluster, producer, join, group } = await world({ topics: { t: 1 }, brokerConfig })
    await producer.send({ topic: 't', messages: [{ value: 'm0', partition: 0 }] })
    const a = await join('a')
    await a.running
    await cluster.settle()
    await cluster.advance(10 * 60_000)
    expect(group()).toMatchObject({ state: 'Stable', generationId: 1 })
    expect(group().offsets.map((o) => o.committedOffset)).toEqual([1])
  })
})

describe('admin.deleteGroups', () => {
  it('is refused with NON_EMPTY_GROUP while a member remains, and deletes the group (offsets and all) once it is Empty', async () => {
    const { cluster, admin, producer, join, group } = await world({ topics: { t: 1 } })
    await producer.send({ topic: 't', messages: [{ value: 'm0', partition: 0 }] })
    const a = await join('a')
    await a.running
    await cluster.settle()

    const refused = await admin.deleteGroups(['g']).catch((e: unknown) => e)
    expect(refused).toBeInstanceOf(KafkaJSDeleteGroupsError)
    const [failure] = (refused as KafkaJSDeleteGroupsError).groups
    expect(failure).toMatchObject({ groupId: 'g', errorCode: 68 })
    expect(failure!.error).toMatchObject({ type: 'NON_EMPTY_GROUP' })
    expect(group()).toMatchObject({ state: 'Stable', offsets: [expect.objectContaining({ committedOffset: 1 })] })

    await a.consumer.disconnect()
    expect(await admin.deleteGroups(['g'])).toEqual([{ groupId: 'g', errorCode: 0 }])
    expect(cluster.describe().groups).toEqual([])
    // The next member of 'g' has no commit to resume from.
    const b = await join('b')
    await b.running
    await cluster.settle()
    expect(b.seen.map((d) => d.value)).toEqual(['m0'])
  })
})

describe('admin.setOffsets and admin.resetOffsets', () => {
  it('are refused while the group runs, and move where the next member starts once it is Empty', async () => {
    const { cluster, admin, producer, join, committed } = await world({ topics: { t: 1 } })
    await producer.send({ topic: 't', messages: ['m0', 'm1', 'm2', 'm3'].map((value) => ({ value, partition: 0 })) })
    const a = await join('a')
    await a.running
    await cluster.settle()
    expect(committed()).toEqual({ 0: 4 })

    const message = 'The consumer group must have no running instances, current state: Stable'
    await expect(admin.setOffsets({ groupId: 'g', topic: 't', partitions: [{ partition: 0, offset: '2' }] })).rejects.toThrow(
      new KafkaJSNonRetriableError(message),
    )
    await expect(admin.resetOffsets({ groupId: 'g', topic: 't', earliest: true })).rejects.toThrow(message)
    expect(committed()).toEqual({ 0: 4 })
    await a.consumer.disconnect()

    await admin.setOffsets({ groupId: 'g', topic: 't', partitions: [{ partition: 0, offset: '2' }] })
    expect(committed()).toEqual({ 0: 2 })
    const b = await join('b')
    await b.running
    await cluster.settle()
    expect(b.seen.map((d) => d.value)).toEqual(['m2', 'm3'])
    await b.consumer.disconnect()

    await admin.resetOffsets({ groupId: 'g', topic: 't', earliest: true })
    const c = await join('c')
    await c.running
    await cluster.settle()
    expect(c.seen.map((d) => d.value)).toEqual(['m0', 'm1', 'm2', 'm3'])
  })
})

describe('OFFSET_OUT_OF_RANGE while running (admin.deleteTopicRecords overtakes a paused member)', () => {
  // KAFKA-SEMANTICS scenario 9: the fetch position falls below the log start; the consumer
  // resets by its policy, kafkajs's fromBeginning (earliest) or else latest.
  for (const [fromBeginning, expected] of [
    [true, ['m0', 'm3', 'm4', 'm5']],
    [false, ['m0', 'm5']],
  ] as const) {
    it(`resets to the ${fromBeginning ? 'earliest' : 'latest'} offset (fromBeginning: ${fromBeginning})`, async () => {
      const { cluster, admin, producer, join, committed } = await world({ topics: { t: 1 } })
      const a = await join('a', { fromBeginning })
      await a.running
      await producer.send({ topic: 't', messages: [{ value: 'm0', partition: 0 }] })
      await cluster.settle()
      a.consumer.pause([{ topic: 't' }])
      await producer.send({ topic: 't', messages: ['m1', 'm2', 'm3', 'm4'].map((value) => ({ value, partition: 0 })) })
      await admin.deleteTopicRecords({ topic: 't', partitions: [{ partition: 0, offset: '3' }] })
      expect(cluster.describe().topics[0]!.partitions[0]).toMatchObject({ logStartOffset: 3, highWatermark: 5 })

      a.consumer.resume([{ topic: 't' }])
      await cluster.settle()
      await producer.send({ topic: 't', messages: [{ value: 'm5', partition: 0 }] })
      await cluster.settle()
      expect(a.seen.map((d) => d.value)).toEqual(expected)
      expect(committed()).toEqual({ 0: 6 })
      expect(a.crashes).toEqual([])
    })
  }
})

describe('retry.restartOnFailure', () => {
  for (const restart of [false, true]) {
    it(`${restart ? 'true restarts the crashed consumer after the back-off' : 'false keeps the crashed consumer down for good'}`, async () => {
      const { cluster, producer, join, group } = await world({ topics: { t: 1 } })
      await producer.send({ topic: 't', messages: [{ value: 'm0', partition: 0 }] })
      const asked: string[] = []
      const a = await join('a', {
        config: {
          retry: {
            retries: 1,
            initialRetryTime: 100,
            restartOnFailure: async (error: Error) => {
              asked.push(error.name)
              return restart
            },
          },
        },
        onMessage: async () => {
          throw new Error('handler keeps failing')
        },
      })
      await a.running
      await cluster.advance(1_000)
      // Delivered, retried once, then KafkaJSNumberOfRetriesExceeded: the consumer crashes.
      expect([a.crashes[0]!.error.name, a.crashes[0]!.restart]).toEqual(['KafkaJSNumberOfRetriesExceeded', restart])
      expect(asked[0]).toBe('KafkaJSNumberOfRetriesExceeded')
      const deliveriesAtCrash = a.seen.filter((d) => d.at <= a.crashes[0]!.at).length
      expect(deliveriesAtCrash).toBe(2)

      await cluster.advance(60_000)
      if (restart) {
        // Restarted: it rejoined and got the same message again.
        expect(a.joins.length).toBeGreaterThan(1)
        expect(a.seen.length).toBeGreaterThan(2)
        expect(new Set(a.seen.map((d) => d.offset))).toEqual(new Set([0]))
      } else {
        expect(a.joins).toHaveLength(1)
        expect(a.seen).toHaveLength(2)
        expect(a.crashes).toHaveLength(1)
        expect(group()).toMatchObject({ state: 'Empty', members: [] })
      }
    })
  }
})
