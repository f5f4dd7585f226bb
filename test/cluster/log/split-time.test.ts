/**
 * Timestamps kept as two small integers (split-time.ts) come back exactly as they were set, and
 * so do the fields kept that way: a segment's last modification and first batch's max
 * timestamp, a replica's last caught-up time.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { timeHigh, timeLow, timeOf } from '../../../src/cluster/log/split-time.js'
import { LogSegment } from '../../../src/cluster/log/segment.js'
import { RecordBatch, TimestampType } from '../../../src/cluster/log/record-batch.js'
import { Replica } from '../../../src/cluster/partition/replica.js'

const roundTrip = (time: number): number => {
  const high = timeHigh(time)
  return timeOf(high, timeLow(time, high))
}

describe('split time', () => {
  it('gives back every time as it was, wall-clock, small, negative, fractional, huge and not finite', () => {
    for (const time of [0, 1, -1, 2 ** 30 - 1, 2 ** 30, 2 ** 31 + 7, 1_765_000_000_000, 1_765_000_000_000.25, -123.5, Number.MAX_SAFE_INTEGER, 2 ** 70, Infinity, -Infinity]) {
      expect(roundTrip(time)).toBe(time)
    }
    expect(roundTrip(NaN)).toBeNaN()
  })

  it('keeps both halves small integers for integer times up to 2^52', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 52 }), (time) => {
        const high = timeHigh(time)
        const low = timeLow(time, high)
        expect(Number.isInteger(high) && Number.isInteger(low) && low >= 0 && low < 2 ** 30).toBe(true)
        expect(timeOf(high, low)).toBe(time)
      }),
    )
  })

  it('property: any double comes back unchanged', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true }), (time) => {
        // -0 comes back as 0, which no clock reads.
        expect(roundTrip(time)).toBe(Object.is(time, -0) ? 0 : time)
      }),
    )
  })
})

function batch(baseOffset: number, timestamp: number): RecordBatch {
  return RecordBatch.fromRecords({
    baseOffset,
    records: [{ key: null, value: Buffer.from('x'), timestamp }],
    partitionLeaderEpoch: 0,
    timestampType: TimestampType.CreateTime,
    now: timestamp,
  })
}

describe('fields kept as split times', () => {
  it("a segment's last modification and first batch's max timestamp", () => {
    const now = 1_765_000_123_456
    const segment = new LogSegment(0, now)
    expect(segment.lastModified).toBe(now)
    expect(segment.firstBatchMaxTimestamp).toBeUndefined()
    segment.append(batch(0, now + 5))
    segment.lastModified = now + 9.5
    segment.append(batch(1, now + 1))
    expect([segment.lastModified, segment.firstBatchMaxTimestamp]).toEqual([now + 9.5, now + 5])
    segment.truncateTo(0)
    expect(segment.firstBatchMaxTimestamp).toBeUndefined()
    segment.append(batch(0, -1))
    expect(segment.firstBatchMaxTimestamp).toBe(-1)
    segment.batches = [batch(0, now + 77)]
    expect(segment.firstBatchMaxTimestamp).toBe(now + 77)
    expect(new LogSegment(0, 5, now + 3).lastModified).toBe(now + 3)
  })

  it("a replica's last caught-up time", () => {
    const replica = new Replica(1, 1_765_000_000_001)
    expect(replica.lastCaughtUpTime).toBe(1_765_000_000_001)
    replica.lastCaughtUpTime = 2 ** 40 + 0.5
    expect(replica.lastCaughtUpTime).toBe(2 ** 40 + 0.5)
  })
})
