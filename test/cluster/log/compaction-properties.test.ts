/**
 * The compaction guarantees of the Kafka documentation (Design > Log Compaction), as
 * KAFKA-SEMANTICS.md states them, over random keyed workloads with tombstones, random cleaner
 * passes and clock advances:
 * - a consumer reading from the start sees at least the last value of every key, in write order;
 * - offsets never change: whatever is read at an offset is what was written there;
 * - a consumer that stays at the head sees every message (the active segment, anything not yet
 *   replicated, and anything younger than min.compaction.lag.ms is never compacted);
 * - a tombstone is seen by whoever reads it within delete.retention.ms of its write.
 * First on one log driven directly, then through a cluster of three brokers whose every replica
 * cleans its own log on the cluster's clock.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { PartitionLog, type LogRollPolicy } from '../../../src/cluster/log/partition-log.js'
import { cleanLog, type CleanerSettings } from '../../../src/cluster/log/log-cleaner.js'
import { TimestampType } from '../../../src/cluster/log/record-batch.js'
import { ClusterModel } from '../../../src/cluster/cluster-model.js'
import { ManualClock } from '../../../src/cluster/clock.js'
import { ErrorCode } from '../../../src/cluster/error-codes.js'
import { readAll, type ReadRecord } from './log-fixture.js'

interface Written {
  readonly key: string
  readonly value: string | null
  readonly time: number
}

type Op =
  | { kind: 'produce'; records: { key: number; tombstone: boolean }[] }
  | { kind: 'advance'; ms: number }
  | { kind: 'roll' }
  | { kind: 'clean'; replicationLag: number }
  | { kind: 'startReader' }
  | { kind: 'read'; maxBytes: number }

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('produce' as const), records: fc.array(fc.record({ key: fc.integer({ min: 0, max: 7 }), tombstone: fc.integer({ min: 0, max: 3 }).map((n) => n === 0) }), { minLength: 1, maxLength: 4 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 1, max: 700 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'roll' as const }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('clean' as const), replicationLag: fc.integer({ min: 0, max: 10 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'startReader' as const }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('read' as const), maxBytes: fc.integer({ min: 1, max: 400 }) }) },
)

const settingsArb: fc.Arbitrary<CleanerSettings & { segmentMs: number }> = fc.record({
  cleanupPolicy: fc.constant(['compact']),
  segmentBytes: fc.integer({ min: 80, max: 600 }),
  segmentMs: fc.integer({ min: 1, max: 2_000 }),
  deleteRetentionMs: fc.integer({ min: 0, max: 2_000 }),
  minCompactionLagMs: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 1_000 })),
  maxCompactionLagMs: fc.oneof(fc.constant(Infinity), fc.integer({ min: 1, max: 3_000 })),
  minCleanableDirtyRatio: fc.constantFrom(0, 0.5, 0.9),
})

/** A consumer reading the log from its start, a little at a time, as the clock moves on. */
interface Reader {
  position: number
  seen: ReadRecord[]
}

describe('compaction guarantees on one log', () => {
  it('property: last value per key, fixed offsets, a complete head, tombstones within delete.retention.ms', () => {
    fc.assert(
      fc.property(settingsArb, fc.array(opArb, { maxLength: 60 }), (settings, ops) => {
        const log = new PartitionLog(0)
        const roll: LogRollPolicy = { segmentBytes: settings.segmentBytes, segmentMs: settings.segmentMs, cleanupPolicy: settings.cleanupPolicy, maxCompactionLagMs: settings.maxCompactionLagMs }
        const written: Written[] = []
        let now = 0
        let highWatermark = 0
        let reader: Reader | undefined

        for (const op of ops) {
          switch (op.kind) {
            case 'produce': {
              const records = op.records.map((r) => ({ key: `k${r.key}`, value: r.tombstone ? null : `v${written.length}` }))
              log.appendRecords({
                records: records.map((r, i) => ({ key: Buffer.from(r.key), value: r.value === null ? null : Buffer.from(`${r.value}.${i}`) })),
                leaderEpoch: 0,
                timestampType: TimestampType.CreateTime,
                now,
                roll,
              })
              records.forEach((r, i) => written.push({ key: r.key, value: r.value === null ? null : `${r.value}.${i}`, time: now }))
              highWatermark = written.length
              break
            }
            case 'advance':
              now += op.ms
              break
            case 'roll':
              log.roll(now)
              break
            case 'clean': {
              // The high watermark may trail the log end (followers not caught up yet): nothing
              // at or above it may be compacted.
              const lastStableOffset = Math.max(0, highWatermark - op.replicationLag)
              const unstable = readAll(log, lastStableOffset)
              cleanLog(log, { lastStableOffset, now, settings })
              expect(readAll(log, lastStableOffset)).toEqual(unstable)
              break
            }
            case 'startReader':
              reader = { position: log.logStartOffset, seen: [] }
              break
            case 'read':
              if (reader) readSome(log, reader, highWatermark, op.maxBytes, written, now, settings)
              break
          }
          checkLog(log, written, now, settings)
          if (reader && reader.position >= highWatermark) {
            checkReaderAtHead(reader, written, highWatermark)
            reader = undefined
          }
        }
      }),
      { numRuns: 300 },
    )
  })
})

/** What must hold of the log after every step. */
function checkLog(log: PartitionLog, written: readonly Written[], now: number, settings: CleanerSettings): void {
  const records = readAll(log)
  // Offsets never change and order never changes: each record is what was written at its offset.
  let previous = -1
  for (const r of records) {
    expect(r.offset).toBeGreaterThan(previous)
    previous = r.offset
    const w = written[r.offset]!
    expect([r.key, r.value]).toEqual([w.key, w.value])
  }
  const present = new Set(records.map((r) => r.offset))
  const lastOfKey = new Map<string, number>()
  written.forEach((w, offset) => lastOfKey.set(w.key, offset))
  for (const offset of lastOfKey.values()) {
    const w = written[offset]!
    // The last value of every key is kept; a last tombstone at least delete.retention.ms.
    if (w.value !== null || now - w.time < settings.deleteRetentionMs) expect(present.has(offset), `last record of ${w.key} at ${offset}`).toBe(true)
  }
  // The head is never compacted: the active segment, and records younger than the lag.
  written.forEach((w, offset) => {
    const young = settings.minCompactionLagMs > 0 && w.time > now - settings.minCompactionLagMs
    if (offset >= log.activeSegment.baseOffset || young) expect(present.has(offset), `head record at ${offset}`).toBe(true)
  })
  // Structure: sizes add up, segments are in order, the checkpoint is below the active segment.
  let size = 0
  let end = log.logStartOffset
  for (const segment of log.allSegments) {
    expect(segment.sizeInBytes).toBe(segment.batches.reduce((sum, b) => sum + b.sizeInBytes, 0))
    for (const b of segment.batches) {
      expect(b.baseOffset).toBeGreaterThanOrEqual(end)
      end = b.lastOffset + 1
    }
    size += segment.sizeInBytes
  }
  expect(log.sizeInBytes).toBe(size)
  expect(log.logEndOffset).toBe(written.length)
  if (log.cleanerCheckpoint !== undefined) expect(log.cleanerCheckpoint).toBeLessThanOrEqual(log.activeSegment.baseOffset)
}

/**
 * The reader fetches one bounded read at its position. Whatever it reads must contain every
 * record that is the last of its key so far, and every tombstone that is the last of its key
 * and was written less than delete.retention.ms ago.
 */
function readSome(log: PartitionLog, reader: Reader, highWatermark: number, maxBytes: number, written: readonly Written[], now: number, settings: CleanerSettings): void {
  const batches = log.read(reader.position, highWatermark, maxBytes)
  if (batches.length === 0) return
  const upTo = Math.min(highWatermark, batches[batches.length - 1]!.lastOffset + 1)
  const chunk = readAll(log, reader.position, upTo)
  const got = new Set(chunk.map((r) => r.offset))
  const lastOfKey = new Map<string, number>()
  written.forEach((w, offset) => lastOfKey.set(w.key, offset))
  for (const offset of lastOfKey.values()) {
    if (offset < reader.position || offset >= upTo) continue
    const w = written[offset]!
    if (w.value !== null || now - w.time < settings.deleteRetentionMs) expect(got.has(offset), `reader missed ${w.key} at ${offset}`).toBe(true)
  }
  reader.seen.push(...chunk)
  reader.position = upTo
}

/** A reader that reached the head has seen each key's last value, in write order. */
function checkReaderAtHead(reader: Reader, written: readonly Written[], head: number): void {
  const offsets = reader.seen.map((r) => r.offset)
  expect(offsets).toEqual([...offsets].sort((a, b) => a - b))
  expect(new Set(offsets).size).toBe(offsets.length)
  const lastOfKey = new Map<string, number>()
  written.slice(0, head).forEach((w, offset) => lastOfKey.set(w.key, offset))
  const seen = new Set(offsets)
  for (const offset of lastOfKey.values()) {
    if (written[offset]!.value !== null) expect(seen.has(offset)).toBe(true)
  }
}

describe('compaction guarantees through a cluster (every replica cleans its own log)', () => {
  const clusterOpArb = fc.oneof(
    { weight: 5, arbitrary: fc.record({ kind: fc.constant('produce' as const), keys: fc.array(fc.record({ key: fc.integer({ min: 0, max: 5 }), tombstone: fc.boolean() }), { minLength: 1, maxLength: 3 }) }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 1, max: 20_000 }) }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'runCleaner' as const }) },
    // Followers that lag: their own high watermark trails the leader's, so they clean less.
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('delayReplication' as const), broker: fc.integer({ min: 0, max: 2 }), ms: fc.integer({ min: 0, max: 8_000 }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('pauseReplication' as const), broker: fc.integer({ min: 0, max: 2 }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('resumeReplication' as const), broker: fc.integer({ min: 0, max: 2 }) }) },
  )

  it('property: each replica keeps the last value per key at its offset; tombstones within delete.retention.ms', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(clusterOpArb, { maxLength: 25 }), fc.integer({ min: 0, max: 60_000 }), async (ops, deleteRetentionMs) => {
        const clock = new ManualClock(0)
        const cluster = new ClusterModel({ brokers: 3, seed: 7, clock, brokerConfig: { 'log.cleaner.backoff.ms': 5_000 } })
        try {
          const created = await cluster.send(0, {
            api: 'CreateTopics',
            topics: [
              {
                name: 'profiles',
                numPartitions: 1,
                replicationFactor: 3,
                assignments: [],
                configs: [
                  { name: 'cleanup.policy', value: 'compact' },
                  { name: 'segment.ms', value: '10000' },
                  { name: 'min.cleanable.dirty.ratio', value: '0.01' },
                  { name: 'delete.retention.ms', value: String(deleteRetentionMs) },
                ],
              },
            ],
            timeoutMs: 1000,
            validateOnly: false,
          })
          expect(created.topics[0]!.errorCode).toBe(ErrorCode.NONE)
          const partition = cluster.controller.topic('profiles')!.partitions[0]!
          const written: Written[] = []
          for (const op of ops) {
            if (op.kind === 'produce') {
              const values = op.keys.map((k) => (k.tombstone ? null : `v${written.length}-${k.key}`))
              const response = await cluster.send(partition.leader, {
                api: 'Produce',
                acks: 1,
                timeoutMs: 30_000,
                topics: [{ name: 'profiles', partitions: [{ index: 0, records: op.keys.map((k, i) => ({ key: Buffer.from(`k${k.key}`), value: values[i] === null ? null : Buffer.from(values[i]!) })) }] }],
              })
              expect(response.topics[0]!.partitions[0]!.errorCode).toBe(ErrorCode.NONE)
              op.keys.forEach((k, i) => written.push({ key: `k${k.key}`, value: values[i]!, time: clock.now() }))
            } else if (op.kind === 'advance') {
              await cluster.advance(op.ms)
            } else if (op.kind === 'runCleaner') {
              cluster.runCleaner()
            } else if (op.broker !== partition.leader) {
              if (op.kind === 'delayReplication') cluster.delayReplication(op.broker, op.ms)
              else if (op.kind === 'pauseReplication') cluster.pauseReplication(op.broker)
              else cluster.resumeReplication(op.broker)
            }
            for (const replica of partition.allReplicas()) checkReplica(replica.log, written, clock.now(), deleteRetentionMs)
          }
        } finally {
          await cluster.close()
        }
        expect(clock.pendingTimers).toBe(0)
      }),
      { numRuns: 60 },
    )
  })
})

function checkReplica(log: PartitionLog, written: readonly Written[], now: number, deleteRetentionMs: number): void {
  const records = readAll(log)
  for (const r of records) expect([r.key, r.value]).toEqual([written[r.offset]!.key, written[r.offset]!.value])
  const present = new Set(records.map((r) => r.offset))
  const lastOfKey = new Map<string, number>()
  written.slice(0, log.logEndOffset).forEach((w, offset) => lastOfKey.set(w.key, offset))
  for (const offset of lastOfKey.values()) {
    const w = written[offset]!
    if (w.value !== null || now - w.time < deleteRetentionMs) expect(present.has(offset)).toBe(true)
  }
}
