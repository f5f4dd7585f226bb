/**
 * The drop-in recipe from the README: code that imports kafkajs runs against memkafka when the
 * module is mocked, and `new Kafka({ brokers })` finds the in-process cluster at those addresses.
 */
import { describe, it, expect, vi, beforeEach } from 'vitest'
import { Kafka, logLevel } from 'kafkajs'
import { Cluster } from '../../src/index.js'

vi.mock('kafkajs', () => import('../../src/index.js'))

/** "Application code": knows nothing of memkafka. */
async function publishGreeting(brokers: string[]): Promise<string> {
  const kafka = new Kafka({ clientId: 'app', brokers, logLevel: logLevel.NOTHING })
  const producer = kafka.producer()
  await producer.connect()
  const [meta] = await producer.send({ topic: 'greetings', messages: [{ key: 'k', value: 'hello' }] })
  await producer.disconnect()
  return meta!.baseOffset!
}

describe('drop-in use through vi.mock("kafkajs")', () => {
  beforeEach(async () => {
    await Cluster.resetAll()
  })

  it('finds the cluster a test created at its bootstrap addresses', async () => {
    const cluster = new Cluster({ brokers: 3, seed: 3 })
    expect(cluster.bootstrapBrokers).toEqual(['localhost:9092', 'localhost:9093', 'localhost:9094'])
    expect(await publishGreeting(['localhost:9093'])).toBe('0')
    expect(await publishGreeting(['127.0.0.1:9092'])).toBe('1')
    const topic = cluster.describe().topics.find((t) => t.name === 'greetings')!
    expect(topic.partitions[0]!.highWatermark).toBe(2)
  })

  it('creates a default cluster on first use, and resetAll forgets it', async () => {
    expect(await publishGreeting(['localhost:29092'])).toBe('0')
    expect(await publishGreeting(['localhost:29092'])).toBe('1')
    await Cluster.resetAll()
    expect(await publishGreeting(['localhost:29092'])).toBe('0')
  })

  it('keeps clusters at different addresses apart', async () => {
    const a = new Cluster({ basePort: 19092, seed: 1 })
    const b = new Cluster({ basePort: 19192, seed: 2 })
    await publishGreeting(['localhost:19092'])
    expect(a.describe().topics.map((t) => t.name)).toEqual(['greetings'])
    expect(b.describe().topics).toEqual([])
  })
})
