/**
 * A produced batch's own bytes, served again by Fetch.
 *
 * Kafka stores the batch a producer sent and serves those bytes: for an uncompressed v2 batch
 * with CreateTime its LogValidator only writes the base offset it assigned (and the leader
 * writes its partition leader epoch), two fields the CRC does not cover (the CRC runs from the
 * attributes to the end), so the batch keeps its CRC and every record byte as the producer
 * wrote them. memkafka's cluster keeps records in its own form (one slab per batch,
 * src/cluster/log/record-batch.ts); the wire layer keeps the producer's bytes beside the stored
 * batch (record-batch-encoder.ts's per-batch cache), patched the same way, so a fetch serves
 * them instead of encoding the batch anew.
 *
 * Only when those bytes are exactly what Kafka would serve: one uncompressed v2 batch, no
 * control or delete-horizon bits, CreateTime (LogAppendTime makes Kafka rewrite the timestamps
 * and the CRC), the header's max timestamp right (else Kafka rewrites it), offset deltas 0..n-1
 * (the offsets the broker assigned), and the batch the leader stored at the answered base offset
 * being this one: appended by this request (not an idempotent duplicate of an earlier one),
 * with the same count, producer fields and first and last records. Anything else is encoded
 * from the stored batch as before.
 */
import { NO_DELETE_HORIZON, TimestampType, type RecordBatch } from '../../cluster/log/record-batch.js'
import type { DecodedRecordBatch } from './record-batch-decoder.js'
import { keepEncoding, writeInt64 } from './record-batch-encoder.js'

/** A produced partition's single batch, as decoded, with the bytes it came in. */
export interface ProducedBatch {
  readonly bytes: Buffer
  readonly decoded: DecodedRecordBatch
  /** The partition's log end offset before the produce: the batch must be appended at or past it. */
  readonly logEndOffsetBefore: number
}

/** Whether a decoded batch's bytes could be served as Kafka stores them (before it is appended). */
export function servableAsProduced(decoded: DecodedRecordBatch, bytes: Buffer): boolean {
  return (
    decoded.sizeInBytes === bytes.length &&
    decoded.compression === 0 &&
    decoded.timestampType === TimestampType.CreateTime &&
    !decoded.isControl &&
    !decoded.hasDeleteHorizon &&
    decoded.count > 0 &&
    decoded.lastOffsetDelta === decoded.count - 1 &&
    decoded.offsetDeltasInOrder &&
    decoded.maxTimestamp === maxTimestampOf(decoded)
  )
}

function maxTimestampOf(decoded: DecodedRecordBatch): number {
  let max = -Infinity
  for (const r of decoded.records) if (r.timestamp! > max) max = r.timestamp!
  return max
}

/**
 * Keeps the produced bytes as `stored`'s encoding when `stored` is the batch they became
 * (see above); returns whether it did. Call it once the request is handled: the bytes are
 * patched in place when they fill most of the memory they lie in (a large request frame,
 * allocated for that request alone, which nothing reads once the request is answered), and
 * copied out of anything larger (a socket chunk holding other frames) so that a kept batch
 * never holds much more memory than its own size.
 */
export function keepProducedBytes(stored: RecordBatch, produced: ProducedBatch): boolean {
  const d = produced.decoded
  if (
    stored.baseOffset < produced.logEndOffsetBefore ||
    stored.count !== d.count ||
    stored.lastOffset - stored.baseOffset !== d.lastOffsetDelta ||
    stored.timestampType !== TimestampType.CreateTime ||
    stored.maxTimestamp !== d.maxTimestamp ||
    stored.producerId !== d.producerId ||
    stored.producerEpoch !== d.producerEpoch ||
    stored.baseSequence !== d.baseSequence ||
    stored.isTransactional !== d.isTransactional ||
    stored.isControl ||
    stored.deleteHorizonMs !== NO_DELETE_HORIZON ||
    !sameRecord(stored, 0, d) ||
    !sameRecord(stored, d.count - 1, d)
  ) {
    return false
  }
  const sent = produced.bytes
  let bytes = sent
  if (sent.buffer.byteLength > 2 * sent.length) {
    bytes = Buffer.allocUnsafeSlow(sent.length)
    sent.copy(bytes)
  }
  writeInt64(bytes, 0, stored.baseOffset)
  bytes.writeInt32BE(stored.partitionLeaderEpoch, 12)
  keepEncoding(stored, bytes)
  return true
}

function sameRecord(stored: RecordBatch, index: number, d: DecodedRecordBatch): boolean {
  const r = d.records[index]!
  return (
    stored.offsetAt(index) === stored.baseOffset + index &&
    stored.timestampAt(index) === r.timestamp &&
    sameBytes(stored.keyAt(index), r.key) &&
    sameBytes(stored.valueAt(index), r.value) &&
    (stored.headersAt(index)?.length ?? 0) === (r.headers?.length ?? 0)
  )
}

function sameBytes(a: Buffer | null, b: Uint8Array | null): boolean {
  if (a === null || b === null) return a === b
  return a.equals(b)
}
