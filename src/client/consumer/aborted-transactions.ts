/**
 * Dropping the records of aborted transactions from a read_committed fetch (kafkajs's
 * filterAbortedMessages, and the Java consumer's Fetcher, which it follows).
 *
 * A read_committed Fetch response lists the aborted transactions that overlap the fetched
 * range as { producerId, firstOffset }. Where an aborted transaction starts is that offset;
 * where it ends is its producer's ABORT marker in the log. So, walking the batches in offset
 * order: once a transactional batch reaches an aborted transaction's first offset, that
 * producer is "aborting"; its transactional batches are dropped until its ABORT marker, which
 * clears it. Committed transactions are never listed, so their records all pass, and batches
 * of other producers interleaved with an aborted one pass too. The filter works per batch: a
 * producer's batch belongs to one transaction as a whole.
 */
import type { AbortedTransaction } from '../../cluster/api/messages.js'
import { controlTypeOf } from '../../cluster/log/control-record.js'
import type { RecordBatch } from '../../cluster/log/record-batch.js'

/** Says whether a batch belongs to an aborted transaction. Feed it every batch, in offset order. */
export type AbortedBatchFilter = (batch: RecordBatch) => boolean

const keepAll: AbortedBatchFilter = () => false

/**
 * A stateful filter over one partition's fetched batches, control batches included (their
 * ABORT markers end an aborted transaction). With no aborted transactions (read_uncommitted
 * answers null; read_committed often []) it keeps everything.
 */
export function abortedBatchFilter(abortedTransactions: readonly AbortedTransaction[] | null | undefined): AbortedBatchFilter {
  if (!abortedTransactions || abortedTransactions.length === 0) return keepAll
  // The Java consumer keeps them in a priority queue by first offset; sorted once is the same.
  const pending = [...abortedTransactions].sort((a, b) => a.firstOffset - b.firstOffset)
  let next = 0
  const aborting = new Set<number>()
  return (batch) => {
    if (!batch.isTransactional) return false
    // Transactions that start at or before this batch's end have begun (Fetcher's
    // consumeAbortedTransactionsUpTo(batch.lastOffset)).
    while (next < pending.length && pending[next]!.firstOffset <= batch.lastOffset) aborting.add(pending[next++]!.producerId)
    if (batch.isControl) {
      // The ABORT marker closes the producer's aborted transaction; the marker itself is never
      // delivered either way (the caller skips control batches).
      if (controlTypeOf(batch) === 'ABORT') aborting.delete(batch.producerId)
      return false
    }
    return aborting.has(batch.producerId)
  }
}

/** The batches a read_committed consumer may see: those of aborted transactions removed. */
export function filterAbortedBatches(batches: readonly RecordBatch[], abortedTransactions: readonly AbortedTransaction[] | null | undefined): RecordBatch[] {
  const isAborted = abortedBatchFilter(abortedTransactions)
  return batches.filter((batch) => !isAborted(batch))
}
