/**
 * Safety under random faults: 500 seeded runs of the durable configuration (KAFKA-SEMANTICS.md
 * fault scenario 1), 200 of consumer groups with acks=1 producers among the others, 200 with
 * crashes that lose unflushed data and topics that allow unclean elections, 100 of compacted
 * topics cleaned while brokers fail. A run takes a few
 * milliseconds of real time; `npm run test:long` (test/long/simulation-safety.test.ts) runs
 * thousands more with other seeds.
 */
import { describe, expect, it } from 'vitest'
import { compactedTopicsUnderFaults, durableConfigurationLosesNothing, groupsUnderFaults, lossyFaultsExplained } from './safety-properties.js'

describe('simulated runs under random faults', () => {
  it('acks=-1, RF=3, min.insync.replicas=2: no anomaly in 500 runs', async () => {
    const coverage = await durableConfigurationLosesNothing(500, 1)
    expect(coverage.runs).toBe(500)
    // The runs met what the property is about: leader changes, truncated replicas, offline
    // partitions, aborted transactions.
    for (const what of ['committedWrites', 'elections', 'truncations', 'offline', 'abortedTransactions'] as const) expect(coverage[what], what).toBeGreaterThan(0)
  }, 180_000)

  it('consumer groups and acks=1 producers under every fault kind: no anomaly in 200 runs', async () => {
    const coverage = await groupsUnderFaults(200, 1)
    expect(coverage.runs).toBe(200)
    for (const what of ['committedWrites', 'rebalances', 'polls'] as const) expect(coverage[what], what).toBeGreaterThan(0)
  }, 120_000)

  it('crashes losing unflushed data and unclean elections: only the losses they explain, in 200 runs', async () => {
    const coverage = await lossyFaultsExplained(200, 1)
    expect(coverage.runs).toBe(200)
    // The runs did lose acknowledged writes (and the checker allowed exactly those).
    for (const what of ['committedWrites', 'allowedLosses', 'truncations'] as const) expect(coverage[what], what).toBeGreaterThan(0)
  }, 120_000)

  it('compacted topics cleaned while brokers fail: no anomaly in 100 runs', async () => {
    const coverage = await compactedTopicsUnderFaults(100, 1)
    expect(coverage.runs).toBe(100)
    for (const what of ['committedWrites', 'compactions', 'elections'] as const) expect(coverage[what], what).toBeGreaterThan(0)
  }, 120_000)
})
