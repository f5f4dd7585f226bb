/**
 * Memory per retained record: 1 M records of 100 B produced (acks=-1, RF=3) and kept by the
 * cluster (DESIGN.md target: <= 250 B per record, the 100 B of value included). Measured as
 * the growth of heapUsed + external (Buffers live outside the JS heap) between two full
 * garbage collections. Followers share the leader's batches, so RF 3 should cost no more than
 * RF 1.
 */
import { RawLog } from './baseline.js'
import { fullGc } from './gc.js'
import { messages, topicFixture } from './fixtures.js'
import type { BenchResult } from './result.js'

const total = 1_000_000
const batchSize = 1000

function retainedBytes(): number {
  fullGc()
  fullGc()
  const usage = process.memoryUsage()
  return usage.heapUsed + usage.external
}

export async function benchMemory(): Promise<BenchResult[]> {
  const batch = messages(batchSize)

  // memkafka: the cluster, topic and producer exist before the first reading, so only the
  // records are counted.
  const fixture = await topicFixture()
  await fixture.producer.send({ topic: fixture.topic, messages: messages(1), acks: -1 })
  const before = retainedBytes()
  for (let sent = 0; sent < total; sent += batchSize) {
    await fixture.producer.sendBatch({ topicMessages: [{ topic: fixture.topic, messages: batch }], acks: -1 })
  }
  const after = retainedBytes()
  const highWatermark = fixture.cluster.describe().topics.find((t) => t.name === fixture.topic)!.partitions[0]!.highWatermark
  if (highWatermark !== total + 1) throw new Error(`expected ${total + 1} records retained, the log has ${highWatermark}`)
  await fixture.close()

  // Baseline: each record in an array with its own copy of the 100 B (as a log must keep it).
  const rawBefore = retainedBytes()
  const raw = new RawLog()
  for (let appended = 0; appended < total; appended += batchSize) await raw.append(batch, true)
  const rawAfter = retainedBytes()
  if (raw.records.length !== total) throw new Error('baseline lost records')

  return [
    {
      name: '1 M retained records of 100 B, RF=3',
      value: (after - before) / total,
      unit: 'B/msg',
      target: 120,
      better: 'lower',
      baseline: (rawAfter - rawBefore) / total,
    },
  ]
}
