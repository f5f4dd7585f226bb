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

import type { Random } from '../../../cluster/random.js'
import { DefaultPartitioner } from './default-partitioner.js'
import { LegacyPartitioner } from './legacy-partitioner.js'

/** A partition of a topic as the producer's metadata describes it (kafkajs `PartitionMetadata`). */
export type PartitionMetadata = {
  partitionErrorCode: number
  partitionId: number
  /** The leader's broker id, or -1 when the partition has no leader. */
  leader: number
  replicas: number[]
  isr: number[]
  offlineReplicas?: number[]
}

/** The message a partitioner sees: kafkajs's `Message`, as the user passed it to send(). */
export interface PartitionerMessage {
  key?: Buffer | string | null
  value: Buffer | string | null
  partition?: number
  headers?: { [key: string]: Buffer | string | (Buffer | string)[] | undefined }
  timestamp?: string
}

/** What a partitioner is called with for each message (kafkajs `PartitionerArgs`). */
export interface PartitionerArgs {
  topic: string
  partitionMetadata: PartitionMetadata[]
  message: PartitionerMessage
}

/** memkafka's extension: where a partitioner's randomness comes from. */
export interface PartitionerOptions {
  /** The source of the keyless round-robin start; a fresh entropy-seeded one when absent. */
  random?: Random
}

/** Picks the partition for one message. */
export type Partitioner = (args: PartitionerArgs) => number

/** A partitioner factory (kafkajs `ICustomPartitioner`, plus memkafka's optional options). */
export type ICustomPartitioner = (options?: PartitionerOptions) => Partitioner

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
