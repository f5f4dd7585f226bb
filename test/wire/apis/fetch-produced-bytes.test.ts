/**
 * Fetch serves a batch a wire producer sent as Kafka serves what it stored: the producer's own
 * bytes (its CRC, record attributes, timestamp base, every varint as written) with the base
 * offset and partition leader epoch the leader assigned. A batch Kafka would rewrite
 * (LogAppendTime, a wrong max timestamp) or whose offset deltas are not 0..n-1 is served as
 * memkafka encodes its log instead.
 */
import { describe, expect, it } from 'vitest'
import type { ClusterModel } from '../../../src/cluster/cluster-model.js'
import { Reader } from '../../../src/wire/protocol/reader.js'
import { sizeOfVarlong, writeVarlongAt } from '../../../src/wire/protocol/writer.js'
import { crc32c } from '../../../src/wire/records/crc32c.js'
import { decodeRecordBatches } from '../../../src/wire/records/record-batch-decoder.js'
import { createTopic, newCluster, viaCodec } from './oracle.js'

const T0 = 1_700_000_000_000

interface RawRecord {
  readonly attributes?: number
  readonly timestampDelta: number
  readonly offsetDelta: number
  readonly value: string
}

/** A v2 batch (uncompressed, CreateTime, no producer id) exactly as given, with a right CRC. */
function rawBatch(options: { baseTimestamp: number; maxTimestamp: number; records: readonly RawRecord[] }): Buffer {
  const bodies = options.records.map((r) => {
    const value = Buffer.from(r.value)
    const body = Buffer.alloc(1 + sizeOfVarlong(r.timestampDelta) + sizeOfVarlong(r.offsetDelta) + 1 + sizeOfVarlong(value.length) + value.length + 1)
    let p = 0
    body[p++] = r.attributes ?? 0
    p = writeVarlongAt(body, p, r.timestampDelta)
    p = writeVarlongAt(body, p, r.offsetDelta)
    body[p++] = 1 // null key
    p = writeVarlongAt(body, p, value.length)
    p += value.copy(body, p)
    body[p++] = 0 // no headers
    const length = Buffer.alloc(sizeOfVarlong(body.length))
    writeVarlongAt(length, 0, body.length)
    return Buffer.concat([length, body])
  })
  const header = Buffer.alloc(61)
  header.writeBigInt64BE(0n, 0)
  header.writeInt32BE(-1, 12) // partition leader epoch: the producer does not know it
  header.writeInt8(2, 16)
  header.writeInt16BE(0, 21)
  header.writeInt32BE(options.records.length - 1, 23)
  header.writeBigInt64BE(BigInt(options.baseTimestamp), 27)
  header.writeBigInt64BE(BigInt(options.maxTimestamp), 35)
  header.writeBigInt64BE(-1n, 43)
  header.writeInt16BE(-1, 51)
  header.writeInt32BE(-1, 53)
  header.writeInt32BE(options.records.length, 57)
  const batch = Buffer.concat([header, ...bodies])
  batch.writeInt32BE(batch.length - 12, 8)
  batch.writeUInt32BE(crc32c(batch, 21, batch.length), 17)
  return batch
}

async function produce(cluster: ClusterModel, leader: number, topic: string, records: Buffer): Promise<number> {
  const response = await viaCodec(0, 9, { acks: -1, timeoutMs: 1000, transactionalId: null, topicData: [{ name: topic, partitionData: [{ index: 0, records }] }] }, cluster, leader)
  const p = (response.responses as any[])[0].partitionResponses[0]
  expect(p.errorCode).toBe(0)
  return p.baseOffset as number
}

/** The batches a Fetch v12 from offset 0 returns, each as its own Buffer. */
async function fetchBatches(cluster: ClusterModel, leader: number, topic: string): Promise<Buffer[]> {
  const response = await viaCodec(1, 12, {
    replicaId: -1,
    maxWaitMs: 0,
    minBytes: 1,
    maxBytes: 1 << 20,
    isolationLevel: 0,
    sessionId: 0,
    sessionEpoch: -1,
    topics: [{ topic, partitions: [{ partition: 0, currentLeaderEpoch: -1, fetchOffset: 0, lastFetchedEpoch: -1, logStartOffset: -1, partitionMaxBytes: 1 << 20 }] }],
    forgottenTopicsData: [],
    rackId: '',
  }, cluster, leader)
  const p = (response.responses as any[])[0].partitions[0]
  expect(p.errorCode).toBe(0)
  const blob = Buffer.from(p.records)
  const batches: Buffer[] = []
  for (let at = 0; at < blob.length; at += 12 + blob.readInt32BE(at + 8)) batches.push(blob.subarray(at, at + 12 + blob.readInt32BE(at + 8)))
  return batches
}

/** Each record's attributes, timestamp delta and offset delta, as the batch's bytes have them. */
function recordFields(batch: Buffer): { attributes: number; timestampDelta: number; offsetDelta: number }[] {
  const r = new Reader(batch, 61)
  const out = []
  for (let i = 0; i < batch.readInt32BE(57); i++) {
    const length = r.varint()
    const end = r.offset + length
    const attributes = batch[r.offset]!
    r.skip(1)
    out.push({ attributes, timestampDelta: r.varlong(), offsetDelta: r.varint() })
    r.offset = end
  }
  return out
}

describe('Fetch of a batch produced over the wire', () => {
  it('serves the producer\'s bytes as Kafka stores them: the same CRC and records, with the base offset and leader epoch the leader assigned', async () => {
    const cluster = newCluster({ brokers: 3 })
    await createTopic(cluster, 't', { replicationFactor: 3 })
    // A new leader, so the leader epoch the broker writes differs from the producer's -1 and from 0.
    const partition = () => cluster.controller.topic('t')!.partitions[0]!
    cluster.stopBroker(partition().leader)
    const leader = partition().leader
    expect(partition().leaderEpoch).toBeGreaterThan(0)

    const first = rawBatch({ baseTimestamp: T0, maxTimestamp: T0 + 1, records: [{ timestampDelta: 0, offsetDelta: 0, value: 'a' }, { timestampDelta: 1, offsetDelta: 1, value: 'b' }] })
    // Valid but not as memkafka would write it: a timestamp base below the first record's
    // timestamp and a record attributes byte that is not 0 (Kafka ignores it and keeps it).
    const second = rawBatch({
      baseTimestamp: T0 - 500,
      maxTimestamp: T0 + 7,
      records: [
        { attributes: 0x40, timestampDelta: 505, offsetDelta: 0, value: 'c' },
        { timestampDelta: 507, offsetDelta: 1, value: 'd' },
        { timestampDelta: 506, offsetDelta: 2, value: 'e' },
      ],
    })
    expect(await produce(cluster, leader, 't', first)).toBe(0)
    expect(await produce(cluster, leader, 't', second)).toBe(2)

    const fetched = await fetchBatches(cluster, leader, 't')
    expect(fetched).toHaveLength(2)
    for (const [i, [sent, got, baseOffset]] of ([[first, fetched[0]!, 0], [second, fetched[1]!, 2]] as const).entries()) {
      expect(got.length, `batch ${i}`).toBe(sent.length)
      expect(Number(got.readBigInt64BE(0)), `batch ${i} base offset`).toBe(baseOffset)
      expect(got.readInt32BE(12), `batch ${i} leader epoch`).toBe(partition().leaderEpoch)
      // Magic, CRC, attributes, header fields and every record byte: as the producer sent them.
      expect(got.subarray(16).equals(sent.subarray(16)), `batch ${i} from its magic byte on`).toBe(true)
    }
    expect(recordFields(fetched[1]!).map((r) => r.attributes)).toEqual([0x40, 0, 0])
    const records = decodeRecordBatches(Buffer.concat(fetched)).flatMap((b) => b.records)
    expect(records.map((r) => [Buffer.from(r.value!).toString(), r.timestamp])).toEqual([
      ['a', T0],
      ['b', T0 + 1],
      ['c', T0 + 5],
      ['d', T0 + 7],
      ['e', T0 + 6],
    ])
  })

  it('serves a batch Kafka would rewrite, or one whose offset deltas are not 0..n-1, as memkafka encodes its log', async () => {
    const cluster = newCluster({ brokers: 1 })
    await createTopic(cluster, 'append-time', { configs: { 'message.timestamp.type': 'LogAppendTime' } })
    await createTopic(cluster, 'create-time')
    const records: RawRecord[] = [
      { timestampDelta: 3, offsetDelta: 0, value: 'a' },
      { timestampDelta: 9, offsetDelta: 1, value: 'b' },
    ]

    // LogAppendTime: Kafka stamps the batch with its append time (attribute bit 3) and a new CRC.
    await produce(cluster, 0, 'append-time', rawBatch({ baseTimestamp: T0, maxTimestamp: T0 + 9, records }))
    const [appended] = await fetchBatches(cluster, 0, 'append-time')
    const [decodedAppended] = decodeRecordBatches(appended!)
    expect(decodedAppended!.timestampType).toBe(1)
    expect(decodedAppended!.records.map((r) => r.timestamp)).toEqual([cluster.clock.now(), cluster.clock.now()])

    // A header max timestamp that is not the records' maximum: Kafka writes the right one.
    await produce(cluster, 0, 'create-time', rawBatch({ baseTimestamp: T0, maxTimestamp: T0 + 1, records }))
    // Offset deltas 0 and 5 in a batch of two: the broker assigned offsets 2 and 3.
    await produce(cluster, 0, 'create-time', rawBatch({ baseTimestamp: T0, maxTimestamp: T0 + 9, records: [records[0]!, { ...records[1]!, offsetDelta: 5 }] }))
    const [wrongMax, gappy] = await fetchBatches(cluster, 0, 'create-time')
    expect(Number(wrongMax!.readBigInt64BE(35))).toBe(T0 + 9)
    expect(decodeRecordBatches(wrongMax!)[0]!.records.map((r) => r.timestamp)).toEqual([T0 + 3, T0 + 9])
    expect(Number(gappy!.readBigInt64BE(0))).toBe(2)
    expect(recordFields(gappy!).map((r) => r.offsetDelta)).toEqual([0, 1])
  })
})
