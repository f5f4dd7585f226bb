/**
 * The long form of test/testing/simulation-safety.test.ts (`npm run test:long`): 3000 more
 * seeded runs of the durable configuration under every fault kind, 2000 of consumer groups with
 * acks=1 producers among the others, with other seeds than the suite's.
 */
import { describe, expect, it } from 'vitest'
import { durableConfigurationLosesNothing, groupsUnderFaults } from '../testing/safety-properties.js'

describe('simulated runs under random faults (long)', () => {
  it('acks=-1, RF=3, min.insync.replicas=2: no anomaly in 3000 runs', async () => {
    const coverage = await durableConfigurationLosesNothing(3_000, 2)
    expect(coverage.runs).toBe(3_000)
    for (const what of ['committedWrites', 'elections', 'truncations', 'offline', 'abortedTransactions', 'unknownSends'] as const) expect(coverage[what], what).toBeGreaterThan(0)
  }, 1_800_000)

  it('consumer groups and acks=1 producers under every fault kind: no anomaly in 2000 runs', async () => {
    const coverage = await groupsUnderFaults(2_000, 2)
    expect(coverage.runs).toBe(2_000)
  }, 900_000)
})
