/**
 * The cost of security (issue 13's speed targets):
 * - ACL checks with 1000 ACLs must cost <= 10% of produce and fetch throughput: sendBatch of
 *   100 x 100 B (acks=1, small batches so the per-request check weighs) and a consumer's fetch
 *   path, each against the same cluster without an authorizer (the baseline column);
 * - an authenticated SCRAM-SHA-256 connection (4096 iterations) over loopback in <= 5 ms: the
 *   real kafkajs connecting a producer to `cluster.listen()` (ApiVersions, SaslHandshake, two
 *   SaslAuthenticate, Metadata), against the same connect on a PLAINTEXT listener; and the same
 *   over SASL_SSL, the TLS handshake included (reported only: the issue's 5 ms is for SCRAM on
 *   loopback, and the handshake's cost is Node's TLS, not ours).
 */
import { Kafka as RealKafka, logLevel as realLogLevel } from 'kafkajs'
import { Bench } from 'tinybench'
import { Cluster } from '../src/client/cluster.js'
import { SystemClock } from '../src/cluster/clock.js'
import { logLevel } from '../src/client/logger.js'
import { messages } from './fixtures.js'
import { completed, quick, type BenchResult } from './result.js'
import { pairedTurns } from './paired-turns.js'

// --quick: shorter samples (the whole quick run stays under a minute).
const sampleMs = quick ? 500 : 1500

const AUTHORIZER = {
  listeners: 'SASL_PLAINTEXT://:9092',
  'sasl.enabled.mechanisms': 'SCRAM-SHA-256',
  'authorizer.class.name': 'org.apache.kafka.metadata.authorizer.StandardAuthorizer',
}

async function producerOn(secured: boolean) {
  const cluster = new Cluster({ brokers: 1, seed: 1, brokerConfig: (secured ? AUTHORIZER : {}) as never })
  cluster.createUser('app', 'secret')
  if (secured) {
    // 1000 ACLs: 997 for other principals and topics, literal and prefixed, and the three that matter.
    for (let i = 0; i < 997; i++) {
      cluster.security.authorizer.add({ resourceType: 2, resourceName: `other-${i}`, patternType: i % 2 === 0 ? 3 : 4, principal: `User:u${i}`, host: '*', operation: 3 + (i % 3), permissionType: 3 })
    }
    for (const operation of [3, 4]) cluster.security.authorizer.add({ resourceType: 2, resourceName: 'bench', patternType: 3, principal: 'User:app', host: '*', operation, permissionType: 3 })
    cluster.security.authorizer.add({ resourceType: 2, resourceName: 'be', patternType: 4, principal: 'User:*', host: '*', operation: 8, permissionType: 3 })
  }
  const kafka = cluster.kafka({ clientId: 'bench', logLevel: logLevel.NOTHING, ...(secured ? { sasl: { mechanism: 'scram-sha-256', username: 'app', password: 'secret' } } : {}) })
  const admin = cluster.kafka({ clientId: 'admin', logLevel: logLevel.NOTHING, ...(secured ? { sasl: { mechanism: 'scram-sha-256', username: 'app', password: 'secret' } } : {}) }).admin()
  if (secured) cluster.security.authorizer.add({ resourceType: 4, resourceName: 'kafka-cluster', patternType: 3, principal: 'User:app', host: '*', operation: 5, permissionType: 3 })
  await admin.connect()
  await admin.createTopics({ topics: [{ topic: 'bench' }] })
  await admin.disconnect()
  const producer = kafka.producer({ allowAutoTopicCreation: false })
  await producer.connect()
  return { cluster, producer }
}

export async function benchSecurity(): Promise<BenchResult[]> {
  const batch = messages(100)
  const plain = await producerOn(false)
  const secured = await producerOn(true)
  // Each pair in alternating turns (see paired-turns.ts): the same moments of the machine for both.
  const turns = { rounds: quick ? 5 : 11, turnMs: quick ? 100 : 150 }
  const produce = await pairedTurns(
    () => secured.producer.sendBatch({ topicMessages: [{ topic: 'bench', messages: batch }], acks: 1 }).then(() => {}),
    () => plain.producer.sendBatch({ topicMessages: [{ topic: 'bench', messages: batch }], acks: 1 }).then(() => {}),
    turns,
  )
  // Fetch: the request a consumer's loop sends, straight through the request boundary.
  const fetchRequest = { api: 'Fetch' as const, maxWaitMs: 0, minBytes: 0, maxBytes: 1 << 20, isolationLevel: 0, topics: [{ name: 'bench', partitions: [{ index: 0, fetchOffset: 0, partitionMaxBytes: 64 * 1024 }] }] }
  const fetch = await pairedTurns(
    () => secured.cluster.send(0, fetchRequest as never, { clientId: 'bench', principal: 'User:app' }).then(() => {}),
    () => plain.cluster.send(0, fetchRequest as never, { clientId: 'bench' }).then(() => {}),
    turns,
  )
  await secured.producer.disconnect()
  await plain.producer.disconnect()
  await secured.cluster.close()
  await plain.cluster.close()

  // SCRAM connection setup over loopback with the real kafkajs.
  const connectMs = async (sasl: boolean, tls = false): Promise<number> => {
    const listeners = `${sasl ? 'SASL_' : ''}${tls ? 'SSL' : 'PLAINTEXT'}://:9092`
    const cluster = new Cluster({ brokers: 1, clock: new SystemClock(), seed: 2, brokerConfig: { listeners, ...(sasl ? { 'sasl.enabled.mechanisms': 'SCRAM-SHA-256' } : {}) } as never })
    cluster.createUser('app', 'secret')
    const server = await cluster.listen({ log: () => {} })
    const kafka = new RealKafka({
      clientId: 'bench',
      brokers: server.bootstrapBrokers,
      logLevel: realLogLevel.NOTHING,
      ...(sasl ? { sasl: { mechanism: 'scram-sha-256', username: 'app', password: 'secret' } } : {}),
      // The client verifies the self-signed CA listen() made (a full handshake each connect: no session reuse).
      ...(tls ? { ssl: { ca: [server.caPem!] } } : {}),
    })
    const bench = new Bench({ time: sampleMs, warmupTime: 200 })
    bench.add('connect', async () => {
      const producer = kafka.producer()
      await producer.connect()
      await producer.disconnect()
    })
    await bench.run()
    await server.close()
    await cluster.close()
    return completed(bench, 'connect').latency.p50 ?? completed(bench, 'connect').latency.mean
  }
  const scram = await connectMs(true)
  const tlsScram = await connectMs(true, true)
  const plaintext = await connectMs(false)

  return [
    { name: 'sendBatch 100 x 100 B with 1000 ACLs (vs no authorizer)', value: produce.first * 100, unit: 'msgs/s', target: 0.9 * produce.second * 100, better: 'higher', baseline: produce.second * 100 },
    { name: 'Fetch request with 1000 ACLs (vs no authorizer)', value: fetch.first, unit: 'req/s', target: 0.9 * fetch.second, better: 'higher', baseline: fetch.second },
    { name: 'kafkajs producer connect, SCRAM-SHA-256 4096 it. (vs PLAINTEXT)', value: scram, unit: 'ms', target: 5, better: 'lower', baseline: plaintext },
    { name: 'kafkajs producer connect, SASL_SSL (TLS 1.3, ECDSA P-256) + SCRAM-SHA-256 (vs PLAINTEXT)', value: tlsScram, unit: 'ms', target: undefined, better: 'lower', baseline: plaintext },
  ]
}
