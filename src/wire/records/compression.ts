/**
 * Compression codecs of Kafka's records (attribute bits 0-2): none and gzip are implemented
 * with node:zlib; snappy, lz4 and zstd are refused with UNSUPPORTED_COMPRESSION_TYPE, which
 * is what a broker answers for a codec it cannot read.
 */
import { gunzipSync } from 'node:zlib'
import { CorruptRecordError, UnsupportedCompressionError } from './records-error.js'

export const Compression = { None: 0, Gzip: 1, Snappy: 2, Lz4: 3, Zstd: 4 } as const

const NAMES = ['none', 'gzip', 'snappy', 'lz4', 'zstd']

/**
 * The most bytes one compressed payload may inflate to (Kafka's default
 * socket.request.max.bytes), so that a small gzip bomb cannot exhaust memory.
 */
export const MAX_DECOMPRESSED_BYTES = 100 * 1024 * 1024

/** Inflates `payload` compressed with codec `codec`; the input itself for codec 0. */
export function decompress(codec: number, payload: Buffer): Buffer {
  switch (codec) {
    case Compression.None:
      return payload
    case Compression.Gzip:
      try {
        return gunzipSync(payload, { maxOutputLength: MAX_DECOMPRESSED_BYTES })
      } catch (error) {
        throw new CorruptRecordError(`gzip payload cannot be inflated: ${(error as Error).message}`)
      }
    case Compression.Snappy:
    case Compression.Lz4:
    case Compression.Zstd:
      throw new UnsupportedCompressionError(`${NAMES[codec]} compression is not supported by memkafka`)
    default:
      throw new CorruptRecordError(`unknown compression codec ${codec}`)
  }
}
