/**
 * One isolated test's life: a new Cluster, create a topic, connect a producer and send, join a
 * consumer group and receive the record, disconnect everything, close the cluster (DESIGN.md
 * targets: median <= 2 ms; 1000 of them in a row <= 2 s). This is what a test suite pays per
 * test for full isolation.
 */
import { Bench } from 'tinybench'
import { Cluster, logLevel } from '../src/index.js'
import { RawLog, rawEachMessage } from './baseline.js'
import { completed, type BenchResult } from './result.js'

const lives = 1000
/** Wall-time cap for the 1000 lives; beyond it the total is extrapolated from those run. */
const capMs = 30_000

export async function oneTestLife(): Promise<void> {
  const cluster = new Cluster({ seed: 1 })
  const kafka = cluster.kafka({ clientId: 'test', logLevel: logLevel.NOTHING })
  const admin = kafka.admin()
  await admin.connect()
  await admin.createTopics({ topics: [{ topic: 'life', numPartitions: 1 }] })
  await admin.disconnect()
  const producer = kafka.producer()
  await producer.connect()
  await producer.send({ topic: 'life', messages: [{ key: 'k', value: 'v' }] })
  const consumer = kafka.consumer({ groupId: 'life' })
  await consumer.connect()
  await consumer.subscribe({ topics: ['life'], fromBeginning: true })
  let received!: () => void
  const receivedOne = new Promise<void>((resolve) => {
    received = resolve
  })
  await consumer.run({
    eachMessage: async () => {
      received()
    },
  })
  await receivedOne
  await consumer.disconnect()
  await producer.disconnect()
  await cluster.close()
}

/** The same life on an array: append one record, loop over it. */
async function oneBaselineLife(): Promise<void> {
  const log = new RawLog()
  await log.append([{ key: Buffer.from('k'), value: Buffer.from('v') }])
  let received = 0
  await rawEachMessage(log.records, async () => {
    received++
  })
  if (received !== 1) throw new Error('baseline life lost its record')
}

export async function benchTestLife(): Promise<BenchResult[]> {
  const bench = new Bench({ time: 1500, warmupTime: 300, iterations: 50, signal: AbortSignal.timeout(30_000) })
  bench.add('memkafka', oneTestLife)
  bench.add('baseline', oneBaselineLife)
  await bench.run()

  /** Seconds for `lives` lives in a row, and how many actually ran (fewer when capped). */
  const inARow = async (life: () => Promise<void>) => {
    const startedAt = performance.now()
    let ran = 0
    while (ran < lives && performance.now() - startedAt < capMs) {
      await life()
      ran++
    }
    return { seconds: (((performance.now() - startedAt) / ran) * lives) / 1000, ran }
  }
  const memkafkaRow = await inARow(oneTestLife)
  const baselineRow = await inARow(oneBaselineLife)
  const extrapolated = memkafkaRow.ran < lives ? ` (extrapolated from ${memkafkaRow.ran})` : ''

  return [
    {
      name: 'one test life (cluster, topic, send, join, receive, close), median',
      value: completed(bench, 'memkafka').latency.p50,
      unit: 'ms',
      target: 2,
      better: 'lower',
      baseline: completed(bench, 'baseline').latency.p50,
    },
    { name: `${lives} test lives in a row${extrapolated}`, value: memkafkaRow.seconds, unit: 's', target: 1, better: 'lower', baseline: baselineRow.seconds },
  ]
}
