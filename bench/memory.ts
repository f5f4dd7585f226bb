/**
 * Memory per retained record: 1 M and 10 M records of 100 B produced (acks=-1, RF=3) and kept by
 * the cluster, and 10 M produced into a topic whose retention.bytes keeps about 1 M (the
 * retention check run after every 1 M): issue 15's target, <= 120 B per retained record at
 * 10 M and flat under retention, the 100 B of value included. Measured as
 * the growth of heapUsed + external (Buffers live outside the JS heap) between two full
 * garbage collections. Followers share the leader's batches, so RF 3 should cost no more than
 * RF 1.
 */
import { RawLog } from './baseline.js'
import { fullGc } from './gc.js'
import { messages, topicFixture } from './fixtures.js'
import type { BenchResult } from './result.js'

const total = 1_000_000
const large = 10_000_000
const batchSize = 1000
/** retention.bytes for the retention row: about 1 M records of 100 B in batches of 1000 (~108 B each on the log). */
const retentionBytes = 110_000_000

/** heapUsed + external with no cluster alive, read once when the benchmark starts. */
let floor: number | undefined
/** What a new fixture may find still held from before it (the bench's own tables, a few cached Buffers). */
const floorSlack = 64 * 1024 * 1024

/**
 * Waits until what the previous row's cluster held has left the process: the readings of
 * retainedBytes() can agree while a gigabyte of freed Buffers is still waiting to be released
 * (on a loaded machine for seconds), and a row that starts then reads a negative growth.
 */
async function released(): Promise<void> {
  floor ??= await retainedBytes()
  for (let i = 0; i < 240; i++) {
    if ((await retainedBytes()) <= floor + floorSlack) return
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  throw new Error(`memory did not return to within ${floorSlack >> 20} MB of ${(floor / 2 ** 20).toFixed(0)} MB in a minute`)
}

async function retainedBytes(): Promise<number> {
  // Buffers freed by a GC leave process.memoryUsage().external only some time later (their
  // backing stores are released off the main thread: several hundred ms for a closed cluster's
  // gigabyte), so read until three readings 250 ms apart agree to within 1%.
  const readings: number[] = []
  for (let i = 0; i < 40; i++) {
    fullGc()
    const usage = process.memoryUsage()
    readings.push(usage.heapUsed + usage.external)
    const last = readings.slice(-3)
    if (last.length === 3 && Math.max(...last) - Math.min(...last) <= 0.01 * Math.max(...last)) return last[2]!
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  throw new Error('memory did not settle in 10 s')
}

/**
 * Produces `count` records (acks=-1, RF=3) to a new topic with `configs`, running the retention
 * check (cluster.runCleaner()) after every 1 M when `enforceRetention`; answers the growth of
 * heapUsed + external per record the log still holds (high watermark - log start offset).
 */
async function bytesPerRetainedRecord(count: number, configs: Record<string, string> = {}, enforceRetention = false): Promise<{ perRecord: number; retained: number }> {
  const batch = messages(batchSize)
  await released()
  // The cluster, topic and producer exist before the first reading, so only the records count.
  const fixture = await topicFixture({ configs })
  await fixture.producer.send({ topic: fixture.topic, messages: messages(1), acks: -1 })
  const before = await retainedBytes()
  for (let sent = 0; sent < count; sent += batchSize) {
    await fixture.producer.sendBatch({ topicMessages: [{ topic: fixture.topic, messages: batch }], acks: -1 })
    if (enforceRetention && (sent + batchSize) % 1_000_000 === 0) fixture.cluster.runCleaner()
  }
  const after = await retainedBytes()
  const partition = fixture.cluster.describe().topics.find((t) => t.name === fixture.topic)!.partitions[0]!
  if (partition.highWatermark !== count + 1) throw new Error(`expected ${count + 1} records written, the log has ${partition.highWatermark}`)
  const retained = partition.highWatermark - partition.logStartOffset
  await fixture.close()
  return { perRecord: (after - before) / retained, retained }
}

export async function benchMemory(): Promise<BenchResult[]> {
  const batch = messages(batchSize)
  const small = await bytesPerRetainedRecord(total)
  const big = await bytesPerRetainedRecord(large)
  const underRetention = await bytesPerRetainedRecord(large, { 'retention.bytes': String(retentionBytes), 'segment.bytes': String(10_000_000) }, true)
  if (underRetention.retained > 2 * total) throw new Error(`retention kept ${underRetention.retained} records`)

  // Baseline: each record in an array with its own copy of the 100 B (as a log must keep it).
  await released()
  const rawBefore = await retainedBytes()
  const raw = new RawLog()
  for (let appended = 0; appended < total; appended += batchSize) await raw.append(batch, true)
  const rawAfter = await retainedBytes()
  if (raw.records.length !== total) throw new Error('baseline lost records')

  const baseline = (rawAfter - rawBefore) / total
  return [
    { name: '1 M retained records of 100 B, RF=3', value: small.perRecord, unit: 'B/msg', target: 120, better: 'lower', baseline },
    { name: '10 M retained records of 100 B, RF=3', value: big.perRecord, unit: 'B/msg', target: 120, better: 'lower', baseline, smallest: small.perRecord },
    {
      name: `10 M records of 100 B produced under retention.bytes ${retentionBytes / 1e6} MB (${(underRetention.retained / 1e6).toFixed(2)} M kept), RF=3, per kept record`,
      value: underRetention.perRecord,
      unit: 'B/msg',
      target: 120,
      better: 'lower',
      baseline,
      smallest: small.perRecord,
    },
  ]
}
