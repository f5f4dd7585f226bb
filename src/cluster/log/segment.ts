import type { RecordBatch } from './record-batch.js'

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
   * When a batch was last appended (the segment file's mtime in Kafka). The cleaner carries it
   * over to the segment it writes; retention falls back to it when no batch has a timestamp.
   */
  lastModified: number
  private held: RecordBatch[] = []
  sizeInBytes = 0
  /**
   * The first batch's max timestamp (undefined when empty), which every append compares with
   * for segment.ms: kept here so that an append does not reach for the segment's oldest batch,
   * rarely in the CPU's cache at 10 000 partitions (issue 15).
   */
  private firstMaxTimestamp: number | undefined

  constructor(baseOffset: number, createdAt: number, lastModified = createdAt) {
    this.baseOffset = baseOffset
    this.createdAt = createdAt
    this.lastModified = lastModified
  }

  get batches(): RecordBatch[] {
    return this.held
  }

  /** Replaces the batches (the log cleaner's output); the caller keeps sizeInBytes. */
  set batches(batches: RecordBatch[]) {
    this.held = batches
    this.firstMaxTimestamp = batches[0]?.maxTimestamp
  }

  /** The first batch's max timestamp, undefined when the segment is empty. */
  get firstBatchMaxTimestamp(): number | undefined {
    return this.firstMaxTimestamp
  }

  get isEmpty(): boolean {
    return this.held.length === 0
  }

  /** One past the last offset held (baseOffset when empty). */
  get nextOffset(): number {
    const last = this.batches[this.batches.length - 1]
    return last ? last.lastOffset + 1 : this.baseOffset
  }

  get maxTimestamp(): number {
    let max = -1
    for (const b of this.batches) if (b.maxTimestamp > max) max = b.maxTimestamp
    return max
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
    if (this.held.length === 0) this.firstMaxTimestamp = batch.maxTimestamp
    this.held.push(batch)
    this.sizeInBytes += batch.sizeInBytes
  }

  /** Index of the batch containing `offset`, or of the first batch after it. */
  batchIndexFor(offset: number): number {
    const batches = this.batches
    let lo = 0
    let hi = batches.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (batches[mid]!.lastOffset < offset) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  /**
   * Drops every batch holding an offset at or after `offset` (a replica truncating to agree with
   * its leader). A batch that straddles `offset` goes whole, as in Kafka's LogSegment.truncateTo
   * (which cuts the file at that batch's position): the log then ends at its base offset.
   */
  truncateTo(offset: number): void {
    const keep = this.batchIndexFor(offset)
    this.held.length = keep
    if (keep === 0) this.firstMaxTimestamp = undefined
    this.sizeInBytes = this.held.reduce((sum, b) => sum + b.sizeInBytes, 0)
  }
}
