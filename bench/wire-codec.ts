/**
 * The wire codec on the hot paths, without sockets: decoding a Produce v7 request of 1000 x
 * 100 B records (header, table, record batch with CRC-32C, ProducerRecord objects), encoding a
 * 1000-record stored batch as a v2 record batch (the first fetch of a batch; later fetches hit
 * the cache), and encoding a Fetch v11 response carrying ten cached batches. The server's
 * targets are 400 k msgs/s produced and 1 M msgs/s consumed over loopback, so the codec must
 * run well above them. Baseline: copying the same record bytes once into one Buffer.
 */
import { Bench } from 'tinybench'
import { RecordBatch, TimestampType } from '../src/cluster/log/record-batch.js'
import { schemas } from '../src/wire/messages/index.js'
import { decodeMessage, encodeMessage } from '../src/wire/protocol/codec.js'
import { decodeRequestHeader, encodeRequestHeader } from '../src/wire/protocol/header.js'
import { Reader } from '../src/wire/protocol/reader.js'
import { Writer } from '../src/wire/protocol/writer.js'
import { decodeRecordBatches } from '../src/wire/records/record-batch-decoder.js'
import { encodeRecordBatch } from '../src/wire/records/record-batch-encoder.js'
import { completed, type BenchResult } from './result.js'

const RECORDS = 1000
const lookup = (key: number) => schemas.get(key)

function storedBatch(baseOffset: number): RecordBatch {
  const value = Buffer.alloc(100, 0x61)
  const records = Array.from({ length: RECORDS }, (_, i) => ({ key: Buffer.from(`key-${i}`), value, timestamp: 1_700_000_000_000 + i }))
  return RecordBatch.fromRecords({ baseOffset, records, partitionLeaderEpoch: 0, timestampType: TimestampType.CreateTime, now: 1_700_000_000_000 })
}

function produceFrame(batch: Buffer): Buffer {
  const w = new Writer()
  encodeRequestHeader(w, { apiKey: 0, apiVersion: 7, correlationId: 1, clientId: 'bench' }, lookup)
  encodeMessage(schemas.get(0)!.request, 7, { transactionalId: null, acks: -1, timeoutMs: 30000, topicData: [{ name: 'bench', partitionData: [{ index: 0, records: batch }] }] }, w)
  return w.toBuffer()
}

export async function benchWireCodec(): Promise<BenchResult[]> {
  const produceBatch = encodeRecordBatch(storedBatch(0))
  const frame = produceFrame(Buffer.from(produceBatch))
  const fetchBatches = Array.from({ length: 10 }, (_, i) => encodeRecordBatch(storedBatch(i * RECORDS)))
  const fetchSpec = schemas.get(1)!.response
  const values = Array.from({ length: RECORDS }, () => Buffer.alloc(100, 0x61))
  let sink = 0

  const bench = new Bench({ time: 1500, warmupTime: 300 })
  bench.add('produce decode', () => {
    const r = new Reader(frame)
    const header = decodeRequestHeader(r, lookup)
    const request = decodeMessage(schemas.get(0)!.request, header.apiVersion, r) as { topicData: { partitionData: { records: Buffer }[] }[] }
    for (const batch of decodeRecordBatches(request.topicData[0]!.partitionData[0]!.records)) sink += batch.records.length
  })
  bench.add('batch encode', () => {
    // A fresh batch each time: the first fetch of a batch pays the encoding (later ones hit the cache).
    sink += encodeRecordBatch(storedBatch(0)).length
  })
  bench.add('batch build only', () => {
    sink += storedBatch(0).count
  })
  bench.add('fetch encode', () => {
    const w = new Writer()
    w.int32(1)
    encodeMessage(fetchSpec, 11, { throttleTimeMs: 0, errorCode: 0, sessionId: 0, responses: [{ topic: 'bench', partitions: [{ partitionIndex: 0, errorCode: 0, highWatermark: 10_000, lastStableOffset: 10_000, logStartOffset: 0, abortedTransactions: null, preferredReadReplica: -1, records: fetchBatches }] }] }, w)
    sink += w.toChunks().length
  })
  bench.add('baseline', () => {
    sink += Buffer.concat(values).length
  })
  await bench.run()
  if (sink === 0) throw new Error('nothing measured')

  const rate = (name: string, records: number) => (records * 1000) / completed(bench, name).latency.mean
  const baseline = rate('baseline', RECORDS)
  // Encoding cost alone: the batch build (the cluster's own work) subtracted.
  const encodeMs = completed(bench, 'batch encode').latency.mean - completed(bench, 'batch build only').latency.mean
  return [
    { name: 'wire: Produce v7 request decode, 1000 x 100 B (CRC-32C, records)', value: rate('produce decode', RECORDS), unit: 'msgs/s', target: 400_000, better: 'higher', baseline },
    { name: 'wire: RecordBatch v2 encode, 1000 x 100 B (first fetch of a batch)', value: (RECORDS * 1000) / encodeMs, unit: 'msgs/s', target: 1_000_000, better: 'higher', baseline },
    { name: 'wire: Fetch v11 response encode, 10 cached batches of 1000', value: rate('fetch encode', 10 * RECORDS), unit: 'msgs/s', target: 1_000_000, better: 'higher', baseline },
  ]
}

// Run directly (npx tsx bench/wire-codec.ts), not when bundled into npm run bench's run.mjs.
if (import.meta.url === `file://${process.argv[1]}` && process.argv[1]!.endsWith('wire-codec.ts')) {
  for (const r of await benchWireCodec()) console.log(`${r.name}: ${Math.round(r.value).toLocaleString()} ${r.unit} (baseline ${Math.round(r.baseline).toLocaleString()})`)
}
