/**
 * Concept 9, checked: workers finish out of order, yet every commit is the low watermark (all
 * offsets below it done, none of it still running); after a crash the low watermark redoes
 * work and loses none, while committing the highest finished offset loses what was running.
 * LowWatermark itself is checked as a property: whatever order offsets finish in, the
 * committable offset is the end of the contiguous finished run.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { runExample, type ExampleRun } from '../kit/example.js'
import example from './main.js'
import { LowWatermark } from './low-watermark.js'

// One run of the example; every check below reads it (and the last one runs it again).
let run!: ExampleRun<Awaited<ReturnType<typeof example.run>>>
let result!: Awaited<ReturnType<typeof example.run>>
beforeAll(async () => {
  run = await runExample(example)
  result = run.result
})

describe('parallel processing with safe commits', () => {
  it('finishes out of order but commits only offsets below which everything is done', () => {
    const finished = result.outOfOrder.done.map((d) => d.offset)
    expect(finished).not.toEqual([...finished].sort((a, b) => a - b))
    expect(result.outOfOrder.commits.at(-1)).toBe(10)
    // The commits are exactly the successive ends of the contiguous finished run, in finish order.
    const watermarks: number[] = []
    for (let i = 1; i <= finished.length; i++) {
      const end = contiguousEnd(finished.slice(0, i))
      if (end > (watermarks.at(-1) ?? 0)) watermarks.push(end)
    }
    expect(result.outOfOrder.commits).toEqual(watermarks)
  })

  it('redoes work after a crash with the low watermark, and loses none', () => {
    const r = result.crash['low-watermark']
    expect(r.committedAtCrash).toBe(Math.min(...r.runningAtCrash!))
    const done = new Set(r.done.map((d) => d.offset))
    for (let o = 10; o < 20; o++) expect(done.has(o), `offset ${o}`).toBe(true)
    const twice = r.done.filter((d) => d.offset >= 10).length - 10
    expect(twice).toBeGreaterThan(0)
  })

  it('loses the payments still running below the highest finished offset when that is committed', () => {
    const r = result.crash['highest-finished']
    const done = new Set(r.done.map((d) => d.offset))
    const lost = r.runningAtCrash!.filter((o) => o < r.committedAtCrash! && !done.has(o))
    expect(lost).toEqual([10])
  })

  it('prints the same text on every run', async () => {
    expect((await runExample(example)).text).toBe(run.text)
  })
})

/** The end of the run of consecutive offsets from 0 among `finished`. */
function contiguousEnd(finished: readonly number[]): number {
  const set = new Set(finished)
  let n = 0
  while (set.has(n)) n++
  return n
}

describe('LowWatermark', () => {
  it('commits the end of the contiguous finished run, whatever the finishing order', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000 }), fc.shuffledSubarray(Array.from({ length: 30 }, (_, i) => i), { minLength: 0, maxLength: 30 }), (start, order) => {
        const tracker = new LowWatermark(start)
        const finished: number[] = []
        for (const i of order) {
          const before = tracker.committable
          const moved = tracker.finish(start + i)
          finished.push(i)
          const expected = start + contiguousEnd(finished)
          expect(tracker.committable).toBe(expected)
          expect(moved).toBe(expected === before ? undefined : expected)
          expect(tracker.waiting.every((o) => o > expected)).toBe(true)
        }
      }),
    )
  })

  it('ignores offsets below the watermark (already committed)', () => {
    const tracker = new LowWatermark(10)
    expect(tracker.finish(9)).toBeUndefined()
    expect(tracker.finish(10)).toBe(11)
    expect(tracker.finish(10)).toBeUndefined()
  })
})
