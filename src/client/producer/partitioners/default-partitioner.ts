/**
 * kafkajs's partitioning strategy (kafkajs src/producer/partitioners/legacy/partitioner.js, which
 * follows the Java client 0.10.2 DefaultPartitioner), parameterised by the key hash:
 *
 * 1. A message with `partition` set goes to that partition, unchecked.
 * 2. A message with a key goes to `toPositive(hash(key)) % n` over ALL n partitions of the
 *    topic, leader or not: a key must keep its partition while a broker is down, or per-key
 *    ordering breaks (the write waits for a leader instead).
 * 3. A message with neither goes round-robin over the partitions that have a leader
 *    (`leader >= 0`), in metadata order, from a random start chosen once per topic. If no
 *    partition has a leader, the same counter picks one of all n partitions.
 *
 * DefaultPartitioner uses Java's murmur2; LegacyPartitioner uses kafkajs's legacy murmur2.
 * kafkajs draws each topic's start from 32 crypto-random bytes; we draw it from an injected
 * seeded Random instead, so a seed replays the same sequence.
 */

import { Random, entropySeed } from '../../../cluster/random.js'
import type { ICustomPartitioner, PartitionerArgs, PartitionerOptions } from './partitioner-types.js'
import { partitionsWithLeader } from './led-partitions.js'
import { murmur2 } from './murmur2.js'

/** A key hash returning a signed 32-bit integer, as murmur2 and legacyMurmur2 do. */
export type KeyHash = (key: Buffer | string) => number

/**
 * Kafka's `Utils.toPositive`: clears the sign bit rather than taking the absolute value, so that
 * every int32 (including -2^31) maps to a non-negative int32 deterministically. JavaScript's `&`
 * first truncates its operand to int32, which also makes an ever-growing counter wrap as Java's
 * int counter does.
 */
function toPositive(x: number): number {
  return x & 0x7fffffff
}

/** The partitioner factory kafkajs builds around a key hash (its `createLegacyPartitioner`). */
export function createHashPartitioner(hash: KeyHash): ICustomPartitioner {
  return (options?: PartitionerOptions) => {
    const random = options?.random ?? new Random(entropySeed())
    // Per topic, the round-robin counter. kafkajs keeps a growing Number and truncates it with
    // toPositive on use; keeping it as an int32 here gives the same residues (2^31 divides 2^32).
    const counters = new Map<string, number>()

    return ({ topic, partitionMetadata, message }: PartitionerArgs): number => {
      // kafkajs draws a topic's start on its first message, whatever kind that message is; doing
      // the same keeps our draws from the Random in the same order as its draws of entropy.
      let counter = counters.get(topic)
      if (counter === undefined) {
        counter = random.nextUint32() | 0
        counters.set(topic, counter)
      }

      if (message.partition !== null && message.partition !== undefined) return message.partition

      const numPartitions = partitionMetadata.length
      if (message.key !== null && message.key !== undefined) {
        return toPositive(hash(message.key)) % numPartitions
      }

      counter = (counter + 1) | 0
      counters.set(topic, counter)
      const withLeader = partitionsWithLeader(partitionMetadata)
      if (withLeader.length > 0) return withLeader[toPositive(counter) % withLeader.length]!
      // No partition has a leader: kafkajs still names one, and the send waits or fails there.
      return toPositive(counter) % numPartitions
    }
  }
}

/**
 * kafkajs's DefaultPartitioner since 2.0.0: the strategy above with Java's murmur2, so keyed
 * messages land where the Java client would put them.
 */
export const DefaultPartitioner: ICustomPartitioner = createHashPartitioner(murmur2)
