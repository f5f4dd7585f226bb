/**
 * Produce (0) and Fetch (1) on the wire: records encoded by kafkajs's own per-version produce
 * encoders (message sets of magic 0/1 for v0-2, record batches from v3) are decoded, appended to
 * a real cluster, and read back through kafkajs's fetch decoders at every version it has
 * (down-converted to magic 0/1 below v4); the flexible versions go through our codec.
 */
import { createRequire } from 'node:module'
import { describe, it, expect } from 'vitest'
import { ManualClock } from '../../../src/cluster/clock.js'
import { ErrorCode } from '../../../src/cluster/error-codes.js'
import { decodeMessage } from '../../../src/wire/protocol/codec.js'
import { Reader } from '../../../src/wire/protocol/reader.js'
import { decodeRecordBatches } from '../../../src/wire/records/record-batch-decoder.js'
import { crc32c } from '../../../src/wire/records/crc32c.js'
import { apiOf, contextFor, createTopic, newCluster, versions, viaCodec, viaKafkajs } from './oracle.js'

const require = createRequire(import.meta.url)

const T0 = 1_700_000_000_000

function messages(n: number, withHeaders: boolean): { key: string; value: string; timestamp: number; headers?: Record<string, string> }[] {
  return Array.from({ length: n }, (_, i) => ({ key: `k${i}`, value: `v${i}`, timestamp: T0 + i, ...(withHeaders ? { headers: { h: `x${i}` } } : {}) }))
}

/** The records blob kafkajs's Produce v7 encoder writes for `msgs` (one v2 batch). */
async function kafkajsBatch(msgs: ReturnType<typeof messages>, extra: Record<string, unknown> = {}): Promise<Buffer> {
  const request = require('kafkajs/src/protocol/requests/produce/v7/request')({ acks: 1, timeout: 1000, ...extra, topicData: [{ topic: 't', partitions: [{ partition: 0, firstSequence: 0, messages: msgs }] }] })
  const body: Buffer = (await request.encode()).buffer
  const decoded = decodeMessage(apiOf(0).schema.request, 7, new Reader(body)) as any
  return Buffer.from(decoded.topicData[0].partitionData[0].records)
}

async function produceVia(version: number, cluster: ReturnType<typeof newCluster>, topic: string, partition: number, msgs: ReturnType<typeof messages>, leader: number) {
  return viaKafkajs(0, 'produce', version, { acks: -1, timeout: 1000, topicData: [{ topic, partitions: [{ partition, firstSequence: 0, messages: msgs }] }] }, cluster, leader)
}

function leaderOf(cluster: ReturnType<typeof newCluster>, topic: string, partition = 0): number {
  return cluster.controller.topic(topic)!.partitions[partition]!.leader
}

describe('Produce (0) through kafkajs, read back by Fetch (1) through kafkajs', () => {
  for (const produceVersion of versions(0).filter((v) => v <= 7)) {
    it(`Produce v${produceVersion}: keys, values${produceVersion >= 3 ? ', headers' : ''} and timestamps reach the log; every Fetch v0-11 reads them`, async () => {
      const cluster = newCluster()
      await createTopic(cluster, 'orders', { replicationFactor: 3 })
      const leader = leaderOf(cluster, 'orders')
      const first = await produceVia(produceVersion, cluster, 'orders', 0, messages(3, produceVersion >= 3), leader)
      expect(first.error).toBeUndefined()
      // kafkajs names the base offset "offset" in its v0-2 decoders.
      const baseOffset = (r: any) => r.data.topics[0].partitions[0].baseOffset ?? r.data.topics[0].partitions[0].offset
      expect(first.data.topics[0].partitions[0]).toMatchObject({ partition: 0, errorCode: 0 })
      expect(baseOffset(first)).toBe('0')
      const second = await produceVia(produceVersion, cluster, 'orders', 0, messages(2, produceVersion >= 3), leader)
      expect(baseOffset(second)).toBe('3')
      expect(cluster.controller.topic('orders')!.partitions[0]!.highWatermark).toBe(5)

      for (const fetchVersion of versions(1).filter((v) => v <= 11)) {
        const fetched = await viaKafkajs(1, 'fetch', fetchVersion, {
          replicaId: -1,
          maxWaitTime: 0,
          minBytes: 1,
          maxBytes: 1 << 20,
          isolationLevel: 0,
          topics: [{ topic: 'orders', partitions: [{ partition: 0, fetchOffset: '1', maxBytes: 1 << 20 }] }],
        }, cluster, leader)
        expect(fetched.error, `fetch v${fetchVersion}`).toBeUndefined()
        const p = fetched.data.responses[0].partitions[0]
        expect(p.errorCode).toBe(0)
        expect(p.highWatermark).toBe('5')
        // Message sets (v0-3) start at the fetch offset; v2 batches start at the batch base.
        const got = p.messages.filter((m: { offset: string }) => Number(m.offset) >= 1)
        expect(got.map((m: any) => [m.offset, m.key.toString(), m.value.toString()]), `fetch v${fetchVersion}`).toEqual([
          ['1', 'k1', 'v1'],
          ['2', 'k2', 'v2'],
          ['3', 'k0', 'v0'],
          ['4', 'k1', 'v1'],
        ])
        if (fetchVersion < 4) expect(p.messages[0].offset).toBe('1')
        // Magic 0 (Produce v0-1) has no timestamps: -1, as Kafka stores up-converted magic 0.
        if (fetchVersion >= 2) expect(got[0].timestamp).toBe(produceVersion >= 2 ? String(T0 + 1) : '-1')
        if (fetchVersion >= 4 && produceVersion >= 3) expect(got[0].headers).toEqual({ h: Buffer.from('x1') })
      }
    })
  }

  it('Produce v3+: a corrupt batch fails its partition with CORRUPT_MESSAGE, snappy with UNSUPPORTED_COMPRESSION_TYPE; the other partition is written', async () => {
    const cluster = newCluster({ brokers: 1 })
    await createTopic(cluster, 't', { partitions: 3 })
    const good = await kafkajsBatch(messages(2, false))
    const corrupt = Buffer.from(good)
    corrupt[corrupt.length - 1] ^= 0xff
    const snappy = Buffer.from(good)
    snappy.writeInt16BE(snappy.readInt16BE(21) | 2, 21)
    snappy.writeUInt32BE(crc32c(snappy, 21, snappy.length) >>> 0, 17)
    for (const version of versions(0, 3)) {
      const before = cluster.controller.topic('t')!.partitions.map((p) => p.logEndOffset)
      const response = await viaCodec(0, version, { acks: 1, timeoutMs: 1000, transactionalId: null, topicData: [{ name: 't', partitionData: [{ index: 0, records: corrupt }, { index: 1, records: good }, { index: 2, records: snappy }] }] }, cluster)
      const parts = (response.responses as any[])[0].partitionResponses
      expect(parts.map((p: any) => p.errorCode)).toEqual([ErrorCode.CORRUPT_MESSAGE, 0, ErrorCode.UNSUPPORTED_COMPRESSION_TYPE])
      expect(parts[1].baseOffset).toBe(before[1])
      if (version >= 8) expect(parts[0].errorMessage).toEqual(expect.stringMatching(/./))
      expect(cluster.controller.topic('t')!.partitions.map((p) => p.logEndOffset)).toEqual([before[0], before[1]! + 2, before[2]])
    }
  })

  it('Produce v3+ refuses a message set (magic 1) and two batches in one partition with INVALID_RECORD', async () => {
    const cluster = newCluster({ brokers: 1 })
    await createTopic(cluster, 't')
    const request = require('kafkajs/src/protocol/requests/produce/v2/request')({ acks: 1, timeout: 1000, topicData: [{ topic: 't', partitions: [{ partition: 0, messages: messages(1, false) }] }] })
    const legacy = (decodeMessage(apiOf(0).schema.request, 2, new Reader((await request.encode()).buffer)) as any).topicData[0].partitionData[0].records
    const batch = await kafkajsBatch(messages(1, false))
    for (const records of [legacy, Buffer.concat([batch, batch]), null]) {
      const response = await viaCodec(0, 7, { acks: 1, timeoutMs: 1000, transactionalId: null, topicData: [{ name: 't', partitionData: [{ index: 0, records }] }] }, cluster)
      expect((response.responses as any[])[0].partitionResponses[0].errorCode).toBe(ErrorCode.INVALID_RECORD)
    }
    expect(cluster.controller.topic('t')!.partitions[0]!.logEndOffset).toBe(0)
  })

  it('acks=0: no response, the records are written; an error closes the connection instead', async () => {
    const cluster = newCluster({ brokers: 1 })
    await createTopic(cluster, 't')
    const { api } = apiOf(0)
    const records = await kafkajsBatch(messages(2, false))
    const answer = await api.handle({ acks: 0, timeoutMs: 1000, transactionalId: null, topicData: [{ name: 't', partitionData: [{ index: 0, records }] }] }, contextFor(cluster, 7))
    expect(answer).toBeUndefined()
    expect(cluster.controller.topic('t')!.partitions[0]!.logEndOffset).toBe(2)
    await expect(api.handle({ acks: 0, timeoutMs: 1000, transactionalId: null, topicData: [{ name: 'missing', partitionData: [{ index: 0, records }] }] }, contextFor(cluster, 7))).rejects.toThrow(/acks=0/)
  })

  it('an idempotent batch carries its producer id, epoch and sequence: a retried batch is answered with its first offsets', async () => {
    const cluster = newCluster({ brokers: 1 })
    await createTopic(cluster, 't')
    const init = await cluster.send(0, { api: 'InitProducerId', transactionalId: null, transactionTimeoutMs: 60_000 })
    const records = await kafkajsBatch(messages(2, false), { producerId: require('kafkajs/src/utils/long').fromNumber(init.producerId), producerEpoch: init.producerEpoch })
    const send = () => viaCodec(0, 9, { acks: -1, timeoutMs: 1000, transactionalId: null, topicData: [{ name: 't', partitionData: [{ index: 0, records }] }] }, cluster)
    const first = ((await send()).responses as any[])[0].partitionResponses[0]
    const retry = ((await send()).responses as any[])[0].partitionResponses[0]
    expect(first).toMatchObject({ errorCode: 0, baseOffset: 0 })
    expect(retry).toMatchObject({ errorCode: 0, baseOffset: 0 })
    expect(cluster.controller.topic('t')!.partitions[0]!.logEndOffset).toBe(2)
  })
})

describe('Fetch (1)', () => {
  for (const version of versions(1, 12)) {
    it(`v${version} through our codec: sessionless full response, v2 batches, topic ids from v13`, async () => {
      const cluster = newCluster({ brokers: 1 })
      await createTopic(cluster, 't')
      await viaCodec(0, 9, { acks: 1, timeoutMs: 1000, transactionalId: null, topicData: [{ name: 't', partitionData: [{ index: 0, records: await kafkajsBatch(messages(3, true)) }] }] }, cluster)
      const topicId = cluster.controller.topic('t')!.topicId
      const response = await viaCodec(1, version, {
        replicaId: -1,
        replicaState: { replicaId: -1, replicaEpoch: -1 },
        maxWaitMs: 0,
        minBytes: 1,
        maxBytes: 1 << 20,
        isolationLevel: 1,
        sessionId: 0,
        sessionEpoch: 0,
        topics: [{ topic: 't', topicId, partitions: [{ partition: 0, currentLeaderEpoch: -1, fetchOffset: 0, lastFetchedEpoch: -1, logStartOffset: -1, partitionMaxBytes: 1 << 20 }] }],
        forgottenTopicsData: [],
        rackId: '',
      }, cluster)
      expect(response).toMatchObject({ errorCode: 0, sessionId: 0 })
      const topic = (response.responses as any[])[0]
      if (version >= 13) expect(topic.topicId).toBe(topicId)
      else expect(topic.topic).toBe('t')
      const p = topic.partitions[0]
      expect(p).toMatchObject({ errorCode: 0, highWatermark: 3, lastStableOffset: 3, logStartOffset: 0, preferredReadReplica: -1, abortedTransactions: [] })
      const records = decodeRecordBatches(Buffer.from(p.records)).flatMap((b) => b.records)
      expect(records.map((r) => [Buffer.from(r.key!).toString(), Buffer.from(r.value!).toString(), r.headers?.[0]?.key])).toEqual([
        ['k0', 'v0', 'h'],
        ['k1', 'v1', 'h'],
        ['k2', 'v2', 'h'],
      ])
    })
  }

  it('v13+: an unknown topic id is UNKNOWN_TOPIC_ID; v9+: a leader epoch the broker has not reached is UNKNOWN_LEADER_EPOCH, the current one reads', async () => {
    const cluster = newCluster({ brokers: 1 })
    await createTopic(cluster, 't')
    const ask = (version: number, topicId: string, currentLeaderEpoch: number) =>
      viaCodec(1, version, {
        replicaId: -1, maxWaitMs: 0, minBytes: 1, maxBytes: 1000, isolationLevel: 0, sessionId: 0, sessionEpoch: -1,
        topics: [{ topic: 't', topicId, partitions: [{ partition: 0, currentLeaderEpoch, fetchOffset: 0, partitionMaxBytes: 1000 }] }],
      }, cluster)
    const unknown = await ask(13, '11111111-2222-3333-4444-555555555555', -1)
    expect((unknown.responses as any[])[0].partitions[0].errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_ID)
    const epoch = cluster.controller.topic('t')!.partitions[0]!.leaderEpoch
    const id = cluster.controller.topic('t')!.topicId
    expect((( await ask(11, id, epoch + 1)).responses as any[])[0].partitions[0].errorCode).toBe(ErrorCode.UNKNOWN_LEADER_EPOCH)
    expect(((await ask(11, id, epoch)).responses as any[])[0].partitions[0].errorCode).toBe(0)
  })

  it('a replica fetch from outside the cluster is NOT_LEADER_OR_FOLLOWER on every partition and reads nothing', async () => {
    const cluster = newCluster({ brokers: 1 })
    await createTopic(cluster, 't')
    const partitions = [{ partition: 0, currentLeaderEpoch: -1, fetchOffset: 0, partitionMaxBytes: 1000 }]
    for (const [version, extra] of [[11, { replicaId: 0 }], [15, { replicaState: { replicaId: 0, replicaEpoch: 1 } }]] as const) {
      const id = cluster.controller.topic('t')!.topicId
      const response = await viaCodec(1, version, {
        ...extra, maxWaitMs: 0, minBytes: 1, maxBytes: 1000, isolationLevel: 0, sessionId: 0, sessionEpoch: -1,
        topics: [{ topic: 't', topicId: id, partitions }],
      }, cluster)
      expect((response.responses as any[])[0].partitions[0]).toMatchObject({ errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER, records: null })
    }
  })

  it('v7+: an incremental request of a session the broker never created is FETCH_SESSION_ID_NOT_FOUND', async () => {
    const cluster = newCluster({ brokers: 1 })
    await createTopic(cluster, 't')
    const response = await viaCodec(1, 11, { replicaId: -1, maxWaitMs: 0, minBytes: 1, maxBytes: 1000, isolationLevel: 0, sessionId: 1234, sessionEpoch: 1, topics: [] }, cluster)
    expect(response).toMatchObject({ errorCode: 70, sessionId: 0, responses: [] })
  })

  it('long poll: parks until data arrives, ends at maxWaitMs on the cluster clock, and when the connection closes', async () => {
    const clock = new ManualClock(0)
    const cluster = newCluster({ brokers: 1, clock })
    await createTopic(cluster, 't')
    const { api } = apiOf(1)
    const request = { replicaId: -1, maxWaitMs: 5000, minBytes: 1, maxBytes: 1000, isolationLevel: 0, sessionId: 0, sessionEpoch: -1, topics: [{ topic: 't', partitions: [{ partition: 0, currentLeaderEpoch: -1, fetchOffset: 0, partitionMaxBytes: 1000 }] }] }
    let done = false
    const waiting = Promise.resolve(api.handle(request, contextFor(cluster, 11))).then((r) => ((done = true), r))
    await clock.advance(100)
    expect(done).toBe(false)
    await viaCodec(0, 7, { acks: 1, timeoutMs: 1000, transactionalId: null, topicData: [{ name: 't', partitionData: [{ index: 0, records: await kafkajsBatch(messages(1, false)) }] }] }, cluster)
    const answered = (await waiting) as any
    expect(answered.responses[0].partitions[0].records.length).toBe(1)

    const timedOut = Promise.resolve(api.handle({ ...request, topics: [{ topic: 't', partitions: [{ partition: 0, currentLeaderEpoch: -1, fetchOffset: 1, partitionMaxBytes: 1000 }] }] }, contextFor(cluster, 11)))
    await clock.advance(5000)
    expect(((await timedOut) as any).responses[0].partitions[0].records).toEqual([])

    const controller = new AbortController()
    const closing = Promise.resolve(api.handle({ ...request, topics: [{ topic: 't', partitions: [{ partition: 0, currentLeaderEpoch: -1, fetchOffset: 1, partitionMaxBytes: 1000 }] }] }, { ...contextFor(cluster, 11), signal: controller.signal }))
    controller.abort()
    expect(((await closing) as any).responses[0].partitions[0].errorCode).toBe(0)
  })

  it('read_committed (v4+ through kafkajs): an aborted transaction is listed with its first offset and the LSO stops at an open one', async () => {
    const cluster = newCluster({ brokers: 1 })
    await createTopic(cluster, 't')
    const Long = require('kafkajs/src/utils/long')
    const init = await cluster.send(0, { api: 'InitProducerId', transactionalId: 'tx', transactionTimeoutMs: 60_000 })
    const coordinator = cluster.coordinatorFor('tx', 1)!
    const { producerId, producerEpoch } = init
    const txnWrite = async () => {
      await cluster.send(coordinator, { api: 'AddPartitionsToTxn', transactionalId: 'tx', producerId, producerEpoch, topics: [{ name: 't', partitions: [0] }] })
      await viaKafkajs(0, 'produce', 7, { acks: -1, timeout: 1000, transactionalId: 'tx', producerId: Long.fromNumber(producerId), producerEpoch, topicData: [{ topic: 't', partitions: [{ partition: 0, firstSequence: 0, messages: messages(2, false) }] }] }, cluster)
    }
    await txnWrite()
    await cluster.send(coordinator, { api: 'EndTxn', transactionalId: 'tx', producerId, producerEpoch, committed: false })
    for (const version of [4, 7, 11]) {
      const fetched = await viaKafkajs(1, 'fetch', version, { replicaId: -1, maxWaitTime: 0, minBytes: 1, maxBytes: 1 << 20, isolationLevel: 1, topics: [{ topic: 't', partitions: [{ partition: 0, fetchOffset: '0', maxBytes: 1 << 20 }] }] }, cluster)
      const p = fetched.data.responses[0].partitions[0]
      expect(p.abortedTransactions).toEqual([{ producerId: String(producerId), firstOffset: '0' }])
      expect(p.lastStableOffset).toBe('3')
    }
    const open = await cluster.send(0, { api: 'ListOffsets', isolationLevel: 1, topics: [{ name: 't', partitions: [{ index: 0, timestamp: -1 }] }] })
    expect(open.topics[0]!.partitions[0]!.offset).toBe(3)
  })
})
