/**
 * Compression as kafkajs does it: GZIP is built in, Snappy / LZ4 / ZSTD need a registered codec
 * and otherwise fail with KafkaJSNotImplemented, writing nothing.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { Cluster, CompressionCodecs, CompressionTypes, KafkaJSNotImplemented, logLevel } from '../../../src/index.js'

const snappy = CompressionCodecs[CompressionTypes.Snappy]!

async function setup(): Promise<{ cluster: Cluster; send: (compression: number) => Promise<unknown> }> {
  const cluster = new Cluster({ seed: 1 })
  const producer = cluster.kafka({ logLevel: logLevel.NOTHING }).producer()
  await producer.connect()
  return { cluster, send: (compression) => producer.send({ topic: 'c', compression, messages: [{ value: 'v' }] }) }
}

describe('compression', () => {
  afterEach(() => {
    CompressionCodecs[CompressionTypes.Snappy] = snappy
  })

  it('accepts GZIP and None', async () => {
    const { cluster, send } = await setup()
    await send(CompressionTypes.GZIP)
    await send(CompressionTypes.None)
    expect(cluster.describe().topics[0]!.partitions[0]!.highWatermark).toBe(2)
  })

  it.each([
    ['Snappy', CompressionTypes.Snappy],
    ['LZ4', CompressionTypes.LZ4],
    ['ZSTD', CompressionTypes.ZSTD],
  ])('refuses %s without a registered codec, writing nothing', async (name, type) => {
    const { cluster, send } = await setup()
    const error = await send(type).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(KafkaJSNotImplemented)
    expect((error as Error).message).toBe(`${name} compression not implemented`)
    expect(cluster.describe().topics).toEqual([])
  })

  it('accepts Snappy once a codec is registered, as kafkajs users do', async () => {
    CompressionCodecs[CompressionTypes.Snappy] = () => ({ compress: async (b: Buffer) => b, decompress: async (b: Buffer) => b })
    const { cluster, send } = await setup()
    await send(CompressionTypes.Snappy)
    expect(cluster.describe().topics[0]!.partitions[0]!.highWatermark).toBe(1)
  })
})
