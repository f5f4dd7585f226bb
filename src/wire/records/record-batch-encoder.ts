/**
 * Writes a stored batch (the cluster's RecordBatch) as a v2 record batch for Fetch responses,
 * uncompressed, with the fields Kafka writes: the batch's partition leader epoch, producer id,
 * epoch and base sequence, its transactional and control flags, its timestamp type and max
 * timestamp, lastOffsetDelta from its last offset (compaction can leave gaps, so each record's
 * offsetDelta is its own offset minus the base offset), and the KIP-534 delete horizon: when a
 * cleaner pass stamped one, attribute bit 6 is set and the baseTimestamp field holds the
 * horizon, record timestamps being deltas from it (Kafka's DefaultRecordBatch).
 *
 * Batches are immutable and fetched again and again, so each encoding is cached per batch
 * object (a WeakMap: it goes when the batch does). A batch a wire producer sent is not encoded
 * at all: the bytes it arrived in, with the offsets the broker assigned, are kept for it
 * (produced-batch-bytes.ts), and served as Kafka serves what it stored.
 */
import { NO_DELETE_HORIZON, TimestampType, type RecordBatch, type RecordHeader } from '../../cluster/log/record-batch.js'
import { sizeOfVarlong, writeVarlongAt as writeVarlong } from '../protocol/writer.js'
import { crc32c } from './crc32c.js'
import { RECORD_BATCH_HEADER_BYTES, RECORD_BATCH_MAGIC } from './record-batch-decoder.js'

const cache = new WeakMap<RecordBatch, Buffer>()

/** The v2 encoding of `batch` (cached; callers must not modify the returned Buffer). */
export function encodeRecordBatch(batch: RecordBatch): Buffer {
  let encoded = cache.get(batch)
  if (!encoded) {
    encoded = encode(batch)
    cache.set(batch, encoded)
  }
  return encoded
}

/**
 * Records `bytes` as the v2 encoding of `batch`, unless it has one already. The caller vouches
 * that they are the batch's exact contents (produced-batch-bytes.ts); they must not change later.
 */
export function keepEncoding(batch: RecordBatch, bytes: Buffer): void {
  if (!cache.has(batch)) cache.set(batch, bytes)
}

export function writeInt64(b: Buffer, p: number, v: number): void {
  const hi = Math.floor(v / 4294967296)
  b.writeInt32BE(hi, p)
  b.writeUInt32BE(v - hi * 4294967296, p + 4)
}

function encode(batch: RecordBatch): Buffer {
  const count = batch.count
  const base = batch.baseOffset
  const hasHorizon = batch.deleteHorizonMs !== NO_DELETE_HORIZON
  const baseTimestamp = hasHorizon ? batch.deleteHorizonMs : batch.firstTimestamp
  const keys = new Array<Buffer | null>(count)
  const values = new Array<Buffer | null>(count)
  const bodySizes = new Int32Array(count)
  let total = RECORD_BATCH_HEADER_BYTES
  for (let i = 0; i < count; i++) {
    const key = batch.keyAt(i)
    const value = batch.valueAt(i)
    keys[i] = key
    values[i] = value
    let size =
      1 +
      sizeOfVarlong(batch.timestampAt(i) - baseTimestamp) +
      sizeOfVarlong(batch.offsetAt(i) - base) +
      (key ? sizeOfVarlong(key.length) + key.length : 1) +
      (value ? sizeOfVarlong(value.length) + value.length : 1)
    const headers = batch.headersAt(i)
    size += sizeOfVarlong(headers ? headers.length : 0)
    if (headers) size += headersSize(headers)
    bodySizes[i] = size
    total += sizeOfVarlong(size) + size
  }

  const b = Buffer.allocUnsafe(total)
  writeInt64(b, 0, base)
  b.writeInt32BE(total - 12, 8)
  b.writeInt32BE(batch.partitionLeaderEpoch, 12)
  b.writeInt8(RECORD_BATCH_MAGIC, 16)
  let attributes = 0
  if (batch.timestampType === TimestampType.LogAppendTime) attributes |= 0x08
  if (batch.isTransactional) attributes |= 0x10
  if (batch.isControl) attributes |= 0x20
  if (hasHorizon) attributes |= 0x40
  b.writeInt16BE(attributes, 21)
  b.writeInt32BE(batch.lastOffset - base, 23)
  writeInt64(b, 27, baseTimestamp)
  writeInt64(b, 35, batch.maxTimestamp)
  writeInt64(b, 43, batch.producerId)
  b.writeInt16BE(batch.producerEpoch, 51)
  b.writeInt32BE(batch.baseSequence, 53)
  b.writeInt32BE(count, 57)

  let p = RECORD_BATCH_HEADER_BYTES
  for (let i = 0; i < count; i++) {
    p = writeVarlong(b, p, bodySizes[i]!)
    b[p++] = 0 // record attributes: unused
    p = writeVarlong(b, p, batch.timestampAt(i) - baseTimestamp)
    p = writeVarlong(b, p, batch.offsetAt(i) - base)
    const key = keys[i]
    if (key) {
      p = writeVarlong(b, p, key.length)
      b.set(key, p)
      p += key.length
    } else {
      b[p++] = 1 // zigzag(-1)
    }
    const value = values[i]
    if (value) {
      p = writeVarlong(b, p, value.length)
      b.set(value, p)
      p += value.length
    } else {
      b[p++] = 1
    }
    const headers = batch.headersAt(i)
    if (!headers) {
      b[p++] = 0
    } else {
      p = writeVarlong(b, p, headers.length)
      for (const h of headers) {
        const keyLength = Buffer.byteLength(h.key, 'utf8')
        p = writeVarlong(b, p, keyLength)
        p += b.write(h.key, p, keyLength, 'utf8')
        if (h.value === null) {
          b[p++] = 1
        } else {
          p = writeVarlong(b, p, h.value.length)
          h.value.copy(b, p)
          p += h.value.length
        }
      }
    }
  }
  b.writeUInt32BE(crc32c(b, 21, total), 17)
  return b
}

function headersSize(headers: readonly RecordHeader[]): number {
  let size = 0
  for (const h of headers) {
    const keyLength = Buffer.byteLength(h.key, 'utf8')
    size += sizeOfVarlong(keyLength) + keyLength
    size += h.value === null ? 1 : sizeOfVarlong(h.value.length) + h.value.length
  }
  return size
}
