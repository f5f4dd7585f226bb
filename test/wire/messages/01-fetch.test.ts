import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { RecordBatch, TimestampType } from '../../../src/cluster/log/record-batch.js'
import { fetch } from '../../../src/wire/messages/01-fetch.js'
import { encodeMessageSet } from '../../../src/wire/records/message-set.js'
import { encodeRecordBatch } from '../../../src/wire/records/record-batch-encoder.js'
import { decodeKafkajsRequest, kafkajsDecodesResponse, kafkajsRequest } from './kafkajs-oracle.js'

const T0 = 1_700_000_000_000
const int32 = fc.integer({ min: -2147483648, max: 2147483647 })
const offset = fc.integer({ min: -1, max: 2 ** 50 })

const fetchTopics = fc.array(
  fc.record({
    topic: fc.string({ minLength: 1, maxLength: 10 }),
    partitions: fc.array(fc.record({ partition: fc.nat(50), fetchOffset: offset, maxBytes: fc.nat(), logStartOffset: offset, currentLeaderEpoch: int32 }), { minLength: 1, maxLength: 3 }),
  }),
  { maxLength: 3 },
)

interface DecodedFetch {
  replicaId: number
  maxWaitMs: number
  minBytes: number
  maxBytes: number
  isolationLevel: number
  sessionId: number
  sessionEpoch: number
  rackId: string
  topics: { topic: string; partitions: { partition: number; fetchOffset: number; partitionMaxBytes: number; logStartOffset: number; currentLeaderEpoch: number }[] }[]
  forgottenTopicsData: { topic: string; partitions: number[] }[]
}

describe('FetchRequest v0-11 from kafkajs', () => {
  for (let version = 0; version <= 11; version++) {
    it(`v${version}: decodes byte for byte`, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.record({
            replicaId: fc.constant(-1),
            maxWaitTime: fc.nat(60_000),
            minBytes: fc.nat(),
            maxBytes: fc.nat(),
            isolationLevel: fc.constantFrom(0, 1),
            sessionId: int32,
            sessionEpoch: int32,
            rackId: fc.string({ maxLength: 8 }),
            forgottenTopics: fc.array(fc.record({ topic: fc.string({ minLength: 1, maxLength: 6 }), partitions: fc.array(fc.nat(20), { maxLength: 3 }) }), { maxLength: 2 }),
          }),
          fetchTopics,
          async (args, topics) => {
            const { body } = await decodeKafkajsRequest(fetch, kafkajsRequest('fetch', version)({ ...args, topics }))
            const d = body as unknown as DecodedFetch
            expect(d).toMatchObject({ replicaId: -1, maxWaitMs: args.maxWaitTime, minBytes: args.minBytes })
            if (version >= 3) expect(d.maxBytes).toBe(args.maxBytes)
            else expect(d.maxBytes).toBe(0x7fffffff)
            expect(d.isolationLevel).toBe(version >= 4 ? args.isolationLevel : 0)
            if (version >= 7) {
              expect([d.sessionId, d.sessionEpoch]).toEqual([args.sessionId, args.sessionEpoch])
              expect(d.forgottenTopicsData).toEqual(args.forgottenTopics.map((f) => ({ topic: f.topic, topicId: '00000000-0000-0000-0000-000000000000', partitions: f.partitions })))
            }
            if (version >= 11) expect(d.rackId).toBe(args.rackId)
            expect(
              d.topics.map((t) => ({ topic: t.topic, partitions: t.partitions.map((p) => ({ partition: p.partition, fetchOffset: p.fetchOffset, maxBytes: p.partitionMaxBytes, logStartOffset: p.logStartOffset, currentLeaderEpoch: p.currentLeaderEpoch })) })),
            ).toEqual(
              topics.map((t) => ({
                topic: t.topic,
                partitions: t.partitions.map((p) => ({ partition: p.partition, fetchOffset: p.fetchOffset, maxBytes: p.maxBytes, logStartOffset: version >= 5 ? p.logStartOffset : -1, currentLeaderEpoch: version >= 9 ? p.currentLeaderEpoch : -1 })),
              })),
            )
          },
        ),
        { numRuns: 15 },
      )
    })
  }
})

const storedBatch = fc
  .record({
    baseOffset: fc.integer({ min: 0, max: 2 ** 40 }),
    values: fc.array(fc.string({ maxLength: 20 }), { minLength: 1, maxLength: 4 }),
  })
  .map(({ baseOffset, values }) =>
    RecordBatch.fromRecords({ baseOffset, records: values.map((v, i) => ({ key: Buffer.from(`k${i}`), value: Buffer.from(v), timestamp: T0 + i })), partitionLeaderEpoch: 1, timestampType: TimestampType.CreateTime, now: T0 }),
  )

describe('FetchResponse v0-11 read by kafkajs', () => {
  for (let version = 0; version <= 11; version++) {
    it(`v${version}: kafkajs reads partitions, watermarks, aborted transactions and the ${version >= 4 ? 'record batches' : 'down-converted message sets'}`, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.record({
              topic: fc.string({ minLength: 1, maxLength: 8 }),
              partitions: fc.array(
                fc.record({ partitionIndex: fc.nat(50), errorCode: fc.constantFrom(0), highWatermark: offset, lastStableOffset: offset, logStartOffset: offset, abortedTransactions: fc.array(fc.record({ producerId: offset, firstOffset: offset }), { maxLength: 2 }), preferredReadReplica: int32, batches: fc.array(storedBatch, { maxLength: 2 }) }),
                { maxLength: 2 },
              ),
            }),
            { maxLength: 2 },
          ),
          int32,
          int32,
          async (topics, throttleTimeMs, sessionId) => {
            const response = {
              throttleTimeMs,
              errorCode: 0,
              sessionId,
              responses: topics.map((t) => ({
                topic: t.topic,
                partitions: t.partitions.map(({ batches, ...p }) => ({ ...p, preferredReadReplica: version >= 11 ? p.preferredReadReplica : -1, records: batches.map((b) => (version >= 4 ? encodeRecordBatch(b) : encodeMessageSet(b, version >= 2 ? 1 : 0))) })),
              })),
            }
            const theirs = await kafkajsDecodesResponse(fetch, 'fetch', version, version >= 7 ? response : { ...response, sessionId: 0 })
            if (version >= 1) expect(version >= 8 ? theirs.clientSideThrottleTime : theirs.throttleTime).toBe(throttleTimeMs)
            if (version >= 7) expect([theirs.errorCode, theirs.sessionId]).toEqual([0, sessionId])
            const decoded = theirs.responses as { topicName: string; partitions: Record<string, unknown>[] }[]
            expect(decoded.map((t) => t.topicName)).toEqual(topics.map((t) => t.topic))
            decoded.forEach((t, i) => {
              t.partitions.forEach((p, j) => {
                const sent = topics[i]!.partitions[j]!
                expect(p).toMatchObject({ partition: sent.partitionIndex, errorCode: 0, highWatermark: String(sent.highWatermark) })
                if (version >= 4) {
                  expect(p.lastStableOffset).toBe(String(sent.lastStableOffset))
                  expect(p.abortedTransactions).toEqual(sent.abortedTransactions.map((a) => ({ producerId: String(a.producerId), firstOffset: String(a.firstOffset) })))
                }
                if (version >= 5) expect(p.lastStartOffset).toBe(String(sent.logStartOffset))
                if (version >= 11) expect(p.preferredReadReplica).toBe(sent.preferredReadReplica)
                const messages = p.messages as { offset: string; value: Buffer; timestamp: string }[]
                const expected = sent.batches.flatMap((b) => [...b.records()])
                expect(messages.map((m) => [Number(m.offset), m.value.toString()])).toEqual(expected.map((r) => [r.offset, r.value!.toString()]))
                if (version >= 2) expect(messages.map((m) => Number(m.timestamp))).toEqual(expected.map((r) => r.timestamp))
              })
            })
          },
        ),
        { numRuns: 15 },
      )
    })
  }
})
