/**
 * Virtual time: with a ManualClock the whole exchange runs without real waiting, timers fire
 * only when the test advances the clock, and a seed replays the same run.
 */
import { describe, it, expect } from 'vitest'
import { Cluster, ManualClock, logLevel } from '../../src/index.js'

async function scenario(seed: number): Promise<{ offsets: string[]; partitions: number[]; events: string[] }> {
  const clock = new ManualClock(1_700_000_000_000)
  const cluster = new Cluster({ brokers: 3, seed, clock, brokerConfig: { 'num.partitions': 3 } })
  const kafka = cluster.kafka({ clientId: 'virtual', logLevel: logLevel.NOTHING })
  const producer = kafka.producer()
  await producer.connect()
  const consumer = kafka.consumer({ groupId: 'g' })
  await consumer.subscribe({ topics: ['events'], fromBeginning: true })
  const offsets: string[] = []
  const partitions: number[] = []
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      offsets.push(message.offset)
      partitions.push(partition)
    },
  })
  for (let i = 0; i < 10; i++) await producer.send({ topic: 'events', messages: [{ value: `v${i}` }] })
  await cluster.settle()
  await cluster.advance(10_000)
  await consumer.disconnect()
  await producer.disconnect()
  const events = cluster.timeline().map((e) => `${e.time - 1_700_000_000_000}:${e.type}`)
  await cluster.close()
  return { offsets, partitions, events }
}

describe('a cluster on a ManualClock', () => {
  it('delivers without time passing, and heartbeats only when time is advanced', async () => {
    const clock = new ManualClock(0)
    const cluster = new Cluster({ clock, seed: 5 })
    const kafka = cluster.kafka({ logLevel: logLevel.NOTHING })
    const producer = kafka.producer()
    await producer.connect()
    await producer.send({ topic: 'a', messages: [{ value: 'one' }] })
    const consumer = kafka.consumer({ groupId: 'g', heartbeatInterval: 1000 })
    const heartbeats: number[] = []
    consumer.on(consumer.events.HEARTBEAT, (e) => void heartbeats.push(e.timestamp))
    await consumer.subscribe({ topics: ['a'], fromBeginning: true })
    const seen: string[] = []
    await consumer.run({ eachMessage: async ({ message }) => void seen.push(message.value!.toString()) })
    await cluster.settle()
    expect(seen).toEqual(['one'])
    expect(clock.now()).toBe(0)
    expect(heartbeats).toEqual([])
    await cluster.advance(3500)
    expect(heartbeats).toEqual([1000, 2000, 3000])
    await producer.send({ topic: 'a', messages: [{ value: 'two' }] })
    await cluster.settle()
    expect(seen).toEqual(['one', 'two'])
    await consumer.disconnect()
    await cluster.close()
  })

  it('replays the same run for the same seed', async () => {
    const first = await scenario(11)
    const second = await scenario(11)
    expect(second).toEqual(first)
    expect(first.offsets).toHaveLength(10)
  })
})
