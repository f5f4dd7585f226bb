/**
 * kafkajs's Batch as the runner hands it over: the messages of one partition from the fetch
 * position up to the high watermark, with kafkajs's offsets, lags and message fields.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { fetchedRange, toBatch } from '../../../src/client/consumer/batch.js'
import { RecordBatch, TimestampType } from '../../../src/cluster/log/record-batch.js'

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
    expect(batch.messages[0]).toEqual({ magicByte: 2, attributes: 0, timestamp: '1000', offset: '1', key: Buffer.from('kb'), value: Buffer.from('b'), headers: { h: Buffer.from('b') }, isControlRecord: false })
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
