import { LogSegment } from './segment.js'
import { SegmentIndex } from './segment-index.js'
import { RecordBatch, TimestampPool, type BatchProducerInfo, type ProducerRecord, type TimestampTypeValue } from './record-batch.js'

export interface LogRollPolicy {
  /** segment.bytes */
  readonly segmentBytes: number
  /** segment.ms */
  readonly segmentMs: number
  /** cleanup.policy: with compact, max.compaction.lag.ms also bounds a segment's age. */
  readonly cleanupPolicy?: readonly string[]
  /** max.compaction.lag.ms (Infinity: no bound) */
  readonly maxCompactionLagMs?: number
}

/**
 * LogConfig.maxSegmentMs: on a compacted topic the active segment is rolled after
 * min(segment.ms, max.compaction.lag.ms), since the cleaner never touches the active segment
 * and a record must become cleanable within max.compaction.lag.ms (KIP-354).
 */
export function maxSegmentMs(roll: LogRollPolicy): number {
  const lag = roll.maxCompactionLagMs
  if (lag !== undefined && lag > 0 && roll.cleanupPolicy?.includes('compact')) return Math.min(roll.segmentMs, lag)
  return roll.segmentMs
}

/** What lastRead holds when no read's answer waits for sizeOf. */
const NOTHING_READ: readonly RecordBatch[] = Object.freeze([])

/**
 * One replica's log of one partition: append-only, dense offsets from 0, kept as segments of
 * immutable batches. The log knows offsets and bytes; watermarks other than its own end and
 * start (HW, LSO) belong to the partition, which knows the ISR.
 */
export class PartitionLog {
  private readonly segments: LogSegment[]
  /** The segments' base offsets and largest timestamps in flat arrays, for the searches of every read. */
  private readonly index: SegmentIndex
  /** The last of `segments`, kept as segments are added and removed (read on every append). */
  private active: LogSegment
  private startOffset = 0
  /**
   * The active segment's next offset, kept as batches are appended and the log is cut, since
   * every produce reads it several times per replica (issue 15: at 10 000 partitions the chain
   * of objects behind it is rarely in the CPU's cache).
   */
  private endOffset = 0
  /**
   * This log's entry in Kafka's cleaner-offset-checkpoint: the first offset the cleaner has not
   * cleaned yet (undefined before the first pass). Truncation below it pulls it back, as
   * LogCleanerManager.maybeTruncateCheckpoint does, so rewritten offsets count as dirty again.
   */
  cleanerCheckpoint: number | undefined
  /** Where the batches this log builds keep their records' timestamps, side by side (issue 15). */
  private readonly timestampPool = new TimestampPool()
  /** The last read's answer until sizeOf asks for its bytes, and those bytes (known from the index). */
  private lastRead: readonly RecordBatch[] = NOTHING_READ
  private lastReadBytes = 0

  constructor(now: number) {
    this.active = new LogSegment(0, now)
    this.segments = [this.active]
    this.index = new SegmentIndex(this.segments)
  }

  /** logStartOffset: the first offset a fetch may ask for. */
  get logStartOffset(): number {
    return this.startOffset
  }

  /** logEndOffset (LEO): the offset the next record will take. */
  get logEndOffset(): number {
    return this.endOffset
  }

  /** The log's last batch (undefined when the active segment is empty). */
  get lastBatch(): RecordBatch | undefined {
    const batches = this.activeSegment.batches
    return batches[batches.length - 1]
  }

  get activeSegment(): LogSegment {
    return this.active
  }

  private addSegment(segment: LogSegment): void {
    this.segments.push(segment)
    this.active = segment
    this.index.rolled()
  }

  get allSegments(): readonly LogSegment[] {
    return this.segments
  }

  get sizeInBytes(): number {
    let size = 0
    for (const s of this.segments) size += s.sizeInBytes
    return size
  }

  /** Builds a batch from the records at the log end and appends it. */
  appendRecords(options: {
    records: readonly ProducerRecord[]
    leaderEpoch: number
    timestampType: TimestampTypeValue
    now: number
    producer?: BatchProducerInfo | undefined
    isControl?: boolean
    roll: LogRollPolicy
    /** The records' bytes are never changed by their sender (RecordBatch.fromRecords). */
    bytesImmutable?: boolean
  }): RecordBatch {
    return this.append(
      options.records,
      options.leaderEpoch,
      options.timestampType,
      options.now,
      options.producer,
      options.isControl ?? false,
      options.roll,
      options.bytesImmutable ?? false,
    )
  }

  /** appendRecords with its options as arguments: a produce builds no options object per batch (issue 15). */
  append(
    records: readonly ProducerRecord[],
    leaderEpoch: number,
    timestampType: TimestampTypeValue,
    now: number,
    producer: BatchProducerInfo | undefined,
    isControl: boolean,
    roll: LogRollPolicy,
    bytesImmutable: boolean,
  ): RecordBatch {
    const batch = RecordBatch.ofRecords(this.endOffset, records, leaderEpoch, timestampType, now, producer, isControl, bytesImmutable, this.timestampPool)
    this.appendBatch(batch, now, roll)
    return batch
  }

  /**
   * Appends a batch built elsewhere (a follower copying its leader's batch object). It may start
   * past the log end: the leader's cleaner may have removed whole batches (a compacted log has
   * gaps in its offsets, and a follower copies them as they are, as Kafka's appendAsFollower
   * does); it may never start before it.
   */
  appendBatch(batch: RecordBatch, now: number, roll: LogRollPolicy): void {
    if (batch.baseOffset < this.logEndOffset) {
      throw new Error(`batch at ${batch.baseOffset} overlaps the log, which ends at ${this.logEndOffset}`)
    }
    this.maybeRoll(batch, now, roll)
    const active = this.activeSegment
    active.append(batch)
    active.lastModified = now
    this.endOffset = batch.lastOffset + 1
  }

  /**
   * Kafka rolls a new segment when the batch would overflow segment.bytes, or when more than
   * segment.ms separates the new batch from the active segment's first one (LogSegment.shouldRoll
   * and timeWaitedForRoll): the difference of their max timestamps, or, when the first batch has
   * no timestamp, the time since the segment was created. An empty segment never rolls. Counting
   * from the first batch rather than from the segment's creation matters for the first segment,
   * which exists from the moment the partition does.
   */
  private maybeRoll(batch: RecordBatch, now: number, roll: LogRollPolicy): void {
    const active = this.active
    if (active.isEmpty) return
    const full = active.sizeInBytes + batch.sizeInBytes > roll.segmentBytes
    const waited = active.timeWaitedForRoll(now, batch.maxTimestamp)
    // waited > maxSegmentMs(roll), which is segment.ms or a smaller max.compaction.lag.ms: the
    // cleanup policy is looked at only past the latter, not on every append.
    const old = waited > roll.segmentMs || (waited > (roll.maxCompactionLagMs ?? Infinity) && waited > maxSegmentMs(roll))
    if (full || old) this.addSegment(new LogSegment(batch.baseOffset, now))
  }

  /** Starts a new empty active segment now (used by tests and the cleaner). */
  roll(now: number): void {
    if (!this.activeSegment.isEmpty) this.addSegment(new LogSegment(this.logEndOffset, now))
  }

  /**
   * The batches holding offsets from `offset` up to (not including) `maxOffset`, at most
   * `maxBytes` of them but always at least one batch when any exists (Kafka's KIP-74 rule,
   * so a record larger than the fetch size still makes progress). The first batch may start
   * before `offset`; the reader skips what it did not ask for.
   */
  read(offset: number, maxOffset: number, maxBytes: number): RecordBatch[] {
    const out: RecordBatch[] = []
    if (offset >= maxOffset) return out
    let bytes = 0
    // Each segment's index knows its batches' offsets and sizes: no batch object is read (issue 15).
    for (let s = this.segmentIndexFor(offset); s < this.segments.length && bytes >= 0; s++) bytes = this.segments[s]!.collect(out, offset, maxOffset, maxBytes, bytes)
    this.lastRead = out
    this.lastReadBytes = bytes >= 0 ? bytes : -bytes - 1
    return out
  }

  /**
   * The bytes of `batches` (the sum of their sizeInBytes): for the last read's answer, what the
   * index told the read, without reading the batch objects, which in a long log are rarely in the
   * CPU's cache (issue 15: a Fetch of a log of 10 M records). Lets go of that answer.
   */
  sizeOf(batches: readonly RecordBatch[]): number {
    if (batches === this.lastRead) {
      this.lastRead = NOTHING_READ
      return this.lastReadBytes
    }
    let bytes = 0
    for (let b = 0; b < batches.length; b++) bytes += batches[b]!.sizeInBytes
    return bytes
  }

  /** The index of the segment that holds `offset`: a binary search over the segments' base offsets, in one flat array. */
  segmentIndexFor(offset: number): number {
    return this.index.indexFor(offset)
  }

  /**
   * ListOffsets by timestamp: the first offset whose timestamp is >= `timestamp`, or undefined
   * when no record is that recent (Kafka answers -1 then).
   */
  offsetForTimestamp(timestamp: number, maxOffset: number): { offset: number; timestamp: number } | undefined {
    const start = this.startOffset
    const segments = this.segments
    // No segment before the first that reaches `timestamp` holds a record that recent, nor any
    // before the one holding the log start a record a reader may see.
    for (let s = Math.max(this.index.indexFor(start), this.index.firstReaching(timestamp)); s < segments.length; s++) {
      const segment = segments[s]!
      if (segment.baseOffset >= maxOffset) return undefined
      if (segment.isEmpty || segment.maxTimestamp < timestamp) continue
      const found = segment.findOffsetByTimestamp(timestamp, start, maxOffset)
      if (found !== undefined) return found
    }
    return undefined
  }

  /**
   * The largest timestamp below maxOffset and its offset, the first on ties (ListOffsets
   * MAX_TIMESTAMP, KIP-734). Walked from the end backwards: a segment or a run of batches whose
   * running max is below the best found so far cannot hold the answer, so in a log stamped in
   * order the walk reads a batch or two however long the log is (issue 15).
   */
  maxTimestampBelow(maxOffset: number): { offset: number; timestamp: number } | undefined {
    const start = this.startOffset
    if (maxOffset <= start) return undefined
    let best: { offset: number; timestamp: number } | undefined
    for (let s = this.index.indexFor(maxOffset - 1); s >= 0; s--) {
      const segment = this.segments[s]!
      if (best === undefined || segment.maxTimestamp >= best.timestamp) {
        // Found earlier in the log, so at least as good on a tie.
        const found = segment.maxTimestampBetween(start, maxOffset, best === undefined ? -Infinity : best.timestamp)
        if (found !== undefined) best = found
      }
      if (segment.baseOffset <= start) break
    }
    return best
  }

  /**
   * Moves logStartOffset forward (DeleteRecords, retention) and drops segments that lie wholly
   * below it. The active segment is kept even when empty.
   */
  advanceLogStartOffset(offset: number): void {
    if (offset <= this.startOffset) return
    this.startOffset = offset
    if (this.segments.length > 1 && this.segments[1]!.baseOffset <= offset) this.index.invalidate()
    while (this.segments.length > 1 && this.segments[1]!.baseOffset <= offset) this.segments.shift()
  }

  /** Removes whole segments from the front (retention), never the active one. */
  deleteOldestSegment(): LogSegment | undefined {
    if (this.segments.length <= 1) return undefined
    const removed = this.segments.shift()!
    this.index.invalidate()
    this.startOffset = Math.max(this.startOffset, this.segments[0]!.baseOffset)
    return removed
  }

  /** Drops everything at or after `offset` (a follower truncating to its leader). */
  truncateTo(offset: number): void {
    if (this.cleanerCheckpoint !== undefined && this.cleanerCheckpoint > offset) this.cleanerCheckpoint = offset
    while (this.segments.length > 1 && this.activeSegment.baseOffset >= offset) {
      this.segments.pop()
      this.active = this.segments[this.segments.length - 1]!
      this.index.invalidate()
    }
    this.activeSegment.truncateTo(offset)
    this.endOffset = this.activeSegment.nextOffset
  }

  /**
   * Swaps a run of adjacent segments for one (the cleaner's output for a group of segments,
   * Kafka's UnifiedLog.replaceSegments). The replacement starts at the first one's base offset;
   * the active segment is never replaced.
   */
  replaceSegments(replaced: readonly LogSegment[], replacement: LogSegment): void {
    const first = this.segments.indexOf(replaced[0]!)
    if (first < 0 || replacement.baseOffset !== replaced[0]!.baseOffset) throw new Error('replaceSegments: the replacement must start where the replaced segments do')
    for (let i = 0; i < replaced.length; i++) {
      if (this.segments[first + i] !== replaced[i]) throw new Error('replaceSegments: the replaced segments must be adjacent and in order')
    }
    if (first + replaced.length >= this.segments.length) throw new Error('replaceSegments: the active segment cannot be replaced')
    this.segments.splice(first, replaced.length, replacement)
    this.index.invalidate()
    this.endOffset = this.activeSegment.nextOffset
  }

  /** Replaces a segment's batches (the log cleaner's output). Offsets are unchanged. */
  replaceSegmentBatches(segment: LogSegment, batches: RecordBatch[]): void {
    segment.batches = batches
    segment.sizeInBytes = batches.reduce((sum, b) => sum + b.sizeInBytes, 0)
    // Its largest timestamp may have gone with the records the cleaner removed.
    this.index.invalidate()
    this.endOffset = this.activeSegment.nextOffset
  }
}
