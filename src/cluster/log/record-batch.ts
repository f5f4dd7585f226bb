/**
 * Record batches: the unit a partition log stores and a fetch returns (Kafka's RecordBatch,
 * magic v2). A batch is immutable once appended; followers and fetch responses share the
 * leader's batch objects, so replication and reads cost no copy.
 *
 * Record data lives in one slab per batch: the producer's keys and values are copied once into
 * a single Buffer, and each record is a few integers into it, which keeps a retained 100-byte
 * message close to its own size in memory.
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

export class RecordBatch {
  readonly baseOffset: number
  /** Records in the batch. After compaction this can be fewer than lastOffset - baseOffset + 1. */
  readonly count: number
  readonly lastOffset: number
  readonly partitionLeaderEpoch: number
  readonly timestampType: TimestampTypeValue
  readonly firstTimestamp: number
  readonly maxTimestamp: number
  readonly producerId: number
  readonly producerEpoch: number
  readonly baseSequence: number
  readonly isTransactional: boolean
  /** A control batch holds a transaction marker (COMMIT or ABORT), never returned to users. */
  readonly isControl: boolean
  /** Bytes the batch would take on the wire, as Kafka sizes it. */
  readonly sizeInBytes: number
  /** When the broker appended it (drives segment.ms and retention.ms). */
  readonly appendTime: number

  private readonly slab: Buffer
  /** Per record: keyStart, keyLength, valueStart, valueLength (-1 length = null). */
  private readonly layout: Int32Array
  /** Per-record timestamps; undefined when every record shares firstTimestamp. */
  private readonly timestamps: Float64Array | undefined
  /** Per-record offset deltas; undefined when offsets are dense (no compaction yet). */
  private readonly offsetDeltas: Int32Array | undefined
  private readonly headers: (readonly RecordHeader[] | undefined)[] | undefined

  private constructor(init: {
    baseOffset: number
    count: number
    lastOffset: number
    partitionLeaderEpoch: number
    timestampType: TimestampTypeValue
    firstTimestamp: number
    maxTimestamp: number
    producer: BatchProducerInfo | undefined
    isControl: boolean
    sizeInBytes: number
    appendTime: number
    slab: Buffer
    layout: Int32Array
    timestamps: Float64Array | undefined
    offsetDeltas: Int32Array | undefined
    headers: (readonly RecordHeader[] | undefined)[] | undefined
  }) {
    this.baseOffset = init.baseOffset
    this.count = init.count
    this.lastOffset = init.lastOffset
    this.partitionLeaderEpoch = init.partitionLeaderEpoch
    this.timestampType = init.timestampType
    this.firstTimestamp = init.firstTimestamp
    this.maxTimestamp = init.maxTimestamp
    this.producerId = init.producer?.producerId ?? NO_PRODUCER_ID
    this.producerEpoch = init.producer?.producerEpoch ?? NO_PRODUCER_EPOCH
    this.baseSequence = init.producer?.baseSequence ?? NO_SEQUENCE
    this.isTransactional = init.producer?.isTransactional ?? false
    this.isControl = init.isControl
    this.sizeInBytes = init.sizeInBytes
    this.appendTime = init.appendTime
    this.slab = init.slab
    this.layout = init.layout
    this.timestamps = init.timestamps
    this.offsetDeltas = init.offsetDeltas
    this.headers = init.headers
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
  }): RecordBatch {
    const { records, now } = options
    const count = records.length
    let bytes = 0
    let headersSeen = false
    for (let i = 0; i < count; i++) {
      const r = records[i]!
      if (r.key) bytes += r.key.length
      if (r.value) bytes += r.value.length
      if (r.headers && r.headers.length > 0) headersSeen = true
    }
    const slab = Buffer.allocUnsafe(bytes)
    const layout = new Int32Array(count * 4)
    let timestamps: Float64Array | undefined
    const headers = headersSeen ? new Array<readonly RecordHeader[] | undefined>(count) : undefined
    const logAppend = options.timestampType === TimestampType.LogAppendTime
    const first = logAppend ? now : (records[0]?.timestamp ?? now)
    let maxTimestamp = first
    let position = 0
    let size = BATCH_HEADER_BYTES
    for (let i = 0; i < count; i++) {
      const r = records[i]!
      const base = i * 4
      if (r.key) {
        layout[base] = position
        layout[base + 1] = r.key.length
        slab.set(r.key, position)
        position += r.key.length
      } else {
        layout[base + 1] = -1
      }
      if (r.value) {
        layout[base + 2] = position
        layout[base + 3] = r.value.length
        slab.set(r.value, position)
        position += r.value.length
      } else {
        layout[base + 3] = -1
      }
      const ts = logAppend ? now : (r.timestamp ?? now)
      if (ts !== first && !timestamps) {
        timestamps = new Float64Array(count).fill(first)
      }
      if (timestamps) timestamps[i] = ts
      if (ts > maxTimestamp) maxTimestamp = ts
      let recordSize = RECORD_OVERHEAD_BYTES + (r.key ? r.key.length : 0) + (r.value ? r.value.length : 0)
      if (headers) {
        headers[i] = r.headers && r.headers.length > 0 ? r.headers.map(copyHeader) : undefined
        recordSize += headersSize(r.headers)
      }
      size += recordSize
    }
    return new RecordBatch({
      baseOffset: options.baseOffset,
      count,
      lastOffset: options.baseOffset + count - 1,
      partitionLeaderEpoch: options.partitionLeaderEpoch,
      timestampType: options.timestampType,
      firstTimestamp: first,
      maxTimestamp,
      producer: options.producer,
      isControl: options.isControl ?? false,
      sizeInBytes: size,
      appendTime: now,
      slab,
      layout,
      timestamps,
      offsetDeltas: undefined,
      headers,
    })
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
    return this.offsetDeltas ? this.baseOffset + this.offsetDeltas[index]! : this.baseOffset + index
  }

  timestampAt(index: number): number {
    return this.timestamps ? this.timestamps[index]! : this.firstTimestamp
  }

  keyAt(index: number): Buffer | null {
    const length = this.layout[index * 4 + 1]!
    if (length < 0) return null
    const start = this.layout[index * 4]!
    return this.slab.subarray(start, start + length)
  }

  valueAt(index: number): Buffer | null {
    const length = this.layout[index * 4 + 3]!
    if (length < 0) return null
    const start = this.layout[index * 4 + 2]!
    return this.slab.subarray(start, start + length)
  }

  hasKeyAt(index: number): boolean {
    return this.layout[index * 4 + 1]! >= 0
  }

  headersAt(index: number): readonly RecordHeader[] | undefined {
    return this.headers ? this.headers[index] : undefined
  }

  /** Index of the first record whose offset is >= `offset` (count when none). */
  indexOfOffset(offset: number): number {
    if (offset <= this.baseOffset) return 0
    if (!this.offsetDeltas) return Math.min(this.count, offset - this.baseOffset)
    let lo = 0
    let hi = this.count
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (this.baseOffset + this.offsetDeltas[mid]! < offset) lo = mid + 1
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

  /**
   * A copy of this batch keeping only the records whose index passes `keep` (log compaction).
   * Offsets, timestamps and the batch's producer fields are kept, so offsets never change.
   */
  retain(keep: (index: number) => boolean): RecordBatch {
    const kept: number[] = []
    for (let i = 0; i < this.count; i++) if (keep(i)) kept.push(i)
    let bytes = 0
    for (const i of kept) {
      bytes += Math.max(0, this.layout[i * 4 + 1]!) + Math.max(0, this.layout[i * 4 + 3]!)
    }
    const slab = Buffer.allocUnsafe(bytes)
    const layout = new Int32Array(kept.length * 4)
    const offsetDeltas = new Int32Array(kept.length)
    const timestamps = new Float64Array(kept.length)
    const headers = this.headers ? new Array<readonly RecordHeader[] | undefined>(kept.length) : undefined
    let position = 0
    let size = BATCH_HEADER_BYTES
    kept.forEach((i, j) => {
      for (const [lenAt, startAt] of [
        [1, 0],
        [3, 2],
      ] as const) {
        const length = this.layout[i * 4 + lenAt]!
        layout[j * 4 + lenAt] = length
        if (length >= 0) {
          const start = this.layout[i * 4 + startAt]!
          this.slab.copy(slab, position, start, start + length)
          layout[j * 4 + startAt] = position
          position += length
          size += length
        }
      }
      size += RECORD_OVERHEAD_BYTES
      offsetDeltas[j] = this.offsetAt(i) - this.baseOffset
      timestamps[j] = this.timestampAt(i)
      if (headers) {
        headers[j] = this.headers![i]
        // Headers count towards the size as they do in fromRecords and sizeOf.
        size += headersSize(headers[j])
      }
    })
    return new RecordBatch({
      baseOffset: this.baseOffset,
      count: kept.length,
      lastOffset: this.lastOffset,
      partitionLeaderEpoch: this.partitionLeaderEpoch,
      timestampType: this.timestampType,
      firstTimestamp: this.firstTimestamp,
      maxTimestamp: this.maxTimestamp,
      producer: {
        producerId: this.producerId,
        producerEpoch: this.producerEpoch,
        baseSequence: this.baseSequence,
        isTransactional: this.isTransactional,
      },
      isControl: this.isControl,
      sizeInBytes: size,
      appendTime: this.appendTime,
      slab,
      layout,
      timestamps,
      offsetDeltas,
      headers,
    })
  }
}

function headersSize(headers: readonly RecordHeader[] | undefined): number {
  let size = 0
  if (headers) for (const h of headers) size += 2 + Buffer.byteLength(h.key) + (h.value ? h.value.length : 0)
  return size
}

function copyHeader(h: RecordHeader): RecordHeader {
  return { key: h.key, value: h.value === null ? null : Buffer.from(h.value) }
}
