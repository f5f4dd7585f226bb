/**
 * Concept 3: offsets and replay.
 *
 * A consumer group's committed offset is a bookmark: the next offset to read. Commit, stop,
 * start again, and the group resumes there. The log is not consumed away, so a consumer can
 * also go back: seek to an offset, or find the offset of a point in time and seek there.
 * Auto-commit commits after each batch, so a consumer that dies mid-batch has done work it
 * never committed: its successor does that work again (at-least-once delivery).
 *
 *   npm run example -- offsets-and-replay
 */
import type { Consumer, EachMessagePayload } from 'kafkajs'
import type { Cluster } from '../../src/index.js'
import { defineExample, type ExampleContext } from '../kit/example.js'
import { runIfMain } from '../kit/cli.js'

const TOPIC = 'invoices'
const GROUP = 'mailer'

export interface Processed {
  readonly worker: string
  readonly offset: number
  readonly invoice: string
  readonly timestamp: number
}

export interface ReplayResult {
  readonly processed: Processed[]
  /** The committed offset after worker-1 stopped. */
  readonly committedAfterStop: string
  /** The offset fetchTopicOffsetsByTimestamp found for t=7000. */
  readonly offsetAtTime: string
  /** Emails sent per invoice in the crash part (invoice -> count). */
  readonly emails: Record<string, number>
}

const example = defineExample<ReplayResult>({
  name: 'offsets-and-replay',
  title: 'Offsets and replay',
  async run(ctx) {
    const cluster = ctx.cluster({ brokers: 1, seed: 3 })
    const kafka = ctx.kafka(cluster, 'billing')
    const admin = kafka.admin()
    const producer = kafka.producer()
    await admin.connect()
    await producer.connect()
    ctx.defer(() => admin.disconnect())
    ctx.defer(() => producer.disconnect())
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 1 }] })

    let invoices = 0
    /** Produces `count` invoices one second apart (their timestamps are the virtual time). */
    const invoice = async (count: number): Promise<void> => {
      for (let i = 0; i < count; i++) {
        invoices++
        await producer.send({ topic: TOPIC, messages: [{ key: `customer-${invoices % 3}`, value: `inv-${invoices}` }] })
        await cluster.advance(1_000)
      }
    }
    const processed: Processed[] = []
    const record = (worker: string, { message }: EachMessagePayload): Processed => {
      const p = { worker, offset: Number(message.offset), invoice: message.value!.toString(), timestamp: Number(message.timestamp) }
      processed.push(p)
      return p
    }
    const committed = async (): Promise<string> => (await admin.fetchOffsets({ groupId: GROUP, topics: [TOPIC] }))[0]!.partitions[0]!.offset
    const show = (items: Processed[]): string => items.map((p) => `${p.offset}:${p.invoice}`).join(' ')

    // --- Commit, restart, resume -------------------------------------------------------------
    ctx.part('commit-resume', 'Commit, stop, start again: the group resumes where it was')
    await invoice(5)
    const worker1 = await startWorker(ctx, cluster, 'worker-1', (payload) => void record('worker-1', payload))
    ctx.log(`worker-1 mailed ${show(processed.filter((p) => p.worker === 'worker-1'))}`)
    await worker1.disconnect()
    const committedAfterStop = await committed()
    ctx.log(`worker-1 stopped; group ${GROUP} committed offset ${committedAfterStop} (the next one to read).`)
    await invoice(5)
    ctx.log(`While nobody ran, invoices 6..10 arrived (log end offset ${(await admin.fetchTopicOffsets(TOPIC))[0]!.high}).`)
    const worker2 = await startWorker(ctx, cluster, 'worker-2', (payload) => void record('worker-2', payload))
    ctx.log(`worker-2 (same group) mailed ${show(processed.filter((p) => p.worker === 'worker-2'))}`)
    ctx.log('It started at the committed offset: nothing mailed twice, nothing skipped.')
    ctx.log('(fromBeginning only matters for a group that has no committed offset yet.)')

    // --- Seek to an offset ------------------------------------------------------------------
    ctx.part('seek-offset', 'Replay: seek back to an offset')
    let mark = processed.length
    worker2.seek({ topic: TOPIC, partition: 0, offset: '2' })
    await cluster.settle()
    ctx.log(`worker-2 seeks to offset 2 and reads again: ${show(processed.slice(mark))}`)
    ctx.log('The records are still in the log: consuming does not delete them. Only the position moved.')

    // --- Seek to a time ------------------------------------------------------------------------
    ctx.part('seek-time', 'Replay from a point in time')
    const [atTime] = await admin.fetchTopicOffsetsByTimestamp(TOPIC, 7_000)
    const offsetAtTime = atTime!.offset
    ctx.log(`fetchTopicOffsetsByTimestamp(t=7000) -> offset ${offsetAtTime}: the first record written at or after t=7000.`)
    mark = processed.length
    worker2.seek({ topic: TOPIC, partition: 0, offset: offsetAtTime })
    await cluster.settle()
    ctx.log(`worker-2 seeks there and reads: ${processed.slice(mark).map((p) => `${p.offset}:${p.invoice}(t=${p.timestamp})`).join(' ')}`)
    await worker2.disconnect()
    ctx.log(`worker-2 stopped; committed offset ${await committed()}.`)

    // --- What auto-commit can duplicate -------------------------------------------------------------
    ctx.part('auto-commit', 'Auto-commit is at-least-once: a crash mid-batch mails twice')
    const emails: Record<string, number> = {}
    const mail = (p: Processed): void => {
      emails[p.invoice] = (emails[p.invoice] ?? 0) + 1
    }
    // worker-3 dies while it mails invoice 14: its process freezes (no commit, no LeaveGroup).
    const worker3 = await startWorker(ctx, cluster, 'worker-3', async (payload) => {
      const p = record('worker-3', payload)
      if (p.invoice === 'inv-14') {
        cluster.pauseClient('worker-3')
        return new Promise<void>(() => {})
      }
      mail(p)
    })
    void worker3
    mark = processed.length
    // Five invoices in one send: one batch, committed only once the whole batch is handled.
    await producer.send({ topic: TOPIC, messages: [11, 12, 13, 14, 15].map((n) => ({ key: `customer-${n % 3}`, value: `inv-${n}` })) })
    invoices = 15
    // settle() waits until worker-3's session has timed out: only then can its partition move.
    const died = cluster.clock.now()
    await cluster.settle()
    ctx.log(`worker-3 mailed ${show(processed.slice(mark).filter((p) => p.invoice !== 'inv-14'))}, then died handling 13:inv-14.`)
    ctx.log(`Committed offset is still ${await committed()}: auto-commit runs after the batch, which never finished.`)
    const worker4 = await startWorker(ctx, cluster, 'worker-4', (payload) => mail(record('worker-4', payload)))
    void worker4
    ctx.log(`worker-4 got the partition ${cluster.clock.now() - died} ms later (worker-3's session timed out) and mailed ${show(processed.filter((p) => p.worker === 'worker-4'))}`)
    ctx.log()
    ctx.log('Emails per invoice:')
    ctx.log(`  ${Object.entries(emails).map(([inv, n]) => `${inv} x${n}`).join('  ')}`)
    ctx.log('Invoices 11-13 were mailed twice; none was lost. Make the handler idempotent, commit')
    ctx.log('more often (autoCommitThreshold narrows the window, never closes it), or use a')
    ctx.log('transaction when the output is itself a Kafka write (see exactly-once).')

    return { processed, committedAfterStop, offsetAtTime, emails }
  },
})

/** A running consumer of the mailer group; resolves once it owns the partition and caught up. */
async function startWorker(ctx: ExampleContext, cluster: Cluster, name: string, handle: (payload: EachMessagePayload) => Promise<void> | void): Promise<Consumer> {
  const consumer = ctx.kafka(cluster, name).consumer({ groupId: GROUP, heartbeatInterval: 1_000, sessionTimeout: 6_000 })
  // A frozen worker (pauseClient) cannot disconnect; the cluster's close ends it.
  ctx.defer(() => (name === 'worker-3' ? undefined : consumer.disconnect()))
  await consumer.connect()
  await consumer.subscribe({ topics: [TOPIC], fromBeginning: true })
  await ctx.drive(cluster, consumer.run({ eachMessage: async (payload) => handle(payload) }), `${name} joins`)
  await ctx.until(cluster, () => cluster.describe().groups.find((g) => g.groupId === GROUP)?.state === 'Stable', `${GROUP} is Stable`)
  await cluster.settle()
  return consumer
}

export default example

await runIfMain(import.meta.url, example)
