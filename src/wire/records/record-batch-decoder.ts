/**
 * Reads the `records` blob of a Produce request (v3+): one or more v2 record batches (magic 2,
 * Kafka's DefaultRecordBatch), checking each batch's CRC-32C and framing, inflating gzip, and
 * turning every record into the cluster's ProducerRecord with an absolute timestamp.
 *
 * Keys and values are Uint8Array views (header values Buffer views) into the request frame
 * (or into the inflated payload), never copies: the cluster copies what it keeps once, into
 * its batch slab. The frame must therefore stay untouched until the request is handled.
 *
 * Batch layout (offsets from the batch start): baseOffset int64 @0, batchLength int32 @8 (bytes
 * after this field), partitionLeaderEpoch int32 @12, magic int8 @16, crc uint32 @17 (CRC-32C
 * of bytes 21..end), attributes int16 @21, lastOffsetDelta int32 @23, baseTimestamp int64 @27,
 * maxTimestamp int64 @35, producerId int64 @43, producerEpoch int16 @51, baseSequence int32
 * @53, records count int32 @57, records @61. Attributes: bits 0-2 compression, bit 3
 * timestamp type, bit 4 transactional, bit 5 control, bit 6 delete horizon (KIP-534).
 */
import type { ProducerRecord, RecordHeader, TimestampTypeValue } from '../../cluster/log/record-batch.js'
import { Reader } from '../protocol/reader.js'
import { WireDecodeError } from '../protocol/wire-decode-error.js'
import { decompress } from './compression.js'
import { crc32c } from './crc32c.js'
import { CorruptRecordError, InvalidRecordError } from './records-error.js'

export const RECORD_BATCH_MAGIC = 2
/** Bytes before the records: the v2 batch header. */
export const RECORD_BATCH_HEADER_BYTES = 61
/** The header bytes counted by batchLength (everything after baseOffset and batchLength). */
const MIN_BATCH_LENGTH = RECORD_BATCH_HEADER_BYTES - 12
/** The fewest bytes a record takes: a length varint and six one-byte fields. */
const MIN_RECORD_BYTES = 7

export interface DecodedRecordBatch {
  readonly baseOffset: number
  readonly partitionLeaderEpoch: number
  readonly magic: number
  readonly crc: number
  readonly attributes: number
  /** Bits 0-2: 0 none, 1 gzip (2 snappy, 3 lz4, 4 zstd are refused). */
  readonly compression: number
  readonly timestampType: TimestampTypeValue
  readonly isTransactional: boolean
  readonly isControl: boolean
  readonly hasDeleteHorizon: boolean
  readonly lastOffsetDelta: number
  readonly baseTimestamp: number
  readonly maxTimestamp: number
  readonly producerId: number
  readonly producerEpoch: number
  readonly baseSequence: number
  /** The record count the header declares (always records.length once decoded). */
  readonly count: number
  /** Bytes the batch takes in the blob (12 + batchLength). */
  readonly sizeInBytes: number
  readonly records: ProducerRecord[]
  /**
   * True when every record's offsetDelta is its index (0, 1, 2, ...), as every producer writes
   * them: only then do the batch's own bytes, served again, carry the offsets the broker assigned.
   */
  readonly offsetDeltasInOrder: boolean
}

/** The magic byte of the first batch or message in a records blob (offset 16 in both formats). */
export function peekMagic(blob: Buffer): number | undefined {
  return blob.length > 16 ? blob.readInt8(16) : undefined
}

/**
 * Decodes every v2 batch in `blob`. Throws CorruptRecordError (bad framing or CRC),
 * InvalidRecordError (malformed records, count mismatch, a truncated batch, another magic) or
 * UnsupportedCompressionError.
 */
export function decodeRecordBatches(blob: Buffer): DecodedRecordBatch[] {
  const batches: DecodedRecordBatch[] = []
  let offset = 0
  while (offset < blob.length) {
    const batch = decodeRecordBatchAt(blob, offset)
    batches.push(batch)
    offset += batch.sizeInBytes
  }
  return batches
}

/** Decodes the one v2 batch that starts at `offset` of `blob`. */
export function decodeRecordBatchAt(blob: Buffer, offset: number): DecodedRecordBatch {
  const available = blob.length - offset
  if (available < RECORD_BATCH_HEADER_BYTES) throw new InvalidRecordError(`truncated record batch: ${available} bytes, a header takes ${RECORD_BATCH_HEADER_BYTES}`)
  const batchLength = blob.readInt32BE(offset + 8)
  if (batchLength < MIN_BATCH_LENGTH) throw new CorruptRecordError(`record batch length ${batchLength} is below the minimum ${MIN_BATCH_LENGTH}`)
  const sizeInBytes = batchLength + 12
  if (sizeInBytes > available) throw new InvalidRecordError(`truncated record batch: declares ${sizeInBytes} bytes, ${available} present`)
  const end = offset + sizeInBytes
  const magic = blob.readInt8(offset + 16)
  if (magic !== RECORD_BATCH_MAGIC) throw new InvalidRecordError(`record batch magic ${magic}, expected ${RECORD_BATCH_MAGIC}`)
  const crc = blob.readUInt32BE(offset + 17)
  const computed = crc32c(blob, offset + 21, end)
  if (crc !== computed) throw new CorruptRecordError(`record batch CRC mismatch: stored ${crc}, computed ${computed}`)
  const attributes = blob.readInt16BE(offset + 21)
  const compression = attributes & 0x07
  const baseTimestamp = readInt64(blob, offset + 27)
  const count = blob.readInt32BE(offset + 57)
  if (count < 0) throw new InvalidRecordError(`record batch count ${count}`)
  const payload = decompress(compression, blob.subarray(offset + RECORD_BATCH_HEADER_BYTES, end))
  const { records, offsetDeltasInOrder } = decodeRecords(payload, count, baseTimestamp)
  return {
    baseOffset: readInt64(blob, offset),
    partitionLeaderEpoch: blob.readInt32BE(offset + 12),
    magic,
    crc,
    attributes,
    compression,
    timestampType: (attributes & 0x08 ? 1 : 0) as TimestampTypeValue,
    isTransactional: (attributes & 0x10) !== 0,
    isControl: (attributes & 0x20) !== 0,
    hasDeleteHorizon: (attributes & 0x40) !== 0,
    lastOffsetDelta: blob.readInt32BE(offset + 23),
    baseTimestamp,
    maxTimestamp: readInt64(blob, offset + 35),
    producerId: readInt64(blob, offset + 43),
    producerEpoch: blob.readInt16BE(offset + 51),
    baseSequence: blob.readInt32BE(offset + 53),
    count,
    sizeInBytes,
    records,
    offsetDeltasInOrder,
  }
}

function readInt64(b: Buffer, at: number): number {
  return b.readInt32BE(at) * 4294967296 + b.readUInt32BE(at + 4)
}

/** Reads exactly `count` records filling all of `payload` (Kafka's DefaultRecord.readFrom). */
function decodeRecords(payload: Buffer, count: number, baseTimestamp: number): { records: ProducerRecord[]; offsetDeltasInOrder: boolean } {
  const r = new Reader(payload)
  if (count * MIN_RECORD_BYTES > payload.length) throw new InvalidRecordError(`record batch declares ${count} records in ${payload.length} bytes`)
  const records = new Array<ProducerRecord>(count)
  // Keys and values as plain Uint8Array views: constructing one costs well under half of a
  // Buffer.subarray, and ProducerRecord asks for nothing more.
  const memory = payload.buffer
  const base = payload.byteOffset
  let offsetDeltasInOrder = true
  try {
    for (let i = 0; i < count; i++) {
      const length = r.varint()
      if (length < MIN_RECORD_BYTES - 1 || length > r.end - r.offset) throw new InvalidRecordError(`record ${i} of ${length} bytes with ${r.end - r.offset} left`)
      const stop = r.offset + length
      const outerEnd = r.end
      r.end = stop
      r.offset += 1 // attributes: unused by v2 records
      const timestamp = baseTimestamp + r.varlong()
      // offsetDelta: the broker assigns offsets itself; noted only to know whether these bytes
      // can be served again as they are.
      if (r.varint() !== i) offsetDeltasInOrder = false
      const keyLength = r.varint()
      let key: Uint8Array | null = null
      if (keyLength !== -1) {
        if (keyLength < 0 || keyLength > r.end - r.offset) throw new InvalidRecordError(`record ${i}: key of ${keyLength} bytes with ${r.end - r.offset} left`)
        key = new Uint8Array(memory, base + r.offset, keyLength)
        r.offset += keyLength
      }
      const valueLength = r.varint()
      let value: Uint8Array | null = null
      if (valueLength !== -1) {
        if (valueLength < 0 || valueLength > r.end - r.offset) throw new InvalidRecordError(`record ${i}: value of ${valueLength} bytes with ${r.end - r.offset} left`)
        value = new Uint8Array(memory, base + r.offset, valueLength)
        r.offset += valueLength
      }
      const headerCount = r.varint()
      let headers: RecordHeader[] | undefined
      if (headerCount !== 0) {
        if (headerCount < 0) throw new InvalidRecordError(`record ${i} has ${headerCount} headers`)
        r.checkCount(headerCount, 2)
        headers = new Array<RecordHeader>(headerCount)
        for (let h = 0; h < headerCount; h++) {
          const headerKeyLength = r.varint()
          if (headerKeyLength < 0) throw new InvalidRecordError(`record ${i} has a header with a null key`)
          const headerKey = r.view(headerKeyLength, 'header key').toString('utf8')
          const headerValueLength = r.varint()
          const headerValue = headerValueLength === -1 ? null : r.view(headerValueLength, 'header value')
          headers[h] = { key: headerKey, value: headerValue }
        }
      }
      if (r.offset !== stop) throw new InvalidRecordError(`record ${i}: expected ${length} bytes, read ${length - (stop - r.offset)}`)
      r.end = outerEnd
      records[i] = { key, value, headers, timestamp }
    }
  } catch (error) {
    if (error instanceof WireDecodeError) throw new InvalidRecordError(`malformed record: ${error.message}`)
    throw error
  }
  if (r.offset !== payload.length) throw new InvalidRecordError(`incorrect declared batch size: ${payload.length - r.offset} bytes left after ${count} records`)
  return { records, offsetDeltasInOrder }
}
