/**
 * The long form of test/testing/simulation-safety.test.ts (`npm run test:long`): more seeded runs
 * of the durable configuration under every fault kind, of consumer groups with acks=1 producers
 * among the others, of crashes losing unflushed data with unclean elections allowed, and of
 * compacted topics cleaned while brokers fail, with
 * scenarios four times the suite's size (up to 160 workload steps and 80-120 fault steps), over
 * a fixed list of seeds other than the suite's (1). A failure
 * names its seed; `FC_SEED` is not read here, so every run of test:long checks the same cases.
 */
import { describe, expect, it } from 'vitest'
import { compactedTopicsUnderFaults, durableConfigurationLosesNothing, groupsUnderFaults, lossyFaultsExplained } from '../testing/safety-properties.js'

const DURABLE_SEEDS = [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17]
const GROUP_SEEDS = [2, 3, 4, 5, 6, 7, 8, 9, 10, 11]
const LOSSY_SEEDS = [2, 3, 4, 5, 6, 7]
const COMPACTED_SEEDS = [2, 3, 4, 5]
const RUNS_PER_SEED = 500

describe('simulated runs under random faults (long)', () => {
  for (const seed of DURABLE_SEEDS) {
    it(`acks=-1, RF=3, min.insync.replicas=2: no anomaly in ${RUNS_PER_SEED} runs from seed ${seed}`, async () => {
      const coverage = await durableConfigurationLosesNothing(RUNS_PER_SEED, seed, 'long')
      expect(coverage.runs).toBe(RUNS_PER_SEED)
      for (const what of ['committedWrites', 'elections', 'truncations', 'offline', 'abortedTransactions', 'unknownSends'] as const) expect(coverage[what], what).toBeGreaterThan(0)
    }, 600_000)
  }

  for (const seed of GROUP_SEEDS) {
    it(`consumer groups and acks=1 producers under every fault kind: no anomaly in ${RUNS_PER_SEED} runs from seed ${seed}`, async () => {
      const coverage = await groupsUnderFaults(RUNS_PER_SEED, seed, 'long')
      expect(coverage.runs).toBe(RUNS_PER_SEED)
      for (const what of ['committedWrites', 'rebalances', 'polls'] as const) expect(coverage[what], what).toBeGreaterThan(0)
    }, 600_000)
  }

  for (const seed of LOSSY_SEEDS) {
    it(`crashes losing unflushed data and unclean elections: only the losses they explain, in ${RUNS_PER_SEED} runs from seed ${seed}`, async () => {
      const coverage = await lossyFaultsExplained(RUNS_PER_SEED, seed, 'long')
      expect(coverage.runs).toBe(RUNS_PER_SEED)
      for (const what of ['committedWrites', 'allowedLosses', 'truncations'] as const) expect(coverage[what], what).toBeGreaterThan(0)
    }, 600_000)
  }

  for (const seed of COMPACTED_SEEDS) {
    it(`compacted topics cleaned while brokers fail: no anomaly in ${RUNS_PER_SEED} runs from seed ${seed}`, async () => {
      const coverage = await compactedTopicsUnderFaults(RUNS_PER_SEED, seed, 'long')
      expect(coverage.runs).toBe(RUNS_PER_SEED)
      for (const what of ['committedWrites', 'compactions', 'elections'] as const) expect(coverage[what], what).toBeGreaterThan(0)
    }, 600_000)
  }
})
