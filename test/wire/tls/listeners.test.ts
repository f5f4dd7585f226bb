/**
 * Several listeners per broker (Kafka's `listeners` + listener.security.protocol.map): every
 * broker opens each one on its own port, and Metadata answers a client with the endpoints of
 * the listener it connected on, so a PLAINTEXT client and a SASL_SSL client of the same
 * cluster each stay on their own protocol.
 */
import { Kafka, logLevel } from 'kafkajs'
import { afterEach, describe, expect, it } from 'vitest'
import { Cluster } from '../../../src/client/cluster.js'
import { SystemClock } from '../../../src/cluster/clock.js'

let cluster: Cluster | undefined
const cleanups: (() => Promise<unknown>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {})
  await cluster?.close()
  cluster = undefined
})

describe('several listeners per broker', () => {
  it('PLAINTEXT, SSL and SASL_SSL on three brokers: each client sees the brokers of its own listener', async () => {
    cluster = new Cluster({
      brokers: 3,
      clock: new SystemClock(),
      brokerConfig: { listeners: 'PLAINTEXT://:9092,SSL://:9093,SASL_SSL://:9094', 'sasl.enabled.mechanisms': 'SCRAM-SHA-256' } as never,
    })
    cluster.createUser('alice', 'secret')
    const server = await cluster.listen({ log: () => {} })
    cleanups.push(() => server.close())
    expect(server.listeners.map((l) => `${l.name}:${l.securityProtocol}:${l.brokers.length}`)).toEqual(['PLAINTEXT:PLAINTEXT:3', 'SSL:SSL:3', 'SASL_SSL:SASL_SSL:3'])
    expect(new Set(server.listeners.flatMap((l) => l.brokers.map((b) => b.port))).size).toBe(9)
    expect(server.bootstrapBrokers).toEqual(server.listeners[0]!.bootstrapBrokers)

    const byListener = {
      PLAINTEXT: {},
      SSL: { ssl: { ca: [server.caPem!] } },
      SASL_SSL: { ssl: { ca: [server.caPem!] }, sasl: { mechanism: 'scram-sha-256', username: 'alice', password: 'secret' } },
    } as const
    for (const endpoints of server.listeners) {
      const extra = byListener[endpoints.name as keyof typeof byListener]
      const kafka = new Kafka({ clientId: `on-${endpoints.name}`, brokers: [endpoints.bootstrapBrokers[1]!], logLevel: logLevel.NOTHING, retry: { retries: 0 }, ...(extra as object) })
      const admin = kafka.admin()
      cleanups.push(() => admin.disconnect())
      await admin.connect()
      const described = await admin.describeCluster()
      const seen = described.brokers.map((b) => `${b.nodeId}@${b.port}`).sort()
      expect(seen, endpoints.name).toEqual(endpoints.brokers.map((b) => `${b.id}@${b.port}`).sort())
      // A producer follows those addresses to the partition leaders and writes.
      const topic = `t-${endpoints.name.toLowerCase()}`
      await admin.createTopics({ topics: [{ topic, numPartitions: 3 }] })
      const producer = kafka.producer()
      cleanups.push(() => producer.disconnect())
      await producer.connect()
      await producer.send({ topic, messages: [0, 1, 2].map((p) => ({ partition: p, value: `on ${endpoints.name}` })) })
      expect((await admin.fetchTopicOffsets(topic)).map((o) => o.high)).toEqual(['1', '1', '1'])
    }
  })
})
