import { PartitionLog } from '../log/partition-log.js'
import { ProducerStateManager } from '../txn/producer-state.js'
import type { RecordBatch } from '../log/record-batch.js'
import { LeaderEpochCache, isLatestEpoch, type LatestEpoch } from './leader-epoch.js'
import { timeHigh, timeLow, timeOf } from '../log/split-time.js'

/**
 * One broker's copy of a partition: its own log (sharing the leader's immutable batch objects),
 * what it knows of the high watermark, and the bookkeeping the leader keeps about it as a
 * follower (Kafka's Replica / LogReadResult state).
 */
export class Replica implements LatestEpoch {
  readonly brokerId: number
  readonly log: PartitionLog
  /** The high watermark as this replica knows it; followers learn it from each fetch. */
  highWatermark = 0
  /**
   * lastCaughtUpTime as two small integers (split-time.ts), set on every follower fetch: a
   * timestamp as a field is a number boxed apart from the replica, one more cache miss per
   * append at 10 000 partitions (issue 15).
   */
  private caughtUpHigh: number
  private caughtUpLow: number
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
  /**
   * The epoch cache's latest epoch and its start offset (-1 while it has none), which the cache
   * keeps here: an append in the latest epoch (every append but a new epoch's first) reads them
   * and leaves the cache itself untouched (issue 15: one object less per replica per append).
   */
  latestEpoch = -1
  latestEpochStart = -1
  /** Where each leader epoch starts in this replica's log (KIP-101). */
  readonly epochs: LeaderEpochCache

  constructor(brokerId: number, now: number) {
    this.brokerId = brokerId
    this.log = new PartitionLog(now)
    this.caughtUpHigh = timeHigh(now)
    this.caughtUpLow = timeLow(now, this.caughtUpHigh)
    this.epochs = new LeaderEpochCache(this)
  }

  /**
   * The last time this follower's log reached the leader's log end (Kafka's
   * lastCaughtUpTimeMs); it leaves the ISR once this is older than replica.lag.time.max.ms.
   */
  get lastCaughtUpTime(): number {
    return timeOf(this.caughtUpHigh, this.caughtUpLow)
  }

  set lastCaughtUpTime(time: number) {
    const high = timeHigh(time)
    this.caughtUpHigh = high
    this.caughtUpLow = timeLow(time, high)
  }

  get logEndOffset(): number {
    return this.log.logEndOffset
  }

  /** Bookkeeping after a batch was appended to this replica's log (as leader or follower). */
  appended(batch: RecordBatch): void {
    const epoch = batch.partitionLeaderEpoch
    if (!isLatestEpoch(this, epoch, batch.baseOffset)) this.epochs.assign(epoch, batch.baseOffset)
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
