/**
 * The cluster's configuration as the rest of the model reads it: the static broker configs
 * (validated once), topic configs resolved per topic (override > broker synonym > Kafka
 * default), topic-name rules and replica placement. One object so that the controller, the
 * request handlers and the group coordinator all read the same values.
 */
import { KafkaError } from './error-codes.js'
import type { Random } from './random.js'
import { BrokerConfig, TopicConfig, describeBrokerConfigs, describeTopicConfigs, validateTopicConfigs, type BrokerConfigInput } from './config/config-store.js'
import { validateNewTopicName } from './metadata/topic-name.js'
import { assignReplicasToBrokers, validateManualAssignment, type BrokerPlacement } from './metadata/replica-assignment.js'
import type { TopicSettings } from './metadata/topic.js'
import type { GroupCoordinatorConfig } from './group/group-coordinator-config.js'
import type { DescribedConfig } from './api/messages.js'

export type { BrokerConfigInput }

/** The listeners (listeners + listener.security.protocol.map) and the SASL mechanisms they accept. */
export interface ListenerConfig {
  readonly listeners: readonly { readonly name: string; readonly host: string; readonly port: number; readonly securityProtocol: string }[]
  readonly saslMechanisms: readonly string[]
}

export class ClusterConfig {
  readonly broker: BrokerConfig

  constructor(input: BrokerConfigInput) {
    this.broker = BrokerConfig.create(input)
  }

  brokerRack(): string | null {
    return (this.broker.get('broker.rack') as string | null | undefined) ?? null
  }

  numPartitions(): number {
    return this.broker.get('num.partitions') as number
  }

  defaultReplicationFactor(): number {
    return this.broker.get('default.replication.factor') as number
  }

  autoCreateTopicsEnable(): boolean {
    return this.broker.get('auto.create.topics.enable') as boolean
  }

  /** The authorizer's settings (authorizer.class.name, super.users, allow.everyone.if.no.acl.found). */
  authorizerConfig(): { enabled: boolean; superUsers: string[]; allowEveryoneIfNoAclFound: boolean } {
    const className = this.broker.get('authorizer.class.name') as string
    const superUsers = (this.broker.get('super.users') as string).split(';').map((s) => s.trim()).filter((s) => s !== '')
    return { enabled: className !== '', superUsers, allowEveryoneIfNoAclFound: this.broker.get('allow.everyone.if.no.acl.found') as boolean }
  }

  /** The listeners (listeners + listener.security.protocol.map) and the SASL mechanisms they accept. */
  listenerConfig(): ListenerConfig {
    // Parsed again only when one of its three configs has changed: every client's connection
    // asks (a test's life connects several), and the answer is the same until then. Callers
    // must not change what they are given.
    const raw = [this.broker.get('listener.security.protocol.map'), this.broker.get('listeners'), this.broker.get('sasl.enabled.mechanisms')] as const
    const cached = this.parsedListeners
    if (cached && cached.raw[0] === raw[0] && cached.raw[1] === raw[1] && cached.raw[2] === raw[2]) return cached.config
    const config = this.parseListenerConfig()
    this.parsedListeners = { raw, config }
    return config
  }

  private parsedListeners: { raw: readonly [unknown, unknown, unknown]; config: ListenerConfig } | undefined

  private parseListenerConfig(): ListenerConfig {
    const map = new Map(
      (this.broker.get('listener.security.protocol.map') as string).split(',').filter((e) => e.includes(':')).map((e) => {
        const [name, protocol] = e.split(':') as [string, string]
        return [name.trim().toUpperCase(), protocol.trim().toUpperCase()]
      }),
    )
    const listeners = (this.broker.get('listeners') as string).split(',').filter((l) => l.trim() !== '').map((l) => {
      const match = /^([A-Za-z0-9_]+):\/\/(\[[^\]]*\]|[^:]*):(\d+)$/.exec(l.trim())
      if (!match) throw new KafkaError('INVALID_CONFIG', `Invalid listener ${l.trim()}: expected NAME://host:port`)
      const name = match[1]!.toUpperCase()
      const securityProtocol = map.get(name)
      if (!securityProtocol) throw new KafkaError('INVALID_CONFIG', `No security protocol defined for listener ${name} (listener.security.protocol.map)`)
      return { name, host: match[2]!, port: Number(match[3]), securityProtocol }
    })
    const mechanisms = this.broker.get('sasl.enabled.mechanisms') as unknown
    return { listeners, saslMechanisms: Array.isArray(mechanisms) ? (mechanisms as string[]) : String(mechanisms).split(',').map((m) => m.trim()) }
  }

  deleteTopicEnable(): boolean {
    return this.broker.get('delete.topic.enable') as boolean
  }

  offsetsTopicPartitions(): number {
    return this.broker.get('offsets.topic.num.partitions') as number
  }

  transactionStateLogPartitions(): number {
    return this.broker.get('transaction.state.log.num.partitions') as number
  }

  offsetsTopicReplicationFactor(): number {
    return this.broker.get('offsets.topic.replication.factor') as number
  }

  transactionStateLogReplicationFactor(): number {
    return this.broker.get('transaction.state.log.replication.factor') as number
  }

  transactionMaxTimeoutMs(): number {
    return this.broker.get('transaction.max.timeout.ms') as number
  }

  transactionalIdExpirationMs(): number {
    return this.broker.get('transactional.id.expiration.ms') as number
  }

  producerIdExpirationMs(): number {
    return this.broker.get('producer.id.expiration.ms') as number
  }

  replicaLagTimeMaxMs(): number {
    return this.broker.get('replica.lag.time.max.ms') as number
  }

  brokerSessionTimeoutMs(): number {
    return this.broker.get('broker.session.timeout.ms') as number
  }

  autoLeaderRebalanceEnable(): boolean {
    return this.broker.get('auto.leader.rebalance.enable') as boolean
  }

  leaderImbalanceCheckIntervalMs(): number {
    return (this.broker.get('leader.imbalance.check.interval.seconds') as number) * 1000
  }

  /** log.retention.check.interval.ms: how often retention looks for segments to delete. */
  logRetentionCheckIntervalMs(): number {
    return this.broker.get('log.retention.check.interval.ms') as number
  }

  /** log.cleaner.backoff.ms: how long the cleaner sleeps between passes. */
  logCleanerBackoffMs(): number {
    return this.broker.get('log.cleaner.backoff.ms') as number
  }

  /** log.cleaner.enable: whether the cleaner runs in the background at all. */
  logCleanerEnable(): boolean {
    return this.broker.get('log.cleaner.enable') as boolean
  }

  groupCoordinatorConfig(): GroupCoordinatorConfig {
    return {
      groupInitialRebalanceDelayMs: this.broker.get('group.initial.rebalance.delay.ms') as number,
      groupMinSessionTimeoutMs: this.broker.get('group.min.session.timeout.ms') as number,
      groupMaxSessionTimeoutMs: this.broker.get('group.max.session.timeout.ms') as number,
      groupMaxSize: this.broker.get('group.max.size') as number,
      offsetsRetentionMs: (this.broker.get('offsets.retention.minutes') as number) * 60_000,
      offsetsRetentionCheckIntervalMs: this.broker.get('offsets.retention.check.interval.ms') as number,
      offsetMetadataMaxBytes: this.broker.get('offset.metadata.max.bytes') as number,
    }
  }

  validateTopicName(name: string, existing: Iterable<string>): KafkaError | undefined {
    return validateNewTopicName(name, existing)
  }

  validateTopicConfigs(configs: readonly { name: string; value: string | null }[]): KafkaError | undefined {
    return validateTopicConfigs(configs, { brokerConfig: this.broker })
  }

  topicConfig(overrides: ReadonlyMap<string, string>): TopicConfig {
    return TopicConfig.resolve(this.broker, overrides as Map<string, string>)
  }

  resolveTopicSettings(overrides: ReadonlyMap<string, string>): TopicSettings {
    const config = this.topicConfig(overrides)
    return {
      maxMessageBytes: config.get('max.message.bytes') as number,
      timestampType: config.get('message.timestamp.type') === 'LogAppendTime' ? 1 : 0,
      minInsyncReplicas: config.get('min.insync.replicas') as number,
      segmentBytes: config.get('segment.bytes') as number,
      segmentMs: config.get('segment.ms') as number,
      cleanupPolicy: (config.get('cleanup.policy') as string[]).map((p) => p.toLowerCase() as 'delete' | 'compact'),
      retentionMs: config.get('retention.ms') as number,
      retentionBytes: config.get('retention.bytes') as number,
      deleteRetentionMs: config.get('delete.retention.ms') as number,
      minCompactionLagMs: config.get('min.compaction.lag.ms') as number,
      maxCompactionLagMs: config.get('max.compaction.lag.ms') as number,
      minCleanableDirtyRatio: config.get('min.cleanable.dirty.ratio') as number,
      uncleanLeaderElectionEnable: config.get('unclean.leader.election.enable') as boolean,
    }
  }

  describeTopic(overrides: ReadonlyMap<string, string>, keys: readonly string[] | null, includeSynonyms: boolean, includeDocumentation = false): DescribedConfig[] {
    return describeTopicConfigs(this.topicConfig(overrides), { configurationKeys: keys, includeSynonyms, includeDocumentation })
  }

  describeBroker(keys: readonly string[] | null, includeSynonyms: boolean, includeDocumentation = false): DescribedConfig[] {
    return describeBrokerConfigs(this.broker, { configurationKeys: keys, includeSynonyms, includeDocumentation })
  }

  assignReplicas(brokers: readonly BrokerPlacement[], partitions: number, replicationFactor: number, startPartitionId: number, random: Random): number[][] {
    return assignReplicasToBrokers({ brokers, partitions, replicationFactor, startPartitionId, random })
  }

  validateManualAssignment(assignment: readonly (readonly number[])[], replicationFactor: number | undefined, knownBrokerIds: readonly number[]): KafkaError | undefined {
    return validateManualAssignment(assignment, knownBrokerIds, replicationFactor)
  }
}
