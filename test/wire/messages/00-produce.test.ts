import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { produce } from '../../../src/wire/messages/00-produce.js'
import { decodeMessageSet } from '../../../src/wire/records/message-set.js'
import { decodeRecordBatches } from '../../../src/wire/records/record-batch-decoder.js'
import { messageArbitrary } from '../protocol/arbitrary-message.js'
import { decodeKafkajsRequest, kafkajsDecodesResponse, kafkajsRequest, kafkajsRequire } from './kafkajs-oracle.js'

const { Types: Compression } = kafkajsRequire('kafkajs/src/protocol/message/compression/index.js')
const Long = kafkajsRequire('kafkajs/src/utils/long.js')
const T0 = 1_700_000_000_000

const message = fc.record({
  key: fc.option(fc.string({ maxLength: 10 }), { nil: null }),
  value: fc.string({ maxLength: 30 }),
  timestamp: fc.integer({ min: T0, max: T0 + 10_000 }),
})
const topicData = fc.array(
  fc.record({
    topic: fc.string({ minLength: 1, maxLength: 10 }),
    partitions: fc.array(fc.record({ partition: fc.integer({ min: 0, max: 100 }), messages: fc.array(message, { minLength: 1, maxLength: 4 }) }), { minLength: 1, maxLength: 3 }),
  }),
  { minLength: 1, maxLength: 3 },
)

interface DecodedProduce {
  transactionalId: string | null
  acks: number
  timeoutMs: number
  topicData: { name: string; partitionData: { index: number; records: Buffer | null }[] }[]
}

describe('ProduceRequest v0-7 from kafkajs', () => {
  for (const version of [0, 1, 2, 3, 4, 5, 6, 7]) {
    it(`v${version}: decodes byte for byte, records included (${version < 3 ? `magic ${version < 2 ? 0 : 1} message sets` : 'record batches'})`, async () => {
      await fc.assert(
        fc.asyncProperty(topicData, fc.constantFrom(-1, 0, 1), fc.integer({ min: 0, max: 60_000 }), fc.option(fc.string({ minLength: 1, maxLength: 8 }), { nil: null }), fc.boolean(), async (data, acks, timeout, transactionalId, gzip) => {
          const compression = gzip && version >= 2 ? Compression.GZIP : Compression.None
          const request = kafkajsRequest('produce', version)({ acks, timeout, compression, topicData: data, transactionalId, producerId: Long.fromNumber(5), producerEpoch: 2 })
          const { body } = await decodeKafkajsRequest(produce, request)
          const decoded = body as unknown as DecodedProduce
          expect(decoded.acks).toBe(acks)
          expect(decoded.timeoutMs).toBe(timeout)
          expect(decoded.transactionalId).toBe(version >= 3 ? transactionalId : null)
          expect(decoded.topicData.map((t) => t.name)).toEqual(data.map((t) => t.topic))
          decoded.topicData.forEach((topic, t) => {
            topic.partitionData.forEach((partition, p) => {
              const sent = data[t]!.partitions[p]!
              expect(partition.index).toBe(sent.partition)
              const records = version >= 3 ? decodeRecordBatches(partition.records!).flatMap((b) => b.records) : decodeMessageSet(partition.records!).records
              expect(records.map((r) => [r.key === null ? null : Buffer.from(r.key).toString(), r.value === null ? null : Buffer.from(r.value).toString()])).toEqual(sent.messages.map((m) => [m.key, m.value]))
              if (version >= 3) {
                const [batch] = decodeRecordBatches(partition.records!)
                expect(batch).toMatchObject({ producerId: 5, producerEpoch: 2, isTransactional: transactionalId !== null, compression })
                expect(records.map((r) => r.timestamp)).toEqual(sent.messages.map((m) => m.timestamp))
              } else if (version === 2 && !gzip) {
                expect(records.map((r) => r.timestamp)).toEqual(sent.messages.map((m) => m.timestamp))
              }
            })
          })
        }),
        { numRuns: 15 },
      )
    })
  }
})

describe('ProduceResponse v0-7 read by kafkajs', () => {
  for (const version of [0, 1, 2, 3, 4, 5, 6, 7]) {
    it(`v${version}: kafkajs reads every field memkafka writes`, async () => {
      await fc.assert(
        fc.asyncProperty(messageArbitrary(produce.response, version), async (m) => {
          const theirs = await kafkajsDecodesResponse(produce, 'produce', version, m)
          const responses = m.responses as { name: string; partitionResponses: { index: number; errorCode: number; baseOffset: number; logAppendTimeMs: number; logStartOffset: number }[] }[]
          expect(theirs.topics).toEqual(
            responses.map((t) => ({
              topicName: t.name,
              partitions: t.partitionResponses.map((p) => ({
                partition: p.index,
                errorCode: p.errorCode,
                ...(version < 3 ? { offset: String(p.baseOffset) } : { baseOffset: String(p.baseOffset) }),
                ...(version === 2 ? { timestamp: String(p.logAppendTimeMs) } : version >= 3 ? { logAppendTime: String(p.logAppendTimeMs) } : {}),
                ...(version >= 5 ? { logStartOffset: String(p.logStartOffset) } : {}),
              })),
            })),
          )
          if (version >= 1) expect(version >= 6 ? theirs.clientSideThrottleTime : theirs.throttleTime).toBe(m.throttleTimeMs)
        }),
        { numRuns: 20 },
      )
    })
  }
})

describe('ProduceResponse fields a version cannot carry', () => {
  it('drops ignorable fields (v8 record errors, v5 log start offset) at older versions', async () => {
    const response = {
      responses: [{ name: 't', partitionResponses: [{ index: 0, errorCode: 0, baseOffset: 5, logAppendTimeMs: -1, logStartOffset: 0, recordErrors: [{ batchIndex: 0, batchIndexErrorMessage: 'x' }], errorMessage: 'oops' }] }],
      throttleTimeMs: 0,
    }
    const theirs = await kafkajsDecodesResponse(produce, 'produce', 3, response)
    expect(theirs.topics).toEqual([{ topicName: 't', partitions: [{ partition: 0, errorCode: 0, baseOffset: '5', logAppendTime: '-1' }] }])
  })
})
