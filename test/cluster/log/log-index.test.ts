/**
 * The log's read indexes (issue 15: read cost flat against log length): the segments' base
 * offsets and running max timestamps (SegmentIndex), each segment's per-batch last offsets and
 * running max timestamps (BatchIndex), and the search inside a batch (firstRecordReaching). Each
 * is checked against a plain linear scan of the data it indexes, over logs built by random
 * appends (timestamps in any order, control batches, log-append time, offset gaps a follower
 * copies from a compacted leader), rolls, truncations, retention, DeleteRecords and cleaner
 * passes, with the lookups made between the steps so that anything an index remembers
 * (including what it learnt lazily) must follow every change.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { PartitionLog, type LogRollPolicy } from '../../../src/cluster/log/partition-log.js'
import { RecordBatch, TimestampPool, TimestampType, type ProducerRecord } from '../../../src/cluster/log/record-batch.js'
import { BatchIndex } from '../../../src/cluster/log/batch-index.js'
import { firstRecordReaching } from '../../../src/cluster/log/record-search.js'
import { cleanLog } from '../../../src/cluster/log/log-cleaner.js'
import { deleteOldSegments } from '../../../src/cluster/log/retention.js'
import type { LogSegment } from '../../../src/cluster/log/segment.js'
import { COMPACT } from './log-fixture.js'

/** Timestamps of a batch: ascending (with repeats), in any order, or all the same. */
const stampsArb = (maxLength: number): fc.Arbitrary<number[]> =>
  fc.oneof(
    fc.array(fc.integer({ min: 0, max: 300 }), { minLength: 1, maxLength }).map((xs) => xs.sort((a, b) => a - b)),
    fc.array(fc.integer({ min: 0, max: 300 }), { minLength: 1, maxLength }),
    fc.tuple(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1, max: maxLength })).map(([ts, n]) => Array<number>(n).fill(ts)),
    // Stamped at a steady rate from some start, as a producer that stamps each record does.
    fc.tuple(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1, max: maxLength }), fc.integer({ min: 0, max: 3 })).map(([from, n, step]) => Array.from({ length: n }, (_, i) => from + i * step)),
  )

function batchOf(stamps: readonly number[], baseOffset: number, options: { keys?: boolean; timestampType?: 0 | 1; now?: number; control?: boolean; pool?: TimestampPool } = {}): RecordBatch {
  return RecordBatch.ofRecords(
    baseOffset,
    recordsOf(stamps, options.keys ?? false),
    0,
    options.timestampType ?? TimestampType.CreateTime,
    options.now ?? 0,
    undefined,
    options.control ?? false,
    false,
    options.pool,
  )
}

function recordsOf(stamps: readonly number[], keyed: boolean): ProducerRecord[] {
  // A few keys, so that the cleaner has superseded records to remove; every seventh a tombstone.
  return stamps.map((timestamp, i) => ({ key: keyed ? Buffer.from(`k${(timestamp + i) % 5}`) : null, value: (timestamp + i) % 7 === 0 ? null : Buffer.from('v'), timestamp }))
}

describe('the search inside a batch', () => {
  it('property: finds the first record at or after `from` reaching the timestamp, whatever the estimates', () => {
    fc.assert(
      fc.property(stampsArb(60), fc.integer({ min: -1, max: 302 }), fc.nat(60), fc.integer({ min: -50, max: 400 }), fc.integer({ min: -50, max: 400 }), (stamps, target, fromAsked, low, high) => {
        const batch = batchOf(stamps, 10)
        const from = Math.min(fromAsked, stamps.length)
        let expected = stamps.length
        for (let i = from; i < stamps.length; i++) {
          if (stamps[i]! >= target) {
            expected = i
            break
          }
        }
        const ascending = batch.timestampsAscend
        expect(ascending).toBe(stamps.every((ts, i) => i === 0 || ts >= stamps[i - 1]!))
        expect(firstRecordReaching(batch, target, from, ascending, low, high)).toBe(expected)
        // The batch's own first and max timestamps, which the log passes when it has nothing better.
        expect(firstRecordReaching(batch, target, from, ascending, batch.firstTimestamp, batch.maxTimestamp)).toBe(expected)
      }),
      { numRuns: 2000 },
    )
  })
})

describe('a segment\'s batch index', () => {
  type IndexOp = { kind: 'append'; gap: number; stamps: number[]; control: boolean } | { kind: 'truncate'; keep: number } | { kind: 'reset'; keep: number }
  const opArb: fc.Arbitrary<IndexOp> = fc.oneof(
    { weight: 8, arbitrary: fc.record({ kind: fc.constant('append' as const), gap: fc.oneof(fc.constant(0), fc.constant(0), fc.nat(20)), stamps: stampsArb(30), control: fc.integer({ min: 0, max: 9 }).map((n) => n === 0) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), keep: fc.nat(80) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('reset' as const), keep: fc.nat(80) }) },
  )

  /** The linear answer to a segment's search by timestamp over `batches`. */
  function scanBatches(batches: readonly RecordBatch[], target: number, startingOffset: number, maxOffset: number): { offset: number; timestamp: number } | undefined {
    for (const batch of batches) {
      if (batch.isControl) continue
      for (let i = 0; i < batch.count; i++) {
        const offset = batch.offsetAt(i)
        if (offset < startingOffset || batch.timestampAt(i) < target) continue
        return offset < maxOffset ? { offset, timestamp: batch.timestampAt(i) } : undefined
      }
    }
    return undefined
  }

  /** The linear answer to a read of `batches` from `offset` with nothing read before. */
  function scanCollect(batches: readonly RecordBatch[], offset: number, maxOffset: number, maxBytes: number): { taken: RecordBatch[]; bytes: number } {
    const taken: RecordBatch[] = []
    let bytes = 0
    for (const batch of batches) {
      if (batch.lastOffset < offset) continue
      if (batch.baseOffset >= maxOffset || (taken.length > 0 && bytes + batch.sizeInBytes > maxBytes)) return { taken, bytes: -1 - bytes }
      taken.push(batch)
      bytes += batch.sizeInBytes
    }
    return { taken, bytes }
  }

  it('property: agrees with linear scans of the batches after appends, truncations and resets', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 120 }), fc.array(fc.integer({ min: -2, max: 2_000 }), { minLength: 1, maxLength: 8 }), fc.integer({ min: 1, max: 3_000 }), fc.boolean(), (ops, probes, maxBytes, pooled) => {
        const index = new BatchIndex()
        // Timestamps in chunks shared by the batches, as a log builds them, or in arrays of their own.
        const pool = pooled ? new TimestampPool() : undefined
        let batches: RecordBatch[] = []
        for (const op of ops) {
          if (op.kind === 'append') {
            const next = batches.length === 0 ? 0 : batches[batches.length - 1]!.lastOffset + 1
            const batch = batchOf(op.stamps, next + op.gap, { control: op.control, pool })
            batches.push(batch)
            index.append(batch)
          } else if (op.kind === 'truncate') {
            batches = batches.slice(0, op.keep)
            index.truncate(op.keep)
          } else {
            batches = batches.slice(0, op.keep)
            index.reset(batches)
          }
          expect(index.length).toBe(batches.length)
          const runningMax: number[] = []
          for (const b of batches) runningMax.push(Math.max(runningMax[runningMax.length - 1] ?? -Infinity, b.maxTimestamp))
          for (let i = 0; i < batches.length; i++) expect(index.runningMaxAt(i)).toBe(runningMax[i])
          expect(index.maxTimestamp).toBe(Math.max(-1, ...batches.map((b) => b.maxTimestamp)))
          const end = batches.length === 0 ? 0 : batches[batches.length - 1]!.lastOffset + 1
          for (const probe of [...probes, ...batches.flatMap((b) => [b.baseOffset, b.lastOffset, b.lastOffset + 1, b.maxTimestamp, b.maxTimestamp + 1])]) {
            const byOffset = batches.findIndex((b) => b.lastOffset >= probe)
            expect(index.indexForOffset(probe)).toBe(byOffset < 0 ? batches.length : byOffset)
            const byTime = runningMax.findIndex((max) => max >= probe)
            expect(index.firstReaching(probe)).toBe(byTime < 0 ? batches.length : byTime)
            for (const maxOffset of [end, Math.floor(end / 2), probe]) {
              const out: RecordBatch[] = []
              const bytes = index.collect(batches, out, Math.max(0, probe), maxOffset, maxBytes, 0)
              const expected = scanCollect(batches, Math.max(0, probe), maxOffset, maxBytes)
              expect(out).toEqual(expected.taken)
              expect(bytes).toBe(expected.bytes)
              for (const startingOffset of [0, probe, Math.floor(end / 3)]) {
                // null: the index alone cannot tell, and the segment walks its batches.
                const found = index.offsetForTimestamp(probe, startingOffset, maxOffset)
                if (found !== null) expect(found, `timestamp ${probe} from ${startingOffset} below ${maxOffset}`).toEqual(scanBatches(batches, probe, startingOffset, maxOffset))
              }
            }
          }
        }
      }),
      { numRuns: 300 },
    )
  })

  it('answers a search by timestamp alone over batches stamped in order, and leaves the rest to the segment', () => {
    const index = new BatchIndex()
    const batches = [batchOf([10, 11, 12], 0), batchOf([13, 14, 15, 16], 3), batchOf([20, 20], 7), batchOf([30, 25], 9), batchOf([40], 11, { control: true }), batchOf([50], 20)]
    for (const batch of batches) index.append(batch)
    expect(index.offsetForTimestamp(11, 0, 100)).toEqual({ offset: 1, timestamp: 11 })
    expect(index.offsetForTimestamp(14, 0, 100)).toEqual({ offset: 4, timestamp: 14 })
    expect(index.offsetForTimestamp(16, 0, 100)).toEqual({ offset: 6, timestamp: 16 })
    expect(index.offsetForTimestamp(17, 0, 100)).toEqual({ offset: 7, timestamp: 20 })
    // Below maxOffset only, and from startingOffset on.
    expect(index.offsetForTimestamp(16, 0, 6)).toBeUndefined()
    expect(index.offsetForTimestamp(14, 3, 100)).toEqual({ offset: 4, timestamp: 14 })
    // A batch partly before startingOffset: the segment's walk.
    expect(index.offsetForTimestamp(14, 4, 100)).toBeNull()
    // Timestamps out of order, a control batch, a gap before the batch: the segment's walk.
    expect(index.offsetForTimestamp(26, 0, 100)).toBeNull()
    expect(index.offsetForTimestamp(35, 0, 100)).toBeNull()
    expect(index.offsetForTimestamp(45, 0, 100)).toBeNull()
    expect(index.offsetForTimestamp(51, 0, 100)).toBeUndefined()
  })

  it('finds timestamps in the chunks a pool shares between batches and in a large batch\'s own array, and forgets the chunks of cut batches', () => {
    const pool = new TimestampPool()
    const index = new BatchIndex()
    const stamped = (from: number, count: number, base: number) => batchOf(Array.from({ length: count }, (_, i) => from + i), base, { pool })
    // The first chunk holds 256 timestamps: the third batch takes a new one; the fourth is past half the largest chunk.
    const batches = [stamped(0, 2, 0), stamped(2, 200, 2), stamped(202, 200, 202), stamped(402, 70_000, 402), stamped(70_402, 10, 70_402)]
    expect(batches[1]!.timestamps!.buffer).toBe(batches[0]!.timestamps!.buffer)
    expect(batches[2]!.timestamps!.buffer).not.toBe(batches[1]!.timestamps!.buffer)
    expect(batches[3]!.timestamps!.byteOffset).toBe(0)
    for (const batch of batches) index.append(batch)
    for (const t of [0, 1, 150, 201, 202, 300, 401, 402, 50_000, 70_401, 70_402, 70_411]) {
      expect(index.offsetForTimestamp(t, 0, 100_000), `timestamp ${t}`).toEqual({ offset: t, timestamp: t })
    }
    expect(index.offsetForTimestamp(70_412, 0, 100_000)).toBeUndefined()
    // Cut back to the first two batches, then others in their place from new chunks.
    index.truncate(2)
    const after = [stamped(1_000_202, 3, 202), stamped(1_000_205, 300, 205)]
    for (const batch of after) index.append(batch)
    expect(index.offsetForTimestamp(150, 0, 1_000)).toEqual({ offset: 150, timestamp: 150 })
    expect(index.offsetForTimestamp(300, 0, 1_000)).toEqual({ offset: 202, timestamp: 1_000_202 })
    expect(index.offsetForTimestamp(1_000_300, 0, 1_000)).toEqual({ offset: 300, timestamp: 1_000_300 })
  })
})

type LogOp =
  | { kind: 'append'; stamps: number[]; control: boolean; logAppendTime: boolean }
  | { kind: 'appendPastGap'; gap: number; stamps: number[] }
  | { kind: 'tick'; ms: number }
  | { kind: 'roll' }
  | { kind: 'truncate'; at: number }
  | { kind: 'advanceStart'; to: number }
  | { kind: 'retention'; bytes: number }
  | { kind: 'clean'; segmentBytes: number }

const logOpArb: fc.Arbitrary<LogOp> = fc.oneof(
  { weight: 10, arbitrary: fc.record({ kind: fc.constant('append' as const), stamps: stampsArb(12), control: fc.integer({ min: 0, max: 9 }).map((n) => n === 0), logAppendTime: fc.integer({ min: 0, max: 9 }).map((n) => n === 0) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('appendPastGap' as const), gap: fc.integer({ min: 1, max: 10 }), stamps: stampsArb(6) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('tick' as const), ms: fc.integer({ min: 0, max: 50 }) }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'roll' as const }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fc.nat(200) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('advanceStart' as const), to: fc.nat(200) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('retention' as const), bytes: fc.integer({ min: 0, max: 3_000 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('clean' as const), segmentBytes: fc.integer({ min: 1, max: 5_000 }) }) },
)

/** Every batch of the log, in offset order: what the linear scans read. */
const allBatches = (log: PartitionLog): RecordBatch[] => log.allSegments.flatMap((s) => s.batches)

/** The linear answer to ListOffsets by timestamp: the first visible offset stamped at or after `target`. */
function scanForTimestamp(log: PartitionLog, target: number, maxOffset: number): { offset: number; timestamp: number } | undefined {
  for (const batch of allBatches(log)) {
    if (batch.isControl) continue
    for (let i = 0; i < batch.count; i++) {
      const offset = batch.offsetAt(i)
      if (offset < log.logStartOffset || offset >= maxOffset) continue
      if (batch.timestampAt(i) >= target) return { offset, timestamp: batch.timestampAt(i) }
    }
  }
  return undefined
}

/** The linear answer to ListOffsets MAX_TIMESTAMP: the largest visible timestamp, its first offset. */
function scanForMaxTimestamp(log: PartitionLog, maxOffset: number): { offset: number; timestamp: number } | undefined {
  let best: { offset: number; timestamp: number } | undefined
  for (const batch of allBatches(log)) {
    if (batch.isControl) continue
    for (let i = 0; i < batch.count; i++) {
      const offset = batch.offsetAt(i)
      if (offset < log.logStartOffset || offset >= maxOffset) continue
      if (!best || batch.timestampAt(i) > best.timestamp) best = { offset, timestamp: batch.timestampAt(i) }
    }
  }
  return best
}

/** The linear answer to a read: batches from the first ending at or after `offset`, within the byte budget (at least one). */
function scanRead(log: PartitionLog, offset: number, maxOffset: number, maxBytes: number): RecordBatch[] {
  const out: RecordBatch[] = []
  if (offset >= maxOffset) return out
  let bytes = 0
  for (const batch of allBatches(log)) {
    if (batch.lastOffset < offset) continue
    if (batch.baseOffset >= maxOffset) break
    if (out.length > 0 && bytes + batch.sizeInBytes > maxBytes) break
    out.push(batch)
    bytes += batch.sizeInBytes
  }
  return out
}

function scanSegmentFor(segments: readonly LogSegment[], offset: number): number {
  let found = 0
  segments.forEach((s, i) => {
    if (s.baseOffset <= offset) found = i
  })
  return found
}

function checkAgainstScans(log: PartitionLog, targets: readonly number[], readBudgets: readonly number[]): void {
  const segments = log.allSegments
  const batches = allBatches(log)
  const end = log.logEndOffset
  for (const segment of segments) {
    expect(segment.maxTimestamp).toBe(Math.max(-1, ...segment.batches.map((b) => b.maxTimestamp)))
    for (let offset = segment.baseOffset - 1; offset <= (segment.batches[segment.batches.length - 1]?.lastOffset ?? segment.baseOffset) + 1; offset++) {
      const expected = segment.batches.findIndex((b) => b.lastOffset >= offset)
      expect(segment.batchIndexFor(offset)).toBe(expected < 0 ? segment.batches.length : expected)
    }
  }
  // Every stamp in the log and around it, and a few more.
  const stamps = new Set<number>(targets)
  for (const batch of batches) for (let i = 0; i < batch.count; i++) for (const d of [-1, 0, 1]) stamps.add(Math.max(0, batch.timestampAt(i) + d))
  const maxOffsets = [end, Math.max(0, end - 3), Math.floor(end / 2), log.logStartOffset]
  for (const maxOffset of maxOffsets) {
    expect(log.maxTimestampBelow(maxOffset), `max timestamp below ${maxOffset}`).toEqual(scanForMaxTimestamp(log, maxOffset))
    for (const target of stamps) expect(log.offsetForTimestamp(target, maxOffset), `timestamp ${target} below ${maxOffset}`).toEqual(scanForTimestamp(log, target, maxOffset))
  }
  for (let offset = 0; offset <= end + 1; offset++) {
    expect(log.segmentIndexFor(offset)).toBe(scanSegmentFor(segments, offset))
    for (const maxBytes of readBudgets) {
      const read = log.read(offset, end, maxBytes)
      const expected = scanRead(log, offset, end, maxBytes)
      expect(read).toEqual(expected)
      // The read's bytes as the index told them, then (the answer let go) as its batches sum them.
      const bytes = expected.reduce((sum, b) => sum + b.sizeInBytes, 0)
      expect(log.sizeOf(read)).toBe(bytes)
      expect(log.sizeOf(read)).toBe(bytes)
      expect(log.sizeOf(expected)).toBe(bytes)
    }
  }
}

describe('the log\'s indexes under every way a log changes', () => {
  it('property: reads, offsets by timestamp, the max timestamp and segment lookups agree with linear scans', () => {
    fc.assert(
      fc.property(
        fc.array(logOpArb, { maxLength: 50 }),
        fc.integer({ min: 60, max: 2_000 }),
        fc.array(fc.integer({ min: 0, max: 310 }), { maxLength: 4 }),
        fc.array(fc.integer({ min: 1, max: 600 }), { minLength: 1, maxLength: 3 }),
        (ops, segmentBytes, targets, readBudgets) => {
          const roll: LogRollPolicy = { segmentBytes, segmentMs: Number.MAX_SAFE_INTEGER }
          let now = 1_000
          const log = new PartitionLog(now)
          for (const op of ops) {
            switch (op.kind) {
              case 'append':
                log.appendRecords({
                  records: recordsOf(op.stamps, true),
                  leaderEpoch: 0,
                  timestampType: op.logAppendTime ? TimestampType.LogAppendTime : TimestampType.CreateTime,
                  now,
                  roll,
                  isControl: op.control,
                })
                break
              case 'appendPastGap':
                // A follower copying a batch of a compacted leader: it starts past this log's end.
                log.appendBatch(batchOf(op.stamps, log.logEndOffset + op.gap, { keys: true }), now, roll)
                break
              case 'tick':
                now += op.ms
                break
              case 'roll':
                log.roll(now)
                break
              case 'truncate':
                // A replica truncates to agree with its leader, never below its log start.
                log.truncateTo(Math.max(log.logStartOffset, Math.min(op.at, log.logEndOffset)))
                break
              case 'advanceStart':
                // DeleteRecords: up to the high watermark (here the log end).
                log.advanceLogStartOffset(Math.min(op.to, log.logEndOffset))
                break
              case 'retention':
                deleteOldSegments(log, { settings: { cleanupPolicy: ['delete'], retentionMs: -1, retentionBytes: op.bytes }, highWatermark: log.logEndOffset, now })
                break
              case 'clean':
                cleanLog(log, { lastStableOffset: log.logEndOffset, now, settings: { ...COMPACT, segmentBytes: op.segmentBytes, minCleanableDirtyRatio: 0 } })
                break
            }
            checkAgainstScans(log, targets, readBudgets)
          }
        },
      ),
      { numRuns: 150 },
    )
  })

  it('a truncation makes the index forget what it learnt about the order of the cut batches\' timestamps', () => {
    const log = new PartitionLog(0)
    const NEVER: LogRollPolicy = { segmentBytes: Number.MAX_SAFE_INTEGER, segmentMs: Number.MAX_SAFE_INTEGER }
    const appendStamps = (stamps: number[]) => log.appendRecords({ records: recordsOf(stamps, false), leaderEpoch: 0, timestampType: TimestampType.CreateTime, now: 0, roll: NEVER })
    appendStamps([10])
    appendStamps([20, 30, 40, 50, 60, 70, 80, 90, 100])
    // The search learns that the second batch ascends.
    expect(log.offsetForTimestamp(35, 10)).toEqual({ offset: 3, timestamp: 40 })
    log.truncateTo(1)
    // A batch in its place whose timestamps do not ascend: a search that still took them for
    // ascending would answer offset 9 (stamped 50), not offset 2.
    appendStamps([1, 100, 2, 3, 4, 5, 6, 7, 50])
    expect(log.offsetForTimestamp(50, 10)).toEqual({ offset: 2, timestamp: 100 })
  })

  it('replacing a segment\'s batches replaces what the index knows of its largest timestamp', () => {
    const log = new PartitionLog(0)
    const NEVER: LogRollPolicy = { segmentBytes: Number.MAX_SAFE_INTEGER, segmentMs: Number.MAX_SAFE_INTEGER }
    const appendStamps = (stamps: number[]) => log.appendRecords({ records: recordsOf(stamps, false), leaderEpoch: 0, timestampType: TimestampType.CreateTime, now: 0, roll: NEVER })
    appendStamps([100])
    appendStamps([150])
    log.roll(0)
    appendStamps([300])
    expect(log.offsetForTimestamp(200, 3)).toEqual({ offset: 2, timestamp: 300 })
    // The same offsets, a later stamp: the first segment now holds the answer.
    const sealed = log.allSegments[0]!
    log.replaceSegmentBatches(sealed, [batchOf([250], 0), sealed.batches[1]!])
    expect(log.offsetForTimestamp(200, 3)).toEqual({ offset: 0, timestamp: 250 })
    log.replaceSegmentBatches(sealed, [sealed.batches[1]!])
    expect(log.offsetForTimestamp(200, 3)).toEqual({ offset: 2, timestamp: 300 })
  })

  it('after the cleaner rewrites a segment, the running max follows the records it kept', () => {
    const log = new PartitionLog(0)
    const NEVER: LogRollPolicy = { segmentBytes: Number.MAX_SAFE_INTEGER, segmentMs: Number.MAX_SAFE_INTEGER }
    const put = (key: string, timestamp: number) => log.appendRecords({ records: [{ key: Buffer.from(key), value: Buffer.from('v'), timestamp }], leaderEpoch: 0, timestampType: TimestampType.CreateTime, now: 0, roll: NEVER })
    put('a', 500) // superseded below: the cleaner removes it, and with it the segment's largest timestamp
    put('b', 100)
    log.roll(0)
    put('a', 200)
    log.roll(0)
    expect(log.offsetForTimestamp(300, 3)).toEqual({ offset: 0, timestamp: 500 })
    cleanLog(log, { lastStableOffset: 3, now: 0, settings: { ...COMPACT, minCleanableDirtyRatio: 0 } })
    expect(log.allSegments[0]!.batches.map((b) => b.baseOffset)).toEqual([1])
    expect(log.allSegments[0]!.maxTimestamp).toBe(100)
    expect(log.offsetForTimestamp(150, 3)).toEqual({ offset: 2, timestamp: 200 })
    expect(log.offsetForTimestamp(300, 3)).toBeUndefined()
  })
})
