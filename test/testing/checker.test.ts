/**
 * checkHistory on hand-made histories: each anomaly of KAFKA-SEMANTICS.md 8-14 is found, with
 * the operations that show it, in a history that contains it; correct histories (with
 * transaction markers and aborted records leaving offset gaps, rebalances and redelivery, seeks)
 * give nothing; the options allow what the configuration allows. A property test then builds
 * correct histories from a model log at random and checks that the checker stays silent, and
 * that a skipped read slipped into one is caught.
 */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { checkHistory, formatCheckResult, type Anomaly, type AnomalyKind, type CheckResult } from '../../src/testing/checker.js'
import { HistoryBuilder } from './history-builder.js'

const kinds = (anomalies: Anomaly[]): AnomalyKind[] => anomalies.map((a) => a.kind)
const indexes = (a: Anomaly): number[] => a.ops.map((op) => op.index)

function expectClean(result: CheckResult): void {
  expect(result.anomalies, formatCheckResult(result)).toEqual([])
  expect(result.allowed, formatCheckResult(result)).toEqual([])
  expect(result.valid).toBe(true)
}

describe('checkHistory on correct histories', () => {
  it('finds nothing when every acknowledged write is read once, in order', () => {
    const h = new HistoryBuilder().topic('t', 2)
    h.send('p0', 't', 0, 0, 'a')
    h.send('p0', 't', 0, 1, 'b')
    h.send('p1', 't', 1, 0, 'c')
    h.assign('c0', 't', [0, 1])
    h.poll('c0', 't', 0, 0, 'a')
    h.send('p0', 't', 0, 2, 'd')
    h.poll('c0', 't', 0, 1, 'b')
    h.poll('c0', 't', 1, 0, 'c')
    h.poll('c0', 't', 0, 2, 'd')
    const result = checkHistory(h.build())
    expectClean(result)
    expect(result.stats).toMatchObject({ polls: 4, committedWrites: 4, unseen: 0, sends: { ok: 4, fail: 0, info: 0 } })
  })

  it('finds nothing across transaction markers and aborted records (offset gaps)', () => {
    const h = new HistoryBuilder().topic('t')
    // Offsets 0-1 committed, 2 its marker; 3-4 aborted, 5 their marker; 6 committed, 7 its marker.
    const t1 = h.txn('p0')
    h.send('p0', 't', 0, 0, 'a', { txn: t1 })
    h.send('p0', 't', 0, 1, 'b', { txn: t1 })
    h.end(t1, 'committed')
    const t2 = h.txn('p0')
    h.send('p0', 't', 0, 3, 'x', { txn: t2 })
    h.send('p0', 't', 0, 4, 'y', { txn: t2 })
    h.end(t2, 'aborted')
    const t3 = h.txn('p0')
    h.send('p0', 't', 0, 6, 'c', { txn: t3 })
    h.end(t3, 'committed')
    h.assign('c0', 't', [0])
    h.polls('c0', 't', 0, [[0, 'a'], [1, 'b'], [6, 'c']])
    // A read_uncommitted consumer sees the aborted records too, in order: no skip either.
    h.assign('u0', 't', [0])
    h.polls('u0', 't', 0, [[0, 'a'], [1, 'b'], [3, 'x'], [4, 'y'], [6, 'c']], { isolation: 'read_uncommitted' })
    expectClean(checkHistory(h.build()))
  })

  it('finds nothing when a rebalance sends a consumer back to its committed offset (redelivery)', () => {
    const h = new HistoryBuilder().topic('t')
    for (let i = 0; i < 5; i++) h.send('p0', 't', 0, i, `v${i}`)
    h.assign('c0', 't', [0])
    h.polls('c0', 't', 0, [[0, 'v0'], [1, 'v1'], [2, 'v2']])
    h.assign('c1', 't', [0])
    h.polls('c1', 't', 0, [[1, 'v1'], [2, 'v2'], [3, 'v3']])
    // c0 rejoins and gets the partition back, from c1's committed offset.
    h.assign('c0', 't', [0])
    h.polls('c0', 't', 0, [[3, 'v3'], [4, 'v4']])
    expectClean(checkHistory(h.build()))
  })

  it('finds nothing when a consumer seeks back, or its handler fails and the message comes again', () => {
    const h = new HistoryBuilder().topic('t')
    for (let i = 0; i < 3; i++) h.send('p0', 't', 0, i, `v${i}`)
    h.assign('c0', 't', [0])
    h.polls('c0', 't', 0, [[0, 'v0'], [1, 'v1']])
    h.poll('c0', 't', 0, 2, 'v2', { type: 'fail' })
    h.poll('c0', 't', 0, 2, 'v2')
    h.seek('c0', 't', 0, 0)
    h.polls('c0', 't', 0, [[0, 'v0'], [1, 'v1'], [2, 'v2']])
    expectClean(checkHistory(h.build()))
  })

  it('counts acknowledged writes above every read as unseen, not lost', () => {
    const h = new HistoryBuilder().topic('t')
    h.send('p0', 't', 0, 0, 'a')
    h.send('p0', 't', 0, 1, 'b')
    h.poll('c0', 't', 0, 0, 'a')
    const result = checkHistory(h.build())
    expectClean(result)
    expect(result.stats.unseen).toBe(1)
  })

  it('does not judge losses on compacted topics (the cleaner removes older values of a key)', () => {
    const h = new HistoryBuilder().topic('c', 1, true)
    h.send('p0', 'c', 0, 0, 'k1=a', { key: 'k1' })
    h.send('p0', 'c', 0, 1, 'k1=b', { key: 'k1' })
    h.send('p0', 'c', 0, 2, 'k2=a', { key: 'k2' })
    h.polls('c0', 'c', 0, [[1, 'k1=b'], [2, 'k2=a']])
    expectClean(checkHistory(h.build()))
  })

  it('is quiet on a value whose send timed out (info) but was read', () => {
    const h = new HistoryBuilder().topic('t')
    h.send('p0', 't', 0, null, 'a', { type: 'info' })
    h.send('p0', 't', 0, 1, 'b')
    h.polls('c0', 't', 0, [[0, 'a'], [1, 'b']])
    expectClean(checkHistory(h.build()))
  })
})

describe('checkHistory finds each anomaly', () => {
  it('8. inconsistent offsets: two polls read different values at one offset', () => {
    const h = new HistoryBuilder().topic('t')
    const a = h.poll('c0', 't', 0, 3, 'x')
    const b = h.poll('c1', 't', 0, 3, 'y')
    const result = checkHistory(h.build())
    expect(kinds(result.anomalies)).toEqual(['inconsistent-offsets'])
    expect(result.anomalies[0]).toMatchObject({ topic: 't', partition: 0, offsets: [3], values: ['x', 'y'] })
    expect(indexes(result.anomalies[0]!)).toEqual([a.index, b.index])
    expect(result.valid).toBe(false)
    expect(result.counts['inconsistent-offsets']).toBe(1)
  })

  it('8 and 10. an acks=all write whose offset holds another value: inconsistent, and lost', () => {
    const h = new HistoryBuilder().topic('t')
    const send = h.send('p0', 't', 0, 0, 'a')
    const poll = h.poll('c0', 't', 0, 0, 'b')
    const result = checkHistory(h.build())
    expect(kinds(result.anomalies)).toEqual(['inconsistent-offsets', 'lost-write'])
    expect(indexes(result.anomalies[1]!)).toEqual([send.index, poll.index])
    expect(result.anomalies[1]!.message).toContain('"a" acknowledged at t-0@0')
  })

  it('9. duplicates: an idempotent producer\'s value stored at two offsets', () => {
    const h = new HistoryBuilder().topic('t')
    const send = h.send('p0', 't', 0, 0, 'a', { idempotent: true })
    h.poll('c0', 't', 0, 0, 'a')
    const again = h.poll('c0', 't', 0, 1, 'a')
    const result = checkHistory(h.build())
    expect(kinds(result.anomalies)).toEqual(['duplicate'])
    expect(result.anomalies[0]).toMatchObject({ partition: 0, offsets: [0, 1], values: ['a'] })
    expect(indexes(result.anomalies[0]!)).toEqual([send.index, send.index + 1, again.index])
  })

  it('9. duplicates across partitions are found too', () => {
    const h = new HistoryBuilder().topic('t', 2)
    h.send('p0', 't', 0, 0, 'a', { idempotent: true })
    h.poll('c0', 't', 0, 0, 'a')
    h.poll('c0', 't', 1, 0, 'a')
    const result = checkHistory(h.build())
    expect(kinds(result.anomalies)).toEqual(['duplicate'])
    expect(result.anomalies[0]!.partition).toBeNull()
  })

  it('10. lost write: an acknowledged write below the highest offset read, never read', () => {
    const h = new HistoryBuilder().topic('t')
    h.send('p0', 't', 0, 0, 'a')
    const lost = h.send('p0', 't', 0, 1, 'b')
    h.send('p0', 't', 0, 2, 'c')
    h.poll('c0', 't', 0, 0, 'a')
    const max = h.poll('c1', 't', 0, 2, 'c')
    const result = checkHistory(h.build())
    expect(kinds(result.anomalies)).toEqual(['lost-write'])
    expect(result.anomalies[0]).toMatchObject({ offsets: [1], values: ['b'] })
    expect(indexes(result.anomalies[0]!)).toEqual([lost.index, max.index])
  })

  it('11. aborted read: a read_committed poll returns a value of an aborted transaction', () => {
    const h = new HistoryBuilder().topic('t')
    const txn = h.txn('p0')
    const send = h.send('p0', 't', 0, 0, 'x', { txn })
    h.end(txn, 'aborted')
    const poll = h.poll('c0', 't', 0, 0, 'x')
    const result = checkHistory(h.build())
    expect(kinds(result.anomalies)).toEqual(['aborted-read'])
    expect(indexes(result.anomalies[0]!)).toEqual([txn.index, send.index, poll.index])
    // read_uncommitted consumers are allowed to see it.
    const u = new HistoryBuilder().topic('t')
    const t2 = u.txn('p0')
    u.send('p0', 't', 0, 0, 'x', { txn: t2 })
    u.end(t2, 'aborted')
    u.poll('c0', 't', 0, 0, 'x', { isolation: 'read_uncommitted' })
    expectClean(checkHistory(u.build()))
  })

  it('11. aborted read: a transaction never committed (its producer died) counts as aborted; a failed send too', () => {
    const h = new HistoryBuilder().topic('t')
    const txn = h.txn('p0')
    h.send('p0', 't', 0, 0, 'x', { txn })
    h.send('p1', 't', 0, null, 'y', { type: 'fail' })
    h.poll('c0', 't', 0, 0, 'x')
    h.poll('c0', 't', 0, 1, 'y')
    expect(kinds(checkHistory(h.build()).anomalies)).toEqual(['aborted-read', 'aborted-read'])
  })

  it('11. a transaction whose commit outcome is unknown may have committed: reading it is fine', () => {
    const h = new HistoryBuilder().topic('t')
    const txn = h.txn('p0')
    h.send('p0', 't', 0, 0, 'x', { txn })
    h.end(txn, 'unknown')
    h.poll('c0', 't', 0, 0, 'x')
    expectClean(checkHistory(h.build()))
  })

  it('12. poll skip: a consumer jumps over an offset that another consumer read', () => {
    const h = new HistoryBuilder().topic('t')
    h.polls('c1', 't', 0, [[0, 'a'], [1, 'b'], [2, 'c']])
    h.assign('c0', 't', [0])
    const first = h.poll('c0', 't', 0, 0, 'a')
    const next = h.poll('c0', 't', 0, 2, 'c')
    const result = checkHistory(h.build())
    expect(kinds(result.anomalies)).toEqual(['poll-skip'])
    expect(result.anomalies[0]).toMatchObject({ offsets: [1] })
    expect(indexes(result.anomalies[0]!)).toEqual([1, first.index, next.index])
  })

  it('12. poll skip: over an offset an acknowledged acks=all write holds', () => {
    const h = new HistoryBuilder().topic('t')
    h.send('p0', 't', 0, 0, 'a')
    h.send('p0', 't', 0, 1, 'b')
    h.send('p0', 't', 0, 2, 'c')
    h.polls('c0', 't', 0, [[0, 'a'], [2, 'c']])
    h.polls('c1', 't', 0, [[0, 'a'], [1, 'b'], [2, 'c']])
    expect(kinds(checkHistory(h.build()).anomalies)).toEqual(['poll-skip'])
  })

  it('12. nonmonotonic poll: a consumer reads an offset again with no rebalance between', () => {
    const h = new HistoryBuilder().topic('t')
    h.assign('c0', 't', [0])
    h.polls('c0', 't', 0, [[0, 'a'], [1, 'b'], [2, 'c']])
    const back = h.poll('c0', 't', 0, 1, 'b')
    const result = checkHistory(h.build())
    expect(kinds(result.anomalies)).toEqual(['nonmonotonic-poll'])
    expect(result.anomalies[0]).toMatchObject({ offsets: [2, 1] })
    expect(indexes(result.anomalies[0]!)).toEqual([back.index - 1, back.index])
  })

  it('10. lost write above every offset read: judged once a consumer read the partition to its end', () => {
    const h = new HistoryBuilder().topic('t')
    h.send('p0', 't', 0, 0, 'a')
    h.send('p0', 't', 0, 1, 'b') // acknowledged at 1, but the log ends at 1 now
    h.polls('c0', 't', 0, [[0, 'a']])
    const unjudged = checkHistory(h.build())
    expectClean(unjudged)
    expect(unjudged.stats.unseen).toBe(1)
    h.readToEnd('c0', 't', 0, 1)
    const result = checkHistory(h.build())
    expect(kinds(result.anomalies)).toEqual(['lost-write'])
    expect(result.anomalies[0]!.message).toContain('read t-0 to its end, offset 1')
    expect(result.stats.unseen).toBe(0)
  })

  it('10. a read to the end that began before the write was acknowledged says nothing of it', () => {
    const h = new HistoryBuilder().topic('t')
    const late = h.send('p0', 't', 0, null, 'late', { pending: true })
    h.readToEnd('c0', 't', 0, 0)
    h.complete(late, 0)
    const result = checkHistory(h.build())
    expectClean(result)
    expect(result.stats.unseen).toBe(1)
  })

  it('compaction: a reader at the end of a compacted partition sees every key\'s last value', () => {
    const h = new HistoryBuilder().topic('c', 1, true)
    h.send('p0', 'c', 0, 0, 'k1-old', { key: 'k1' })
    h.send('p0', 'c', 0, 1, 'k2-only', { key: 'k2' })
    h.send('p0', 'c', 0, 2, 'k1-new', { key: 'k1' })
    // The cleaner removed k1-old: that is no anomaly (nor a lost write, nor a skip).
    h.poll('r', 'c', 0, 1, 'k2-only', { key: 'k2' })
    h.poll('r', 'c', 0, 2, 'k1-new', { key: 'k1' })
    h.readToEnd('r', 'c', 0, 3)
    expectClean(checkHistory(h.build()))

    const lost = new HistoryBuilder().topic('c', 1, true)
    lost.send('p0', 'c', 0, 0, 'k1-old', { key: 'k1' })
    const last = lost.send('p0', 'c', 0, 1, 'k1-new', { key: 'k1' })
    lost.poll('r', 'c', 0, 0, 'k1-old', { key: 'k1' })
    const end = lost.readToEnd('r', 'c', 0, 2)
    const result = checkHistory(lost.build())
    expect(kinds(result.anomalies)).toEqual(['compaction-lost-value'])
    expect(result.anomalies[0]).toMatchObject({ offsets: [1], values: ['k1-new'] })
    expect(indexes(result.anomalies[0]!)).toEqual([last.index, end.index])
    // Written with acks=1, its loss is allowed, as a lost write's is.
    const unsafe = new HistoryBuilder().topic('c', 1, true)
    unsafe.send('p0', 'c', 0, 0, 'k1-old', { key: 'k1' })
    unsafe.send('p0', 'c', 0, 1, 'k1-new', { key: 'k1', acks: 1 })
    unsafe.poll('r', 'c', 0, 0, 'k1-old', { key: 'k1' })
    unsafe.readToEnd('r', 'c', 0, 2)
    const allowed = checkHistory(unsafe.build())
    expect(allowed.valid).toBe(true)
    expect(kinds(allowed.allowed)).toEqual(['compaction-lost-value'])
  })

  it('compaction: a later value of the key from a send of unknown outcome counts, and without a read to the end nothing is judged', () => {
    const h = new HistoryBuilder().topic('c', 1, true)
    h.send('p0', 'c', 0, 0, 'k1-a', { key: 'k1' })
    h.send('p0', 'c', 0, null, 'k1-b', { key: 'k1', type: 'info' })
    h.poll('r', 'c', 0, 1, 'k1-b', { key: 'k1' })
    expectClean(checkHistory(h.build()))
    h.readToEnd('r', 'c', 0, 2)
    expectClean(checkHistory(h.build()))
  })

  it('13. nonmonotonic send: a producer\'s later send to a partition gets a lower offset', () => {
    const h = new HistoryBuilder().topic('t')
    const a = h.send('p0', 't', 0, 5, 'a')
    const b = h.send('p0', 't', 0, 3, 'b')
    h.polls('c0', 't', 0, [[3, 'b'], [5, 'a']])
    const result = checkHistory(h.build())
    expect(kinds(result.anomalies)).toEqual(['nonmonotonic-send'])
    expect(indexes(result.anomalies[0]!)).toEqual([a.index, b.index])
  })

  it('13. concurrent sends may land in any order', () => {
    const h = new HistoryBuilder().topic('t')
    const a = h.send('p0', 't', 0, null, 'a', { pending: true })
    const b = h.send('p0', 't', 0, 0, 'b')
    h.complete(a, 1)
    h.send('p0', 't', 0, 2, 'c')
    h.polls('c0', 't', 0, [[0, 'b'], [1, 'a'], [2, 'c']])
    void b
    expectClean(checkHistory(h.build()))
  })

  it('14. pipeline: every input once in the output, nothing else', () => {
    const h = new HistoryBuilder().topic('in').topic('out')
    for (const [i, v] of ['a', 'b', 'c'].entries()) h.send('src', 'in', 0, i, v)
    const txn = h.txn('proc')
    h.send('proc', 'out', 0, 0, 'A', { txn })
    h.send('proc', 'out', 0, 1, 'B', { txn })
    h.end(txn, 'committed')
    h.polls('reader', 'out', 0, [[0, 'A'], [1, 'B'], [3, 'B'], [4, 'D']])
    h.polls('reader', 'in', 0, [[0, 'a'], [1, 'b'], [2, 'c']])
    const result = checkHistory(h.build(), { pipelines: [{ input: 'in', output: 'out', transform: (v) => v.toUpperCase() }] })
    expect(kinds(result.anomalies)).toEqual(['duplicate', 'pipeline-missing', 'pipeline-duplicate', 'pipeline-unexpected'])
    const byKind = Object.fromEntries(result.anomalies.map((a) => [a.kind, a]))
    expect(byKind['pipeline-missing']!.values).toEqual(['c', 'C'])
    expect(byKind['pipeline-duplicate']!.offsets).toEqual([1, 3])
    expect(byKind['pipeline-unexpected']!.values).toEqual(['D'])
    // The same history is clean once the output matches.
    const ok = new HistoryBuilder().topic('in').topic('out')
    for (const [i, v] of ['a', 'b'].entries()) ok.send('src', 'in', 0, i, v)
    ok.polls('reader', 'out', 0, [[0, 'a'], [2, 'b']])
    expectClean(checkHistory(ok.build(), { pipelines: [{ input: 'in', output: 'out' }] }))
  })
})

describe('checkHistory options: what the configuration allows', () => {
  /** acks=1: the leader acknowledged alone and died; the new leader reused the offset. */
  function acks1Loss(): HistoryBuilder {
    const h = new HistoryBuilder().topic('t')
    h.send('p0', 't', 0, 0, 'a', { acks: 1 })
    h.send('p0', 't', 0, 0, 'b', { acks: 1 })
    h.poll('c0', 't', 0, 0, 'b')
    return h
  }

  it('acks=1 loss is allowed by default, with what follows from it (the reused offset, the send going back)', () => {
    const result = checkHistory(acks1Loss().build())
    expect(result.valid).toBe(true)
    expect(kinds(result.allowed)).toEqual(['inconsistent-offsets', 'lost-write', 'nonmonotonic-send'])
    expect(result.allowed[0]!.allowedBecause).toContain('acks=0/1')
    expect(result.allowed[2]!.allowedBecause).toContain('follows from lost write')
  })

  it('allowUnsafeAckLoss: false reports acks=1 loss', () => {
    const result = checkHistory(acks1Loss().build(), { allowUnsafeAckLoss: false })
    expect(result.valid).toBe(false)
    expect(kinds(result.anomalies)).toEqual(['inconsistent-offsets', 'lost-write', 'nonmonotonic-send'])
  })

  it('a send going back past an acks=1 write lost above the offsets read follows from that loss', () => {
    // Found by test:long: the leader acknowledged a and b (acks=1) at 0 and 1 alone and crashed;
    // the new leader gave c offset 0, and the final reads end there. b is not judged lost (no
    // poll reached offset 1), but c going back past it follows from its loss.
    const h = new HistoryBuilder().topic('t')
    h.send('p0', 't', 0, 0, 'a', { acks: 1 })
    h.send('p0', 't', 0, 1, 'b', { acks: 1 })
    h.send('p0', 't', 0, 0, 'c', { acks: 1 })
    h.poll('c0', 't', 0, 0, 'c')
    const result = checkHistory(h.build())
    expect(result.valid, formatCheckResult(result)).toBe(true)
    expect(kinds(result.allowed)).toEqual(['inconsistent-offsets', 'lost-write', 'nonmonotonic-send'])
    expect(result.allowed[2]!.allowedBecause).toContain('acks=0/1')
    expect(result.allowed[2]!.values).toEqual(['b', 'c'])
    // When acks=1 loss is not allowed, all three are anomalies.
    const strict = checkHistory(h.build(), { allowUnsafeAckLoss: false })
    expect(kinds(strict.anomalies)).toEqual(['inconsistent-offsets', 'lost-write', 'nonmonotonic-send'])
  })

  it('a skip over an offset only a lost acks=1 write held follows from that loss', () => {
    const h = new HistoryBuilder().topic('t')
    h.send('p0', 't', 0, 0, 'a', { acks: 1 })
    h.send('p0', 't', 0, 1, 'lost', { acks: 1 })
    h.send('p1', 't', 0, 2, 'c')
    h.polls('c0', 't', 0, [[0, 'a'], [2, 'c']])
    const result = checkHistory(h.build())
    expect(result.valid).toBe(true)
    expect(kinds(result.allowed)).toEqual(['lost-write', 'poll-skip'])
    expect(kinds(checkHistory(h.build(), { allowUnsafeAckLoss: false }).anomalies)).toEqual(['lost-write', 'poll-skip'])
  })

  it('an aborted write later taking the lost acks=1 write\'s offset does not make the skip an anomaly', () => {
    // Found by test:long: a preferred election cut the acks=1 write at offset 1 away; the new
    // leader gave offset 1 to a transaction that then aborted, so a read_committed consumer steps
    // from 0 to 2 over an offset nobody committed.
    const h = new HistoryBuilder().topic('t')
    h.send('p0', 't', 0, 0, 'a', { acks: 1 })
    h.send('p0', 't', 0, 1, 'lost', { acks: 1 })
    const txn = h.txn('tx')
    h.send('tx', 't', 0, 1, 'aborted', { txn })
    h.end(txn, 'aborted')
    h.send('p1', 't', 0, 3, 'c')
    h.polls('c0', 't', 0, [[0, 'a'], [3, 'c']])
    const result = checkHistory(h.build())
    expect(result.valid, formatCheckResult(result)).toBe(true)
    expect(kinds(result.allowed)).toEqual(['inconsistent-offsets', 'lost-write', 'poll-skip'])
    // A read_uncommitted consumer could have read the aborted write there: that skip stays one.
    const uncommitted = new HistoryBuilder().topic('t')
    uncommitted.send('p0', 't', 0, 0, 'a', { acks: 1 })
    uncommitted.send('p0', 't', 0, 1, 'lost', { acks: 1 })
    const t2 = uncommitted.txn('tx')
    uncommitted.send('tx', 't', 0, 1, 'aborted', { txn: t2 })
    uncommitted.end(t2, 'aborted')
    uncommitted.send('p1', 't', 0, 3, 'c')
    uncommitted.polls('c0', 't', 0, [[0, 'a'], [3, 'c']], { isolation: 'read_uncommitted' })
    expect(kinds(checkHistory(uncommitted.build()).anomalies)).toEqual(['poll-skip'])
  })

  it('a transaction with an unknown outcome retried elsewhere: the copy that was read does not make the first one committed', () => {
    // Found by docs/testing.md's example under an EndTxn fault: the first transaction's commit
    // failed (unknown outcome; it was aborted), the processor wrote the same invoice again in a
    // new transaction, and only that one was read.
    const h = new HistoryBuilder().topic('in').topic('out')
    h.send('shop', 'in', 0, 0, 'a')
    const first = h.txn('proc')
    h.send('proc', 'out', 0, 0, 'A', { txn: first })
    h.end(first, 'unknown')
    const second = h.txn('proc')
    h.send('proc', 'out', 0, 2, 'A', { txn: second })
    h.end(second, 'committed')
    h.polls('reader', 'in', 0, [[0, 'a']])
    h.polls('reader', 'out', 0, [[2, 'A']])
    expectClean(checkHistory(h.build(), { pipelines: [{ input: 'in', output: 'out', transform: (v) => v.toUpperCase() }] }))
    // Read where the first one wrote it too, it did commit: the value is there twice.
    h.poll('auditor', 'out', 0, 0, 'A')
    const twice = checkHistory(h.build(), { pipelines: [{ input: 'in', output: 'out', transform: (v) => v.toUpperCase() }] })
    expect(kinds(twice.anomalies)).toEqual(['duplicate', 'pipeline-duplicate'])
  })

  it('duplicates without idempotence are allowed by default, not with allowDuplicatesWithoutIdempotence: false', () => {
    const h = new HistoryBuilder().topic('t')
    h.send('p0', 't', 0, 0, 'a')
    h.polls('c0', 't', 0, [[0, 'a'], [1, 'a']])
    const result = checkHistory(h.build())
    expect(result.valid).toBe(true)
    expect(kinds(result.allowed)).toEqual(['duplicate'])
    expect(result.allowed[0]!.allowedBecause).toContain('not idempotent')
    expect(kinds(checkHistory(h.build(), { allowDuplicatesWithoutIdempotence: false }).anomalies)).toEqual(['duplicate'])
  })

  it('allowUncleanLoss allows the loss of acks=all writes and what follows, but not aborted reads', () => {
    const h = new HistoryBuilder().topic('t')
    h.send('p0', 't', 0, 0, 'a')
    h.assign('c0', 't', [0])
    h.poll('c0', 't', 0, 0, 'a')
    // An unclean election: the new leader never had "a"; the consumer is reset back to 0.
    h.send('p0', 't', 0, 0, 'b')
    h.poll('c0', 't', 0, 0, 'b')
    const txn = h.txn('p1')
    h.send('p1', 't', 0, 1, 'x', { txn })
    h.end(txn, 'aborted')
    h.poll('c1', 't', 0, 1, 'x')
    const strict = checkHistory(h.build())
    expect(kinds(strict.anomalies)).toEqual(['inconsistent-offsets', 'aborted-read', 'nonmonotonic-poll', 'nonmonotonic-send'])
    const lenient = checkHistory(h.build(), { allowUncleanLoss: true })
    expect(kinds(lenient.anomalies)).toEqual(['aborted-read'])
    expect(kinds(lenient.allowed)).toEqual(['inconsistent-offsets', 'nonmonotonic-poll', 'nonmonotonic-send'])
  })

  it('allow lists kinds to accept whatever their cause', () => {
    const h = new HistoryBuilder().topic('t')
    h.poll('c0', 't', 0, 3, 'x')
    h.poll('c1', 't', 0, 3, 'y')
    const result = checkHistory(h.build(), { allow: ['inconsistent-offsets'] })
    expect(result.valid).toBe(true)
    expect(result.allowed[0]!.allowedBecause).toBe('options.allow lists it')
  })

  it('formatCheckResult names each anomaly and its operations', () => {
    const h = new HistoryBuilder().topic('t')
    h.send('p0', 't', 0, 0, 'a')
    h.send('p0', 't', 0, 1, 'b')
    h.poll('c0', 't', 0, 1, 'b')
    expect(formatCheckResult(checkHistory(h.build()))).toBe(
      'anomalies (1):\n  lost-write: "a" acknowledged at t-0@0 (send #0, acks=-1) was never read, though poll #2 read up to offset 1',
    )
    expect(formatCheckResult(checkHistory(new HistoryBuilder().build()))).toBe('no anomalies')
  })
})

// ---------------------------------------------------------------------------------------------
// Properties over histories generated from a model log

/** One record of a model partition: committed data, aborted data, or a transaction marker. */
type Slot = { kind: 'data'; value: string; txn: 'none' | 'committed' | 'aborted' } | { kind: 'marker' }

const slotArb: fc.Arbitrary<Slot['kind'] | 'committed-txn' | 'aborted-txn'> = fc.constantFrom('data', 'data', 'committed-txn', 'aborted-txn', 'marker')

/**
 * A correct history of one partition: a log (plain writes, transactional writes committed and
 * aborted, markers), its writes acknowledged at their offsets, and consumers that each read a
 * run of the visible records in order, rejoining (and going back to any earlier visible offset)
 * between runs.
 */
const correctHistory = fc
  .record({
    slots: fc.array(slotArb, { minLength: 1, maxLength: 40 }),
    consumers: fc.array(fc.array(fc.record({ from: fc.nat(), length: fc.nat({ max: 15 }) }), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 3 }),
  })
  .map(({ slots, consumers }) => {
    const h = new HistoryBuilder().topic('t')
    const log: Slot[] = []
    slots.forEach((kind, offset) => {
      const value = `v${offset}`
      if (kind === 'marker') {
        log.push({ kind: 'marker' })
        return
      }
      if (kind === 'data') {
        h.send('producer', 't', 0, offset, value)
        log.push({ kind: 'data', value, txn: 'none' })
        return
      }
      const t = h.txn(`tx-${offset}`)
      h.send(`tx-${offset}`, 't', 0, offset, value, { txn: t })
      h.end(t, kind === 'committed-txn' ? 'committed' : 'aborted')
      log.push({ kind: 'data', value, txn: kind === 'committed-txn' ? 'committed' : 'aborted' })
    })
    const visible = log.flatMap((slot, offset) => (slot.kind === 'data' && slot.txn !== 'aborted' ? [{ offset, value: slot.value }] : []))
    consumers.forEach((runs, c) => {
      for (const run of runs) {
        h.assign(`c${c}`, 't', [0])
        if (visible.length === 0) continue
        const from = run.from % visible.length
        for (const record of visible.slice(from, from + run.length)) h.poll(`c${c}`, 't', 0, record.offset, record.value)
      }
    })
    // The final reads: everything visible, once.
    h.assign('final', 't', [0])
    for (const record of visible) h.poll('final', 't', 0, record.offset, record.value)
    return { h, visible }
  })

describe('checkHistory properties', () => {
  it('finds nothing in correct histories with marker and abort gaps, rebalances and redelivery', () => {
    fc.assert(
      fc.property(correctHistory, ({ h }) => {
        expectClean(checkHistory(h.build()))
      }),
      { numRuns: 300 },
    )
  })

  it('finds the skip when one visible record is left out of a consumer\'s run', () => {
    fc.assert(
      fc.property(correctHistory, fc.nat(), ({ h, visible }, pick) => {
        fc.pre(visible.length >= 3)
        // The final reader misses one record in the middle of its run.
        const missing = visible[1 + (pick % (visible.length - 2))]!
        const history = h.build()
        const ops = history.ops.filter((op) => !(op.kind === 'poll' && op.process === 'final' && op.offset === missing.offset)).map((op, index) => ({ ...op, index }))
        const result = checkHistory({ ...history, ops })
        expect(kinds(result.anomalies)).toContain('poll-skip')
        expect(result.anomalies.find((a) => a.kind === 'poll-skip')!.offsets).toEqual([missing.offset])
      }),
      { numRuns: 200 },
    )
  })
})
