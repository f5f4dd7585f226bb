/**
 * Concept 4: replication.
 *
 * Each partition has one leader and some followers that copy its log. The in-sync replicas
 * (ISR) are the leader and the followers that kept up within replica.lag.time.max.ms; the high
 * watermark (HW) is the offset every ISR member has reached, and only records below it are
 * committed and readable. With acks=all a write is acknowledged once it is below the HW, and
 * min.insync.replicas refuses writes when too few replicas would hold them: then no
 * acknowledged write is lost while one ISR member survives. With acks=1 the leader acknowledges
 * alone, and a leader that dies before its followers fetched takes the write with it.
 *
 *   npm run example -- replication
 */
import type { Cluster } from '../../src/index.js'
import { defineExample } from '../kit/example.js'
import { runIfMain } from '../kit/cli.js'

export interface PartitionState {
  readonly leader: number
  readonly leaderEpoch: number
  readonly isr: number[]
  readonly highWatermark: number
  readonly logEndOffset: number
}

export interface ReplicationResult {
  readonly initial: PartitionState
  /** How long the acks=all send waited for the stalled follower to leave the ISR. */
  readonly ackWaitedMs: number
  readonly afterShrink: PartitionState
  readonly afterFailover: PartitionState
  /** What a consumer reads from payments after the failover, and what was acknowledged. */
  readonly paymentsAcknowledged: string[]
  readonly paymentsRead: string[]
  /** The error a send got while the ISR was smaller than min.insync.replicas. */
  readonly notEnoughReplicasError: string
  readonly afterRecovery: PartitionState
  /** clicks: acknowledged with acks=1, and what survived the leader's crash. */
  readonly clicksAcknowledged: string[]
  readonly clicksRead: string[]
  readonly truncations: { brokerId: number; from: number; to: number }[]
}

const LAG_MAX_MS = 2_000

const example = defineExample<ReplicationResult>({
  name: 'replication',
  title: 'Replication: leaders, followers, ISR and the high watermark',
  async run(ctx) {
    // A follower that has not caught up for 2 s leaves the ISR (Kafka's default is 30 s).
    const cluster = ctx.cluster({ brokers: 3, seed: 4, brokerConfig: { 'replica.lag.time.max.ms': LAG_MAX_MS } })
    const kafka = ctx.kafka(cluster, 'payments-app')
    const admin = kafka.admin()
    const producer = kafka.producer()
    await admin.connect()
    await producer.connect()
    ctx.defer(() => admin.disconnect())
    ctx.defer(() => producer.disconnect())
    // Replicas on brokers 0, 1, 2 in that order: broker 0 is the preferred (first) leader.
    await admin.createTopics({
      topics: [
        { topic: 'payments', replicaAssignment: [{ partition: 0, replicas: [0, 1, 2] }], configEntries: [{ name: 'min.insync.replicas', value: '2' }] },
        { topic: 'clicks', replicaAssignment: [{ partition: 0, replicas: [0, 1, 2] }] },
      ],
    })
    const state = (topic: string): PartitionState => {
      const p = cluster.describe().topics.find((t) => t.name === topic)!.partitions[0]!
      return { leader: p.leader, leaderEpoch: p.leaderEpoch, isr: p.isr, highWatermark: p.highWatermark, logEndOffset: p.logEndOffset }
    }
    const line = (topic: string): string => partitionLine(cluster, topic)
    const acknowledged: string[] = []
    const pay = async (...values: string[]): Promise<void> => {
      await producer.send({ topic: 'payments', acks: -1, messages: values.map((value) => ({ value })) })
      acknowledged.push(...values)
    }

    // --- Leader, followers, ISR, HW ----------------------------------------------------------------
    ctx.part('in-sync', 'One leader, two followers, all in sync')
    await pay('pay-1', 'pay-2', 'pay-3')
    const initial = state('payments')
    ctx.log('payments-0 has replicas on brokers 0, 1, 2; three payments sent with acks=all:')
    ctx.log(`  ${line('payments')}`)
    ctx.log('Every replica holds offsets 0-2, so the high watermark is 3: all three are committed.')

    // --- A follower falls behind ---------------------------------------------------------------
    ctx.part('isr-shrinks', 'A follower stalls: acks=all waits, then the ISR shrinks')
    cluster.pauseReplication(2)
    const start = cluster.clock.now()
    const sending = pay('pay-4', 'pay-5')
    await cluster.advance(1_000)
    ctx.log('Broker 2 stops fetching. pay-4 and pay-5 are in the leader\'s log, but not acknowledged yet:')
    ctx.log(`  ${line('payments')}`)
    await ctx.drive(cluster, sending, 'pay-4 and pay-5 acknowledged')
    const ackWaitedMs = cluster.clock.now() - start
    const afterShrink = state('payments')
    ctx.log(`After replica.lag.time.max.ms (${LAG_MAX_MS} ms) the leader drops broker 2 from the ISR; the HW moves`)
    ctx.log(`and the send is acknowledged, ${ackWaitedMs} ms after it started (2 in sync = min.insync.replicas):`)
    ctx.log(`  ${line('payments')}`)

    // --- The leader dies ---------------------------------------------------------------------------
    ctx.part('leader-dies', 'The leader crashes: a follower from the ISR takes over')
    const crashedAt = cluster.clock.now()
    cluster.stopBroker(0, { crash: true })
    ctx.log(`t=${crashedAt}: broker 0, the leader, crashes.`)
    await ctx.until(cluster, () => state('payments').leader !== 0, 'a new leader for payments-0')
    const afterFailover = state('payments')
    ctx.log(`t=${cluster.clock.now()}: the controller missed its heartbeats for broker.session.timeout.ms, fenced it, and`)
    ctx.log('elected broker 1, the ISR member left (broker 2 is out of sync and may not lead):')
    ctx.log(`  ${line('payments')}`)
    const paymentsRead = await readAll(ctx, cluster, 'payments', 'auditor-1')
    ctx.log(`A consumer reads: ${paymentsRead.join(' ')}`)
    ctx.log('Every acknowledged payment is there: acks=all waited until a surviving replica had each one.')
    ctx.log()
    // One in-sync replica left, and min.insync.replicas is 2: acks=all writes are refused.
    const strict = ctx.kafka(cluster, 'strict-writer', { retry: { retries: 0 } }).producer()
    await strict.connect()
    ctx.defer(() => strict.disconnect())
    let notEnoughReplicasError = 'none'
    try {
      await strict.send({ topic: 'payments', acks: -1, messages: [{ value: 'pay-refused' }] })
    } catch (error) {
      notEnoughReplicasError = errorType(error)
    }
    ctx.log(`With the ISR down to broker 1 alone, a send with acks=all fails: ${notEnoughReplicasError}`)
    ctx.log('(nothing is written: a write only one replica holds could be lost the same way).')
    cluster.resumeReplication(2)
    await cluster.advance(0)
    cluster.startBroker(0)
    await ctx.until(cluster, () => state('payments').isr.length === 3, 'every replica back in sync')
    await ctx.drive(cluster, pay('pay-6'), 'pay-6 acknowledged')
    const afterRecovery = state('payments')
    ctx.log('Broker 2 fetches again and broker 0 restarts; both catch up and rejoin the ISR:')
    ctx.log(`  ${line('payments')}`)

    // --- acks=1 loses a write ------------------------------------------------------------------------
    ctx.part('acks-1-loss', 'acks=1: the leader acknowledges alone, and a crash loses the write')
    const clicksAcknowledged: string[] = []
    const click = async (value: string): Promise<void> => {
      await producer.send({ topic: 'clicks', acks: 1, messages: [{ value }] })
      clicksAcknowledged.push(value)
    }
    await click('click-1')
    await click('click-2')
    await cluster.advance(0)
    ctx.log(`clicks-0 is led by broker ${state('clicks').leader}; click-1 and click-2 are replicated:`)
    ctx.log(`  ${line('clicks')}`)
    const leader = state('clicks').leader
    const followers = [0, 1, 2].filter((id) => id !== leader)
    for (const id of followers) cluster.pauseReplication(id)
    await click('click-3')
    ctx.log('The followers fall behind. click-3 is sent with acks=1 and acknowledged by the leader alone:')
    ctx.log(`  ${line('clicks')}`)
    cluster.stopBroker(leader, { crash: true })
    await ctx.until(cluster, () => state('clicks').leader !== leader, 'a new leader for clicks-0')
    for (const id of followers) cluster.resumeReplication(id)
    ctx.log(`Broker ${leader} crashes before they fetch it. Broker ${state('clicks').leader}, in the ISR, takes over without click-3:`)
    ctx.log(`  ${line('clicks')}`)
    await ctx.drive(cluster, click('click-4'), 'click-4 acknowledged')
    cluster.startBroker(leader)
    await ctx.until(cluster, () => state('clicks').isr.length === 3, `broker ${leader} back in sync`)
    const truncations = cluster.timeline({ types: ['truncated'] }).flatMap((e) => (e.type === 'truncated' && e.topic === 'clicks' ? [{ brokerId: e.brokerId, from: e.from, to: e.to }] : []))
    ctx.log(`Broker ${leader} restarts, finds its log diverged from the new leader epoch, and truncates it:`)
    for (const t of truncations) ctx.log(`  broker ${t.brokerId}: log end ${t.from} -> ${t.to}`)
    ctx.log(`  ${line('clicks')}`)
    const clicksRead = await readAll(ctx, cluster, 'clicks', 'auditor-2')
    ctx.log(`Acknowledged: ${clicksAcknowledged.join(' ')}`)
    ctx.log(`Read back:    ${clicksRead.join(' ')}`)
    ctx.log('click-3 was acknowledged and is gone; click-4 now has its offset. With acks=all it would')
    ctx.log('not have been acknowledged until a follower had it.')

    // --- The story -------------------------------------------------------------------------------------
    ctx.part('story', "What the cluster's timeline says happened")
    ctx.story(cluster, { types: ['brokerStopped', 'brokerStarted', 'brokerFenced', 'brokerUnfenced', 'leaderElected', 'partitionOffline', 'isrChanged', 'truncated'] })

    return {
      initial,
      ackWaitedMs,
      afterShrink,
      afterFailover,
      paymentsAcknowledged: acknowledged,
      paymentsRead,
      notEnoughReplicasError,
      afterRecovery,
      clicksAcknowledged,
      clicksRead,
      truncations,
    }
  },
})

/** "payments-0  leader 0 (epoch 0)  ISR 0,1,2  HW 3  LEO 3  replicas 0:3 1:3 2:3*" (* = out of sync, ! = down). */
function partitionLine(cluster: Cluster, topic: string): string {
  const d = cluster.describe()
  const p = d.topics.find((t) => t.name === topic)!.partitions[0]!
  const down = new Set(d.brokers.filter((b) => !b.running).map((b) => b.id))
  const replicas = p.replicaStates.map((r) => `${r.brokerId}:${r.logEndOffset}${down.has(r.brokerId) ? '!' : r.inSync ? '' : '*'}`).join(' ')
  return `${topic}-0  leader ${p.leader === -1 ? 'none' : p.leader} (epoch ${p.leaderEpoch})  ISR ${p.isr.join(',')}  HW ${p.highWatermark}  LEO ${p.logEndOffset}  replica LEOs ${replicas}`
}

/** Everything a new group reads from the start of the topic. */
async function readAll(ctx: Parameters<typeof example.run>[0], cluster: Cluster, topic: string, groupId: string): Promise<string[]> {
  const consumer = ctx.kafka(cluster, groupId).consumer({ groupId })
  const values: string[] = []
  await consumer.connect()
  await consumer.subscribe({ topics: [topic], fromBeginning: true })
  await consumer.run({ eachMessage: async ({ message }) => void values.push(message.value!.toString()) })
  await cluster.settle()
  await consumer.disconnect()
  return values
}

function errorType(error: unknown): string {
  const e = error as { name?: string; type?: string; cause?: unknown }
  return e.type ?? (e.cause ? errorType(e.cause) : (e.name ?? String(error)))
}

export default example

await runIfMain(import.meta.url, example)
