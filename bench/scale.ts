/**
 * Cost against size (issue 15, "scale without cliffs"): the same work at growing sizes, each
 * row printed with its ratio to the smallest size, so that a cost that grows with the number of
 * partitions or topics shows at a glance. The goal is >= 0.8x of the smallest size's throughput
 * (and, for the consumer's first batch, <= 50 ms at any size).
 *
 * - produce: sendBatch of 1000 x 100 B (acks=-1, RF=3), keyless and keyed (distinct keys), to a
 *   topic of 10 / 1 000 / 10 000 partitions; then to 1 / 100 / 1 000 topics of 10 partitions, a
 *   batch to each topic in turn. The mean time per batch (GC included). Baseline: the same
 *   records appended to an array.
 * - consume: a new group's consumer reads 100 k records spread over 10 / 1 000 / 10 000
 *   partitions, from run() until the handler has seen them all (join and offsets included);
 *   eachBatch and eachMessage. Baseline: consume.ts's raw loops.
 * - first batch: from run() of a new group's only consumer (subscribed fromBeginning) to its
 *   first eachBatch call, on a topic of 10 / 1 000 / 10 000 partitions with one record in each
 *   of the first ten partitions. Baseline: an async hop.
 * - Metadata: admin.fetchTopicMetadata of one topic of 10 / 1 000 / 10 000 partitions.
 *   Baseline: building the same number of partition objects.
 *
 * `--quick` runs fewer samples of each, at the smallest and largest sizes only.
 */
import { Bench } from 'tinybench'
import { Cluster, logLevel, type Consumer, type Kafka, type Producer } from '../src/index.js'
import { RawLog, rawEachBatch, rawEachMessage } from './baseline.js'
import { messages, payload100 } from './fixtures.js'
import { fullGc } from './gc.js'
import { completed, quick, type BenchResult } from './result.js'

const batchSize = 1000
// --quick keeps the smallest and the largest size: enough to show a cliff.
const partitionSizes = quick ? [10, 10_000] : [10, 1_000, 10_000]
const topicCounts = quick ? [1, 1_000] : [1, 100, 1_000]
const consumeTotal = 100_000

interface Fixture {
  readonly cluster: Cluster
  readonly kafka: Kafka
  readonly producer: Producer
  close(): Promise<void>
}

async function fixture(topics: readonly string[], partitions: number, replicationFactor = 3): Promise<Fixture> {
  const cluster = new Cluster({ brokers: 3, seed: 1 })
  const kafka = cluster.kafka({ clientId: 'bench', logLevel: logLevel.NOTHING })
  const admin = kafka.admin()
  await admin.connect()
  // Kafka's controller writes at most 10 000 records per operation (controller-record-limit.ts):
  // topics are created a few hundred at a time, and a big topic grows by CreatePartitions.
  const first = Math.min(partitions, 5_000)
  for (let i = 0; i < topics.length; i += 500) {
    const chunk = topics.slice(i, i + 500)
    await admin.createTopics({ waitForLeaders: true, topics: chunk.map((topic) => ({ topic, numPartitions: first, replicationFactor })) })
  }
  for (let count = first + 5_000; first < partitions && count - 5_000 < partitions; count += 5_000) {
    await admin.createPartitions({ topicPartitions: topics.map((topic) => ({ topic, count: Math.min(count, partitions) })) })
  }
  await admin.disconnect()
  const producer = kafka.producer({ allowAutoTopicCreation: false })
  await producer.connect()
  return {
    cluster,
    kafka,
    producer,
    async close() {
      await producer.disconnect()
      await cluster.close()
    },
  }
}

const keyless = messages(batchSize)
const keyed = Array.from({ length: batchSize }, (_, i) => ({ key: `key-${i}`, value: payload100 }))

/** Mean msgs/s of sendBatch to `topics` in turn. A fresh cluster every 200 k records. */
/**
 * A producer's cluster for produceRate, in the state a producer writing to these topics is in
 * after its first round: it has met every topic (kafkajs refreshes the metadata of all its
 * target topics when a send names a new one, a cost paid once per topic, not per send), every
 * partition has had its first append (one keyless record each: the default partitioner deals
 * them round-robin), and the garbage of building 1 000 topics is collected before the timing
 * starts. Without this the 1 000-topic row, whose cluster is rebuilt every 200 sends, measured
 * first sends only: each of its 200 sends went to a topic the producer and its partitions had
 * not seen yet.
 */
async function producingFixture(topics: readonly string[], partitions: number): Promise<Fixture> {
  const current = await fixture(topics, partitions)
  const one = Array.from({ length: partitions }, () => ({ value: payload100 }))
  await current.producer.sendBatch({ topicMessages: topics.map((topic) => ({ topic, messages: one })), acks: -1 })
  fullGc()
  return current
}

async function produceRate(topicCount: number, partitions: number, withKeys: boolean): Promise<{ value: number; baseline: number }> {
  const topics = Array.from({ length: topicCount }, (_, i) => `scale-${i}`)
  let current = await producingFixture(topics, partitions)
  let sent = 0
  let next = 0
  const batch = withKeys ? keyed : keyless
  const raw = new RawLog()
  const bench = new Bench({ time: quick ? 300 : 1000, warmupTime: quick ? 100 : 300 })
  bench.add(
    'memkafka',
    async () => {
      await current.producer.sendBatch({ topicMessages: [{ topic: topics[next]!, messages: batch }], acks: -1 })
      next = (next + 1) % topicCount
      sent += batchSize
    },
    {
      beforeEach: async () => {
        if (sent < 200_000) return
        await current.close()
        current = await producingFixture(topics, partitions)
        sent = 0
      },
    },
  )
  bench.add('baseline', async () => {
    await raw.append(batch)
  }, {
    beforeEach: () => {
      if (raw.records.length >= 200_000) raw.clear()
    },
  })
  await bench.run()
  await current.close()
  const rate = (name: string) => (batchSize * 1000) / completed(bench, name).latency.mean
  return { value: rate('memkafka'), baseline: rate('baseline') }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[sorted.length >> 1]!
}

/** Runs `sample` `count` times (after a full GC each) and returns the median of what it measured. */
async function medianOf(count: number, sample: () => Promise<number>): Promise<number> {
  const values: number[] = []
  for (let i = 0; i < count; i++) {
    fullGc()
    values.push(await sample())
  }
  return median(values)
}

let groups = 0

/** ms from run() until `until` says the consumer has seen enough. */
async function timeConsumer(kafka: Kafka, topic: string, mode: 'eachBatch' | 'eachMessage', enough: number): Promise<number> {
  const consumer: Consumer = kafka.consumer({ groupId: `scale-${groups++}` })
  await consumer.connect()
  await consumer.subscribe({ topics: [topic], fromBeginning: true })
  let seen = 0
  let allSeen!: () => void
  const done = new Promise<void>((resolve) => {
    allSeen = resolve
  })
  const startedAt = performance.now()
  if (mode === 'eachBatch') {
    await consumer.run({
      eachBatch: async ({ batch }) => {
        for (const _message of batch.messages) seen++
        if (seen >= enough) allSeen()
      },
    })
  } else {
    await consumer.run({
      eachMessage: async () => {
        if (++seen >= enough) allSeen()
      },
    })
  }
  await done
  const elapsed = performance.now() - startedAt
  await consumer.disconnect()
  return elapsed
}

async function consumeRates(partitions: number): Promise<{ eachBatch: number; eachMessage: number }> {
  const current = await fixture(['scale'], partitions)
  for (let sent = 0; sent < consumeTotal; sent += batchSize) {
    await current.producer.sendBatch({ topicMessages: [{ topic: 'scale', messages: keyless }], acks: -1 })
  }
  const samples = quick ? 1 : 3
  const eachBatch = await medianOf(samples, () => timeConsumer(current.kafka, 'scale', 'eachBatch', consumeTotal))
  const eachMessage = await medianOf(samples, () => timeConsumer(current.kafka, 'scale', 'eachMessage', consumeTotal))
  await current.close()
  return { eachBatch: (consumeTotal * 1000) / eachBatch, eachMessage: (consumeTotal * 1000) / eachMessage }
}

async function firstBatchMs(partitions: number): Promise<number> {
  const current = await fixture(['scale'], partitions)
  const ten = Array.from({ length: 10 }, (_, partition) => ({ value: payload100, partition }))
  await current.producer.send({ topic: 'scale', messages: ten, acks: -1 })
  const ms = await medianOf(quick ? 1 : 3, () => timeConsumer(current.kafka, 'scale', 'eachBatch', 1))
  await current.close()
  return ms
}

async function metadataMs(partitions: number): Promise<number> {
  const current = await fixture(['scale'], partitions)
  const admin = current.kafka.admin()
  await admin.connect()
  const bench = new Bench({ time: quick ? 100 : 500, warmupTime: 50 })
  bench.add('metadata', async () => {
    const { topics } = await admin.fetchTopicMetadata({ topics: ['scale'] })
    if (topics[0]!.partitions.length !== partitions) throw new Error('metadata lost partitions')
  })
  await bench.run()
  await admin.disconnect()
  await current.close()
  return completed(bench, 'metadata').latency.mean
}

function rawPartitionsMs(partitions: number): number {
  const startedAt = performance.now()
  const rounds = 20
  let total = 0
  for (let round = 0; round < rounds; round++) {
    const list = Array.from({ length: partitions }, (_, i) => ({ partitionErrorCode: 0, partitionId: i, leader: i % 3, replicas: [0, 1, 2], isr: [0, 1, 2] }))
    total += list.length
  }
  if (total !== partitions * rounds) throw new Error('baseline lost partitions')
  return (performance.now() - startedAt) / rounds
}

async function rawConsumeRates(): Promise<{ eachBatch: number; eachMessage: number }> {
  const raw = new RawLog()
  for (let sent = 0; sent < consumeTotal; sent += batchSize) await raw.append(keyless)
  const bench = new Bench({ time: 200 })
  bench.add('batch', () => rawEachBatch(raw.records, batchSize, async () => {}))
  bench.add('message', () => rawEachMessage(raw.records, async () => {}))
  await bench.run()
  const rate = (name: string) => (consumeTotal * 1000) / completed(bench, name).latency.mean
  return { eachBatch: rate('batch'), eachMessage: rate('message') }
}

export async function benchScale(): Promise<BenchResult[]> {
  const rows: BenchResult[] = []
  const sweep = (label: (size: number) => string, sizes: readonly number[], figures: readonly { value: number; baseline: number }[], unit: string, better: 'higher' | 'lower', target: (smallest: number) => number | undefined) => {
    const smallest = figures[0]!.value
    sizes.forEach((size, i) => {
      const { value, baseline } = figures[i]!
      rows.push({ name: label(size), value, unit, better, baseline, target: i === 0 ? undefined : target(smallest), smallest: i === 0 ? undefined : smallest })
    })
  }
  const atLeast80 = (smallest: number) => smallest * 0.8

  // A throwaway first run: the first row measured in a process otherwise pays for the JIT's
  // warm-up (it read 3-10x below the identical "1 topic in turn" row), and every ratio of its
  // sweep is divided by it.
  await produceRate(1, partitionSizes[0]!, false)
  await produceRate(1, partitionSizes[0]!, true)
  for (const withKeys of [false, true]) {
    const figures = []
    for (const partitions of partitionSizes) figures.push(await produceRate(1, partitions, withKeys))
    sweep((p) => `sendBatch 1000 x 100 B ${withKeys ? 'keyed' : 'keyless'}, 1 topic of ${p} partitions`, partitionSizes, figures, 'msgs/s', 'higher', atLeast80)
  }
  {
    const figures = []
    for (const topics of topicCounts) figures.push(await produceRate(topics, 10, false))
    sweep((t) => `sendBatch 1000 x 100 B keyless, ${t} topics of 10 partitions in turn`, topicCounts, figures, 'msgs/s', 'higher', atLeast80)
  }
  {
    const raw = await rawConsumeRates()
    const batches = []
    const singles = []
    for (const partitions of partitionSizes) {
      const rates = await consumeRates(partitions)
      batches.push({ value: rates.eachBatch, baseline: raw.eachBatch })
      singles.push({ value: rates.eachMessage, baseline: raw.eachMessage })
    }
    sweep((p) => `eachBatch, new group, 100k x 100 B over ${p} partitions (join included)`, partitionSizes, batches, 'msgs/s', 'higher', atLeast80)
    sweep((p) => `eachMessage, new group, 100k x 100 B over ${p} partitions (join included)`, partitionSizes, singles, 'msgs/s', 'higher', atLeast80)
  }
  {
    const figures = []
    for (const partitions of partitionSizes) {
      const ms = await firstBatchMs(partitions)
      const hopStart = performance.now()
      await Promise.resolve()
      figures.push({ value: ms, baseline: Math.max(performance.now() - hopStart, 0.001) })
    }
    sweep((p) => `first eachBatch after run(), new group, ${p} partitions`, partitionSizes, figures, 'ms', 'lower', () => 50)
    rows[rows.length - partitionSizes.length] = { ...rows[rows.length - partitionSizes.length]!, target: 50 }
  }
  {
    const figures = []
    for (const partitions of partitionSizes) figures.push({ value: await metadataMs(partitions), baseline: rawPartitionsMs(partitions) })
    sweep((p) => `fetchTopicMetadata, 1 topic of ${p} partitions`, partitionSizes, figures, 'ms', 'lower', () => 5)
    rows[rows.length - partitionSizes.length] = { ...rows[rows.length - partitionSizes.length]!, target: 5 }
  }
  return rows
}
