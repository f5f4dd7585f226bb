/**
 * Concept 2, checked: a group shares partitions (each message once per group), a member beyond
 * the partition count is idle, another group sees everything, and leaving or dying rebalances
 * the group into a new generation that hands the partitions to the survivors.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { runExample, type ExampleRun } from '../kit/example.js'
import example from './main.js'

// One run of the example; every check below reads it (and the last one runs it again).
let run!: ExampleRun<Awaited<ReturnType<typeof example.run>>>
let result!: Awaited<ReturnType<typeof example.run>>
beforeAll(async () => {
  run = await runExample(example)
  result = run.result
})
const of = (groupId: string) => result.deliveries.filter((d) => d.groupId === groupId)
const key = (d: { partition: number; offset: number }) => `${d.partition}@${d.offset}`

describe('consumer groups', () => {
  it('gives every partition to exactly one member, and every member some partition while there are enough', () => {
    const owned = Object.values(result.twoMembers).flat().sort()
    expect(owned).toEqual([0, 1, 2])
    expect(Object.values(result.twoMembers).every((p) => p.length > 0)).toBe(true)
  })

  it('processes every message once per group, by the owner of its partition at the time', () => {
    const billing = of('billing').map(key)
    expect(new Set(billing).size).toBe(billing.length)
    expect(billing).toHaveLength(result.produced)
    // The first 12 went to the two members by their partitions.
    for (const d of of('billing').slice(0, 12)) expect(result.twoMembers[d.consumer]).toContain(d.partition)
  })

  it('leaves the fourth member of a three-partition topic idle', () => {
    expect(Object.keys(result.fourMembers)).toEqual(['a', 'b', 'c', 'd'])
    expect(Object.values(result.fourMembers).filter((p) => p.length === 0)).toHaveLength(1)
    expect(Object.values(result.fourMembers).flat().sort()).toEqual([0, 1, 2])
  })

  it('lets a second group read everything again, on its own offsets', () => {
    const analytics = of('analytics')
    expect(new Set(analytics.map((d) => d.consumer))).toEqual(new Set(['x']))
    // Every order, the later ones too: the same (partition, offset) set as the whole billing group.
    expect(analytics.map(key).sort()).toEqual(of('billing').map(key).sort())
    expect(analytics).toHaveLength(result.produced)
  })

  it('rebalances into a new generation when a member leaves and when one dies, after the session timeout', () => {
    const [two, four, left, died] = result.generations
    expect(four).toBeGreaterThan(two!)
    expect(left).toBe(four! + 1)
    expect(died).toBe(left! + 1)
    expect(Object.keys(result.afterLeave)).toEqual(['a', 'c', 'd'])
    expect(Object.keys(result.afterDeath)).toEqual(['a', 'd'])
    expect(Object.values(result.afterDeath).flat().sort()).toEqual([0, 1, 2])
    expect(result.deathNoticedAfterMs).toBe(6_000)
    // The last six orders went to the survivors only.
    expect(new Set(of('billing').slice(-6).map((d) => d.consumer))).toEqual(new Set(['a', 'd']))
  })

  it('tells the rebalances in the story', () => {
    expect(run.text).toContain('group billing: b left')
    expect(run.text).toContain('group billing: c was removed: its session timed out')
    expect(run.text).toMatch(/group billing rebalanced: generation 6, members a,d/)
  })

  it('prints the same text on every run', async () => {
    expect((await runExample(example)).text).toBe(run.text)
  })
})
