/**
 * KIP-368 re-authentication with the real kafkajs 2.2.4: with connections.max.reauth.ms the
 * broker tells the client its session lifetime (SaslAuthenticate v1); kafkajs re-authenticates
 * on the same connection before it runs out and keeps working, while a client that lets its
 * session expire has the connection closed at its next request.
 */
import { Kafka, logLevel } from 'kafkajs'
import { describe, expect, it } from 'vitest'
import { cleanupAfterEach } from '../../support/cleanup-after-each.js'
import { Cluster } from '../../../src/client/cluster.js'
import { SystemClock } from '../../../src/cluster/clock.js'

let cluster: Cluster | undefined
const cleanups = cleanupAfterEach(() => cluster)

const LIFETIME_MS = 1200
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function producerWith(reauthenticationThreshold: number) {
  cluster = new Cluster({ brokers: 1, clock: new SystemClock(), brokerConfig: { listeners: 'SASL_PLAINTEXT://:9092', 'sasl.enabled.mechanisms': 'SCRAM-SHA-256', 'connections.max.reauth.ms': LIFETIME_MS } as never })
  cluster.createUser('alice', 'secret')
  const server = await cluster.listen({ log: () => {} })
  cleanups.push(() => server.close())
  const kafka = new Kafka({ clientId: 'reauth', brokers: server.bootstrapBrokers, logLevel: logLevel.NOTHING, retry: { retries: 0 }, reauthenticationThreshold, sasl: { mechanism: 'scram-sha-256', username: 'alice', password: 'secret' } })
  const producer = kafka.producer()
  cleanups.push(() => producer.disconnect())
  await producer.connect()
  await producer.send({ topic: 'orders', messages: [{ value: 'first' }] })
  return producer
}

describe('SASL re-authentication (KIP-368)', () => {
  it('kafkajs re-authenticates before the session lifetime runs out and goes on producing', async () => {
    const producer = await producerWith(1000)
    await sleep(LIFETIME_MS + 300)
    await producer.send({ topic: 'orders', messages: [{ value: 'after the first lifetime' }] })
    await sleep(LIFETIME_MS + 300)
    await producer.send({ topic: 'orders', messages: [{ value: 'after the second' }] })
    expect(cluster!.describe().topics.find((t) => t.name === 'orders')!.partitions[0]!.logEndOffset).toBe(3)
  })

  it('a request on an expired session closes the connection', async () => {
    // A negative threshold makes kafkajs re-authenticate only long after the lifetime.
    const producer = await producerWith(-60_000)
    await sleep(LIFETIME_MS + 300)
    const error = await producer.send({ topic: 'orders', messages: [{ value: 'too late' }] }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(Error)
    expect(JSON.stringify({ name: (error as Error).name, message: (error as Error).message })).toMatch(/Connection|Closed/i)
    expect(cluster!.describe().topics.find((t) => t.name === 'orders')!.partitions[0]!.logEndOffset).toBe(1)
  })
})
