/**
 * kafkajs's Batch (src/consumer/batch.js): the messages fetched for one partition, with the
 * high watermark and the lag helpers. Offsets and watermarks are decimal strings.
 */
import type { AbortedTransaction } from '../../cluster/api/messages.js'
import type { RecordBatch } from '../../cluster/log/record-batch.js'
import { abortedBatchFilter } from './aborted-transactions.js'

/** Received headers: a Buffer per key, an array when the key repeats (kafkajs's IHeaders). */
export interface IHeadersReceived {
  [key: string]: Buffer | string | (Buffer | string)[] | undefined
}

export interface KafkaMessage {
  magicByte: number
  attributes: number
  timestamp: string
  offset: string
  key: Buffer | null
  value: Buffer | null
  headers: IHeadersReceived
  isControlRecord: boolean
}

/** The records [start, end) of one log batch that the consumer receives. */
interface Span {
  readonly batch: RecordBatch
  readonly start: number
  readonly end: number
}

export class Batch {
  readonly topic: string
  readonly partition: number
  readonly highWatermark: string
  /** Where the messages come from: built into kafkajs messages only when asked for. */
  private readonly spans: readonly Span[]
  private readonly count: number
  /** The last offset fetched before filtering (control records included). */
  private readonly lastFetchedOffset: number | undefined
  private built: KafkaMessage[] | undefined

  constructor(topic: string, partition: number, highWatermark: number, spans: readonly Span[], count: number, lastFetchedOffset: number | undefined) {
    this.topic = topic
    this.partition = partition
    this.highWatermark = String(highWatermark)
    this.spans = spans
    this.count = count
    this.lastFetchedOffset = lastFetchedOffset
  }

  /**
   * kafkajs's batch.messages. Built on first use: a fetch answers for many partitions at once,
   * and an eachMessage consumer takes its messages one at a time (eachMessages), so a fetch's
   * messages need not all be alive together (issue 15: the collector's work per message).
   */
  get messages(): KafkaMessage[] {
    if (this.built) return this.built
    const out: KafkaMessage[] = new Array(this.count)
    let n = 0
    for (const message of this.eachMessages()) out[n++] = message
    return (this.built = out)
  }

  /** The messages in order, each built as it is reached (the array's own, once built). */
  *eachMessages(): IterableIterator<KafkaMessage> {
    if (this.built) {
      yield* this.built
      return
    }
    for (const { batch, start, end } of this.spans) {
      let timestamp = NaN
      let timestampText = ''
      for (let i = start; i < end; i++) {
        const ts = batch.timestampAt(i)
        // Most batches share one timestamp: its text is made once.
        if (ts !== timestamp) {
          timestamp = ts
          timestampText = String(ts)
        }
        yield {
          magicByte: 2,
          attributes: 0,
          timestamp: timestampText,
          offset: String(batch.offsetAt(i)),
          key: batch.keyAt(i),
          value: batch.valueAt(i),
          headers: toHeaders(batch.headersAt(i)),
          isControlRecord: false,
        }
      }
    }
  }

  /** How many messages the batch holds (batch.messages.length, without building them). */
  size(): number {
    return this.count
  }

  isEmpty(): boolean {
    return this.count === 0
  }

  isEmptyIncludingFiltered(): boolean {
    return this.lastFetchedOffset === undefined
  }

  /** Everything fetched was filtered out (control records): the position still moves past it. */
  isEmptyDueToFiltering(): boolean {
    return this.isEmpty() && !this.isEmptyIncludingFiltered()
  }

  firstOffset(): string | null {
    if (this.isEmpty()) return null
    const first = this.spans[0]!
    return String(first.batch.offsetAt(first.start))
  }

  lastOffset(): string {
    if (this.isEmptyIncludingFiltered()) return String(Number(this.highWatermark) - 1)
    return String(this.lastFetchedOffset)
  }

  /** hw - 1 - lastOffset */
  offsetLag(): string {
    return String(Number(this.highWatermark) - 1 - Number(this.lastOffset()))
  }

  /** hw - 1 - firstOffset ('0' when empty) */
  offsetLagLow(): string {
    if (this.isEmpty()) return '0'
    return String(Number(this.highWatermark) - 1 - Number(this.firstOffset()))
  }
}

/**
 * Turns the log's batches into kafkajs messages, from `fromOffset` on, control records skipped
 * and, for read_committed (`abortedTransactions` not null), aborted transactions' records too.
 * Skipped records still count as fetched, so the position moves past them.
 */
export function toBatch(
  topic: string,
  partition: number,
  highWatermark: number,
  batches: readonly RecordBatch[],
  fromOffset: number,
  abortedTransactions: readonly AbortedTransaction[] | null = null,
): Batch {
  const spans: Span[] = []
  let count = 0
  let last: number | undefined
  const isAborted = abortedBatchFilter(abortedTransactions)
  for (const batch of batches) {
    // Every batch goes through the filter, in order: markers before fromOffset end transactions too.
    const aborted = isAborted(batch)
    if (batch.lastOffset < fromOffset) continue
    if (batch.isControl || aborted) {
      last = batch.lastOffset
      continue
    }
    // The records from fromOffset up to the high watermark.
    const start = batch.indexOfOffset(fromOffset)
    const end = Math.max(start, batch.indexOfOffset(highWatermark))
    if (end > start) {
      spans.push({ batch, start, end })
      count += end - start
      last = batch.offsetAt(end - 1)
    }
    // A batch read to its end moves the position past it, even past offsets compaction removed
    // (the client's next fetch offset is the batch's last offset + 1).
    if (batch.lastOffset < highWatermark) last = batch.lastOffset
  }
  return new Batch(topic, partition, highWatermark, spans, count, last)
}

function toHeaders(headers: readonly { key: string; value: Buffer | null }[] | undefined): IHeadersReceived {
  const out: IHeadersReceived = {}
  if (!headers) return out
  for (const h of headers) {
    const value = h.value ?? Buffer.alloc(0)
    const existing = out[h.key]
    if (existing === undefined) out[h.key] = value
    else if (Array.isArray(existing)) (existing as Buffer[]).push(value)
    else out[h.key] = [existing, value]
  }
  return out
}
