/**
 * A consumer whose process hangs (cluster.pauseClient) stops heartbeating: the coordinator
 * expels it after its session timeout, its partitions move to the live member, and when it
 * wakes up its late commit is refused and it rejoins.
 */
import { describe, it, expect } from 'vitest'
import { Cluster, ManualClock, logLevel } from '../../../src/index.js'

describe('a hung consumer (cluster.pauseClient)', () => {
  it('is expelled after session.timeout.ms, its partitions move, and its late commit is rejected', async () => {
    const clock = new ManualClock(0)
    const cluster = new Cluster({ clock, seed: 9, brokerConfig: { 'num.partitions': 2 } })
    const producer = cluster.kafka({ clientId: 'producer', logLevel: logLevel.NOTHING }).producer()
    await producer.connect()
    await producer.send({ topic: 'jobs', messages: [{ value: 'warm-up', partition: 0 }] })

    const seen: { who: string; partition: number; offset: string }[] = []
    const start = async (clientId: string) => {
      const consumer = cluster.kafka({ clientId, logLevel: logLevel.NOTHING }).consumer({ groupId: 'workers', sessionTimeout: 10_000, heartbeatInterval: 1_000 })
      await consumer.subscribe({ topics: ['jobs'], fromBeginning: true })
      return consumer
    }
    const zombie = await start('zombie')
    await zombie.run({ eachMessage: async ({ partition, message }) => void seen.push({ who: 'zombie', partition, offset: message.offset }) })
    await cluster.settle()
    const live = await start('live')
    const joined = live.run({ eachMessage: async ({ partition, message }) => void seen.push({ who: 'live', partition, offset: message.offset }) })
    await cluster.advance(1_000) // the zombie heartbeats, learns of the rebalance and rejoins
    await joined
    await cluster.settle()
    const generationBefore = cluster.describe().groups[0]!.generationId
    const owners = () => Object.fromEntries(cluster.describe().groups[0]!.members.map((m) => [m.clientId, m.assignment.jobs ?? []]))
    expect(Object.keys(owners()).sort()).toEqual(['live', 'zombie'])

    cluster.pauseClient('zombie')
    await cluster.advance(11_000) // past the zombie's session timeout; the live member keeps heartbeating
    await cluster.settle()
    const group = cluster.describe().groups[0]!
    expect(group.generationId).toBeGreaterThan(generationBefore)
    expect(owners()).toEqual({ live: [0, 1] })
    expect(cluster.timeline({ types: ['memberRemoved'] }).map((e) => e.type === 'memberRemoved' && e.reason)).toContain('sessionTimeout')

    await producer.send({ topic: 'jobs', messages: [{ value: 'a', partition: 0 }, { value: 'b', partition: 1 }] })
    await cluster.settle()
    expect(seen.filter((s) => s.who === 'live').map((s) => `${s.partition}:${s.offset}`)).toEqual(expect.arrayContaining(['0:1', '1:0']))

    // The zombie wakes up: its held requests are refused (UNKNOWN_MEMBER_ID), it rejoins.
    cluster.resumeClient('zombie')
    await cluster.advance(2_000)
    await cluster.settle()
    expect(Object.keys(owners()).sort()).toEqual(['live', 'zombie'])
    const committed = cluster.describe().groups[0]!.offsets.map((o) => [o.partition, o.committedOffset])
    expect(committed).toEqual([
      [0, 2],
      [1, 1],
    ])
    await Promise.all([zombie.disconnect(), live.disconnect(), producer.disconnect()])
    await cluster.close()
  })
})
