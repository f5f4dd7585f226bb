/**
 * Concept 3, checked: a restarted group resumes at its committed offset, seeking replays from
 * an offset or from a time, and a consumer that dies mid-batch under auto-commit makes its
 * successor redo the uncommitted work: duplicates, never loss.
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
const by = (worker: string) => result.processed.filter((p) => p.worker === worker)

describe('offsets and replay', () => {
  it('resumes a restarted group at the committed offset: nothing twice, nothing skipped', () => {
    expect(by('worker-1').map((p) => p.offset)).toEqual([0, 1, 2, 3, 4])
    expect(result.committedAfterStop).toBe('5')
    expect(by('worker-2').slice(0, 5).map((p) => p.offset)).toEqual([5, 6, 7, 8, 9])
  })

  it('replays from the offset a seek names', () => {
    const afterFirstRead = by('worker-2').slice(5)
    expect(afterFirstRead.slice(0, 8).map((p) => p.offset)).toEqual([2, 3, 4, 5, 6, 7, 8, 9])
  })

  it('finds the first offset written at or after a time, and replays from it', () => {
    const replay = by('worker-2').slice(13)
    const first = replay[0]!
    expect(result.offsetAtTime).toBe(String(first.offset))
    expect(first.timestamp).toBeGreaterThanOrEqual(7_000)
    const earlier = result.processed.find((p) => p.offset === first.offset - 1)!
    expect(earlier.timestamp).toBeLessThan(7_000)
    expect(replay.map((p) => p.offset)).toEqual([7, 8, 9])
  })

  it('redelivers the work a dead consumer did but never committed, and loses nothing', () => {
    expect(by('worker-3').map((p) => p.invoice)).toEqual(['inv-11', 'inv-12', 'inv-13', 'inv-14'])
    expect(by('worker-4').map((p) => p.invoice)).toEqual(['inv-11', 'inv-12', 'inv-13', 'inv-14', 'inv-15'])
    expect(result.emails).toEqual({ 'inv-11': 2, 'inv-12': 2, 'inv-13': 2, 'inv-14': 1, 'inv-15': 1 })
  })

  it('prints the same text on every run', async () => {
    expect((await runExample(example)).text).toBe(run.text)
  })
})
