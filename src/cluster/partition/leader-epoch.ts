/**
 * Leader epochs (KIP-101, KIP-279): every batch carries the epoch of the leader that appended
 * it, and a replica's epoch cache (epoch -> first offset of that epoch) says where its log and
 * another's part ways. A replica that returns, or whose leader changed, truncates to the end
 * offset the leader reports for the replica's latest epoch, so no two replicas ever diverge
 * below the high watermark, even across fast consecutive leader changes.
 */
import type { PartitionLog } from '../log/partition-log.js'

export interface EpochEntry {
  readonly epoch: number
  readonly startOffset: number
}

/** The latest entry of a leader-epoch cache: its epoch and start offset, -1 and -1 while it has none. */
export interface LatestEpoch {
  latestEpoch: number
  latestEpochStart: number
}

/**
 * Whether assigning `epoch` at `startOffset` leaves a cache whose latest entry is `latest`
 * unchanged: the epoch is the latest one and starts at or before `startOffset`.
 */
export function isLatestEpoch(latest: LatestEpoch, epoch: number, startOffset: number): boolean {
  const start = latest.latestEpochStart
  return start >= 0 && latest.latestEpoch === epoch && start <= startOffset
}

/**
 * A replica's leader-epoch cache (Kafka's LeaderEpochFileCache): kept as batches are appended,
 * given a new entry when the replica becomes leader of a new epoch (at its log end, before it
 * has written anything in that epoch), and cut back when the log is truncated.
 */
export class LeaderEpochCache {
  private entries: EpochEntry[] = []
  /**
   * The latest entry's epoch and start offset (-1 when empty), kept outside the list: every
   * append asks for them, and at 10 000 partitions the list and its entry are rarely in the
   * CPU's cache (issue 15). A replica's cache keeps them in the replica itself, which every
   * append reads anyway, so that an append in the latest epoch does not touch the cache at all.
   */
  private readonly tip: LatestEpoch
  /** Counts the changes of the list: an answer derived from it holds while this is unchanged. */
  changes = 0

  /** `latest`: where the latest entry's epoch and start are kept (a replica passes itself). */
  constructor(latest: LatestEpoch = { latestEpoch: -1, latestEpochStart: -1 }) {
    this.tip = latest
    latest.latestEpoch = -1
    latest.latestEpochStart = -1
  }

  get all(): readonly EpochEntry[] {
    return this.entries
  }

  latest(): EpochEntry | undefined {
    return this.entries[this.entries.length - 1]
  }

  /**
   * Records the start of `epoch` at `startOffset` (LeaderEpochFileCache.assign): nothing to do
   * for the latest epoch at or after its recorded start; otherwise the trailing entries the new
   * one does not strictly follow (an epoch as new or newer, or a start as late or later) are
   * dropped first (maybeTruncateNonMonotonicEntries). A replica that was leader of an epoch in
   * which it wrote nothing, then copies an older epoch's batch at that offset from its new
   * leader, so forgets the empty epoch instead of keeping it ahead of data it never had.
   */
  assign(epoch: number, startOffset: number): void {
    // The start is -1 only while the list is empty: the usual append reads no more than these two fields.
    if (isLatestEpoch(this.tip, epoch, startOffset)) return
    while (this.entries.length > 0) {
      const last = this.entries[this.entries.length - 1]!
      if (last.epoch < epoch && last.startOffset < startOffset) break
      this.entries.pop()
    }
    this.entries.push({ epoch, startOffset })
    this.changes++
    this.tip.latestEpoch = epoch
    this.tip.latestEpochStart = startOffset
  }

  /** Truncating the log to `offset` drops the epochs that start at or after it. */
  truncateFromEnd(offset: number): void {
    this.setEntries(this.entries.filter((e) => e.startOffset < offset))
  }

  static fromLog(log: PartitionLog): LeaderEpochCache {
    const cache = new LeaderEpochCache()
    cache.setEntries(epochCache(log))
    return cache
  }

  private setEntries(entries: EpochEntry[]): void {
    this.entries = entries
    this.changes++
    const latest = entries[entries.length - 1]
    this.tip.latestEpoch = latest ? latest.epoch : -1
    this.tip.latestEpochStart = latest ? latest.startOffset : -1
  }
}

/** The epoch cache implied by a log's batches alone: the first offset of each leader epoch. */
export function epochCache(log: PartitionLog): EpochEntry[] {
  const entries: EpochEntry[] = []
  for (const segment of log.allSegments) {
    for (const batch of segment.batches) {
      const last = entries[entries.length - 1]
      if (!last || batch.partitionLeaderEpoch > last.epoch) entries.push({ epoch: batch.partitionLeaderEpoch, startOffset: batch.baseOffset })
    }
  }
  return entries
}

/**
 * OffsetsForLeaderEpoch as the leader answers it (LeaderEpochFileCache.endOffsetFor): for its
 * latest epoch, the log end; otherwise the largest epoch <= `epoch` it knows and the start of
 * the next one — or, when `epoch` is older than every epoch it has, `epoch` itself and the start
 * of its first epoch. { epoch: -1, endOffset: -1 } (undefined) when `epoch` is newer than all.
 */
export function endOffsetForEpoch(cache: readonly EpochEntry[], logEndOffset: number, epoch: number): { epoch: number; endOffset: number } {
  const latest = cache[cache.length - 1]
  if (!latest || epoch < 0) return { epoch: -1, endOffset: -1 }
  if (latest.epoch === epoch) return { epoch, endOffset: logEndOffset }
  const higher = cache.findIndex((e) => e.epoch > epoch)
  if (higher === -1) return { epoch: -1, endOffset: -1 }
  const floor = higher - 1
  if (floor < 0) return { epoch, endOffset: cache[higher]!.startOffset }
  return { epoch: cache[floor]!.epoch, endOffset: cache[higher]!.startOffset }
}

/**
 * Where a follower's log must be truncated to agree with its leader (KIP-279): the follower
 * asks for the end of its latest epoch; it keeps min(the leader's end offset for that epoch, its
 * own end offset for the epoch the leader answered with). An empty or unknown history keeps
 * nothing the leader does not have.
 */
export interface EpochView {
  readonly epochs: LeaderEpochCache
  readonly logEndOffset: number
  readonly highWatermark: number
}

export function divergenceOffset(follower: EpochView, leader: EpochView): number {
  // Kafka's AbstractFetcherThread repeats OffsetsForLeaderEpoch: when the leader answers with an
  // epoch the follower does not know, the follower truncates to the end of its largest epoch
  // below that one, forgets the later epochs, and asks again with its new latest epoch.
  let end = follower.logEndOffset
  let epochs = follower.epochs.all
  for (;;) {
    const latest = epochs[epochs.length - 1]
    if (!latest) return Math.min(end, leader.logEndOffset)
    const answer = endOffsetForEpoch(leader.epochs.all, leader.logEndOffset, latest.epoch)
    // The leader knows no such epoch: fall back to the follower's high watermark (pre-KIP-101).
    if (answer.epoch === -1) return Math.min(follower.highWatermark, end, leader.logEndOffset)
    if (answer.epoch === latest.epoch) return Math.min(answer.endOffset, end)
    const own = endOffsetForEpoch(epochs, end, answer.epoch)
    // Not tracking epochs that far back: the leader's end offset for its epoch is safe.
    if (own.epoch === -1) return Math.min(answer.endOffset, end)
    if (own.epoch === answer.epoch) return Math.min(answer.endOffset, own.endOffset)
    // An intermediate truncation (own.endOffset is the start of a later epoch, so below end).
    end = Math.min(own.endOffset, end)
    const cut = end
    epochs = epochs.filter((e) => e.startOffset < cut)
  }
}
