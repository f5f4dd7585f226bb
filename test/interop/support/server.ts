/**
 * A memkafka cluster with its wire listeners on ephemeral loopback ports, one per test: the real
 * clients reach it over TCP while the test reads the same cluster's state in process
 * (describe(), checkInvariants()) and injects faults (stopBroker, intercept, runCleaner).
 */
import { Cluster } from '../../../src/index.js'

export interface Memkafka {
  readonly cluster: Cluster
  /** Comma-separated, as BOOTSTRAP for the drivers. */
  readonly bootstrap: string
  createTopic(name: string, options?: { partitions?: number; replicationFactor?: number; configs?: Record<string, string> }): Promise<void>
  close(): Promise<void>
}

export async function startMemkafka(options: { brokers?: number; port?: number } = {}): Promise<Memkafka> {
  const cluster = new Cluster({
    brokers: options.brokers ?? 1,
    // Real clients join a group one after another; Kafka's 3 s initial delay would only slow the suite.
    brokerConfig: { 'group.initial.rebalance.delay.ms': 0 },
  })
  let server: Awaited<ReturnType<Cluster['listen']>>
  try {
    server = await cluster.listen({ port: options.port ?? 0, host: '127.0.0.1' })
  } catch (error) {
    await cluster.close()
    throw error
  }
  const admin = cluster.kafka().admin()
  await admin.connect()
  return {
    cluster,
    bootstrap: server.bootstrapBrokers.join(','),
    async createTopic(name, { partitions = 1, replicationFactor = 1, configs = {} } = {}) {
      await admin.createTopics({
        topics: [{ topic: name, numPartitions: partitions, replicationFactor, configEntries: Object.entries(configs).map(([n, value]) => ({ name: n, value })) }],
        waitForLeaders: true,
      })
    },
    async close() {
      await admin.disconnect()
      await server.close()
      await cluster.close()
    },
  }
}

let counter = 0
/** Fresh names per test, so no test sees another's topics, groups or transactional ids. */
export function freshNames(client: string, scenario: string) {
  const id = `${client}-${scenario}-${process.pid}-${++counter}`
  return { topic: `t-${id}`, group: `g-${id}`, txnId: `x-${id}` }
}
