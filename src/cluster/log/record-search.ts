import type { RecordBatch } from './record-batch.js'

/** Whether the batch's record timestamps never decrease (true of most batches: records are stamped as they are produced). */
export function timestampsAscend(batch: RecordBatch): boolean {
  const count = batch.count
  let previous = count > 0 ? batch.timestampAt(0) : 0
  for (let i = 1; i < count; i++) {
    const ts = batch.timestampAt(i)
    if (ts < previous) return false
    previous = ts
  }
  return true
}

/**
 * Index of the first record of `batch`, from record `from` on, stamped at or after `timestamp`
 * (batch.count when none).
 *
 * Timestamps in any order: a scan, which is what Kafka's LogSegment.findOffsetByTimestamp does
 * inside a batch. Timestamps that never decrease (`ascending`): a probe where `timestamp` falls
 * between `low` and `high` (about the batch's first and last timestamps), then steps of 1, 2, 4, ... records from there
 * towards the answer and a bisection of the last step. Records stamped at a steady rate put the
 * answer next to the probe (one or two reads of one cache line); whatever the stamps, it takes at
 * most about twice the reads of a binary search. In a long log the batch's timestamps are rarely
 * in the CPU's cache, and a scan of half a batch of 1000 records reads 4 KB (issue 15).
 */
export function firstRecordReaching(batch: RecordBatch, timestamp: number, from: number, ascending: boolean, low: number, high: number): number {
  const count = batch.count
  if (!ascending) {
    for (let i = from; i < count; i++) if (batch.timestampAt(i) >= timestamp) return i
    return count
  }
  // The answer lies in [lo, hi]: every record before lo is older than `timestamp`, and hi is
  // count or a record that reaches it.
  let lo = from
  let hi = count
  if (lo >= hi) return lo
  // `low` and `high`, about the first and last record's timestamps, only steer the probe: every
  // conclusion comes from a record read.
  let probe = high > low ? Math.floor(((timestamp - low) * (count - 1)) / (high - low)) : lo
  if (!(probe >= lo)) probe = lo
  else if (probe > hi - 1) probe = hi - 1
  if (batch.timestampAt(probe) >= timestamp) {
    hi = probe
    for (let step = 1; hi - step >= lo; step *= 2) {
      if (batch.timestampAt(hi - step) < timestamp) {
        lo = hi - step + 1
        break
      }
      hi -= step
    }
  } else {
    lo = probe + 1
    for (let step = 1; lo + step - 1 < hi; step *= 2) {
      if (batch.timestampAt(lo + step - 1) >= timestamp) {
        hi = lo + step - 1
        break
      }
      lo += step
    }
  }
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (batch.timestampAt(mid) < timestamp) lo = mid + 1
    else hi = mid
  }
  return lo
}
