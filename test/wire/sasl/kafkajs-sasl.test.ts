/**
 * SASL over the wire with the real kafkajs 2.2.4: PLAIN and SCRAM-SHA-256/512 through
 * SaslHandshake v1 + SaslAuthenticate, wrong credentials refused with kafkajs's error, requests
 * before authentication closing the connection, and the principal deciding ACLs.
 */
import { Kafka, logLevel } from 'kafkajs'
import { connect } from 'node:net'
import { describe, expect, it } from 'vitest'
import { cleanupAfterEach } from '../../support/cleanup-after-each.js'
import { Cluster } from '../../../src/client/cluster.js'
import { SystemClock } from '../../../src/cluster/clock.js'

const SECURED = {
  listeners: 'SASL_PLAINTEXT://:9092',
  'sasl.enabled.mechanisms': 'PLAIN,SCRAM-SHA-256,SCRAM-SHA-512',
  'authorizer.class.name': 'org.apache.kafka.metadata.authorizer.StandardAuthorizer',
  'super.users': 'User:admin',
}

let cluster: Cluster | undefined
const cleanups = cleanupAfterEach(() => cluster)

async function served(): Promise<string[]> {
  cluster = new Cluster({ brokers: 1, clock: new SystemClock(), seed: 5, brokerConfig: SECURED as never })
  cluster.createUser('admin', 'admin-secret')
  cluster.createUser('alice', 'alice-secret')
  const server = await cluster.listen({ log: () => {} })
  cleanups.push(() => server.close())
  return server.bootstrapBrokers
}

function client(brokers: string[], sasl: unknown): Kafka {
  return new Kafka({ clientId: 'sasl-test', brokers, logLevel: logLevel.NOTHING, retry: { retries: 0 }, sasl: sasl as never })
}

describe('SASL on the wire with kafkajs 2.2.4', () => {
  for (const mechanism of ['plain', 'scram-sha-256', 'scram-sha-512']) {
    it(`${mechanism}: the right password connects and produces; a wrong one is KafkaJSSASLAuthenticationError`, async () => {
      const brokers = await served()
      const admin = client(brokers, { mechanism, username: 'admin', password: 'admin-secret' }).admin()
      cleanups.push(() => admin.disconnect())
      await admin.connect()
      await admin.createTopics({ topics: [{ topic: 'orders' }] })
      const producer = client(brokers, { mechanism, username: 'admin', password: 'admin-secret' }).producer()
      cleanups.push(() => producer.disconnect())
      await producer.connect()
      await producer.send({ topic: 'orders', messages: [{ value: 'hello' }] })
      expect(cluster!.describe().topics.find((t) => t.name === 'orders')!.partitions[0]!.logEndOffset).toBe(1)

      const wrong = client(brokers, { mechanism, username: 'alice', password: 'wrong' }).producer()
      const error = await wrong.connect().catch((e: unknown) => e)
      expect((error as Error).name).toBe('KafkaJSSASLAuthenticationError')
      expect(String((error as Error).message)).toMatch(/authentication failed: Authentication failed/)
      expect(cluster!.timeline({ types: ['authenticationFailed'] })).toHaveLength(1)
    })
  }

  it('the authenticated principal decides ACLs: alice may not write payments', async () => {
    const brokers = await served()
    const admin = client(brokers, { mechanism: 'plain', username: 'admin', password: 'admin-secret' }).admin()
    cleanups.push(() => admin.disconnect())
    await admin.connect()
    await admin.createTopics({ topics: [{ topic: 'orders' }, { topic: 'payments' }] })
    await admin.createAcls({ acl: [{ resourceType: 2, resourceName: 'orders', resourcePatternType: 3, principal: 'User:alice', host: '*', operation: 4, permissionType: 3 }] as never })
    const producer = client(brokers, { mechanism: 'scram-sha-256', username: 'alice', password: 'alice-secret' }).producer()
    cleanups.push(() => producer.disconnect())
    await producer.connect()
    await producer.send({ topic: 'orders', messages: [{ value: 'ok' }] })
    const refused = await producer.send({ topic: 'payments', messages: [{ value: 'no' }] }).catch((e: unknown) => e)
    expect(JSON.stringify({ name: (refused as Error).name, cause: ((refused as Error).cause as { type?: string })?.type, type: (refused as { type?: string }).type })).toMatch(/TOPIC_AUTHORIZATION_FAILED/)
    expect(cluster!.describe().topics.find((t) => t.name === 'payments')!.partitions[0]!.logEndOffset).toBe(0)
  })

  it('a request before authentication closes the connection and creates nothing', async () => {
    const brokers = await served()
    const [host, port] = brokers[0]!.split(':') as [string, string]
    const socket = connect(Number(port), host)
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()))
    // Metadata v1 for topic "sneaky" with auto-creation (header v1: key 3, version 1, correlation 1, client id "x").
    const body = Buffer.concat([Buffer.from([0, 3, 0, 1, 0, 0, 0, 1, 0, 1]), Buffer.from('x'), Buffer.from([0, 0, 0, 1, 0, 6]), Buffer.from('sneaky')])
    const size = Buffer.alloc(4)
    size.writeInt32BE(body.length)
    socket.write(Buffer.concat([size, body]))
    const received: Buffer[] = []
    socket.on('data', (d: Buffer) => received.push(d))
    await closed
    expect(Buffer.concat(received)).toHaveLength(0)
    expect(cluster!.controller.topic('sneaky')).toBeUndefined()
  })
})
