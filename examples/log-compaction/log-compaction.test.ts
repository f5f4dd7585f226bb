/**
 * Concept 6, checked against the compaction rules of KAFKA-SEMANTICS.md: at least the last
 * record of every key survives, offsets and order never change, the active segment is not
 * cleaned, and a tombstone outlives the first pass but not delete.retention.ms.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { runExample, type ExampleRun } from '../kit/example.js'
import example, { type LogRecord } from './main.js'

// One run of the example; every check below reads it (and the last one runs it again).
let run!: ExampleRun<Awaited<ReturnType<typeof example.run>>>
let result!: Awaited<ReturnType<typeof example.run>>
beforeAll(async () => {
  run = await runExample(example)
  result = run.result
})

/** The last record of each key among `records`. */
function lastPerKey(records: readonly LogRecord[]): Map<string, LogRecord> {
  const last = new Map<string, LogRecord>()
  for (const r of records) last.set(r.key, r)
  return last
}

describe('log compaction', () => {
  it('keeps the last record of every key, at its original offset', () => {
    for (const survivors of [result.afterFirstPass, result.afterSecondPass]) {
      const written = result.written.filter((w) => w.offset <= survivors.at(-1)!.offset)
      for (const [key, last] of lastPerKey(written)) {
        if (last.value === null && survivors === result.afterSecondPass) continue
        expect(survivors, key).toContainEqual(last)
      }
    }
  })

  it('never changes an offset or the order, and leaves only records that were written', () => {
    const all = [...result.written, { offset: 9, key: 'user-4', value: 'email=di@example.com city=Kyiv' }]
    for (const survivors of [result.afterFirstPass, result.afterSecondPass]) {
      for (const r of survivors) expect(all).toContainEqual(r)
      const offsets = survivors.map((r) => r.offset)
      expect(offsets).toEqual([...offsets].sort((a, b) => a - b))
    }
  })

  it('does not clean the active segment: an older value of its key survives the first pass', () => {
    expect(result.afterFirstPass.filter((r) => r.key === 'user-2').map((r) => r.offset)).toEqual([4, 8])
    expect(result.removedFirstPass).toBe(4)
  })

  it('keeps a tombstone through the first pass and removes it after delete.retention.ms', () => {
    expect(result.afterFirstPass).toContainEqual({ offset: 5, key: 'user-3', value: null })
    expect(result.afterSecondPass.some((r) => r.key === 'user-3')).toBe(false)
    expect(result.removedTombstones).toBe(1)
    expect(result.table).toEqual({
      'user-1': 'email=ann@new.example city=Lyon',
      'user-2': 'email=bob@example.com city=Rome',
      'user-4': 'email=di@example.com city=Kyiv',
    })
  })

  it('tells each pass in the story', () => {
    expect(run.text).toContain('compacted user-profiles-0 on brokers 0,1,2: removed 4 records below offset 8')
  })

  it('prints the same text on every run', async () => {
    expect((await runExample(example)).text).toBe(run.text)
  })
})
