/**
 * Concept 7, checked: retention deletes whole segments older than retention.ms (the low
 * watermark only grows, a segment at a time, and the data of the last retention.ms is kept),
 * and a group whose committed offset fell below the log start resets by its policy: earliest
 * to the new log start, latest to the log end (fault scenario 9 of KAFKA-SEMANTICS.md).
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
const RETENTION_MS = 60_000
const CLICK_EVERY_MS = 2_000

describe('retention', () => {
  it('keeps at least the last retention.ms of clicks, and the low watermark never goes back', () => {
    for (const w of result.watermarks) {
      // Click n was written at n * 2 s: everything newer than retention.ms ago is still there.
      const oldestKeptTime = w.low * CLICK_EVERY_MS
      expect(oldestKeptTime, `t=${w.time}`).toBeLessThanOrEqual(Math.max(0, w.time - RETENTION_MS))
    }
    const lows = result.watermarks.map((w) => w.low)
    expect(lows).toEqual([...lows].sort((a, b) => a - b))
    expect(lows.at(-1)).toBeGreaterThan(0)
  })

  it('deletes a whole segment at a time', () => {
    expect(result.deletions.length).toBeGreaterThan(1)
    for (const d of result.deletions) expect(d.segments).toBeGreaterThanOrEqual(1)
    const starts = result.deletions.map((d) => d.logStartOffset)
    // segment.ms = 10 s of clicks every 2 s: segments of (about) five clicks, so jumps of more than one.
    for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThan(1)
  })

  it('resets a group that fell off the log to the log start (earliest): what it missed is gone', () => {
    expect(result.archiver.committed).toBe(5)
    expect(result.archiver.logStartAtRestart).toBeGreaterThan(result.archiver.committed)
    expect(result.archiver.resumedAt).toBe(result.archiver.logStartAtRestart)
    expect(result.archiver.read).toEqual(Array.from({ length: result.highWatermark - result.archiver.resumedAt }, (_, i) => result.archiver.resumedAt + i))
  })

  it('resets a group with the latest policy to the log end: it reads only what comes next', () => {
    expect(result.dashboard.committed).toBe(5)
    expect(result.dashboard.read).toEqual([result.highWatermark])
  })

  it('prints the same text on every run', async () => {
    expect((await runExample(example)).text).toBe(run.text)
  })
})
