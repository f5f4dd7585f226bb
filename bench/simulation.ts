/**
 * memkafka/testing's simulation: whole simulated runs per second (issue 7: a 3-broker cluster,
 * 1000 messages, 20 faults), and the checker's time over the history one run records.
 *
 * The run: a topic of 3 partitions (RF=3, min.insync.replicas=2); an idempotent and a plain
 * acks=-1 producer send 250 times 4 keyed messages, 20 ms of virtual time apart; a consumer group
 * of two members (one joins late, one leaves); 20 faults over those 5 s (crashes and restarts,
 * a network cut and its heal, a slow follower, refused and dropped requests, a hung consumer,
 * a preferred-leader election); then recovery and the final reads. Each sample is a complete
 * simulate() call: cluster, topics, clients, the run on the ManualClock, teardown.
 *
 * Baseline: the same work in plain JS — 1000 messages appended to three arrays by key with an
 * await per send, read back by an async loop, and every value checked to be read once.
 */
import { Bench } from 'tinybench'
import { simulate } from '../src/testing/simulation.js'
import { checkHistory } from '../src/testing/checker.js'
import type { FaultStep, Scenario, WorkloadStep } from '../src/testing/scenario.js'
import { completed, type BenchResult } from './result.js'

const sends = 250
const perSend = 4
const gapMs = 20

const faults: FaultStep[] = [
  { kind: 'advance', ms: 200 },
  { kind: 'stopBroker', broker: 0, crash: true, loseUnflushed: false },
  { kind: 'advance', ms: 200 },
  { kind: 'slowFollower', broker: 1, ms: 50 },
  { kind: 'failRequests', api: 'Produce', broker: null, effect: { error: 'NOT_LEADER_OR_FOLLOWER' }, times: 2 },
  { kind: 'advance', ms: 300 },
  { kind: 'pauseClient', client: { role: 'consumer', index: 0 } },
  { kind: 'advance', ms: 300 },
  { kind: 'startBroker', broker: 0 },
  { kind: 'failRequests', api: 'Fetch', broker: null, effect: { disconnect: true }, times: 2 },
  { kind: 'advance', ms: 400 },
  { kind: 'isolate', broker: 2 },
  { kind: 'advance', ms: 400 },
  { kind: 'resumeClient', client: { role: 'consumer', index: 0 } },
  { kind: 'slowFollower', broker: 1, ms: 0 },
  { kind: 'advance', ms: 300 },
  { kind: 'heal' },
  { kind: 'pauseReplication', broker: 1 },
  { kind: 'advance', ms: 400 },
  { kind: 'stopBroker', broker: 1, crash: false, loseUnflushed: false },
  { kind: 'resumeReplication', broker: 1 },
  { kind: 'advance', ms: 300 },
  { kind: 'startBroker', broker: 1 },
  { kind: 'failRequests', api: 'Heartbeat', broker: null, effect: { error: 'COORDINATOR_NOT_AVAILABLE' }, times: 1 },
  { kind: 'advance', ms: 400 },
  { kind: 'stopBroker', broker: 2, crash: true, loseUnflushed: false },
  { kind: 'advance', ms: 500 },
  { kind: 'startBroker', broker: 2 },
  { kind: 'advance', ms: 500 },
  { kind: 'electPreferredLeaders' },
  { kind: 'failRequests', api: 'Metadata', broker: null, effect: { delayMs: 100 }, times: 1 },
  { kind: 'failRequests', api: 'OffsetCommit', broker: null, effect: { error: 'COORDINATOR_NOT_AVAILABLE' }, times: 1 },
]

const steps: WorkloadStep[] = []
for (let i = 0; i < sends; i++) {
  steps.push({ kind: 'send', producer: i % 2, topic: 0, key: (i * 7) % 16, count: perSend, abort: false })
  steps.push({ kind: 'advance', ms: gapMs })
}

export const benchScenario: Scenario = {
  seed: 7,
  workload: {
    topics: [{ name: 'bench', partitions: 3, replicationFactor: 3, configs: { 'min.insync.replicas': '2' } }],
    producers: [
      { acks: -1, idempotent: true, transactional: false },
      { acks: -1, idempotent: false, transactional: false },
    ],
    steps,
    groups: [{ topics: [0], handler: 'eachBatch', steps: [{ kind: 'join' }, { kind: 'advance', ms: 1_500 }, { kind: 'join' }, { kind: 'advance', ms: 2_000 }, { kind: 'leave', member: 0 }] }],
  },
  faults,
}

/** The baseline run: three arrays, an await per send, an async read loop, a read-once check. */
async function baselineRun(): Promise<void> {
  const partitions: string[][] = [[], [], []]
  for (let i = 0; i < sends; i++) {
    const key = (i * 7) % 16
    for (let j = 0; j < perSend; j++) {
      await Promise.resolve()
      partitions[key % 3]!.push(`v${i}.${j}`)
    }
  }
  const seen = new Map<string, number>()
  for (const log of partitions) {
    for (const value of log) {
      await Promise.resolve()
      seen.set(value, (seen.get(value) ?? 0) + 1)
    }
  }
  if (seen.size !== sends * perSend || [...seen.values()].some((n) => n !== 1)) throw new Error('baseline run lost or duplicated a value')
}

export async function benchSimulation(): Promise<BenchResult[]> {
  // One run first: the scenario must really send its 1000 messages and meet its 20 faults.
  const history = await simulate(benchScenario)
  const sent = history.ops.filter((op) => op.kind === 'send').length
  const injected = history.ops.filter((op) => op.kind === 'fault' && op.fault.kind !== 'recover').length
  if (sent !== sends * perSend || injected !== 20) throw new Error(`the benchmark scenario sent ${sent} messages and injected ${injected} faults`)
  const result = checkHistory(history)
  if (!result.valid) throw new Error(`the benchmark run has anomalies: ${result.anomalies.map((a) => a.message).join('; ')}`)

  const bench = new Bench({ time: 3_000, warmupTime: 500, iterations: 10, signal: AbortSignal.timeout(60_000) })
  bench.add('simulate', async () => {
    await simulate(benchScenario)
  })
  bench.add('baseline', baselineRun)
  bench.add('check', () => {
    checkHistory(history)
  })
  bench.add('baseline check', () => {
    // The plain-JS check of the same history: every polled value, counted.
    const seen = new Map<string, number>()
    for (const op of history.ops) if (op.kind === 'poll' && op.value !== null) seen.set(op.value, (seen.get(op.value) ?? 0) + 1)
    if (seen.size === 0) throw new Error('nothing polled')
  })
  await bench.run()

  const perSecond = (name: string) => 1_000 / completed(bench, name).latency.mean
  return [
    {
      name: `simulated runs: 3 brokers, ${sends * perSend} messages, 20 faults, a group of 2 (${history.ops.length} ops)`,
      value: perSecond('simulate'),
      unit: 'runs/s',
      target: undefined,
      better: 'higher',
      baseline: perSecond('baseline'),
    },
    {
      name: `checkHistory of one such run (${history.ops.length} ops)`,
      value: completed(bench, 'check').latency.mean,
      unit: 'ms',
      target: undefined,
      better: 'lower',
      baseline: completed(bench, 'baseline check').latency.mean,
    },
  ]
}
