/**
 * The simulation's safety properties, shared by the suite (test/testing/simulation-safety.test.ts)
 * and its long form (test/long): under random faults, a configuration that promises durability
 * loses nothing and breaks no ordering rule the checker knows.
 */
import { expect } from 'vitest'
import fc from 'fast-check'
import { simulate } from '../../src/testing/simulation.js'
import { checkHistory, formatCheckResult, type CheckOptions } from '../../src/testing/checker.js'
import { FAULT_KINDS, producerArbitrary, scenarioArbitrary, topicArbitrary } from '../../src/testing/arbitraries.js'
import type { Scenario } from '../../src/testing/scenario.js'
import type { BrokerConfigInput } from '../../src/cluster/cluster-config.js'

/** What the runs went through, summed, so a test can tell it met the faults it is about. */
export interface Coverage {
  runs: number
  committedWrites: number
  elections: number
  truncations: number
  offline: number
  abortedTransactions: number
  unknownSends: number
  rebalances: number
  polls: number
  /** Lost writes the configuration allowed (acks=1, unclean elections, lost unflushed data). */
  allowedLosses: number
  /** Cleaner passes that removed records. */
  compactions: number
}

/**
 * `everyWriteRead`: no committed write escaped the checker's judgement (stats.unseen is 0): the
 * simulation's final reads record that they read every partition to its end, so every write is
 * either read or judged lost. `checkOptions`: what the configuration allows.
 */
async function check(
  scenario: Scenario,
  coverage: Coverage,
  { everyWriteRead = false, checkOptions = {}, brokerConfig }: { everyWriteRead?: boolean; checkOptions?: CheckOptions; brokerConfig?: BrokerConfigInput } = {},
): Promise<void> {
  const history = await simulate({
    ...scenario,
    ...(brokerConfig ? { brokerConfig } : {}),
    checkInvariants: true,
    // kafkajs's idempotent producer reuses a failed batch's sequence numbers, which can lose the
    // next send (simulation.test.ts shows it); a producer that failed is replaced, as the Java
    // producer bumps its epoch.
    replaceProducerAfterFailure: true,
    inspect: (cluster) => {
      coverage.elections += cluster.timeline({ types: ['leaderElected'] }).length
      coverage.truncations += cluster.timeline({ types: ['truncated'] }).length
      coverage.offline += cluster.timeline({ types: ['partitionOffline'] }).length
      for (const e of cluster.timeline({ types: ['logCompacted'] })) if (e.type === 'logCompacted' && e.removedRecords > 0) coverage.compactions++
    },
  })
  const result = checkHistory(history, checkOptions)
  coverage.runs++
  coverage.allowedLosses += result.allowed.filter((a) => a.kind === 'lost-write').length
  coverage.committedWrites += result.stats.committedWrites
  coverage.unknownSends += result.stats.sends.info
  coverage.abortedTransactions += history.ops.filter((op) => op.kind === 'txn' && op.result === 'aborted').length
  coverage.rebalances += history.ops.filter((op) => op.kind === 'assign').length
  coverage.polls += result.stats.polls
  expect(result.valid, `${formatCheckResult(result)}\nscenario: ${JSON.stringify(scenario)}`).toBe(true)
  if (everyWriteRead) expect(result.stats.unseen, `committed writes the final reads did not see\nscenario: ${JSON.stringify(scenario)}`).toBe(0)
}

/**
 * 'suite': the arbitraries' default sizes (up to 40 workload steps, 20-30 fault steps);
 * 'long': four times as many of each, for test:long, whose runs then last longer and meet more
 * faults in one run.
 */
export type RunSize = 'suite' | 'long'
const SCALE: Record<RunSize, number> = { suite: 1, long: 4 }

const emptyCoverage = (): Coverage => ({ runs: 0, committedWrites: 0, elections: 0, truncations: 0, offline: 0, abortedTransactions: 0, unknownSends: 0, rebalances: 0, polls: 0, allowedLosses: 0, compactions: 0 })

/**
 * acks=-1, RF=3, min.insync.replicas=2, no unclean election, every fault kind but lost disks:
 * no acknowledged write is lost, no offset holds two values, idempotent and transactional
 * producers write nothing twice, read_committed never sees aborted data, consumers read on in
 * order between their joins, sends keep their order (KAFKA-SEMANTICS.md fault scenario 1 and
 * checks 8-13). The cluster's white-box invariants are checked after every step too.
 */
export async function durableConfigurationLosesNothing(numRuns: number, seed: number, size: RunSize = 'suite'): Promise<Coverage> {
  const coverage = emptyCoverage()
  const scale = SCALE[size]
  const arbitrary = scenarioArbitrary({
    workload: {
      topics: fc.array(topicArbitrary({ replicationFactor: 3, minInsyncReplicas: 2 }), { minLength: 1, maxLength: 2 }),
      producers: fc.array(producerArbitrary({ acks: -1, idempotent: fc.boolean(), transactional: fc.boolean() }), { minLength: 1, maxLength: 3 }),
      maxGroups: 1,
      sends: { maxSteps: 40 * scale },
    },
    // Dense schedules (up to 30 faults, at most a second apart) meet lagging followers under
    // crashing leaders more often.
    faults: { kinds: FAULT_KINDS, loseUnflushed: false, maxSteps: 30 * scale, maxAdvanceMs: 1_000 },
  })
  await fc.assert(
    fc.asyncProperty(arbitrary, (scenario) => check(scenario, coverage, { everyWriteRead: true })),
    { seed, numRuns },
  )
  return coverage
}

/**
 * Two consumer groups whose members come and go, producers with acks=1 among the others, every
 * fault kind: the checker's default options (acks=1 writes may be lost, non-idempotent writes
 * duplicated) find nothing else, and every consumer reads on without skipping or going back
 * between its joins (check 12).
 */
export async function groupsUnderFaults(numRuns: number, seed: number, size: RunSize = 'suite'): Promise<Coverage> {
  const coverage = emptyCoverage()
  const scale = SCALE[size]
  const arbitrary = scenarioArbitrary({
    workload: {
      topics: fc.array(topicArbitrary({ replicationFactor: 3, minInsyncReplicas: 2 }), { minLength: 1, maxLength: 2 }),
      producers: fc.array(producerArbitrary({ acks: fc.constantFrom<-1 | 1>(-1, 1), idempotent: fc.boolean(), transactional: fc.boolean() }), { minLength: 1, maxLength: 2 }),
      maxGroups: 2,
      sends: { maxSteps: 40 * scale },
    },
    faults: { kinds: FAULT_KINDS, maxSteps: 20 * scale },
  })
  await fc.assert(
    fc.asyncProperty(arbitrary, (scenario) => check(scenario, coverage)),
    { seed, numRuns },
  )
  return coverage
}

/**
 * The lossy configurations: crashes may lose what was not flushed (loseUnflushed), topics may
 * allow unclean elections, producers use any acks. Acknowledged writes may be lost, and what
 * follows from a loss is allowed (checker option allowUncleanLoss); nothing else is: no
 * duplicates from idempotent producers, no aborted reads, and the cluster's white-box
 * invariants, with their exemptions for a rewritten committed history, hold after every step.
 */
export async function lossyFaultsExplained(numRuns: number, seed: number, size: RunSize = 'suite'): Promise<Coverage> {
  const coverage = emptyCoverage()
  const scale = SCALE[size]
  const arbitrary = scenarioArbitrary({
    workload: {
      topics: fc.array(topicArbitrary({ uncleanLeaderElection: fc.boolean() }), { minLength: 1, maxLength: 2 }),
      producers: fc.array(producerArbitrary(), { minLength: 1, maxLength: 3 }),
      maxGroups: 2,
      sends: { maxSteps: 40 * scale },
    },
    faults: { kinds: FAULT_KINDS, loseUnflushed: true, maxSteps: 30 * scale },
  })
  await fc.assert(
    fc.asyncProperty(arbitrary, (scenario) => check(scenario, coverage, { everyWriteRead: true, checkOptions: { allowUncleanLoss: true } })),
    { seed, numRuns },
  )
  return coverage
}

/**
 * Compacted topics whose cleaner runs every 100 ms on segments rolled every 200 ms, under every
 * fault kind: followers copy the gaps the leader's cleaner leaves, the white-box invariants hold
 * after every step, and the checks that apply to compacted topics (one value per offset, no
 * duplicates from idempotent producers, no aborted reads, polls and sends in order) find nothing.
 */
export async function compactedTopicsUnderFaults(numRuns: number, seed: number, size: RunSize = 'suite'): Promise<Coverage> {
  const coverage = emptyCoverage()
  const scale = SCALE[size]
  const topic = topicArbitrary({ replicationFactor: 3, minInsyncReplicas: 2, cleanupPolicy: fc.constantFrom<'compact' | 'compact,delete'>('compact', 'compact,delete') }).map((t) => ({
    ...t,
    configs: { ...t.configs, 'segment.ms': '200', 'min.cleanable.dirty.ratio': '0.01', 'delete.retention.ms': '300' },
  }))
  const arbitrary = scenarioArbitrary({
    workload: {
      topics: fc.array(topic, { minLength: 1, maxLength: 2 }),
      producers: fc.array(producerArbitrary({ acks: -1, idempotent: fc.boolean(), transactional: fc.boolean() }), { minLength: 1, maxLength: 3 }),
      maxGroups: 2,
      // Few keys, so that the cleaner has older values to remove.
      sends: { maxSteps: 40 * scale, keys: 3 },
    },
    faults: { kinds: FAULT_KINDS, maxSteps: 20 * scale },
  })
  await fc.assert(
    fc.asyncProperty(arbitrary, (scenario) => check(scenario, coverage, { brokerConfig: COMPACTING_BROKERS })),
    { seed, numRuns },
  )
  return coverage
}

const COMPACTING_BROKERS: BrokerConfigInput = { 'log.cleaner.backoff.ms': 100, 'log.retention.check.interval.ms': 100 }
