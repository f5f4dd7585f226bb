/**
 * memkafka loaded twice in one process (its ESM and CJS builds, or under its own name and as an
 * alias for kafkajs) behaves as one: a second copy's `new Kafka({ brokers })` reaches the cluster
 * the first copy created, and errors pass `instanceof` against either copy's classes. The second
 * copy here is a fresh evaluation of the same source (vi.resetModules), so it has its own
 * module-level state and its own classes, as another build would; test/package.test.ts does the
 * same with the built ESM and CJS files.
 */
import { describe, it, expect, vi, afterEach } from 'vitest'
import * as first from '../../src/index.js'

async function secondCopy(): Promise<typeof first> {
  vi.resetModules()
  const copy = (await import('../../src/index.js')) as typeof first
  expect(copy.Cluster).not.toBe(first.Cluster)
  return copy
}

afterEach(async () => {
  first.Cluster.onUnknownAddress = 'warn'
  await first.Cluster.resetAll()
})

async function send(kafka: first.Kafka, topic: string): Promise<string> {
  const producer = kafka.producer()
  await producer.connect()
  const [meta] = await producer.send({ topic, messages: [{ value: 'v' }] })
  await producer.disconnect()
  return meta!.baseOffset!
}

describe('two loaded copies of memkafka', () => {
  it('share one registry: a Kafka of the other copy reaches the cluster this copy created', async () => {
    const cluster = new first.Cluster({ basePort: 39092, seed: 1 })
    const other = await secondCopy()
    const kafka = new other.Kafka({ clientId: 'lib', brokers: ['localhost:39092'], logLevel: other.logLevel.NOTHING })
    expect(await send(kafka, 'from-the-other-copy')).toBe('0')
    expect(cluster.describe().topics.map((t) => t.name)).toEqual(['from-the-other-copy'])
  })

  it("share resetAll: either copy's resetAll closes the clusters of both", async () => {
    const cluster = new first.Cluster({ basePort: 39192, seed: 1 })
    const other = await secondCopy()
    await other.Cluster.resetAll()
    expect(cluster.isClosed).toBe(true)
  })

  it("pass instanceof against either copy's error classes, keeping the hierarchy", async () => {
    const other = await secondCopy()
    const protocolError = new other.KafkaJSProtocolError({ type: 'UNKNOWN_TOPIC_OR_PARTITION', code: 3, retriable: true, message: 'x' })
    expect(protocolError).toBeInstanceOf(first.KafkaJSProtocolError)
    expect(protocolError).toBeInstanceOf(first.KafkaJSError)
    expect(protocolError).toBeInstanceOf(Error)
    expect(protocolError).not.toBeInstanceOf(first.KafkaJSNonRetriableError)
    expect(new first.KafkaJSError('x')).not.toBeInstanceOf(other.KafkaJSProtocolError)
    expect(new first.KafkaJSNumberOfRetriesExceeded(new Error('e'), { retryCount: 1, retryTime: 1 })).toBeInstanceOf(other.KafkaJSNonRetriableError)
    expect(new other.KafkaError('UNKNOWN_TOPIC_OR_PARTITION')).toBeInstanceOf(first.KafkaError)
    expect(new other.InvariantViolation(['x'])).toBeInstanceOf(first.InvariantViolation)
    expect(new Error('plain')).not.toBeInstanceOf(first.KafkaJSError)
    expect({ name: 'KafkaJSError' }).not.toBeInstanceOf(first.KafkaJSError)
  })

  it("catch a refusal thrown by the other copy's client with this copy's class", async () => {
    new first.Cluster({ basePort: 39292, seed: 1 })
    const other = await secondCopy()
    const admin = new other.Kafka({ brokers: ['localhost:39292'], logLevel: other.logLevel.NOTHING }).admin()
    await admin.connect()
    const refusal = await admin.createTopics({ topics: [{ topic: 'bad', numPartitions: 0 }] }).catch((e: unknown) => e)
    await admin.disconnect()
    // kafkajs gathers the topics' errors in one aggregate.
    expect(refusal).toBeInstanceOf(first.KafkaJSAggregateError)
    expect((refusal as first.KafkaJSAggregateError).errors[0]).toBeInstanceOf(first.KafkaJSCreateTopicError)
    expect((refusal as first.KafkaJSAggregateError).errors[0]).toBeInstanceOf(first.KafkaJSProtocolError)
  })

  it('leaves a subclass defined by the user to ordinary instanceof', () => {
    class AppError extends first.KafkaJSError {}
    expect(new AppError('x')).toBeInstanceOf(AppError)
    expect(new AppError('x')).toBeInstanceOf(first.KafkaJSError)
    expect(new first.KafkaJSError('x')).not.toBeInstanceOf(AppError)
  })
})

describe('an address with no cluster while others are registered', () => {
  it('creates a cluster there with a warning naming the registered addresses', async () => {
    new first.Cluster({ basePort: 39392, seed: 1 })
    const warnings: Error[] = []
    const onWarning = (w: Error): void => void warnings.push(w)
    process.on('warning', onWarning)
    try {
      const kafka = new first.Kafka({ brokers: ['kafka:29092'], logLevel: first.logLevel.NOTHING })
      expect(await send(kafka, 't')).toBe('0')
      await new Promise((resolve) => process.nextTick(resolve))
    } finally {
      process.off('warning', onWarning)
    }
    const warning = warnings.find((w) => (w as { code?: string }).code === 'MEMKAFKA_UNKNOWN_ADDRESS')
    expect(warning?.name).toBe('MemkafkaWarning')
    expect(warning?.message).toContain('no cluster is registered at kafka:29092')
    expect(warning?.message).toContain('localhost:39392')
  })

  it("throws when Cluster.onUnknownAddress is 'error', creating nothing", () => {
    new first.Cluster({ basePort: 39492, seed: 1 })
    first.Cluster.onUnknownAddress = 'error'
    expect(() => new first.Kafka({ brokers: ['kafka:29092'] })).toThrow(first.KafkaJSNonRetriableError)
    expect(() => new first.Kafka({ brokers: ['kafka:29092'] })).toThrow(/no cluster is registered at kafka:29092; clusters are registered at localhost:39492/)
    expect(() => new first.Kafka({ brokers: ['localhost:39492'] })).not.toThrow()
  })

  it('creates one silently when no cluster is registered at all (the zero-setup drop-in)', async () => {
    const warnings: Error[] = []
    const onWarning = (w: Error): void => void warnings.push(w)
    process.on('warning', onWarning)
    try {
      expect(await send(new first.Kafka({ brokers: ['kafka:29092'], logLevel: first.logLevel.NOTHING }), 't')).toBe('0')
      await new Promise((resolve) => process.nextTick(resolve))
    } finally {
      process.off('warning', onWarning)
    }
    expect(warnings.filter((w) => (w as { code?: string }).code === 'MEMKAFKA_UNKNOWN_ADDRESS')).toEqual([])
  })

  it('refuses a policy it does not know', () => {
    expect(() => {
      first.Cluster.onUnknownAddress = 'ignore' as 'warn'
    }).toThrow(TypeError)
  })
})
