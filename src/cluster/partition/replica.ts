import { PartitionLog } from '../log/partition-log.js'
import { ProducerStateManager } from '../txn/producer-state.js'
import type { RecordBatch } from '../log/record-batch.js'
import { LeaderEpochCache } from './leader-epoch.js'

/**
 * One broker's copy of a partition: its own log (sharing the leader's immutable batch objects),
 * what it knows of the high watermark, and the bookkeeping the leader keeps about it as a
 * follower (Kafka's Replica / LogReadResult state).
 */
export class Replica {
  readonly brokerId: number
  readonly log: PartitionLog
  /** The high watermark as this replica knows it; followers learn it from each fetch. */
  highWatermark = 0
  /**
   * The last time this follower's log reached the leader's log end (Kafka's
   * lastCaughtUpTimeMs); it leaves the ISR once this is older than replica.lag.time.max.ms.
   */
  lastCaughtUpTime: number
  /** Up to here the log is on disk: a crash that loses unflushed data truncates to it. */
  recoveryPoint = 0
  /**
   * The leader epoch in which the leader last saw this follower fetch. After a leader change
   * the new leader knows nothing of a follower's log until it fetches (Kafka's
   * Replica.resetReplicaState), so its log end counts toward the HW only from then on.
   */
  fetchedInEpoch = -1
  /** Producer ids, sequences and transactions, as this replica's log implies them. */
  producerState = new ProducerStateManager()
  /** Where each leader epoch starts in this replica's log (KIP-101). */
  epochs = new LeaderEpochCache()

  constructor(brokerId: number, now: number) {
    this.brokerId = brokerId
    this.log = new PartitionLog(now)
    this.lastCaughtUpTime = now
  }

  get logEndOffset(): number {
    return this.log.logEndOffset
  }

  /** Bookkeeping after a batch was appended to this replica's log (as leader or follower). */
  appended(batch: RecordBatch): void {
    this.epochs.onAppend(batch)
    if (batch.producerId >= 0) this.producerState.apply(batch)
  }

  /**
   * Drops everything from `offset` on (the whole batch holding it, if one straddles it), and
   * rebuilds what the log implies. Answers where the log now ends.
   */
  truncateTo(offset: number): number {
    this.log.truncateTo(offset)
    const end = this.log.logEndOffset
    this.recoveryPoint = Math.min(this.recoveryPoint, end)
    this.highWatermark = Math.min(this.highWatermark, end)
    this.epochs.truncateFromEnd(end)
    this.producerState = ProducerStateManager.fromLog(this.log)
    return end
  }
}
