import type { RecordBatch } from './record-batch.js'
import { BatchIndex, type TimestampAndOffset } from './batch-index.js'
import { firstRecordReaching } from './record-search.js'
import { timeHigh, timeLow, timeOf } from './split-time.js'

/**
 * A log segment: a run of batches starting at `baseOffset`. Kafka rolls to a new segment by
 * segment.bytes and segment.ms; retention deletes whole segments and the cleaner rewrites them,
 * but the active (last) segment is never deleted or compacted.
 */
export class LogSegment {
  readonly baseOffset: number
  /** When the segment was created (segment.ms counts from here only while its batches carry no timestamp). */
  readonly createdAt: number
  /**
   * lastModified as two small integers (split-time.ts): it is set on every append, and a
   * timestamp field is a number boxed apart from the segment, one more cache miss per replica
   * per append at 10 000 partitions (issue 15).
   */
  private modifiedHigh: number
  private modifiedLow: number
  private held: RecordBatch[] = []
  sizeInBytes = 0
  /**
   * The first batch's max timestamp, which every append compares with for segment.ms: kept here
   * so that an append does not reach for the segment's oldest batch, rarely in the CPU's cache at
   * 10 000 partitions, and as two small integers (split-time.ts) rather than a boxed number, one
   * more miss (issue 15). Meaningless while the segment is empty.
   */
  private firstMaxHigh = 0
  private firstMaxLow = 0
  /**
   * Per batch, its last offset and the running max of the batches' max timestamps, in flat arrays
   * (Kafka's offset and time index): the batch holding an offset, and the first batch whose max
   * timestamp reaches a target, are searches over a few cache lines of one array, in a log of
   * 10 M records as in one of 1 k (issue 15).
   */
  private readonly index = new BatchIndex()

  constructor(baseOffset: number, createdAt: number, lastModified = createdAt) {
    this.baseOffset = baseOffset
    this.createdAt = createdAt
    this.modifiedHigh = timeHigh(lastModified)
    this.modifiedLow = timeLow(lastModified, this.modifiedHigh)
  }

  /**
   * When a batch was last appended (the segment file's mtime in Kafka). The cleaner carries it
   * over to the segment it writes; retention falls back to it when no batch has a timestamp.
   */
  get lastModified(): number {
    return timeOf(this.modifiedHigh, this.modifiedLow)
  }

  set lastModified(time: number) {
    const high = timeHigh(time)
    this.modifiedHigh = high
    this.modifiedLow = timeLow(time, high)
  }

  get batches(): RecordBatch[] {
    return this.held
  }

  /** Replaces the batches (the log cleaner's output); the caller keeps sizeInBytes. */
  set batches(batches: RecordBatch[]) {
    this.held = batches
    if (batches.length > 0) this.setFirstMaxTimestamp(batches[0]!.maxTimestamp)
    this.index.reset(batches)
  }

  /** The first batch's max timestamp, undefined when the segment is empty. */
  get firstBatchMaxTimestamp(): number | undefined {
    return this.held.length === 0 ? undefined : timeOf(this.firstMaxHigh, this.firstMaxLow)
  }

  /**
   * Kafka's LogSegment.timeWaitedForRoll: how long this segment has waited to roll when a batch
   * whose max timestamp is `batchMaxTimestamp` comes at `now`: the difference from the first
   * batch's max timestamp, or, when that batch has none, the time since the segment was created.
   * Meaningless while the segment is empty. A number, never undefined: the check on every append
   * then boxes no timestamp (issue 15).
   */
  timeWaitedForRoll(now: number, batchMaxTimestamp: number): number {
    const first = timeOf(this.firstMaxHigh, this.firstMaxLow)
    return first >= 0 ? batchMaxTimestamp - first : now - this.createdAt
  }

  private setFirstMaxTimestamp(time: number): void {
    const high = timeHigh(time)
    this.firstMaxHigh = high
    this.firstMaxLow = timeLow(time, high)
  }

  get isEmpty(): boolean {
    return this.held.length === 0
  }

  /** One past the last offset held (baseOffset when empty). */
  get nextOffset(): number {
    const last = this.batches[this.batches.length - 1]
    return last ? last.lastOffset + 1 : this.baseOffset
  }

  /** The largest record timestamp held (-1 when none). */
  get maxTimestamp(): number {
    return this.index.maxTimestamp
  }

  /**
   * Kafka's LogSegment.findOffsetByTimestamp: the first record at or after `startingOffset` and
   * below `maxOffset`, outside control batches, stamped at or after `timestamp` (undefined when
   * this segment holds none below `maxOffset`).
   *
   * The running max of the batches' max timestamps skips, by one search of the index, every batch
   * that holds no record that recent; inside the batch it lands on, a probe steered by that batch's
   * and its predecessor's max timestamps finds the record (see firstRecordReaching). In the usual
   * case the index answers alone, reading only the timestamps it holds of that batch (issue 15).
   */
  findOffsetByTimestamp(timestamp: number, startingOffset: number, maxOffset: number): TimestampAndOffset | undefined {
    const index = this.index
    const indexed = index.offsetForTimestamp(timestamp, startingOffset, maxOffset)
    if (indexed !== null) return indexed
    const batches = this.held
    const from = startingOffset > this.baseOffset ? index.indexForOffset(startingOffset) : 0
    // When the running max tells, b is the first batch reaching `timestamp`, and its own max
    // timestamp is the running max there; otherwise (a batch before `startingOffset` already
    // reaches it) the walk starts at the batch holding `startingOffset`.
    let reaches = !(from > 0 && index.runningMaxAt(from - 1) >= timestamp)
    for (let b = reaches ? index.firstReaching(timestamp) : from; b < batches.length; b++, reaches = false) {
      const batch = batches[b]!
      if (batch.baseOffset >= maxOffset) return undefined
      if ((!reaches && batch.maxTimestamp < timestamp) || batch.isControl || batch.lastOffset < startingOffset) continue
      const count = batch.count
      const first = startingOffset > batch.baseOffset ? batch.indexOfOffset(startingOffset) : 0
      if (first >= count) continue
      // Where the batch's stamps likely begin and end, to steer the search: the batch before ends
      // about where this one begins. Read from the index rather than the batch, whose timestamps
      // are numbers boxed apart from it, another cache miss each.
      const known = reaches && b > 0
      const low = known ? index.runningMaxAt(b - 1) : batch.firstTimestamp
      const high = known ? index.runningMaxAt(b) : batch.maxTimestamp
      const i = firstRecordReaching(batch, timestamp, first, batch.timestampsAscend, low, high)
      if (i === count) continue
      const offset = batch.offsetAt(i)
      return offset < maxOffset ? { offset, timestamp: batch.timestampAt(i) } : undefined
    }
    return undefined
  }

  /**
   * The record with the largest timestamp at or after `startingOffset` and below `maxOffset`,
   * outside control batches, the first of them on ties, when that timestamp is >= `floor`
   * (undefined otherwise). Walks the batches from the last backwards and stops where the running
   * max falls below the best found: no batch before holds a record as recent.
   */
  maxTimestampBetween(startingOffset: number, maxOffset: number, floor: number): { offset: number; timestamp: number } | undefined {
    const index = this.index
    const batches = this.held
    let best: { offset: number; timestamp: number } | undefined
    let bestTimestamp = floor
    for (let b = Math.min(batches.length - 1, index.indexForOffset(maxOffset - 1)); b >= 0; b--) {
      if (index.runningMaxAt(b) < bestTimestamp) break
      const batch = batches[b]!
      if (batch.lastOffset < startingOffset) break
      // A batch's max timestamp bounds its records' (the cleaner keeps it on the batches it copies).
      if (batch.isControl || batch.maxTimestamp < bestTimestamp) continue
      for (let i = batch.count - 1; i >= 0; i--) {
        const offset = batch.offsetAt(i)
        if (offset >= maxOffset) continue
        if (offset < startingOffset) break
        const ts = batch.timestampAt(i)
        if (ts >= bestTimestamp) {
          best = { offset, timestamp: ts }
          bestTimestamp = ts
        }
      }
    }
    return best
  }

  /**
   * Kafka's LogSegment.largestTimestamp, which retention.ms and min.compaction.lag.ms compare
   * with the clock: the largest record timestamp, or the last modification time when the
   * segment holds no timestamp.
   */
  get largestTimestamp(): number {
    const max = this.maxTimestamp
    return max >= 0 ? max : this.lastModified
  }

  append(batch: RecordBatch): void {
    const n = this.held.length
    if (n === 0) this.setFirstMaxTimestamp(batch.maxTimestamp)
    this.index.append(batch)
    this.held.push(batch)
    this.sizeInBytes += batch.sizeInBytes
  }

  /** A read's share of this segment's batches, from `offset` on (see BatchIndex.collect): the bytes read so far, -1 - those bytes when the read ends here. */
  collect(out: RecordBatch[], offset: number, maxOffset: number, maxBytes: number, bytes: number): number {
    return this.index.collect(this.held, out, offset, maxOffset, maxBytes, bytes)
  }

  /** Index of the batch containing `offset`, or of the first batch after it. */
  batchIndexFor(offset: number): number {
    return this.index.indexForOffset(offset)
  }

  /**
   * Drops every batch holding an offset at or after `offset` (a replica truncating to agree with
   * its leader). A batch that straddles `offset` goes whole, as in Kafka's LogSegment.truncateTo
   * (which cuts the file at that batch's position): the log then ends at its base offset.
   */
  truncateTo(offset: number): void {
    const keep = this.batchIndexFor(offset)
    this.held.length = keep
    this.index.truncate(keep)
    this.sizeInBytes = this.held.reduce((sum, b) => sum + b.sizeInBytes, 0)
  }
}
