/**
 * The shapes partitioners work with, under kafkajs's names (types/index.d.ts): the partition
 * metadata and message a partitioner sees, and the factory it is made by. The partitioners
 * (default-partitioner.ts, legacy-partitioner.ts) and their index all depend on this file,
 * and it on nothing of theirs.
 */
import type { Random } from '../../../cluster/random.js'

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
