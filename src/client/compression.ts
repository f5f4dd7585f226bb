/**
 * kafkajs's compression registry. GZIP is built in; Snappy, LZ4 and ZSTD need a codec that the
 * user registers (`CompressionCodecs[CompressionTypes.Snappy] = SnappyCodec`), and without one
 * kafkajs throws KafkaJSNotImplemented when it encodes a batch. memkafka asks the registry the
 * same way, so code that would fail against Kafka fails here too; the records themselves are
 * stored uncompressed (no byte of them leaves the process).
 */
import { KafkaJSNotImplemented } from './errors.js'

export const CompressionTypes = { None: 0, GZIP: 1, Snappy: 2, LZ4: 3, ZSTD: 4 } as const

export type CompressionCodecFactory = () => unknown

const notImplemented = (name: string): CompressionCodecFactory => () => {
  throw new KafkaJSNotImplemented(`${name} compression not implemented`)
}

/** Mutable, as kafkajs's is: users register codecs here. */
export const CompressionCodecs: Record<number, CompressionCodecFactory> = {
  [CompressionTypes.GZIP]: () => ({ gzip: true }),
  [CompressionTypes.Snappy]: notImplemented('Snappy'),
  [CompressionTypes.LZ4]: notImplemented('LZ4'),
  [CompressionTypes.ZSTD]: notImplemented('ZSTD'),
}

/** Looks the codec up as kafkajs's encoder does, throwing when none is registered. */
export function checkCompression(compression: number | undefined): void {
  if (!compression) return
  const factory = CompressionCodecs[compression]
  if (factory) factory()
}
