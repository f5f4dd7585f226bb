/**
 * Concept 10: retries, a dead-letter topic, and priority topics.
 *
 * A message whose processing fails must not stop its partition (everything behind it would
 * wait) and must not be dropped. The usual answer: the consumer hands it to a retry topic with
 * its attempt count, commits, and goes on; a retry consumer tries it again after a delay; once
 * it has failed too often it goes to a dead-letter topic (DLT), with the error in its headers,
 * for a person to look at.
 *
 * Kafka has no priorities inside a topic (a partition is a log, read in order). To let urgent
 * work overtake, give it its own topic and have the consumer look there first: here, one
 * consumer of tasks.high and tasks.low pauses tasks.low whenever tasks.high has work waiting.
 *
 *   npm run example -- retries-and-dead-letters
 */
import type { Admin, IHeaders, Producer } from 'kafkajs'
import type { Cluster } from '../../src/index.js'
import { defineExample, type ExampleContext } from '../kit/example.js'
import { runIfMain } from '../kit/cli.js'

const Topics = { payments: 'payments', retry: 'payments.retry', dlt: 'payments.dlt', high: 'tasks.high', low: 'tasks.low' } as const
const MAX_ATTEMPTS = 3
const RETRY_DELAY_MS = 1_000
const TASK_MS = 100

/** How each payment fares: the attempts that fail, and why. */
const failures: Record<string, { attempts: number[]; error: string }> = {
  'pay-2': { attempts: [1, 2], error: 'gateway timeout' },
  'pay-3': { attempts: [1, 2, 3, 4], error: 'card number invalid' },
  'pay-5': { attempts: [1], error: 'gateway timeout' },
}

export interface Attempt {
  readonly time: number
  readonly payment: string
  readonly attempt: number
  readonly topic: string
  readonly outcome: string
}

export interface RetriesResult {
  readonly attempts: Attempt[]
  /** Payments charged, in order. */
  readonly charged: string[]
  /** What reached the DLT, with its headers. */
  readonly deadLetters: { payment: string; headers: Record<string, string> }[]
  /** Priority part: the order tasks were processed in, with the time each started (ms after the low tasks were queued). */
  readonly tasks: { time: number; task: string }[]
  readonly highArrivedAt: number
}

const example = defineExample<RetriesResult>({
  name: 'retries-and-dead-letters',
  title: 'Retries, a dead-letter topic, and priority topics',
  async run(ctx) {
    const cluster = ctx.cluster({ brokers: 1, seed: 10 })
    const kafka = ctx.kafka(cluster, 'payments-app')
    const admin = kafka.admin()
    const producer = kafka.producer()
    await admin.connect()
    await producer.connect()
    ctx.defer(() => admin.disconnect())
    ctx.defer(() => producer.disconnect())
    await admin.createTopics({ topics: Object.values(Topics).map((topic) => ({ topic, numPartitions: 1 })) })

    // --- Retries and the DLT -------------------------------------------------------------------------
    ctx.part('retries', 'Failed payments go to a retry topic, then to the dead-letter topic')
    const attempts: Attempt[] = []
    const charged: string[] = []
    const deadLetters: RetriesResult['deadLetters'] = []
    /** Processes one payment; on failure forwards it to the retry topic or, at the last attempt, the DLT. */
    const handle = async (topic: string, payment: string, attempt: number): Promise<void> => {
      const failure = failures[payment]
      if (!failure?.attempts.includes(attempt)) {
        charged.push(payment)
        attempts.push({ time: cluster.clock.now(), payment, attempt, topic, outcome: 'charged' })
        return
      }
      const next = attempt < MAX_ATTEMPTS ? Topics.retry : Topics.dlt
      attempts.push({ time: cluster.clock.now(), payment, attempt, topic, outcome: `failed (${failure.error}) -> ${next}` })
      // The headers carry what the next reader needs: the retrier the attempt number, a person the error.
      const headers: Record<string, string> = next === Topics.retry ? { attempt: String(attempt + 1), error: failure.error } : { attempts: String(attempt), error: failure.error, 'original-topic': Topics.payments }
      await forward(producer, next, payment, headers)
    }
    await consume(ctx, cluster, 'payments-service', Topics.payments, async ({ value }) => handle(Topics.payments, value, 1))
    await consume(ctx, cluster, 'payments-retrier', Topics.retry, async ({ value, headers, timestamp }) => {
      // Wait out the back-off: this blocks only the retry topic, never the payments topic.
      const due = timestamp + RETRY_DELAY_MS
      if (cluster.clock.now() < due) await sleep(cluster, due - cluster.clock.now())
      await handle(Topics.retry, value, Number(headers.attempt))
    })
    await consume(ctx, cluster, 'payments-ops', Topics.dlt, async ({ value, headers }) => {
      deadLetters.push({ payment: value, headers })
    })
    await producer.send({ topic: Topics.payments, messages: ['pay-1', 'pay-2', 'pay-3', 'pay-4', 'pay-5'].map((p) => ({ key: p, value: p })) })
    await ctx.until(cluster, () => charged.length + deadLetters.length === 5, 'every payment settled', { stepMs: 100 })
    await cluster.settle()
    ctx.log(`Five payments; a failed one is retried after ${RETRY_DELAY_MS} ms, at most ${MAX_ATTEMPTS} attempts in all.`)
    ctx.log('  time    topic           payment  attempt  outcome')
    for (const a of attempts) ctx.log(`  t=${String(a.time).padEnd(5)} ${a.topic.padEnd(15)} ${a.payment.padEnd(8)} ${a.attempt}        ${a.outcome}`)
    ctx.log()
    ctx.log(`Charged, in order: ${charged.join(', ')}. pay-4 did not wait for pay-2 and pay-3: the`)
    ctx.log('payments partition moved on at once; only the retry topic waited out the back-off.')
    for (const d of deadLetters) ctx.log(`In ${Topics.dlt}: ${d.payment}, headers ${Object.entries(d.headers).map(([k, v]) => `${k}=${v}`).join(', ')}`)

    // --- Priority topics ---------------------------------------------------------------------------------
    ctx.part('priority', 'Priority topics: high before low')
    const tasks: RetriesResult['tasks'] = []
    const startAt = cluster.clock.now()
    await producer.send({ topic: Topics.low, messages: [1, 2, 3, 4, 5, 6].map((n) => ({ value: `low-${n}` })) })
    await priorityWorker(ctx, cluster, admin, tasks)
    // 250 ms in, urgent work arrives.
    await cluster.advance(250)
    const highArrivedAt = cluster.clock.now()
    await producer.send({ topic: Topics.high, messages: [1, 2, 3].map((n) => ({ value: `high-${n}` })) })
    await ctx.until(cluster, () => tasks.length === 9, 'every task processed', { stepMs: 50 })
    await cluster.advance(TASK_MS)
    await cluster.settle()
    ctx.log(`Six tasks wait in ${Topics.low}; at t=+${highArrivedAt - startAt} three arrive in ${Topics.high}. One worker, ${TASK_MS} ms a task:`)
    ctx.log(`  ${tasks.map((t) => `+${t.time - startAt} ${t.task}`).join('  ')}`)
    ctx.log(`Before each ${Topics.low} task the worker checks ${Topics.high}: with work waiting there it pauses`)
    ctx.log(`${Topics.low} (what it had fetched is dropped and fetched again later) and resumes it once`)
    ctx.log(`${Topics.high} is drained. The task in progress finishes first: there is no preemption.`)

    return { attempts, charged, deadLetters, tasks: tasks.map((t) => ({ time: t.time - startAt, task: t.task })), highArrivedAt: highArrivedAt - startAt }
  },
})

interface Received {
  readonly value: string
  readonly headers: Record<string, string>
  readonly timestamp: number
}

/** A consumer group reading `topic` one message at a time. */
async function consume(ctx: ExampleContext, cluster: Cluster, groupId: string, topic: string, handle: (m: Received) => Promise<void>): Promise<void> {
  const consumer = ctx.kafka(cluster, groupId).consumer({ groupId })
  ctx.defer(() => consumer.disconnect())
  await consumer.connect()
  await consumer.subscribe({ topics: [topic], fromBeginning: true })
  await consumer.run({
    eachMessage: async ({ message }) =>
      handle({ value: message.value!.toString(), headers: stringHeaders(message.headers ?? {}), timestamp: Number(message.timestamp) }),
  })
}

async function forward(producer: Producer, topic: string, payment: string, headers: Record<string, string>): Promise<void> {
  await producer.send({ topic, messages: [{ key: payment, value: payment, headers }] })
}

function stringHeaders(headers: IHeaders): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.map(String).join(',') : v.toString()
  return out
}

function sleep(cluster: Cluster, ms: number): Promise<void> {
  return new Promise((resolve) => cluster.clock.setTimeout(resolve, ms))
}

/**
 * One consumer of both priority topics. A tasks.low batch yields, message by message, to any
 * work waiting in tasks.high: it pauses tasks.low and returns without resolving the rest.
 */
async function priorityWorker(ctx: ExampleContext, cluster: Cluster, admin: Admin, tasks: RetriesResult['tasks']): Promise<void> {
  const consumer = ctx.kafka(cluster, 'worker').consumer({ groupId: 'task-workers' })
  ctx.defer(() => consumer.disconnect())
  let nextHigh = 0
  const highWaiting = async (): Promise<boolean> => Number((await admin.fetchTopicOffsets(Topics.high))[0]!.high) > nextHigh
  await consumer.connect()
  await consumer.subscribe({ topics: [Topics.high, Topics.low], fromBeginning: true })
  await consumer.run({
    eachBatchAutoResolve: false,
    eachBatch: async ({ batch, resolveOffset, heartbeat, isStale }) => {
      for (const message of batch.messages) {
        if (isStale()) return
        if (batch.topic === Topics.low && (await highWaiting())) {
          consumer.pause([{ topic: Topics.low }])
          return
        }
        tasks.push({ time: cluster.clock.now(), task: message.value!.toString() })
        await sleep(cluster, TASK_MS)
        resolveOffset(message.offset)
        await heartbeat()
        if (batch.topic === Topics.high) {
          nextHigh = Number(message.offset) + 1
          if (!(await highWaiting())) consumer.resume([{ topic: Topics.low }])
        }
      }
    },
  })
}

export default example

await runIfMain(import.meta.url, example)
