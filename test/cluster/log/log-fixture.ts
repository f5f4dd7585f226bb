/**
 * Helpers for the retention and cleaner tests: logs built batch by batch, with segment
 * boundaries placed by hand (roll), and the records a consumer would read back.
 */
import { PartitionLog, type LogRollPolicy } from '../../../src/cluster/log/partition-log.js'
import { TimestampType, type ProducerRecord, type RecordBatch } from '../../../src/cluster/log/record-batch.js'
import type { CleanerSettings } from '../../../src/cluster/log/log-cleaner.js'

export const NEVER_ROLL: LogRollPolicy = { segmentBytes: Number.MAX_SAFE_INTEGER, segmentMs: Number.MAX_SAFE_INTEGER }

/** Kafka's defaults for a compacted topic, with segment grouping off unless asked. */
export const COMPACT: CleanerSettings = {
  cleanupPolicy: ['compact'],
  segmentBytes: 1,
  deleteRetentionMs: 86_400_000,
  minCompactionLagMs: 0,
  maxCompactionLagMs: Infinity,
  minCleanableDirtyRatio: 0.5,
}

export function text(s: string): Buffer {
  return Buffer.from(s)
}

/** A record: key and value as text, null for none (a null value is a tombstone). */
export function rec(key: string | null, value: string | null, timestamp?: number): ProducerRecord {
  return { key: key === null ? null : text(key), value: value === null ? null : text(value), timestamp }
}

export function append(log: PartitionLog, records: readonly ProducerRecord[], now = 0, options: { isControl?: boolean; roll?: LogRollPolicy } = {}): RecordBatch {
  return log.appendRecords({
    records,
    leaderEpoch: 0,
    timestampType: TimestampType.CreateTime,
    now,
    roll: options.roll ?? NEVER_ROLL,
    isControl: options.isControl,
  })
}

/**
 * A log whose segments hold the given batches: each inner array is a segment, each string
 * `key=value` a record (`key=` alone is a tombstone) in a batch of its own unless grouped
 * with `|` ("a=1|b=2" is one batch of two). The last segment is the active one.
 */
export function logOf(segments: readonly (readonly string[])[], now = 0): PartitionLog {
  const log = new PartitionLog(now)
  segments.forEach((batches, i) => {
    if (i > 0) log.roll(now)
    for (const batch of batches) append(log, batch.split('|').map(parseRecord), now)
  })
  return log
}

function parseRecord(spec: string): ProducerRecord {
  const eq = spec.indexOf('=')
  if (eq < 0) return rec(null, spec)
  const value = spec.slice(eq + 1)
  return rec(spec.slice(0, eq), value === '' ? null : value)
}

export interface ReadRecord {
  offset: number
  key: string | null
  value: string | null
}

/** What a consumer reading from `from` to the log end sees (control batches skipped). */
export function readAll(log: PartitionLog, from = log.logStartOffset, to = log.logEndOffset): ReadRecord[] {
  const out: ReadRecord[] = []
  for (const batch of log.read(from, to, Infinity)) {
    if (batch.isControl) continue
    for (let i = batch.indexOfOffset(from); i < batch.count; i++) {
      const offset = batch.offsetAt(i)
      if (offset >= to) break
      out.push({ offset, key: batch.keyAt(i)?.toString() ?? null, value: batch.valueAt(i)?.toString() ?? null })
    }
  }
  return out
}

/** `offset:key=value` per record, the way the tests write expectations. */
export function show(records: readonly ReadRecord[]): string[] {
  return records.map((r) => `${r.offset}:${r.key ?? ''}=${r.value ?? ''}`)
}

export const segmentBases = (log: PartitionLog): number[] => log.allSegments.map((s) => s.baseOffset)
