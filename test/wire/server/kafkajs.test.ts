/**
 * The real kafkajs 2.2.4 (the npm package, not memkafka's facade) against `cluster.listen()`:
 * it negotiates with ApiVersions, reads Metadata, produces and consumes in a group over TCP.
 * kafkajs is the judge of the bytes; the cluster is the judge of what happened.
 */
import { Kafka, logLevel } from 'kafkajs'
import { afterEach, describe, expect, it } from 'vitest'
import { Cluster } from '../../../src/client/cluster.js'
import { SystemClock } from '../../../src/cluster/clock.js'
import type { WireServer } from '../../../src/wire/server.js'

let cluster: Cluster | undefined
afterEach(async () => {
  await cluster?.close()
  cluster = undefined
})

async function served(brokers = 3): Promise<{ cluster: Cluster; server: WireServer; kafka: Kafka }> {
  cluster = new Cluster({ brokers, clock: new SystemClock(), seed: 5 })
  const server = await cluster.listen({ log: (e) => { if (process.env.WIRE_DEBUG && e.level !== 'debug') console.log('WIRE', e.level, e.brokerId, e.message.slice(0, 400)) } })
  const kafka = new Kafka({ clientId: 'e2e', brokers: server.bootstrapBrokers, logLevel: logLevel.NOTHING, retry: { retries: 3, initialRetryTime: 50 } })
  return { cluster, server, kafka }
}

describe('the real kafkajs over the wire', () => {
  it('connects (ApiVersions, Metadata) and sees the brokers at their listening addresses', async () => {
    const { server, kafka } = await served()
    const admin = kafka.admin()
    await admin.connect()
    const description = await admin.describeCluster()
    expect(description.brokers.map((b) => `${b.host}:${b.port}`).sort()).toEqual([...server.bootstrapBrokers].sort())
    await admin.disconnect()
  })

  it('creates a topic, produces to it and consumes it back in a group', async () => {
    const { cluster, kafka } = await served()
    const admin = kafka.admin()
    await admin.connect()
    await admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 3, replicationFactor: 2 }] })
    const metadata = await admin.fetchTopicMetadata({ topics: ['orders'] })
    expect(metadata.topics[0]!.partitions).toHaveLength(3)
    await admin.disconnect()

    const producer = kafka.producer()
    await producer.connect()
    const values = Array.from({ length: 30 }, (_, i) => `order-${i}`)
    await producer.send({ topic: 'orders', acks: -1, messages: values.map((value, i) => ({ key: `k${i % 5}`, value })) })
    await producer.disconnect()
    expect(cluster.describe().topics.find((t) => t.name === 'orders')!.partitions.reduce((n, p) => n + p.highWatermark, 0)).toBe(30)

    const consumer = kafka.consumer({ groupId: 'billing', maxWaitTimeInMs: 100 })
    await consumer.connect()
    await consumer.subscribe({ topics: ['orders'], fromBeginning: true })
    const seen: string[] = []
    await new Promise<void>((resolve, reject) => {
      const guard = setTimeout(() => reject(new Error(`consumed ${seen.length} of ${values.length} in 15 s`)), 15_000)
      consumer
        .run({
          eachMessage: async ({ message }) => {
            seen.push(message.value!.toString())
            if (seen.length === values.length) {
              clearTimeout(guard)
              resolve()
            }
          },
        })
        .catch(reject)
    })
    await consumer.disconnect()
    expect([...seen].sort()).toEqual([...values].sort())
    expect(cluster.timeline({ types: ['rebalanced'] }).some((e) => e.type === 'rebalanced' && e.groupId === 'billing')).toBe(true)
  })
})
