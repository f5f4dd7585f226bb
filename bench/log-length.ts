/**
 * Read cost against the length of a partition's log (issue 15: "fetch cost flat from 1 k to 10 M
 * records in a partition, ListOffsets by timestamp included"). For logs of 1 k, 1 M and 10 M
 * records of 100 B (one partition, RF=1, produced in batches of 1000 with increasing
 * timestamps), each sample sends one request straight through the request boundary
 * (`cluster.send`):
 * - Fetch at an offset drawn uniformly from the log (seeded), up to 64 KB of the partition,
 *   as a consumer that resumes anywhere in a long log would;
 * - ListOffsets by a timestamp drawn uniformly from the log's range (offsetsForTimes, a
 *   consumer group reset to a point in time).
 * Each row after the 1 k log has the target >= 0.8x of the 1 k log's rate, and prints its cost
 * relative to it. The baseline is a binary search over an array of that many offsets followed
 * by a slice of 600 records (what a fetch of 64 KB returns), in plain JS.
 */
import { Bench } from 'tinybench'
import { Cluster, logLevel } from '../src/index.js'
import { Random } from '../src/cluster/random.js'
import { completed, quick, type BenchResult } from './result.js'
import { fullGc } from './gc.js'
import { payload100 } from './fixtures.js'

const SIZES = quick ? [1_000, 1_000_000] : [1_000, 1_000_000, 10_000_000]
const BATCH = 1000
const FIRST_TIMESTAMP = 1_700_000_000_000

interface LogUnderTest {
  readonly cluster: Cluster
  readonly size: number
}

/** A one-broker cluster whose partition `log`-0 holds `size` records, record i stamped FIRST_TIMESTAMP + i. */
async function logOf(size: number): Promise<LogUnderTest> {
  const cluster = new Cluster({ brokers: 1, seed: 1 })
  const kafka = cluster.kafka({ clientId: 'bench', logLevel: logLevel.NOTHING })
  const admin = kafka.admin()
  await admin.connect()
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic: 'log', numPartitions: 1, replicationFactor: 1 }] })
  await admin.disconnect()
  const producer = kafka.producer({ allowAutoTopicCreation: false })
  await producer.connect()
  for (let sent = 0; sent < size; sent += BATCH) {
    const messages = Array.from({ length: Math.min(BATCH, size - sent) }, (_, i) => ({ value: payload100, timestamp: String(FIRST_TIMESTAMP + sent + i) }))
    await producer.send({ topic: 'log', messages, acks: 1 })
  }
  await producer.disconnect()
  return { cluster, size }
}

/** The baseline's log: offsets and timestamps in arrays, a record per offset. */
class RawIndexedLog {
  private readonly timestamps: Float64Array
  private readonly records: Buffer[]

  constructor(size: number) {
    this.timestamps = new Float64Array(size)
    this.records = new Array<Buffer>(size)
    for (let i = 0; i < size; i++) {
      this.timestamps[i] = FIRST_TIMESTAMP + i
      this.records[i] = payload100
    }
  }

  /** The first offset stamped at or after `timestamp`, by binary search, and the 600 records from there. */
  async read(timestamp: number): Promise<number> {
    let low = 0
    let high = this.timestamps.length
    while (low < high) {
      const middle = (low + high) >>> 1
      if (this.timestamps[middle]! < timestamp) low = middle + 1
      else high = middle
    }
    return (await Promise.resolve(this.records.slice(low, low + 600))).length
  }
}

export async function benchLogLength(): Promise<BenchResult[]> {
  const fetchRates: number[] = []
  const listRates: number[] = []
  const baselineRates: number[] = []
  for (const size of SIZES) {
    const { cluster } = await logOf(size)
    // Building 10 M records leaves a heap's worth of garbage; collected here, it is not charged
    // to whichever task runs first.
    fullGc()
    const random = new Random(size)
    const bench = new Bench({ time: quick ? 300 : 1000, warmupTime: 200 })
    bench.add('fetch', async () => {
      const fetchOffset = Math.floor(random.next() * size)
      const response = await cluster.send(
        0,
        { api: 'Fetch', maxWaitMs: 0, minBytes: 0, maxBytes: 1 << 20, isolationLevel: 0, topics: [{ name: 'log', partitions: [{ index: 0, fetchOffset, partitionMaxBytes: 64 * 1024 }] }] } as never,
        { clientId: 'bench' },
      )
      const partition = (response as { topics: { partitions: { errorCode: number; batches: unknown[] }[] }[] }).topics[0]!.partitions[0]!
      if (partition.errorCode !== 0 || partition.batches.length === 0) throw new Error(`Fetch at ${fetchOffset} of ${size}: error ${partition.errorCode}`)
    })
    bench.add('list offsets', async () => {
      const offset = Math.floor(random.next() * size)
      const response = await cluster.send(0, { api: 'ListOffsets', isolationLevel: 0, topics: [{ name: 'log', partitions: [{ index: 0, timestamp: FIRST_TIMESTAMP + offset }] }] }, { clientId: 'bench' })
      const answer = response.topics[0]!.partitions[0]!
      if (answer.errorCode !== 0 || answer.offset !== offset) throw new Error(`ListOffsets for record ${offset}'s timestamp answered ${answer.offset} (error ${answer.errorCode})`)
    })
    const raw = new RawIndexedLog(size)
    bench.add('baseline', async () => {
      await raw.read(FIRST_TIMESTAMP + Math.floor(random.next() * size))
    })
    await bench.run()
    await cluster.close()
    const perSecond = (name: string) => 1000 / completed(bench, name).latency.mean
    fetchRates.push(perSecond('fetch'))
    listRates.push(perSecond('list offsets'))
    baselineRates.push(perSecond('baseline'))
  }
  const label = (size: number) => (size >= 1_000_000 ? `${size / 1_000_000} M` : `${size / 1000} k`)
  const rows = (what: string, rates: number[]): BenchResult[] =>
    SIZES.map((size, i) => ({
      name: `${what}, log of ${label(size)} records`,
      value: rates[i]!,
      unit: 'req/s',
      target: i === 0 ? undefined : 0.8 * rates[0]!,
      better: 'higher',
      baseline: baselineRates[i]!,
      smallest: i === 0 ? undefined : rates[0]!,
    }))
  return [
    ...rows('Fetch of 64 KB at a random offset', fetchRates),
    ...rows('ListOffsets by a random timestamp', listRates),
  ]
}
