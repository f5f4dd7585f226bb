/**
 * Concept 8, checked against invariant 14 of KAFKA-SEMANTICS.md (consume-transform-produce in
 * transactions: output = input, no duplicates): after a crash mid-transaction and a recovery,
 * the read_committed ledger holds every request exactly once, the open transaction held the
 * LSO while it was open, its aborted entries are visible only to read_uncommitted readers, the
 * committed offset moved only with committed transactions, and the woken zombie is fenced.
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

describe('exactly once', () => {
  it('writes every payment to the committed ledger exactly once, in request order', () => {
    expect(result.committedLedger.map((e) => e.payment)).toEqual(result.requests)
    expect(result.requests).toHaveLength(10)
  })

  it('holds read_committed readers at the LSO while the crashed transaction is open', () => {
    expect(result.duringCrash.lastStableOffset).toBeLessThan(result.duringCrash.highWatermark)
    expect(result.duringCrash.committedReads).toBe(6)
    expect(result.duringCrash.uncommittedReads).toBe(8)
  })

  it('keeps the aborted attempt in the log for read_uncommitted readers only', () => {
    const uncommitted = result.uncommittedLedger.map((e) => `${e.payment}(${e.by})`)
    expect(uncommitted.filter((e) => e.endsWith('(a)'))).toEqual(['pay-1', 'pay-2', 'pay-3', 'pay-4', 'pay-5', 'pay-6', 'pay-7', 'pay-8'].map((p) => `${p}(a)`))
    expect(result.committedLedger.filter((e) => ['pay-7', 'pay-8'].includes(e.payment)).map((e) => e.by)).toEqual(['b', 'b'])
  })

  it('commits the consumer offset with the transaction that wrote the entries', () => {
    expect(result.committedOffset).toBe('10')
  })

  it('fences the zombie instance', () => {
    expect(result.zombieError).toMatch(/INVALID_PRODUCER_EPOCH|PRODUCER_FENCED/)
  })

  it('tells the fencing and the abort in the story', () => {
    expect(run.text).toMatch(/transaction payment-processor aborted: ledger-0 \(fenced by a new instance/)
  })

  it('prints the same text on every run', async () => {
    expect((await runExample(example)).text).toBe(run.text)
  })
})
