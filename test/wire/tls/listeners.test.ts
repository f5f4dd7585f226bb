/**
 * Several listeners per broker (Kafka's `listeners` + listener.security.protocol.map): every
 * broker opens each one on its own port, and Metadata answers a client with the endpoints of
 * the listener it connected on, so a PLAINTEXT client and a SASL_SSL client of the same
 * cluster each stay on their own protocol.
 */
import { Kafka, logLevel } from 'kafkajs'
import { describe, expect, it } from 'vitest'
import { cleanupAfterEach } from '../../support/cleanup-after-each.js'
import { Cluster } from '../../../src/client/cluster.js'
import { SystemClock } from '../../../src/cluster/clock.js'

let cluster: Cluster | undefined
const cleanups = cleanupAfterEach(() => cluster)

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

/** Ports free right now (bound to 0 and released), for configs that must name their ports. */
async function freePorts(n: number): Promise<number[]> {
  const { createServer } = await import('node:net')
  const servers = await Promise.all(
    Array.from({ length: n }, () => new Promise<import('node:net').Server>((resolve) => {
      const s = createServer()
      s.listen(0, '127.0.0.1', () => resolve(s))
    })),
  )
  const ports = servers.map((s) => (s.address() as import('node:net').AddressInfo).port)
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))))
  return ports
}

describe("each broker's own listeners and advertised.listeners", () => {
  it('brokers with their own listener lists bind the ports they name; each client sees its own listener on every broker', async () => {
    const [p0, p1, p2, s0, s1, s2] = await freePorts(6)
    cluster = new Cluster({ brokers: 3, clock: new SystemClock(), brokerConfig: { listeners: 'PLAINTEXT://:9092,SSL://:9093' } as never })
    const server = await cluster.listen({
      log: () => {},
      brokers: {
        0: { listeners: `PLAINTEXT://127.0.0.1:${p0},SSL://127.0.0.1:${s0}` },
        1: { listeners: `SSL://127.0.0.1:${s1},PLAINTEXT://127.0.0.1:${p1}` },
        2: { listeners: `PLAINTEXT://127.0.0.1:${p2},SSL://127.0.0.1:${s2}` },
      },
    })
    cleanups.push(() => server.close())
    expect(server.listeners.map((l) => [l.name, l.brokers.map((b) => `${b.id}:${b.port}`)])).toEqual([
      ['PLAINTEXT', [`0:${p0}`, `1:${p1}`, `2:${p2}`]],
      ['SSL', [`0:${s0}`, `1:${s1}`, `2:${s2}`]],
    ])
    const tlsAdmin = new Kafka({ clientId: 'tls', brokers: [`127.0.0.1:${s1}`], ssl: { ca: [server.caPem!] }, logLevel: logLevel.NOTHING, retry: { retries: 0 } }).admin()
    cleanups.push(() => tlsAdmin.disconnect())
    await tlsAdmin.connect()
    expect((await tlsAdmin.describeCluster()).brokers.map((b) => `${b.nodeId}:${b.port}`).sort()).toEqual([`0:${s0}`, `1:${s1}`, `2:${s2}`])
    const plainAdmin = new Kafka({ clientId: 'plain', brokers: [`127.0.0.1:${p2}`], logLevel: logLevel.NOTHING, retry: { retries: 0 } }).admin()
    cleanups.push(() => plainAdmin.disconnect())
    await plainAdmin.connect()
    expect((await plainAdmin.describeCluster()).brokers.map((b) => `${b.nodeId}:${b.port}`).sort()).toEqual([`0:${p0}`, `1:${p1}`, `2:${p2}`])
  })

  it('advertised.listeners: Metadata gives the advertised address, per listener and per broker; clients reach the brokers through it', async () => {
    const [a0, a1] = await freePorts(2)
    cluster = new Cluster({ brokers: 2, clock: new SystemClock(), brokerConfig: { listeners: 'INTERNAL://:9092,EXTERNAL://:9093', 'listener.security.protocol.map': 'INTERNAL:PLAINTEXT,EXTERNAL:PLAINTEXT' } as never })
    const server = await cluster.listen({
      log: () => {},
      brokers: {
        0: { listeners: `INTERNAL://127.0.0.1:0,EXTERNAL://127.0.0.1:${a0}`, 'advertised.listeners': `INTERNAL://broker-0.internal:9092,EXTERNAL://localhost:${a0}` },
        1: { listeners: `INTERNAL://127.0.0.1:0,EXTERNAL://127.0.0.1:${a1}`, 'advertised.listeners': `INTERNAL://broker-1.internal:9092,EXTERNAL://localhost:${a1}` },
      },
    })
    cleanups.push(() => server.close())
    expect(server.listeners.map((l) => [l.name, l.bootstrapBrokers])).toEqual([
      ['INTERNAL', ['broker-0.internal:9092', 'broker-1.internal:9092']],
      ['EXTERNAL', [`localhost:${a0}`, `localhost:${a1}`]],
    ])
    const kafka = new Kafka({ clientId: 'ext', brokers: [`127.0.0.1:${a1}`], logLevel: logLevel.NOTHING, retry: { retries: 0 } })
    const admin = kafka.admin()
    cleanups.push(() => admin.disconnect())
    await admin.connect()
    expect((await admin.describeCluster()).brokers.map((b) => `${b.nodeId}@${b.host}:${b.port}`).sort()).toEqual([`0@localhost:${a0}`, `1@localhost:${a1}`])
    await admin.createTopics({ topics: [{ topic: 'via-advertised', numPartitions: 2 }] })
    const producer = kafka.producer()
    cleanups.push(() => producer.disconnect())
    await producer.connect()
    await producer.send({ topic: 'via-advertised', messages: [{ partition: 0, value: 'a' }, { partition: 1, value: 'b' }] })
    expect((await admin.fetchTopicOffsets('via-advertised')).map((o) => o.high)).toEqual(['1', '1'])
  })

  it('refuses what Kafka refuses: an advertised name not among the listeners, one advertised.listeners for several brokers', async () => {
    cluster = new Cluster({ brokers: 2, clock: new SystemClock(), brokerConfig: { listeners: 'PLAINTEXT://:9092', 'advertised.listeners': 'PLAINTEXT://kafka:9092' } as never })
    await expect(cluster.listen({ log: () => {} })).rejects.toThrow(/each needs its own/)
    await expect(cluster.listen({ log: () => {}, brokers: { 0: { 'advertised.listeners': 'SSL://kafka-0:9093' }, 1: { 'advertised.listeners': 'PLAINTEXT://kafka-1:9092' } } })).rejects.toThrow(
      /advertised.listeners listener names must be equal to or a subset of the ones defined in listeners: SSL/,
    )
    await expect(cluster.listen({ log: () => {}, brokers: { 5: { listeners: 'PLAINTEXT://:0' } } })).rejects.toThrow(/no broker 5/)
    await cluster.close()
    cluster = new Cluster({ brokers: 2, clock: new SystemClock(), brokerConfig: { listeners: 'PLAINTEXT://:9092' } as never })
    await expect(cluster.listen({ log: () => {}, brokers: { 1: { listeners: 'PLAINTEXT://:0,SSL://:0' } } })).rejects.toThrow(/must have the same names/)
  })
})
