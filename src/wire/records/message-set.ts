/**
 * Legacy message sets (magic 0 and 1, before KIP-98's record batches): what Produce v0-2 carry
 * (kafka-go 0.2.1, sarama at its default Version) and what Fetch v0-3 must return
 * (down-conversion: kafka-go 0.2.1 reads nothing else).
 *
 * A message set is a sequence of: offset int64, message size int32, then the message: crc
 * uint32 (CRC-32 of the rest of the message), magic int8, attributes int8 (bits 0-2
 * compression; bit 3 timestamp type, magic 1 only), timestamp int64 (magic 1 only), key bytes
 * (int32 length, -1 null), value bytes. A compressed message is a wrapper whose value is a
 * compressed inner message set (Kafka's AbstractLegacyRecordBatch).
 */
import { TimestampType, type ProducerRecord, type RecordBatch, type TimestampTypeValue } from '../../cluster/log/record-batch.js'
import { decompress } from './compression.js'
import { crc32 } from './crc32.js'
import { CorruptRecordError, InvalidRecordError } from './records-error.js'

/** offset + size. */
const LOG_OVERHEAD = 12
/** crc, magic, attributes, key length, value length. */
const MIN_MESSAGE_V0 = 14
const MIN_MESSAGE_V1 = 22

export interface DecodedMessageSet {
  /** The magic of the first message (every message of a well-formed set shares it). */
  readonly magic: number
  /** Compression of the first message (0 none, 1 gzip). */
  readonly compression: number
  readonly timestampType: TimestampTypeValue
  /**
   * The records in order. Magic 1 records carry their timestamp (a LogAppendTime wrapper's
   * timestamp for the messages inside it); magic 0 has none, so `timestamp` is undefined and
   * the Produce mapping decides (Kafka stores NO_TIMESTAMP, -1, for up-converted magic 0).
   */
  readonly records: ProducerRecord[]
}

/**
 * Decodes a legacy message set from a Produce request, checking every message's CRC-32 and
 * inflating gzip wrappers. Throws CorruptRecordError, InvalidRecordError or
 * UnsupportedCompressionError.
 */
export function decodeMessageSet(blob: Buffer): DecodedMessageSet {
  const records: ProducerRecord[] = []
  const first = { magic: -1, compression: 0, timestampType: TimestampType.CreateTime as TimestampTypeValue }
  readSet(blob, records, first, false, -1)
  if (first.magic < 0) throw new InvalidRecordError('empty message set')
  return { magic: first.magic, compression: first.compression, timestampType: first.timestampType, records }
}

function readSet(
  blob: Buffer,
  records: ProducerRecord[],
  first: { magic: number; compression: number; timestampType: TimestampTypeValue },
  inner: boolean,
  wrapperLogAppendTime: number,
): void {
  let offset = 0
  while (offset < blob.length) {
    const available = blob.length - offset
    if (available < LOG_OVERHEAD) throw new CorruptRecordError(`truncated message set: ${available} trailing bytes`)
    const size = blob.readInt32BE(offset + 8)
    if (size < MIN_MESSAGE_V0) throw new CorruptRecordError(`message size ${size} is below the minimum ${MIN_MESSAGE_V0}`)
    if (size > available - LOG_OVERHEAD) throw new CorruptRecordError(`truncated message: declares ${size} bytes, ${available - LOG_OVERHEAD} present`)
    const start = offset + LOG_OVERHEAD
    const end = start + size
    const crc = blob.readUInt32BE(start)
    const computed = crc32(blob, start + 4, end)
    if (crc !== computed) throw new CorruptRecordError(`message CRC mismatch: stored ${crc}, computed ${computed}`)
    const magic = blob.readInt8(start + 4)
    if (magic !== 0 && magic !== 1) throw new CorruptRecordError(`message magic ${magic} in a legacy message set`)
    if (magic === 1 && size < MIN_MESSAGE_V1) throw new CorruptRecordError(`message size ${size} is below the minimum ${MIN_MESSAGE_V1}`)
    const attributes = blob.readInt8(start + 5)
    const compression = attributes & 0x07
    const logAppendTime = magic === 1 && (attributes & 0x08) !== 0
    let p = start + 6
    let timestamp: number | undefined
    if (magic === 1) {
      timestamp = blob.readInt32BE(p) * 4294967296 + blob.readUInt32BE(p + 4)
      p += 8
    }
    const key = readBytes(blob, p, end)
    p += 4 + (key ? key.length : 0)
    const value = readBytes(blob, p, end)
    p += 4 + (value ? value.length : 0)
    if (p !== end) throw new CorruptRecordError(`message of ${size} bytes holds ${p - start}`)
    if (first.magic < 0) {
      first.magic = magic
      first.compression = compression
      first.timestampType = (logAppendTime ? TimestampType.LogAppendTime : TimestampType.CreateTime) as TimestampTypeValue
    }
    if (compression === 0) {
      if (wrapperLogAppendTime >= 0) timestamp = wrapperLogAppendTime
      records.push({ key, value, headers: undefined, timestamp })
    } else {
      if (inner) throw new InvalidRecordError('a compressed message inside a compressed message')
      if (value === null) throw new InvalidRecordError('a compressed message with a null value')
      readSet(decompress(compression, value), records, first, true, logAppendTime && timestamp !== undefined ? timestamp : -1)
    }
    offset = end
  }
}

function readBytes(blob: Buffer, p: number, end: number): Buffer | null {
  if (p + 4 > end) throw new CorruptRecordError('truncated message field')
  const length = blob.readInt32BE(p)
  if (length === -1) return null
  if (length < 0 || p + 4 + length > end) throw new CorruptRecordError(`message field of ${length} bytes overruns its message`)
  return blob.subarray(p + 4, p + 4 + length)
}

const caches = [new WeakMap<RecordBatch, Buffer>(), new WeakMap<RecordBatch, Buffer>()]

/**
 * A stored batch down-converted to a message set of magic 0 or 1 for Fetch v0-3, uncompressed
 * (cached per batch). Each record keeps its absolute offset; magic 1 keeps its timestamp and
 * the batch's timestamp type; headers are dropped; a control batch yields no messages, as
 * Kafka's down-conversion skips control batches.
 */
export function encodeMessageSet(batch: RecordBatch, magic: 0 | 1): Buffer {
  const cache = caches[magic]!
  let encoded = cache.get(batch)
  if (!encoded) {
    encoded = encode(batch, magic)
    cache.set(batch, encoded)
  }
  return encoded
}

function encode(batch: RecordBatch, magic: 0 | 1): Buffer {
  if (batch.isControl) return Buffer.alloc(0)
  const count = batch.count
  const fixed = LOG_OVERHEAD + (magic === 1 ? MIN_MESSAGE_V1 : MIN_MESSAGE_V0)
  let total = 0
  for (let i = 0; i < count; i++) {
    const key = batch.keyAt(i)
    const value = batch.valueAt(i)
    total += fixed + (key ? key.length : 0) + (value ? value.length : 0)
  }
  const b = Buffer.allocUnsafe(total)
  const attributes = magic === 1 && batch.timestampType === TimestampType.LogAppendTime ? 0x08 : 0
  let p = 0
  for (let i = 0; i < count; i++) {
    const key = batch.keyAt(i)
    const value = batch.valueAt(i)
    const offset = batch.offsetAt(i)
    const hi = Math.floor(offset / 4294967296)
    b.writeInt32BE(hi, p)
    b.writeUInt32BE(offset - hi * 4294967296, p + 4)
    const size = fixed - LOG_OVERHEAD + (key ? key.length : 0) + (value ? value.length : 0)
    b.writeInt32BE(size, p + 8)
    const start = p + LOG_OVERHEAD
    let q = start + 4
    b.writeInt8(magic, q++)
    b.writeInt8(attributes, q++)
    if (magic === 1) {
      const ts = batch.timestampAt(i)
      const tsHi = Math.floor(ts / 4294967296)
      b.writeInt32BE(tsHi, q)
      b.writeUInt32BE(ts - tsHi * 4294967296, q + 4)
      q += 8
    }
    q = writeBytes(b, q, key)
    q = writeBytes(b, q, value)
    b.writeUInt32BE(crc32(b, start + 4, q), start)
    p = q
  }
  return b
}

function writeBytes(b: Buffer, p: number, bytes: Buffer | null): number {
  if (bytes === null) {
    b.writeInt32BE(-1, p)
    return p + 4
  }
  b.writeInt32BE(bytes.length, p)
  bytes.copy(b, p + 4)
  return p + 4 + bytes.length
}
