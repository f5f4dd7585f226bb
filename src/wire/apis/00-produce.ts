/**
 * Produce: v0-10.
 *
 * Behavior: each partition's records blob is decoded here (src/wire/records/) into the
 * cluster's ProducerRecords plus the batch's producer id, epoch, base sequence and
 * transactional flag, and appended by the partition's leader (src/cluster/api/produce.ts),
 * acknowledged by acks. A partition whose records do not decode fails alone, with Kafka's code
 * for it (CORRUPT_MESSAGE 2 for a bad CRC or framing, INVALID_RECORD 87 for a malformed
 * record, UNSUPPORTED_COMPRESSION_TYPE 76 for snappy/lz4/zstd), and is not appended.
 * acks=0 gets no response (the connection's response sequence still advances); an error
 * under acks=0 closes the connection, as KafkaApis does so the client refreshes its metadata.
 *
 * Version notes:
 * - v0-2 carry legacy message sets (magic 0/1) or, unvalidated as Kafka leaves them, v2
 *   batches. Magic 0 records have no timestamp: stored as -1 (NO_TIMESTAMP), as Kafka's
 *   up-conversion does. v1 adds the throttle time; v2 the log append time.
 * - v3 adds the transactional id and requires exactly one v2 record batch per partition
 *   (ProduceRequest.validateRecords: INVALID_RECORD otherwise). v5 answers the log start
 *   offset; v7 allows zstd (refused here as an unsupported compression); v8 answers record
 *   errors and an error message (KIP-467); v9 is flexible; v10 adds the leader hint fields
 *   (KIP-951), which are tagged and left at their defaults.
 */
import type { ProducePartitionData } from '../../cluster/api/messages.js'
import type { WireApi, WireContext } from '../api.js'
import type { WireMessage } from '../protocol/schema.js'
import { decodeMessageSet } from '../records/message-set.js'
import { keepProducedBytes, servableAsProduced, type ProducedBatch } from '../records/produced-batch-bytes.js'
import { decodeRecordBatches, peekMagic, RECORD_BATCH_MAGIC, type DecodedRecordBatch } from '../records/record-batch-decoder.js'
import { InvalidRecordError, RecordsError } from '../records/records-error.js'

interface PartitionIn {
  readonly index: number
  readonly records: Buffer | null
}

/**
 * The records of one partition as the cluster takes them, or the error code that fails it.
 * `onBatch` sees the partition's batch when it is a single v2 batch.
 */
export function decodeProduceRecords(
  version: number,
  index: number,
  blob: Buffer | null,
  onBatch?: (batch: DecodedRecordBatch, bytes: Buffer) => void,
): ProducePartitionData | { errorCode: number; errorMessage: string } {
  try {
    if (blob === null || blob.length === 0) throw new InvalidRecordError(`Produce v${version} must carry records for each partition`)
    const magic = peekMagic(blob)
    if (magic !== RECORD_BATCH_MAGIC) {
      if (version >= 3) throw new InvalidRecordError(`Produce v${version} must carry record batches of magic 2, not ${magic ?? 'a truncated blob'}`)
      const set = decodeMessageSet(blob)
      const records = set.magic === 0 ? set.records.map((r) => ({ ...r, timestamp: r.timestamp ?? -1 })) : set.records
      return { index, records }
    }
    const batches = decodeRecordBatches(blob)
    if (batches.length !== 1 && version >= 3) throw new InvalidRecordError(`Produce v${version} must carry exactly one record batch per partition, not ${batches.length}`)
    const first = batches[0]!
    // Only transaction coordinators write control batches (LogValidator: "clients are not
    // allowed to write control records").
    if (batches.some((b) => b.isControl)) throw new InvalidRecordError('Clients are not allowed to write control records')
    if (batches.length === 1) onBatch?.(first, blob)
    return {
      index,
      records: batches.length === 1 ? first.records : batches.flatMap((b) => b.records),
      producerId: first.producerId,
      producerEpoch: first.producerEpoch,
      baseSequence: first.baseSequence,
      isTransactional: first.isTransactional,
      // Views of the request frame (or of its decompressed records), which the server keeps as
      // they are to serve Fetch: the log may keep them rather than copy them.
      bytesImmutable: true,
    }
  } catch (error) {
    if (error instanceof RecordsError) return { errorCode: error.errorCode, errorMessage: error.message }
    throw error
  }
}

export const produceApi: WireApi = {
  apiKey: 0,
  name: 'Produce',
  minVersion: 0,
  maxVersion: 10,
  async handle(request: WireMessage, ctx) {
    const version = ctx.apiVersion
    const acks = request.acks as number
    const topics = request.topicData as readonly { name: string; partitionData: readonly PartitionIn[] }[]
    const failed = new Map<string, { errorCode: number; errorMessage: string }>()
    // Batches whose bytes Fetch can serve again once stored (records/produced-batch-bytes.ts).
    const produced = new Map<string, { topic: string; index: number; batch: ProducedBatch }>()
    const accepted = topics.map((t) => ({
      name: t.name,
      partitions: t.partitionData.flatMap((p) => {
        const decoded = decodeProduceRecords(version, p.index, p.records, (batch, bytes) => {
          if (!servableAsProduced(batch, bytes)) return
          const logEndOffsetBefore = ctx.cluster.controller.topic(t.name)?.partitions[p.index]?.logEndOffset ?? 0
          produced.set(`${t.name}\u0000${p.index}`, { topic: t.name, index: p.index, batch: { bytes, decoded: batch, logEndOffsetBefore } })
        })
        if ('errorCode' in decoded) {
          failed.set(`${t.name}\u0000${p.index}`, decoded)
          return []
        }
        return [decoded]
      }),
    }))
    const toSend = accepted.filter((t) => t.partitions.length > 0)
    const response =
      toSend.length > 0
        ? await ctx.cluster.send(
            ctx.brokerId,
            { api: 'Produce', transactionalId: version >= 3 ? (request.transactionalId as string | null) : null, acks, timeoutMs: request.timeoutMs as number, topics: toSend },
            ctx.source,
          )
        : { topics: [] }
    const answered = new Map<string, { errorCode: number; errorMessage?: string | undefined; baseOffset: number; logAppendTime: number; logStartOffset: number }>()
    for (const t of response.topics) for (const p of t.partitions) answered.set(`${t.name}\u0000${p.index}`, p)
    for (const [key, p] of produced) {
      const r = answered.get(key)
      if (r && r.errorCode === 0 && r.baseOffset >= 0) keepStoredBytes(ctx, p.topic, p.index, r.baseOffset, p.batch)
    }
    const responses = topics.map((t) => ({
      name: t.name,
      partitionResponses: t.partitionData.map((p) => {
        const key = `${t.name}\u0000${p.index}`
        const bad = failed.get(key)
        const r = answered.get(key)
        return {
          index: p.index,
          errorCode: bad ? bad.errorCode : (r?.errorCode ?? 0),
          baseOffset: bad ? -1 : (r?.baseOffset ?? -1),
          logAppendTimeMs: bad ? -1 : (r?.logAppendTime ?? -1),
          logStartOffset: bad ? -1 : (r?.logStartOffset ?? -1),
          recordErrors: [],
          errorMessage: bad ? bad.errorMessage : (r?.errorMessage ?? null),
        }
      }),
    }))
    if (acks === 0) {
      if (responses.some((t) => t.partitionResponses.some((p) => p.errorCode !== 0))) throw new Error('Produce with acks=0 failed: closing the connection, as Kafka does')
      return undefined
    }
    return { responses, throttleTimeMs: 0 }
  },
}

/** Keeps a produced batch's bytes for the batch the partition's leader stored at `baseOffset`. */
function keepStoredBytes(ctx: WireContext, topic: string, index: number, baseOffset: number, batch: ProducedBatch): void {
  const partition = ctx.cluster.controller.topic(topic)?.partitions[index]
  if (!partition || baseOffset < partition.logStartOffset || baseOffset >= partition.logEndOffset) return
  const stored = partition.log.read(baseOffset, baseOffset + 1, 1)[0]
  if (stored?.baseOffset === baseOffset) keepProducedBytes(stored, batch)
}
