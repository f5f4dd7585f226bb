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
  readonly retentionMs: number
  readonly retentionBytes: number
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
