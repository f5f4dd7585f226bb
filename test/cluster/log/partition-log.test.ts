/**
 * PartitionLog: one replica's append-only log of a partition, as segments of batches. Dense
 * offsets, segment rolling by segment.bytes and segment.ms, reads bounded by an end offset and
 * a byte budget (never less than one batch, KIP-74), lookups by timestamp for ListOffsets, and
 * the ways the log shrinks: logStartOffset moving up, whole segments deleted, truncation.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { PartitionLog, type LogRollPolicy } from '../../../src/cluster/log/partition-log.js'
import { RecordBatch, TimestampType, type ProducerRecord } from '../../../src/cluster/log/record-batch.js'

const NEVER: LogRollPolicy = { segmentBytes: Number.MAX_SAFE_INTEGER, segmentMs: Number.MAX_SAFE_INTEGER }

function records(count: number, options: { bytes?: number; timestamp?: number } = {}): ProducerRecord[] {
  return Array.from({ length: count }, () => ({ key: null, value: Buffer.alloc(options.bytes ?? 1), timestamp: options.timestamp }))
}

function append(log: PartitionLog, count: number, options: { now?: number; roll?: LogRollPolicy; bytes?: number; timestamp?: number; timestampType?: 0 | 1 } = {}): RecordBatch {
  return log.appendRecords({
    records: records(count, options),
    leaderEpoch: 0,
    timestampType: options.timestampType ?? TimestampType.CreateTime,
    now: options.now ?? 0,
    roll: options.roll ?? NEVER,
  })
}

const segmentBases = (log: PartitionLog) => log.allSegments.map((s) => s.baseOffset)
const offsetsRead = (batches: RecordBatch[]) => batches.map((b) => [b.baseOffset, b.lastOffset])

describe('appending', () => {
  it('gives batches dense offsets from 0 and moves the log end', () => {
    const log = new PartitionLog(0)
    expect([log.logStartOffset, log.logEndOffset]).toEqual([0, 0])
    expect(append(log, 3).baseOffset).toBe(0)
    expect(append(log, 1).baseOffset).toBe(3)
    expect(append(log, 2).baseOffset).toBe(4)
    expect([log.logStartOffset, log.logEndOffset]).toEqual([0, 6])
    expect(log.sizeInBytes).toBe(log.allSegments.reduce((sum, s) => sum + s.sizeInBytes, 0))
  })

  it('takes a batch built elsewhere at or past the log end, never overlapping it (a follower copying its leader)', () => {
    const leader = new PartitionLog(0)
    const follower = new PartitionLog(0)
    const first = append(leader, 2)
    const second = append(leader, 2)
    follower.appendBatch(first, 0, NEVER)
    expect(() => follower.appendBatch(first, 0, NEVER)).toThrow(/batch at 0 overlaps the log, which ends at 2/)
    follower.appendBatch(second, 0, NEVER)
    // The very same objects: replication copies nothing.
    expect(follower.read(0, 4, Infinity)).toEqual([first, second])
    expect(follower.read(0, 4, Infinity)[0]).toBe(first)
  })

  // Found by memkafka/testing on compacted topics under faults: a follower fetching from a
  // leader whose cleaner had removed the first batch threw instead of copying the gap.
  it('copies a compacted leader\'s offset gaps: a batch past the log end moves it past the gap', () => {
    const leader = new PartitionLog(0)
    const follower = new PartitionLog(0)
    append(leader, 2) // offsets 0-1: say the cleaner removed this batch on the leader
    const kept = append(leader, 3) // offsets 2-4
    follower.appendBatch(kept, 0, NEVER)
    expect([follower.logStartOffset, follower.logEndOffset]).toEqual([0, 5])
    expect(follower.read(0, 5, Infinity)).toEqual([kept])
  })
})

describe('rolling segments', () => {
  it('rolls when a batch would overflow segment.bytes, never leaving a segment empty', () => {
    const log = new PartitionLog(0)
    const size = RecordBatch.sizeOf(records(1, { bytes: 100 }))
    const roll = { segmentBytes: size * 2, segmentMs: NEVER.segmentMs }
    for (let i = 0; i < 5; i++) append(log, 1, { bytes: 100, roll })
    expect(segmentBases(log)).toEqual([0, 2, 4])
    // A batch larger than segment.bytes still goes in (alone).
    append(log, 1, { bytes: 1_000, roll })
    append(log, 1, { bytes: 100, roll })
    expect(segmentBases(log)).toEqual([0, 2, 4, 5, 6])
  })

  it('rolls when more than segment.ms separates a batch from the segment’s first batch', () => {
    const log = new PartitionLog(0)
    const roll = { segmentBytes: NEVER.segmentBytes, segmentMs: 100 }
    append(log, 1, { now: 1_000, timestamp: 1_000, roll })
    append(log, 1, { now: 1_100, timestamp: 1_100, roll })
    expect(segmentBases(log)).toEqual([0])
    append(log, 1, { now: 1_101, timestamp: 1_101, roll })
    expect(segmentBases(log)).toEqual([0, 2])
  })

  it('counts segment.ms from the first batch, not from when the partition was created', () => {
    // The first segment exists from the partition's creation; Kafka's time-based roll is
    // measured against the first batch's timestamp (LogSegment.timeWaitedForRoll).
    const log = new PartitionLog(0)
    const roll = { segmentBytes: NEVER.segmentBytes, segmentMs: 100 }
    append(log, 1, { now: 10_000, timestamp: 10_000, roll })
    append(log, 1, { now: 10_050, timestamp: 10_050, roll })
    expect(segmentBases(log)).toEqual([0])
  })

  it('uses the records’ timestamps, so LogAppendTime rolls by the broker’s clock', () => {
    const log = new PartitionLog(0)
    const roll = { segmentBytes: NEVER.segmentBytes, segmentMs: 100 }
    append(log, 1, { now: 1_000, timestamp: 1, roll, timestampType: TimestampType.LogAppendTime })
    append(log, 1, { now: 1_200, timestamp: 1, roll, timestampType: TimestampType.LogAppendTime })
    expect(segmentBases(log)).toEqual([0, 1])
  })

  it('roll() starts a new active segment, unless the active one is empty', () => {
    const log = new PartitionLog(0)
    log.roll(0)
    expect(segmentBases(log)).toEqual([0])
    append(log, 2)
    log.roll(5)
    log.roll(6)
    expect(segmentBases(log)).toEqual([0, 2])
    expect(log.activeSegment.createdAt).toBe(5)
    expect(append(log, 1).baseOffset).toBe(2)
  })

  it('after a truncation, segment.ms counts from the first batch the active segment still holds', () => {
    // The segment keeps its first batch's timestamp beside its batches (issue 15): a truncation
    // that empties the active segment, or makes an older segment active again, must leave the
    // roll deciding from the batches that are really there.
    const roll = { segmentBytes: NEVER.segmentBytes, segmentMs: 100 }
    const log = new PartitionLog(0)
    append(log, 1, { now: 1_000, timestamp: 1_000, roll })
    append(log, 1, { now: 1_200, timestamp: 1_200, roll })
    expect(segmentBases(log)).toEqual([0, 1])
    // Back into the first segment: its first batch is at 1 000, so 1 150 rolls again.
    log.truncateTo(1)
    expect(segmentBases(log)).toEqual([0])
    append(log, 1, { now: 1_150, timestamp: 1_150, roll })
    expect(segmentBases(log)).toEqual([0, 1])
    // The active segment emptied: the next batch is its first, whatever its time, and the one
    // after counts from it.
    log.truncateTo(1)
    log.truncateTo(0)
    expect(segmentBases(log)).toEqual([0])
    append(log, 1, { now: 5_000, timestamp: 5_000, roll })
    append(log, 1, { now: 5_100, timestamp: 5_100, roll })
    expect(segmentBases(log)).toEqual([0])
    append(log, 1, { now: 5_101, timestamp: 5_101, roll })
    expect(segmentBases(log)).toEqual([0, 2])
  })

  it('after the cleaner replaces a segment\'s batches, the roll reads the new first batch', () => {
    const roll = { segmentBytes: NEVER.segmentBytes, segmentMs: 100 }
    const log = new PartitionLog(0)
    const first = append(log, 1, { now: 1_000, timestamp: 1_000, roll })
    const second = append(log, 1, { now: 1_090, timestamp: 1_090, roll })
    // Only the active segment is here, so this stands for any segment the cleaner rewrites.
    log.replaceSegmentBatches(log.activeSegment, [second])
    append(log, 1, { now: 1_150, timestamp: 1_150, roll })
    expect(segmentBases(log)).toEqual([0])
    log.replaceSegmentBatches(log.activeSegment, [first, ...log.activeSegment.batches.slice(1)])
    append(log, 1, { now: 1_160, timestamp: 1_160, roll })
    expect(segmentBases(log)).toEqual([0, 3])
  })
})

describe('reading', () => {
  /** Batches [0..1], [2..4] in one segment, [5..5], [6..9] in the next. */
  function sample(): PartitionLog {
    const log = new PartitionLog(0)
    append(log, 2)
    append(log, 3)
    log.roll(0)
    append(log, 1)
    append(log, 4)
    return log
  }

  it('returns the batches from the one holding `offset` up to maxOffset, across segments', () => {
    const log = sample()
    expect(offsetsRead(log.read(0, 10, Infinity))).toEqual([[0, 1], [2, 4], [5, 5], [6, 9]])
    // The first batch may start before the offset asked for.
    expect(offsetsRead(log.read(3, 10, Infinity))).toEqual([[2, 4], [5, 5], [6, 9]])
    expect(offsetsRead(log.read(5, 10, Infinity))).toEqual([[5, 5], [6, 9]])
    // Nothing at or after maxOffset, nothing when offset >= maxOffset.
    expect(offsetsRead(log.read(0, 5, Infinity))).toEqual([[0, 1], [2, 4]])
    expect(log.read(5, 5, Infinity)).toEqual([])
    expect(log.read(10, 20, Infinity)).toEqual([])
  })

  it('stops at maxBytes but always returns at least one batch (KIP-74)', () => {
    const log = sample()
    const [a, b] = log.read(0, 10, Infinity)
    expect(offsetsRead(log.read(0, 10, 1))).toEqual([[0, 1]])
    expect(offsetsRead(log.read(0, 10, a!.sizeInBytes + b!.sizeInBytes))).toEqual([[0, 1], [2, 4]])
    expect(offsetsRead(log.read(0, 10, a!.sizeInBytes + b!.sizeInBytes - 1))).toEqual([[0, 1]])
  })

  it('property: a read returns exactly the batches overlapping [offset, maxOffset), in order, within budget', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ count: fc.integer({ min: 1, max: 4 }), rollBefore: fc.boolean() }), { minLength: 1, maxLength: 20 }),
        fc.nat(90),
        fc.nat(90),
        fc.option(fc.integer({ min: 1, max: 2_000 }), { nil: undefined }),
        (plan, from, span, maxBytes) => {
          const log = new PartitionLog(0)
          const all: RecordBatch[] = []
          for (const { count, rollBefore } of plan) {
            if (rollBefore) log.roll(0)
            all.push(append(log, count, { bytes: 50 }))
          }
          const end = Math.min(log.logEndOffset, from + span)
          const got = log.read(from, end, maxBytes ?? Infinity)
          // An empty range [from, end) reads nothing.
          const overlapping = from >= end ? [] : all.filter((b) => b.lastOffset >= from && b.baseOffset < end)
          // A prefix of the overlapping batches: all of them, or as many as the budget allows
          // (at least one).
          expect(got).toEqual(overlapping.slice(0, got.length))
          if (maxBytes === undefined) expect(got).toHaveLength(overlapping.length)
          if (overlapping.length > 0) expect(got.length).toBeGreaterThanOrEqual(1)
          const bytes = got.reduce((sum, b) => sum + b.sizeInBytes, 0)
          if (got.length > 1) expect(bytes).toBeLessThanOrEqual(maxBytes ?? Infinity)
          if (got.length < overlapping.length) expect(bytes + overlapping[got.length]!.sizeInBytes).toBeGreaterThan(maxBytes!)
        },
      ),
    )
  })
})

describe('lookups by timestamp (ListOffsets)', () => {
  /** Offsets 0..5 with timestamps 100, 100, 300, 200, 500, 400 in batches [0..1], [2..3], [4..5]. */
  function timed(): PartitionLog {
    const log = new PartitionLog(0)
    for (const pair of [[100, 100], [300, 200], [500, 400]]) {
      log.appendRecords({
        records: pair.map((timestamp) => ({ key: null, value: Buffer.from('v'), timestamp })),
        leaderEpoch: 0,
        timestampType: TimestampType.CreateTime,
        now: 0,
        roll: NEVER,
      })
      log.roll(0)
    }
    return log
  }

  it('finds the first offset whose timestamp is at or after the one asked for', () => {
    const log = timed()
    const at = (ts: number) => log.offsetForTimestamp(ts, 6)
    expect(at(0)).toEqual({ offset: 0, timestamp: 100 })
    expect(at(100)).toEqual({ offset: 0, timestamp: 100 })
    expect(at(101)).toEqual({ offset: 2, timestamp: 300 })
    // Offset order, not timestamp order: 200 is first reached at offset 2 (timestamp 300).
    expect(at(200)).toEqual({ offset: 2, timestamp: 300 })
    expect(at(450)).toEqual({ offset: 4, timestamp: 500 })
    expect(at(501)).toBeUndefined()
  })

  it('ignores records at or after maxOffset (the high watermark) and below the log start', () => {
    const log = timed()
    expect(log.offsetForTimestamp(450, 4)).toBeUndefined()
    log.advanceLogStartOffset(1)
    expect(log.offsetForTimestamp(0, 6)).toEqual({ offset: 1, timestamp: 100 })
  })

  it('finds the largest timestamp below maxOffset, its first offset on ties (MAX_TIMESTAMP, KIP-734)', () => {
    const log = timed()
    expect(log.maxTimestampBelow(6)).toEqual({ offset: 4, timestamp: 500 })
    expect(log.maxTimestampBelow(4)).toEqual({ offset: 2, timestamp: 300 })
    expect(log.maxTimestampBelow(2)).toEqual({ offset: 0, timestamp: 100 })
    expect(log.maxTimestampBelow(0)).toBeUndefined()
  })

  it('after a truncation, forgets the cut batches\' timestamps', () => {
    const log = new PartitionLog(0)
    const batch = (timestamp: number) => log.appendRecords({ records: [{ key: null, value: null, timestamp }], leaderEpoch: 0, timestampType: TimestampType.CreateTime, now: 0, roll: NEVER })
    batch(10)
    batch(50)
    log.truncateTo(1)
    batch(60)
    expect(log.offsetForTimestamp(55, 2)).toEqual({ offset: 1, timestamp: 60 })
    expect(log.activeSegment.maxTimestamp).toBe(60)
  })

  it('property: agrees with a linear scan of the records, also after a truncation', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: -1, max: 55 }),
        fc.nat(40),
        fc.nat(40),
        fc.option(fc.record({ at: fc.nat(40), then: fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 1, maxLength: 4 }) })),
        (batches, target, maxOffset, start, truncation) => {
          const log = new PartitionLog(0)
          let stamps: number[] = []
          const appendBatch = (stampsOfBatch: number[]) => {
            log.appendRecords({
              records: stampsOfBatch.map((timestamp) => ({ key: null, value: null, timestamp })),
              leaderEpoch: 0,
              timestampType: TimestampType.CreateTime,
              now: 0,
              roll: NEVER,
            })
            stamps.push(...stampsOfBatch)
          }
          for (const [i, stampsOfBatch] of batches.entries()) {
            if (i % 3 === 0) log.roll(0)
            appendBatch(stampsOfBatch)
          }
          // A follower truncating to its leader, then appending what the leader has there.
          if (truncation) {
            log.truncateTo(Math.min(truncation.at, log.logEndOffset))
            stamps = stamps.slice(0, log.logEndOffset)
            appendBatch(truncation.then)
          }
          const logStart = Math.min(start, log.logEndOffset)
          log.advanceLogStartOffset(logStart)
          const visible = stamps.map((timestamp, offset) => ({ offset, timestamp })).filter(({ offset }) => offset >= logStart && offset < maxOffset)
          expect(log.offsetForTimestamp(Math.max(target, 0), maxOffset)).toEqual(visible.find((r) => r.timestamp >= Math.max(target, 0)))
          const max = visible.reduce<{ offset: number; timestamp: number } | undefined>((best, r) => (!best || r.timestamp > best.timestamp ? r : best), undefined)
          expect(log.maxTimestampBelow(maxOffset)).toEqual(max)
        },
      ),
    )
  })
})

describe('shrinking', () => {
  /** Segments at 0, 3, 6 holding 3 offsets each. */
  function three(): PartitionLog {
    const log = new PartitionLog(0)
    append(log, 3)
    log.roll(0)
    append(log, 3)
    log.roll(0)
    append(log, 3)
    return log
  }

  it('advanceLogStartOffset moves the start and drops segments wholly below it', () => {
    const log = three()
    log.advanceLogStartOffset(2)
    expect([log.logStartOffset, ...segmentBases(log)]).toEqual([2, 0, 3, 6])
    log.advanceLogStartOffset(3)
    expect([log.logStartOffset, ...segmentBases(log)]).toEqual([3, 3, 6])
    // It never moves back.
    log.advanceLogStartOffset(1)
    expect(log.logStartOffset).toBe(3)
    // Up to the log end: the active segment stays, even empty of readable data.
    log.advanceLogStartOffset(9)
    expect([log.logStartOffset, log.logEndOffset, ...segmentBases(log)]).toEqual([9, 9, 6])
    expect(append(log, 1).baseOffset).toBe(9)
  })

  it('deleteOldestSegment removes whole segments from the front, never the active one', () => {
    const log = three()
    expect(log.deleteOldestSegment()!.baseOffset).toBe(0)
    expect([log.logStartOffset, ...segmentBases(log)]).toEqual([3, 3, 6])
    expect(log.deleteOldestSegment()!.baseOffset).toBe(3)
    expect(log.deleteOldestSegment()).toBeUndefined()
    expect([log.logStartOffset, log.logEndOffset, ...segmentBases(log)]).toEqual([6, 9, 6])
  })

  it('truncateTo drops everything at or after an offset, whole segments included', () => {
    const log = three()
    log.truncateTo(6)
    expect([log.logEndOffset, ...segmentBases(log)]).toEqual([6, 0, 3])
    log.truncateTo(3)
    expect([log.logEndOffset, ...segmentBases(log)]).toEqual([3, 0])
    expect(append(log, 2).baseOffset).toBe(3)
  })

  it('replaceSegmentBatches swaps in the cleaner’s output and its size, offsets unchanged', () => {
    const log = three()
    const segment = log.allSegments[0]!
    const [batch] = segment.batches
    const compacted = batch!.retain((i) => i === 2)
    log.replaceSegmentBatches(segment, [compacted])
    expect(segment.sizeInBytes).toBe(compacted.sizeInBytes)
    expect(log.read(0, 9, Infinity)[0]).toBe(compacted)
    expect(log.logEndOffset).toBe(9)
  })
})
