/**
 * Concept 11, checked: with a consumer slower than its producer the producer is never slowed,
 * the lag grows while the load lasts (per partition, as HW - committed), and falls back to 0
 * once it stops, with every reading processed once.
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
const total = (lag: number[]) => lag.reduce((a, b) => a + b, 0)

describe('back-pressure', () => {
  it('never makes the producer wait', () => {
    expect(result.slowestSendMs).toBe(0)
    expect(result.produced).toBe(150)
  })

  it('lets the lag grow while the producer outpaces the consumer', () => {
    const whileProducing = result.samples.filter((s) => s.time <= 5_000)
    expect(whileProducing).toHaveLength(5)
    const totals = whileProducing.map((s) => total(s.lag))
    for (let i = 1; i < totals.length; i++) expect(totals[i]).toBeGreaterThan(totals[i - 1]!)
    // The lag is at least what was produced but not processed, less what processing has not committed yet.
    for (const s of whileProducing) expect(total(s.lag)).toBeGreaterThanOrEqual(s.produced - s.processed)
    expect(whileProducing.at(-1)!.lag.every((l) => l > 0)).toBe(true)
  })

  it('catches up once the load stops, having processed every reading', () => {
    expect(result.caughtUpAt).toBeGreaterThan(5_000)
    expect(result.samples.at(-1)!.lag).toEqual([0, 0, 0])
    expect(result.processed).toBe(result.produced)
  })

  it('shows the lag per partition in cluster.format()', () => {
    expect(run.text).toMatch(/telemetry\s+1\s+\d+\s+50\s+\d+\s+dashboard/)
  })

  it('prints the same text on every run', async () => {
    expect((await runExample(example)).text).toBe(run.text)
  })
})
