import { createRequire } from 'node:module'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { RecordBatch, TimestampType, type ProducerRecord } from '../../../src/cluster/log/record-batch.js'
import { endTransactionMarker } from '../../../src/cluster/log/control-record.js'
import { decodeMessageSet, encodeMessageSet } from '../../../src/wire/records/message-set.js'
import { peekMagic } from '../../../src/wire/records/record-batch-decoder.js'
import { CorruptRecordError, RecordsError, UnsupportedCompressionError } from '../../../src/wire/records/records-error.js'

const require = createRequire(import.meta.url)
const KafkajsMessageSet = require('kafkajs/src/protocol/messageSet/index.js')
const kafkajsDecodeMessageSet = require('kafkajs/src/protocol/messageSet/decoder.js')
const KafkajsDecoder = require('kafkajs/src/protocol/decoder.js')
const { Types: KafkajsCompression, lookupCodec } = require('kafkajs/src/protocol/message/compression/index.js')

const T0 = 1_700_000_000_000
const bytes = fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b))
const entry = fc.record({ key: fc.option(bytes, { nil: null }), value: fc.option(bytes, { nil: null }), timestamp: fc.integer({ min: T0, max: T0 + 100_000 }) })

/** A kafkajs message set, gzip-wrapped the way its Produce v2 request does it. */
async function kafkajsMessageSet(magic: 0 | 1, entries: { key: Buffer | null; value: Buffer | null; timestamp: number }[], gzip: boolean): Promise<Buffer> {
  const plain = KafkajsMessageSet({ messageVersion: magic, compression: gzip ? KafkajsCompression.GZIP : KafkajsCompression.None, entries })
  if (!gzip) return plain.buffer
  const compressed = await lookupCodec(KafkajsCompression.GZIP).compress(plain)
  return KafkajsMessageSet({ messageVersion: magic, entries: [{ compression: KafkajsCompression.GZIP, timestamp: entries[0]!.timestamp, key: null, value: compressed }] }).buffer
}

describe('legacy message sets (magic 0 and 1)', () => {
  it('decodes what kafkajs encodes, plain and gzip-wrapped, checking CRC-32', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(0 as const, 1 as const), fc.array(entry, { minLength: 1, maxLength: 5 }), fc.boolean(), async (magic, entries, gzip) => {
        const blob = await kafkajsMessageSet(magic, entries, gzip)
        expect(peekMagic(blob)).toBe(magic)
        const set = decodeMessageSet(blob)
        expect(set).toMatchObject({ magic, compression: gzip ? 1 : 0, timestampType: TimestampType.CreateTime })
        expect(set.records).toEqual(entries.map((e) => ({ key: e.key, value: e.value, headers: undefined, timestamp: magic === 1 ? e.timestamp : undefined })))
      }),
      { numRuns: 60 },
    )
  })

  it('refuses a bad CRC, a truncated message and snappy', async () => {
    const blob = await kafkajsMessageSet(1, [{ key: null, value: Buffer.from('abc'), timestamp: T0 }], false)
    const bad = Buffer.from(blob)
    bad[bad.length - 1] ^= 1
    expect(() => decodeMessageSet(bad)).toThrow(CorruptRecordError)
    expect(() => decodeMessageSet(blob.subarray(0, blob.length - 2))).toThrow(CorruptRecordError)
    expect(() => decodeMessageSet(Buffer.concat([blob, Buffer.alloc(5)]))).toThrow(CorruptRecordError)
    const snappy = KafkajsMessageSet({ messageVersion: 1, entries: [{ compression: KafkajsCompression.Snappy, timestamp: T0, key: null, value: Buffer.from('x') }] }).buffer
    expect(() => decodeMessageSet(snappy)).toThrow(UnsupportedCompressionError)
  })

  it('raises only records errors on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (random) => {
        try {
          decodeMessageSet(Buffer.from(random))
        } catch (error) {
          expect(error).toBeInstanceOf(RecordsError)
        }
      }),
    )
  })

  it('down-converts a stored batch for Fetch v0-3: kafkajs reads back offsets, keys, values and magic-1 timestamps', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(0 as const, 1 as const),
        fc.array(fc.record({ key: fc.option(bytes, { nil: null }), value: fc.option(bytes, { nil: null }), timestamp: fc.integer({ min: T0, max: T0 + 1000 }), headers: fc.constant([{ key: 'h', value: Buffer.from('dropped') }]) }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
        async (magic, records: ProducerRecord[], keep) => {
          const batch = RecordBatch.fromRecords({ baseOffset: 50, records, partitionLeaderEpoch: 0, timestampType: TimestampType.CreateTime, now: T0 }).retain((i) => keep[i]!)
          const blob = encodeMessageSet(batch, magic)
          expect(encodeMessageSet(batch, magic)).toBe(blob)
          if (batch.count === 0) {
            expect(blob.length).toBe(0)
            return
          }
          const decoder = new KafkajsDecoder(blob)
          const theirs = await kafkajsDecodeMessageSet(decoder, blob.length)
          expect(theirs.map((m: { offset: string; magicByte: number; key: Buffer | null; value: Buffer | null; timestamp?: string }) => ({ offset: Number(m.offset), magic: m.magicByte, key: m.key, value: m.value, timestamp: m.timestamp === undefined ? undefined : Number(m.timestamp) }))).toEqual(
            [...batch.records()].map((r) => ({ offset: r.offset, magic, key: r.key, value: r.value, timestamp: magic === 1 ? r.timestamp : undefined })),
          )
          // And our own decoder agrees (CRC-32 included).
          expect(decodeMessageSet(blob).records.map((r) => r.value)).toEqual([...batch.records()].map((r) => r.value))
        },
      ),
      { numRuns: 60 },
    )
  })

  it('skips control batches when down-converting, as Kafka does', () => {
    const marker = RecordBatch.fromRecords({ baseOffset: 3, records: [endTransactionMarker('ABORT', 0)], partitionLeaderEpoch: 0, timestampType: TimestampType.CreateTime, now: T0, producer: { producerId: 1, producerEpoch: 0, baseSequence: -1, isTransactional: true }, isControl: true })
    expect(encodeMessageSet(marker, 1).length).toBe(0)
  })

  it('marks LogAppendTime in magic-1 attributes and gives inner messages the wrapper time', () => {
    const batch = RecordBatch.fromRecords({ baseOffset: 0, records: [{ key: null, value: Buffer.from('v'), timestamp: 1 }], partitionLeaderEpoch: 0, timestampType: TimestampType.LogAppendTime, now: T0 })
    const blob = encodeMessageSet(batch, 1)
    expect(blob.readInt8(17) & 0x08).toBe(0x08)
    expect(decodeMessageSet(blob)).toMatchObject({ timestampType: TimestampType.LogAppendTime, records: [{ timestamp: T0 }] })
  })
})
