/**
 * Group-level invariants of the consumer, over generated clusters (fast-check):
 * - assignment: after the group settles, every partition of the topic belongs to exactly one
 *   member, and exactly min(members, partitions) members own something (KAFKA-SEMANTICS.md:
 *   "a partition belongs to at most one member per generation; members beyond the partition
 *   count get nothing");
 * - delivery: a stable group receives every message exactly once, whatever other groups do
 *   ("different groups each receive every message"); a group that forms while the data is
 *   already there loses nothing;
 * - order: within a partition, messages arrive in offset order with no gaps (invariant 12).
 *
 * Every run uses a ManualClock, so it is reproducible from fast-check's seed, and virtual time
 * is stepped by heartbeatInterval until the group is Stable (a member notices a rebalance at
 * its next heartbeat, as with kafkajs).
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Cluster, ManualClock, logLevel, type Consumer, type ConsumerRunConfig } from '../../../src/index.js'

const HEARTBEAT = 1_000
const memberConfig = (groupId: string) => ({ groupId, heartbeatInterval: HEARTBEAT, sessionTimeout: 30_000 })

interface World {
  cluster: Cluster
  consumers: Consumer[]
  producer: ReturnType<ReturnType<Cluster['kafka']>['producer']>
  close(): Promise<void>
}

async function world(topic: string, partitions: number, seed: number): Promise<World & { kafka: ReturnType<Cluster['kafka']> }> {
  const cluster = new Cluster({ brokers: 3, seed, clock: new ManualClock(0) })
  const kafka = cluster.kafka({ clientId: 'p', logLevel: logLevel.NOTHING })
  const admin = kafka.admin()
  await admin.connect()
  await admin.createTopics({ topics: [{ topic, numPartitions: partitions, replicationFactor: 3 }] })
  await admin.disconnect()
  const producer = kafka.producer()
  await producer.connect()
  const consumers: Consumer[] = []
  return {
    cluster,
    kafka,
    consumers,
    producer,
    async close() {
      for (const c of consumers) await c.disconnect()
      await producer.disconnect()
      await cluster.close()
    },
  }
}

/**
 * Starts `count` members of `groupId` at once and steps virtual time until the group is Stable
 * with all of them and every run() has returned; then settles.
 */
async function startGroup(
  w: World & { kafka: ReturnType<Cluster['kafka']> },
  groupId: string,
  topic: string,
  count: number,
  run: (member: number) => ConsumerRunConfig,
): Promise<Consumer[]> {
  const members: Consumer[] = []
  const runs: Promise<void>[] = []
  for (let i = 0; i < count; i++) {
    const c = w.kafka.consumer(memberConfig(groupId))
    w.consumers.push(c)
    members.push(c)
    await c.connect()
    await c.subscribe({ topics: [topic], fromBeginning: true })
    runs.push(c.run(run(i)))
  }
  let returned = 0
  for (const r of runs) void r.then(() => returned++)
  const describeGroup = () => w.cluster.describe().groups.find((g) => g.groupId === groupId)
  for (let step = 0; ; step++) {
    const g = describeGroup()
    if (returned === count && g?.state === 'Stable' && g.members.length === count) break
    if (step > 100) throw new Error(`group ${groupId} did not stabilise: ${JSON.stringify(g)}`)
    await w.cluster.advance(HEARTBEAT)
  }
  await w.cluster.settle()
  return members
}

describe('assignment', () => {
  /** Checks the group's assignment after settle; returns the number of idle members. */
  async function assignmentOf(partitions: number, members: number, seed: number) {
    const w = await world('t', partitions, seed)
    try {
      await startGroup(w, 'g', 't', members, () => ({ eachMessage: async () => {} }))
      const group = w.cluster.describe().groups[0]!
      expect(group.state).toBe('Stable')
      expect(group.members).toHaveLength(members)
      const owned = group.members.flatMap((m) => m.assignment.t ?? [])
      // Every partition exactly once.
      expect([...owned].sort((a, b) => a - b)).toEqual(Array.from({ length: partitions }, (_, i) => i))
      const busy = group.members.filter((m) => (m.assignment.t ?? []).length > 0).length
      expect(busy).toBe(Math.min(members, partitions))
      // Round-robin is balanced: shares differ by at most one.
      const shares = group.members.map((m) => (m.assignment.t ?? []).length)
      expect(Math.max(...shares) - Math.min(...shares)).toBeLessThanOrEqual(1)
      // Only assigned topics appear in assignments.
      for (const m of group.members) expect(Object.keys(m.assignment).every((topic) => topic === 't')).toBe(true)
      return members - busy
    } finally {
      await w.close()
    }
  }

  it('10 partitions and 15 consumers: every partition owned once, 5 members idle', async () => {
    expect(await assignmentOf(10, 15, 1)).toBe(5)
  })

  it('for any partitions 1..12 and consumers 1..15, every partition has exactly one owner and min(members, partitions) are busy', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 15 }), fc.integer({ min: 1, max: 1_000 }), async (partitions, members, seed) => {
        const idle = await assignmentOf(partitions, members, seed)
        expect(idle).toBe(Math.max(0, members - partitions))
      }),
      { numRuns: 200 },
    )
  })

  it('through any sequence of joins and leaves, the members present own every partition exactly once, and each change bumps the generation', async () => {
    const op = fc.oneof(fc.constant({ kind: 'join' as const }), fc.record({ kind: fc.constant('leave' as const), which: fc.nat() }))
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 8 }), fc.array(op, { minLength: 1, maxLength: 8 }), fc.integer({ min: 1, max: 1_000 }), async (partitions, ops, seed) => {
        const w = await world('t', partitions, seed)
        try {
          const live: Consumer[] = []
          const pending = new Set<Promise<void>>()
          let lastGeneration = 0
          for (const o of ops) {
            if (o.kind === 'join') {
              const c = w.kafka.consumer(memberConfig('g'))
              w.consumers.push(c)
              live.push(c)
              await c.connect()
              await c.subscribe({ topics: ['t'], fromBeginning: true })
              const running = c.run({ eachMessage: async () => {} })
              pending.add(running)
              void running.then(() => pending.delete(running))
            } else {
              if (live.length === 0) continue
              const [gone] = live.splice(o.which % live.length, 1)
              await gone!.disconnect()
            }
            const group = () => w.cluster.describe().groups.find((g) => g.groupId === 'g')!
            for (let step = 0; ; step++) {
              const g = group() as ReturnType<typeof group> | undefined
              const done = live.length === 0 ? g?.state === 'Empty' : g?.state === 'Stable' && g.members.length === live.length && pending.size === 0
              if (done) break
              if (step > 100) throw new Error(`group did not stabilise: ${JSON.stringify(g)}`)
              await w.cluster.advance(HEARTBEAT)
            }
            await w.cluster.settle()
            const g = group()
            expect(g.generationId).toBeGreaterThan(lastGeneration)
            lastGeneration = g.generationId
            expect(g.members).toHaveLength(live.length)
            if (live.length > 0) {
              const owned = g.members.flatMap((m) => m.assignment.t ?? []).sort((a, b) => a - b)
              expect(owned).toEqual(Array.from({ length: partitions }, (_, i) => i))
              expect(g.members.filter((m) => (m.assignment.t ?? []).length > 0)).toHaveLength(Math.min(live.length, partitions))
            }
          }
        } finally {
          await w.close()
        }
      }),
      { numRuns: 40 },
    )
  })
})

/** A produced message, as the test remembers it. */
interface Sent {
  partition: number
  value: string
}

const sendsArbitrary = (maxPartitions: number) =>
  fc.array(
    fc.array(
      fc.record({ partition: fc.integer({ min: 0, max: maxPartitions - 1 }), value: fc.string({ maxLength: 6 }) }),
      { minLength: 1, maxLength: 8 },
    ),
    { minLength: 1, maxLength: 6 },
  )

describe('delivery', () => {
  it('every stable group receives every message produced to it exactly once', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 6 }),
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }),
        sendsArbitrary(6),
        fc.integer({ min: 1, max: 1_000 }),
        async (partitions, groupSizes, rounds, seed) => {
          const w = await world('t', partitions, seed)
          try {
            const received = groupSizes.map(() => [] as string[])
            for (const [g, size] of groupSizes.entries()) {
              await startGroup(w, `g${g}`, 't', size, () => ({
                eachMessage: async ({ message }) => void received[g]!.push(message.value!.toString()),
              }))
            }
            const sent: string[] = []
            let n = 0
            for (const round of rounds) {
              const messages = round.map((m) => ({ partition: m.partition % partitions, value: `${n++}:${m.value}` }))
              sent.push(...messages.map((m) => m.value))
              await w.producer.send({ topic: 't', messages })
              await w.cluster.settle()
            }
            for (const r of received) expect([...r].sort()).toEqual([...sent].sort())
            // And each group's committed offsets cover the whole log.
            for (const g of w.cluster.describe().groups) {
              for (const o of g.offsets) expect(o.lag).toBe(0)
            }
          } finally {
            await w.close()
          }
        },
      ),
      { numRuns: 60 },
    )
  })

  it('a group that forms after the data was written receives every message (at least once)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 5 }), sendsArbitrary(6), fc.integer({ min: 1, max: 1_000 }), async (partitions, size, rounds, seed) => {
        const w = await world('t', partitions, seed)
        try {
          const sent: Sent[] = []
          let n = 0
          for (const round of rounds) {
            const messages = round.map((m) => ({ partition: m.partition % partitions, value: `${n++}:${m.value}` }))
            sent.push(...messages)
            await w.producer.send({ topic: 't', messages })
          }
          const received: string[] = []
          await startGroup(w, 'g', 't', size, () => ({ eachMessage: async ({ message }) => void received.push(message.value!.toString()) }))
          // Rebalances while the members formed may redeliver, never lose.
          expect(new Set(received)).toEqual(new Set(sent.map((s) => s.value)))
        } finally {
          await w.close()
        }
      }),
      { numRuns: 60 },
    )
  })
})

describe('order', () => {
  it('within a partition, messages arrive in offset order with no gaps (eachMessage or eachBatch, any batch size)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }),
        sendsArbitrary(4),
        fc.constantFrom('eachMessage' as const, 'eachBatch' as const),
        fc.constantFrom(1, 64, 1_048_576),
        fc.boolean(),
        fc.integer({ min: 1, max: 1_000 }),
        async (partitions, rounds, mode, maxBytesPerPartition, settleBetween, seed) => {
          const w = await world('t', partitions, seed)
          try {
            const delivered = new Map<number, { offset: string; value: string }[]>()
            const record = (partition: number, offset: string, value: string) => {
              const list = delivered.get(partition) ?? []
              list.push({ offset, value })
              delivered.set(partition, list)
            }
            const c = w.kafka.consumer({ ...memberConfig('g'), maxBytesPerPartition })
            w.consumers.push(c)
            await c.connect()
            await c.subscribe({ topics: ['t'], fromBeginning: true })
            await c.run(
              mode === 'eachMessage'
                ? { eachMessage: async ({ partition, message }) => record(partition, message.offset, message.value!.toString()) }
                : { eachBatch: async ({ batch }) => batch.messages.forEach((m) => record(batch.partition, m.offset, m.value!.toString())) },
            )
            await w.cluster.settle()

            const sent = new Map<number, string[]>()
            let n = 0
            for (const round of rounds) {
              const messages = round.map((m) => ({ partition: m.partition % partitions, value: `${n++}:${m.value}` }))
              for (const m of messages) sent.set(m.partition, [...(sent.get(m.partition) ?? []), m.value])
              await w.producer.send({ topic: 't', messages })
              if (settleBetween) await w.cluster.settle()
            }
            await w.cluster.settle()

            for (let p = 0; p < partitions; p++) {
              const got = delivered.get(p) ?? []
              const want = sent.get(p) ?? []
              expect(got.map((d) => d.offset)).toEqual(want.map((_, i) => String(i)))
              expect(got.map((d) => d.value)).toEqual(want)
            }
          } finally {
            await w.close()
          }
        },
      ),
      { numRuns: 80 },
    )
  })

  it('a handler failure redelivers the failed message at once: per partition, the deliveries with immediate repeats collapsed are 0..n-1', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 3 }),
        sendsArbitrary(3),
        fc.array(fc.nat(), { maxLength: 6 }),
        fc.integer({ min: 1, max: 1_000 }),
        async (partitions, rounds, failurePicks, seed) => {
          const w = await world('t', partitions, seed)
          try {
            const sent: Sent[] = []
            let n = 0
            for (const round of rounds) {
              const messages = round.map((m) => ({ partition: m.partition % partitions, value: `${n++}:${m.value}` }))
              sent.push(...messages)
              await w.producer.send({ topic: 't', messages })
            }
            // Fail once on some messages, by value.
            const failOnce = new Set(failurePicks.map((i) => sent[i % sent.length]!.value))
            const delivered = new Map<number, string[]>()
            const failedAt = new Map<number, string[]>()
            const c = w.kafka.consumer({ ...memberConfig('g'), retry: { retries: 20, initialRetryTime: 100, maxRetryTime: 100 } })
            w.consumers.push(c)
            await c.connect()
            await c.subscribe({ topics: ['t'], fromBeginning: true })
            await c.run({
              eachMessage: async ({ partition, message }) => {
                delivered.set(partition, [...(delivered.get(partition) ?? []), message.offset])
                const value = message.value!.toString()
                if (failOnce.delete(value)) {
                  failedAt.set(partition, [...(failedAt.get(partition) ?? []), message.offset])
                  throw new Error(`fail once on ${value}`)
                }
              },
            })
            const total = () => [...delivered.values()].reduce((sum, l) => sum + new Set(l).size, 0)
            for (let step = 0; total() < sent.length || failOnce.size > 0; step++) {
              if (step > 500) throw new Error('consumer did not catch up')
              await w.cluster.advance(100)
            }
            await w.cluster.advance(100)
            await w.cluster.settle()

            for (let p = 0; p < partitions; p++) {
              const got = delivered.get(p) ?? []
              const count = sent.filter((m) => m.partition === p).length
              const collapsed = got.filter((offset, i) => i === 0 || offset !== got[i - 1])
              expect(collapsed).toEqual(Array.from({ length: count }, (_, i) => String(i)))
              // Every repeat is the redelivery of a failed message, and there is one per failure.
              const repeats = got.filter((offset, i) => i > 0 && offset === got[i - 1])
              expect(repeats).toEqual(failedAt.get(p) ?? [])
            }
            expect(w.cluster.describe().groups[0]!.offsets.every((o) => o.lag === 0)).toBe(true)
          } finally {
            await w.close()
          }
        },
      ),
      { numRuns: 60 },
    )
  })
})

