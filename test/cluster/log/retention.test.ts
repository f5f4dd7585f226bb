/**
 * Retention (Kafka 3.7's UnifiedLog.deleteOldSegments): whole segments deleted from the front
 * of the log by logStartOffset, retention.bytes and retention.ms, only below the high
 * watermark, the active segment rolled first when it has to go too.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { PartitionLog } from '../../../src/cluster/log/partition-log.js'
import { deleteOldSegments, type RetentionSettings } from '../../../src/cluster/log/retention.js'
import { append, logOf, readAll, rec, segmentBases, show } from './log-fixture.js'

const DELETE: RetentionSettings = { cleanupPolicy: ['delete'], retentionMs: -1, retentionBytes: -1 }

/** Segments of one batch each, the i-th written at time times[i]; the last is the active one. */
function timedLog(times: readonly number[]): PartitionLog {
  const log = new PartitionLog(0)
  times.forEach((t, i) => {
    if (i > 0) log.roll(t)
    append(log, [rec(`k${i}`, `v${i}`, t)], t)
  })
  return log
}

describe('retention.ms', () => {
  it('deletes the oldest segments whose largest timestamp is older than now - retention.ms', () => {
    const log = timedLog([1_000, 2_000, 3_000, 9_000])
    const deleted = deleteOldSegments(log, { settings: { ...DELETE, retentionMs: 5_000 }, highWatermark: 4, now: 8_000 })
    // 8000 - 1000 and 8000 - 2000 exceed 5000; 8000 - 3000 does not (the rule is strictly greater).
    expect(deleted).toEqual([{ reason: 'retention.ms', baseOffsets: [0, 1], logStartOffset: 2 }])
    expect(segmentBases(log)).toEqual([2, 3])
    expect(show(readAll(log))).toEqual(['2:k2=v2', '3:k3=v3'])
  })

  it('stops at the first segment that is young enough, even if older ones follow', () => {
    // Timestamps are the producer's: a late segment may carry older records.
    const log = timedLog([1_000, 7_000, 1_000, 9_000])
    deleteOldSegments(log, { settings: { ...DELETE, retentionMs: 5_000 }, highWatermark: 4, now: 8_000 })
    expect(segmentBases(log)).toEqual([1, 2, 3])
  })

  it('never deletes a segment that is not wholly below the high watermark', () => {
    const log = timedLog([1_000, 2_000, 3_000, 4_000])
    // HW 1: only segment 0 ([0, 1)) lies below it.
    deleteOldSegments(log, { settings: { ...DELETE, retentionMs: 0 }, highWatermark: 1, now: 100_000 })
    expect([log.logStartOffset, ...segmentBases(log)]).toEqual([1, 1, 2, 3])
    // HW 3: segment [3, 4) is the active one and reaches the log end, which is above the HW.
    deleteOldSegments(log, { settings: { ...DELETE, retentionMs: 0 }, highWatermark: 3, now: 100_000 })
    expect([log.logStartOffset, ...segmentBases(log)]).toEqual([3, 3])
  })

  it('rolls the active segment when it has expired too, leaving an empty log that starts at its end', () => {
    const log = timedLog([1_000, 2_000])
    const deleted = deleteOldSegments(log, { settings: { ...DELETE, retentionMs: 1_000 }, highWatermark: 2, now: 10_000 })
    expect(deleted).toEqual([{ reason: 'retention.ms', baseOffsets: [0, 1], logStartOffset: 2 }])
    expect([log.logStartOffset, log.logEndOffset, ...segmentBases(log)]).toEqual([2, 2, 2])
    expect(log.activeSegment.isEmpty).toBe(true)
    // The empty active segment is never deleted; appends carry on at the old end.
    expect(deleteOldSegments(log, { settings: { ...DELETE, retentionMs: 0 }, highWatermark: 2, now: 20_000 })).toEqual([])
    expect(append(log, [rec('k', 'v', 20_000)], 20_000).baseOffset).toBe(2)
  })

  it('is off at -1', () => {
    const log = timedLog([1, 2, 3])
    expect(deleteOldSegments(log, { settings: { ...DELETE, retentionMs: -1 }, highWatermark: 3, now: 1e15 })).toEqual([])
    expect(segmentBases(log)).toEqual([0, 1, 2])
  })
})

describe('retention.bytes', () => {
  /** Four segments of two batches each, all of one size. */
  const fourSegments = () => logOf([['a=1', 'b=2'], ['c=3', 'd=4'], ['e=5', 'f=6'], ['g=7', 'h=8']])

  it('deletes the oldest segments while the log without them is still at least retention.bytes', () => {
    const log = fourSegments()
    const segmentSize = log.allSegments[0]!.sizeInBytes
    const deleted = deleteOldSegments(log, { settings: { ...DELETE, retentionBytes: 2 * segmentSize }, highWatermark: 8, now: 0 })
    expect(deleted).toEqual([{ reason: 'retention.bytes', baseOffsets: [0, 2], logStartOffset: 4 }])
    expect(log.sizeInBytes).toBe(2 * segmentSize)
  })

  it('keeps a segment whose deletion would take the log below retention.bytes', () => {
    const log = fourSegments()
    const segmentSize = log.allSegments[0]!.sizeInBytes
    deleteOldSegments(log, { settings: { ...DELETE, retentionBytes: 2 * segmentSize + 1 }, highWatermark: 8, now: 0 })
    expect(segmentBases(log)).toEqual([2, 4, 6])
  })

  it('does nothing while the log is smaller than retention.bytes, or at -1', () => {
    const log = fourSegments()
    expect(deleteOldSegments(log, { settings: { ...DELETE, retentionBytes: log.sizeInBytes + 1 }, highWatermark: 8, now: 0 })).toEqual([])
    expect(deleteOldSegments(log, { settings: { ...DELETE, retentionBytes: -1 }, highWatermark: 8, now: 0 })).toEqual([])
    expect(segmentBases(log)).toEqual([0, 2, 4, 6])
  })

  it('at 0 empties the log, the active segment included', () => {
    const log = fourSegments()
    deleteOldSegments(log, { settings: { ...DELETE, retentionBytes: 0 }, highWatermark: 8, now: 0 })
    expect([log.logStartOffset, log.logEndOffset, log.sizeInBytes]).toEqual([8, 8, 0])
  })
})

describe('logStartOffset', () => {
  it('keeps the segment that holds logStartOffset; those wholly below it are gone, whatever the cleanup.policy', () => {
    const log = logOf([['a=1', 'b=2'], ['c=3', 'd=4'], ['e=5']])
    // DeleteRecords (or a follower following its leader) moves the start; the log drops the
    // segments wholly below it at once, so the retention rule finds nothing more to delete.
    log.advanceLogStartOffset(3)
    expect(segmentBases(log)).toEqual([2, 4])
    const compactOnly = { cleanupPolicy: ['compact'], retentionMs: 0, retentionBytes: 0 }
    expect(deleteOldSegments(log, { settings: compactOnly, highWatermark: 5, now: 1e12 })).toEqual([])
    expect(show(readAll(log))).toEqual(['3:d=4', '4:e=5'])
  })

  it('applies only its own rule to a compact-only topic: no retention.ms, no retention.bytes', () => {
    const log = timedLog([1, 2, 3])
    const compactOnly = { cleanupPolicy: ['compact'], retentionMs: 0, retentionBytes: 0 }
    expect(deleteOldSegments(log, { settings: compactOnly, highWatermark: 3, now: 1e12 })).toEqual([])
    // compact,delete does both.
    const both = { cleanupPolicy: ['compact', 'delete'], retentionMs: 0, retentionBytes: -1 }
    expect(deleteOldSegments(log, { settings: both, highWatermark: 3, now: 1e12 })).toMatchObject([{ reason: 'retention.ms' }])
  })
})

describe('properties', () => {
  const logArb = fc.array(fc.array(fc.record({ bytes: fc.integer({ min: 0, max: 40 }), time: fc.integer({ min: 0, max: 1_000 }) }), { minLength: 1, maxLength: 3 }), {
    minLength: 1,
    maxLength: 8,
  })
  const settingsArb = fc.record({
    cleanupPolicy: fc.constantFrom<string[]>(['delete'], ['compact'], ['compact', 'delete']),
    retentionMs: fc.integer({ min: -1, max: 1_200 }),
    retentionBytes: fc.integer({ min: -1, max: 2_000 }),
  })

  it('logStartOffset only grows and never passes the HW; what stays reads back unchanged', () => {
    fc.assert(
      fc.property(logArb, settingsArb, fc.nat(), fc.integer({ min: 0, max: 1_500 }), (segments, settings, hwSeed, now) => {
        const log = new PartitionLog(0)
        segments.forEach((batches, s) => {
          if (s > 0) log.roll(0)
          for (const b of batches) append(log, [rec('k', 'x'.repeat(b.bytes), b.time)], b.time)
        })
        const highWatermark = hwSeed % (log.logEndOffset + 1)
        const startBefore = log.logStartOffset
        const before = readAll(log)
        const basesBefore = segmentBases(log)
        const deleted = deleteOldSegments(log, { settings, highWatermark, now })
        expect(log.logStartOffset).toBeGreaterThanOrEqual(startBefore)
        if (deleted.length > 0) expect(log.logStartOffset).toBeLessThanOrEqual(highWatermark)
        // Whole segments from the front: what remains is a suffix of what was there.
        expect(before.slice(before.length - readAll(log).length)).toEqual(readAll(log))
        expect(readAll(log).every((r) => r.offset >= log.logStartOffset)).toBe(true)
        const gone = deleted.flatMap((d) => d.baseOffsets)
        expect(gone).toEqual(basesBefore.slice(0, gone.length))
        if (!settings.cleanupPolicy.includes('delete')) expect(gone).toEqual([])
        expect(log.logEndOffset).toBe(before.length === 0 ? log.logEndOffset : before[before.length - 1]!.offset + 1)
      }),
    )
  })
})
