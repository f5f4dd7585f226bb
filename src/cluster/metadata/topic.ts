import type { Partition } from '../partition/partition.js'

/**
 * The effective settings of a topic that the request path reads on every produce and fetch,
 * resolved from its configs (topic override > broker default > Kafka default) whenever they
 * change, so the hot path reads fields rather than parsing strings.
 */
export interface TopicSettings {
  readonly maxMessageBytes: number
  /** 0 CreateTime, 1 LogAppendTime */
  readonly timestampType: 0 | 1
  readonly minInsyncReplicas: number
  readonly segmentBytes: number
  readonly segmentMs: number
  readonly cleanupPolicy: readonly ('delete' | 'compact')[]
  /** retention.ms: -1 keeps segments forever. */
  readonly retentionMs: number
  /** retention.bytes: -1 sets no size limit. */
  readonly retentionBytes: number
  /** delete.retention.ms: how long a compacted topic keeps tombstones once the cleaner has seen them. */
  readonly deleteRetentionMs: number
  /** min.compaction.lag.ms: the least time a record stays uncompacted. */
  readonly minCompactionLagMs: number
  /** max.compaction.lag.ms: the longest a record stays uncompacted (Infinity for Long.MAX_VALUE). */
  readonly maxCompactionLagMs: number
  /** min.cleanable.dirty.ratio: the dirty share of the log that makes the cleaner compact it. */
  readonly minCleanableDirtyRatio: number
  readonly uncleanLeaderElectionEnable: boolean
}

export class Topic {
  readonly name: string
  readonly topicId: string
  readonly isInternal: boolean
  partitions: Partition[]
  /** Dynamic topic configs (overrides), by Kafka name, as strings. */
  configs: Map<string, string>
  settings: TopicSettings

  constructor(init: {
    name: string
    topicId: string
    isInternal: boolean
    partitions: Partition[]
    configs: Map<string, string>
    settings: TopicSettings
  }) {
    this.name = init.name
    this.topicId = init.topicId
    this.isInternal = init.isInternal
    this.partitions = init.partitions
    this.configs = init.configs
    this.settings = init.settings
  }

  get isCompacted(): boolean {
    return this.settings.cleanupPolicy.includes('compact')
  }

  get replicationFactor(): number {
    return this.partitions[0]?.replicas.length ?? 0
  }
}
