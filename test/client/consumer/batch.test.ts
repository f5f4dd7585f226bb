/**
 * kafkajs's Batch as the runner hands it over: the messages of one partition from the fetch
 * position up to the high watermark, with kafkajs's offsets, lags and message fields.
 */
import { createRequire } from 'node:module'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { filterAbortedBatches } from '../../../src/client/consumer/aborted-transactions.js'
import { fetchedRange, MessageCursor, toBatch, type KafkaMessage } from '../../../src/client/consumer/batch.js'
import { endTransactionMarker } from '../../../src/cluster/log/control-record.js'
import { RecordBatch, TimestampType } from '../../../src/cluster/log/record-batch.js'
import { encodeRecordBatch } from '../../../src/wire/records/record-batch-encoder.js'

function batchAt(baseOffset: number, values: string[], timestamps?: number[]): RecordBatch {
  return RecordBatch.fromRecords({
    baseOffset,
    records: values.map((v, i) => ({ key: Buffer.from(`k${v}`), value: Buffer.from(v), timestamp: timestamps?.[i], headers: [{ key: 'h', value: Buffer.from(v) }] })),
    partitionLeaderEpoch: 0,
    timestampType: TimestampType.CreateTime,
    now: 1_000,
  })
}

const log = [batchAt(0, ['a', 'b', 'c']), batchAt(3, ['d', 'e'], [5, 6]), batchAt(5, ['f', 'g'])]

describe('toBatch', () => {
  it('holds the messages from the position up to the high watermark, as kafkajs messages', () => {
    const batch = toBatch('t', 2, 6, log, 1)
    expect(batch.messages.map((m) => [m.offset, m.value!.toString(), m.key!.toString(), m.timestamp, m.headers.h!.toString()])).toEqual([
      ['1', 'b', 'kb', '1000', 'b'],
      ['2', 'c', 'kc', '1000', 'c'],
      ['3', 'd', 'kd', '5', 'd'],
      ['4', 'e', 'ke', '6', 'e'],
      ['5', 'f', 'kf', '1000', 'f'],
    ])
    const batchContext = { firstOffset: '0', firstTimestamp: '1000', partitionLeaderEpoch: 0, inTransaction: false, isControlBatch: false, lastOffsetDelta: 2, producerId: '-1', producerEpoch: -1, firstSequence: -1, maxTimestamp: '1000', timestampType: 0, magicByte: 2 }
    expect(batch.messages[0]).toEqual({ magicByte: 2, attributes: 0, timestamp: '1000', offset: '1', key: Buffer.from('kb'), value: Buffer.from('b'), headers: { h: Buffer.from('b') }, isControlRecord: false, batchContext })
    // One context per record batch, shared by its messages, as kafkajs's decoder gives it.
    expect(batch.messages[1]!.batchContext).toBe(batch.messages[0]!.batchContext)
    expect(batch.messages[2]!.batchContext).toMatchObject({ firstOffset: '3', firstTimestamp: '5', maxTimestamp: '6', lastOffsetDelta: 1 })
    expect([batch.topic, batch.partition, batch.highWatermark]).toEqual(['t', 2, '6'])
    expect([batch.firstOffset(), batch.lastOffset(), batch.offsetLag(), batch.offsetLagLow(), batch.messages.length]).toEqual(['1', '5', '0', '4', 5])
  })

  it('is empty below a position past the high watermark, and says where the position stays', () => {
    const batch = toBatch('t', 0, 3, log, 3)
    expect([batch.isEmpty(), batch.isEmptyIncludingFiltered(), batch.firstOffset(), batch.lastOffset(), batch.messages]).toEqual([true, true, null, '2', []])
  })
})

describe("toBatch's timestamps", () => {
  it('are each record\'s own, also when timestamps that share the low bits alternate', () => {
    const a = 1_700_000_000_000
    const b = a + 256 * 7 // same low 8 bits as a
    const c = -1
    const batch = toBatch('t', 0, 5, [batchAt(0, ['a', 'b', 'c', 'd', 'e'], [a, b, a, c, b])], 0)
    expect(batch.messages.map((m) => m.timestamp)).toEqual([String(a), String(b), String(a), '-1', String(b)])
  })
})

describe('fetchedRange', () => {
  it("says what toBatch's Batch will hold, for any log, high watermark and position", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 0, maxLength: 6 }),
        fc.nat({ max: 25 }),
        fc.nat({ max: 25 }),
        (sizes, highWatermark, fromOffset) => {
          const batches: RecordBatch[] = []
          let next = 0
          for (const size of sizes) {
            batches.push(batchAt(next, Array.from({ length: size }, (_, i) => `v${next + i}`)))
            next += size
          }
          const batch = toBatch('t', 0, highWatermark, batches, fromOffset)
          const range = fetchedRange(highWatermark, batches, fromOffset)
          expect(range.last === undefined).toBe(batch.isEmptyIncludingFiltered())
          if (range.last !== undefined) expect(String(range.last)).toBe(batch.lastOffset())
          expect(range.hasMessages).toBe(!batch.isEmpty())
        },
      ),
    )
  })
})

describe('MessageCursor', () => {
  /** One step of a generated log: data of a producer (compacted or not), or a transaction marker. */
  type Step = { kind: 'data'; producerId: number; transactional: boolean; size: number; keep: boolean[]; dropLast?: boolean } | { kind: 'marker'; producerId: number; type: 'COMMIT' | 'ABORT' }

  function logOf(steps: Step[]): RecordBatch[] {
    const batches: RecordBatch[] = []
    let next = 0
    for (const step of steps) {
      const isControl = step.kind === 'marker'
      const records = isControl ? [endTransactionMarker(step.type, 0)] : Array.from({ length: step.size }, (_, i) => ({ key: Buffer.from(`k${next + i}`), value: Buffer.from(`v${next + i}`), timestamp: 1_000 + ((next + i) % 3) }))
      let batch = RecordBatch.fromRecords({
        baseOffset: next,
        records,
        partitionLeaderEpoch: 0,
        timestampType: TimestampType.CreateTime,
        now: 1_000,
        producer: step.producerId >= 0 ? { producerId: step.producerId, producerEpoch: 0, baseSequence: 0, isTransactional: isControl || (step.kind === 'data' && step.transactional) } : undefined,
        isControl,
      })
      // Compaction leaves gaps in the offsets; it may remove a batch's last record, never its
      // last offset (the batch's header keeps it), and here keeps at least one record.
      if (step.kind === 'data' && step.keep.some((k) => !k)) {
        const kept = (i: number): boolean => step.keep[i] === true || (i === batch.count - 1 && !step.dropLast)
        const first = Array.from({ length: batch.count }, (_, i) => i).find(kept) ?? 0
        batch = batch.retain((i) => i === first || kept(i))
      }
      batches.push(batch)
      next = batch.lastOffset + 1
    }
    return batches
  }

  const step: fc.Arbitrary<Step> = fc.oneof(
    fc.record({
      kind: fc.constant('data' as const),
      producerId: fc.constantFrom(-1, 1, 2),
      transactional: fc.boolean(),
      size: fc.integer({ min: 1, max: 4 }),
      keep: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
      dropLast: fc.boolean(),
    }),
    fc.record({ kind: fc.constant('marker' as const), producerId: fc.constantFrom(1, 2), type: fc.constantFrom('COMMIT' as const, 'ABORT' as const) }),
  )

  it("returns toBatch's messages one at a time, and they are the log's records a consumer may see, as kafkajs messages", () => {
    fc.assert(
      fc.property(
        fc.array(step, { maxLength: 8 }),
        fc.nat({ max: 30 }),
        fc.nat({ max: 30 }),
        fc.option(fc.array(fc.record({ producerId: fc.constantFrom(1, 2), firstOffset: fc.nat({ max: 30 }) }), { maxLength: 2 }), { nil: null }),
        (steps, highWatermark, fromOffset, aborted) => {
          const log = logOf(steps)
          // What a consumer may see: below the high watermark, from the position on, no marker,
          // nothing of an aborted transaction (filterAbortedBatches, tested on its own).
          const expected = filterAbortedBatches(log, aborted)
            .filter((b) => !b.isControl)
            .flatMap((b) => [...b.records()])
            .filter((r) => r.offset >= fromOffset && r.offset < highWatermark)
            .map((r) => ({ magicByte: 2, attributes: 0, timestamp: String(r.timestamp), offset: String(r.offset), key: r.key, value: r.value, headers: {}, isControlRecord: false }))
          const cursor = new MessageCursor(highWatermark, log, fromOffset, aborted)
          const built: KafkaMessage[] = []
          for (let m = cursor.next(); m !== undefined; m = cursor.next()) {
            expect(cursor.offset).toBe(Number(m.offset))
            built.push(m)
          }
          // Each message's batchContext names the record batch it came in.
          for (const m of built) {
            const first = Number(m.batchContext.firstOffset)
            expect(Number(m.offset)).toBeGreaterThanOrEqual(first)
            expect(Number(m.offset)).toBeLessThanOrEqual(first + m.batchContext.lastOffsetDelta)
          }
          expect(built.map(({ batchContext: _, ...m }) => m)).toEqual(expected)
          expect(cursor.next()).toBeUndefined()
          const batch = toBatch('t', 0, highWatermark, log, fromOffset, aborted)
          expect(batch.messages.map(({ batchContext: _, ...m }) => m)).toEqual(expected)
          expect(batch.lastOffset()).toBe(cursor.last === undefined ? String(highWatermark - 1) : String(cursor.last))
          // A walk that builds nothing counts the same messages and ends at the same offset.
          const walk = new MessageCursor(highWatermark, log, fromOffset, aborted)
          expect(walk.skipRest()).toEqual({ count: expected.length, firstOffset: expected.length === 0 ? undefined : Number(expected[0]!.offset) })
          expect(walk.last).toBe(cursor.last)
          const range = fetchedRange(highWatermark, log, fromOffset, aborted)
          expect(range.last).toBe(cursor.last)
          expect(range.hasMessages).toBe(expected.length > 0)
        },
      ),
      { numRuns: 300 },
    )
  })

  it('moves the position past what it skipped: filtered batches, and a read batch up to its last offset', () => {
    const log = logOf([
      { kind: 'data', producerId: -1, transactional: false, size: 4, keep: [true, false, false, true] },
      { kind: 'data', producerId: 1, transactional: true, size: 2, keep: [true, true, true, true] },
      { kind: 'marker', producerId: 1, type: 'ABORT' },
    ])
    const cursor = new MessageCursor(7, log, 1, [{ producerId: 1, firstOffset: 4 }])
    expect(cursor.next()?.offset).toBe('3')
    expect(cursor.next()).toBeUndefined()
    expect(cursor.last).toBe(6)
  })
})

// kafkajs 2.2.4's own decoder is the oracle: the batchContext of a message is what kafkajs
// decodes from the same batch as a broker sends it in a Fetch response.
describe("a message's batchContext", () => {
  const require = createRequire(import.meta.url)
  const Decoder = require('kafkajs/src/protocol/decoder')
  const decodeRecordBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder')

  it('is what kafkajs decodes from the batch on the wire: plain, transactional, log-append-time', async () => {
    const batches = [
      RecordBatch.fromRecords({ baseOffset: 0, records: [{ key: null, value: Buffer.from('a'), timestamp: 1_700_000_000_000 }, { key: null, value: Buffer.from('b'), timestamp: 1_700_000_000_007 }], partitionLeaderEpoch: 3, timestampType: TimestampType.CreateTime, now: 1_700_000_000_100 }),
      RecordBatch.fromRecords({ baseOffset: 2, records: [{ key: Buffer.from('k'), value: Buffer.from('c') }], partitionLeaderEpoch: 4, timestampType: TimestampType.CreateTime, now: 1_700_000_000_200, producer: { producerId: 4097, producerEpoch: 2, baseSequence: 11, isTransactional: true } }),
      RecordBatch.fromRecords({ baseOffset: 3, records: [{ key: null, value: Buffer.from('d'), timestamp: 5 }, { key: null, value: Buffer.from('e'), timestamp: 9 }], partitionLeaderEpoch: 4, timestampType: TimestampType.LogAppendTime, now: 1_700_000_000_300 }),
    ]
    const messages = toBatch('t', 0, 5, batches, 0).messages
    expect(messages).toHaveLength(5)
    const decoded = []
    for (const batch of batches) decoded.push(await decodeRecordBatch(new Decoder(encodeRecordBatch(batch))))
    const contexts = decoded.flatMap((d: { records: { batchContext: object }[] }) => d.records.map((r) => r.batchContext))
    expect(messages.map((m) => m.batchContext)).toEqual(contexts)
    // And the messages' other fields are kafkajs's too.
    const records = decoded.flatMap((d: { records: object[] }) => d.records)
    expect(messages).toEqual(records)
  })
})
