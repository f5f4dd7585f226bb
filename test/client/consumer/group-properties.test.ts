/**
 * One consumer group through random histories (fast-check, ManualClock, seeded): members join,
 * leave, crash (their process hangs until the coordinator expels them, then they are shut down
 * without ever committing again), partitions are added, keyed messages are produced, virtual
 * time passes and the group settles, in any order. Invariants:
 *
 * - after every step, no partition belongs to two members of one generation
 *   (KAFKA-SEMANTICS.md invariant 6), both as the coordinator records it
 *   (cluster.describe().groups) and as the members themselves report it (each
 *   consumer.group_join memberAssignment, with the generation it joined);
 * - at the end, once a fresh member has joined and the group has settled, every produced message
 *   was processed at least once (no loss), and a message was processed more than once only if a
 *   crashed member had processed it without committing it (each extra delivery is explained by
 *   one such crash; without crashes, exactly once).
 *
 * A failing run prints fast-check's seed and path; `fc.assert(..., { seed, path })` replays it,
 * and the cluster's own seed is part of the generated input.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Cluster, ManualClock, logLevel, type Consumer, type Producer } from '../../../src/index.js'

const TOPIC = 't'
const MAX_MEMBERS = 6
const HEARTBEAT = 1_000
const SESSION = 6_000
const memberConfig = {
  groupId: 'g',
  heartbeatInterval: HEARTBEAT,
  sessionTimeout: SESSION,
  rebalanceTimeout: 10_000,
}

type Step =
  | { kind: 'join' }
  | { kind: 'disconnect'; which: number }
  /**
   * `busy`: the member hangs inside eachMessage (cluster.pauseClient from its handler, which then
   * returns), so it dies holding processed, uncommitted work; otherwise it hangs wherever it is.
   */
  | { kind: 'crash'; which: number; busy: boolean }
  | { kind: 'addPartitions'; count: number }
  /**
   * `drain: false` returns as soon as the producer is acknowledged, before the members have run
   * their handlers: a crash right after then catches a member with processed, uncommitted work.
   */
  | { kind: 'produce'; keys: number[]; drain: boolean }
  | { kind: 'advance'; ms: number }
  | { kind: 'settle' }

const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ kind: 'join' as const }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('disconnect' as const), which: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('crash' as const), which: fc.nat(), busy: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('addPartitions' as const), count: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('produce' as const), keys: fc.array(fc.nat({ max: 20 }), { minLength: 1, maxLength: 8 }), drain: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 1, max: 15_000 }) }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'settle' as const }) },
)

interface Delivery {
  member: string
  partition: number
  offset: number
}

interface Member {
  name: string
  consumer: Consumer
  /** run()'s promise has resolved (the first join is done). */
  started: boolean
  crashed: boolean
  /** Disconnected on purpose. */
  gone: boolean
  /** Pause its own client from inside its next eachMessage. */
  hangOnNextMessage: boolean
  /** Committed offset per partition, from its own consumer.commit_offsets events. */
  committed: Map<number, number>
  /** Partition -> offsets it processed that its commits did not cover yet (when it crashed). */
  uncommittedAtCrash?: Map<number, Set<number>>
  delivered: Delivery[]
}

class History {
  readonly cluster: Cluster
  private readonly producer: Producer
  readonly members: Member[] = []
  readonly deliveries: Delivery[] = []
  /** generation -> partition -> memberId, from the coordinator's view. */
  private readonly coordinatorClaims = new Map<number, Map<number, string>>()
  /** generation -> partition -> memberId, from the members' group_join events. */
  private readonly memberClaims = new Map<number, Map<number, string>>()
  readonly crashes: string[] = []
  readonly commitsAfterCrash: string[] = []
  partitions: number
  private produced = 0
  private nextName = 0

  private constructor(cluster: Cluster, producer: Producer, partitions: number) {
    this.cluster = cluster
    this.producer = producer
    this.partitions = partitions
  }

  static async create(partitions: number, seed: number): Promise<History> {
    const cluster = new Cluster({ brokers: 3, clock: new ManualClock(0), seed })
    const admin = cluster.kafka({ clientId: 'admin', logLevel: logLevel.NOTHING }).admin()
    await admin.connect()
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: partitions, replicationFactor: 3 }] })
    await admin.disconnect()
    // metadataMaxAge 0: the producer sees added partitions at once (keys spread over them all).
    const producer = cluster.kafka({ clientId: 'producer', logLevel: logLevel.NOTHING }).producer({ metadataMaxAge: 0 })
    await producer.connect()
    return new History(cluster, producer, partitions)
  }

  live(): Member[] {
    return this.members.filter((m) => !m.crashed && !m.gone)
  }

  group() {
    return this.cluster.describe().groups.find((g) => g.groupId === 'g')
  }

  /** Invariant 6 on the coordinator's view; also remembers each generation's owners. */
  check(): void {
    const g = this.group()
    if (!g) return
    const owners = new Map<number, string>()
    for (const m of g.members) {
      for (const p of m.assignment[TOPIC] ?? []) {
        const other = owners.get(p)
        if (other !== undefined) throw new Error(`partition ${p} owned by ${other} and ${m.memberId} in generation ${g.generationId}`)
        owners.set(p, m.memberId)
      }
    }
    this.claim(this.coordinatorClaims, g.generationId, owners, 'coordinator')
  }

  private claim(claims: Map<number, Map<number, string>>, generation: number, owners: Map<number, string>, who: string): void {
    let known = claims.get(generation)
    if (!known) claims.set(generation, (known = new Map()))
    for (const [p, memberId] of owners) {
      const other = known.get(p)
      if (other !== undefined && other !== memberId) {
        throw new Error(`${who}: partition ${p} claimed by ${other} and ${memberId} in generation ${generation}`)
      }
      known.set(p, memberId)
    }
  }

  async advance(ms: number): Promise<void> {
    await this.cluster.advance(ms)
    this.check()
  }

  /** Steps time by heartbeats until the group holds exactly the live members and is Stable. */
  async stabilize(): Promise<void> {
    for (let i = 0; ; i++) {
      const g = this.group()
      const live = this.live()
      const done =
        live.length === 0
          ? !g || g.state === 'Empty'
          : g?.state === 'Stable' && g.members.length === live.length && live.every((m) => m.started)
      if (done) break
      if (i > 200) throw new Error(`group did not stabilise: ${JSON.stringify(g)}`)
      await this.advance(HEARTBEAT)
    }
    await this.cluster.settle()
    this.check()
  }

  async join(): Promise<void> {
    if (this.live().length >= MAX_MEMBERS) return
    const name = `c${this.nextName++}`
    const consumer = this.cluster.kafka({ clientId: name, logLevel: logLevel.NOTHING }).consumer(memberConfig)
    const member: Member = { name, consumer, started: false, crashed: false, gone: false, hangOnNextMessage: false, committed: new Map(), delivered: [] }
    this.members.push(member)
    consumer.on(consumer.events.GROUP_JOIN, (e) => {
      // The generation the member joined is the coordinator's at this instant: a new one needs
      // this member to rejoin first.
      const generation = this.group()!.generationId
      const owners = new Map<number, string>(((e.payload.memberAssignment[TOPIC] ?? []) as number[]).map((p) => [p, e.payload.memberId as string]))
      this.claim(this.memberClaims, generation, owners, `member ${name}`)
    })
    consumer.on(consumer.events.COMMIT_OFFSETS, (e) => {
      // Once expelled, a crashed member's commits must all be refused.
      if (member.uncommittedAtCrash) this.commitsAfterCrash.push(`${name}: ${JSON.stringify(e.payload.topics)}`)
      for (const t of e.payload.topics) for (const p of t.partitions) member.committed.set(Number(p.partition), Number(p.offset))
    })
    consumer.on(consumer.events.CRASH, (e) => {
      const { error, restart } = e.payload
      this.crashes.push(`${name}: ${error.name}: ${error.message} (restart: ${restart})`)
    })
    await consumer.connect()
    await consumer.subscribe({ topics: [TOPIC], fromBeginning: true })
    void consumer
      .run({
        eachMessage: async ({ partition, message }) => {
          const d = { member: name, partition, offset: Number(message.offset) }
          this.deliveries.push(d)
          member.delivered.push(d)
          if (member.hangOnNextMessage) {
            member.hangOnNextMessage = false
            this.cluster.pauseClient(name)
          }
        },
      })
      .then(() => void (member.started = true))
    await this.advance(0)
  }

  async disconnect(which: number): Promise<void> {
    const live = this.live()
    if (live.length === 0) return
    const m = live[which % live.length]!
    m.gone = true
    await this.shutDown(m)
    this.check()
  }

  /**
   * The member's process hangs until the coordinator expels it; then it is shut down, its held
   * requests (a commit among them, perhaps) are let go only after it stopped, so it never
   * processes or commits anything again.
   */
  async crash(which: number, busy: boolean): Promise<void> {
    const live = this.live()
    if (live.length === 0) return
    const m = live[which % live.length]!
    m.crashed = true
    if (busy) {
      // Work for every partition, so that the member hangs in its handler if it owns any.
      m.hangOnNextMessage = true
      await this.producer.send({ topic: TOPIC, messages: Array.from({ length: this.partitions }, (_, partition) => ({ value: `m${this.produced++}`, partition })) })
      await this.advance(0)
      m.hangOnNextMessage = false
    }
    this.cluster.pauseClient(m.name)
    for (let i = 0; this.group()?.members.some((x) => x.clientId === m.name); i++) {
      if (i > 100) throw new Error(`${m.name} was never expelled`)
      await this.advance(HEARTBEAT)
    }
    // What it processed but never committed may be processed again by the next owner.
    const uncommitted = new Map<number, Set<number>>()
    for (const d of m.delivered) {
      if (d.offset >= (m.committed.get(d.partition) ?? 0)) {
        const set = uncommitted.get(d.partition) ?? new Set<number>()
        set.add(d.offset)
        uncommitted.set(d.partition, set)
      }
    }
    m.uncommittedAtCrash = uncommitted
    await this.shutDown(m, () => this.cluster.resumeClient(m.name))
    this.check()
  }

  /** consumer.disconnect() (which needs no virtual time to pass), then `afterStop`. */
  private async shutDown(m: Member, afterStop?: () => void): Promise<void> {
    let done = false
    const stopped = m.consumer.disconnect().then(() => void (done = true))
    afterStop?.()
    await this.advance(0)
    if (!done) throw new Error(`${m.name} did not disconnect without time passing`)
    await stopped
  }

  async addPartitions(count: number): Promise<void> {
    const admin = this.cluster.kafka({ clientId: 'admin', logLevel: logLevel.NOTHING }).admin()
    await admin.connect()
    this.partitions += count
    await admin.createPartitions({ topicPartitions: [{ topic: TOPIC, count: this.partitions }] })
    await admin.disconnect()
    this.check()
  }

  async produce(keys: number[], drain: boolean): Promise<void> {
    await this.producer.send({ topic: TOPIC, messages: keys.map((k) => ({ key: `k${k}`, value: `m${this.produced++}` })) })
    if (drain) await this.advance(0)
    else this.check()
  }

  /** Shuts everything down; closing the cluster ends any long poll a disconnect would wait for. */
  async close(): Promise<void> {
    for (const m of this.members) this.cluster.resumeClient(m.name)
    const stopped = this.members.map((m) => m.consumer.disconnect().catch(() => {}))
    await this.producer.disconnect().catch(() => {})
    await this.cluster.close()
    await Promise.all(stopped)
  }
}

describe('one consumer group under random joins, leaves, crashes, partition increases and time', () => {
  it('never gives a partition to two members of one generation, loses nothing, and duplicates only what a crash left uncommitted', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 8 }),
        fc.array(stepArbitrary, { minLength: 1, maxLength: 30, size: 'max' }),
        fc.integer({ min: 1, max: 1_000_000 }),
        async (partitions, steps, seed) => {
          const h = await History.create(partitions, seed)
          try {
            for (const step of steps) {
              switch (step.kind) {
                case 'join':
                  await h.join()
                  break
                case 'disconnect':
                  await h.disconnect(step.which)
                  break
                case 'crash':
                  await h.crash(step.which, step.busy)
                  break
                case 'addPartitions':
                  await h.addPartitions(step.count)
                  break
                case 'produce':
                  await h.produce(step.keys, step.drain)
                  break
                case 'advance':
                  await h.advance(step.ms)
                  break
                case 'settle':
                  await h.stabilize()
                  break
              }
            }

            // The end: settle, then one fresh member joins and the group settles with it.
            await h.stabilize()
            await h.join()
            await h.stabilize()
            expect(h.crashes).toEqual([])
            expect(h.commitsAfterCrash).toEqual([])

            const topic = h.cluster.describe().topics.find((t) => t.name === TOPIC)!
            const counts = new Map<string, number>()
            for (const d of h.deliveries) counts.set(`${d.partition}:${d.offset}`, (counts.get(`${d.partition}:${d.offset}`) ?? 0) + 1)
            for (const p of topic.partitions) {
              for (let offset = 0; offset < p.highWatermark; offset++) {
                const key = `${p.partition}:${offset}`
                // At least once: nothing produced is lost.
                expect(counts.get(key) ?? 0, `deliveries of ${key}`).toBeGreaterThanOrEqual(1)
                // Each delivery beyond the first is a crashed member's uncommitted work redone.
                const explained = h.members.filter((m) => m.uncommittedAtCrash?.get(p.partition)?.has(offset)).length
                expect(counts.get(key)!, `deliveries of ${key}`).toBeLessThanOrEqual(1 + explained)
              }
            }
            // Nothing delivered that was not produced.
            for (const key of counts.keys()) {
              const [p, offset] = key.split(':').map(Number) as [number, number]
              expect(offset).toBeLessThan(topic.partitions[p]!.highWatermark)
            }
            // And the group's commits cover the whole log.
            expect(h.group()!.offsets.every((o) => o.lag === 0)).toBe(true)
            expect(h.group()!.offsets).toHaveLength(topic.partitions.filter((p) => p.highWatermark > 0).length)
          } finally {
            await h.close()
          }
        },
      ),
      { numRuns: 500 },
    )
  })
})
