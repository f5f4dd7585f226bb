/**
 * Replication under random faults (issue 4's property test). fast-check generates a workload
 * of Produce requests (acks=1 and acks=-1, through the request boundary so the test controls
 * acks) interleaved with broker stops (clean and crash), restarts, network cuts and heals,
 * replication delays, pauses and resumes, and clock advances, on a ManualClock. After every
 * step the white-box invariants 1-5 hold (cluster.checkInvariants()). At the end the faults
 * are lifted (heal, start every broker, resume replication, let time pass) and:
 *
 *   - every replica is back in the ISR and holds the leader's records below the high watermark;
 *   - every acks=-1 write that was acknowledged is in the leader's log at the offsets it was
 *     given (no lost write: KAFKA-SEMANTICS.md invariant 10, "nothing acknowledged with
 *     acks=all is ever lost while at least one ISR member survives");
 *   - no two acknowledged writes share an offset and no value is stored twice (invariant 8);
 *   - acknowledged writes to one partition got increasing offsets in the order they were sent
 *     (invariant 13).
 *
 * The topics are RF=3 with unclean leader election disabled: `safe` (2 partitions,
 * min.insync.replicas=2) and `lenient` (1 partition, min.insync.replicas=1). KRaft keeps the
 * last ISR member in the ISR, so even min.insync.replicas=1 loses nothing committed without an
 * unclean election. No fault here loses a disk (loseUnflushed): that can lose acknowledged data
 * in Kafka too, and fault-scenarios.test.ts covers it.
 *
 * Replay: a failure prints fast-check's seed and path; run again with
 *   REPLICATION_SEED=<seed> REPLICATION_PATH=<path> npx vitest run <this file>
 * Everything (the cluster's own seed included) comes from the generated case and the clock is
 * virtual, so the replay is exact.
 */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { Cluster } from '../../../src/index.js'
import { ErrorCode } from '../../../src/cluster/error-codes.js'
import type { ProducePartitionResponse } from '../../../src/cluster/api/messages.js'
import { StormClock } from '../../support/storm-clock.js'

const BROKERS = [0, 1, 2]
const LAG = 1_000 // replica.lag.time.max.ms
const SESSION = 2_000 // broker.session.timeout.ms
const IMBALANCE_SECONDS = 5 // leader.imbalance.check.interval.seconds
const PRODUCE_TIMEOUT = 3_000

const TOPICS = [
  { name: 'safe', partitions: 2, minInsyncReplicas: 2 },
  { name: 'lenient', partitions: 1, minInsyncReplicas: 1 },
] as const

// -------------------------------------------------------------------------------------------
// The steps

type Step =
  | { kind: 'produce'; topic: number; partition: number; acks: 1 | -1; count: number }
  | { kind: 'stop'; broker: number; crash: boolean }
  | { kind: 'start'; broker: number }
  | { kind: 'isolate'; broker: number }
  | { kind: 'heal' }
  | { kind: 'delay'; broker: number; ms: number }
  | { kind: 'pause'; broker: number }
  | { kind: 'resume'; broker: number }
  | { kind: 'advance'; ms: number }

const broker = fc.constantFrom(...BROKERS)

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 10,
    arbitrary: fc.record({
      kind: fc.constant('produce' as const),
      topic: fc.integer({ min: 0, max: TOPICS.length - 1 }),
      partition: fc.integer({ min: 0, max: 1 }),
      acks: fc.constantFrom(1 as const, -1 as const),
      count: fc.integer({ min: 1, max: 3 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('stop' as const), broker, crash: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('start' as const), broker }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('isolate' as const), broker }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'heal' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delay' as const), broker, ms: fc.constantFrom(0, 50, 400, 1_500) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('pause' as const), broker }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('resume' as const), broker }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.constantFrom(1, 10, 100, 500, 999, 1_001, 2_000, 5_000) }) },
)

interface Sent {
  /** Order of sending, over the whole run. */
  readonly seq: number
  readonly topic: string
  readonly partition: number
  readonly acks: number
  readonly values: string[]
  response?: ProducePartitionResponse
  failed?: unknown
}

// -------------------------------------------------------------------------------------------
// One run

/** What the runs went through, summed, so the test can tell it exercised the faults at all. */
const coverage = { ackedAll: 0, elections: 0, truncations: 0, isrChanges: 0, offline: 0, refused: 0 }

async function run(clusterSeed: number, steps: Step[]): Promise<void> {
  const cluster = new Cluster({
    brokers: BROKERS.length,
    clock: new StormClock(0),
    seed: clusterSeed,
    brokerConfig: {
      'replica.lag.time.max.ms': LAG,
      'broker.session.timeout.ms': SESSION,
      'leader.imbalance.check.interval.seconds': IMBALANCE_SECONDS,
    },
  })
  try {
    for (const t of TOPICS) {
      const response = await cluster.send(0, {
        api: 'CreateTopics',
        topics: [
          {
            name: t.name,
            numPartitions: t.partitions,
            replicationFactor: 3,
            assignments: [],
            configs: [
              { name: 'min.insync.replicas', value: String(t.minInsyncReplicas) },
              { name: 'unclean.leader.election.enable', value: 'false' },
            ],
          },
        ],
        timeoutMs: 1000,
        validateOnly: false,
      })
      expect(response.topics[0]!.errorCode).toBe(ErrorCode.NONE)
    }
    const sent: Sent[] = []
    let nextValue = 0

    const apply = (step: Step): Promise<void> | void => {
      switch (step.kind) {
        case 'produce': {
          const topic = TOPICS[step.topic]!
          const partition = step.partition % topic.partitions
          const leader = cluster.controller.topic(topic.name)!.partitions[partition]!.leader
          // An offline partition: a client has no leader to send to (LEADER_NOT_AVAILABLE).
          if (leader === -1) return
          const values = Array.from({ length: step.count }, () => `${topic.name}-${partition}-v${nextValue++}`)
          const entry: Sent = { seq: sent.length, topic: topic.name, partition, acks: step.acks, values }
          sent.push(entry)
          cluster
            .send(leader, {
              api: 'Produce',
              acks: step.acks,
              timeoutMs: PRODUCE_TIMEOUT,
              topics: [{ name: topic.name, partitions: [{ index: partition, records: values.map((v) => ({ key: null, value: Buffer.from(v) })) }] }],
            })
            .then(
              (r) => void (entry.response = r.topics[0]!.partitions[0]!),
              (error: unknown) => void (entry.failed = error),
            )
          return
        }
        case 'stop':
          return cluster.stopBroker(step.broker, { crash: step.crash })
        case 'start':
          return cluster.startBroker(step.broker)
        case 'isolate':
          return cluster.isolate(step.broker)
        case 'heal':
          return cluster.heal()
        case 'delay':
          return cluster.delayReplication(step.broker, step.ms)
        case 'pause':
          return cluster.pauseReplication(step.broker)
        case 'resume':
          return cluster.resumeReplication(step.broker)
        case 'advance':
          return cluster.advance(step.ms)
      }
    }

    for (const [i, step] of steps.entries()) {
      await apply(step)
      await cluster.advance(0)
      try {
        cluster.checkInvariants()
      } catch (error) {
        throw new Error(`after step ${i} ${JSON.stringify(step)} at t=${cluster.clock.now()}:\n${(error as Error).message}\n${cluster.format()}`)
      }
    }

    // Lift every fault and let the cluster recover.
    cluster.heal()
    for (const id of BROKERS) {
      cluster.startBroker(id)
      cluster.resumeReplication(id)
      cluster.delayReplication(id, 0)
    }
    for (let t = 0; t < 2 * (SESSION + LAG + IMBALANCE_SECONDS * 1000 + PRODUCE_TIMEOUT); t += 500) {
      await cluster.advance(500)
      cluster.checkInvariants()
    }
    for (const s of sent) expect(s.response !== undefined || s.failed !== undefined, `send #${s.seq} settled`).toBe(true)

    for (const t of TOPICS) {
      for (const p of cluster.controller.topic(t.name)!.partitions) {
        const where = `${t.name}-${p.index}\n${cluster.format()}`
        expect(p.leader, where).not.toBe(-1)
        expect(p.isr, where).toEqual(p.replicas)
        expect(p.highWatermark, where).toBe(p.logEndOffset)
        // The leader's log, offset by offset.
        const log = new Map<number, string>()
        const count = new Map<string, number>()
        for (const segment of p.log.allSegments) {
          for (const batch of segment.batches) {
            for (const r of batch.records()) {
              const value = r.value!.toString()
              log.set(r.offset, value)
              count.set(value, (count.get(value) ?? 0) + 1)
            }
          }
        }
        for (const [value, n] of count) expect(n, `${value} stored ${n} times in ${where}`).toBe(1)
        // Every replica holds the same records as the leader.
        for (const r of p.allReplicas()) {
          const theirs: string[] = []
          for (const segment of r.log.allSegments) for (const b of segment.batches) for (const rec of b.records()) theirs.push(`${rec.offset}:${rec.value!.toString()}@${b.partitionLeaderEpoch}`)
          const mine: string[] = []
          for (const segment of p.log.allSegments) for (const b of segment.batches) for (const rec of b.records()) mine.push(`${rec.offset}:${rec.value!.toString()}@${b.partitionLeaderEpoch}`)
          expect(theirs, `replica ${r.brokerId} of ${where}`).toEqual(mine)
        }
        // No lost acks=-1 write, no shared offsets, increasing offsets in send order.
        const acked = sent.filter((s) => s.topic === t.name && s.partition === p.index && s.acks === -1 && s.response?.errorCode === ErrorCode.NONE)
        const offsets = new Set<number>()
        let previous = -1
        for (const s of acked) {
          const base = s.response!.baseOffset
          expect(base, `send #${s.seq} offsets increase in send order`).toBeGreaterThan(previous)
          previous = base + s.values.length - 1
          s.values.forEach((v, i) => {
            expect(offsets.has(base + i), `offset ${base + i} acknowledged twice`).toBe(false)
            offsets.add(base + i)
            expect(base + i, `acknowledged ${v} below the high watermark`).toBeLessThan(p.highWatermark)
            expect(log.get(base + i), `acknowledged ${v} at ${t.name}-${p.index}@${base + i} (send #${s.seq})\n${where}`).toBe(v)
          })
        }
      }
    }
    coverage.ackedAll += sent.filter((s) => s.acks === -1 && s.response?.errorCode === ErrorCode.NONE).length
    coverage.refused += sent.filter((s) => s.response !== undefined && s.response.errorCode !== ErrorCode.NONE).length
    coverage.elections += cluster.timeline({ types: ['leaderElected'] }).length
    coverage.truncations += cluster.timeline({ types: ['truncated'] }).length
    coverage.isrChanges += cluster.timeline({ types: ['isrChanged'] }).length
    coverage.offline += cluster.timeline({ types: ['partitionOffline'] }).length
  } finally {
    await cluster.close()
  }
}

// -------------------------------------------------------------------------------------------

const seed = process.env.REPLICATION_SEED !== undefined ? Number(process.env.REPLICATION_SEED) : 1
const path = process.env.REPLICATION_PATH
const numRuns = process.env.REPLICATION_RUNS !== undefined ? Number(process.env.REPLICATION_RUNS) : 2_000

describe('replication under random faults', () => {
  it(`keeps the invariants after every step and loses no acknowledged acks=all write (fast-check seed ${seed})`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.array(stepArb, { minLength: 1, maxLength: 80, size: 'max' }), run),
      { seed, numRuns, ...(path !== undefined ? { path } : {}) },
    )
    // The runs did meet the faults this test is about.
    for (const [what, n] of Object.entries(coverage)) expect(n, what).toBeGreaterThan(0)
  }, 120_000)
})
