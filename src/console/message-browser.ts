/**
 * The message browser: a partition read from an offset or a time, as a consumer would read it
 * (ListOffsets for a time, then Fetch from the leader, read_uncommitted up to the high
 * watermark), but showing what a consumer never sees: transaction markers as what they are,
 * and each transactional record as committed, aborted or still open.
 *
 * Whether a transactional batch was aborted is decided the way Kafka's consumer decides it for
 * read_committed (Fetcher's aborted-transaction filtering): by the marker its producer writes
 * next on the partition. The browser keeps reading past the page shown until every batch on it
 * has met its marker, or the high watermark is reached (the transaction is then still open).
 */
import { IsolationLevel, OffsetSpec } from '../cluster/api/messages.js'
import { controlTypeOf } from '../cluster/log/control-record.js'
import type { RecordBatch } from '../cluster/log/record-batch.js'
import { kafkaRefused } from './console-error.js'
import { leaderOf, listOffset, send, type ConsoleCluster } from './cluster-requests.js'
import { optionalInteger, requiredInteger, requiredString, type Fields } from './request-fields.js'

export interface BrowsedRecord {
  readonly offset: number
  readonly timestamp: number
  readonly leaderEpoch: number
  /** Bytes as hex; null for a null key or value. The page shows them as text, JSON or hex. */
  readonly key: string | null
  readonly value: string | null
  readonly headers: { key: string; value: string | null }[]
  /** Set when the bytes were longer than the browser shows. */
  readonly truncated: boolean
  readonly producerId: number
  readonly control: 'COMMIT' | 'ABORT' | null
  /** For a record of a transaction: how it ended (open: no marker yet). */
  readonly transaction: 'committed' | 'aborted' | 'open' | null
}

export interface BrowsedPage {
  readonly topic: string
  readonly partition: number
  readonly startOffset: number
  readonly logStartOffset: number
  readonly lastStableOffset: number
  readonly highWatermark: number
  readonly records: BrowsedRecord[]
  /** Where the next page starts. */
  readonly nextOffset: number
}

const MAX_SHOWN_BYTES = 16_384
const FETCH_BYTES = 1 << 20
/** Rounds of reading past the page to find the markers of its transactions. */
const MARKER_ROUNDS = 16

const hex = (bytes: Buffer | null): string | null => (bytes === null ? null : bytes.subarray(0, MAX_SHOWN_BYTES).toString('hex'))

export async function browse(cluster: ConsoleCluster, fields: Fields): Promise<BrowsedPage> {
  const topic = requiredString(fields, 'topic')
  const partition = requiredInteger(fields, 'partition', { min: 0 })
  const limit = Math.min(optionalInteger(fields, 'limit', { min: 1 }) ?? 50, 500)
  const timestamp = optionalInteger(fields, 'timestamp', { min: 0 })
  let startOffset = optionalInteger(fields, 'offset', { min: 0 })
  if (startOffset === null) {
    // From a time: the first offset whose timestamp is at or after it; none: the log's end.
    startOffset = await listOffset(cluster, topic, partition, timestamp ?? OffsetSpec.EARLIEST)
    if (startOffset < 0) startOffset = await listOffset(cluster, topic, partition, OffsetSpec.LATEST)
  }
  const leader = leaderOf(cluster, topic, partition)

  const shown: { batch: RecordBatch; index: number }[] = []
  const pending = new Map<number, RecordBatch[]>()
  const outcome = new Map<RecordBatch, 'committed' | 'aborted'>()
  let offset = startOffset
  let watermarks = { logStartOffset: -1, lastStableOffset: -1, highWatermark: -1 }
  for (let round = 0; ; round++) {
    const response = await send(cluster, leader, {
      api: 'Fetch',
      maxWaitMs: 0,
      minBytes: 0,
      maxBytes: FETCH_BYTES,
      isolationLevel: IsolationLevel.READ_UNCOMMITTED,
      topics: [{ name: topic, partitions: [{ index: partition, fetchOffset: offset, partitionMaxBytes: FETCH_BYTES }] }],
    })
    const answer = response.topics[0]!.partitions[0]!
    if (answer.errorCode !== 0) throw kafkaRefused(answer.errorCode, `Reading ${topic}-${partition} at offset ${offset}`)
    watermarks = { logStartOffset: answer.logStartOffset, lastStableOffset: answer.lastStableOffset, highWatermark: answer.highWatermark }
    for (const batch of answer.batches) {
      if (batch.lastOffset < offset) continue
      const control = controlTypeOf(batch)
      if (control) {
        for (const b of pending.get(batch.producerId) ?? []) outcome.set(b, control === 'COMMIT' ? 'committed' : 'aborted')
        pending.delete(batch.producerId)
      } else if (batch.isTransactional && shown.length < limit) {
        const list = pending.get(batch.producerId) ?? []
        list.push(batch)
        pending.set(batch.producerId, list)
      }
      for (let i = 0; i < batch.count && shown.length < limit; i++) if (batch.offsetAt(i) >= offset) shown.push({ batch, index: i })
      offset = batch.lastOffset + 1
    }
    const filled = shown.length >= limit
    if (answer.batches.length === 0 || offset >= answer.highWatermark) break
    if (filled && (pending.size === 0 || round >= MARKER_ROUNDS)) break
  }

  const records = shown.map(({ batch, index }): BrowsedRecord => {
    const key = batch.keyAt(index)
    const value = batch.valueAt(index)
    const headers = batch.headersAt(index) ?? []
    return {
      offset: batch.offsetAt(index),
      timestamp: batch.timestampAt(index),
      leaderEpoch: batch.partitionLeaderEpoch,
      key: hex(key),
      value: hex(value),
      headers: headers.map((h) => ({ key: h.key, value: hex(h.value) })),
      truncated: (key?.length ?? 0) > MAX_SHOWN_BYTES || (value?.length ?? 0) > MAX_SHOWN_BYTES,
      producerId: batch.producerId,
      control: controlTypeOf(batch) ?? null,
      transaction: batch.isTransactional && !batch.isControl ? (outcome.get(batch) ?? 'open') : null,
    }
  })
  const last = records[records.length - 1]
  return { topic, partition, startOffset, ...watermarks, records, nextOffset: last ? last.offset + 1 : startOffset }
}
