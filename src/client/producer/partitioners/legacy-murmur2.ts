/**
 * kafkajs's legacy murmur2: the hash its LegacyPartitioner (the default before kafkajs 2.0.0)
 * uses. It was meant to be Kafka's murmur2 but differs from Java's on most keys, so producers
 * that must keep the partition their keys had under kafkajs 1.x choose it on purpose
 * (kafkajs migration guide, "Producer: new default partitioner"). We reproduce it exactly,
 * quirks included, because agreeing with kafkajs is its only reason to exist:
 *
 * - It multiplies with plain JavaScript numbers (`*`), not 32-bit integer multiplication, so
 *   products beyond 2^53 are rounded to a double before the next `^` or `>>>` truncates them to
 *   32 bits. The exact sequence of `*`, `^` and `>>>` below is what decides the result; do not
 *   "fix" it to `Math.imul`.
 * - Its block loop runs while `i < length / 4` without flooring, so a trailing partial block is
 *   also mixed in as a whole block (the missing bytes read as `undefined & 0xff`, i.e. 0) before
 *   the tail bytes are mixed in again.
 */

const SEED = 0x9747b28c
const M = 0x5bd1e995
const R = 24

/**
 * The legacy kafkajs murmur2 hash of a key (a signed 32-bit integer). A Buffer is hashed as is;
 * anything else as the UTF-8 bytes of `String(key)`.
 */
export function legacyMurmur2(key: Buffer | string): number {
  const data = Buffer.isBuffer(key) ? key : Buffer.from(String(key))
  const length = data.length
  let h = SEED ^ length

  // `i < length` over a step of 4 is kafkajs's `i < length / 4` over a step of 1: a partial
  // last block counts as a block, zero-padded.
  for (let i = 0; i < length; i += 4) {
    let k =
      data[i]! |
      ((i + 1 < length ? data[i + 1]! : 0) << 8) |
      ((i + 2 < length ? data[i + 2]! : 0) << 16) |
      ((i + 3 < length ? data[i + 3]! : 0) << 24)
    k *= M
    k ^= k >>> R
    k *= M
    h *= M
    h ^= k
  }

  const blocksEnd = length & ~3
  const tail = length & 3
  if (tail === 3) h ^= data[blocksEnd + 2]! << 16
  if (tail >= 2) h ^= data[blocksEnd + 1]! << 8
  if (tail >= 1) {
    h ^= data[blocksEnd]!
    h *= M
  }

  h ^= h >>> 13
  h *= M
  h ^= h >>> 15
  return h
}
