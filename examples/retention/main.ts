/**
 * Concept 7: retention.
 *
 * A topic does not keep everything: with cleanup.policy=delete (the default) the broker
 * deletes whole segments once their newest record is older than retention.ms (or the
 * partition is over retention.bytes). The log start offset (the "low watermark") moves up a
 * segment at a time. A consumer is not asked: one that falls behind further than retention
 * finds its position gone (OFFSET_OUT_OF_RANGE) and jumps to where its reset policy says,
 * skipping what it never read.
 *
 *   npm run example -- retention
 */
import type { Cluster } from '../../src/index.js'
import { defineExample, type ExampleContext } from '../kit/example.js'
import { runIfMain } from '../kit/cli.js'

const TOPIC = 'clickstream'

export interface RetentionResult {
  /** (time, low watermark, high watermark) each 20 s of writing. */
  readonly watermarks: { time: number; low: number; high: number }[]
  readonly deletions: { time: number; logStartOffset: number; segments: number }[]
  /** The archiver group: committed before it stopped, where it resumed, what it read then. */
  readonly archiver: { committed: number; logStartAtRestart: number; resumedAt: number; read: number[] }
  /** The dashboard group (reset to latest): where it resumed. */
  readonly dashboard: { committed: number; resumedAt: number; read: number[] }
  readonly highWatermark: number
}

const example = defineExample<RetentionResult>({
  name: 'retention',
  title: 'Retention: old segments disappear, and a slow consumer falls off the log',
  async run(ctx) {
    // The retention check runs every 10 s (Kafka's default: every 5 minutes).
    const cluster = ctx.cluster({ brokers: 1, seed: 7, brokerConfig: { 'log.retention.check.interval.ms': 10_000 } })
    const kafka = ctx.kafka(cluster, 'web')
    const admin = kafka.admin()
    const producer = kafka.producer()
    await admin.connect()
    await producer.connect()
    ctx.defer(() => admin.disconnect())
    ctx.defer(() => producer.disconnect())
    await admin.createTopics({
      topics: [
        {
          topic: TOPIC,
          numPartitions: 1,
          configEntries: [
            // Keep a minute of clicks, in segments of 10 s.
            { name: 'retention.ms', value: '60000' },
            { name: 'segment.ms', value: '10000' },
          ],
        },
      ],
    })
    let clicks = 0
    const click = async (): Promise<void> => {
      await producer.send({ topic: TOPIC, messages: [{ value: `click-${clicks++}` }] })
    }

    // --- Two groups read the start, then stop -------------------------------------------------------
    ctx.part('readers', 'Two groups read the first clicks, then stop')
    for (let i = 0; i < 5; i++) {
      await click()
      await cluster.advance(2_000)
    }
    const archiverFirst = await readFor(ctx, cluster, 'archiver', true)
    const dashboardFirst = await readFor(ctx, cluster, 'dashboard', true)
    const committed = async (groupId: string): Promise<number> => Number((await admin.fetchOffsets({ groupId, topics: [TOPIC] }))[0]!.partitions[0]!.offset)
    const archiverCommitted = await committed('archiver')
    const dashboardCommitted = await committed('dashboard')
    ctx.log(`t=${cluster.clock.now()}: clicks 0-4 written (one every 2 s). Groups archiver and dashboard read them`)
    ctx.log(`(${archiverFirst.length} and ${dashboardFirst.length} records) and stop, committed at offset ${archiverCommitted} and ${dashboardCommitted}.`)
    ctx.log('archiver resets to the earliest offset when its position is gone (fromBeginning: true),')
    ctx.log('dashboard to the latest (fromBeginning: false).')

    // --- Retention deletes segments --------------------------------------------------------------------
    ctx.part('segments', 'Retention deletes whole segments, and the low watermark jumps')
    const watermarks: RetentionResult['watermarks'] = []
    const sample = async (): Promise<void> => {
      const [o] = await admin.fetchTopicOffsets(TOPIC)
      watermarks.push({ time: cluster.clock.now(), low: Number(o!.low), high: Number(o!.high) })
    }
    while (cluster.clock.now() < 120_000) {
      await click()
      await cluster.advance(2_000)
      if (cluster.clock.now() % 20_000 === 0) await sample()
    }
    ctx.log('A click every 2 s for 2 minutes; retention.ms is 60 s, segment.ms 10 s:')
    ctx.log('  time      low watermark (log start)   high watermark')
    for (const w of watermarks) ctx.log(`  t=${String(w.time).padEnd(7)} ${String(w.low).padEnd(27)} ${w.high}`)
    const deletions = cluster.timeline({ types: ['segmentsDeleted'] }).map((e) => (e.type === 'segmentsDeleted' ? { time: e.time, logStartOffset: e.logStartOffset, segments: e.baseOffsets.length } : { time: 0, logStartOffset: 0, segments: 0 }))
    ctx.log()
    ctx.log('From the story:')
    ctx.story(cluster, { types: ['segmentsDeleted'], since: 0 })
    ctx.log('A segment goes only once its newest record is older than 60 s, so up to a segment more than')
    ctx.log('60 s of clicks is kept; the active segment is never deleted.')

    // --- The slow consumers come back ---------------------------------------------------------------------
    ctx.part('fall-off', 'The stopped groups come back: their offsets are gone')
    const [now] = await admin.fetchTopicOffsets(TOPIC)
    const logStartAtRestart = Number(now!.low)
    const highWatermark = Number(now!.high)
    ctx.log(`t=${cluster.clock.now()}: log start offset ${logStartAtRestart}, high watermark ${highWatermark}. Both groups committed ${archiverCommitted}.`)
    const archiverLater = await readFor(ctx, cluster, 'archiver', true)
    // dashboard stays up while one more click arrives: after its reset it is at the log end.
    const dashboardAfterNew = await readFor(ctx, cluster, 'dashboard', false, click)
    ctx.log(`archiver  fetches at ${archiverCommitted}: OFFSET_OUT_OF_RANGE, resets to earliest = ${archiverLater[0]}; reads ${archiverLater.length} clicks,`)
    ctx.log(`          and never sees offsets ${archiverCommitted}-${archiverLater[0]! - 1} (${archiverLater[0]! - archiverCommitted} clicks).`)
    ctx.log(`dashboard fetches at ${dashboardCommitted}: OFFSET_OUT_OF_RANGE, resets to latest = ${highWatermark}; reads only the next click, @ ${dashboardAfterNew[0]}.`)
    ctx.log('Neither consumer fails: after the reset they carry on, and the skipped clicks are simply')
    ctx.log('gone. Alert on consumer lag well before it nears retention.ms.')

    return {
      watermarks,
      deletions,
      archiver: { committed: archiverCommitted, logStartAtRestart, resumedAt: archiverLater[0]!, read: archiverLater },
      dashboard: { committed: dashboardCommitted, resumedAt: dashboardAfterNew[0]!, read: dashboardAfterNew },
      highWatermark,
    }
  },
})

/** Runs a consumer of `groupId` until it is caught up (and after `meanwhile`), then disconnects; returns the offsets it read. */
async function readFor(ctx: ExampleContext, cluster: Cluster, groupId: string, fromBeginning: boolean, meanwhile?: () => Promise<void>): Promise<number[]> {
  const consumer = ctx.kafka(cluster, groupId).consumer({ groupId })
  const offsets: number[] = []
  await consumer.connect()
  await consumer.subscribe({ topics: [TOPIC], fromBeginning })
  await consumer.run({ eachMessage: async ({ message }) => void offsets.push(Number(message.offset)) })
  await cluster.settle()
  if (meanwhile) {
    await meanwhile()
    await cluster.settle()
  }
  await consumer.disconnect()
  return offsets
}

export default example

await runIfMain(import.meta.url, example)
