/**
 * Concept 9: parallel processing with safe commits.
 *
 * A partition is consumed in order, but its messages can be processed in parallel: hand each
 * to a worker, and they finish in any order. The commit must then not follow the workers: a
 * committed offset says "everything before this is done". So a coordinator tracks finished
 * offsets and commits only the low watermark, the end of the contiguous run of finished
 * offsets. A crash then redoes the work finished above the watermark (at-least-once, so the
 * work must be idempotent) and loses nothing. Committing the highest finished offset instead
 * loses whatever was still running below it. (The scenario is seed 003's.)
 *
 *   npm run example -- parallel-processing
 */
import type { Consumer } from 'kafkajs'
import type { Cluster } from '../../src/index.js'
import { defineExample, type ExampleContext } from '../kit/example.js'
import { runIfMain } from '../kit/cli.js'
import { LowWatermark } from './low-watermark.js'

const TOPIC = 'payments'
const WORKERS = ['A', 'B', 'C']

/** How long each payment takes to process, in virtual ms, by offset. */
const durations = [300, 100, 150, 50, 100, 250, 100, 50, 120, 60, 500, 100, 80, 120, 100, 60, 90, 300, 70, 50]

export type Strategy = 'low-watermark' | 'highest-finished'

export interface PipelineReport {
  readonly strategy: Strategy
  /** One line per finished offset (the first part prints them). */
  readonly events: string[]
  /** Every (offset, consumer instance) that finished processing. */
  readonly done: { offset: number; instance: string }[]
  /** Commits made, in order. */
  readonly commits: number[]
  /** The committed offset when the first instance died (crash part only). */
  committedAtCrash?: number
  /** Offsets the first instance was still working on when it died. */
  runningAtCrash?: number[]
}

export interface ParallelResult {
  readonly outOfOrder: PipelineReport
  readonly crash: Record<Strategy, PipelineReport>
}

const example = defineExample<ParallelResult>({
  name: 'parallel-processing',
  title: 'Parallel processing with safe commits (the low watermark)',
  async run(ctx) {
    const cluster = ctx.cluster({ brokers: 1, seed: 9 })
    const kafka = ctx.kafka(cluster, 'payments-app')
    const admin = kafka.admin()
    const producer = kafka.producer()
    await admin.connect()
    await producer.connect()
    ctx.defer(() => admin.disconnect())
    ctx.defer(() => producer.disconnect())
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 1 }] })
    const produce = async (from: number, to: number): Promise<void> => {
      await producer.send({ topic: TOPIC, messages: Array.from({ length: to - from }, (_, i) => ({ key: `pay-${from + i}`, value: `payment ${from + i}` })) })
    }

    // --- Out of order, committed in order ------------------------------------------------------------
    ctx.part('out-of-order', 'Three workers finish out of order; only the low watermark is committed')
    const first = new Pipeline(ctx, cluster, 'low-watermark', 'first')
    await first.start('worker-1', true)
    await produce(0, 10)
    await ctx.until(cluster, () => first.report.done.length === 10, 'offsets 0-9 processed', { stepMs: 10 })
    await cluster.settle()
    ctx.log(`Ten payments (offsets 0-9) on one partition, three workers; each takes ${durations.slice(0, 10).join(', ')} ms.`)
    ctx.log('  time    finished                         then commit')
    for (const line of first.report.events) ctx.log(`  ${line}`)
    await first.stop()
    ctx.log(`Workers finished in the order ${first.report.done.map((d) => d.offset).join(', ')}; the commits went ${first.report.commits.join(', ')}:`)
    ctx.log('never past an offset still running.')

    // --- A crash: low watermark versus highest finished ----------------------------------------------------
    ctx.part('crash', 'A crash mid-batch: the low watermark loses nothing, "highest finished" does')
    const pipelines = { 'low-watermark': new Pipeline(ctx, cluster, 'low-watermark', 'safe'), 'highest-finished': new Pipeline(ctx, cluster, 'highest-finished', 'naive') }
    // Both groups are where the first part ended (committed at 10) and wait for new payments.
    for (const groupId of ['payments-safe', 'payments-naive']) await admin.setOffsets({ groupId, topic: TOPIC, partitions: [{ partition: 0, offset: '10' }] })
    for (const p of Object.values(pipelines)) await p.start('worker-1', false)
    await cluster.settle()
    await produce(10, 20)
    // Both die 250 ms into the batch: their processes freeze mid-work.
    await cluster.advance(250)
    for (const p of Object.values(pipelines)) p.crash()
    // Replacements join the same groups; they get the partition once the dead member's session expires.
    for (const p of Object.values(pipelines)) await p.start('worker-2', false)
    await ctx.until(cluster, () => Object.values(pipelines).every((p) => p.caughtUp(20)), 'replacements caught up', { stepMs: 50 })
    await cluster.settle()
    ctx.log(`Offsets 10-19 take ${durations.slice(10).join(', ')} ms. Two groups process them:`)
    ctx.log('one commits the low watermark, one the highest finished offset + 1. Both worker-1s die')
    ctx.log('250 ms into the batch; a worker-2 takes over after the session timeout and resumes at the')
    ctx.log('committed offset.')
    for (const p of Object.values(pipelines)) {
      const r = p.report
      const firstDone = new Set(r.done.filter((d) => d.instance === 'worker-1').map((d) => d.offset))
      const secondDone = new Set(r.done.filter((d) => d.instance === 'worker-2').map((d) => d.offset))
      const redone = [...secondDone].filter((o) => firstDone.has(o))
      const never = Array.from({ length: 10 }, (_, i) => 10 + i).filter((o) => !firstDone.has(o) && !secondDone.has(o))
      ctx.log()
      ctx.log(`${r.strategy}:`)
      ctx.log(`  at the crash: done ${ranges([...firstDone])}, running ${ranges(r.runningAtCrash ?? [])}, committed ${r.committedAtCrash}`)
      ctx.log(`  worker-2 resumed at ${r.committedAtCrash}: processed ${ranges([...secondDone])}`)
      ctx.log(`  done twice: ${ranges(redone)}   never done: ${ranges(never)}`)
    }
    ctx.log()
    ctx.log('The low watermark committed only below the oldest payment still running: the replacement')
    ctx.log('redid the payments finished above it (so processing must be idempotent), and lost none.')
    ctx.log('Committing the highest finished offset skipped the payments still running at the crash.')

    return { outOfOrder: first.report, crash: { 'low-watermark': pipelines['low-watermark'].report, 'highest-finished': pipelines['highest-finished'].report } }
  },
})

/** "10-13,15,17-19" */
function ranges(offsets: readonly number[]): string {
  const sorted = [...new Set(offsets)].sort((a, b) => a - b)
  const out: string[] = []
  for (let i = 0; i < sorted.length; ) {
    let j = i
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++
    out.push(j === i ? String(sorted[i]) : j === i + 1 ? `${sorted[i]},${sorted[j]}` : `${sorted[i]}-${sorted[j]}`)
    i = j + 1
  }
  return out.length === 0 ? 'none' : out.join(',')
}

/**
 * One consumer group processing TOPIC with a pool of workers per consumer instance, committing
 * by its strategy. Each instance consumes with eachBatch, hands every message to the next free
 * worker, and commits as workers finish.
 */
class Pipeline {
  readonly report: PipelineReport
  private consumer: Consumer | undefined
  private instance = ''
  /** The current instance's life: a crash ends it, and its workers never wake up again. */
  private life = { dead: false }
  private readonly running = new Set<number>()
  /** Workers of the current instance in the middle of a payment. */
  private busy = 0
  private readonly groupId: string
  private readonly ctx: ExampleContext
  private readonly cluster: Cluster

  constructor(ctx: ExampleContext, cluster: Cluster, strategy: Strategy, name: string) {
    this.ctx = ctx
    this.cluster = cluster
    this.groupId = `payments-${name}`
    this.report = { strategy, events: [], done: [], commits: [] }
  }

  async start(instance: string, fromBeginning: boolean): Promise<void> {
    this.instance = instance
    const life = { dead: false }
    this.life = life
    this.busy = 0
    const clientId = `${this.groupId}-${instance}`
    const consumer = this.ctx.kafka(this.cluster, clientId).consumer({ groupId: this.groupId, heartbeatInterval: 1_000, sessionTimeout: 6_000 })
    this.consumer = consumer
    await consumer.connect()
    await consumer.subscribe({ topics: [TOPIC], fromBeginning })
    const started = consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
        const tracker = new LowWatermark(Number(batch.firstOffset()))
        let highestFinished = -1
        const queue = [...batch.messages]
        const worker = async (name: string): Promise<void> => {
          for (let message = queue.shift(); message; message = queue.shift()) {
            const offset = Number(message.offset)
            this.running.add(offset)
            this.busy++
            await this.sleep(life, durations[offset] ?? 100)
            this.busy--
            this.running.delete(offset)
            this.report.done.push({ offset, instance })
            highestFinished = Math.max(highestFinished, offset)
            const moved = tracker.finish(offset)
            // What to commit: the low watermark (when it moved), or the naive highest finished + 1.
            const commit = this.report.strategy === 'low-watermark' ? moved : highestFinished + 1
            const waiting = tracker.waiting
            const what = `t=${String(this.cluster.clock.now()).padEnd(5)} ${name} finished ${offset}`.padEnd(22)
            const why = waiting.length > 0 ? `(waiting for ${tracker.committable}: ${waiting.join(',')} done above it)` : ''
            this.report.events.push(`${what} ${commit === undefined ? `commit stays at ${tracker.committable}` : `commit ${commit}`} ${why}`.trimEnd())
            if (commit !== undefined && commit !== this.report.commits.at(-1)) {
              this.report.commits.push(commit)
              resolveOffset(String(commit - 1))
              await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: String(commit) }])
            }
            await heartbeat()
          }
        }
        await Promise.all(WORKERS.map((name) => worker(name)))
      },
    })
    await this.ctx.drive(this.cluster, started, `${clientId} joins`)
    // A crashed instance's client is frozen (pauseClient): closing the cluster ends it.
    this.ctx.defer(() => (life.dead ? undefined : consumer.disconnect()))
  }

  /** The process dies: nothing it is doing finishes, its heartbeats stop, it never leaves the group. */
  crash(): void {
    this.life.dead = true
    this.report.runningAtCrash = [...this.running].sort((a, b) => a - b)
    this.report.committedAtCrash = this.report.commits.at(-1) ?? 10
    this.cluster.pauseClient(`${this.groupId}-${this.instance}`)
  }

  /** The current instance processed offset `end - 1` and has no worker busy. */
  caughtUp(end: number): boolean {
    return this.busy === 0 && this.report.done.some((d) => d.instance === this.instance && d.offset === end - 1)
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect()
  }

  /** Processing time on the cluster's clock; a dead process never wakes up. */
  private sleep(life: { dead: boolean }, ms: number): Promise<void> {
    return new Promise((resolve) => this.cluster.clock.setTimeout(() => (life.dead ? undefined : resolve()), ms))
  }
}

export default example

await runIfMain(import.meta.url, example)
