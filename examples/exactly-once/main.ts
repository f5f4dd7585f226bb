/**
 * Concept 8: exactly once.
 *
 * A payment processor consumes payment requests, produces ledger entries, and commits its
 * consumer offsets, all in one transaction per batch (see payment-processor.ts). It crashes
 * halfway through a batch. Its open transaction holds the ledger's last stable offset (LSO):
 * read_committed readers see nothing past it. The replacement instance registers the same
 * transactional id, which fences the dead one and aborts its transaction, then processes the
 * batch again from the last committed offset. A read_committed reader of the ledger sees every
 * payment exactly once; only a read_uncommitted reader sees the aborted first attempt. The old
 * instance, woken up, cannot commit anything: it is a fenced zombie.
 *
 *   npm run example -- exactly-once
 */
import type { Cluster } from '../../src/index.js'
import { defineExample, type ExampleContext } from '../kit/example.js'
import { runIfMain } from '../kit/cli.js'
import { PaymentProcessor, Topics, processorGroupId, type LedgerEntry, type PaymentRequest } from './payment-processor.js'

export interface ExactlyOnceResult {
  readonly requests: string[]
  /** The ledger as read_committed and read_uncommitted readers see it after the recovery. */
  readonly committedLedger: LedgerEntry[]
  readonly uncommittedLedger: LedgerEntry[]
  /** While the crashed transaction was open. */
  readonly duringCrash: { committedReads: number; uncommittedReads: number; lastStableOffset: number; highWatermark: number }
  readonly committedOffset: string
  /** What the woken zombie got when it tried to go on. */
  readonly zombieError: string
}

const TRANSACTIONAL_ID = 'payment-processor'

const example = defineExample<ExactlyOnceResult>({
  name: 'exactly-once',
  title: 'Exactly once: consume, produce and commit in one transaction',
  async run(ctx) {
    const cluster = ctx.cluster({ brokers: 3, seed: 8 })
    const kafka = ctx.kafka(cluster, 'bank')
    const admin = kafka.admin()
    const producer = kafka.producer()
    await admin.connect()
    await producer.connect()
    ctx.defer(() => admin.disconnect())
    ctx.defer(() => producer.disconnect())
    await admin.createTopics({ topics: Object.values(Topics).map((topic) => ({ topic, numPartitions: 1, replicationFactor: 3 })) })
    const requests: string[] = []
    const request = async (...payments: PaymentRequest[]): Promise<void> => {
      await producer.send({ topic: Topics.requests, messages: payments.map((p) => ({ key: p.account, value: JSON.stringify(p) })) })
      requests.push(...payments.map((p) => p.id))
    }
    const payment = (n: number): PaymentRequest => ({ id: `pay-${n}`, account: `acct-${(n % 3) + 1}`, amount: 10 * n })
    const committedOffset = async (): Promise<string> => (await admin.fetchOffsets({ groupId: processorGroupId, topics: [Topics.requests] }))[0]!.partitions[0]!.offset
    const ledgerState = () => {
      const p = cluster.describe().topics.find((t) => t.name === Topics.ledger)!.partitions[0]!
      return { lastStableOffset: p.lastStableOffset, highWatermark: p.highWatermark }
    }
    const show = (entries: LedgerEntry[]): string => entries.map((e) => `${e.payment}(${e.by})`).join(' ')

    // The first instance crashes after writing pay-8's entry; `wake` lets the zombie go on later.
    let wake: () => void = () => {}
    let zombieError = 'none'
    const a = new PaymentProcessor(ctx.kafka(cluster, 'processor-a'), {
      name: 'a',
      transactionalId: TRANSACTIONAL_ID,
      afterSend: async (p) => {
        if (p.id !== 'pay-8') return
        cluster.pauseClient('processor-a')
        await new Promise<void>((resolve) => (wake = resolve))
      },
      onError: (error) => {
        zombieError = `${error.name}: ${errorType(error)}`
      },
    })

    // --- The processor at work ------------------------------------------------------------------------
    ctx.part('processor', 'One transaction per batch: ledger entries and offsets together')
    await ctx.drive(cluster, a.start(), 'processor a starts')
    await request(...[1, 2, 3, 4, 5, 6].map(payment))
    await cluster.settle()
    const firstLedger = await readLedger(ctx, cluster, 'auditor-1', false)
    ctx.log(`Six payment requests; processor a handles them as one batch, in one transaction:`)
    ctx.log(`  ledger (read_committed): ${show(firstLedger)}`)
    ctx.log(`  ${processorGroupId} committed offset: ${await committedOffset()} (committed by the same transaction)`)
    const afterFirst = ledgerState()
    ctx.log(`  ledger-0: LSO ${afterFirst.lastStableOffset}, HW ${afterFirst.highWatermark} (6 entries and the transaction's commit marker)`)

    // --- A crash mid-transaction ------------------------------------------------------------------------
    ctx.part('crash', 'The processor dies mid-transaction')
    await request(...[7, 8, 9, 10].map(payment))
    const crashedAt = cluster.clock.now()
    // settle() lets a's session time out (its partition must move); its transaction stays open.
    await cluster.settle()
    const during = ledgerState()
    const committedReads = (await readLedger(ctx, cluster, 'auditor-2', false)).length
    const uncommittedDuring = await readLedger(ctx, cluster, 'auditor-3', true)
    ctx.log('Four more requests. Processor a writes the entries of pay-7 and pay-8, then its process freezes:')
    ctx.log('no commit, no abort, no heartbeat.')
    ctx.log(`  ledger-0: LSO ${during.lastStableOffset}, HW ${during.highWatermark}: the open transaction holds the LSO at its first entry`)
    ctx.log(`  a read_committed reader stops at the LSO: ${committedReads} entries`)
    ctx.log(`  a read_uncommitted reader reads to the HW: ${show(uncommittedDuring)}`)
    ctx.log(`  ${processorGroupId} committed offset: still ${await committedOffset()}`)

    // --- Recovery ------------------------------------------------------------------------------------------------
    ctx.part('recovery', 'A new instance fences the old one and redoes the batch')
    const b = new PaymentProcessor(ctx.kafka(cluster, 'processor-b'), { name: 'b', transactionalId: TRANSACTIONAL_ID })
    ctx.defer(() => b.stop())
    await ctx.drive(cluster, b.start(), 'processor b starts')
    await ctx.until(cluster, async () => (await committedOffset()) === '10', 'processor b commits the batch')
    await cluster.settle()
    const committedLedger = await readLedger(ctx, cluster, 'auditor-4', false)
    const uncommittedLedger = await readLedger(ctx, cluster, 'auditor-5', true)
    const after = ledgerState()
    ctx.log(`Processor b starts with the same transactional id. It joins the group once a's session expires`)
    ctx.log(`(${cluster.clock.now() - crashedAt} ms later), registers the transactional id (fencing a: a new producer epoch, and a's`)
    ctx.log(`open transaction aborted), and processes pay-7..pay-10 from the committed offset, in one transaction.`)
    ctx.log(`  ledger (read_committed):   ${show(committedLedger)}`)
    ctx.log(`  ledger (read_uncommitted): ${show(uncommittedLedger)}`)
    ctx.log(`  ${processorGroupId} committed offset: ${await committedOffset()}; ledger-0: LSO ${after.lastStableOffset}, HW ${after.highWatermark}`)
    ctx.log('Every payment is in the committed ledger exactly once. The aborted pay-7(a) and pay-8(a) are')
    ctx.log('still in the log (a read_uncommitted reader sees them), but read_committed readers skip them.')

    // --- The zombie --------------------------------------------------------------------------------------------------
    ctx.part('zombie', 'The old instance wakes up: a fenced zombie')
    cluster.resumeClient('processor-a')
    wake()
    await ctx.until(cluster, () => zombieError !== 'none', 'the zombie fails')
    ctx.log('Processor a resumes where it froze and sends pay-9\'s entry in its old transaction:')
    ctx.log(`  ${zombieError}`)
    ctx.log('Its producer epoch is older than the one b registered: nothing it sends can be committed.')
    await ctx.drive(cluster, a.stop(), 'processor a stops')

    ctx.part('story', 'The transactions, from the timeline')
    ctx.story(cluster, { types: ['txnBegun', 'txnEnded', 'producerFenced'] })

    return {
      requests,
      committedLedger,
      uncommittedLedger,
      duringCrash: { committedReads, uncommittedReads: uncommittedDuring.length, ...during },
      committedOffset: await committedOffset(),
      zombieError,
    }
  },
})

/** The whole ledger as a new group reads it, read_committed (kafkajs's default) or not. */
async function readLedger(ctx: ExampleContext, cluster: Cluster, groupId: string, readUncommitted: boolean): Promise<LedgerEntry[]> {
  const consumer = ctx.kafka(cluster, groupId).consumer({ groupId, readUncommitted })
  const entries: LedgerEntry[] = []
  await consumer.connect()
  await consumer.subscribe({ topics: [Topics.ledger], fromBeginning: true })
  await consumer.run({ eachMessage: async ({ message }) => void entries.push(JSON.parse(message.value!.toString()) as LedgerEntry) })
  // Until the reader has committed its way to the end it can read (the LSO for read_committed).
  // Not settle(): with a transaction open, settle() would wait it out (transaction.timeout.ms).
  const p = cluster.describe().topics.find((t) => t.name === Topics.ledger)!.partitions[0]!
  const end = readUncommitted ? p.highWatermark : p.lastStableOffset
  const committed = (): number => cluster.describe().groups.find((g) => g.groupId === groupId)?.offsets.find((o) => o.topic === Topics.ledger)?.committedOffset ?? -1
  await ctx.until(cluster, () => end === 0 || committed() >= end, `${groupId} reads the ledger`, { stepMs: 1, maxMs: 1_000 })
  await consumer.disconnect()
  return entries
}

/** The Kafka error type at the bottom of a kafkajs error's cause chain, else its message. */
function errorType(error: unknown): string {
  const e = error as { message?: string; type?: string; cause?: unknown }
  return e.type ?? (e.cause ? errorType(e.cause) : (e.message ?? String(error)))
}

export default example

await runIfMain(import.meta.url, example)
