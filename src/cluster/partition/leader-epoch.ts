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

/** The epoch cache of a log: the first offset of each leader epoch it holds, ascending. */
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
 * OffsetsForLeaderEpoch as the leader answers it: the largest epoch <= `epoch` that the log
 * knows, and the offset where that epoch ends (the next epoch's start, or the log end).
 * { epoch: -1, endOffset: -1 } when the log has no epoch that old.
 */
export function endOffsetForEpoch(log: PartitionLog, epoch: number, cache: EpochEntry[] = epochCache(log)): { epoch: number; endOffset: number } {
  let found = -1
  for (let i = 0; i < cache.length; i++) if (cache[i]!.epoch <= epoch) found = i
  if (found === -1) return { epoch: -1, endOffset: -1 }
  const next = cache[found + 1]
  return { epoch: cache[found]!.epoch, endOffset: next ? next.startOffset : log.logEndOffset }
}

/**
 * Where a follower's log must be truncated to agree with its leader (KIP-279): the follower
 * asks for the end of its latest epoch; it keeps min(the leader's end offset for that epoch, its
 * own end offset for the epoch the leader answered with). An empty or unknown history keeps
 * nothing the leader does not have.
 */
export function divergenceOffset(follower: PartitionLog, leader: PartitionLog): number {
  const followerCache = epochCache(follower)
  const latest = followerCache[followerCache.length - 1]
  if (!latest) return Math.min(follower.logEndOffset, leader.logEndOffset)
  const answer = endOffsetForEpoch(leader, latest.epoch)
  if (answer.epoch === -1) return Math.min(leader.logStartOffset, follower.logEndOffset)
  const own = endOffsetForEpoch(follower, answer.epoch, followerCache)
  return Math.min(answer.endOffset, own.endOffset === -1 ? follower.logEndOffset : own.endOffset)
}
