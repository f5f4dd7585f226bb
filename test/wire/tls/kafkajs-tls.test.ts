/**
 * TLS listeners with the real kafkajs 2.2.4 verifying the broker's certificate: SSL and
 * SASL_SSL (PLAIN, SCRAM) against the self-signed CA made at listen(), PEM key stores under
 * KIP-651's config names, a required client certificate whose subject DN is the principal
 * ACLs see, and a bad TLS handshake closing only its own connection.
 */
import { Kafka, logLevel } from 'kafkajs'
import { connect as tcpConnect } from 'node:net'
import { connect as tlsConnect } from 'node:tls'
import { describe, expect, it } from 'vitest'
import { cleanupAfterEach } from '../../support/cleanup-after-each.js'
import { Cluster } from '../../../src/client/cluster.js'
import { SystemClock } from '../../../src/cluster/clock.js'
import type { WireServer } from '../../../src/wire/server.js'
import { createCertificateAuthority, issueCertificate } from '../../../src/wire/tls/self-signed-certificate.js'

let cluster: Cluster | undefined
const cleanups = cleanupAfterEach(() => cluster)

async function served(brokerConfig: Record<string, string>, brokers = 1): Promise<WireServer> {
  cluster = new Cluster({ brokers, clock: new SystemClock(), seed: 7, brokerConfig: brokerConfig as never })
  cluster.createUser('admin', 'admin-secret')
  cluster.createUser('alice', 'alice-secret')
  const server = await cluster.listen({ log: () => {} })
  cleanups.push(() => server.close())
  return server
}

function client(server: WireServer, ssl: unknown, sasl?: unknown): Kafka {
  return new Kafka({ clientId: 'tls-test', brokers: server.bootstrapBrokers, logLevel: logLevel.NOTHING, retry: { retries: 0 }, ssl: ssl as never, ...(sasl ? { sasl: sasl as never } : {}) })
}

async function roundTrip(kafka: Kafka, topic: string): Promise<void> {
  const admin = kafka.admin()
  cleanups.push(() => admin.disconnect())
  await admin.connect()
  await admin.createTopics({ topics: [{ topic }] })
  const producer = kafka.producer()
  cleanups.push(() => producer.disconnect())
  await producer.connect()
  await producer.send({ topic, messages: [{ value: 'over tls' }] })
  const offsets = await admin.fetchTopicOffsets(topic)
  expect(offsets[0]!.high).toBe('1')
}

describe('TLS listeners with kafkajs 2.2.4', () => {
  it('SSL: the client verifies the self-signed CA handed out by listen() and produces', async () => {
    const server = await served({ listeners: 'SSL://:9093' }, 3)
    expect(server.securityProtocol).toBe('SSL')
    expect(server.caPem).toMatch(/^-----BEGIN CERTIFICATE-----/)
    await roundTrip(client(server, { ca: [server.caPem!] }), 'orders')
  })

  it('SSL: a client that does not trust the CA fails the handshake; a plaintext client is disconnected', async () => {
    const server = await served({ listeners: 'SSL://:9093' })
    const untrusting = client(server, true).producer()
    const error = await untrusting.connect().catch((e: unknown) => e)
    // kafkajs reports the failed verification (its retrier wraps it in NumberOfRetriesExceeded).
    expect((error as Error).name).toMatch(/KafkaJSConnectionError|KafkaJSNumberOfRetriesExceeded/)
    expect(JSON.stringify({ message: (error as Error).message, cause: String((error as { originalError?: Error }).originalError?.message) })).toMatch(/self[- ]signed|unable to verify|certificate/i)
    const plain = client(server, undefined).producer()
    expect(((await plain.connect().catch((e: unknown) => e)) as Error).name).toMatch(/^KafkaJS(ConnectionError|NumberOfRetriesExceeded|RequestTimeoutError)$/)
  })

  for (const mechanism of ['plain', 'scram-sha-256', 'scram-sha-512']) {
    it(`SASL_SSL with ${mechanism}: verified TLS, then SASL; a wrong password is refused`, async () => {
      const server = await served({ listeners: 'SASL_SSL://:9094', 'sasl.enabled.mechanisms': 'PLAIN,SCRAM-SHA-256,SCRAM-SHA-512' })
      await roundTrip(client(server, { ca: [server.caPem!] }, { mechanism, username: 'admin', password: 'admin-secret' }), 'payments')
      const wrong = client(server, { ca: [server.caPem!] }, { mechanism, username: 'alice', password: 'nope' }).producer()
      expect(((await wrong.connect().catch((e: unknown) => e)) as Error).name).toBe('KafkaJSSASLAuthenticationError')
    })
  }

  it('PEM key store inline (KIP-651) with ssl.client.auth=required: the certificate subject is the principal ACLs see', async () => {
    const ca = createCertificateAuthority('test CA')
    const serverCert = issueCertificate(ca, { hosts: ['127.0.0.1', 'localhost'], usage: 'server' })
    const alice = issueCertificate(ca, { subject: [['2.5.4.6', 'US'], ['2.5.4.10', 'Acme, Inc'], ['2.5.4.11', 'eng'], ['2.5.4.3', 'alice']], usage: 'client' })
    const admin = issueCertificate(ca, { subject: [['2.5.4.3', 'admin']], usage: 'client' })
    const server = await served({
      listeners: 'SSL://:9093',
      'ssl.keystore.type': 'PEM',
      'ssl.keystore.certificate.chain': serverCert.certificatePem,
      'ssl.keystore.key': serverCert.keyPem,
      'ssl.truststore.type': 'PEM',
      'ssl.truststore.certificates': ca.certificatePem,
      'ssl.client.auth': 'required',
      'authorizer.class.name': 'org.apache.kafka.metadata.authorizer.StandardAuthorizer',
      'super.users': 'User:CN=admin',
    })
    expect(server.caPem).toBeUndefined()
    const tls = (cert: { certificatePem: string; keyPem: string }) => ({ ca: [ca.certificatePem], cert: cert.certificatePem, key: cert.keyPem })
    const adminClient = client(server, tls(admin)).admin()
    cleanups.push(() => adminClient.disconnect())
    await adminClient.connect()
    await adminClient.createTopics({ topics: [{ topic: 'orders' }, { topic: 'payments' }] })
    const principal = 'User:CN=alice,OU=eng,O=Acme\\, Inc,C=US'
    await adminClient.createAcls({ acl: [{ resourceType: 2, resourceName: 'orders', resourcePatternType: 3, principal, host: '*', operation: 4, permissionType: 3 }] as never })

    const producer = client(server, tls(alice)).producer()
    cleanups.push(() => producer.disconnect())
    await producer.connect()
    await producer.send({ topic: 'orders', messages: [{ value: 'allowed' }] })
    const denied = await producer.send({ topic: 'payments', messages: [{ value: 'denied' }] }).catch((e: unknown) => e)
    expect(JSON.stringify({ cause: ((denied as Error).cause as { type?: string })?.type, type: (denied as { type?: string }).type })).toMatch(/TOPIC_AUTHORIZATION_FAILED/)
    expect(cluster!.describe().topics.find((t) => t.name === 'payments')!.partitions[0]!.logEndOffset).toBe(0)

    // No client certificate: the handshake fails (ssl.client.auth=required).
    const anonymous = client(server, { ca: [ca.certificatePem] }).producer()
    expect(((await anonymous.connect().catch((e: unknown) => e)) as Error).name).toMatch(/KafkaJS(Connection|NumberOfRetriesExceeded)Error|KafkaJSNumberOfRetriesExceeded/)
    // A certificate from another CA: refused too.
    const stranger = issueCertificate(createCertificateAuthority('other CA'), { subject: [['2.5.4.3', 'admin']], usage: 'client' })
    const impostor = client(server, tls(stranger)).producer()
    expect(((await impostor.connect().catch((e: unknown) => e)) as Error).name).toMatch(/KafkaJS(Connection|NumberOfRetriesExceeded)Error|KafkaJSNumberOfRetriesExceeded/)
  })

  it('a truncated TLS handshake and plaintext Kafka bytes close only their own connections', async () => {
    const server = await served({ listeners: 'SSL://:9093' })
    const { host, port } = server.brokers[0]!
    const kafka = client(server, { ca: [server.caPem!] })
    const admin = kafka.admin()
    cleanups.push(() => admin.disconnect())
    await admin.connect()
    await admin.createTopics({ topics: [{ topic: 'orders' }] })

    // Plaintext ApiVersions to the TLS port: the server closes it.
    const plaintextClosed = await new Promise<boolean>((resolve) => {
      const socket = tcpConnect({ host, port }, () => socket.write(Buffer.from('0000001100120003000000010009746c732d74657374000000', 'hex')))
      socket.on('error', () => {})
      socket.on('close', () => resolve(true))
    })
    expect(plaintextClosed).toBe(true)
    // The first bytes of a ClientHello, then the client goes away.
    await new Promise<void>((resolve) => {
      const socket = tcpConnect({ host, port }, () => {
        socket.write(Buffer.from('160301020001', 'hex'))
        socket.end()
      })
      socket.on('error', () => {})
      socket.on('close', () => resolve())
    })
    // A TLS client that never finishes: connected, then destroyed mid-handshake.
    await new Promise<void>((resolve) => {
      const socket = tlsConnect({ host, port, ca: [server.caPem!] })
      socket.on('error', () => {})
      socket.once('connect', () => socket.destroy())
      socket.on('close', () => resolve())
    })
    // The established client goes on working.
    const producer = kafka.producer()
    cleanups.push(() => producer.disconnect())
    await producer.connect()
    await producer.send({ topic: 'orders', messages: [{ value: 'still fine' }] })
    expect((await admin.fetchTopicOffsets('orders'))[0]!.high).toBe('1')
  })

  it('JKS key stores are refused with the reason, and listen() opens nothing', async () => {
    cluster = new Cluster({ brokers: 1, clock: new SystemClock(), brokerConfig: { listeners: 'SSL://:9093', 'ssl.keystore.location': '/tmp/none.jks' } as never })
    await expect(cluster.listen({ log: () => {} })).rejects.toThrow(/memkafka reads PEM key stores only/)
  })
})
