/**
 * simulate(): one deterministic run of a scenario against an in-process cluster on a
 * ManualClock, recorded as a History (Jepsen's test loop, in virtual time):
 *
 * 1. the cluster starts (seeded), the topics are created, the producers connect;
 * 2. the sends, the groups' joins and leaves and the faults are played at their virtual times,
 *    each producer sending one step after another (Jepsen's single-threaded process), consumers
 *    running on their own;
 * 3. every fault is lifted (network healed, brokers started, replication resumed, request
 *    hooks removed, clients resumed) and time passes until every send and transaction ended;
 * 4. final reads: a fresh consumer reads every topic from the beginning (read_committed) until
 *    it has committed up to each partition's high watermark;
 * 5. everything disconnects and the cluster closes.
 *
 * Everything the run depends on comes from the scenario (the cluster's seed included) and the
 * clock is virtual, so the same scenario gives the same history, byte for byte.
 */
import { Cluster, logLevel, type BrokerConfigInput, type Consumer, type Producer } from 'memkafka'
import { GuardedClock } from './guarded-clock.js'
import { checkScenario } from './scenario-check.js'
import type { History, TopicInfo } from './history.js'
import { HistoryRecorder } from './recorder.js'
import { Nemesis } from './nemesis.js'
import type { Fault, GroupSpec, MembershipStep, SendStep, WorkloadStep } from './scenario.js'
import type { SimulationOptions } from './simulation-options.js'

export type { SimulationOptions } from './simulation-options.js'

/**
 * The brokers' configuration in a simulation: Kafka's timeouts shortened so that faults play
 * out in seconds of virtual time (a crashed broker is fenced after 3 s, a lagging follower
 * leaves the ISR after 2 s, preferred leaders return every 10 s).
 */
export const SIMULATION_BROKER_CONFIG: BrokerConfigInput = {
  'broker.session.timeout.ms': 3_000,
  'replica.lag.time.max.ms': 2_000,
  'leader.imbalance.check.interval.seconds': 10,
  'offsets.topic.replication.factor': 3,
  'transaction.state.log.replication.factor': 3,
  'transaction.state.log.min.isr': 2,
}

/**
 * The clients' settings: kafkajs's retry spelled out (so NODE_ENV does not change a run),
 * patient enough to outlast a crashed leader's fencing; group timeouts at Kafka's minimum.
 */
const RETRY = { retries: 10, initialRetryTime: 100, maxRetryTime: 1_000, factor: 0.2, multiplier: 2 }
const SEND_TIMEOUT = 3_000
/** How long a replaced producer waits before connecting again when its connect() failed. */
const RECONNECT_MS = 500
const TRANSACTION_TIMEOUT = 10_000
const CONSUMER = { heartbeatInterval: 500, sessionTimeout: 6_000, rebalanceTimeout: 6_000, maxWaitTimeInMs: 500, retry: RETRY }
/** The longest wait between checks while waiting for recovery and final reads. */
const STEP_MS = 100

/** Runs a scenario and returns its history (see the file comment). */
export async function simulate(options: SimulationOptions): Promise<History> {
  checkScenario(options)
  const run = new SimulationRun(options)
  try {
    await run.setUp()
    await run.play()
    await run.recover()
    await run.finalReads()
    await options.inspect?.(run.cluster)
  } finally {
    await run.tearDown()
  }
  return run.recorder.history()
}

interface ProducerSlot {
  /** The current instance (a transactional producer is replaced when a transaction leaves it unusable). */
  producer: Producer
  name: string
  instances: number
  /** Its sends, one after another. */
  queue: Promise<void>
  pending: number
  sent: number
}

interface Member {
  readonly name: string
  readonly group: number
  readonly consumer: Consumer
  left: boolean
}

interface Scheduled {
  readonly at: number
  readonly source: number
  readonly seq: number
  readonly run: () => void
}

class SimulationRun {
  readonly cluster: Cluster
  readonly recorder: HistoryRecorder
  private readonly options: SimulationOptions
  private readonly clock: GuardedClock
  private readonly brokerIds: number[]
  private readonly slots: ProducerSlot[] = []
  private readonly members: Member[] = []
  private readonly memberCount: number[] = []
  /** Background work (joins, leaves) still running. */
  private readonly tasks = new Set<Promise<void>>()
  private readonly nemesis: Nemesis
  private reader: Consumer | undefined

  constructor(options: SimulationOptions) {
    this.options = options
    this.clock = new GuardedClock(0)
    const brokers = options.brokers ?? 3
    this.brokerIds = Array.from({ length: brokers }, (_, i) => i)
    this.cluster = new Cluster({ brokers, clock: this.clock, seed: options.seed, brokerConfig: { ...SIMULATION_BROKER_CONFIG, ...options.brokerConfig } })
    // Made in a local, then stored: see test/architecture/young-closures.test.ts.
    const onStorm = (): void => void this.cluster.close()
    this.clock.onStorm = onStorm
    const topics: TopicInfo[] = options.workload.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions,
      compacted: (t.configs['cleanup.policy'] ?? 'delete').split(',').includes('compact'),
    }))
    this.recorder = new HistoryRecorder({
      clock: this.clock,
      topics,
      seed: options.seed,
      groupGeneration: (groupId) => this.cluster.describe().groups.find((g) => g.groupId === groupId)?.generationId ?? null,
    })
    this.nemesis = new Nemesis(this.cluster, {
      recorder: this.recorder,
      // A fault names the producer at an index, or the live consumer at an index, at its turn.
      clients: (role) => (role === 'producer' ? this.slots.map((s) => s.name) : this.members.filter((m) => !m.left).map((m) => m.name)),
    })
  }

  /**
   * Moves virtual time to the next timer (at most `maxMs`): nothing changes between two timers,
   * so a condition checked after each is checked as often as it can change, and no time is
   * spent stepping through quiet stretches. Answers how far time moved.
   */
  async step(maxMs = STEP_MS): Promise<number> {
    const now = this.clock.now()
    const next = this.clock.nextTimerAt()
    const ms = next === undefined ? maxMs : Math.min(maxMs, Math.max(0, next - now))
    await this.advance(ms)
    return this.clock.now() - now
  }

  /** Moves virtual time; a livelock seen on the way fails the run. */
  async advance(ms: number): Promise<void> {
    if (this.clock.storm) throw this.clock.storm
    await this.cluster.advance(ms)
    if (this.clock.storm) throw this.clock.storm
  }

  private kafka(clientId: string) {
    return this.cluster.kafka({ clientId, logLevel: logLevel.NOTHING, retry: RETRY })
  }

  // -------------------------------------------------------------------------------------------
  // 1. Set up

  async setUp(): Promise<void> {
    const { workload } = this.options
    const admin = this.kafka('admin').admin()
    await this.retrying(() => admin.connect())
    await this.drive(
      admin.createTopics({
        topics: workload.topics.map((t) => ({
          topic: t.name,
          numPartitions: t.partitions,
          replicationFactor: Math.min(t.replicationFactor, this.brokerIds.length),
          configEntries: Object.entries(t.configs).map(([name, value]) => ({ name, value })),
        })),
      }),
    )
    await admin.disconnect()
    for (let i = 0; i < workload.producers.length; i++) {
      const name = `producer-${i}`
      this.slots.push({ producer: this.newProducer(i, name), name, instances: 1, queue: Promise.resolve(), pending: 0, sent: 0 })
    }
    for (const slot of this.slots) await this.drive(slot.producer.connect())
  }

  private newProducer(index: number, name: string): Producer {
    const spec = this.options.workload.producers[index]!
    const producer = this.kafka(name).producer({
      idempotent: spec.idempotent || spec.transactional,
      ...(spec.transactional ? { transactionalId: `tx-${index}`, transactionTimeout: TRANSACTION_TIMEOUT, maxInFlightRequests: 1 } : {}),
    })
    return this.recorder.producer(producer, { name, ...(spec.transactional ? { transactionalId: `tx-${index}` } : {}) })
  }

  // -------------------------------------------------------------------------------------------
  // 2. Play the timelines

  async play(): Promise<void> {
    const events: Scheduled[] = []
    const timeline = <S extends { kind: string }>(steps: readonly (S | { kind: 'advance'; ms: number })[], source: number, run: (step: S) => void): void => {
      let at = 0
      steps.forEach((step, seq) => {
        if (step.kind === 'advance') at += Math.max(0, (step as { ms: number }).ms)
        else events.push({ at, source, seq, run: () => run(step as S) })
      })
    }
    const { workload, faults } = this.options
    timeline<Fault>(faults, 0, (fault) => this.nemesis.apply(fault))
    workload.groups.forEach((group, g) => {
      this.memberCount.push(0)
      timeline<Exclude<MembershipStep, { kind: 'advance' }>>(group.steps, 1 + g, (step) => (step.kind === 'join' ? this.join(g, group) : this.leave(g, step.member)))
    })
    timeline<SendStep>(workload.steps as readonly WorkloadStep[], 1 + workload.groups.length, (step) => this.send(step))
    events.sort((a, b) => a.at - b.at || a.source - b.source || a.seq - b.seq)
    for (const event of events) {
      const wait = event.at - this.clock.now()
      if (wait > 0) await this.advance(wait)
      event.run()
      await this.advance(0)
      if (this.options.checkInvariants) this.cluster.checkInvariants()
    }
  }

  /** Queues a send on its producer: each producer sends one step after another (a Jepsen process). */
  private send(step: SendStep): void {
    const { producers, topics } = this.options.workload
    if (producers.length === 0 || topics.length === 0) return
    const index = step.producer % producers.length
    const slot = this.slots[index]!
    const spec = producers[index]!
    const topic = topics[step.topic % topics.length]!.name
    const messages = Array.from({ length: Math.max(1, step.count) }, () => ({ key: `k${step.key}`, value: `v${index}.${slot.sent++}` }))
    slot.pending++
    slot.queue = slot.queue
      .then(() => (spec.transactional ? this.sendInTransaction(index, slot, topic, messages, step.abort) : this.sendPlain(index, slot, topic, messages)))
      .finally(() => void slot.pending--)
  }

  private async sendPlain(index: number, slot: ProducerSlot, topic: string, messages: { key: string; value: string }[]): Promise<void> {
    const spec = this.options.workload.producers[index]!
    try {
      await slot.producer.send({ topic, acks: spec.idempotent ? -1 : spec.acks, timeout: SEND_TIMEOUT, messages })
    } catch {
      if (spec.idempotent && this.options.replaceProducerAfterFailure) await this.replaceProducer(index, slot)
    }
  }

  private async sendInTransaction(index: number, slot: ProducerSlot, topic: string, messages: { key: string; value: string }[], abort: boolean): Promise<void> {
    let txn: Awaited<ReturnType<Producer['transaction']>>
    try {
      txn = await slot.producer.transaction()
    } catch {
      await this.replaceProducer(index, slot)
      return
    }
    try {
      await txn.send({ topic, acks: -1, timeout: SEND_TIMEOUT, messages })
      if (abort) await txn.abort()
      else await txn.commit()
    } catch {
      // A transaction that failed half-way leaves kafkajs's producer in a state only a new
      // instance (InitProducerId, which fences the old epoch and aborts what it left open) ends.
      await txn.abort().catch(() => {})
      await this.replaceProducer(index, slot)
    }
  }

  private async replaceProducer(index: number, slot: ProducerSlot): Promise<void> {
    const old = slot.producer
    await old.disconnect().catch(() => {})
    slot.name = `producer-${index}.${slot.instances++}`
    slot.producer = this.newProducer(index, slot.name)
    // kafkajs's idempotent producer gets its producer id in connect(); one whose connect failed
    // still sends, with producer id -1, that is without idempotence (its retries can write a
    // batch twice). So the new instance sends nothing before it is connected: connect() is
    // retried on the virtual clock (the sends queued behind it wait).
    while (!this.cluster.isClosed) {
      try {
        await slot.producer.connect()
        return
      } catch {
        await new Promise<void>((resolve) => this.clock.setTimeout(resolve, RECONNECT_MS))
      }
    }
  }

  private join(g: number, group: GroupSpec): void {
    const topics = [...new Set(group.topics.map((t) => this.options.workload.topics[t % this.options.workload.topics.length]!.name))]
    if (topics.length === 0) return
    const name = `group-${g}.${this.memberCount[g]!++}`
    const groupId = `group-${g}`
    const consumer = this.recorder.consumer(this.kafka(name).consumer({ groupId, ...CONSUMER }), { name, groupId })
    const member: Member = { name, group: g, consumer, left: false }
    this.members.push(member)
    const handler = async (): Promise<void> => {}
    this.track(
      (async () => {
        await consumer.connect()
        await consumer.subscribe({ topics, fromBeginning: true })
        if (member.left) return
        await (group.handler === 'eachBatch' ? consumer.run({ eachBatch: handler }) : consumer.run({ eachMessage: handler }))
      })(),
    )
  }

  private leave(g: number, which: number): void {
    const live = this.members.filter((m) => m.group === g && !m.left)
    if (live.length === 0) return
    const member = live[which % live.length]!
    member.left = true
    this.track(member.consumer.disconnect())
  }

  private track(task: Promise<unknown>): void {
    const tracked: Promise<void> = task.then(
      () => {},
      () => {},
    )
    this.tasks.add(tracked)
    void tracked.then(() => this.tasks.delete(tracked))
  }

  // -------------------------------------------------------------------------------------------
  // 3. Recovery

  async recover(): Promise<void> {
    const cluster = this.cluster
    this.nemesis.liftAll()
    const limit = this.options.recoveryMs ?? 120_000
    const start = this.clock.now()
    while (!this.recovered()) {
      if (this.clock.now() - start >= limit) throw new Error(`simulation (seed ${this.options.seed}): sends or transactions still unfinished ${limit} ms after the faults were lifted\n${cluster.format()}`)
      await this.step(1_000)
    }
  }

  /** Every broker serving, every partition led, every send and transaction ended. */
  private recovered(): boolean {
    if (this.slots.some((s) => s.pending > 0) || this.tasks.size > 0) return false
    if (!this.nemesis.healthy()) return false
    return !this.cluster.describe().transactions.some((t) => t.state === 'Ongoing' || t.state.startsWith('Prepare'))
  }

  // -------------------------------------------------------------------------------------------
  // 4. Final reads

  async finalReads(): Promise<void> {
    const topics = this.options.workload.topics.map((t) => t.name)
    if (topics.length === 0) return
    const groupId = 'final-reads'
    const reader = this.recorder.consumer(this.kafka('final-reader').consumer({ groupId, ...CONSUMER }), { name: 'final-reader', groupId })
    this.reader = reader
    await this.retrying(() => reader.connect())
    await this.retrying(() => reader.subscribe({ topics, fromBeginning: true }))
    await this.drive(reader.run({ eachMessage: async () => {} }))
    const limit = this.options.finalReadMs ?? 120_000
    const start = this.clock.now()
    while (!this.readToTheEnd(groupId, topics)) {
      if (this.clock.now() - start >= limit) throw new Error(`simulation (seed ${this.options.seed}): the final reads did not reach the end of the logs in ${limit} ms\n${this.cluster.format()}`)
      await this.step(1_000)
    }
    for (const topic of this.cluster.describe().topics) {
      if (!topics.includes(topic.name)) continue
      for (const p of topic.partitions) this.recorder.readToEnd('final-reader', topic.name, p.partition, p.highWatermark)
    }
  }

  /** The reader committed every partition's high watermark (with no transaction open, it is the end). */
  private readToTheEnd(groupId: string, topics: readonly string[]): boolean {
    const d = this.cluster.describe()
    const group = d.groups.find((g) => g.groupId === groupId)
    if (!group || group.state !== 'Stable') return false
    for (const name of topics) {
      const topic = d.topics.find((t) => t.name === name)
      if (!topic) continue
      for (const p of topic.partitions) {
        if (p.highWatermark === 0) continue
        const committed = group.offsets.find((o) => o.topic === name && o.partition === p.partition)?.committedOffset ?? -1
        if (committed < p.highWatermark) return false
      }
    }
    return true
  }

  // -------------------------------------------------------------------------------------------
  // 5. Tear down

  async tearDown(): Promise<void> {
    const cluster = this.cluster
    for (const clientId of this.nemesis.pausedClients) cluster.resumeClient(clientId)
    const closing: Promise<unknown>[] = []
    for (const m of this.members) if (!m.left) closing.push(m.consumer.disconnect().catch(() => {}))
    if (this.reader) closing.push(this.reader.disconnect().catch(() => {}))
    for (const s of this.slots) closing.push(s.producer.disconnect().catch(() => {}))
    closing.push(...this.tasks)
    let done = false
    void Promise.all(closing).then(() => void (done = true))
    for (let i = 0; i < 100 && !done && !cluster.isClosed; i++) await cluster.advance(STEP_MS)
    // Closing answers whatever still waits (long polls, parked joins); a client stuck after a
    // livelock was cut short is left behind (it holds no timer that could fire).
    await cluster.close()
    for (let i = 0; i < 10 && !done; i++) await this.clock.advance(STEP_MS)
  }

  /** Calls `operation` until it succeeds (kafkajs does not retry connect), letting time pass between tries. */
  private async retrying(operation: () => Promise<unknown>, limitMs = 60_000): Promise<void> {
    const start = this.clock.now()
    for (;;) {
      try {
        await this.drive(operation(), limitMs)
        return
      } catch (error) {
        if (this.clock.now() - start >= limitMs) throw error
      }
      await this.advance(STEP_MS)
    }
  }

  /** Lets virtual time pass until `promise` settles. */
  private async drive<T>(promise: Promise<T>, limitMs = 60_000): Promise<T> {
    let done = false
    const watched = promise.finally(() => void (done = true))
    watched.catch(() => {})
    await this.advance(0)
    const start = this.clock.now()
    while (!done) {
      if (this.clock.now() - start >= limitMs) throw new Error(`simulation (seed ${this.options.seed}): an operation did not finish in ${limitMs} ms of virtual time`)
      await this.step(1_000)
    }
    return watched
  }
}
