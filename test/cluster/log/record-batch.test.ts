/**
 * RecordBatch: built once from a producer's records (bytes copied into one slab), immutable
 * afterwards, read back record by record; compaction makes sparse copies with unchanged offsets.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  BATCH_HEADER_BYTES,
  NO_PRODUCER_EPOCH,
  NO_PRODUCER_ID,
  NO_SEQUENCE,
  RecordBatch,
  TimestampType,
  type ProducerRecord,
} from '../../../src/cluster/log/record-batch.js'

const text = (s: string) => Buffer.from(s)

function build(records: ProducerRecord[], options: Partial<Parameters<typeof RecordBatch.fromRecords>[0]> = {}): RecordBatch {
  return RecordBatch.fromRecords({ baseOffset: 10, records, partitionLeaderEpoch: 3, timestampType: TimestampType.CreateTime, now: 5_000, ...options })
}

describe('RecordBatch.fromRecords', () => {
  it('numbers the records densely from the base offset', () => {
    const batch = build([{ key: null, value: text('a') }, { key: null, value: text('b') }, { key: null, value: text('c') }])
    expect([batch.baseOffset, batch.lastOffset, batch.count]).toEqual([10, 12, 3])
    expect([...batch.records()].map((r) => [r.offset, r.value!.toString()])).toEqual([
      [10, 'a'],
      [11, 'b'],
      [12, 'c'],
    ])
    expect(batch.partitionLeaderEpoch).toBe(3)
  })

  it('gives back the first and max timestamps as stamped, however far apart and whatever numbers they are', () => {
    const cases: number[][] = [
      [1_765_000_000_000, 1_765_000_000_000],
      [1_765_000_000_000, 1_765_000_000_500, 1_765_000_000_100],
      [0, 2 ** 30 - 1],
      [0, 2 ** 30],
      [5, 1_765_000_000_000],
      [-1, -1],
      [-5, 3],
      [1.5, 2.25],
      [2 ** 53 + 2, 2 ** 53 + 4],
    ]
    for (const stamps of cases) {
      const batch = build(stamps.map((timestamp) => ({ key: null, value: text('v'), timestamp })))
      expect([batch.firstTimestamp, batch.maxTimestamp], String(stamps)).toEqual([stamps[0], Math.max(...stamps)])
      expect(stamps.map((_, i) => batch.timestampAt(i)), String(stamps)).toEqual(stamps)
      const cleaned = batch.retainMask(Uint8Array.from(stamps, (_, i) => (i === 0 ? 0 : 1)), stamps.length - 1).withDeleteHorizon(7)
      expect([cleaned.firstTimestamp, cleaned.maxTimestamp], String(stamps)).toEqual([stamps[0], Math.max(...stamps)])
    }
  })

  it('keeps keys, values, null keys, null values (tombstones) and empty buffers apart', () => {
    const batch = build([
      { key: text('k'), value: text('v') },
      { key: null, value: text('no key') },
      { key: text('gone'), value: null },
      { key: Buffer.alloc(0), value: Buffer.alloc(0) },
    ])
    expect([...batch.records()].map((r) => [r.key, r.value])).toEqual([
      [text('k'), text('v')],
      [null, text('no key')],
      [text('gone'), null],
      [Buffer.alloc(0), Buffer.alloc(0)],
    ])
    expect([0, 1, 2, 3].map((i) => batch.hasKeyAt(i))).toEqual([true, false, true, true])
  })

  it('keeps the sender\'s bytes instead of copying them only when told they never change and they lie densely in one buffer', () => {
    // A wire frame: [key0 value0 key1 value1] with a few bytes of record framing between them.
    const frame = Buffer.from('..k0..value-0..k1..value-1..')
    const view = (from: string) => frame.subarray(frame.indexOf(from), frame.indexOf(from) + from.length)
    const records = [{ key: view('k0'), value: view('value-0') }, { key: view('k1'), value: view('value-1') }]
    const kept = build(records, { bytesImmutable: true })
    const copied = build(records)
    frame.write('XX', frame.indexOf('k1'))
    expect(kept.keyAt(1)!.toString()).toBe('XX')
    expect(copied.keyAt(1)!.toString()).toBe('k1')
    expect([kept.keyAt(0)!.toString(), kept.valueAt(0)!.toString(), kept.valueAt(1)!.toString()]).toEqual(['k0', 'value-0', 'value-1'])
    // Small records far apart in one large buffer are copied: a batch must not keep it alive.
    const large = Buffer.alloc(100_000)
    large.write('a', 0)
    large.write('b', 99_999)
    const sparse = build([{ key: null, value: large.subarray(0, 1) }, { key: null, value: large.subarray(99_999) }], { bytesImmutable: true })
    large.fill(0)
    expect([sparse.valueAt(0)!.toString(), sparse.valueAt(1)!.toString()]).toEqual(['a', 'b'])
    // Views of different buffers are copied too.
    const x = Buffer.alloc(1, 'x')
    const y = Buffer.alloc(1, 'y')
    const apart = build([{ key: null, value: x }, { key: null, value: y }], { bytesImmutable: true })
    x.fill(0)
    y.fill(0)
    expect([apart.valueAt(0)!.toString(), apart.valueAt(1)!.toString()]).toEqual(['x', 'y'])
  })

  it('copies the bytes: changing the producer’s buffers afterwards changes nothing', () => {
    const key = text('key')
    const value = text('value')
    const header = text('header')
    const batch = build([{ key, value, headers: [{ key: 'h', value: header }] }])
    key.fill(0)
    value.fill(0)
    header.fill(0)
    expect(batch.keyAt(0)!.toString()).toBe('key')
    expect(batch.valueAt(0)!.toString()).toBe('value')
    expect(batch.headersAt(0)![0]!.value!.toString()).toBe('header')
  })

  it('keeps each of many small batches’ records its own, however many are built in a row', () => {
    // Small batches share storage chunks: a batch built later never shows through an earlier one.
    const batches = Array.from({ length: 3_000 }, (_, i) => build([{ key: text(`k${i}`), value: Buffer.alloc(i % 7 === 0 ? 3_000 : 100, i % 256) }], { baseOffset: i }))
    batches.forEach((batch, i) => {
      expect(batch.keyAt(0)!.toString()).toBe(`k${i}`)
      expect(batch.valueAt(0)!.length).toBe(i % 7 === 0 ? 3_000 : 100)
      expect(batch.valueAt(0)!.every((byte) => byte === i % 256)).toBe(true)
      expect(batch.keyEqualsAt(0, build([{ key: text(`k${i}`), value: null }]), 0)).toBe(true)
    })
    const kept = batches[5]!.retain(() => true)
    expect([kept.keyAt(0)!.toString(), kept.valueAt(0)![0]]).toEqual(['k5', 5])
  })

  it('accepts plain Uint8Arrays as keys and values', () => {
    const batch = build([{ key: new Uint8Array([1, 2]), value: new Uint8Array([3]) }])
    expect(batch.keyAt(0)).toEqual(Buffer.from([1, 2]))
    expect(batch.valueAt(0)).toEqual(Buffer.from([3]))
  })

  it('keeps headers per record, in order, repeated keys included', () => {
    const batch = build([
      { key: null, value: text('a'), headers: [{ key: 'x', value: text('1') }, { key: 'x', value: text('2') }, { key: 'n', value: null }] },
      { key: null, value: text('b') },
    ])
    expect(batch.headersAt(0)).toEqual([
      { key: 'x', value: text('1') },
      { key: 'x', value: text('2') },
      { key: 'n', value: null },
    ])
    expect(batch.headersAt(1)).toBeUndefined()
    expect(build([{ key: null, value: text('a') }]).headersAt(0)).toBeUndefined()
  })

  it('with CreateTime keeps each record’s timestamp, stamping `now` where there is none', () => {
    const batch = build([
      { key: null, value: text('a'), timestamp: 300 },
      { key: null, value: text('b') },
      { key: null, value: text('c'), timestamp: 100 },
    ])
    expect([0, 1, 2].map((i) => batch.timestampAt(i))).toEqual([300, 5_000, 100])
    expect(batch.firstTimestamp).toBe(300)
    expect(batch.maxTimestamp).toBe(5_000)
    expect(batch.timestampType).toBe(TimestampType.CreateTime)
  })

  it('with LogAppendTime gives every record the broker’s time', () => {
    const batch = build([{ key: null, value: text('a'), timestamp: 300 }, { key: null, value: text('b'), timestamp: 9_999 }], {
      timestampType: TimestampType.LogAppendTime,
    })
    expect([batch.timestampAt(0), batch.timestampAt(1), batch.firstTimestamp, batch.maxTimestamp]).toEqual([5_000, 5_000, 5_000, 5_000])
  })

  it('carries producer fields when given, Kafka’s "none" values otherwise', () => {
    const plain = build([{ key: null, value: text('a') }])
    expect([plain.producerId, plain.producerEpoch, plain.baseSequence, plain.isTransactional, plain.isControl]).toEqual([
      NO_PRODUCER_ID,
      NO_PRODUCER_EPOCH,
      NO_SEQUENCE,
      false,
      false,
    ])
    const idempotent = build([{ key: null, value: text('a') }], {
      producer: { producerId: 7, producerEpoch: 2, baseSequence: 40, isTransactional: true },
      isControl: true,
    })
    expect([idempotent.producerId, idempotent.producerEpoch, idempotent.baseSequence, idempotent.isTransactional, idempotent.isControl]).toEqual([
      7,
      2,
      40,
      true,
      true,
    ])
  })

  it('keeps its leader epoch, timestamp type and control bit apart, whatever the epoch', () => {
    for (const partitionLeaderEpoch of [-1, 0, 3, 2 ** 29, 2 ** 31 - 1]) {
      for (const timestampType of [TimestampType.CreateTime, TimestampType.LogAppendTime]) {
        for (const isControl of [false, true]) {
          const batch = build([{ key: null, value: text('a') }], { partitionLeaderEpoch, timestampType, isControl })
          expect([batch.partitionLeaderEpoch, batch.timestampType, batch.isControl]).toEqual([partitionLeaderEpoch, timestampType, isControl])
          const horizon = batch.withDeleteHorizon(7)
          expect([horizon.partitionLeaderEpoch, horizon.timestampType, horizon.isControl, horizon.deleteHorizonMs]).toEqual([partitionLeaderEpoch, timestampType, isControl, 7])
        }
      }
    }
  })

  it('sizes itself as sizeOf says: a 61-byte header, 8 bytes per record, the data and the headers', () => {
    const records: ProducerRecord[] = [
      { key: text('kk'), value: text('vvv') },
      { key: null, value: null, headers: [{ key: 'hk', value: text('hv') }] },
    ]
    const expected = BATCH_HEADER_BYTES + (8 + 2 + 3) + (8 + (2 + 2 + 2))
    expect(RecordBatch.sizeOf(records)).toBe(expected)
    expect(build(records).sizeInBytes).toBe(expected)
  })
})

describe('RecordBatch.indexOfOffset', () => {
  it('finds the first record at or after an offset, or count when none', () => {
    const batch = build([{ key: null, value: text('a') }, { key: null, value: text('b') }, { key: null, value: text('c') }])
    expect([0, 10, 11, 12, 13, 99].map((o) => batch.indexOfOffset(o))).toEqual([0, 0, 1, 2, 3, 3])
  })
})

describe('RecordBatch.retain (compaction)', () => {
  const records: ProducerRecord[] = ['a', 'b', 'c', 'd', 'e'].map((v, i) => ({
    key: text(`k${i % 2}`),
    value: i === 3 ? null : text(v),
    timestamp: 1_000 + i,
    headers: i === 2 ? [{ key: 'h', value: text('header') }] : undefined,
  }))
  const batch = build(records)

  it('keeps the chosen records with their offsets, timestamps, keys, values and headers', () => {
    const kept = batch.retain((i) => i !== 0 && i !== 1)
    expect([...kept.records()]).toEqual([
      { offset: 12, timestamp: 1_002, key: text('k0'), value: text('c'), headers: [{ key: 'h', value: text('header') }] },
      { offset: 13, timestamp: 1_003, key: text('k1'), value: null, headers: undefined },
      { offset: 14, timestamp: 1_004, key: text('k0'), value: text('e'), headers: undefined },
    ])
    // The batch still spans the offsets it was written with.
    expect([kept.baseOffset, kept.lastOffset, kept.count]).toEqual([10, 14, 3])
    expect([kept.maxTimestamp, kept.partitionLeaderEpoch, kept.timestampType, kept.isControl]).toEqual([batch.maxTimestamp, 3, batch.timestampType, false])
  })

  it('finds offsets in a sparse batch: a removed offset reads as the next record', () => {
    const kept = batch.retain((i) => i === 1 || i === 4)
    expect([10, 11, 12, 13, 14, 15].map((o) => kept.indexOfOffset(o))).toEqual([0, 0, 1, 1, 1, 2])
    expect([kept.offsetAt(0), kept.offsetAt(1)]).toEqual([11, 14])
  })

  it('sizes the copy as a batch built from the kept records would be, headers included', () => {
    for (const keep of [(i: number) => i >= 2, (i: number) => i === 2, () => true, () => false]) {
      const kept = batch.retain(keep)
      expect(kept.sizeInBytes).toBe(RecordBatch.sizeOf(records.filter((_, i) => keep(i))))
    }
  })

  it('is a copy: the original batch is unchanged', () => {
    batch.retain(() => false)
    expect(batch.count).toBe(5)
    expect(batch.valueAt(0)!.toString()).toBe('a')
  })

  it('property: retaining any subset reads back exactly that subset of the original records', () => {
    const recordArb = fc.record({
      key: fc.option(fc.uint8Array({ maxLength: 5 }), { nil: null }),
      value: fc.option(fc.uint8Array({ maxLength: 8 }), { nil: null }),
      timestamp: fc.option(fc.integer({ min: 0, max: 10_000 }), { nil: undefined }),
    })
    fc.assert(
      fc.property(fc.array(recordArb, { minLength: 1, maxLength: 20 }), fc.func(fc.boolean()), (input, keepFn) => {
        const original = build(input)
        const keep = (i: number) => keepFn(i)
        const kept = original.retain(keep)
        const expected = [...original.records()].filter((_, i) => keep(i))
        expect([...kept.records()]).toEqual(expected)
        // Retaining again with everything kept changes nothing.
        expect([...kept.retain(() => true).records()]).toEqual(expected)
        for (const r of expected) expect(kept.recordAt(kept.indexOfOffset(r.offset))).toEqual(r)
      }),
    )
  })
})
