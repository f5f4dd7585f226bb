/**
 * Record batches: the unit a partition log stores and a fetch returns (Kafka's RecordBatch,
 * magic v2). A batch is immutable once appended; followers and fetch responses share the
 * leader's batch objects, so replication and reads cost no copy.
 *
 * Record data lives in one slab per batch: the producer's keys and values are copied once into
 * a single Buffer, and each record is a few integers into it, which keeps a retained 100-byte
 * message close to its own size in memory. Small batches share slab and layout chunks.
 */

export interface RecordHeader {
  readonly key: string
  readonly value: Buffer | null
}

/** One record as a producer hands it to the cluster (before it has an offset). */
export interface ProducerRecord {
  readonly key: Uint8Array | null
  readonly value: Uint8Array | null
  readonly headers?: readonly RecordHeader[] | undefined
  /** CreateTime in ms; the broker substitutes its clock's time when absent. */
  readonly timestamp?: number | undefined
}

export const TimestampType = { CreateTime: 0, LogAppendTime: 1 } as const
export type TimestampTypeValue = (typeof TimestampType)[keyof typeof TimestampType]

export const NO_PRODUCER_ID = -1
export const NO_PRODUCER_EPOCH = -1
export const NO_SEQUENCE = -1
/** A batch no cleaner pass has stamped with a delete horizon yet (Kafka's RecordBatch.NO_TIMESTAMP). */
export const NO_DELETE_HORIZON = -1

export interface BatchProducerInfo {
  readonly producerId: number
  readonly producerEpoch: number
  readonly baseSequence: number
  readonly isTransactional: boolean
}

/** A record as read back from a batch. Key and value are views into the batch's slab. */
export interface StoredRecord {
  readonly offset: number
  readonly timestamp: number
  readonly key: Buffer | null
  readonly value: Buffer | null
  readonly headers: readonly RecordHeader[] | undefined
}

/** Per-record overhead Kafka counts in a v2 batch, used for max.message.bytes and segment.bytes. */
const RECORD_OVERHEAD_BYTES = 8
/** A v2 batch header: 61 bytes. */
export const BATCH_HEADER_BYTES = 61

/** The producer fields of a batch written without a producer id, shared by every such batch. */
const NO_PRODUCER: BatchProducerInfo = { producerId: NO_PRODUCER_ID, producerEpoch: NO_PRODUCER_EPOCH, baseSequence: NO_SEQUENCE, isTransactional: false }

/**
 * flags: the timestamp type (LogAppendTime) and the control bit, as Kafka's batch attributes keep
 * them, and whether the records' timestamps ever decrease (learnt as the batch is built, for the
 * search by timestamp).
 */
const LOG_APPEND_TIME_FLAG = 1
const CONTROL_FLAG = 2
const UNORDERED_FLAG = 4
/** epochAndFlags = partitionLeaderEpoch * FLAGS_SPAN + flags. */
const FLAGS_SPAN = 8

/**
 * What a batch has only once the cleaner has been through it or its records carry more than a
 * producer's plain send gives them: one object for the lot, absent from the usual batch.
 */
interface BatchExtra {
  readonly lastOffset: number
  readonly deleteHorizonMs: number
  readonly timestamps: Float64Array | undefined
  readonly offsetDeltas: Int32Array | undefined
  readonly headers: (readonly RecordHeader[] | undefined)[] | undefined
}

/**
 * The batch's fields are few (issue 15): a send of 1 000 keyless records to a topic of 10 000
 * partitions appends about 1 000 batches of one record each, which all live in the old
 * generation, so a batch's own size is a record's. The producer fields are one shared object,
 * the leader epoch, timestamp type and control bit one number, and what only a cleaned batch or
 * one with headers or differing timestamps has (per-record offsets and timestamps, headers, the
 * delete horizon, a last offset past its records) one object absent from the usual batch;
 * getters give them their Kafka names. (The broker's append time, which nothing read, is gone:
 * a LogAppendTime batch carries it as its timestamps, as in Kafka.)
 */
export class RecordBatch {
  readonly baseOffset: number
  /** Records in the batch. After compaction this can be fewer than lastOffset - baseOffset + 1. */
  readonly count: number
  readonly firstTimestamp: number
  readonly maxTimestamp: number
  /** Bytes the batch would take on the wire, as Kafka sizes it. */
  readonly sizeInBytes: number
  /** Producer id, epoch, base sequence and the transactional bit (NO_PRODUCER when there is no producer id). */
  private readonly producer: BatchProducerInfo
  /** partitionLeaderEpoch * FLAGS_SPAN + the flags (LOG_APPEND_TIME_FLAG, CONTROL_FLAG, UNORDERED_FLAG): one field for the four. */
  private readonly epochAndFlags: number

  private readonly slab: Buffer
  /**
   * Per record, from `at`: keyStart, keyLength, valueStart, valueLength (-1 length = null); the
   * starts are positions in `slab`. Small batches share their slab and layout with their
   * neighbours (see takeSlab).
   */
  private readonly layout: Int32Array
  private readonly at: number
  private readonly extra: BatchExtra | undefined

  // Positional, not an options object: a send spread over 1 000 partitions builds 1 000
  // batches, and each paid for an object of 18 fields it threw away (issue 15).
  private constructor(
    baseOffset: number,
    count: number,
    lastOffset: number,
    partitionLeaderEpoch: number,
    timestampType: TimestampTypeValue,
    firstTimestamp: number,
    maxTimestamp: number,
    producer: BatchProducerInfo | undefined,
    isControl: boolean,
    sizeInBytes: number,
    deleteHorizonMs: number,
    slab: Buffer,
    layout: Int32Array,
    at: number,
    /** Per-record timestamps; undefined when every record shares firstTimestamp. */
    timestamps: Float64Array | undefined,
    /** Per-record offset deltas; undefined when offsets are dense (no compaction yet). */
    offsetDeltas: Int32Array | undefined,
    headers: (readonly RecordHeader[] | undefined)[] | undefined,
    /** Some record is stamped earlier than the one before it. */
    unordered: boolean,
  ) {
    this.baseOffset = baseOffset
    this.count = count
    this.firstTimestamp = firstTimestamp
    this.maxTimestamp = maxTimestamp
    this.sizeInBytes = sizeInBytes
    this.producer = producer ?? NO_PRODUCER
    this.epochAndFlags =
      partitionLeaderEpoch * FLAGS_SPAN + ((timestampType === TimestampType.LogAppendTime ? LOG_APPEND_TIME_FLAG : 0) | (isControl ? CONTROL_FLAG : 0) | (unordered ? UNORDERED_FLAG : 0))
    this.slab = slab
    this.layout = layout
    this.at = at
    const plain = lastOffset === baseOffset + count - 1 && deleteHorizonMs === NO_DELETE_HORIZON && !timestamps && !offsetDeltas && !headers
    this.extra = plain ? undefined : { lastOffset, deleteHorizonMs, timestamps, offsetDeltas, headers }
  }

  get lastOffset(): number {
    const extra = this.extra
    return extra === undefined ? this.baseOffset + this.count - 1 : extra.lastOffset
  }

  /** The epoch of the leader that appended the batch. */
  get partitionLeaderEpoch(): number {
    return Math.floor(this.epochAndFlags / FLAGS_SPAN)
  }

  private get flags(): number {
    return this.epochAndFlags - Math.floor(this.epochAndFlags / FLAGS_SPAN) * FLAGS_SPAN
  }

  get timestampType(): TimestampTypeValue {
    return (this.flags & LOG_APPEND_TIME_FLAG) === 0 ? TimestampType.CreateTime : TimestampType.LogAppendTime
  }

  /** A control batch holds a transaction marker (COMMIT or ABORT), never returned to users. */
  get isControl(): boolean {
    return (this.flags & CONTROL_FLAG) !== 0
  }

  /** Whether the records' timestamps never decrease (true of most batches: records are stamped as they are produced). */
  get timestampsAscend(): boolean {
    return (this.flags & UNORDERED_FLAG) === 0
  }

  /** Whether record i has offset baseOffset + i, for every record (false once the cleaner has removed some). */
  get offsetsDense(): boolean {
    const extra = this.extra
    return extra === undefined || (extra.offsetDeltas === undefined && extra.lastOffset === this.baseOffset + this.count - 1)
  }

  get producerId(): number {
    return this.producer.producerId
  }

  get producerEpoch(): number {
    return this.producer.producerEpoch
  }

  get baseSequence(): number {
    return this.producer.baseSequence
  }

  get isTransactional(): boolean {
    return this.producer.isTransactional
  }

  /**
   * KIP-534's delete horizon: set (to the cleaning time + delete.retention.ms) by the first
   * cleaner pass that copies this batch with a tombstone in it; once the clock passes it, the
   * next pass may drop the tombstones. NO_DELETE_HORIZON until then.
   */
  get deleteHorizonMs(): number {
    const extra = this.extra
    return extra === undefined ? NO_DELETE_HORIZON : extra.deleteHorizonMs
  }

  /** Per-record timestamps; undefined when every record has firstTimestamp. */
  get timestamps(): Float64Array | undefined {
    return this.extra?.timestamps
  }

  private get offsetDeltas(): Int32Array | undefined {
    return this.extra?.offsetDeltas
  }

  private get headers(): (readonly RecordHeader[] | undefined)[] | undefined {
    return this.extra?.headers
  }

  /**
   * Builds a batch from a producer's records, copying their bytes once into one slab.
   * `logAppendTime` replaces every timestamp when the topic uses LogAppendTime.
   */
  static fromRecords(options: {
    baseOffset: number
    records: readonly ProducerRecord[]
    partitionLeaderEpoch: number
    timestampType: TimestampTypeValue
    now: number
    producer?: BatchProducerInfo | undefined
    isControl?: boolean
    /**
     * The records' keys and values are views of bytes nobody changes after this (the wire
     * server's request frame, which it keeps anyway to serve Fetch): when they lie densely in
     * one buffer, the batch keeps that buffer instead of copying them.
     */
    bytesImmutable?: boolean
  }): RecordBatch {
    return RecordBatch.ofRecords(
      options.baseOffset,
      options.records,
      options.partitionLeaderEpoch,
      options.timestampType,
      options.now,
      options.producer,
      options.isControl ?? false,
      options.bytesImmutable ?? false,
    )
  }

  /** fromRecords with its options as arguments: the produce path builds no options object per batch (issue 15). */
  static ofRecords(
    baseOffset: number,
    records: readonly ProducerRecord[],
    partitionLeaderEpoch: number,
    timestampType: TimestampTypeValue,
    now: number,
    producer: BatchProducerInfo | undefined,
    isControl: boolean,
    bytesImmutable: boolean,
    /** Where the records' timestamps go when they differ (the log's, see TimestampPool); an array of the batch's own without. */
    timestampPool?: TimestampPool,
  ): RecordBatch {
    const count = records.length
    let bytes = 0
    let headersSeen = false
    for (let i = 0; i < count; i++) {
      const r = records[i]!
      if (r.key) bytes += r.key.length
      if (r.value) bytes += r.value.length
      if (r.headers && r.headers.length > 0) headersSeen = true
    }
    const shared = bytesImmutable ? sharedBacking(records, bytes) : undefined
    const slab = shared ?? takeSlab(bytes)
    let position = shared ? 0 : slabStart
    const layout = takeLayout(count * 4)
    const at = layoutStart
    let timestamps: Float64Array | undefined
    const headers = headersSeen ? new Array<readonly RecordHeader[] | undefined>(count) : undefined
    const logAppend = timestampType === TimestampType.LogAppendTime
    const first = logAppend ? now : (records[0]?.timestamp ?? now)
    let maxTimestamp = first
    let previous = first
    let unordered = false
    let size = BATCH_HEADER_BYTES
    for (let i = 0; i < count; i++) {
      const r = records[i]!
      const base = at + i * 4
      if (r.key) {
        if (shared) {
          layout[base] = r.key.byteOffset - shared.byteOffset
        } else {
          layout[base] = position
          slab.set(r.key, position)
          position += r.key.length
        }
        layout[base + 1] = r.key.length
      } else {
        layout[base + 1] = -1
      }
      if (r.value) {
        if (shared) {
          layout[base + 2] = r.value.byteOffset - shared.byteOffset
        } else {
          layout[base + 2] = position
          slab.set(r.value, position)
          position += r.value.length
        }
        layout[base + 3] = r.value.length
      } else {
        layout[base + 3] = -1
      }
      const ts = logAppend ? now : (r.timestamp ?? now)
      if (ts !== first && !timestamps) {
        timestamps = (timestampPool === undefined ? new Float64Array(count) : timestampPool.take(count)).fill(first)
      }
      if (timestamps) timestamps[i] = ts
      if (ts > maxTimestamp) maxTimestamp = ts
      if (ts < previous) unordered = true
      previous = ts
      let recordSize = RECORD_OVERHEAD_BYTES + (r.key ? r.key.length : 0) + (r.value ? r.value.length : 0)
      if (headers) {
        headers[i] = r.headers && r.headers.length > 0 ? r.headers.map(copyHeader) : undefined
        recordSize += headersSize(r.headers)
      }
      size += recordSize
    }
    return new RecordBatch(
      baseOffset,
      count,
      baseOffset + count - 1,
      partitionLeaderEpoch,
      timestampType,
      first,
      maxTimestamp,
      producer,
      isControl,
      size,
      NO_DELETE_HORIZON,
      slab,
      layout,
      at,
      timestamps,
      undefined,
      headers,
      unordered,
    )
  }

  /** Size, as Kafka counts it against max.message.bytes, of a batch built from these records. */
  static sizeOf(records: readonly ProducerRecord[]): number {
    let size = BATCH_HEADER_BYTES
    for (const r of records) {
      size += RECORD_OVERHEAD_BYTES + (r.key ? r.key.length : 0) + (r.value ? r.value.length : 0)
      size += headersSize(r.headers)
    }
    return size
  }

  offsetAt(index: number): number {
    const deltas = this.extra?.offsetDeltas
    return deltas === undefined ? this.baseOffset + index : this.baseOffset + deltas[index]!
  }

  timestampAt(index: number): number {
    const timestamps = this.extra?.timestamps
    return timestamps === undefined ? this.firstTimestamp : timestamps[index]!
  }

  keyAt(index: number): Buffer | null {
    const length = this.layout[this.at + index * 4 + 1]!
    if (length < 0) return null
    const start = this.layout[this.at + index * 4]!
    return this.slab.subarray(start, start + length)
  }

  valueAt(index: number): Buffer | null {
    const length = this.layout[this.at + index * 4 + 3]!
    if (length < 0) return null
    const start = this.layout[this.at + index * 4 + 2]!
    return this.slab.subarray(start, start + length)
  }

  hasKeyAt(index: number): boolean {
    return this.layout[this.at + index * 4 + 1]! >= 0
  }

  headersAt(index: number): readonly RecordHeader[] | undefined {
    const headers = this.extra?.headers
    return headers === undefined ? undefined : headers[index]
  }

  /** Index of the first record whose offset is >= `offset` (count when none). */
  indexOfOffset(offset: number): number {
    if (offset <= this.baseOffset) return 0
    const deltas = this.offsetDeltas
    if (!deltas) return Math.min(this.count, offset - this.baseOffset)
    let lo = 0
    let hi = this.count
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (this.baseOffset + deltas[mid]! < offset) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  recordAt(index: number): StoredRecord {
    return {
      offset: this.offsetAt(index),
      timestamp: this.timestampAt(index),
      key: this.keyAt(index),
      value: this.valueAt(index),
      headers: this.headersAt(index),
    }
  }

  *records(): IterableIterator<StoredRecord> {
    for (let i = 0; i < this.count; i++) yield this.recordAt(i)
  }

  /** True when the record at `index` is a tombstone: it has a key and a null value. */
  isTombstoneAt(index: number): boolean {
    return this.layout[this.at + index * 4 + 3]! < 0 && this.layout[this.at + index * 4 + 1]! >= 0
  }

  /**
   * A 32-bit hash of the key bytes at `index` (FNV-1a), read straight from the slab so that the
   * cleaner's offset map costs no allocation per record. Callers must check hasKeyAt first.
   */
  keyHashAt(index: number): number {
    const start = this.layout[this.at + index * 4]!
    const end = start + this.layout[this.at + index * 4 + 1]!
    const slab = this.slab
    let hash = 0x811c9dc5
    for (let i = start; i < end; i++) hash = Math.imul(hash ^ slab[i]!, 0x01000193)
    return hash | 0
  }

  /** Whether the key at `index` has the same bytes as `other`'s key at `otherIndex`. */
  keyEqualsAt(index: number, other: RecordBatch, otherIndex: number): boolean {
    const length = this.layout[this.at + index * 4 + 1]!
    if (length !== other.layout[other.at + otherIndex * 4 + 1]!) return false
    const a = this.slab
    const b = other.slab
    const aStart = this.layout[this.at + index * 4]!
    const bStart = other.layout[other.at + otherIndex * 4]!
    for (let i = 0; i < length; i++) if (a[aStart + i] !== b[bStart + i]) return false
    return true
  }

  /**
   * The same records stamped with a delete horizon (KIP-534), for a batch the cleaner keeps
   * whole. The records' storage is shared: both batches are immutable.
   */
  withDeleteHorizon(deleteHorizonMs: number): RecordBatch {
    return new RecordBatch(
      this.baseOffset,
      this.count,
      this.lastOffset,
      this.partitionLeaderEpoch,
      this.timestampType,
      this.firstTimestamp,
      this.maxTimestamp,
      this.producerInfo(),
      this.isControl,
      this.sizeInBytes,
      deleteHorizonMs,
      this.slab,
      this.layout,
      this.at,
      this.timestamps,
      this.offsetDeltas,
      this.headers,
      !this.timestampsAscend,
    )
  }

  private producerInfo(): BatchProducerInfo {
    return this.producer
  }

  /**
   * A copy of this batch keeping only the records whose index passes `keep` (log compaction).
   * Offsets, timestamps and the batch's producer fields are kept, so offsets never change.
   */
  retain(keep: (index: number) => boolean, options: { deleteHorizonMs?: number } = {}): RecordBatch {
    const mask = new Uint8Array(this.count)
    let kept = 0
    for (let i = 0; i < this.count; i++) {
      if (keep(i)) {
        mask[i] = 1
        kept++
      }
    }
    return this.retainMask(mask, kept, options)
  }

  /**
   * The cleaner's form of `retain`: `mask[i]` is 1 for each record to keep, `kept` how many are.
   * The kept keys and values are copied into a new slab of their own size, so the old slab (and
   * the bytes compaction removed) can be collected. `deleteHorizonMs` stamps the copy (KIP-534);
   * by default the copy keeps this batch's horizon.
   */
  retainMask(mask: Uint8Array, kept: number, options: { deleteHorizonMs?: number } = {}): RecordBatch {
    const source = this.layout
    const from = this.at
    let bytes = 0
    for (let i = 0; i < this.count; i++) {
      if (mask[i] === 0) continue
      const keyLength = source[from + i * 4 + 1]!
      const valueLength = source[from + i * 4 + 3]!
      if (keyLength > 0) bytes += keyLength
      if (valueLength > 0) bytes += valueLength
    }
    const slab = Buffer.allocUnsafe(bytes)
    const layout = new Int32Array(kept * 4)
    const offsetDeltas = new Int32Array(kept)
    let timestamps: Float64Array | undefined
    const sourceHeaders = this.headers
    const headers = sourceHeaders ? new Array<readonly RecordHeader[] | undefined>(kept) : undefined
    let position = 0
    let size = BATCH_HEADER_BYTES
    let previous = -Infinity
    let unordered = false
    let j = 0
    for (let i = 0; i < this.count; i++) {
      if (mask[i] === 0) continue
      const keyLength = source[from + i * 4 + 1]!
      layout[j * 4 + 1] = keyLength
      if (keyLength >= 0) {
        const start = source[from + i * 4]!
        this.slab.copy(slab, position, start, start + keyLength)
        layout[j * 4] = position
        position += keyLength
        size += keyLength
      }
      const valueLength = source[from + i * 4 + 3]!
      layout[j * 4 + 3] = valueLength
      if (valueLength >= 0) {
        const start = source[from + i * 4 + 2]!
        this.slab.copy(slab, position, start, start + valueLength)
        layout[j * 4 + 2] = position
        position += valueLength
        size += valueLength
      }
      size += RECORD_OVERHEAD_BYTES
      offsetDeltas[j] = this.offsetAt(i) - this.baseOffset
      const ts = this.timestampAt(i)
      // Per-record timestamps only when they differ from the first, as fromRecords does.
      if (ts !== this.firstTimestamp && !timestamps) timestamps = new Float64Array(kept).fill(this.firstTimestamp)
      if (timestamps) timestamps[j] = ts
      if (ts < previous) unordered = true
      previous = ts
      if (headers) {
        headers[j] = sourceHeaders![i]
        // Headers count towards the size as they do in fromRecords and sizeOf.
        size += headersSize(headers[j])
      }
      j++
    }
    return new RecordBatch(
      this.baseOffset,
      kept,
      this.lastOffset,
      this.partitionLeaderEpoch,
      this.timestampType,
      this.firstTimestamp,
      this.maxTimestamp,
      this.producerInfo(),
      this.isControl,
      size,
      options.deleteHorizonMs ?? this.deleteHorizonMs,
      slab,
      layout,
      0,
      timestamps,
      offsetDeltas,
      headers,
      unordered,
    )
  }
}

/** The largest chunk a TimestampPool takes, and the bound on a position in one (BatchIndex packs positions below it). */
export const TIMESTAMP_CHUNK_LENGTH = 131_072
const FIRST_TIMESTAMP_CHUNK_LENGTH = 256
const NO_TIMESTAMPS = new Float64Array(0)

/**
 * Where one partition's log takes the per-record timestamps of the batches it builds: views of
 * chunks the log owns, each twice the size of the one before up to 1 MiB, so that the timestamps
 * of a run of batches lie side by side in memory, in offset order, as in Kafka's segment file.
 * The log's index then reaches a batch's timestamps through the chunk, one object for many
 * batches, and a search by timestamp in a long log reads the line of the chunk holding the answer
 * and not each batch's own array object (issue 15). A chunk lives as long as any batch in it;
 * retention drops a log's batches oldest first, so that is the log's own oldest chunk at most. A
 * batch's view costs what its own array did, less the array buffer.
 */
export class TimestampPool {
  private chunk = NO_TIMESTAMPS
  private used = 0

  /** A view of `count` timestamps of the current chunk, a new one when they do not fit; an array of their own past half the largest chunk. */
  take(count: number): Float64Array {
    if (count > TIMESTAMP_CHUNK_LENGTH >>> 1) return new Float64Array(count)
    if (this.used + count > this.chunk.length) {
      let length = Math.min(TIMESTAMP_CHUNK_LENGTH, Math.max(FIRST_TIMESTAMP_CHUNK_LENGTH, this.chunk.length * 2))
      while (length < count) length *= 2
      this.chunk = new Float64Array(length)
      this.used = 0
    }
    const view = this.chunk.subarray(this.used, this.used + count)
    this.used += count
    return view
  }
}

/**
 * Small batches take their slab and layout from shared chunks, as Buffer.allocUnsafe takes small
 * buffers from Node's 8 KiB pool: a batch of one record then costs one object, not three (its
 * own Buffer view and Int32Array), which matters when a send spreads 1 000 records over 1 000
 * partitions (issue 15). A chunk lives as long as any batch in it, as a pooled Buffer's pool
 * does; the cleaner's copies (retainMask) get storage of their own.
 */
const SLAB_CHUNK_BYTES = 8192
const LAYOUT_CHUNK_INTS = 512
let slabChunk = Buffer.allocUnsafeSlow(SLAB_CHUNK_BYTES)
let slabUsed = 0
/** Where the last takeSlab's bytes start in the buffer it returned. */
let slabStart = 0
let layoutChunk = new Int32Array(LAYOUT_CHUNK_INTS)
let layoutUsed = 0
/** Where the last takeLayout's ints start in the array it returned. */
let layoutStart = 0

/**
 * One buffer over the bytes of every key and value of `records`, when they are views of the same
 * memory lying close together (no more than twice their own size apart, so a batch never keeps a
 * large buffer alive for a few small records); undefined otherwise.
 */
function sharedBacking(records: readonly ProducerRecord[], bytes: number): Buffer | undefined {
  const span = { backing: undefined as ArrayBufferLike | undefined, start: Number.POSITIVE_INFINITY, end: 0 }
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!
    if ((r.key && !widen(span, r.key)) || (r.value && !widen(span, r.value))) return undefined
  }
  if (span.backing === undefined || span.end - span.start > 2 * bytes + 64) return undefined
  return Buffer.from(span.backing, span.start, span.end - span.start)
}

/** Takes `part` into the span of bytes seen so far; false when it lies in other memory. */
function widen(span: { backing: ArrayBufferLike | undefined; start: number; end: number }, part: Uint8Array): boolean {
  if (span.backing === undefined) span.backing = part.buffer
  else if (part.buffer !== span.backing) return false
  if (part.byteOffset < span.start) span.start = part.byteOffset
  if (part.byteOffset + part.length > span.end) span.end = part.byteOffset + part.length
  return true
}

function takeSlab(bytes: number): Buffer {
  if (bytes > SLAB_CHUNK_BYTES >>> 1) {
    slabStart = 0
    return Buffer.allocUnsafeSlow(bytes)
  }
  if (slabUsed + bytes > SLAB_CHUNK_BYTES) {
    slabChunk = Buffer.allocUnsafeSlow(SLAB_CHUNK_BYTES)
    slabUsed = 0
  }
  slabStart = slabUsed
  slabUsed += bytes
  return slabChunk
}

function takeLayout(ints: number): Int32Array {
  if (ints > LAYOUT_CHUNK_INTS >>> 2) {
    layoutStart = 0
    return new Int32Array(ints)
  }
  if (layoutUsed + ints > LAYOUT_CHUNK_INTS) {
    layoutChunk = new Int32Array(LAYOUT_CHUNK_INTS)
    layoutUsed = 0
  }
  layoutStart = layoutUsed
  layoutUsed += ints
  return layoutChunk
}

function headersSize(headers: readonly RecordHeader[] | undefined): number {
  let size = 0
  if (headers) for (const h of headers) size += 2 + Buffer.byteLength(h.key) + (h.value ? h.value.length : 0)
  return size
}

function copyHeader(h: RecordHeader): RecordHeader {
  return { key: h.key, value: h.value === null ? null : Buffer.from(h.value) }
}
