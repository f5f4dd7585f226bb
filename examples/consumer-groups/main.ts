/**
 * Concept 2: consumer groups.
 *
 * The consumers of one group share the topic's partitions: each partition belongs to exactly
 * one member, so each message is processed once by the group. A member beyond the partition
 * count gets nothing and sits idle. Another group is independent and sees every message again.
 * When a member joins, leaves, or dies (stops heartbeating for session.timeout.ms), the group
 * rebalances: a new generation, and the partitions are dealt out again.
 *
 *   npm run example -- consumer-groups
 */
import type { Consumer } from 'kafkajs'
import type { Cluster } from '../../src/index.js'
import { defineExample, type ExampleContext } from '../kit/example.js'
import { runIfMain } from '../kit/cli.js'

const TOPIC = 'orders'

export interface GroupsResult {
  /** billing's assignment after a and b joined: member -> partitions. */
  readonly twoMembers: Record<string, number[]>
  /** After c and d joined. */
  readonly fourMembers: Record<string, number[]>
  /** Every delivery: consumer, group, partition, offset. */
  readonly deliveries: { consumer: string; groupId: string; partition: number; offset: number }[]
  /** billing's generations at each step: two members, four, b left, c died. */
  readonly generations: number[]
  /** After b left. */
  readonly afterLeave: Record<string, number[]>
  /** After c died (its session timed out). */
  readonly afterDeath: Record<string, number[]>
  /** The virtual time from c's last heartbeat to its removal, in ms. */
  readonly deathNoticedAfterMs: number
  readonly produced: number
}

interface Member {
  readonly name: string
  readonly groupId: string
  readonly consumer: Consumer
}

const example = defineExample<GroupsResult>({
  name: 'consumer-groups',
  title: 'Consumer groups',
  async run(ctx) {
    const cluster = ctx.cluster({ brokers: 3, seed: 2 })
    const kafka = ctx.kafka(cluster, 'shop')
    const admin = kafka.admin()
    const producer = kafka.producer()
    await admin.connect()
    await producer.connect()
    ctx.defer(() => admin.disconnect())
    ctx.defer(() => producer.disconnect())
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 3, replicationFactor: 3 }] })

    const deliveries: GroupsResult['deliveries'] = []
    let produced = 0
    const produce = async (count: number): Promise<void> => {
      const messages = Array.from({ length: count }, () => {
        produced++
        return { key: `o-${produced}`, value: `order ${produced}` }
      })
      await producer.send({ topic: TOPIC, messages })
      await cluster.settle()
    }
    // A consumer frozen by pauseClient cannot leave; closing the cluster ends it instead.
    const frozen = new Set<string>()
    const join = async (name: string, groupId: string): Promise<Member> => {
      const member = await startMember(ctx, cluster, name, groupId, deliveries)
      ctx.defer(() => (frozen.has(name) ? undefined : member.consumer.disconnect()))
      return member
    }
    const generations: number[] = []

    // --- Partitions shared out ---------------------------------------------------------------
    ctx.part('shared', 'A group shares the partitions out')
    const a = await join('a', 'billing')
    const b = await join('b', 'billing')
    await produce(12)
    const twoMembers = assignment(cluster, 'billing')
    generations.push(generationOf(cluster, 'billing'))
    ctx.log(`Group billing has 2 members for the 3 partitions of ${TOPIC}; 12 orders were produced.`)
    for (const m of [a, b]) ctx.log(`  ${describeMember(m.name, twoMembers, deliveries.filter((d) => d.groupId === 'billing' && d.consumer === m.name))}`)
    ctx.log(`Together they processed ${deliveries.filter((d) => d.groupId === 'billing').length} messages: each one once, by the owner of its partition.`)

    // --- More consumers than partitions ------------------------------------------------------------
    ctx.part('idle', 'More consumers than partitions: someone sits idle')
    const c = await join('c', 'billing')
    const d = await join('d', 'billing')
    generations.push(generationOf(cluster, 'billing'))
    const fourMembers = assignment(cluster, 'billing')
    const before = deliveries.length
    await produce(6)
    ctx.log(`c and d joined: 4 members, 3 partitions (generation ${generationOf(cluster, 'billing')}). 6 more orders:`)
    for (const m of [a, b, c, d]) ctx.log(`  ${describeMember(m.name, fourMembers, deliveries.slice(before).filter((x) => x.consumer === m.name))}`)
    ctx.log('A partition has one owner per group, so a fourth consumer adds no throughput.')

    // --- Two groups, each sees everything --------------------------------------------------------
    ctx.part('two-groups', 'Two groups each see every message')
    await join('x', 'analytics')
    const billingCount = deliveries.filter((e) => e.groupId === 'billing').length
    const analyticsCount = deliveries.filter((e) => e.groupId === 'analytics').length
    ctx.log(`Group analytics (one consumer, x) started from the beginning of ${TOPIC}.`)
    ctx.log(`  billing   processed ${billingCount} of ${produced} orders (shared by its members)`)
    ctx.log(`  analytics processed ${analyticsCount} of ${produced} orders (all of them, on its own)`)
    ctx.log('Each group keeps its own committed offsets:')
    for (const groupId of ['analytics', 'billing']) {
      const [offsets] = await admin.fetchOffsets({ groupId, topics: [TOPIC] })
      ctx.log(`  ${groupId.padEnd(9)} ${offsets!.partitions.sort((p, q) => p.partition - q.partition).map((p) => `${TOPIC}-${p.partition} @ ${p.offset}`).join(', ')}`)
    }

    // --- Rebalances ------------------------------------------------------------------------------
    ctx.part('rebalance', 'A member leaves, a member dies: the group rebalances')
    const storyFrom = cluster.clock.now()
    // A clean shutdown sends LeaveGroup: the group rebalances at the others' next heartbeat.
    await b.consumer.disconnect()
    await ctx.until(cluster, () => stableWithout(cluster, 'billing', 'b'), 'billing rebalances without b')
    await cluster.settle()
    generations.push(generationOf(cluster, 'billing'))
    const afterLeave = assignment(cluster, 'billing')
    ctx.log(`b disconnected (LeaveGroup). Generation ${generationOf(cluster, 'billing')}: ${formatAssignment(afterLeave)}`)
    // A crash sends nothing: c's process freezes, its heartbeats stop, and the coordinator
    // waits session.timeout.ms (6 s here) before it gives c's partitions to the others.
    const diedAt = cluster.clock.now()
    cluster.pauseClient('c')
    frozen.add('c')
    await ctx.until(cluster, () => stableWithout(cluster, 'billing', 'c'), 'billing notices c is dead')
    const removal = cluster.timeline({ types: ['memberRemoved'] }).at(-1)!
    const deathNoticedAfterMs = removal.time - diedAt
    await cluster.settle()
    generations.push(generationOf(cluster, 'billing'))
    const afterDeath = assignment(cluster, 'billing')
    ctx.log(`c froze at t=${diedAt} (no LeaveGroup). Generation ${generationOf(cluster, 'billing')}: ${formatAssignment(afterDeath)}`)
    const beforeLast = deliveries.length
    await produce(6)
    ctx.log(`6 more orders went to the survivors: ${['a', 'd'].map((n) => `${n} got ${deliveries.slice(beforeLast).filter((x) => x.consumer === n).length}`).join(', ')}.`)
    ctx.log()
    ctx.log("billing's story (cluster.story()):")
    ctx.story(cluster, { since: storyFrom, types: ['memberJoined', 'memberRemoved', 'groupStateChanged', 'rebalanced'] })

    return { twoMembers, fourMembers, deliveries, generations, afterLeave, afterDeath, deathNoticedAfterMs, produced }
  },
})

/** A consumer of `groupId`, running; resolves once the group is Stable with it in. */
async function startMember(ctx: ExampleContext, cluster: Cluster, name: string, groupId: string, deliveries: GroupsResult['deliveries']): Promise<Member> {
  // Heartbeats every second and a 6 s session (the broker's minimum) keep the rebalances short.
  const consumer = ctx.kafka(cluster, name).consumer({ groupId, heartbeatInterval: 1_000, sessionTimeout: 6_000 })
  await consumer.connect()
  await consumer.subscribe({ topics: [TOPIC], fromBeginning: true })
  // run() resolves once this member has joined, which takes the others' next heartbeat.
  const running = consumer.run({
    eachMessage: async ({ partition, message }) => {
      deliveries.push({ consumer: name, groupId, partition, offset: Number(message.offset) })
    },
  })
  await ctx.drive(cluster, running, `${name} joins ${groupId}`)
  await ctx.until(cluster, () => stableWith(cluster, groupId, name), `${groupId} is Stable with ${name}`)
  await cluster.settle()
  return { name, groupId, consumer }
}

function group(cluster: Cluster, groupId: string) {
  return cluster.describe().groups.find((g) => g.groupId === groupId)
}

function generationOf(cluster: Cluster, groupId: string): number {
  return group(cluster, groupId)?.generationId ?? -1
}

function stableWith(cluster: Cluster, groupId: string, clientId: string): boolean {
  const g = group(cluster, groupId)
  return g?.state === 'Stable' && g.members.some((m) => m.clientId === clientId)
}

function stableWithout(cluster: Cluster, groupId: string, clientId: string): boolean {
  const g = group(cluster, groupId)
  return g?.state === 'Stable' && !g.members.some((m) => m.clientId === clientId)
}

/** Member (by client id) -> the partitions of TOPIC it owns now. */
function assignment(cluster: Cluster, groupId: string): Record<string, number[]> {
  const out: Record<string, number[]> = {}
  for (const m of group(cluster, groupId)?.members ?? []) out[m.clientId] = [...(m.assignment[TOPIC] ?? [])].sort((x, y) => x - y)
  return Object.fromEntries(Object.entries(out).sort(([x], [y]) => x.localeCompare(y)))
}

function formatAssignment(owned: Record<string, number[]>): string {
  return Object.entries(owned)
    .map(([member, partitions]) => `${member} owns ${partitions.length === 0 ? 'nothing' : partitions.map((p) => `${TOPIC}-${p}`).join(',')}`)
    .join('; ')
}

function describeMember(name: string, owned: Record<string, number[]>, got: { partition: number }[]): string {
  const partitions = owned[name] ?? []
  const where = partitions.length === 0 ? 'no partition (idle)' : partitions.map((p) => `${TOPIC}-${p}`).join(', ')
  return `${name} owns ${where.padEnd(20)} and processed ${got.length} message${got.length === 1 ? '' : 's'}`
}

export default example

await runIfMain(import.meta.url, example)
