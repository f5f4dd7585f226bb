/**
 * What a replica knows of the producers writing to its partition (Kafka's
 * ProducerStateManager): per producer id its epoch, the last five batches' sequence ranges and
 * offsets (the duplicate window of KIP-98), and the first offset of its open transaction; plus
 * the aborted transactions (the transaction index) that read_committed fetches return.
 * Everything here is derived from the log: a replica rebuilds it after truncation.
 */
import type { RecordBatch } from '../log/record-batch.js'
import type { PartitionLog } from '../log/partition-log.js'
import { controlTypeOf, markerCoordinatorEpoch } from '../log/control-record.js'
import type { ErrorName } from '../error-codes.js'

/** The duplicate window: a producer may have at most five batches in flight (KIP-98). */
export const DUPLICATE_WINDOW = 5
const INT32_MAX = 2147483647

export interface BatchMetadata {
  readonly firstSeq: number
  readonly lastSeq: number
  readonly baseOffset: number
  readonly lastOffset: number
}

export interface ProducerEntry {
  producerEpoch: number
  /** The last batches appended in this epoch, oldest first. */
  batches: BatchMetadata[]
  /** The first offset of the producer's open transaction on this partition, if any. */
  currentTxnFirstOffset: number | undefined
  lastTimestamp: number
  /** The coordinator epoch of the last transaction marker written for it, -1 before any. */
  coordinatorEpoch: number
}

export interface AbortedTxn {
  readonly producerId: number
  readonly firstOffset: number
  /** The offset of the abort marker. */
  readonly lastOffset: number
}

export type SequenceCheck =
  | { readonly kind: 'append' }
  | { readonly kind: 'duplicate'; readonly batch: BatchMetadata }
  | { readonly kind: 'error'; readonly error: ErrorName; readonly message: string }

/** The sequence after `seq` advanced by `count` records, wrapping at Int32.MAX (KIP-98). */
export function sequenceAfter(seq: number, count: number): number {
  const next = seq + count
  return next > INT32_MAX ? next - INT32_MAX - 1 : next
}

/** A transaction whose marker is written but not yet below the high watermark. */
interface UnreplicatedTxn {
  readonly firstOffset: number
  readonly markerOffset: number
}

export class ProducerStateManager {
  private readonly producers = new Map<number, ProducerEntry>()
  /**
   * How many entries have an open transaction (currentTxnFirstOffset set): every Fetch asks for
   * the last stable offset of each partition it reads, and a partition without one need not
   * look at its producers (issue 15: at 10 000 partitions the walk was 3% of a consumer's run).
   */
  private openTxns = 0
  private aborted: AbortedTxn[] = []
  /** Completed transactions still unstable: the LSO waits until their marker is replicated. */
  private unreplicated: UnreplicatedTxn[] = []

  entry(producerId: number): ProducerEntry | undefined {
    return this.producers.get(producerId)
  }

  /**
   * Every producer with state on this replica (ProducerStateManager.activeProducers, what
   * DescribeProducers answers), by producer id.
   */
  activeProducers(): { producerId: number; entry: Readonly<ProducerEntry> }[] {
    return [...this.producers].sort(([a], [b]) => a - b).map(([producerId, entry]) => ({ producerId, entry }))
  }

  /**
   * Validates an idempotent batch before it is appended (ProducerAppendInfo.checkProducerEpoch
   * and checkSequence): an older epoch is fenced; a newer epoch must start at sequence 0; in the
   * same epoch the batch must follow the last one, unless it repeats one of the last five, in
   * which case it is a duplicate and answered with the original offsets.
   */
  check(producerId: number, producerEpoch: number, firstSeq: number, recordCount: number): SequenceCheck {
    const entry = this.producers.get(producerId)
    const lastSeqOfBatch = sequenceAfter(firstSeq, recordCount - 1)
    // A producer the partition has no state for (new, or expired after producer.id.expiration.ms)
    // may start at any sequence (ProducerAppendInfo.checkSequence, KIP-360).
    if (!entry) return { kind: 'append' }
    if (producerEpoch < entry.producerEpoch) {
      return { kind: 'error', error: 'INVALID_PRODUCER_EPOCH', message: `Epoch of producer ${producerId} is ${producerEpoch}, which is smaller than the last seen epoch ${entry.producerEpoch}` }
    }
    if (producerEpoch > entry.producerEpoch) {
      if (firstSeq !== 0) {
        return { kind: 'error', error: 'OUT_OF_ORDER_SEQUENCE_NUMBER', message: `Invalid sequence number for new epoch of producer ${producerId} at offset: ${firstSeq} (request epoch), 0 expected` }
      }
      return { kind: 'append' }
    }
    const duplicate = entry.batches.find((b) => b.firstSeq === firstSeq && b.lastSeq === lastSeqOfBatch)
    if (duplicate) return { kind: 'duplicate', batch: duplicate }
    const last = entry.batches[entry.batches.length - 1]
    const expected = last ? sequenceAfter(last.lastSeq, 1) : 0
    if (firstSeq !== expected) {
      return {
        kind: 'error',
        error: 'OUT_OF_ORDER_SEQUENCE_NUMBER',
        message: `Out of order sequence number for producer ${producerId} at offset ${last?.lastOffset ?? -1}: ${firstSeq} (incoming seq. number), ${expected} expected`,
      }
    }
    return { kind: 'append' }
  }

  /** Updates the state with an appended batch (leader or follower, data or marker). */
  apply(batch: RecordBatch): void {
    if (batch.producerId < 0) return
    let entry = this.producers.get(batch.producerId)
    if (!entry || batch.producerEpoch > entry.producerEpoch) {
      const previousTxn = entry?.currentTxnFirstOffset
      // A new epoch starts with no batches; the open transaction and the last marker's
      // coordinator epoch carry over (ProducerAppendInfo copies the current entry).
      entry = { producerEpoch: batch.producerEpoch, batches: [], currentTxnFirstOffset: previousTxn, lastTimestamp: batch.maxTimestamp, coordinatorEpoch: entry?.coordinatorEpoch ?? -1 }
      this.producers.set(batch.producerId, entry)
    }
    entry.lastTimestamp = batch.maxTimestamp
    if (batch.isControl) {
      const type = controlTypeOf(batch)
      if (entry.currentTxnFirstOffset !== undefined) {
        if (type === 'ABORT') this.aborted.push({ producerId: batch.producerId, firstOffset: entry.currentTxnFirstOffset, lastOffset: batch.lastOffset })
        this.unreplicated.push({ firstOffset: entry.currentTxnFirstOffset, markerOffset: batch.lastOffset })
      }
      if (entry.currentTxnFirstOffset !== undefined) this.openTxns--
      entry.currentTxnFirstOffset = undefined
      entry.coordinatorEpoch = markerCoordinatorEpoch(batch) ?? entry.coordinatorEpoch
      return
    }
    if (batch.isTransactional && entry.currentTxnFirstOffset === undefined) {
      entry.currentTxnFirstOffset = batch.baseOffset
      this.openTxns++
    }
    if (batch.baseSequence >= 0) {
      entry.batches.push({
        firstSeq: batch.baseSequence,
        lastSeq: sequenceAfter(batch.baseSequence, batch.lastOffset - batch.baseOffset),
        baseOffset: batch.baseOffset,
        lastOffset: batch.lastOffset,
      })
      if (entry.batches.length > DUPLICATE_WINDOW) entry.batches.shift()
    }
  }

  /**
   * The first offset of the earliest unstable transaction: open, or ended by a marker the high
   * watermark has not passed yet (Kafka's firstUnstableOffset). The LSO never passes it.
   */
  firstUnstableOffset(highWatermark: number): number | undefined {
    if (this.openTxns === 0 && this.unreplicated.length === 0) return undefined
    let min: number | undefined
    for (const entry of this.producers.values()) {
      if (entry.currentTxnFirstOffset !== undefined && (min === undefined || entry.currentTxnFirstOffset < min)) min = entry.currentTxnFirstOffset
    }
    if (this.unreplicated.length > 0) {
      this.unreplicated = this.unreplicated.filter((t) => t.markerOffset >= highWatermark)
      for (const t of this.unreplicated) if (min === undefined || t.firstOffset < min) min = t.firstOffset
    }
    return min
  }

  /** Open transactions: producer id and first offset. */
  openTransactions(): { producerId: number; firstOffset: number }[] {
    const out: { producerId: number; firstOffset: number }[] = []
    for (const [producerId, entry] of this.producers) if (entry.currentTxnFirstOffset !== undefined) out.push({ producerId, firstOffset: entry.currentTxnFirstOffset })
    return out.sort((a, b) => a.firstOffset - b.firstOffset)
  }

  /** Aborted transactions overlapping [from, to): what a read_committed fetch must skip. */
  abortedTransactions(from: number, to: number): { producerId: number; firstOffset: number }[] {
    return this.aborted.filter((a) => a.lastOffset >= from && a.firstOffset < to).map((a) => ({ producerId: a.producerId, firstOffset: a.firstOffset }))
  }

  allAborted(): readonly AbortedTxn[] {
    return this.aborted
  }

  /**
   * Keeps only the aborted transactions whose abort marker the log still holds: the cleaner
   * removes a marker once its transaction has no record left, and the transaction goes out of
   * the index with it (Kafka's cleaner indexes an aborted transaction in the cleaned segment only
   * when it retains the marker). A fetch would otherwise announce a transaction no marker closes,
   * and a read_committed consumer would skip everything its producer wrote afterwards.
   */
  dropAbortedWithoutMarker(log: PartitionLog): void {
    // The cleaner may keep a marker's batch, emptied, for the producer's sake: the marker is the record.
    this.aborted = this.aborted.filter((a) => log.read(a.lastOffset, a.lastOffset + 1, 1).some((b) => b.baseOffset === a.lastOffset && controlTypeOf(b) === 'ABORT'))
  }

  /** Drops aborted-transaction entries wholly below the log start (retention removed them). */
  trimAbortedBefore(logStartOffset: number): void {
    this.aborted = this.aborted.filter((a) => a.lastOffset >= logStartOffset)
  }

  /** Forgets producers idle since before `cutoff` (producer.id.expiration.ms), keeping open transactions. */
  expireProducers(cutoff: number): number[] {
    const expired: number[] = []
    for (const [id, entry] of this.producers) {
      if (entry.currentTxnFirstOffset === undefined && entry.lastTimestamp < cutoff) {
        this.producers.delete(id)
        expired.push(id)
      }
    }
    return expired
  }

  /** The state a log implies, built from scratch (after truncation, on becoming leader). */
  static fromLog(log: PartitionLog): ProducerStateManager {
    const state = new ProducerStateManager()
    for (const segment of log.allSegments) for (const batch of segment.batches) state.apply(batch)
    return state
  }
}
