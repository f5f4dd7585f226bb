/**
 * kafkajs's Batch (src/consumer/batch.js): the messages fetched for one partition, with the
 * high watermark and the lag helpers. Offsets and watermarks are decimal strings.
 */
import type { AbortedTransaction } from '../../cluster/api/messages.js'
import { NO_DELETE_HORIZON, type RecordBatch } from '../../cluster/log/record-batch.js'
import { abortedBatchFilter, type AbortedBatchFilter } from './aborted-transactions.js'

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
  /**
   * The record batch the message came in, as kafkajs's decoder describes it (one object shared
   * by the batch's messages; offsets, timestamps and the producer id as decimal strings). Not in
   * kafkajs's types, but on every message it delivers.
   */
  batchContext: BatchContext
}

/** kafkajs's recordContext (protocol/recordBatch/v0/decoder.js), with the batch's magic byte. */
export interface BatchContext {
  firstOffset: string
  firstTimestamp: string
  partitionLeaderEpoch: number
  inTransaction: boolean
  isControlBatch: boolean
  lastOffsetDelta: number
  producerId: string
  producerEpoch: number
  firstSequence: number
  maxTimestamp: string
  timestampType: number
  magicByte: number
}

/**
 * A stored batch's header as a consumer decodes it from a Fetch response (record-batch-encoder.ts
 * writes the same fields). `firstOffset` is the string of the batch's base offset, passed in by
 * the caller, which makes it for the batch's first message anyway. The timestamps come from the
 * shared decimal strings (timestampString), and a non-transactional producer's id -1 is one
 * constant: on a topic of 10 000 partitions a fetch holds one batch per record or so, and these
 * four strings per batch were most of a message's cost (issue 15).
 */
function batchContextOf(batch: RecordBatch, firstOffset: string, firstTimestamp: string): BatchContext {
  return {
    firstOffset,
    // A batch compaction gave a delete horizon carries it as its base timestamp (KIP-534).
    firstTimestamp: batch.deleteHorizonMs !== NO_DELETE_HORIZON ? timestampString(batch.deleteHorizonMs) : firstTimestamp,
    partitionLeaderEpoch: batch.partitionLeaderEpoch,
    inTransaction: batch.isTransactional,
    isControlBatch: batch.isControl,
    lastOffsetDelta: batch.lastOffset - batch.baseOffset,
    producerId: batch.producerId === -1 ? NO_PRODUCER_ID_TEXT : String(batch.producerId),
    producerEpoch: batch.producerEpoch,
    firstSequence: batch.baseSequence,
    maxTimestamp: batch.maxTimestamp === batch.firstTimestamp ? firstTimestamp : timestampString(batch.maxTimestamp),
    timestampType: batch.timestampType,
    magicByte: 2,
  }
}

const NO_PRODUCER_ID_TEXT = '-1'

export class Batch {
  readonly topic: string
  readonly partition: number
  readonly highWatermark: string
  readonly messages: KafkaMessage[]
  /** The last offset fetched before filtering (control records included). */
  private readonly lastFetchedOffset: number | undefined

  constructor(topic: string, partition: number, highWatermark: number, messages: KafkaMessage[], lastFetchedOffset: number | undefined) {
    this.topic = topic
    this.partition = partition
    this.highWatermark = String(highWatermark)
    this.messages = messages
    this.lastFetchedOffset = lastFetchedOffset
  }

  isEmpty(): boolean {
    return this.messages.length === 0
  }

  isEmptyIncludingFiltered(): boolean {
    return this.lastFetchedOffset === undefined
  }

  /** Everything fetched was filtered out (control records): the position still moves past it. */
  isEmptyDueToFiltering(): boolean {
    return this.isEmpty() && !this.isEmptyIncludingFiltered()
  }

  firstOffset(): string | null {
    return this.isEmpty() ? null : this.messages[0]!.offset
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
  const messages: KafkaMessage[] = []
  const cursor = new MessageCursor(highWatermark, batches, fromOffset, abortedTransactions)
  for (let message = cursor.next(); message !== undefined; message = cursor.next()) messages.push(message)
  return new Batch(topic, partition, highWatermark, messages, cursor.last)
}

/**
 * toBatch's messages one at a time, each built when asked for: the eachMessage loop takes a
 * message just before its handler runs, so a fetch's messages are not all alive at once, and
 * each one the handler drops dies young (issue 15: a partition's messages built up front
 * outlived the young generation, and copying and promoting them was most of the collector's
 * time, itself a quarter of eachMessage's). The same walk as toBatch, which drains one.
 */
export class MessageCursor {
  /** After next() answered undefined: the Batch's last fetched offset (Batch.lastOffset()). */
  last: number | undefined
  /** The offset of the message next() returned last. */
  offset = -1
  private readonly highWatermark: number
  private readonly batches: readonly RecordBatch[]
  private readonly fromOffset: number
  private readonly isAborted: AbortedBatchFilter
  private nextBatch = 0
  private batch: RecordBatch | undefined
  /** The current batch's batchContext, shared by its messages. */
  private context: BatchContext | undefined
  /** The decimal string of the current batch's first timestamp. */
  private firstTimestampText = ''
  /** The current batch's next record, and the end of its records below the high watermark. */
  private index = 0
  private end = 0

  constructor(highWatermark: number, batches: readonly RecordBatch[], fromOffset: number, abortedTransactions: readonly AbortedTransaction[] | null = null) {
    this.highWatermark = highWatermark
    this.batches = batches
    this.fromOffset = fromOffset
    this.isAborted = abortedBatchFilter(abortedTransactions)
  }

  /** The next message, or undefined once every fetched message has been returned. */
  next(): KafkaMessage | undefined {
    while (this.index >= this.end) {
      if (!this.enterNextBatch()) return undefined
    }
    const batch = this.batch!
    const i = this.index++
    const offset = batch.offsetAt(i)
    this.offset = offset
    const headers = batch.headersAt(i)
    // The batch's first record (offset = base offset) shares its string with batchContext, and a
    // record with the batch's first timestamp (most: a batch's records are sent together) that one.
    const context = this.context!
    const timestamp = batch.timestampAt(i)
    return {
      magicByte: 2,
      attributes: 0,
      timestamp: timestamp === batch.firstTimestamp ? this.firstTimestampText : timestampString(timestamp),
      offset: offset === batch.baseOffset ? context.firstOffset : String(offset),
      key: batch.keyAt(i),
      value: batch.valueAt(i),
      headers: headers === undefined ? {} : toHeaders(headers),
      isControlRecord: false,
      batchContext: context,
    }
  }

  /**
   * Walks what is left without building a message: how many messages next() would still have
   * returned, and the first one's offset (undefined: none). `last` is set afterwards.
   */
  skipRest(): { count: number; firstOffset: number | undefined } {
    let count = 0
    let firstOffset: number | undefined
    while (this.index < this.end || this.enterNextBatch()) {
      if (firstOffset === undefined) firstOffset = this.batch!.offsetAt(this.index)
      count += this.end - this.index
      this.index = this.end
    }
    return { count, firstOffset }
  }

  /** Moves to the next batch with records to deliver; false at the end of the fetch. */
  private enterNextBatch(): boolean {
    const { batches, fromOffset, highWatermark } = this
    while (this.nextBatch < batches.length) {
      const batch = batches[this.nextBatch++]!
      // Every batch goes through the filter, in order: markers before fromOffset end transactions too.
      const aborted = this.isAborted(batch)
      if (batch.lastOffset < fromOffset) continue
      if (batch.isControl || aborted) {
        this.last = batch.lastOffset
        continue
      }
      const first = batch.indexOfOffset(fromOffset)
      // Offsets ascend within a batch: the records below the high watermark end where the first
      // at or above it is.
      const end = batch.lastOffset < highWatermark ? batch.count : batch.indexOfOffset(highWatermark)
      if (end > first) this.last = batch.offsetAt(end - 1)
      // A batch read to its end moves the position past it, even past offsets compaction removed
      // (the client's next fetch offset is the batch's last offset + 1).
      if (batch.lastOffset < highWatermark) this.last = batch.lastOffset
      if (end > first) {
        this.batch = batch
        this.firstTimestampText = timestampString(batch.firstTimestamp)
        this.context = batchContextOf(batch, String(batch.baseOffset), this.firstTimestampText)
        this.index = first
        this.end = end
        return true
      }
    }
    this.batch = undefined
    this.context = undefined
    this.index = 0
    this.end = 0
    return false
  }
}

/**
 * One cursor and one Batch that live as long as the module: V8 drops a class's hidden classes at
 * a full collection once no instance has them, and every optimized function that read one is
 * then thrown away and compiled again. With the consumer's cursors and batches all short-lived,
 * that was once per fresh consumer after any full GC, paid in its first 100 k messages, and on
 * a topic of 10 000 partitions by its first 10 000 batches, which the interpreter then built
 * (issue 15). The Batch's fields hold what a real one holds (a number as its last offset), so
 * that both have the same hidden class.
 */
const cursorShapeKeeper = new MessageCursor(0, [], 0)
const batchShapeKeeper = new Batch('', 0, 0, [], 0)
void cursorShapeKeeper
void batchShapeKeeper

/**
 * Decimal strings of recent timestamps. Records sent together share a timestamp, and on a topic
 * of many partitions one send's records land in many partitions' batches, so the same few
 * timestamps recur across a whole fetch: each string is made once, not per message (strings
 * are immutable, so sharing one is invisible to the handler). Direct-mapped on the low bits;
 * String() of a 13-digit timestamp was most of toBatch's time at 10 000 partitions (issue 15).
 */
const TIMESTAMP_SLOTS = 256
const cachedTimestamps = new Float64Array(TIMESTAMP_SLOTS).fill(Number.NaN)
const cachedTimestampStrings: string[] = new Array<string>(TIMESTAMP_SLOTS).fill('')

function timestampString(timestamp: number): string {
  const slot = (timestamp >>> 0) & (TIMESTAMP_SLOTS - 1)
  if (cachedTimestamps[slot] === timestamp) return cachedTimestampStrings[slot]!
  const text = String(timestamp)
  cachedTimestamps[slot] = timestamp
  cachedTimestampStrings[slot] = text
  return text
}

function toHeaders(headers: readonly { key: string; value: Buffer | null }[]): IHeadersReceived {
  const out: IHeadersReceived = {}
  for (const h of headers) {
    const value = h.value ?? Buffer.alloc(0)
    const existing = out[h.key]
    if (existing === undefined) out[h.key] = value
    else if (Array.isArray(existing)) (existing as Buffer[]).push(value)
    else out[h.key] = [existing, value]
  }
  return out
}

/** What toBatch would make of a fetched partition, known before its messages are built. */
export interface FetchedRange {
  /** The Batch's last fetched offset (control and aborted records included); undefined: nothing. */
  readonly last: number | undefined
  /** Whether the Batch would hold any message. */
  readonly hasMessages: boolean
}

/**
 * toBatch's walk over the same arguments without building a message: the runner learns from it
 * which partitions brought data, and builds each partition's messages only when their turn
 * comes, so that a fetch's messages are not all alive at once (issue 15: on a topic of 10 000
 * partitions the collector copied 100 k waiting messages again and again).
 *
 * Without aborted transactions to drop, each batch is judged on its own: whether any message
 * comes is told by the first batches that reach the position, the last fetched offset by the
 * last ones, and the batches between are not read. The runner asks this of every partition a
 * fetch answered, before the broker's batches are read again to build messages: on a topic of
 * 1 000 partitions a fetch holds 100 one-record batches per partition, each a read from memory
 * the cache no longer holds (issue 15). With aborted transactions the filter must see every
 * batch in order (toBatch's own walk).
 */
export function fetchedRange(
  highWatermark: number,
  batches: readonly RecordBatch[],
  fromOffset: number,
  abortedTransactions: readonly AbortedTransaction[] | null = null,
): FetchedRange {
  if (abortedTransactions !== null && abortedTransactions.length > 0) return walkedRange(highWatermark, batches, fromOffset, abortedTransactions)
  // The batches ascend by offset: from the end, the first batch that reaches the position and
  // holds the last fetched offset (a marker, a batch below the high watermark, or a record of one
  // the high watermark cuts) ends the search, and a batch below the position ends it empty.
  let last: number | undefined
  for (let b = batches.length - 1; b >= 0; b--) {
    const batch = batches[b]!
    const lastOffset = batch.lastOffset
    if (lastOffset < fromOffset) break
    if (batch.isControl || lastOffset < highWatermark) {
      last = lastOffset
      break
    }
    const end = batch.indexOfOffset(highWatermark)
    if (end > batch.indexOfOffset(fromOffset)) {
      last = batch.offsetAt(end - 1)
      break
    }
  }
  if (last === undefined) return NOTHING_FETCHED
  // From the front, the first data batch with a record at or above the position and below the
  // high watermark says that a message comes.
  for (let b = 0; b < batches.length; b++) {
    const batch = batches[b]!
    if (batch.lastOffset < fromOffset || batch.isControl) continue
    const first = batch.indexOfOffset(fromOffset)
    if (first < batch.count && batch.offsetAt(first) < highWatermark) return { last, hasMessages: true }
  }
  return { last, hasMessages: false }
}

const NOTHING_FETCHED: FetchedRange = Object.freeze({ last: undefined, hasMessages: false })

/** fetchedRange by toBatch's walk over every batch, in order (read_committed with aborted transactions). */
function walkedRange(highWatermark: number, batches: readonly RecordBatch[], fromOffset: number, abortedTransactions: readonly AbortedTransaction[]): FetchedRange {
  let last: number | undefined
  let hasMessages = false
  const isAborted = abortedBatchFilter(abortedTransactions)
  for (let b = 0; b < batches.length; b++) {
    const batch = batches[b]!
    const aborted = isAborted(batch)
    if (batch.lastOffset < fromOffset) continue
    if (batch.isControl || aborted) {
      last = batch.lastOffset
      continue
    }
    const first = batch.indexOfOffset(fromOffset)
    if (batch.lastOffset < highWatermark) {
      // Every record from `first` on is below the high watermark.
      if (first < batch.count) hasMessages = true
      last = batch.lastOffset
      continue
    }
    for (let i = first; i < batch.count; i++) {
      const offset = batch.offsetAt(i)
      if (offset >= highWatermark) break
      last = offset
      hasMessages = true
    }
  }
  return { last, hasMessages }
}
