/**
 * The background work on every replica's log, on the cluster's clock: Kafka's LogManager
 * retention check (every log.retention.check.interval.ms) and the log cleaner thread (every
 * log.cleaner.backoff.ms, when log.cleaner.enable). Each broker keeps its own copy of a
 * partition and maintains it on its own, so each replica log is treated independently.
 *
 * Topic settings are read at every pass, so AlterConfigs of cleanup.policy, retention.* and the
 * compaction settings take effect at the next pass.
 *
 * Which pass deletes what follows Kafka: the retention check deletes old segments of logs that
 * are not compacted (LogManager.cleanupLogs); a compact,delete log's retention is the cleaner's
 * job (LogCleaner.cleanFilthiestLog runs deleteOldSegments on compact,delete logs before
 * cleaning), so with log.cleaner.enable=false a compact,delete topic keeps its old segments, as
 * in Kafka. (The cleaner pass here also drops a compact-only log's segments below its
 * logStartOffset, which Kafka leaves; DeleteRecords is refused on such topics anyway.)
 * Where Kafka's cleaner threads clean the dirtiest log first and loop while there is work,
 * each pass here cleans every log that is dirty enough, once.
 */
import type { Clock, TimerHandle } from '../clock.js'
import type { TimelineEventInput } from '../timeline.js'
import type { Topic } from '../metadata/topic.js'
import type { Partition } from '../partition/partition.js'
import type { PartitionLog } from './partition-log.js'
import { deleteOldSegments, type SegmentDeletion } from './retention.js'
import { cleanLog, type CleanResult } from './log-cleaner.js'

/** One replica's log, as ClusterModel.replicaLogs() yields it. */
export interface ReplicaLogEntry {
  readonly topic: Topic
  readonly partition: Partition
  readonly brokerId: number
  readonly log: PartitionLog
  readonly isLeader: boolean
  /**
   * This replica's own high watermark, where the caller knows it. By default: the partition's
   * for the leader, the replica's own (Replica.highWatermark, learned from its fetches) for a
   * follower.
   */
  readonly highWatermark?: number
  /** This replica's own last stable offset; by default the partition's, capped the same way. */
  readonly lastStableOffset?: number
}

/** What ClusterModel gives the scheduler: the clock, broker configs, timeline and logs. */
export interface LogMaintenanceHost {
  readonly clock: Clock
  readonly config: {
    logRetentionCheckIntervalMs(): number
    logCleanerBackoffMs(): number
    logCleanerEnable(): boolean
  }
  readonly eventLog: { record(event: TimelineEventInput): void }
  replicaLogs(): Iterable<ReplicaLogEntry>
}

/** What one pass removed from one replica's log (only logs that lost something are listed). */
export interface LogCleanupResult {
  readonly topic: string
  readonly partition: number
  readonly brokerId: number
  /** Whole segments deleted by retention (retention.ms, retention.bytes, logStartOffset). */
  readonly deletedSegments: number
  /** The log start offset after the pass. */
  readonly logStartOffset: number
  /**
   * Records compaction removed: superseded by a later record of the same key, keyless, or part
   * of an aborted transaction.
   */
  readonly compactedRecords: number
  /** Tombstones compaction removed after delete.retention.ms. */
  readonly removedTombstones: number
}

export class LogMaintenance {
  private readonly host: LogMaintenanceHost
  private retentionTimer: TimerHandle | undefined
  private cleanerTimer: TimerHandle | undefined
  private stopped = false

  constructor(host: LogMaintenanceHost) {
    this.host = host
    this.scheduleRetention()
    this.scheduleCleaner()
  }

  /**
   * One retention check and one cleaner pass now, whatever log.cleaner.enable says (an explicit
   * request): every log's retention, then every compacted log that is dirty enough is compacted.
   */
  runCleaner(): LogCleanupResult[] {
    const results = new Results()
    for (const entry of this.host.replicaLogs()) {
      this.retain(entry, results)
      this.compact(entry, results)
    }
    return results.list()
  }

  /** The retention check alone (LogManager.cleanupLogs): logs that are not compacted. */
  runRetentionCheck(): LogCleanupResult[] {
    const results = new Results()
    for (const entry of this.host.replicaLogs()) {
      if (!entry.topic.settings.cleanupPolicy.includes('compact')) this.retain(entry, results)
    }
    return results.list()
  }

  /** One background cleaner pass: compacted logs' retention (compact,delete) and compaction. */
  runCleanerPass(): LogCleanupResult[] {
    const results = new Results()
    for (const entry of this.host.replicaLogs()) {
      if (!entry.topic.settings.cleanupPolicy.includes('compact')) continue
      this.retain(entry, results)
      this.compact(entry, results)
    }
    return results.list()
  }

  /** Cancels both timers (cluster.close()). */
  stop(): void {
    this.stopped = true
    this.host.clock.clearTimeout(this.retentionTimer)
    this.host.clock.clearTimeout(this.cleanerTimer)
    this.retentionTimer = undefined
    this.cleanerTimer = undefined
  }

  private scheduleRetention(): void {
    if (this.stopped) return
    this.retentionTimer = this.host.clock.setTimeout(() => {
      this.runRetentionCheck()
      this.scheduleRetention()
    }, this.host.config.logRetentionCheckIntervalMs())
  }

  private scheduleCleaner(): void {
    if (this.stopped || !this.host.config.logCleanerEnable()) return
    this.cleanerTimer = this.host.clock.setTimeout(() => {
      this.runCleanerPass()
      this.scheduleCleaner()
    }, this.host.config.logCleanerBackoffMs())
  }

  private retain(entry: ReplicaLogEntry, results: Results): void {
    const deletions = deleteOldSegments(entry.log, {
      settings: entry.topic.settings,
      highWatermark: highWatermarkOf(entry),
      now: this.host.clock.now(),
    })
    for (const deletion of deletions) {
      this.record(entry, deletion)
      results.add(entry, { deletedSegments: deletion.baseOffsets.length })
    }
    // The transaction index goes with the segments it covered (UnifiedLog.deleteSegments).
    if (deletions.length > 0) entry.partition.replica(entry.brokerId)?.producerState.trimAbortedBefore(entry.log.logStartOffset)
  }

  private compact(entry: ReplicaLogEntry, results: Results): void {
    const settings = entry.topic.settings
    if (!settings.cleanupPolicy.includes('compact')) return
    const cleaned = cleanLog(entry.log, {
      lastStableOffset: lastStableOffsetOf(entry),
      now: this.host.clock.now(),
      settings,
      abortedTransactions: entry.partition.replica(entry.brokerId)?.producerState.allAborted(),
    })
    if (!cleaned) return
    if (cleaned.removedMarkers > 0) entry.partition.replica(entry.brokerId)?.producerState.dropAbortedWithoutMarker(entry.log)
    if (cleaned.removedRecords > 0 || cleaned.removedTombstones > 0) {
      this.recordCompaction(entry, cleaned)
      results.add(entry, { compactedRecords: cleaned.removedRecords, removedTombstones: cleaned.removedTombstones })
    }
  }

  private record(entry: ReplicaLogEntry, deletion: SegmentDeletion): void {
    this.host.eventLog.record({
      type: 'segmentsDeleted',
      topic: entry.topic.name,
      partition: entry.partition.index,
      brokerId: entry.brokerId,
      reason: deletion.reason,
      baseOffsets: deletion.baseOffsets,
      logStartOffset: deletion.logStartOffset,
    })
  }

  private recordCompaction(entry: ReplicaLogEntry, cleaned: CleanResult): void {
    this.host.eventLog.record({
      type: 'logCompacted',
      topic: entry.topic.name,
      partition: entry.partition.index,
      brokerId: entry.brokerId,
      firstDirtyOffset: cleaned.firstDirtyOffset,
      cleanedUpTo: cleaned.cleanedUpTo,
      removedRecords: cleaned.removedRecords,
      removedTombstones: cleaned.removedTombstones,
      bytesBefore: cleaned.bytesBefore,
      bytesAfter: cleaned.bytesAfter,
    })
  }
}

/**
 * The replica's own high watermark: a follower's may lag the leader's, and a follower must not
 * delete or compact what it may yet truncate (its log above its own HW can diverge).
 */
function highWatermarkOf(entry: ReplicaLogEntry): number {
  if (entry.highWatermark !== undefined) return entry.highWatermark
  if (entry.isLeader) return entry.partition.highWatermark
  const own = entry.partition.replica(entry.brokerId)?.highWatermark ?? entry.partition.highWatermark
  return Math.min(own, entry.partition.highWatermark, entry.log.logEndOffset)
}

/**
 * The replica's last stable offset, from its own producer state: a follower that has not yet
 * copied a transaction's marker still sees the transaction open, and must not clean its data.
 */
function lastStableOffsetOf(entry: ReplicaLogEntry): number {
  if (entry.lastStableOffset !== undefined) return entry.lastStableOffset
  const highWatermark = highWatermarkOf(entry)
  const unstable = entry.partition.replica(entry.brokerId)?.producerState.firstUnstableOffset(highWatermark)
  return Math.min(entry.partition.lastStableOffset, unstable ?? highWatermark, highWatermark)
}

/** Per-log totals of one pass, in the order the logs were first touched. */
class Results {
  private readonly byLog = new Map<PartitionLog, { entry: ReplicaLogEntry; deletedSegments: number; compactedRecords: number; removedTombstones: number }>()

  add(entry: ReplicaLogEntry, counts: { deletedSegments?: number; compactedRecords?: number; removedTombstones?: number }): void {
    let totals = this.byLog.get(entry.log)
    if (!totals) {
      totals = { entry, deletedSegments: 0, compactedRecords: 0, removedTombstones: 0 }
      this.byLog.set(entry.log, totals)
    }
    totals.deletedSegments += counts.deletedSegments ?? 0
    totals.compactedRecords += counts.compactedRecords ?? 0
    totals.removedTombstones += counts.removedTombstones ?? 0
  }

  list(): LogCleanupResult[] {
    return [...this.byLog.values()].map(({ entry, deletedSegments, compactedRecords, removedTombstones }) => ({
      topic: entry.topic.name,
      partition: entry.partition.index,
      brokerId: entry.brokerId,
      deletedSegments,
      logStartOffset: entry.log.logStartOffset,
      compactedRecords,
      removedTombstones,
    }))
  }
}
