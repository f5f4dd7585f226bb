import { describe, it, expect } from 'vitest'
import { Cluster } from '../../src/index.js'

describe('smoke', () => {
  it('produces and consumes', async () => {
    const cluster = new Cluster({ brokers: 3, seed: 1 })
    const kafka = cluster.kafka({ clientId: 't', logLevel: 1 })
    const admin = kafka.admin()
    await admin.connect()
    await admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 3, replicationFactor: 3 }] })
    const producer = kafka.producer()
    await producer.connect()
    const res = await producer.send({ topic: 'orders', messages: [{ key: 'a', value: '1' }, { key: 'b', value: '2' }] })
    console.log(res)
    const consumer = kafka.consumer({ groupId: 'g' })
    await consumer.connect()
    await consumer.subscribe({ topics: ['orders'], fromBeginning: true })
    const seen: string[] = []
    await consumer.run({ eachMessage: async ({ message }) => { seen.push(message.value!.toString()) } })
    await cluster.settle()
    expect(seen.sort()).toEqual(['1', '2'])
    await producer.send({ topic: 'orders', messages: [{ key: 'c', value: '3' }] })
    await cluster.settle()
    expect(seen.sort()).toEqual(['1', '2', '3'])
    console.log(cluster.format())
    await consumer.disconnect()
    await producer.disconnect()
    await cluster.close()
  })
})
