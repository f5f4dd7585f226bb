import { TIMESTAMP_CHUNK_LENGTH, type RecordBatch } from './record-batch.js'
import { firstAtLeastFrom, interpolate } from './ascending-search.js'
import { indexSlots, type SlotLease } from './slot-slabs.js'
import { timeHigh, timeLow, timeOf } from './split-time.js'

/** Every index starts with no room: a segment that never holds a batch costs no array. */
const NO_SLOTS = new Float64Array(0)
/** Two entries of four numbers: 64 bytes, which V8 keeps inside the array object itself. */
const FIRST_CAPACITY = 2

/** An entry's fields, side by side: all the index knows of a batch lies in one cache line or two. */
const STRIDE = 4
/** The batch's last offset. */
const LAST_OFFSET = 0
/** The running max of the max timestamps of batches 0..i. */
const RUNNING_MAX = 1
/** The bytes of batches 0..i (Kafka's offset index maps an offset to a position in the segment file). */
const END_POSITION = 2
/**
 * What the searches must know of the batch besides: the *_BATCH bits below, plus FLAGS_SPAN times
 * where its per-record timestamps lie (0 when it has none): their position in their chunk plus
 * TIMESTAMP_CHUNK_LENGTH times one more than the chunk's place in `chunks`. Both spans are powers
 * of two and the field an integer below 2^53, so `&` takes the bits below either (ToInt32 keeps an
 * integer's low 32 bits), where `%` on a double would be a call.
 */
const FLAGS = 3
const FLAGS_SPAN = 16

/** A control batch: never an answer to a search by timestamp. */
const CONTROL_BATCH = 1
/** Some record's offset is not baseOffset + its index (the cleaner removed records). */
const SPARSE_BATCH = 2
/** The batch does not start right after the previous one ends: its base offset is known only to the batch. */
const GAP_BEFORE_BATCH = 4
/** Some record is stamped earlier than the one before it. */
const UNORDERED_BATCH = 8
/** What offsetForTimestamp leaves to the segment's walk. */
const WALKED_BATCH = CONTROL_BATCH | SPARSE_BATCH | GAP_BEFORE_BATCH | UNORDERED_BATCH

/** A record found by a search by timestamp. */
export interface TimestampAndOffset {
  readonly offset: number
  readonly timestamp: number
}

/**
 * A segment's offset and time index (Kafka keeps a sparse .index and .timeindex file beside each
 * segment): per batch, in one flat typed array, its last offset, the running max of the batches'
 * max timestamps up to it, the bytes up to its end, a few flags and where its per-record
 * timestamps lie in the chunks the log keeps them in (see TimestampPool, in record-batch.ts),
 * which the index keeps in order. A search over the index reads a few
 * cache lines of one array where a search over the batch objects reads one object per step,
 * spread over the heap. In a log of 10 M records the batches, their timestamps and the rest of
 * the heap are rarely in the CPU's cache, so the reads of a long log answer from the index
 * wherever it can tell: a Fetch touches no batch object, a ListOffsets by timestamp only the
 * line of timestamps holding the answer (issue 15).
 *
 * One entry per batch (32 bytes, and a reference per chunk of timestamps), never per record.
 * The segment keeps it in step with its batches: append, truncation, and the cleaner's
 * replacement of the whole list.
 */
export class BatchIndex {
  /** Entry i at base + [i * STRIDE, (i + 1) * STRIDE): LAST_OFFSET, RUNNING_MAX, END_POSITION, FLAGS. */
  private slots: Float64Array = NO_SLOTS
  /** Where the entries start in `slots`: 0 in an array of the index's own, the range's start in a slab's. */
  private base = 0
  private capacity = 0
  /** The index's range once it outgrows FIRST_CAPACITY: in the shared slabs (see SlotSlabs), given back as the index grows or is collected. */
  private lease: SlotLease | undefined
  private size = 0
  /** The first batch's base offset (the others' follow from the last offset before them, but after a gap). */
  private firstBaseOffset = 0
  /** The chunks holding the batches' per-record timestamps, in the order the batches use them first. */
  private chunks: Float64Array[] | undefined
  /**
   * The last entry's last offset, end position and running max (as two small integers, see
   * split-time.ts), which the next append extends: kept here so that an append only writes the
   * entries, whose line at 10 000 partitions is rarely in the CPU's cache, and never waits to
   * read one (issue 15). Meaningless while the index is empty.
   */
  private lastOffsetAtEnd = 0
  private endPosition = 0
  private runningMaxHigh = 0
  private runningMaxLow = 0

  get length(): number {
    return this.size
  }

  append(batch: RecordBatch): void {
    const n = this.size
    if (n === this.capacity) this.grow()
    const slots = this.slots
    const at = this.base + n * STRIDE
    const lastOffset = batch.lastOffset
    const maxTimestamp = batch.maxTimestamp
    const endPosition = (n === 0 ? 0 : this.endPosition) + batch.sizeInBytes
    slots[at + LAST_OFFSET] = lastOffset
    if (n === 0 || maxTimestamp > timeOf(this.runningMaxHigh, this.runningMaxLow)) {
      slots[at + RUNNING_MAX] = maxTimestamp
      const high = timeHigh(maxTimestamp)
      this.runningMaxHigh = high
      this.runningMaxLow = timeLow(maxTimestamp, high)
    } else {
      slots[at + RUNNING_MAX] = timeOf(this.runningMaxHigh, this.runningMaxLow)
    }
    slots[at + END_POSITION] = endPosition
    let flags = 0
    if (batch.isControl) flags |= CONTROL_BATCH
    if (!batch.offsetsDense) flags |= SPARSE_BATCH
    if (n === 0) this.firstBaseOffset = batch.baseOffset
    else if (batch.baseOffset !== this.lastOffsetAtEnd + 1) flags |= GAP_BEFORE_BATCH
    if (!batch.timestampsAscend) flags |= UNORDERED_BATCH
    const timestamps = batch.timestamps
    slots[at + FLAGS] = timestamps === undefined ? flags : flags + FLAGS_SPAN * this.placeOf(timestamps)
    this.lastOffsetAtEnd = lastOffset
    this.endPosition = endPosition
    this.size = n + 1
  }

  /** The last entry's fields, read back after the index lost entries at its end. */
  private readLastEntry(): void {
    const n = this.size
    if (n === 0) return
    const at = this.base + (n - 1) * STRIDE
    this.lastOffsetAtEnd = this.slots[at + LAST_OFFSET]!
    this.endPosition = this.slots[at + END_POSITION]!
    const runningMax = this.slots[at + RUNNING_MAX]!
    const high = timeHigh(runningMax)
    this.runningMaxHigh = high
    this.runningMaxLow = timeLow(runningMax, high)
  }

  /** Keeps the first `length` batches. */
  truncate(length: number): void {
    if (length >= this.size) return
    this.size = length
    this.readLastEntry()
    // The chunks only the cut batches used go with them: the kept batches use the first ones.
    const chunks = this.chunks
    if (chunks === undefined) return
    let used = 0
    for (let b = length - 1; b >= 0 && used === 0; b--) used = Math.floor(this.slots[this.base + b * STRIDE + FLAGS]! / FLAGS_SPAN / TIMESTAMP_CHUNK_LENGTH)
    chunks.length = used
  }

  /** Indexes `batches` afresh (the cleaner's output replacing a segment's batches). */
  reset(batches: readonly RecordBatch[]): void {
    this.size = 0
    this.chunks = undefined
    for (let i = 0; i < batches.length; i++) this.append(batches[i]!)
  }

  /** Index of the first batch whose last offset is >= `offset` (length when none). */
  indexForOffset(offset: number): number {
    return firstAtLeast(this.slots, this.base + LAST_OFFSET, this.size, offset)
  }

  /** Index of the first batch whose max timestamp is >= `timestamp` (length when none). */
  firstReaching(timestamp: number): number {
    return firstAtLeast(this.slots, this.base + RUNNING_MAX, this.size, timestamp)
  }

  /** The largest max timestamp of batches 0..i. */
  runningMaxAt(i: number): number {
    return this.slots[this.base + i * STRIDE + RUNNING_MAX]!
  }

  /** The largest max timestamp of all batches, -1 when there are none (or none has a timestamp). */
  get maxTimestamp(): number {
    if (this.size === 0) return -1
    const max = timeOf(this.runningMaxHigh, this.runningMaxLow)
    return max > -1 ? max : -1
  }

  /**
   * A read's share of this segment's `batches` (those the index indexes): from the batch holding
   * `offset` on, each batch that starts below `maxOffset` while it fits in `maxBytes` with the
   * `bytes` read before it, and the first whatever its size when `out` is still empty (KIP-74).
   * Pushes them onto `out`; answers the bytes read so far, or, when the read ends in this segment
   * (at a batch from `maxOffset` on, or one that does not fit), -1 - those bytes. Sizes and base offsets
   * come from the index, so no batch object is read but after a gap in the offsets.
   */
  collect(batches: readonly RecordBatch[], out: RecordBatch[], offset: number, maxOffset: number, maxBytes: number, bytes: number): number {
    const slots = this.slots
    const base = this.base
    const n = this.size
    for (let b = this.indexForOffset(offset); b < n; b++) {
      const at = base + b * STRIDE
      const baseOffset = b === 0 ? this.firstBaseOffset : (slots[at + FLAGS]! & GAP_BEFORE_BATCH) !== 0 ? batches[b]!.baseOffset : slots[at - STRIDE + LAST_OFFSET]! + 1
      if (baseOffset >= maxOffset) return -1 - bytes
      const size = slots[at + END_POSITION]! - (b === 0 ? 0 : slots[at - STRIDE + END_POSITION]!)
      if (out.length > 0 && bytes + size > maxBytes) return -1 - bytes
      out.push(batches[b]!)
      bytes += size
    }
    return bytes
  }

  /**
   * LogSegment.findOffsetByTimestamp answered from the index and the timestamps array of one
   * batch, in the usual case: the first batch reaching `timestamp` lies wholly from
   * `startingOffset` on, is no control batch, has every offset, follows the batch before without
   * a gap and has timestamps that never decrease. Its max timestamp is then the running max there
   * and its first record stamped at or after `timestamp` is the answer, found by a probe where
   * `timestamp` falls between the running max before it and its own (see firstAtLeastFrom).
   * Answers undefined when no record below `maxOffset` is that recent, null when the index alone
   * cannot tell (the caller walks the batches).
   */
  offsetForTimestamp(timestamp: number, startingOffset: number, maxOffset: number): TimestampAndOffset | undefined | null {
    const b = this.firstReaching(timestamp)
    if (b === this.size) return undefined
    const slots = this.slots
    const at = this.base + b * STRIDE
    const flags = slots[at + FLAGS]!
    const kind = flags & (FLAGS_SPAN - 1)
    if ((kind & WALKED_BATCH) !== 0) return null
    const baseOffset = b === 0 ? this.firstBaseOffset : slots[at - STRIDE + LAST_OFFSET]! + 1
    if (baseOffset < startingOffset) return null
    if (baseOffset >= maxOffset) return undefined
    const high = slots[at + RUNNING_MAX]!
    const place = (flags - kind) / FLAGS_SPAN
    // Every record stamped alike, with the batch's max timestamp: the one that raised the running max.
    if (place === 0) return { offset: baseOffset, timestamp: high }
    const chunk = this.chunks![Math.floor(place / TIMESTAMP_CHUNK_LENGTH) - 1]!
    const position = place & (TIMESTAMP_CHUNK_LENGTH - 1)
    // Dense: a record per offset.
    const count = slots[at + LAST_OFFSET]! - baseOffset + 1
    // Where the batch before ends, about where this one begins, steers the probe (the first batch's own first timestamp when none is before it).
    const probe = interpolate(0, count, timestamp, b === 0 ? chunk[position]! : slots[at - STRIDE + RUNNING_MAX]!, high)
    // Record i's timestamp at chunk[position + i].
    const i = firstAtLeastFrom(chunk, 1, position, 0, count, timestamp, probe)
    // The batch's max timestamp is its records' (a cleaned batch's may be above them, but it is sparse).
    if (i === count) return null
    const offset = baseOffset + i
    return offset < maxOffset ? { offset, timestamp: chunk[position + i]! } : undefined
  }

  /**
   * Where `timestamps` (a batch's, a view of a chunk of them or an array of its own) lie: their
   * position in the chunk plus TIMESTAMP_CHUNK_LENGTH times one more than the chunk's place in
   * `chunks`, which takes the chunk when the batch before used another.
   */
  private placeOf(timestamps: Float64Array): number {
    const chunks = (this.chunks ??= [])
    const buffer = timestamps.buffer
    const n = chunks.length
    if (n === 0 || chunks[n - 1]!.buffer !== buffer) chunks.push(timestamps.byteOffset === 0 && timestamps.byteLength === buffer.byteLength ? timestamps : new Float64Array(buffer))
    return timestamps.byteOffset / Float64Array.BYTES_PER_ELEMENT + TIMESTAMP_CHUNK_LENGTH * chunks.length
  }

  private grow(): void {
    const n = this.size
    if (this.capacity === 0) {
      this.slots = new Float64Array(FIRST_CAPACITY * STRIDE)
      this.capacity = FIRST_CAPACITY
      return
    }
    const capacity = this.capacity * 2
    const lease = (this.lease ??= indexSlots.lease(this, this.slots))
    indexSlots.move(lease, capacity * STRIDE, n * STRIDE)
    this.slots = lease.array
    this.base = lease.base
    this.capacity = capacity
  }
}

/**
 * Index of the first of entries [0, n) whose `field` (counted from the start of `slots`: the
 * index's base plus the field's place in an entry) is >= `target` (n when none), for a field
 * that never decreases: probed where `target` falls between the first and the last value (see
 * firstAtLeastFrom).
 */
function firstAtLeast(slots: Float64Array, field: number, n: number, target: number): number {
  if (n === 0) return 0
  const first = slots[field]!
  if (first >= target) return 0
  const last = slots[(n - 1) * STRIDE + field]!
  if (last < target) return n
  // first < target <= last: the answer lies in (0, n - 1].
  return firstAtLeastFrom(slots, STRIDE, field, 1, n - 1, target, interpolate(0, n, target, first, last))
}
