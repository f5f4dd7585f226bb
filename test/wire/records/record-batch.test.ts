import { createRequire } from 'node:module'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { unicodeString } from '../protocol/arbitrary-message.js'
import { RecordBatch, TimestampType, type ProducerRecord, type RecordHeader } from '../../../src/cluster/log/record-batch.js'
import { crc32c } from '../../../src/wire/records/crc32c.js'
import { decodeRecordBatches, peekMagic } from '../../../src/wire/records/record-batch-decoder.js'
import { encodeRecordBatch } from '../../../src/wire/records/record-batch-encoder.js'
import { CorruptRecordError, InvalidRecordError, RecordsError, UnsupportedCompressionError } from '../../../src/wire/records/records-error.js'

const require = createRequire(import.meta.url)
const { RecordBatch: KafkajsRecordBatch } = require('kafkajs/src/protocol/recordBatch/v0/index.js')
const KafkajsRecord = require('kafkajs/src/protocol/recordBatch/record/v0/index.js')
const kafkajsDecodeBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder.js')
const KafkajsDecoder = require('kafkajs/src/protocol/decoder.js')
const Long = require('kafkajs/src/utils/long.js')
const { Types: KafkajsCompression } = require('kafkajs/src/protocol/message/compression/index.js')

const T0 = 1_700_000_000_000
const bytes = fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b))
const header: fc.Arbitrary<RecordHeader> = fc.record({ key: unicodeString(8), value: fc.option(bytes, { nil: null }) })
const producerRecord: fc.Arbitrary<ProducerRecord> = fc.record({
  key: fc.option(bytes, { nil: null }),
  value: fc.option(bytes, { nil: null }),
  headers: fc.option(fc.array(header, { minLength: 1, maxLength: 3 }), { nil: undefined }),
  timestamp: fc.integer({ min: T0 - 1_000_000, max: T0 + 1_000_000 }),
})

/** A decoded key or value (a Uint8Array view) as a Buffer, to compare with Buffers. */
const buf = (u: Uint8Array | null): Buffer | null => (u === null ? null : Buffer.from(u.buffer, u.byteOffset, u.byteLength))
const asBuffers = (records: readonly ProducerRecord[]) => records.map((r) => ({ ...r, key: buf(r.key), value: buf(r.value) }))

/** What a decoded record must equal: the record as stored (headers undefined when empty). */
const stored = (batch: RecordBatch) =>
  [...batch.records()].map((r) => ({ key: r.key, value: r.value, headers: r.headers, timestamp: r.timestamp }))

async function kafkajsBatch(options: {
  records: { key: Buffer | null; value: Buffer | null; headers: Record<string, Buffer>; timestamp: number }[]
  compression: number
  producerId: number
  producerEpoch: number
  firstSequence: number
  transactional: boolean
}): Promise<Buffer> {
  const first = Math.min(...options.records.map((r) => r.timestamp))
  const records = options.records.map((r, i) => KafkajsRecord({ key: r.key, value: r.value, headers: r.headers, offsetDelta: i, timestampDelta: r.timestamp - first }))
  const encoder = await KafkajsRecordBatch({
    compression: options.compression,
    records,
    firstTimestamp: first,
    maxTimestamp: Math.max(...options.records.map((r) => r.timestamp)),
    producerId: Long.fromNumber(options.producerId),
    producerEpoch: options.producerEpoch,
    firstSequence: options.firstSequence,
    transactional: options.transactional,
    lastOffsetDelta: records.length - 1,
  })
  return encoder.buffer
}

describe('record batch v2 decoding (Produce v3+)', () => {
  it('reads what kafkajs encodes, uncompressed and gzip, with producer fields and headers', async () => {
    const kafkajsRecord = fc.record({
      key: fc.option(bytes, { nil: null }),
      value: fc.option(bytes, { nil: null }),
      headers: fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), bytes, { maxKeys: 3 }),
      timestamp: fc.integer({ min: T0, max: T0 + 100_000 }),
    })
    await fc.assert(
      fc.asyncProperty(
        fc.array(kafkajsRecord, { minLength: 1, maxLength: 6 }),
        fc.constantFrom(KafkajsCompression.None, KafkajsCompression.GZIP),
        fc.integer({ min: -1, max: 2 ** 40 }),
        fc.integer({ min: 0, max: 32767 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.boolean(),
        async (records, compression, producerId, producerEpoch, firstSequence, transactional) => {
          const blob = await kafkajsBatch({ records, compression, producerId, producerEpoch, firstSequence, transactional })
          expect(peekMagic(blob)).toBe(2)
          const [batch, ...rest] = decodeRecordBatches(blob)
          expect(rest).toEqual([])
          expect(batch).toMatchObject({ magic: 2, compression, producerId, producerEpoch, baseSequence: firstSequence, isTransactional: transactional, isControl: false, count: records.length, lastOffsetDelta: records.length - 1, sizeInBytes: blob.length })
          expect(asBuffers(batch!.records)).toEqual(
            records.map((r) => ({
              key: r.key,
              value: r.value,
              timestamp: r.timestamp,
              headers: Object.keys(r.headers).length ? Object.keys(r.headers).map((k) => ({ key: k, value: r.headers[k] })) : undefined,
            })),
          )
        },
      ),
      { numRuns: 60 },
    )
  })

  it('reads several batches back to back', async () => {
    const one = await kafkajsBatch({ records: [{ key: null, value: Buffer.from('a'), headers: {}, timestamp: T0 }], compression: 0, producerId: -1, producerEpoch: 0, firstSequence: 0, transactional: false })
    const two = await kafkajsBatch({ records: [{ key: null, value: Buffer.from('b'), headers: {}, timestamp: T0 }], compression: 1, producerId: -1, producerEpoch: 0, firstSequence: 0, transactional: false })
    const batches = decodeRecordBatches(Buffer.concat([one, two]))
    expect(batches.map((b) => buf(b.records[0]!.value)!.toString())).toEqual(['a', 'b'])
  })

  it('returns keys and values as views into the request, not copies', async () => {
    const blob = await kafkajsBatch({ records: [{ key: Buffer.from('k'), value: Buffer.from('v'), headers: {}, timestamp: T0 }], compression: 0, producerId: -1, producerEpoch: 0, firstSequence: 0, transactional: false })
    const record = decodeRecordBatches(blob)[0]!.records[0]!
    expect(record.value!.buffer).toBe(blob.buffer)
    expect(record.value!.byteOffset).toBeGreaterThan(blob.byteOffset)
  })
})

/** Re-stamps a batch's CRC after the test edited it. */
function fixCrc(blob: Buffer): Buffer {
  blob.writeUInt32BE(crc32c(blob, 21, blob.length), 17)
  return blob
}

describe('malformed record batches', () => {
  const sample = () => encodeRecordBatch(RecordBatch.fromRecords({ baseOffset: 0, records: [{ key: null, value: Buffer.from('hello') }, { key: Buffer.from('k'), value: null }], partitionLeaderEpoch: 0, timestampType: TimestampType.CreateTime, now: T0 }))

  it('a wrong CRC is CORRUPT_MESSAGE', () => {
    const blob = Buffer.from(sample())
    blob[blob.length - 1] ^= 0xff
    expect(() => decodeRecordBatches(blob)).toThrow(CorruptRecordError)
    expect(new CorruptRecordError('x').errorCode).toBe(2)
  })

  it('snappy, lz4 and zstd are UNSUPPORTED_COMPRESSION_TYPE', () => {
    for (const codec of [2, 3, 4]) {
      const blob = Buffer.from(sample())
      blob.writeInt16BE(codec, 21)
      expect(() => decodeRecordBatches(fixCrc(blob))).toThrow(UnsupportedCompressionError)
    }
    expect(new UnsupportedCompressionError('x').errorCode).toBe(76)
  })

  it('a record count that does not match the records is INVALID_RECORD', () => {
    for (const count of [1, 3, 1_000_000]) {
      const blob = Buffer.from(sample())
      blob.writeInt32BE(count, 57)
      expect(() => decodeRecordBatches(fixCrc(blob))).toThrow(InvalidRecordError)
    }
    expect(new InvalidRecordError('x').errorCode).toBe(87)
  })

  it('a truncated batch, a batch length below the header, and another magic are refused', () => {
    const blob = sample()
    expect(() => decodeRecordBatches(blob.subarray(0, blob.length - 1))).toThrow(InvalidRecordError)
    expect(() => decodeRecordBatches(blob.subarray(0, 30))).toThrow(InvalidRecordError)
    const short = Buffer.from(blob)
    short.writeInt32BE(10, 8)
    expect(() => decodeRecordBatches(short)).toThrow(CorruptRecordError)
    const magic1 = Buffer.from(blob)
    magic1.writeInt8(1, 16)
    expect(() => decodeRecordBatches(magic1)).toThrow(InvalidRecordError)
  })

  it('random edits of a valid batch (CRC re-stamped) and random bytes raise only records errors', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }), fc.boolean(), (edits, restamp) => {
        const blob = Buffer.from(sample())
        for (const [at, value] of edits) blob[61 + (at % (blob.length - 61))] = value
        try {
          decodeRecordBatches(restamp ? fixCrc(blob) : blob)
        } catch (error) {
          expect(error).toBeInstanceOf(RecordsError)
        }
      }),
    )
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), (random) => {
        try {
          decodeRecordBatches(Buffer.from(random))
        } catch (error) {
          expect(error).toBeInstanceOf(RecordsError)
        }
      }),
    )
  })
})

describe('record batch v2 encoding (Fetch v4+)', () => {
  it('decode(encode(batch)) gives back the stored records and producer fields', () => {
    fc.assert(
      fc.property(
        fc.array(producerRecord, { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 0, max: 2 ** 45 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.option(fc.record({ producerId: fc.integer({ min: 0, max: 2 ** 40 }), producerEpoch: fc.integer({ min: 0, max: 32767 }), baseSequence: fc.integer({ min: 0, max: 2 ** 30 }), isTransactional: fc.boolean() }), { nil: undefined }),
        fc.boolean(),
        (records, baseOffset, epoch, producer, logAppend) => {
          const batch = RecordBatch.fromRecords({ baseOffset, records, partitionLeaderEpoch: epoch, timestampType: logAppend ? TimestampType.LogAppendTime : TimestampType.CreateTime, now: T0, producer })
          const blob = encodeRecordBatch(batch)
          const [decoded] = decodeRecordBatches(blob)
          expect(decoded).toMatchObject({
            baseOffset,
            partitionLeaderEpoch: epoch,
            lastOffsetDelta: records.length - 1,
            producerId: producer?.producerId ?? -1,
            producerEpoch: producer?.producerEpoch ?? -1,
            baseSequence: producer?.baseSequence ?? -1,
            isTransactional: producer?.isTransactional ?? false,
            timestampType: batch.timestampType,
            maxTimestamp: batch.maxTimestamp,
            baseTimestamp: batch.firstTimestamp,
            hasDeleteHorizon: false,
            compression: 0,
          })
          expect(asBuffers(decoded!.records)).toEqual(stored(batch))
          expect(encodeRecordBatch(batch)).toBe(blob)
        },
      ),
    )
  })

  it('kafkajs reads it: offsets across compaction gaps, timestamps, headers, the control flag', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(producerRecord, { minLength: 1, maxLength: 8 }), fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }), async (records, keepMask) => {
        const full = RecordBatch.fromRecords({ baseOffset: 100, records, partitionLeaderEpoch: 3, timestampType: TimestampType.CreateTime, now: T0 })
        const batch = full.retain((i) => keepMask[i]!)
        const theirs = await kafkajsDecodeBatch(new KafkajsDecoder(encodeRecordBatch(batch)))
        expect(theirs.lastOffsetDelta).toBe(full.lastOffset - 100)
        expect(theirs.partitionLeaderEpoch).toBe(3)
        expect(theirs.isControlBatch).toBe(false)
        expect(
          theirs.records.map((r: { offset: string; timestamp: string; key: Buffer | null; value: Buffer | null }) => ({ offset: Number(r.offset), timestamp: Number(r.timestamp), key: r.key, value: r.value })),
        ).toEqual([...batch.records()].map((r) => ({ offset: r.offset, timestamp: r.timestamp, key: r.key, value: r.value })))
      }),
      { numRuns: 50 },
    )
  })

  it('marks a control batch and keeps its marker record as the cluster stored it', async () => {
    const { endTransactionMarker } = await import('../../../src/cluster/log/control-record.js')
    const marker = RecordBatch.fromRecords({ baseOffset: 7, records: [endTransactionMarker('COMMIT', 0)], partitionLeaderEpoch: 0, timestampType: TimestampType.CreateTime, now: T0, producer: { producerId: 9, producerEpoch: 1, baseSequence: -1, isTransactional: true }, isControl: true })
    const [decoded] = decodeRecordBatches(encodeRecordBatch(marker))
    expect(decoded).toMatchObject({ isControl: true, isTransactional: true, producerId: 9, attributes: 0x30 })
    expect(buf(decoded!.records[0]!.key)).toEqual(Buffer.from('00000001', 'hex'))
    const theirs = await kafkajsDecodeBatch(new KafkajsDecoder(encodeRecordBatch(marker)))
    expect(theirs.isControlBatch).toBe(true)
  })

  it('writes a KIP-534 delete horizon in baseTimestamp with bit 6, record timestamps unchanged', () => {
    const batch = RecordBatch.fromRecords({ baseOffset: 0, records: [{ key: Buffer.from('k'), value: null, timestamp: T0 }, { key: Buffer.from('j'), value: null, timestamp: T0 + 5 }], partitionLeaderEpoch: 0, timestampType: TimestampType.CreateTime, now: T0 }).withDeleteHorizon(T0 + 86_400_000)
    const [decoded] = decodeRecordBatches(encodeRecordBatch(batch))
    expect(decoded).toMatchObject({ hasDeleteHorizon: true, baseTimestamp: T0 + 86_400_000 })
    expect(decoded!.records.map((r) => r.timestamp)).toEqual([T0, T0 + 5])
  })

  it('writes a LogAppendTime batch with the timestamp-type bit', () => {
    const batch = RecordBatch.fromRecords({ baseOffset: 0, records: [{ key: null, value: null, timestamp: 5 }], partitionLeaderEpoch: 0, timestampType: TimestampType.LogAppendTime, now: T0 })
    const blob = encodeRecordBatch(batch)
    expect(blob.readInt16BE(21) & 0x08).toBe(0x08)
    expect(decodeRecordBatches(blob)[0]!.records[0]!.timestamp).toBe(T0)
  })
})
