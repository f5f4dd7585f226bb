/**
 * Retention: deleting whole segments from the front of a log, as Kafka 3.7's
 * UnifiedLog.deleteOldSegments does on each log-retention check.
 *
 * Three rules, in Kafka's order, each deleting the oldest segments while it holds:
 * - logStartOffset: a segment whose successor starts at or below logStartOffset lies wholly
 *   below it (DeleteRecords moved it); applies whatever the cleanup.policy.
 * - retention.bytes: while the log minus the oldest segment is still >= retention.bytes.
 * - retention.ms: while the oldest segment's largest timestamp is older than now - retention.ms.
 * The last two only for a cleanup.policy that contains delete.
 *
 * A segment is deletable only when all its offsets are below the high watermark, so
 * logStartOffset only grows and never passes the high watermark. The active segment counts
 * too (its upper bound is the log end): when every segment is to go, Kafka first rolls a new
 * empty active segment at the log end and then deletes all the old ones, so the log is empty
 * and starts at its end. An empty active segment is never deleted.
 */
import type { LogSegment } from './segment.js'
import type { PartitionLog } from './partition-log.js'

/** Why segments were deleted (Kafka's SegmentDeletionReason). */
export type RetentionReason = 'retention.ms' | 'retention.bytes' | 'logStartOffset'

export interface RetentionSettings {
  readonly cleanupPolicy: readonly string[]
  /** retention.ms; negative: no time limit. */
  readonly retentionMs: number
  /** retention.bytes; negative: no size limit. */
  readonly retentionBytes: number
}

/** One rule's deletion: which segments went and where the log starts now. */
export interface SegmentDeletion {
  readonly reason: RetentionReason
  readonly baseOffsets: number[]
  readonly logStartOffset: number
}

/**
 * Deletes the segments that retention allows, oldest first, and returns what each rule
 * deleted (only the rules that deleted something).
 */
export function deleteOldSegments(
  log: PartitionLog,
  options: { settings: RetentionSettings; highWatermark: number; now: number },
): SegmentDeletion[] {
  const { settings, highWatermark, now } = options
  const deletions: SegmentDeletion[] = []
  const run = (reason: RetentionReason, shouldDelete: (segment: LogSegment, next: LogSegment | undefined) => boolean): void => {
    const deleted = deleteWhile(log, highWatermark, now, shouldDelete)
    if (deleted.length > 0) deletions.push({ reason, baseOffsets: deleted, logStartOffset: log.logStartOffset })
  }

  run('logStartOffset', (_segment, next) => next !== undefined && next.baseOffset <= log.logStartOffset)
  if (!settings.cleanupPolicy.includes('delete')) return deletions

  const retentionBytes = settings.retentionBytes
  const size = log.sizeInBytes
  if (retentionBytes >= 0 && size >= retentionBytes) {
    // How much over the limit the log is; each deleted segment pays off its size. A segment is
    // deleted only if the log is still at or over the limit without it.
    let excess = size - retentionBytes
    run('retention.bytes', (segment) => {
      if (excess - segment.sizeInBytes < 0) return false
      excess -= segment.sizeInBytes
      return true
    })
  }

  const retentionMs = settings.retentionMs
  if (retentionMs >= 0) run('retention.ms', (segment) => now - segment.largestTimestamp > retentionMs)
  return deletions
}

/**
 * UnifiedLog.deletableSegments + deleteSegments: walks from the oldest segment while the
 * predicate holds and the segment lies wholly below the high watermark, then deletes those.
 * The predicate is asked only about segments below the high watermark, and in order, so a
 * stateful predicate (retention.bytes) sees exactly the segments it may delete.
 */
function deleteWhile(
  log: PartitionLog,
  highWatermark: number,
  now: number,
  shouldDelete: (segment: LogSegment, next: LogSegment | undefined) => boolean,
): number[] {
  const segments = log.allSegments
  let count = 0
  while (count < segments.length) {
    const segment = segments[count]!
    const next = segments[count + 1]
    const upperBound = next ? next.baseOffset : log.logEndOffset
    const isLastAndEmpty = !next && segment.isEmpty
    // `&&` keeps the predicate from seeing segments at or above the high watermark.
    if (highWatermark >= upperBound && shouldDelete(segment, next) && !isLastAndEmpty) count++
    else break
  }
  if (count === 0) return []
  // A log always keeps one segment: deleting them all first rolls a new, empty active one.
  if (count === segments.length) log.roll(now)
  const baseOffsets: number[] = []
  for (let i = 0; i < count; i++) baseOffsets.push(log.deleteOldestSegment()!.baseOffset)
  return baseOffsets
}
