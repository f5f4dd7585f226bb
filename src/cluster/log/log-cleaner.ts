/**
 * Log compaction: Kafka 3.7's LogCleaner / Cleaner / LogCleanerManager, for one replica's log.
 *
 * The log is seen as three parts (LogCleaner's class comment):
 *   [logStartOffset, firstDirtyOffset)            the clean part, compacted by earlier passes
 *   [firstDirtyOffset, firstUncleanableOffset)    the cleanable dirty part
 *   [firstUncleanableOffset, logEndOffset)        never touched: the active segment, anything at
 *                                                 or above the last stable offset (so nothing
 *                                                 undecided or uncommitted), and any segment
 *                                                 younger than min.compaction.lag.ms
 * A pass builds a key -> last offset map over the cleanable dirty part, then recopies every
 * segment below firstUncleanableOffset keeping a record only if no later record of its key is
 * in the map. Offsets never change (a removed offset reads as the next record kept), order
 * never changes, and the last record of every key is always kept.
 *
 * Tombstones (a key with a null value) follow KIP-534: the first pass that keeps a batch with a
 * tombstone stamps it with a delete horizon, now + delete.retention.ms; a pass after the horizon
 * drops the tombstones, so a consumer that reads the log from the start within
 * delete.retention.ms sees every delete.
 *
 * A pass runs when the dirty part is more than min.cleanable.dirty.ratio of the cleanable log,
 * or when a dirty record has waited longer than max.compaction.lag.ms (KIP-354).
 *
 * Transactions (Kafka's CleanedTransactionMetadata): the cleaner works only below the last
 * stable offset, so every transaction it sees is decided. Batches of aborted transactions (from
 * the replica's transaction index, its producer state) are left out of the key map, so aborted
 * data never supersedes committed data, and are removed. A transaction marker whose
 * transaction has no record left (all superseded, or aborted) is stamped with a delete horizon
 * like a tombstone, and a later pass past it removes the marker (CleanedTransactionMetadata).
 */
import { LogSegment } from './segment.js'
import { OffsetMap } from './offset-map.js'
import { NO_DELETE_HORIZON, type RecordBatch } from './record-batch.js'
import type { PartitionLog } from './partition-log.js'

/** An aborted transaction of the transaction index: its producer, first offset and abort marker. */
export interface AbortedTransaction {
  readonly producerId: number
  readonly firstOffset: number
  /** The offset of the ABORT marker. */
  readonly lastOffset: number
}

/** What a pass needs besides the log: this replica's LSO, the clock, the topic's settings. */
export interface CleanOptions {
  /** This replica's last stable offset (its high watermark when no transaction is open). */
  readonly lastStableOffset: number
  readonly now: number
  readonly settings: CleanerSettings
  /** The replica's aborted transactions; their data is removed and never supersedes other data. */
  readonly abortedTransactions?: readonly AbortedTransaction[]
}

/** The topic settings the cleaner reads, under TopicSettings' names. */
export interface CleanerSettings {
  readonly cleanupPolicy: readonly string[]
  readonly segmentBytes: number
  readonly deleteRetentionMs: number
  readonly minCompactionLagMs: number
  readonly maxCompactionLagMs: number
  readonly minCleanableDirtyRatio: number
}

/** Kafka's LogToClean: where the dirty part is and how dirty the log is. */
export interface LogToClean {
  readonly firstDirtyOffset: number
  /** Always a segment's base offset: cleaning works on whole segments. */
  readonly firstUncleanableOffset: number
  /** Bytes of the segments below the dirty part. */
  readonly cleanBytes: number
  /** Bytes of the segments of the cleanable dirty part. */
  readonly cleanableBytes: number
  /** cleanableBytes / (cleanBytes + cleanableBytes), 0 for an empty log. */
  readonly cleanableRatio: number
  /** A dirty record has waited longer than max.compaction.lag.ms (KIP-354). */
  readonly needCompactionNow: boolean
}

/** What one pass did to a log. */
export interface CleanResult {
  readonly firstDirtyOffset: number
  /** The new cleaner checkpoint: everything below it is clean. */
  readonly cleanedUpTo: number
  /** Records removed because a later record has the same key (and keyless records). */
  readonly removedRecords: number
  /** Tombstones removed because their delete horizon had passed. */
  readonly removedTombstones: number
  /** Keyless records found (and removed): data written before the topic became compacted. */
  readonly invalidRecords: number
  /** Records of aborted transactions removed (counted in removedRecords too). */
  readonly abortedRecords: number
  /** Transaction markers removed: their transaction had no record left past delete.retention.ms. */
  readonly removedMarkers: number
  readonly bytesBefore: number
  readonly bytesAfter: number
}

/**
 * LogCleanerManager.cleanableOffsets and calculateCleanableBytes: the dirty range and the
 * figures that decide whether the log is worth a pass. `lastStableOffset` is this replica's
 * (the high watermark when no transaction is open).
 */
export function logToClean(log: PartitionLog, options: CleanOptions): LogToClean {
  const { now, settings } = options
  const segments = log.allSegments
  const activeIndex = segments.length - 1
  const logStartOffset = log.logStartOffset
  // The checkpoint is reset when it no longer fits the log (truncation, retention overtaking it).
  const checkpoint = log.cleanerCheckpoint
  const firstDirtyOffset = checkpoint === undefined || checkpoint < logStartOffset || checkpoint > log.logEndOffset ? logStartOffset : checkpoint
  const dirtyIndex = log.segmentIndexFor(firstDirtyOffset)

  // The first offset that must not be cleaned: the active segment, the last stable offset (so
  // only decided, replicated data is cleaned), and the first segment with a record younger than
  // min.compaction.lag.ms.
  let uncleanable = Math.min(segments[activeIndex]!.baseOffset, Math.max(0, options.lastStableOffset))
  if (settings.minCompactionLagMs > 0) {
    for (let i = dirtyIndex; i < activeIndex; i++) {
      const segment = segments[i]!
      if (segment.largestTimestamp > now - settings.minCompactionLagMs) {
        uncleanable = Math.min(uncleanable, segment.baseOffset)
        break
      }
    }
  }
  // Rounded down to the base of the segment that holds it.
  const uncleanableIndex = Math.min(activeIndex, log.segmentIndexFor(uncleanable))
  const firstUncleanableOffset = segments[uncleanableIndex]!.baseOffset

  let cleanBytes = 0
  for (let i = 0; i < dirtyIndex; i++) cleanBytes += segments[i]!.sizeInBytes
  let cleanableBytes = 0
  for (let i = Math.min(dirtyIndex, uncleanableIndex); i < uncleanableIndex; i++) cleanableBytes += segments[i]!.sizeInBytes
  const totalBytes = cleanBytes + cleanableBytes

  // LogCleanerManager.maxCompactionDelay: the earliest first-batch timestamp of the dirty,
  // non-active segments against now - max.compaction.lag.ms. (Kafka skips timestamps <= 0 as
  // "none"; memkafka's timestamps are real from 0, so only the no-timestamp -1 is skipped.)
  let earliest = Infinity
  for (let i = dirtyIndex; i < activeIndex; i++) {
    const first = segments[i]!.batches[0]
    if (first && first.maxTimestamp >= 0 && first.maxTimestamp < earliest) earliest = first.maxTimestamp
  }
  const needCompactionNow = earliest < now - settings.maxCompactionLagMs

  return {
    firstDirtyOffset,
    firstUncleanableOffset,
    cleanBytes,
    cleanableBytes,
    cleanableRatio: totalBytes > 0 ? cleanableBytes / totalBytes : 0,
    needCompactionNow,
  }
}

/** LogCleanerManager.grabFilthiestCompactedLog's test: is the log worth a pass now? */
export function shouldClean(toClean: LogToClean, settings: CleanerSettings): boolean {
  if (toClean.cleanBytes + toClean.cleanableBytes === 0) return false
  return (toClean.needCompactionNow && toClean.cleanableBytes > 0) || toClean.cleanableRatio > settings.minCleanableDirtyRatio
}

/**
 * One cleaner pass over a log if it is compacted and dirty enough (otherwise undefined):
 * what the cleaner thread does each time it picks this log.
 */
export function cleanLog(log: PartitionLog, options: CleanOptions): CleanResult | undefined {
  if (!options.settings.cleanupPolicy.includes('compact')) return undefined
  const toClean = logToClean(log, options)
  if (!shouldClean(toClean, options.settings)) return undefined
  return doClean(log, toClean, options)
}

/**
 * Cleaner.doClean: builds the offset map over the dirty part, then cleans every segment below
 * the first uncleanable offset, in groups that fit in segment.bytes, and moves the checkpoint.
 */
export function doClean(log: PartitionLog, toClean: LogToClean, options: Omit<CleanOptions, 'lastStableOffset'>): CleanResult {
  const { now, settings } = options
  const { firstDirtyOffset, firstUncleanableOffset: endOffset } = toClean
  const aborted = new AbortedTransactions(options.abortedTransactions ?? [])
  const map = buildOffsetMap(log, firstDirtyOffset, endOffset, aborted)

  const segments = log.allSegments
  const cleanable: LogSegment[] = []
  for (const segment of segments) {
    if (segment.baseOffset >= endOffset || segment === log.activeSegment) break
    cleanable.push(segment)
  }
  const pass = new CleaningPass(log, map, aborted, firstDirtyOffset, endOffset, now, settings.deleteRetentionMs)
  let bytesBefore = 0
  let bytesAfter = 0
  for (const group of groupSegmentsBySize(cleanable, settings.segmentBytes)) {
    for (const s of group) bytesBefore += s.sizeInBytes
    const cleaned = pass.cleanSegments(group)
    if (cleaned) log.replaceSegments(group, cleaned)
    bytesAfter += (cleaned ?? group[0]!).sizeInBytes
  }
  log.cleanerCheckpoint = endOffset
  return {
    firstDirtyOffset,
    cleanedUpTo: endOffset,
    removedRecords: pass.removedRecords,
    removedTombstones: pass.removedTombstones,
    invalidRecords: pass.invalidRecords,
    abortedRecords: pass.abortedRecords,
    removedMarkers: pass.removedMarkers,
    bytesBefore,
    bytesAfter,
  }
}

/**
 * Cleaner.buildOffsetMap: the last offset of every key in [start, end), leaving out control
 * batches (markers) and aborted transactions' batches. The map covers up to end - 1 even where
 * the last offsets were compacted away earlier.
 */
export function buildOffsetMap(log: PartitionLog, start: number, end: number, aborted: AbortedTransactions = new AbortedTransactions([])): OffsetMap {
  const map = new OffsetMap()
  const segments = log.allSegments
  for (let s = log.segmentIndexFor(start); s < segments.length; s++) {
    const segment = segments[s]!
    if (segment.baseOffset >= end) break
    for (const batch of segment.batches) {
      if (batch.baseOffset >= end) break
      if (batch.lastOffset < start || batch.isControl || aborted.contains(batch)) continue
      const count = batch.count
      for (let i = 0; i < count; i++) {
        if (!batch.hasKeyAt(i)) continue
        const offset = batch.offsetAt(i)
        if (offset >= start && offset < end) map.put(batch, i, offset)
      }
    }
  }
  map.latestOffset = end - 1
  return map
}

/**
 * Cleaner.groupSegmentsBySize: runs of adjacent segments whose sizes add up to at most
 * segment.bytes are cleaned into one segment, so segments do not shrink without end as
 * compaction repeats.
 */
export function groupSegmentsBySize(segments: readonly LogSegment[], maxSize: number): LogSegment[][] {
  const groups: LogSegment[][] = []
  let i = 0
  while (i < segments.length) {
    const group = [segments[i]!]
    let size = segments[i]!.sizeInBytes
    i++
    while (i < segments.length && size + segments[i]!.sizeInBytes <= maxSize) {
      size += segments[i]!.sizeInBytes
      group.push(segments[i]!)
      i++
    }
    groups.push(group)
  }
  return groups
}

/** The record filter of one pass (Cleaner.cleanInto's RecordFilter), with its counts. */
class CleaningPass {
  removedRecords = 0
  removedTombstones = 0
  invalidRecords = 0
  abortedRecords = 0
  removedMarkers = 0
  /** Producers whose current transaction (since their last marker) still has records kept. */
  private readonly transactionsWithData = new Set<number>()
  private mask = new Uint8Array(256)
  private lastBatchOfProducer: Map<number, number> | undefined
  /** The map's offsets in order, and how far the dirty batches have walked through them. */
  private readonly lastOffsets: Float64Array
  private cursor = 0

  constructor(
    private readonly log: PartitionLog,
    private readonly map: OffsetMap,
    private readonly aborted: AbortedTransactions,
    private readonly firstDirtyOffset: number,
    private readonly endOffset: number,
    private readonly now: number,
    private readonly deleteRetentionMs: number,
  ) {
    this.lastOffsets = map.offsetsInOrder()
  }

  /**
   * Cleaner.cleanSegments: the group's segments cleaned into one new segment starting at the
   * first one's base offset and keeping the last one's modification time. Undefined when the
   * group is a single segment that cleaning leaves unchanged.
   */
  cleanSegments(group: readonly LogSegment[]): LogSegment | undefined {
    const first = group[0]!
    const cleaned = new LogSegment(first.baseOffset, first.createdAt, group[group.length - 1]!.lastModified)
    let changed = group.length > 1
    for (const segment of group) {
      for (const batch of segment.batches) {
        const kept = this.cleanBatch(batch)
        if (kept !== batch) changed = true
        if (kept) cleaned.append(kept)
      }
    }
    return changed ? cleaned : undefined
  }

  /** The batch as cleaning leaves it: the same object when nothing changes, undefined when it goes. */
  private cleanBatch(batch: RecordBatch): RecordBatch | undefined {
    if (batch.isControl) return this.cleanMarker(batch)
    const kept = this.cleanDataBatch(batch)
    if (batch.isTransactional && kept && kept.count > 0) this.transactionsWithData.add(batch.producerId)
    return kept
  }

  /**
   * A marker stays while its transaction has records; once it has none, it is kept
   * delete.retention.ms more (so a reader who saw the records also sees it end), then removed.
   */
  private cleanMarker(batch: RecordBatch): RecordBatch | undefined {
    const hasData = this.transactionsWithData.delete(batch.producerId)
    if (hasData) return batch
    if (batch.deleteHorizonMs === NO_DELETE_HORIZON) return batch.withDeleteHorizon(this.now + this.deleteRetentionMs)
    if (this.now < batch.deleteHorizonMs) return batch
    this.removedMarkers++
    // A producer's last batch stays, emptied, to keep its place (Kafka's RETAIN_EMPTY).
    return this.retainEmpty(batch) ? batch.retainMask(new Uint8Array(batch.count), 0) : undefined
  }

  private cleanDataBatch(batch: RecordBatch): RecordBatch | undefined {
    const count = batch.count
    if (this.aborted.contains(batch)) {
      // Aborted data goes whole (Kafka's BatchRetention.DELETE), whatever its keys.
      this.abortedRecords += count
      this.removedRecords += count
      return this.retainEmpty(batch) ? batch.retainMask(new Uint8Array(count), 0) : undefined
    }
    if (this.mask.length < count) this.mask = new Uint8Array(Math.max(count, this.mask.length * 2))
    const mask = this.mask
    const map = this.map
    // KIP-534: tombstones of a batch stamped with a horizon go once the clock reaches it.
    const retainDeletes = batch.deleteHorizonMs === NO_DELETE_HORIZON || this.now < batch.deleteHorizonMs
    // A batch of the dirty part keeps exactly the records that are the last of their key
    // there: the map's offsets. Walking them in order needs no key lookup, and a batch holding
    // none of them goes whole.
    const dirty = batch.baseOffset >= this.firstDirtyOffset
    const lastOffsets = this.lastOffsets
    if (dirty) {
      while (this.cursor < lastOffsets.length && lastOffsets[this.cursor]! < batch.baseOffset) this.cursor++
      if (this.cursor === lastOffsets.length || lastOffsets[this.cursor]! > batch.lastOffset) {
        for (let i = 0; i < count; i++) if (!batch.hasKeyAt(i)) this.invalidRecords++
        this.removedRecords += count
        return this.retainEmpty(batch) ? batch.retainMask(mask.fill(0, 0, count), 0) : undefined
      }
    }
    let kept = 0
    let tombstonesKept = 0
    for (let i = 0; i < count; i++) {
      mask[i] = 0
      if (!batch.hasKeyAt(i)) {
        // A compacted topic refuses keyless records, but data written before the policy
        // changed may have them; Kafka's cleaner counts them as invalid and drops them.
        this.invalidRecords++
        this.removedRecords++
        continue
      }
      const offset = batch.offsetAt(i)
      let superseded: boolean
      if (dirty) {
        while (this.cursor < lastOffsets.length && lastOffsets[this.cursor]! < offset) this.cursor++
        superseded = lastOffsets[this.cursor] !== offset
      } else {
        superseded = offset <= map.latestOffset && offset < map.get(batch, i)
      }
      if (superseded) {
        this.removedRecords++
        continue
      }
      if (batch.isTombstoneAt(i)) {
        if (!retainDeletes) {
          this.removedTombstones++
          continue
        }
        tombstonesKept++
      }
      mask[i] = 1
      kept++
    }
    const needsHorizon = tombstonesKept > 0 && batch.deleteHorizonMs === NO_DELETE_HORIZON
    const horizon = needsHorizon ? this.now + this.deleteRetentionMs : batch.deleteHorizonMs
    if (kept === count) return needsHorizon ? batch.withDeleteHorizon(horizon) : batch
    if (kept === 0 && !this.retainEmpty(batch)) return undefined
    return batch.retainMask(mask, kept, { deleteHorizonMs: horizon })
  }

  /**
   * Kafka keeps an emptied batch in two cases: the last batch of the cleaning round, so the
   * log still says where the round ended; and an active producer's last batch, which holds its
   * last sequence number (needed for idempotence, issue 5).
   */
  private retainEmpty(batch: RecordBatch): boolean {
    if (batch.lastOffset + 1 === this.endOffset) return true
    if (batch.producerId < 0) return false
    this.lastBatchOfProducer ??= lastBatchOfEachProducer(this.log)
    return this.lastBatchOfProducer.get(batch.producerId) === batch.lastOffset
  }
}

/** The transaction index, looked up by batch: is this batch part of an aborted transaction? */
export class AbortedTransactions {
  private readonly byProducer = new Map<number, AbortedTransaction[]>()

  constructor(aborted: readonly AbortedTransaction[]) {
    for (const a of aborted) {
      let list = this.byProducer.get(a.producerId)
      if (!list) this.byProducer.set(a.producerId, (list = []))
      list.push(a)
    }
  }

  /** A transactional data batch between its transaction's first offset and its ABORT marker. */
  contains(batch: RecordBatch): boolean {
    if (!batch.isTransactional || batch.isControl || this.byProducer.size === 0) return false
    const list = this.byProducer.get(batch.producerId)
    if (!list) return false
    for (const a of list) if (a.firstOffset <= batch.baseOffset && batch.lastOffset < a.lastOffset) return true
    return false
  }
}

function lastBatchOfEachProducer(log: PartitionLog): Map<number, number> {
  const last = new Map<number, number>()
  for (const segment of log.allSegments) {
    for (const batch of segment.batches) if (batch.producerId >= 0) last.set(batch.producerId, batch.lastOffset)
  }
  return last
}
