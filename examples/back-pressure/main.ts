/**
 * Concept 11: back-pressure.
 *
 * Kafka consumers pull: a broker never pushes records at a consumer, so a consumer slower than
 * its producers is not overwhelmed, it just falls behind. The records wait in the log (for as
 * long as retention allows) and the distance grows: the consumer lag, per partition, the high
 * watermark minus the group's committed offset. Producers are not slowed down at all. When
 * the load drops, the consumer catches up; when it does not, add consumers (up to one per
 * partition) or make processing faster, and watch the lag.
 *
 *   npm run example -- back-pressure
 */
import { defineExample } from '../kit/example.js'
import { runIfMain } from '../kit/cli.js'

const TOPIC = 'telemetry'
const PARTITIONS = 3
/** Each reading takes the consumer this long: it handles 20 a second. */
const PROCESS_MS = 50
/** The producer sends one reading per partition every 100 ms: 30 a second, for 5 seconds. */
const SEND_EVERY_MS = 100
const SEND_FOR_MS = 5_000

export interface LagSample {
  readonly time: number
  readonly produced: number
  readonly processed: number
  /** Per partition: high watermark - committed offset. */
  readonly lag: number[]
}

export interface BackPressureResult {
  readonly samples: LagSample[]
  /** The longest any producer.send took, in virtual ms. */
  readonly slowestSendMs: number
  readonly produced: number
  readonly processed: number
  /** When the lag was back to 0 everywhere. */
  readonly caughtUpAt: number
}

const example = defineExample<BackPressureResult>({
  name: 'back-pressure',
  title: 'Back-pressure: a slow consumer simply lags',
  async run(ctx) {
    const cluster = ctx.cluster({ brokers: 3, seed: 11 })
    const kafka = ctx.kafka(cluster, 'sensors')
    const admin = kafka.admin()
    const producer = kafka.producer()
    await admin.connect()
    await producer.connect()
    ctx.defer(() => admin.disconnect())
    ctx.defer(() => producer.disconnect())
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: PARTITIONS, replicationFactor: 3 }] })

    let processed = 0
    const consumer = ctx.kafka(cluster, 'dashboard').consumer({ groupId: 'dashboard' })
    ctx.defer(() => consumer.disconnect())
    await consumer.connect()
    await consumer.subscribe({ topics: [TOPIC], fromBeginning: true })
    await consumer.run({
      // Commit every 5 readings, so the committed offset (and the lag) follows the progress.
      autoCommitThreshold: 5,
      eachMessage: async () => {
        await new Promise<void>((resolve) => cluster.clock.setTimeout(resolve, PROCESS_MS))
        processed++
      },
    })
    await cluster.settle()

    const lag = async (): Promise<number[]> => {
      const [committed] = await admin.fetchOffsets({ groupId: 'dashboard', topics: [TOPIC] })
      const offsets = await admin.fetchTopicOffsets(TOPIC)
      return offsets
        .sort((a, b) => a.partition - b.partition)
        .map((o) => {
          const c = Number(committed!.partitions.find((p) => p.partition === o.partition)?.offset ?? '-1')
          return Number(o.high) - Math.max(0, c)
        })
    }
    const start = cluster.clock.now()
    let produced = 0
    let slowestSendMs = 0
    const samples: LagSample[] = []
    const sample = async (): Promise<void> => {
      samples.push({ time: cluster.clock.now() - start, produced, processed, lag: await lag() })
    }

    ctx.part('lagging', 'The producer outpaces the consumer: the lag grows')
    let view = ''
    for (let t = 0; t < SEND_FOR_MS; t += SEND_EVERY_MS) {
      const sentAt = cluster.clock.now()
      await producer.send({ topic: TOPIC, messages: Array.from({ length: PARTITIONS }, (_, p) => ({ partition: p, value: `reading ${produced + p}` })) })
      slowestSendMs = Math.max(slowestSendMs, cluster.clock.now() - sentAt)
      produced += PARTITIONS
      await cluster.advance(SEND_EVERY_MS)
      if ((cluster.clock.now() - start) % 1_000 === 0) await sample()
      if (cluster.clock.now() - start === SEND_FOR_MS) view = cluster.format()
    }
    ctx.log(`A sensor sends ${(1_000 / SEND_EVERY_MS) * PARTITIONS} readings a second over ${PARTITIONS} partitions; the dashboard handles ${1_000 / PROCESS_MS} a second.`)
    ctx.log('  time     produced  processed  lag per partition  total lag')
    const row = (s: LagSample): string =>
      `  t=${String(s.time).padEnd(6)} ${String(s.produced).padEnd(9)} ${String(s.processed).padEnd(10)} ${s.lag.map((l) => String(l).padStart(4)).join(' ').padEnd(18)} ${s.lag.reduce((a, b) => a + b, 0)}`
    for (const s of samples) ctx.log(row(s))
    ctx.log('(Lag counts from the committed offset, which trails processing by up to 5 readings.)')
    ctx.log(`Every send was acknowledged without waiting for the consumer (the slowest took ${slowestSendMs} ms):`)
    ctx.log('the log absorbs the difference, and nothing pushes back on the producer.')

    ctx.part('view', `The group's lag in cluster.format(), at t=${SEND_FOR_MS}`)
    ctx.log(view.slice(view.indexOf('Group dashboard')))

    ctx.part('catching-up', 'The load stops: the consumer catches up')
    const lagging = samples.length
    let caughtUpAt = -1
    while (caughtUpAt < 0) {
      await cluster.advance(1_000)
      await sample()
      if (samples.at(-1)!.lag.every((l) => l === 0)) caughtUpAt = cluster.clock.now() - start
    }
    for (const s of samples.slice(lagging)) ctx.log(row(s))
    ctx.log(`At t=${caughtUpAt} every partition's lag is 0 again: nothing was lost or refused, only delayed.`)
    ctx.log('Had the load lasted, the lag would have grown until retention deleted unread readings')
    ctx.log('(see retention): add consumers, up to one per partition, or process faster.')

    return { samples, slowestSendMs, produced, processed, caughtUpAt }
  },
})

export default example

await runIfMain(import.meta.url, example)
