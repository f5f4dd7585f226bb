/**
 * LogSegment: a run of batches from a base offset, with the lookups the log builds on.
 */
import { describe, expect, it } from 'vitest'
import { LogSegment } from '../../../src/cluster/log/segment.js'
import { RecordBatch, TimestampType } from '../../../src/cluster/log/record-batch.js'

/** A batch of `count` one-byte records at `baseOffset`, all with timestamp `timestamp`. */
function batch(baseOffset: number, count: number, timestamp = 1_000): RecordBatch {
  return RecordBatch.fromRecords({
    baseOffset,
    records: Array.from({ length: count }, () => ({ key: null, value: Buffer.from('x'), timestamp })),
    partitionLeaderEpoch: 0,
    timestampType: TimestampType.CreateTime,
    now: timestamp,
  })
}

/** A segment at 100 holding batches [100..101], [102..104], [105]. */
function segment(): LogSegment {
  const s = new LogSegment(100, 0)
  s.append(batch(100, 2, 10))
  s.append(batch(102, 3, 30))
  s.append(batch(105, 1, 20))
  return s
}

describe('LogSegment', () => {
  it('starts empty at its base offset', () => {
    const s = new LogSegment(42, 7)
    expect([s.isEmpty, s.nextOffset, s.sizeInBytes, s.maxTimestamp, s.createdAt]).toEqual([true, 42, 0, -1, 7])
  })

  it('tracks the next offset, the size and the largest timestamp as batches arrive', () => {
    const s = segment()
    expect(s.isEmpty).toBe(false)
    expect(s.nextOffset).toBe(106)
    expect(s.sizeInBytes).toBe(s.batches.reduce((sum, b) => sum + b.sizeInBytes, 0))
    expect(s.maxTimestamp).toBe(30)
  })

  it('finds the batch holding an offset, or the first batch after it', () => {
    const s = segment()
    const found = [0, 100, 101, 102, 104, 105, 106, 999].map((o) => s.batchIndexFor(o))
    expect(found).toEqual([0, 0, 0, 1, 1, 2, 3, 3])
  })

  it('truncates to a batch boundary, recomputing its size', () => {
    const s = segment()
    s.truncateTo(105)
    expect([s.nextOffset, s.batches.length]).toEqual([105, 2])
    expect(s.sizeInBytes).toBe(s.batches[0]!.sizeInBytes + s.batches[1]!.sizeInBytes)
    s.truncateTo(200)
    expect(s.nextOffset).toBe(105)
    s.truncateTo(100)
    expect([s.isEmpty, s.nextOffset, s.sizeInBytes]).toEqual([true, 100, 0])
  })

  it('truncating inside a batch drops the whole batch, as Kafka cuts the file at its position', () => {
    const s = segment()
    s.truncateTo(103) // inside the batch 102..104
    expect([s.nextOffset, s.batches.length]).toEqual([102, 1])
    expect(s.sizeInBytes).toBe(s.batches[0]!.sizeInBytes)
  })
})
