/**
 * The topic configs of Kafka 3.7 (org.apache.kafka.storage.internals.log.LogConfig and
 * org.apache.kafka.common.config.TopicConfig), with Kafka's names, types, defaults and
 * validators, and each one's broker synonyms in Kafka's order of precedence
 * (org.apache.kafka.server.config.ServerTopicConfigSynonyms).
 *
 * Every config Kafka 3.7 accepts on a topic is here, so a config that is valid against a real
 * cluster is valid against memkafka. Some are accepted and described but change nothing in an
 * in-memory log (flush.*, index sizes, preallocate, file.delete.delay.ms, compression.type,
 * message.downconversion.enable, message.format.version, the throttled-replica lists,
 * local.retention.*); `INERT_TOPIC_CONFIGS` lists them.
 */
import {
  LONG_MAX_VALUE,
  atLeast,
  between,
  validList,
  validString,
  type BrokerSynonym,
  type ConfigDefinition,
  type ConfigType,
  type ConfigValidator,
  type ConfigValue,
  type ConfigValueTypes,
} from './config-definition.js'

/** A topic config always has a default and lists its broker synonyms (possibly none). */
type TopicDefinitionOf<N extends string, T extends ConfigType> = ConfigDefinition<N, T> & {
  readonly default: string
  readonly brokerSynonyms: readonly BrokerSynonym[]
}

function topic<const N extends string, const T extends ConfigType>(
  definition: Omit<ConfigDefinition<N, T>, 'scope' | 'default' | 'brokerSynonyms'> & {
    readonly default: string
    readonly brokerSynonyms: readonly BrokerSynonym[]
  },
): TopicDefinitionOf<N, T> {
  return { ...definition, scope: 'topic' }
}

const HOURS_TO_MS = 60 * 60 * 1000
const MINUTES_TO_MS = 60 * 1000

/** BrokerCompressionType.names(), in Kafka's order. */
export const BROKER_COMPRESSION_TYPES = ['uncompressed', 'zstd', 'lz4', 'snappy', 'gzip', 'producer'] as const

/**
 * The versions MetadataVersion.fromVersionString accepts in Kafka 3.7 (each "x.y-IVn" and each
 * release "x.y"), for the deprecated message.format.version.
 */
const METADATA_VERSIONS = new Set([
  '0.8.0', '0.8.1', '0.8.2', '0.9.0',
  '0.10.0', '0.10.0-IV0', '0.10.0-IV1', '0.10.1', '0.10.1-IV0', '0.10.1-IV1', '0.10.1-IV2', '0.10.2', '0.10.2-IV0',
  '0.11.0', '0.11.0-IV0', '0.11.0-IV1', '0.11.0-IV2',
  '1.0', '1.0-IV0', '1.1', '1.1-IV0',
  '2.0', '2.0-IV0', '2.0-IV1', '2.1', '2.1-IV0', '2.1-IV1', '2.1-IV2', '2.2', '2.2-IV0', '2.2-IV1',
  '2.3', '2.3-IV0', '2.3-IV1', '2.4', '2.4-IV0', '2.4-IV1', '2.5', '2.5-IV0', '2.6', '2.6-IV0',
  '2.7', '2.7-IV0', '2.7-IV1', '2.7-IV2', '2.8', '2.8-IV0', '2.8-IV1',
  '3.0', '3.0-IV0', '3.0-IV1', '3.1', '3.1-IV0', '3.2', '3.2-IV0', '3.3', '3.3-IV0', '3.3-IV1', '3.3-IV2', '3.3-IV3',
  '3.4', '3.4-IV0', '3.5', '3.5-IV0', '3.5-IV1', '3.5-IV2', '3.6', '3.6-IV0', '3.6-IV1', '3.6-IV2',
  '3.7', '3.7-IV0', '3.7-IV1', '3.7-IV2', '3.7-IV3', '3.7-IV4', '3.8', '3.8-IV0',
])

/** MetadataVersionValidator: "2.8.1" means release 2.8, "0.10.0.1" means 0.10.0. */
function metadataVersionReason(value: ConfigValue): string | undefined {
  const text = String(value)
  // Java's String.split drops trailing empty strings.
  const segments = text.split('.')
  while (segments.length > 0 && segments[segments.length - 1] === '') segments.pop()
  const wanted = text.startsWith('0.') ? 3 : 2
  const key = wanted >= segments.length ? text : segments.slice(0, wanted).join('.')
  return METADATA_VERSIONS.has(key) ? undefined : `Version ${text} is not a valid version`
}

/** Kafka's MetadataVersionValidator, shared by message.format.version and log.message.format.version. */
export const MESSAGE_FORMAT_VERSION_VALIDATOR: ConfigValidator = {
  kind: 'custom',
  description: '[0.8.0, 0.8.1, ..., 3.8-IV0]',
  check: metadataVersionReason,
}

/** ThrottledReplicaListValidator: '*' or "partitionId:brokerId" pairs. */
function throttledReplicasReason(name: string) {
  return (value: ConfigValue): string | undefined => {
    const entries = (value as readonly string[]).map((s) => s.trim())
    if (entries.every((s) => /^([0-9]+:[0-9]+)?$/.test(s)) || entries.join('') === '*') return undefined
    return `${name} must be the literal '*' or a list of replicas in the following format: [partitionId]:[brokerId],[partitionId]:[brokerId],...`
  }
}

export const TOPIC_CONFIG_DEFINITIONS = [
  topic({
    name: 'cleanup.policy', type: 'LIST', default: 'delete', validator: validList('compact', 'delete'),
    documentation: "How old log segments are retired: 'delete' drops them past retention, 'compact' keeps the latest record per key; both may be given.",
    brokerSynonyms: [{ name: 'log.cleanup.policy' }],
  }),
  topic({
    name: 'compression.type', type: 'STRING', default: 'producer', validator: validString(...BROKER_COMPRESSION_TYPES),
    documentation: "The final compression of the topic's data; 'producer' keeps the producer's codec, 'uncompressed' stores it uncompressed.",
    brokerSynonyms: [{ name: 'compression.type' }],
  }),
  topic({
    name: 'delete.retention.ms', type: 'LONG', default: '86400000', validator: atLeast(0),
    documentation: 'How long tombstones (null values) are kept on a compacted topic after cleaning, so consumers can see the delete.',
    brokerSynonyms: [{ name: 'log.cleaner.delete.retention.ms' }],
  }),
  topic({
    name: 'file.delete.delay.ms', type: 'LONG', default: '60000', validator: atLeast(0),
    documentation: 'How long to wait before deleting a file from the filesystem.',
    brokerSynonyms: [{ name: 'log.segment.delete.delay.ms' }],
  }),
  topic({
    name: 'flush.messages', type: 'LONG', default: LONG_MAX_VALUE, validator: atLeast(1),
    documentation: 'Force an fsync after this many messages (Kafka relies on replication instead by default).',
    brokerSynonyms: [{ name: 'log.flush.interval.messages' }],
  }),
  topic({
    name: 'flush.ms', type: 'LONG', default: LONG_MAX_VALUE, validator: atLeast(0),
    documentation: 'Force an fsync after this much time.',
    brokerSynonyms: [{ name: 'log.flush.interval.ms' }, { name: 'log.flush.scheduler.interval.ms' }],
  }),
  topic({
    name: 'follower.replication.throttled.replicas', type: 'LIST', default: '',
    validator: { kind: 'custom', description: '[partitionId]:[brokerId],[partitionId]:[brokerId],...', check: throttledReplicasReason('follower.replication.throttled.replicas') },
    documentation: 'Replicas whose replication is throttled on the follower side, or * for all.',
    brokerSynonyms: [],
  }),
  topic({
    name: 'index.interval.bytes', type: 'INT', default: '4096', validator: atLeast(0),
    documentation: 'How often (in bytes) an entry is added to the offset index.',
    brokerSynonyms: [{ name: 'log.index.interval.bytes' }],
  }),
  topic({
    name: 'leader.replication.throttled.replicas', type: 'LIST', default: '',
    validator: { kind: 'custom', description: '[partitionId]:[brokerId],[partitionId]:[brokerId],...', check: throttledReplicasReason('leader.replication.throttled.replicas') },
    documentation: 'Replicas whose replication is throttled on the leader side, or * for all.',
    brokerSynonyms: [],
  }),
  topic({
    name: 'local.retention.bytes', type: 'LONG', default: '-2', validator: atLeast(-2),
    documentation: 'Tiered storage: bytes kept locally before deletion; -2 means retention.bytes.',
    brokerSynonyms: [{ name: 'log.local.retention.bytes' }],
  }),
  topic({
    name: 'local.retention.ms', type: 'LONG', default: '-2', validator: atLeast(-2),
    documentation: 'Tiered storage: time a segment is kept locally before deletion; -2 means retention.ms.',
    brokerSynonyms: [{ name: 'log.local.retention.ms' }],
  }),
  topic({
    name: 'max.compaction.lag.ms', type: 'LONG', default: LONG_MAX_VALUE, validator: atLeast(1),
    documentation: 'The longest a record may stay ineligible for compaction.',
    brokerSynonyms: [{ name: 'log.cleaner.max.compaction.lag.ms' }],
  }),
  topic({
    name: 'max.message.bytes', type: 'INT', default: '1048588', validator: atLeast(0),
    documentation: 'The largest record batch size allowed after compression; larger batches are refused with MESSAGE_TOO_LARGE.',
    brokerSynonyms: [{ name: 'message.max.bytes' }],
  }),
  topic({
    name: 'message.downconversion.enable', type: 'BOOLEAN', default: 'true',
    documentation: 'Whether the broker down-converts message formats for old consumers.',
    brokerSynonyms: [{ name: 'log.message.downconversion.enable' }],
  }),
  topic({
    name: 'message.format.version', type: 'STRING', default: '3.0-IV1',
    validator: MESSAGE_FORMAT_VERSION_VALIDATOR,
    documentation: 'Deprecated: the message format version; ignored when inter.broker.protocol.version is 3.0 or higher.',
    brokerSynonyms: [{ name: 'log.message.format.version' }],
  }),
  topic({
    name: 'message.timestamp.after.max.ms', type: 'LONG', default: LONG_MAX_VALUE, validator: atLeast(0),
    documentation: 'With CreateTime, how far a record timestamp may lie in the future of the broker clock (KIP-937).',
    brokerSynonyms: [{ name: 'log.message.timestamp.after.max.ms' }],
  }),
  topic({
    name: 'message.timestamp.before.max.ms', type: 'LONG', default: LONG_MAX_VALUE, validator: atLeast(0),
    documentation: 'With CreateTime, how far a record timestamp may lie in the past of the broker clock (KIP-937).',
    brokerSynonyms: [{ name: 'log.message.timestamp.before.max.ms' }],
  }),
  topic({
    name: 'message.timestamp.difference.max.ms', type: 'LONG', default: LONG_MAX_VALUE, validator: atLeast(0),
    documentation: 'Deprecated since 3.6: the largest allowed difference between a record timestamp and the broker clock.',
    brokerSynonyms: [{ name: 'log.message.timestamp.difference.max.ms' }],
  }),
  topic({
    name: 'message.timestamp.type', type: 'STRING', default: 'CreateTime', validator: validString('CreateTime', 'LogAppendTime'),
    documentation: "Whether a record keeps the producer's timestamp (CreateTime) or gets the broker's append time (LogAppendTime).",
    brokerSynonyms: [{ name: 'log.message.timestamp.type' }],
  }),
  topic({
    name: 'min.cleanable.dirty.ratio', type: 'DOUBLE', default: '0.5', validator: between(0, 1),
    documentation: 'The share of the log that must be uncompacted before the cleaner compacts it.',
    brokerSynonyms: [{ name: 'log.cleaner.min.cleanable.ratio' }],
  }),
  topic({
    name: 'min.compaction.lag.ms', type: 'LONG', default: '0', validator: atLeast(0),
    documentation: 'The least time a record stays uncompacted.',
    brokerSynonyms: [{ name: 'log.cleaner.min.compaction.lag.ms' }],
  }),
  topic({
    name: 'min.insync.replicas', type: 'INT', default: '1', validator: atLeast(1),
    documentation: 'With acks=all, the fewest in-sync replicas that must hold a write; fewer gives NOT_ENOUGH_REPLICAS.',
    brokerSynonyms: [{ name: 'min.insync.replicas' }],
  }),
  topic({
    name: 'preallocate', type: 'BOOLEAN', default: 'false',
    documentation: 'Whether segment files are preallocated on disk.',
    brokerSynonyms: [{ name: 'log.preallocate' }],
  }),
  topic({
    name: 'remote.storage.enable', type: 'BOOLEAN', default: 'false',
    documentation: 'Whether the topic uses tiered storage (KIP-405); memkafka brokers run with tiered storage disabled.',
    brokerSynonyms: [],
  }),
  topic({
    name: 'retention.bytes', type: 'LONG', default: '-1',
    documentation: 'The most bytes a partition keeps before old segments are deleted (delete policy); -1 means no limit.',
    brokerSynonyms: [{ name: 'log.retention.bytes' }],
  }),
  topic({
    name: 'retention.ms', type: 'LONG', default: '604800000', validator: atLeast(-1),
    documentation: 'How long a segment is kept before it is deleted (delete policy); -1 means no limit.',
    brokerSynonyms: [
      { name: 'log.retention.ms' },
      { name: 'log.retention.minutes', multiplier: MINUTES_TO_MS },
      { name: 'log.retention.hours', multiplier: HOURS_TO_MS },
    ],
  }),
  topic({
    name: 'segment.bytes', type: 'INT', default: '1073741824', validator: atLeast(14),
    documentation: 'The size at which the active segment is rolled (LegacyRecord.RECORD_OVERHEAD_V0 = 14 is the floor).',
    brokerSynonyms: [{ name: 'log.segment.bytes' }],
  }),
  topic({
    name: 'segment.index.bytes', type: 'INT', default: '10485760', validator: atLeast(4),
    documentation: 'The size of the offset index of a segment.',
    brokerSynonyms: [{ name: 'log.index.size.max.bytes' }],
  }),
  topic({
    name: 'segment.jitter.ms', type: 'LONG', default: '0', validator: atLeast(0),
    documentation: 'The largest random amount subtracted from segment.ms when scheduling a roll.',
    brokerSynonyms: [{ name: 'log.roll.jitter.ms' }, { name: 'log.roll.jitter.hours', multiplier: HOURS_TO_MS }],
  }),
  topic({
    name: 'segment.ms', type: 'LONG', default: '604800000', validator: atLeast(1),
    documentation: 'The age at which the active segment is rolled even if it is not full.',
    brokerSynonyms: [{ name: 'log.roll.ms' }, { name: 'log.roll.hours', multiplier: HOURS_TO_MS }],
  }),
  topic({
    name: 'unclean.leader.election.enable', type: 'BOOLEAN', default: 'false',
    documentation: 'Whether a replica outside the ISR may become leader when no in-sync replica is alive, at the cost of losing data.',
    brokerSynonyms: [{ name: 'unclean.leader.election.enable' }],
  }),
] as const

export type TopicConfigDefinition = (typeof TOPIC_CONFIG_DEFINITIONS)[number]
export type TopicConfigName = TopicConfigDefinition['name']
/** The JS type of a topic config's value (every topic config has a non-null default). */
export type TopicConfigValue<N extends TopicConfigName> = ConfigValueTypes[Extract<TopicConfigDefinition, { name: N }>['type']]

const definitionsByName = new Map<string, TopicConfigDefinition>(TOPIC_CONFIG_DEFINITIONS.map((d) => [d.name, d]))

/** The definition of a topic config, or undefined for a name Kafka 3.7 does not know. */
export function topicConfigDefinition(name: string): TopicConfigDefinition | undefined {
  return definitionsByName.get(name)
}

export function isTopicConfigName(name: string): name is TopicConfigName {
  return definitionsByName.has(name)
}

/** Topic configs memkafka accepts and describes but that change nothing in an in-memory log. */
export const INERT_TOPIC_CONFIGS: readonly TopicConfigName[] = [
  'compression.type',
  'file.delete.delay.ms',
  'flush.messages',
  'flush.ms',
  'follower.replication.throttled.replicas',
  'index.interval.bytes',
  'leader.replication.throttled.replicas',
  'local.retention.bytes',
  'local.retention.ms',
  'message.downconversion.enable',
  'message.format.version',
  'preallocate',
  'segment.index.bytes',
]
