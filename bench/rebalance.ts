/**
 * Rebalance of 100 members over 1000 partitions (issue 15's target: <= 30 ms end to end), measured
 * twice; the end-to-end rebalance swept over group sizes 10 / 100 / 200; and 200 members joining
 * one by one (issue 15: each join <= 5 ms of CPU).
 *
 * - coordinator: the group coordinator alone, driven through the request boundary
 *   (`ClusterModel.send`) by 100 scripted members, the leader assigning with the round-robin
 *   assigner. A sample is one complete rebalance triggered by a 100th member joining a Stable
 *   group of 99: its JoinGroup (MEMBER_ID_REQUIRED, then the parked rejoin), every other
 *   member's Heartbeat answered REBALANCE_IN_PROGRESS and its JoinGroup, all 100 JoinGroups
 *   answered, the leader's assignment, every SyncGroup answered with its partitions. Each member
 *   learns of the rebalance from a heartbeat, as a kafkajs member does; with a ManualClock time
 *   stands still, so no timer fires during a sample. Between samples (untimed) the newcomer
 *   leaves and the other 99 rebalance back to Stable.
 * - end to end: 100 kafkajs-facade consumers (ManualClock, heartbeatInterval 1000) in one group
 *   on a 1000-partition topic. A sample starts when a 100th consumer calls run() on a settled
 *   group of 99; the clock is then advanced to the members' next heartbeat (the moment a kafkajs
 *   member would notice the rebalance; virtual time costs nothing), and the sample ends when
 *   cluster.settle() resolves with all 100 rejoined, synced, their offsets loaded and fetching
 *   again. It includes the clients' work: heartbeat, commit before rejoining, JoinGroup,
 *   SyncGroup, OffsetFetch, one ListOffsets per newly assigned partition, the next fetches,
 *   and the ManualClock running the 99 due fetch timers one macrotask apart. Between samples
 *   (untimed) the newcomer disconnects and the 99 rebalance back. The same for groups of 10 and
 *   200 (rows with the cost relative to 10 members; their partitions divide unevenly at 200).
 * - joins one by one: 200 consumers join a new group one after another, each once the group is
 *   Stable again; the CPU time of each join (joinsOneByOne), reported as the median of joins
 *   1-10, 91-100 and 191-200, and the dearest join against the 5 ms target.
 *
 * The baseline is the same rebalance in plain JS: an async hop per member to "join", sort the
 * member ids, deal the partitions round-robin, an async hop per member to hand its share back.
 */
import { Bench, type FnReturnedObject } from 'tinybench'
import { ClusterModel } from '../src/cluster/cluster-model.js'
import { CoordinatorType, type JoinGroupResponse, type SyncGroupResponse } from '../src/cluster/api/messages.js'
import { Cluster, ManualClock, PartitionAssigners, AssignerProtocol, logLevel, type Assigner, type Consumer, type ConsumerConfig } from '../src/index.js'
import { fullGc } from './gc.js'
import { completed, type BenchResult } from './result.js'

const memberCount = 100
const partitionCount = 1000
const topic = 'rebalance'
const groupId = 'rebalance-group'
const targetMs = 30
/** The group sizes of the end-to-end sweep (issue 15): a cliff in members shows as a jump in its ratio column. */
const GROUP_SIZES = [10, 100, 200]
/** Members joining one by one, and the CPU each join may cost (issue 15). */
const JOINS = 200
const JOIN_CPU_TARGET_MS = 5

// Kafka's error codes, as the scripted members check them.
const NONE = 0
const REBALANCE_IN_PROGRESS = 27
const MEMBER_ID_REQUIRED = 79

const silentLogger = { info() {}, error() {}, warn() {}, debug() {} }

// =============================================================================================
// (a) The coordinator alone

interface ScriptedMember {
  readonly memberId: string
  generationId: number
}

/** A JoinGroup the coordinator has parked; wrapped so that awaiting the wrapper does not await it. */
interface ParkedJoin {
  readonly response: Promise<JoinGroupResponse>
}

/** 100 members played by a script against one coordinator, as kafkajs members would talk to it. */
class ScriptedGroup {
  readonly members: ScriptedMember[] = []
  private readonly clientId = 'bench'

  private constructor(
    private readonly model: ClusterModel,
    private readonly clock: ManualClock,
    private readonly coordinator: number,
    private readonly assigner: Assigner,
    private readonly protocols: { name: string; metadata: Buffer }[],
  ) {}

  /** A cluster whose coordinator hosts a Stable group of `size` members. */
  static async create(size: number): Promise<ScriptedGroup> {
    const clock = new ManualClock(0)
    // A short initial delay gathers the first `size` members into one generation (setup only).
    const model = new ClusterModel({ clock, seed: 1, brokerConfig: { 'group.initial.rebalance.delay.ms': 1000 } })
    const created = await model.send(0, {
      api: 'CreateTopics',
      topics: [{ name: topic, numPartitions: partitionCount, replicationFactor: 1, assignments: [], configs: [] }],
      timeoutMs: 0,
      validateOnly: false,
    })
    if (created.topics[0]?.errorCode !== NONE) throw new Error(`CreateTopics failed: ${created.topics[0]?.errorCode}`)
    // The leader's view of the topic, as its client's metadata cache would hold it.
    const metadata = await model.send(0, { api: 'Metadata', topics: [topic], allowAutoTopicCreation: false })
    const partitions = metadata.topics[0]!.partitions.map((p) => ({
      partitionErrorCode: p.errorCode,
      partitionId: p.partitionIndex,
      leader: p.leaderId,
      replicas: p.replicaNodes,
      isr: p.isrNodes,
    }))
    const assigner = PartitionAssigners.roundRobin({
      cluster: { findTopicPartitionMetadata: (name) => (name === topic ? partitions : []) },
      groupId,
      logger: silentLogger,
    })
    const { name, metadata: subscription } = assigner.protocol({ topics: [topic] })
    const coordinator = model.coordinatorFor(groupId, CoordinatorType.GROUP)!
    const group = new ScriptedGroup(model, clock, coordinator, assigner, [{ name, metadata: subscription }])

    const joins: ParkedJoin[] = []
    for (let i = 0; i < size; i++) joins.push(await group.newMemberJoins())
    // InitialDelayedJoin: each expiry with new members extends the wait once more.
    let answered = false
    void Promise.all(joins.map((j) => j.response)).then(() => (answered = true))
    while (!answered) await clock.advance(1000)
    await group.completeRebalance(joins.map((j) => j.response))
    return group
  }

  close(): Promise<void> {
    return this.model.close()
  }

  private join(memberId: string): Promise<JoinGroupResponse> {
    return this.model.send(this.coordinator, {
      api: 'JoinGroup',
      groupId,
      sessionTimeoutMs: 30_000,
      rebalanceTimeoutMs: 60_000,
      memberId,
      protocolType: 'consumer',
      protocols: this.protocols,
      clientId: this.clientId,
      clientHost: '/127.0.0.1',
    })
  }

  /** A new member's first JoinGroup (answered MEMBER_ID_REQUIRED, KIP-394) and its rejoin, parked. */
  async newMemberJoins(): Promise<ParkedJoin> {
    const first = await this.join('')
    if (first.errorCode !== MEMBER_ID_REQUIRED) throw new Error(`first JoinGroup answered ${first.errorCode}`)
    return { response: this.join(first.memberId) }
  }

  /** Every current member heartbeats, is told REBALANCE_IN_PROGRESS, and rejoins. */
  heartbeatsAndRejoins(): Promise<JoinGroupResponse>[] {
    return this.members.map(async (member) => {
      const heartbeat = await this.model.send(this.coordinator, { api: 'Heartbeat', groupId, generationId: member.generationId, memberId: member.memberId })
      if (heartbeat.errorCode !== REBALANCE_IN_PROGRESS) throw new Error(`Heartbeat answered ${heartbeat.errorCode}, expected REBALANCE_IN_PROGRESS`)
      return this.join(member.memberId)
    })
  }

  /**
   * Waits for every JoinGroup answer, lets the leader assign, sends every SyncGroup (followers
   * first, as they are not waiting on an assigner) and waits for their answers.
   */
  async completeRebalance(joins: Promise<JoinGroupResponse>[]): Promise<SyncGroupResponse[]> {
    const answers = await Promise.all(joins)
    for (const a of answers) if (a.errorCode !== NONE) throw new Error(`JoinGroup answered ${a.errorCode}`)
    const leader = answers.find((a) => a.leader === a.memberId)
    if (!leader) throw new Error('no member was told it leads the group')
    const syncs: Promise<SyncGroupResponse>[] = []
    const sync = (answer: JoinGroupResponse, assignments: { memberId: string; assignment: Buffer }[]) =>
      this.model.send(this.coordinator, {
        api: 'SyncGroup',
        groupId,
        generationId: answer.generationId,
        memberId: answer.memberId,
        protocolType: 'consumer',
        protocolName: answer.protocolName,
        assignments,
      })
    for (const a of answers) if (a !== leader) syncs.push(sync(a, []))
    const assigned = await this.assigner.assign({ members: leader.members.map((m) => ({ memberId: m.memberId, memberMetadata: m.metadata })), topics: [topic] })
    syncs.push(sync(leader, assigned.map((a) => ({ memberId: a.memberId, assignment: a.memberAssignment }))))
    const results = await Promise.all(syncs)
    for (const r of results) if (r.errorCode !== NONE) throw new Error(`SyncGroup answered ${r.errorCode}`)
    this.members.length = 0
    for (const a of answers) this.members.push({ memberId: a.memberId, generationId: a.generationId })
    return results
  }

  /** The newest member leaves; the others rebalance without it. */
  async lastMemberLeaves(memberId: string): Promise<void> {
    const left = await this.model.send(this.coordinator, { api: 'LeaveGroup', groupId, members: [{ memberId }] })
    if (left.errorCode !== NONE) throw new Error(`LeaveGroup answered ${left.errorCode}`)
    const index = this.members.findIndex((m) => m.memberId === memberId)
    this.members.splice(index, 1)
    await this.completeRebalance(this.heartbeatsAndRejoins())
  }
}

/** Every member holds partitionCount / memberCount partitions and together they hold all of them once. */
function checkAssignments(results: readonly SyncGroupResponse[]): void {
  const seen = new Set<number>()
  for (const r of results) {
    const partitions = AssignerProtocol.MemberAssignment.decode(r.assignment)?.assignment[topic] ?? []
    if (partitions.length !== partitionCount / memberCount) throw new Error(`a member got ${partitions.length} partitions`)
    for (const p of partitions) seen.add(p)
  }
  if (seen.size !== partitionCount) throw new Error(`${seen.size} of ${partitionCount} partitions assigned`)
}

async function benchCoordinator(bench: Bench): Promise<() => Promise<void>> {
  const group = await ScriptedGroup.create(memberCount - 1)
  let newcomer: string | undefined
  bench.add(
    'coordinator',
    async (): Promise<FnReturnedObject> => {
      const startedAt = performance.now()
      const joined = await group.newMemberJoins()
      const results = await group.completeRebalance([joined.response, ...group.heartbeatsAndRejoins()])
      const elapsed = performance.now() - startedAt
      newcomer = (await joined.response).memberId
      checkAssignments(results)
      return { overriddenDuration: elapsed }
    },
    {
      beforeEach: fullGc,
      afterEach: async () => {
        if (newcomer !== undefined) await group.lastMemberLeaves(newcomer)
        newcomer = undefined
      },
    },
  )
  return () => group.close()
}

// =============================================================================================
// (b) End to end, through the kafkajs facade

const consumerConfig: ConsumerConfig = { groupId, heartbeatInterval: 1000, sessionTimeout: 30_000 }

async function benchEndToEnd(bench: Bench, memberCount: number): Promise<() => Promise<void>> {
  const clock = new ManualClock(0)
  // The initial delay only gathers the first 99 into one generation during setup.
  const cluster = new Cluster({ brokers: 3, clock, seed: 1, brokerConfig: { 'group.initial.rebalance.delay.ms': 1000 } })
  const kafka = cluster.kafka({ clientId: 'bench', logLevel: logLevel.NOTHING })
  const admin = kafka.admin()
  await admin.connect()
  await admin.createTopics({ topics: [{ topic, numPartitions: partitionCount, replicationFactor: 3 }] })
  await admin.disconnect()

  const group = () => cluster.describe().groups.find((g) => g.groupId === groupId)!
  const newConsumer = async (): Promise<Consumer> => {
    const consumer = kafka.consumer(consumerConfig)
    await consumer.connect()
    await consumer.subscribe({ topics: [topic], fromBeginning: true })
    return consumer
  }
  const run = (consumer: Consumer) => consumer.run({ eachMessage: async () => {} })
  /** Advances the clock to the earliest pending timer: the members' fetches waiting for their next heartbeat. */
  const advanceToNextHeartbeat = () => cluster.advance(clock.nextTimerAt()! - clock.now())

  const members: Consumer[] = []
  for (let i = 0; i < memberCount - 1; i++) members.push(await newConsumer())
  let running = 0
  for (const c of members) void run(c).then(() => running++)
  while (running < members.length) await cluster.advance(1000)
  await cluster.settle({ timeoutMs: 30_000 })
  if (group().members.length !== memberCount - 1 || group().state !== 'Stable') throw new Error(`the ${memberCount - 1} consumers did not form a Stable group`)

  let newcomer: Consumer | undefined
  let generationBefore = 0
  bench.add(
    `end to end ${memberCount}`,
    async (): Promise<FnReturnedObject> => {
      const consumer = newcomer!
      const startedAt = performance.now()
      const joined = run(consumer)
      await advanceToNextHeartbeat()
      await joined
      await cluster.settle()
      const elapsed = performance.now() - startedAt
      const after = group()
      if (after.state !== 'Stable' || after.generationId !== generationBefore + 1 || after.members.length !== memberCount) {
        throw new Error(`after the join: ${after.state}, generation ${after.generationId}, ${after.members.length} members`)
      }
      for (const m of after.members) {
        const share = m.assignment[topic]?.length ?? 0
        if (share !== Math.floor(partitionCount / memberCount) && share !== Math.ceil(partitionCount / memberCount)) throw new Error('uneven assignment')
      }
      return { overriddenDuration: elapsed }
    },
    {
      // A full GC first (untimed), as in `consume`: the previous sample's garbage is not this one's.
      beforeEach: async () => {
        fullGc()
        newcomer = await newConsumer()
        generationBefore = group().generationId
      },
      afterEach: async () => {
        const leaving = newcomer
        newcomer = undefined
        if (!leaving) return
        await leaving.disconnect()
        await advanceToNextHeartbeat()
        await cluster.settle()
      },
    },
  )
  return async () => {
    for (const c of members) await c.disconnect()
    await cluster.close()
  }
}

// =============================================================================================
// The raw-JS baseline

async function rawRebalance(memberIds: readonly string[]): Promise<number> {
  const joined: string[] = []
  for (const id of memberIds) joined.push(await Promise.resolve(id))
  joined.sort()
  const shares = joined.map(() => [] as number[])
  for (let p = 0; p < partitionCount; p++) shares[p % shares.length]!.push(p)
  let handedOut = 0
  for (const share of shares) handedOut += (await Promise.resolve(share)).length
  return handedOut
}

// =============================================================================================
// Members joining one by one

/**
 * `count` kafkajs-facade consumers join one group on a 1000-partition topic one after another,
 * each after the group is Stable again (ManualClock, heartbeatInterval 1000): for each join, the
 * CPU time (process.cpuUsage) from its run() through the members noticing at their next
 * heartbeat, rejoining, syncing, loading offsets and fetching, until cluster.settle() resolves.
 * Consumers are created, connected and subscribed outside the measured part. GC is included,
 * after a full collection once the topic is created.
 */
async function joinsOneByOne(count: number): Promise<number[]> {
  const clock = new ManualClock(0)
  const cluster = new Cluster({ brokers: 3, clock, seed: 1 })
  const kafka = cluster.kafka({ clientId: 'bench', logLevel: logLevel.NOTHING })
  const admin = kafka.admin()
  await admin.connect()
  await admin.createTopics({ topics: [{ topic, numPartitions: partitionCount, replicationFactor: 3 }] })
  await admin.disconnect()
  // The cluster's setup (and the earlier rows') garbage is collected here, not in the first
  // joins: the first young collection after creating 3 000 replicas took ~17 ms, and it landed
  // in join 1 or one of joins 5-8, which then read as the dearest join.
  fullGc()
  const members: Consumer[] = []
  const cpuMs: number[] = []
  try {
    for (let i = 0; i < count; i++) {
      const consumer = kafka.consumer(consumerConfig)
      await consumer.connect()
      await consumer.subscribe({ topics: [topic], fromBeginning: true })
      members.push(consumer)
      const before = process.cpuUsage()
      const joined = consumer.run({ eachMessage: async () => {} })
      const next = clock.nextTimerAt()
      if (next !== undefined) await cluster.advance(next - clock.now())
      await joined
      await cluster.settle({ timeoutMs: 30_000 })
      const used = process.cpuUsage(before)
      cpuMs.push((used.user + used.system) / 1000)
      const group = cluster.describe().groups.find((g) => g.groupId === groupId)
      if (group?.state !== 'Stable' || group.members.length !== i + 1) throw new Error(`join ${i + 1}: ${group?.state}, ${group?.members.length} members`)
    }
  } finally {
    for (const c of members) await c.disconnect()
    await cluster.close()
  }
  return cpuMs
}

const medianOf = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[values.length >> 1]!

export async function benchRebalance(): Promise<BenchResult[]> {
  const bench = new Bench({ time: 0, iterations: 30, warmupTime: 0, warmupIterations: 5, signal: AbortSignal.timeout(240_000) })
  const closeCoordinator = await benchCoordinator(bench)
  const closers = [closeCoordinator]
  for (const size of GROUP_SIZES) {
    closers.push(await benchEndToEnd(bench, size))
    const memberIds = Array.from({ length: size }, (_, i) => `bench-${(i * 7919) % size}-4c1d9a2e-7f3b-4a8e-9d21-${i}`)
    bench.add(`baseline ${size}`, async () => {
      if ((await rawRebalance(memberIds)) !== partitionCount) throw new Error('baseline lost partitions')
    })
  }
  try {
    await bench.run()
  } finally {
    for (const close of closers) await close()
  }
  const joinCpu = await joinsOneByOne(JOINS)

  const median = (name: string) => completed(bench, name).latency.p50
  const shape = (members: number) => `${members} members, ${partitionCount} partitions`
  const smallest = median(`end to end ${GROUP_SIZES[0]}`)
  // Joins are numbered from 1; the window of 10 joins around each size shows how the cost grows.
  const window = (upTo: number) => medianOf(joinCpu.slice(Math.max(0, upTo - 10), upTo))
  const joinsSmallest = window(10)
  return [
    {
      name: `rebalance, coordinator only (no client work; not the goal), ${shape(memberCount)}`,
      // The coordinator's share of the end-to-end figure below: informative, held to no target, so
      // that a passing coordinator row cannot be read as the goal met while the clients miss it.
      value: median('coordinator'),
      unit: 'ms',
      target: undefined,
      better: 'lower',
      baseline: median(`baseline ${memberCount}`),
    },
    ...GROUP_SIZES.map((size, i) => ({
      name: `rebalance end to end (${size} consumers, ManualClock), ${shape(size)}`,
      value: median(`end to end ${size}`),
      unit: 'ms',
      target: size === memberCount ? targetMs : undefined,
      better: 'lower' as const,
      baseline: median(`baseline ${size}`),
      smallest: i === 0 ? undefined : smallest,
    })),
    ...[10, 100, JOINS].map((upTo) => ({
      name: `${JOINS} members joining one by one: CPU of joins ${upTo - 9}-${upTo} (median), ${partitionCount} partitions`,
      value: window(upTo),
      unit: 'ms',
      target: undefined,
      better: 'lower' as const,
      baseline: median(`baseline ${upTo === 10 ? GROUP_SIZES[0] : upTo === 100 ? 100 : 200}`),
      smallest: upTo === 10 ? undefined : joinsSmallest,
    })),
    {
      name: `${JOINS} members joining one by one: CPU of the dearest join, ${partitionCount} partitions`,
      value: Math.max(...joinCpu),
      unit: 'ms',
      target: JOIN_CPU_TARGET_MS,
      better: 'lower',
      baseline: median(`baseline ${JOINS}`),
    },
  ]
}
