/**
 * The producer's partitioners, shaped like kafkajs's `Partitioners` export
 * (kafkajs src/producer/partitioners/index.js, types/index.d.ts).
 *
 * A partitioner factory is called once per producer (kafkajs: `createPartitioner()`) and returns
 * the function that picks a partition for each message. Ours take an optional `{ random }` so
 * that the keyless round-robin start comes from the cluster's seeded Random; kafkajs's factories
 * take no argument, so a custom partitioner written for kafkajs fits our type unchanged, and ours
 * fit kafkajs's `ICustomPartitioner`.
 */

import { DefaultPartitioner } from './default-partitioner.js'
import { LegacyPartitioner } from './legacy-partitioner.js'
import type { ICustomPartitioner } from './partitioner-types.js'

export type { ICustomPartitioner, Partitioner, PartitionerArgs, PartitionerMessage, PartitionerOptions, PartitionMetadata } from './partitioner-types.js'
export { DefaultPartitioner, LegacyPartitioner }
export { murmur2 } from './murmur2.js'
export { legacyMurmur2 } from './legacy-murmur2.js'

export const Partitioners: {
  DefaultPartitioner: ICustomPartitioner
  LegacyPartitioner: ICustomPartitioner
  /**
   * @deprecated Use DefaultPartitioner instead
   *
   * The JavaCompatiblePartitioner was renamed DefaultPartitioner and made to be the default in
   * kafkajs 2.0.0; the old name is the same factory.
   */
  JavaCompatiblePartitioner: ICustomPartitioner
} = {
  DefaultPartitioner,
  LegacyPartitioner,
  JavaCompatiblePartitioner: DefaultPartitioner,
}
