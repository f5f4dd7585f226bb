/**
 * Kafka's murmur2 key hash, bit-for-bit as the Java client computes it
 * (`org.apache.kafka.common.utils.Utils.murmur2`), which is what kafkajs's DefaultPartitioner
 * (the JavaCompatiblePartitioner before 2.0.0) uses. Agreeing with Java matters: a key must land
 * on the same partition whichever client wrote it, or per-key ordering breaks across services.
 *
 * Java does all of this in 32-bit `int` arithmetic with wrap-around, so every multiply here is
 * `Math.imul` and every value stays an int32. kafkajs gets the same bits through 64-bit Longs,
 * keeping only the low 32 bits at the end.
 */

const SEED = 0x9747b28c
// The mixing constants of MurmurHash2 (Austin Appleby), as Kafka uses them.
const M = 0x5bd1e995
const R = 24

/**
 * The signed 32-bit murmur2 hash of a key. A Buffer is hashed as is; anything else is hashed as
 * the UTF-8 bytes of `String(key)`, as kafkajs does. An ASCII string (the usual key) is its own
 * UTF-8: its char codes are hashed without building a Buffer of them first (issue 15: a keyed
 * send encoded every key twice, once here and once for the record).
 */
export function murmur2(key: Buffer | string): number {
  if (typeof key === 'string' && isAscii(key)) return murmur2Ascii(key)
  return murmur2Bytes(Buffer.isBuffer(key) ? key : Buffer.from(String(key)))
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false
  return true
}

function murmur2Bytes(data: Buffer): number {
  const length = data.length
  let h = SEED ^ length

  // Whole 4-byte blocks, read little-endian.
  const blocksEnd = length & ~3
  for (let i = 0; i < blocksEnd; i += 4) {
    let k = data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24)
    k = Math.imul(k, M)
    k ^= k >>> R
    k = Math.imul(k, M)
    h = Math.imul(h, M) ^ k
  }

  // The last 1-3 bytes (Java's switch falls through from case 3 to case 1).
  const tail = length & 3
  if (tail === 3) h ^= data[blocksEnd + 2]! << 16
  if (tail >= 2) h ^= data[blocksEnd + 1]! << 8
  if (tail >= 1) {
    h ^= data[blocksEnd]!
    h = Math.imul(h, M)
  }
  return finish(h)
}

/** murmur2Bytes over an ASCII string's char codes, which are its UTF-8 bytes. */
function murmur2Ascii(text: string): number {
  const length = text.length
  let h = SEED ^ length
  const blocksEnd = length & ~3
  for (let i = 0; i < blocksEnd; i += 4) {
    let k = text.charCodeAt(i) | (text.charCodeAt(i + 1) << 8) | (text.charCodeAt(i + 2) << 16) | (text.charCodeAt(i + 3) << 24)
    k = Math.imul(k, M)
    k ^= k >>> R
    k = Math.imul(k, M)
    h = Math.imul(h, M) ^ k
  }
  const tail = length & 3
  if (tail === 3) h ^= text.charCodeAt(blocksEnd + 2) << 16
  if (tail >= 2) h ^= text.charCodeAt(blocksEnd + 1) << 8
  if (tail >= 1) {
    h ^= text.charCodeAt(blocksEnd)
    h = Math.imul(h, M)
  }
  return finish(h)
}

function finish(hash: number): number {
  let h = hash
  h ^= h >>> 13
  h = Math.imul(h, M)
  h ^= h >>> 15
  return h
}
