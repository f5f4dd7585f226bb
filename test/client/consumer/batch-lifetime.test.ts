/**
 * How long the consumer keeps what it hands to a handler: a Batch given to eachBatch belongs
 * to the handler, and once the handler has let go of it the consumer does not keep it (nor its
 * messages) alive while it waits for the handler to finish (issue 15: ten consumers of one
 * process each held a partition's messages until their turn to resume came, and the young
 * generation's collections copied them all). Checked with a forced full collection and a
 * WeakRef, not with timings.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { fullGc, nextTurn } from '../../support/full-gc.js'
import { Cluster, logLevel, type EachBatchPayload } from '../../../src/index.js'

const cleanups: (() => Promise<void>)[] = []

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function start() {
  const cluster = new Cluster({ brokers: 1, seed: 1 })
  const kafka = cluster.kafka({ clientId: 't', logLevel: logLevel.NOTHING })
  const admin = kafka.admin()
  await admin.connect()
  await admin.createTopics({ topics: [{ topic: 't', numPartitions: 1 }] })
  await admin.disconnect()
  const producer = kafka.producer()
  await producer.connect()
  await producer.send({ topic: 't', messages: ['m0', 'm1', 'm2'].map((value) => ({ value })) })
  await producer.disconnect()
  const consumer = kafka.consumer({ groupId: 'g' })
  cleanups.push(async () => {
    await consumer.disconnect().catch(() => {})
    await cluster.close()
  })
  await consumer.connect()
  await consumer.subscribe({ topics: ['t'], fromBeginning: true })
  return { cluster, consumer }
}

describe('what the consumer keeps of a handed-over batch', () => {
  it('a Batch its eachBatch handler has let go of is collectable while the handler still runs', async () => {
    const { cluster, consumer } = await start()
    let batch: WeakRef<object> | undefined
    let release!: () => void
    const gate = new Promise<void>((resolve) => {
      release = resolve
    })
    let entered!: () => void
    const inHandler = new Promise<void>((resolve) => {
      entered = resolve
    })
    let batches = 0
    await consumer.run({
      eachBatch: async (payload: EachBatchPayload | undefined) => {
        if (batches++ > 0) return
        batch = new WeakRef(payload!.batch)
        expect(payload!.batch.messages.map((m) => m.value!.toString())).toEqual(['m0', 'm1', 'm2'])
        // The handler keeps nothing of its payload while it waits.
        payload = undefined
        entered()
        await gate
      },
    })
    await inHandler
    await nextTurn()
    fullGc()
    expect(batch!.deref()).toBeUndefined()
    release()
    await cluster.settle()
    expect(batches).toBe(1)
    // The batch was still resolved and committed as a whole once its handler ended.
    const admin = cluster.kafka({ clientId: 'check', logLevel: logLevel.NOTHING }).admin()
    await admin.connect()
    const [offsets] = await admin.fetchOffsets({ groupId: 'g', topics: ['t'] })
    await admin.disconnect()
    expect(offsets!.partitions).toEqual([{ partition: 0, offset: '3', metadata: null }])
  })
})
