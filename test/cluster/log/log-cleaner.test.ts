/**
 * The log cleaner (Kafka 3.7's Cleaner and LogCleanerManager) on one log: the last record of
 * every key kept, offsets and order unchanged, the active segment and everything at or above
 * the last stable offset untouched, min.compaction.lag.ms, max.compaction.lag.ms,
 * min.cleanable.dirty.ratio, tombstones kept for delete.retention.ms after the pass that first
 * kept them (KIP-534), keyless records dropped, control batches kept.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { PartitionLog, maxSegmentMs } from '../../../src/cluster/log/partition-log.js'
import { cleanLog, groupSegmentsBySize, logToClean, type CleanerSettings } from '../../../src/cluster/log/log-cleaner.js'
import { OffsetMap } from '../../../src/cluster/log/offset-map.js'
import { NO_DELETE_HORIZON, RecordBatch, TimestampType } from '../../../src/cluster/log/record-batch.js'
import { endTransactionMarker } from '../../../src/cluster/log/control-record.js'
import { COMPACT, append, logOf, readAll, rec, segmentBases, show } from './log-fixture.js'

function clean(log: PartitionLog, options: { now?: number; settings?: Partial<CleanerSettings>; lastStableOffset?: number } = {}) {
  return cleanLog(log, {
    lastStableOffset: options.lastStableOffset ?? log.logEndOffset,
    now: options.now ?? 0,
    settings: { ...COMPACT, ...options.settings },
  })
}

describe('keeping the last record per key', () => {
  // 0 a=1, 1 b=1, 2 a=2 | 3 b=2, 4 c=1 | 5 a=3 (active)
  const build = () => logOf([['a=1', 'b=1', 'a=2'], ['b=2', 'c=1'], ['a=3']])

  it('removes every record that a later record of the same key supersedes, offsets unchanged', () => {
    const log = build()
    const result = clean(log)
    expect(result).toMatchObject({ firstDirtyOffset: 0, cleanedUpTo: 5, removedRecords: 2, removedTombstones: 0 })
    // a=2 stays: the later a=3 is in the active segment, which the cleaner never reads.
    expect(show(readAll(log))).toEqual(['2:a=2', '3:b=2', '4:c=1', '5:a=3'])
    expect([log.logStartOffset, log.logEndOffset, ...segmentBases(log)]).toEqual([0, 6, 0, 3, 5])
  })

  it('reads a removed offset as the next record kept', () => {
    const log = build()
    clean(log)
    expect(show(readAll(log, 0))).toEqual(show(readAll(log, 2)))
    expect(show(readAll(log, 1)).at(0)).toBe('2:a=2')
  })

  it('never touches the active segment', () => {
    const log = build()
    const active = log.activeSegment
    const batches = [...active.batches]
    clean(log)
    expect(log.activeSegment).toBe(active)
    expect(active.batches).toEqual(batches)
    expect(active.batches[0]).toBe(batches[0])
  })

  it('moves the checkpoint to the end of the cleaned range, and a clean log needs no pass', () => {
    const log = build()
    clean(log)
    expect(log.cleanerCheckpoint).toBe(5)
    expect(logToClean(log, { lastStableOffset: 6, now: 0, settings: COMPACT })).toMatchObject({ firstDirtyOffset: 5, cleanableBytes: 0 })
    expect(clean(log, { settings: { minCleanableDirtyRatio: 0 } })).toBeUndefined()
  })

  it('pulls the checkpoint back when the log is truncated below it', () => {
    const log = build()
    clean(log)
    log.truncateTo(3)
    expect(log.cleanerCheckpoint).toBe(3)
  })

  it('cleans nothing of a topic that is not compacted', () => {
    const log = build()
    expect(clean(log, { settings: { cleanupPolicy: ['delete'] } })).toBeUndefined()
    expect(readAll(log)).toHaveLength(6)
  })

  it('tells keys apart by their bytes even when their hashes collide', () => {
    // 'key-901258' and 'key-1540052' have the same 32-bit FNV-1a hash.
    const log = logOf([['key-901258=1', 'key-1540052=1', 'key-901258=2'], ['z=1']])
    const batches = log.allSegments[0]!.batches
    expect(batches[0]!.keyHashAt(0)).toBe(batches[1]!.keyHashAt(0))
    clean(log)
    expect(show(readAll(log))).toEqual(['1:key-1540052=1', '2:key-901258=2', '3:z=1'])
  })
})

describe('what the cleaner may not clean yet', () => {
  it('stops at the segment holding the last stable offset (only decided, replicated data)', () => {
    const log = logOf([['a=1', 'b=1', 'a=2'], ['b=2', 'c=1'], ['a=3']])
    // LSO 4 lies in the segment [3, 5): only [0, 3) is cleaned, by the keys found there.
    const result = clean(log, { lastStableOffset: 4 })
    expect(result).toMatchObject({ cleanedUpTo: 3, removedRecords: 1 })
    expect(show(readAll(log))).toEqual(['1:b=1', '2:a=2', '3:b=2', '4:c=1', '5:a=3'])
  })

  it('min.compaction.lag.ms: leaves segments with a record younger than the lag, and what they supersede', () => {
    const log = new PartitionLog(0)
    append(log, [rec('a', '1', 0)], 0)
    log.roll(100)
    append(log, [rec('a', '2', 100)], 100)
    log.roll(200)
    append(log, [rec('b', '1', 200)], 200)
    const settings = { minCompactionLagMs: 50, minCleanableDirtyRatio: 0 }
    // At 120 the segment of a=2 is 20 ms old: only [0, 1) is cleaned, by its own keys, and
    // a=1 stays.
    expect(clean(log, { now: 120, settings })).toMatchObject({ cleanedUpTo: 1, removedRecords: 0 })
    expect(show(readAll(log))).toEqual(['0:a=1', '1:a=2', '2:b=1'])
    // At 150 it is 50 ms old, no longer younger than the lag.
    expect(clean(log, { now: 150, settings })).toMatchObject({ cleanedUpTo: 2, removedRecords: 1 })
    expect(show(readAll(log))).toEqual(['1:a=2', '2:b=1'])
  })

  it('min.cleanable.dirty.ratio: a pass needs the dirty part to be more than that share of the log', () => {
    const log = logOf([['a=1', 'b=1', 'c=1', 'd=1'], ['a=2']])
    clean(log)
    // Clean part: 4 batches. Dirty: 1 batch, once a new active segment exists.
    log.roll(0)
    append(log, [rec('e', '1')])
    const toClean = logToClean(log, { lastStableOffset: log.logEndOffset, now: 0, settings: COMPACT })
    expect(toClean.cleanableRatio).toBeCloseTo(1 / 5, 5)
    expect(clean(log)).toBeUndefined()
    expect(clean(log, { settings: { minCleanableDirtyRatio: 0.19 } })).toMatchObject({ removedRecords: 1 })
    expect(show(readAll(log))).toEqual(['1:b=1', '2:c=1', '3:d=1', '4:a=2', '5:e=1'])
  })

  it('max.compaction.lag.ms: a dirty record waiting longer forces a pass whatever the ratio', () => {
    const log = new PartitionLog(0)
    append(log, [rec('a', '1', 0), rec('b', '1', 0), rec('c', '1', 0), rec('d', '1', 0)], 0)
    log.roll(0)
    append(log, [rec('a', '2', 10)], 10)
    log.roll(10)
    append(log, [rec('e', '1', 20)], 20)
    clean(log, { now: 20, lastStableOffset: 4 }) // cleans [0, 4) only, nothing to remove
    const settings = { minCleanableDirtyRatio: 0.99, maxCompactionLagMs: 100 }
    expect(clean(log, { now: 110, settings })).toBeUndefined()
    expect(clean(log, { now: 111, settings })).toMatchObject({ removedRecords: 1 })
  })

  it('max.compaction.lag.ms also rolls the active segment of a compacted topic (KIP-354)', () => {
    expect(maxSegmentMs({ segmentBytes: 1e9, segmentMs: 1_000, cleanupPolicy: ['compact'], maxCompactionLagMs: 300 })).toBe(300)
    expect(maxSegmentMs({ segmentBytes: 1e9, segmentMs: 1_000, cleanupPolicy: ['delete'], maxCompactionLagMs: 300 })).toBe(1_000)
    expect(maxSegmentMs({ segmentBytes: 1e9, segmentMs: 1_000, cleanupPolicy: ['compact'], maxCompactionLagMs: Infinity })).toBe(1_000)
    const log = new PartitionLog(0)
    const roll = { segmentBytes: 1e9, segmentMs: 1_000, cleanupPolicy: ['compact'], maxCompactionLagMs: 300 }
    append(log, [rec('a', '1', 0)], 0, { roll })
    append(log, [rec('a', '2', 300)], 300, { roll })
    expect(segmentBases(log)).toEqual([0])
    append(log, [rec('a', '3', 301)], 301, { roll })
    expect(segmentBases(log)).toEqual([0, 2])
    // Not on a topic that is not compacted: segment.ms alone.
    const deleting = new PartitionLog(0)
    const deleteRoll = { ...roll, cleanupPolicy: ['delete'] }
    append(deleting, [rec('a', '1', 0)], 0, { roll: deleteRoll })
    append(deleting, [rec('a', '2', 1_000)], 1_000, { roll: deleteRoll })
    expect(segmentBases(deleting)).toEqual([0])
    append(deleting, [rec('a', '3', 1_001)], 1_001, { roll: deleteRoll })
    expect(segmentBases(deleting)).toEqual([0, 2])
  })
})

describe('tombstones (KIP-534)', () => {
  const settings = { deleteRetentionMs: 1_000, minCleanableDirtyRatio: 0 }

  /** Adds a new record in a new segment so the next pass has dirty data to clean. */
  function dirty(log: PartitionLog, key: string, now: number): void {
    log.roll(now)
    append(log, [rec(key, 'x', now)], now)
  }

  it('keeps a tombstone for delete.retention.ms after the first pass that kept it, then drops it', () => {
    // 0 a=1, 1 b=1 | 2 a=(tombstone), 3 c=1 | 4 d=1 (active)
    const log = logOf([['a=1', 'b=1'], ['a=', 'c=1'], ['d=1']])
    expect(clean(log, { now: 500, settings })).toMatchObject({ removedRecords: 1, removedTombstones: 0 })
    expect(show(readAll(log))).toEqual(['1:b=1', '2:a=', '3:c=1', '4:d=1'])
    const tombstoneBatch = log.read(2, 3, 1)[0]!
    expect(tombstoneBatch.deleteHorizonMs).toBe(1_500)

    dirty(log, 'e', 1_499)
    expect(clean(log, { now: 1_499, settings })).toMatchObject({ removedTombstones: 0 })
    expect(show(readAll(log))).toContain('2:a=')

    dirty(log, 'f', 1_500)
    expect(clean(log, { now: 1_500, settings })).toMatchObject({ removedTombstones: 1 })
    expect(show(readAll(log))).toEqual(['1:b=1', '3:c=1', '4:d=1', '5:e=x', '6:f=x'])
  })

  it('removes a tombstone at once when a later record of its key supersedes it', () => {
    const log = logOf([['a=1', 'a=', 'a=2'], ['z=1']])
    expect(clean(log, { settings })).toMatchObject({ removedRecords: 2, removedTombstones: 0 })
    expect(show(readAll(log))).toEqual(['2:a=2', '3:z=1'])
  })

  it('stamps a batch only once: later passes keep the first horizon', () => {
    const log = logOf([['a=', 'b=1'], ['c=1']])
    clean(log, { now: 100, settings })
    dirty(log, 'd', 900)
    clean(log, { now: 900, settings })
    expect(log.read(0, 1, 1)[0]!.deleteHorizonMs).toBe(1_100)
  })

  it('leaves tombstones of the active segment unstamped', () => {
    const log = logOf([['a=1'], ['a=']])
    clean(log, { settings })
    expect(log.activeSegment.batches[0]!.deleteHorizonMs).toBe(NO_DELETE_HORIZON)
  })
})

describe('records the cleaner drops or keeps as they are', () => {
  it('drops keyless records (written before the topic became compacted)', () => {
    const log = logOf([['a=1', 'no-key', 'a=2'], ['b=1']])
    expect(clean(log)).toMatchObject({ removedRecords: 2, invalidRecords: 1 })
    expect(show(readAll(log))).toEqual(['2:a=2', '3:b=1'])
  })

  it('keeps a transaction marker whose transaction has no record left for delete.retention.ms, stamped with its horizon', () => {
    const log = new PartitionLog(0)
    append(log, [rec('a', '1')])
    const marker = append(log, [rec(null, null)], 0, { isControl: true })
    append(log, [rec('a', '2')])
    log.roll(0)
    append(log, [rec('b', '1')])
    clean(log)
    const [kept, data] = log.allSegments[0]!.batches
    expect(data).toEqual(expect.objectContaining({ baseOffset: 2 }))
    expect(kept).toEqual(expect.objectContaining({ baseOffset: marker.baseOffset, isControl: true, count: 1 }))
    expect(kept!.deleteHorizonMs).toBeGreaterThan(0)
  })

  it('keeps the last batch of the round even when emptied, so the log still says where the round ended', () => {
    // Batches: 0 a=1 (superseded: dropped), 1 a=2 (kept), 2 keyless (emptied: kept, empty).
    const log = logOf([['a=1', 'a=2', 'no-key'], ['b=1']])
    clean(log)
    const batches = log.allSegments[0]!.batches
    expect(batches.map((b) => [b.baseOffset, b.lastOffset, b.count])).toEqual([
      [1, 1, 1],
      [2, 2, 0],
    ])
  })

  it('reuses unchanged batches and copies only the kept bytes of changed ones', () => {
    const log = logOf([['a=1|b=1|a=2', 'c=1'], ['d=1']])
    const [mixed, untouched] = log.allSegments[0]!.batches
    clean(log)
    const [compacted, same] = log.allSegments[0]!.batches
    expect(same).toBe(untouched)
    expect(compacted).not.toBe(mixed)
    expect(compacted!.sizeInBytes).toBe(RecordBatch.sizeOf([rec('b', '1'), rec('a', '2')]))
    expect(log.allSegments[0]!.sizeInBytes).toBe(compacted!.sizeInBytes + same!.sizeInBytes)
  })
})

describe('transactions', () => {
  /** Appends a transactional batch of producer `producerId`, or its marker. */
  function txn(log: PartitionLog, producerId: number, records: string[] | 'COMMIT' | 'ABORT'): void {
    const producer = { producerId, producerEpoch: 0, baseSequence: 0, isTransactional: true }
    const isControl = typeof records === 'string'
    log.appendRecords({
      records: isControl ? [endTransactionMarker(records, 0)] : records.map((r) => rec(r.split('=')[0]!, r.split('=')[1]!)),
      leaderEpoch: 0,
      timestampType: TimestampType.CreateTime,
      now: 0,
      roll: { segmentBytes: Number.MAX_SAFE_INTEGER, segmentMs: Number.MAX_SAFE_INTEGER },
      producer,
      isControl,
    })
  }

  it('aborted data never supersedes committed data, and is removed; markers stay', () => {
    const log = new PartitionLog(0)
    append(log, [rec('k', 'committed')]) // 0
    txn(log, 7, ['k=aborted']) // 1
    txn(log, 7, 'ABORT') // 2
    txn(log, 8, ['j=1']) // 3
    txn(log, 8, 'COMMIT') // 4
    log.roll(0)
    append(log, [rec('z', '1')]) // 5
    const result = cleanLog(log, { lastStableOffset: 6, now: 0, settings: COMPACT, abortedTransactions: [{ producerId: 7, firstOffset: 1, lastOffset: 2 }] })
    expect(result).toMatchObject({ abortedRecords: 1, removedRecords: 1 })
    expect(show(readAll(log))).toEqual(['0:k=committed', '3:j=1', '5:z=1'])
    expect(log.allSegments[0]!.batches.map((b) => [b.baseOffset, b.isControl])).toEqual([
      [0, false],
      [2, true],
      [3, false],
      [4, true],
    ])
  })

  it('committed transactional data is compacted like any other', () => {
    const log = new PartitionLog(0)
    append(log, [rec('k', 'v1')]) // 0
    txn(log, 8, ['k=v2']) // 1
    txn(log, 8, 'COMMIT') // 2
    log.roll(0)
    append(log, [rec('z', '1')]) // 3
    cleanLog(log, { lastStableOffset: 4, now: 0, settings: COMPACT, abortedTransactions: [] })
    expect(show(readAll(log))).toEqual(['1:k=v2', '3:z=1'])
  })

  it('keeps an emptied batch that is its producer’s last (it holds the producer’s sequence state)', () => {
    const log = new PartitionLog(0)
    txn(log, 9, ['k=aborted']) // 0
    append(log, [rec('k', 'v')]) // 1
    log.roll(0)
    append(log, [rec('z', '1')]) // 2
    // An abort whose marker is not in this log yet cannot happen below the LSO; here the index
    // says so anyway, to see the batch kept empty as the producer's last.
    cleanLog(log, { lastStableOffset: 3, now: 0, settings: COMPACT, abortedTransactions: [{ producerId: 9, firstOffset: 0, lastOffset: 5 }] })
    expect(log.allSegments[0]!.batches.map((b) => [b.baseOffset, b.count, b.producerId])).toEqual([
      [0, 0, 9],
      [1, 1, -1],
    ])
  })
})

describe('grouping cleaned segments (Cleaner.groupSegmentsBySize)', () => {
  it('cleans adjacent segments that fit in segment.bytes into one', () => {
    const log = logOf([['a=1'], ['a=2'], ['a=3'], ['b=1']])
    log.allSegments[2]!.lastModified = 42
    clean(log, { settings: { segmentBytes: 1e6 } })
    expect(segmentBases(log)).toEqual([0, 3])
    expect(log.allSegments[0]!.lastModified).toBe(42)
    expect(show(readAll(log))).toEqual(['2:a=3', '3:b=1'])
  })

  it('groups runs whose total size stays within the limit', () => {
    const sized = (n: number) => ({ sizeInBytes: n }) as never
    const groups = groupSegmentsBySize([sized(4), sized(4), sized(3), sized(9), sized(1)], 10)
    expect(groups.map((g) => g.length)).toEqual([2, 1, 2])
  })
})

describe('OffsetMap', () => {
  it('property: answers as a Map of key to last offset would, across growth', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 6 }), { maxLength: 300 }), (keys) => {
        const batch = RecordBatch.fromRecords({
          baseOffset: 0,
          records: keys.map((k) => rec(k, 'v')),
          partitionLeaderEpoch: 0,
          timestampType: TimestampType.CreateTime,
          now: 0,
        })
        const map = new OffsetMap(16)
        const oracle = new Map<string, number>()
        keys.forEach((k, i) => {
          map.put(batch, i, i)
          oracle.set(k, i)
        })
        expect(map.size).toBe(oracle.size)
        keys.forEach((k, i) => expect(map.get(batch, i)).toBe(oracle.get(k)))
        const other = RecordBatch.fromRecords({ baseOffset: 0, records: [rec('not-a-key-used', 'v')], partitionLeaderEpoch: 0, timestampType: 0, now: 0 })
        expect(map.get(other, 0)).toBe(-1)
      }),
    )
  })
})
