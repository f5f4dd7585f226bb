/**
 * What every benchmark starts from: a cluster with one topic, a connected producer, and
 * 100-byte records. Logging is off so that nothing but the work is measured.
 */
import { Cluster, logLevel, type Kafka, type Producer } from '../src/index.js'

/** The record value every benchmark sends: 100 bytes. */
export const payload100: Buffer = Buffer.alloc(100, 'm')

/** A keyless record with a Buffer value: a kafkajs Message, and a baseline RawMessage. */
export interface BenchMessage {
  readonly value: Buffer
}

/** `count` keyless records carrying the same 100-byte value (produce copies it into the log). */
export function messages(count: number, value: Buffer = payload100): BenchMessage[] {
  return Array.from({ length: count }, () => ({ value }))
}

export interface TopicFixture {
  readonly cluster: Cluster
  readonly kafka: Kafka
  readonly producer: Producer
  readonly topic: string
  close(): Promise<void>
}

export interface TopicFixtureOptions {
  readonly brokers?: number
  readonly partitions?: number
  readonly replicationFactor?: number
  readonly topic?: string
  /** Topic configs (retention.bytes, segment.bytes, ...). */
  readonly configs?: Readonly<Record<string, string>>
}

/** A fresh cluster (3 brokers by default) with one topic (RF 3) and a connected producer. */
export async function topicFixture(options: TopicFixtureOptions = {}): Promise<TopicFixture> {
  const brokers = options.brokers ?? 3
  const topic = options.topic ?? 'bench'
  const cluster = new Cluster({ brokers, seed: 1 })
  const kafka = cluster.kafka({ clientId: 'bench', logLevel: logLevel.NOTHING })
  const admin = kafka.admin()
  await admin.connect()
  await admin.createTopics({
    waitForLeaders: true,
    topics: [
      {
        topic,
        numPartitions: options.partitions ?? 1,
        replicationFactor: options.replicationFactor ?? Math.min(3, brokers),
        configEntries: Object.entries(options.configs ?? {}).map(([name, value]) => ({ name, value })),
      },
    ],
  })
  await admin.disconnect()
  const producer = kafka.producer({ allowAutoTopicCreation: false })
  await producer.connect()
  return {
    cluster,
    kafka,
    producer,
    topic,
    async close() {
      await producer.disconnect()
      await cluster.close()
    },
  }
}
