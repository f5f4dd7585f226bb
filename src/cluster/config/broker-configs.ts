/**
 * The broker configs memkafka honours, with Kafka 3.7's names, types, defaults and validators
 * (kafka.server.KafkaConfig). The `default` of each definition is Kafka's own; where memkafka
 * starts its brokers differently, that is a static broker config listed in
 * MEMKAFKA_BROKER_DEFAULTS, the way Kafka's own config/server.properties sets values for
 * development, so DescribeConfigs reports it as STATIC_BROKER_CONFIG with Kafka's default as a
 * synonym, exactly as a real broker started from that file would.
 *
 * Besides the configs the cluster reads, every broker synonym of a topic config is defined here
 * (log.roll.ms, log.index.size.max.bytes, ...), so that a broker-wide topic default can be given
 * under its Kafka name.
 */
import {
  LONG_MAX_VALUE,
  atLeast,
  between,
  validList,
  validString,
  type ConfigDefinition,
  type ConfigType,
  type ConfigValueTypes,
} from './config-definition.js'
import { jaasConfigProblem } from '../security/jaas-config.js'
import { BROKER_COMPRESSION_TYPES, MESSAGE_FORMAT_VERSION_VALIDATOR } from './topic-configs.js'

type BrokerConfigDefinitionOf<N extends string, T extends ConfigType, D extends string | null> = ConfigDefinition<N, T> & {
  readonly default: D
}

function broker<const N extends string, const T extends ConfigType, const D extends string | null>(
  definition: Omit<ConfigDefinition<N, T>, 'scope' | 'default'> & { readonly default: D },
): BrokerConfigDefinitionOf<N, T, D> {
  return { ...definition, scope: 'broker' }
}

export const BROKER_CONFIG_DEFINITIONS = [
  // --- Identity -------------------------------------------------------------------------------
  broker({ name: 'broker.id', type: 'INT', default: '-1', documentation: 'The id of this broker.' }),
  broker({ name: 'broker.rack', type: 'STRING', default: null, documentation: 'The rack of this broker, used by rack-aware replica assignment (e.g. us-east-1d).' }),

  // --- Topic creation ---------------------------------------------------------------------------
  broker({ name: 'num.partitions', type: 'INT', default: '1', validator: atLeast(1), documentation: 'The default number of partitions per topic.' }),
  broker({ name: 'default.replication.factor', type: 'INT', default: '1', documentation: 'The default replication factor of topics, including auto-created ones.' }),
  broker({ name: 'auto.create.topics.enable', type: 'BOOLEAN', default: 'true', documentation: 'Whether a Metadata or Produce request for an unknown topic creates it.' }),
  broker({ name: 'delete.topic.enable', type: 'BOOLEAN', default: 'true', documentation: 'Whether topics can be deleted; when false, DeleteTopics answers TOPIC_DELETION_DISABLED.' }),

  // --- Security (authorizer configs read from server.properties, KIP-801's StandardAuthorizer) --
  broker({ name: 'authorizer.class.name', type: 'STRING', default: '', validator: validString('', 'org.apache.kafka.metadata.authorizer.StandardAuthorizer', 'kafka.security.authorizer.AclAuthorizer'), documentation: 'The authorizer: empty for none (every request allowed, ACL APIs answer SECURITY_DISABLED), or StandardAuthorizer (AclAuthorizer is accepted with the same rules).' }),
  broker({ name: 'super.users', type: 'STRING', default: '', documentation: 'Principals allowed everything, separated by semicolons (User:admin;User:ops).' }),
  broker({ name: 'allow.everyone.if.no.acl.found', type: 'BOOLEAN', default: 'false', documentation: 'Whether a resource with no ACL at all is open to everyone (otherwise only super users may use it).' }),
  broker({ name: 'listeners', type: 'STRING', default: 'PLAINTEXT://:9092', documentation: 'The listeners, NAME://host:port separated by commas; the in-process clients connect to the first one, with its security protocol (listener.security.protocol.map).' }),
  broker({ name: 'advertised.listeners', type: 'STRING', default: null, documentation: 'NAME://host:port for listeners whose address clients must be given differently from where the broker binds (Metadata, FindCoordinator, DescribeCluster). Names must be among listeners. Per broker: with several brokers, give each its own (cluster.listen({ brokers: { id: { advertised.listeners } } }), memkafka serve --broker-config id:advertised.listeners=...).' }),
  broker({ name: 'listener.security.protocol.map', type: 'STRING', default: 'PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL', documentation: 'The security protocol of each listener name.' }),
  broker({ name: 'sasl.enabled.mechanisms', type: 'LIST', default: 'GSSAPI', validator: validList('GSSAPI', 'PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512', 'OAUTHBEARER'), documentation: 'The SASL mechanisms the SASL listeners accept (memkafka implements PLAIN, SCRAM-SHA-256/512 and OAUTHBEARER with unsecured JWS tokens; GSSAPI is only the default, no client here speaks it).' }),
  broker({ name: 'sasl.jaas.config', type: 'PASSWORD', default: null, validator: { kind: 'custom', description: 'a JAAS configuration entry', check: (value) => jaasConfigProblem(value as string | null) }, documentation: 'JAAS login modules for the SASL listeners: PlainLoginModule user_<name>="<password>" entries (PLAIN users) and OAuthBearerLoginModule unsecuredValidator* options (principal and scope claim names, required scope, allowable clock skew). Kafka brokers take it per listener and mechanism (listener.name.<listener>.<mechanism>.sasl.jaas.config); memkafka takes it once, for every SASL listener.' }),
  broker({ name: 'connections.max.reauth.ms', type: 'LONG', default: '0', documentation: 'KIP-368: the lifetime of a SASL session (SaslAuthenticate v1+ tells the client); a request on an expired session that is not a re-authentication closes the connection. 0: no expiry.' }),
  // TLS key material (KIP-651: PEM key stores and trust stores given inline or as files). Keys,
  // inline certificates and passwords are PASSWORD configs: DescribeConfigs hides their values.
  broker({ name: 'ssl.keystore.type', type: 'STRING', default: 'JKS', validator: validString('JKS', 'PKCS12', 'PEM'), documentation: 'The key store format; memkafka reads PEM (KIP-651). With no key store at all, a TLS listener serves a self-signed certificate made at listen().' }),
  broker({ name: 'ssl.keystore.location', type: 'STRING', default: null, documentation: 'The key store file: with type PEM, the private key and certificate chain in one PEM file.' }),
  broker({ name: 'ssl.keystore.password', type: 'PASSWORD', default: null, documentation: 'The key store password (for PEM, the password of an encrypted private key when ssl.key.password is not set).' }),
  broker({ name: 'ssl.key.password', type: 'PASSWORD', default: null, documentation: 'The password of the encrypted private key.' }),
  broker({ name: 'ssl.keystore.certificate.chain', type: 'PASSWORD', default: null, documentation: 'The certificate chain in PEM, inline (ssl.keystore.type=PEM).' }),
  broker({ name: 'ssl.keystore.key', type: 'PASSWORD', default: null, documentation: 'The PKCS#8 private key in PEM, inline (ssl.keystore.type=PEM).' }),
  broker({ name: 'ssl.truststore.type', type: 'STRING', default: 'JKS', validator: validString('JKS', 'PKCS12', 'PEM'), documentation: 'The trust store format; memkafka reads PEM (KIP-651).' }),
  broker({ name: 'ssl.truststore.location', type: 'STRING', default: null, documentation: 'The trust store file: with type PEM, the CA certificates client certificates are verified against.' }),
  broker({ name: 'ssl.truststore.password', type: 'PASSWORD', default: null, documentation: 'The trust store password (not used with PEM).' }),
  broker({ name: 'ssl.truststore.certificates', type: 'PASSWORD', default: null, documentation: 'The trusted CA certificates in PEM, inline (ssl.truststore.type=PEM).' }),
  broker({ name: 'ssl.client.auth', type: 'STRING', default: 'none', validator: validString('required', 'requested', 'none'), documentation: 'Whether TLS listeners ask clients for a certificate: required, requested (verified when given), or none. The principal of an SSL connection with a certificate is its subject DN (User:CN=...).' }),
  broker({ name: 'ssl.principal.mapping.rules', type: 'STRING', default: 'DEFAULT', validator: validString('DEFAULT'), documentation: 'How a certificate subject becomes a principal; memkafka implements DEFAULT only (the RFC 2253 subject DN).' }),

  // --- Topic config defaults (broker synonyms of topic configs) ---------------------------------
  broker({ name: 'min.insync.replicas', type: 'INT', default: '1', validator: atLeast(1), dynamic: true, documentation: 'The default min.insync.replicas of topics.' }),
  broker({ name: 'message.max.bytes', type: 'INT', default: '1048588', validator: atLeast(0), dynamic: true, documentation: 'The default max.message.bytes of topics: the largest record batch the broker accepts.' }),
  broker({ name: 'compression.type', type: 'STRING', default: 'producer', validator: validString(...BROKER_COMPRESSION_TYPES), dynamic: true, documentation: 'The default compression.type of topics.' }),
  broker({ name: 'unclean.leader.election.enable', type: 'BOOLEAN', default: 'false', dynamic: true, documentation: 'The default unclean.leader.election.enable of topics.' }),
  broker({ name: 'log.cleanup.policy', type: 'LIST', default: 'delete', validator: validList('compact', 'delete'), dynamic: true, documentation: 'The default cleanup.policy of topics.' }),
  broker({ name: 'log.retention.ms', type: 'LONG', default: null, dynamic: true, documentation: 'The default retention.ms of topics; if unset, log.retention.minutes is used; -1 means no limit.' }),
  broker({ name: 'log.retention.minutes', type: 'INT', default: null, documentation: 'Retention in minutes, secondary to log.retention.ms; if unset, log.retention.hours is used.' }),
  broker({ name: 'log.retention.hours', type: 'INT', default: '168', documentation: 'Retention in hours, tertiary to log.retention.ms.' }),
  broker({ name: 'log.retention.bytes', type: 'LONG', default: '-1', dynamic: true, documentation: 'The default retention.bytes of topics.' }),
  broker({ name: 'log.segment.bytes', type: 'INT', default: '1073741824', validator: atLeast(14), dynamic: true, documentation: 'The default segment.bytes of topics.' }),
  broker({ name: 'log.roll.ms', type: 'LONG', default: null, dynamic: true, documentation: 'The default segment.ms of topics; if unset, log.roll.hours is used.' }),
  broker({ name: 'log.roll.hours', type: 'INT', default: '168', validator: atLeast(1), documentation: 'Segment roll time in hours, secondary to log.roll.ms.' }),
  broker({ name: 'log.roll.jitter.ms', type: 'LONG', default: null, dynamic: true, documentation: 'The default segment.jitter.ms of topics; if unset, log.roll.jitter.hours is used.' }),
  broker({ name: 'log.roll.jitter.hours', type: 'INT', default: '0', validator: atLeast(0), documentation: 'Segment roll jitter in hours, secondary to log.roll.jitter.ms.' }),
  broker({ name: 'log.index.size.max.bytes', type: 'INT', default: '10485760', validator: atLeast(4), dynamic: true, documentation: 'The default segment.index.bytes of topics.' }),
  broker({ name: 'log.index.interval.bytes', type: 'INT', default: '4096', validator: atLeast(0), dynamic: true, documentation: 'The default index.interval.bytes of topics.' }),
  broker({ name: 'log.flush.interval.messages', type: 'LONG', default: LONG_MAX_VALUE, validator: atLeast(1), dynamic: true, documentation: 'The default flush.messages of topics.' }),
  broker({ name: 'log.flush.interval.ms', type: 'LONG', default: null, dynamic: true, documentation: 'The default flush.ms of topics; if unset, log.flush.scheduler.interval.ms is used.' }),
  broker({ name: 'log.flush.scheduler.interval.ms', type: 'LONG', default: LONG_MAX_VALUE, documentation: 'How often the flusher checks whether a log needs flushing.' }),
  broker({ name: 'log.segment.delete.delay.ms', type: 'LONG', default: '60000', validator: atLeast(0), dynamic: true, documentation: 'The default file.delete.delay.ms of topics.' }),
  broker({ name: 'log.preallocate', type: 'BOOLEAN', default: 'false', dynamic: true, documentation: 'The default preallocate of topics.' }),
  broker({ name: 'log.message.format.version', type: 'STRING', default: '3.0-IV1', validator: MESSAGE_FORMAT_VERSION_VALIDATOR, documentation: 'Deprecated: the default message.format.version of topics.' }),
  broker({ name: 'log.message.timestamp.type', type: 'STRING', default: 'CreateTime', validator: validString('CreateTime', 'LogAppendTime'), dynamic: true, documentation: 'The default message.timestamp.type of topics.' }),
  broker({ name: 'log.message.timestamp.difference.max.ms', type: 'LONG', default: LONG_MAX_VALUE, validator: atLeast(0), dynamic: true, documentation: 'The default message.timestamp.difference.max.ms of topics (deprecated).' }),
  broker({ name: 'log.message.timestamp.before.max.ms', type: 'LONG', default: LONG_MAX_VALUE, validator: atLeast(0), dynamic: true, documentation: 'The default message.timestamp.before.max.ms of topics.' }),
  broker({ name: 'log.message.timestamp.after.max.ms', type: 'LONG', default: LONG_MAX_VALUE, validator: atLeast(0), dynamic: true, documentation: 'The default message.timestamp.after.max.ms of topics.' }),
  broker({ name: 'log.message.downconversion.enable', type: 'BOOLEAN', default: 'true', dynamic: true, documentation: 'The default message.downconversion.enable of topics.' }),
  broker({ name: 'log.local.retention.ms', type: 'LONG', default: '-2', validator: atLeast(-2), dynamic: true, documentation: 'The default local.retention.ms of topics.' }),
  broker({ name: 'log.local.retention.bytes', type: 'LONG', default: '-2', validator: atLeast(-2), dynamic: true, documentation: 'The default local.retention.bytes of topics.' }),

  // --- Retention and the log cleaner ------------------------------------------------------------
  broker({ name: 'log.retention.check.interval.ms', type: 'LONG', default: '300000', validator: atLeast(1), documentation: 'How often the broker checks whether segments are past retention.' }),
  broker({ name: 'log.cleaner.enable', type: 'BOOLEAN', default: 'true', documentation: 'Whether the log cleaner (compaction) runs.' }),
  broker({ name: 'log.cleaner.backoff.ms', type: 'LONG', default: '15000', validator: atLeast(0), dynamic: true, documentation: 'How long the cleaner sleeps when there is no log to clean.' }),
  broker({ name: 'log.cleaner.delete.retention.ms', type: 'LONG', default: '86400000', validator: atLeast(0), dynamic: true, documentation: 'The default delete.retention.ms of topics.' }),
  broker({ name: 'log.cleaner.min.compaction.lag.ms', type: 'LONG', default: '0', validator: atLeast(0), dynamic: true, documentation: 'The default min.compaction.lag.ms of topics.' }),
  broker({ name: 'log.cleaner.max.compaction.lag.ms', type: 'LONG', default: LONG_MAX_VALUE, validator: atLeast(1), dynamic: true, documentation: 'The default max.compaction.lag.ms of topics.' }),
  broker({ name: 'log.cleaner.min.cleanable.ratio', type: 'DOUBLE', default: '0.5', validator: between(0, 1), dynamic: true, documentation: 'The default min.cleanable.dirty.ratio of topics.' }),

  // --- Replication ------------------------------------------------------------------------------
  broker({ name: 'replica.lag.time.max.ms', type: 'LONG', default: '30000', documentation: 'A follower that has not caught up to the leader for this long leaves the ISR.' }),
  broker({ name: 'broker.session.timeout.ms', type: 'INT', default: '9000', validator: atLeast(1), documentation: 'How long the controller waits for a broker\'s heartbeat before fencing it (a crashed or cut-off broker loses its leaderships then).' }),
  broker({ name: 'broker.heartbeat.interval.ms', type: 'INT', default: '2000', validator: atLeast(1), documentation: 'How often a broker heartbeats to the controller.' }),
  broker({ name: 'auto.leader.rebalance.enable', type: 'BOOLEAN', default: 'true', documentation: 'Whether leadership moves back to the preferred replica once it is in sync again.' }),
  broker({ name: 'leader.imbalance.check.interval.seconds', type: 'LONG', default: '300', validator: atLeast(1), documentation: 'How often the controller checks for partitions not led by their preferred replica.' }),

  // --- Group coordinator ------------------------------------------------------------------------
  broker({ name: 'group.initial.rebalance.delay.ms', type: 'INT', default: '3000', documentation: 'How long the coordinator waits for more members before the first rebalance of a new group.' }),
  broker({ name: 'group.min.session.timeout.ms', type: 'INT', default: '6000', documentation: 'The smallest session timeout a member may ask for (INVALID_SESSION_TIMEOUT below it).' }),
  broker({ name: 'group.max.session.timeout.ms', type: 'INT', default: '1800000', documentation: 'The largest session timeout a member may ask for (INVALID_SESSION_TIMEOUT above it).' }),
  broker({ name: 'group.max.size', type: 'INT', default: '2147483647', validator: atLeast(1), documentation: 'The most members a group accepts (GROUP_MAX_SIZE_REACHED beyond it).' }),
  broker({ name: 'offsets.retention.minutes', type: 'INT', default: '10080', validator: atLeast(1), documentation: 'How long committed offsets of an empty group (or a standalone consumer) are kept.' }),
  broker({ name: 'offsets.retention.check.interval.ms', type: 'LONG', default: '600000', validator: atLeast(1), documentation: 'How often expired offsets are removed.' }),
  broker({ name: 'offset.metadata.max.bytes', type: 'INT', default: '4096', documentation: 'The longest metadata string an offset commit may carry (OFFSET_METADATA_TOO_LARGE for a partition beyond it).' }),
  broker({ name: 'offsets.topic.num.partitions', type: 'INT', default: '50', validator: atLeast(1), documentation: 'The partition count of __consumer_offsets; a group maps to partition abs(hash(groupId)) % this.' }),
  broker({ name: 'offsets.topic.replication.factor', type: 'SHORT', default: '3', validator: atLeast(1), documentation: 'The replication factor of __consumer_offsets.' }),

  // --- Transaction coordinator and producer state -----------------------------------------------
  broker({ name: 'transaction.max.timeout.ms', type: 'INT', default: '900000', validator: atLeast(1), documentation: 'The largest transaction.timeout.ms a producer may ask for (INVALID_TRANSACTION_TIMEOUT above it).' }),
  broker({ name: 'transactional.id.expiration.ms', type: 'INT', default: '604800000', validator: atLeast(1), documentation: 'How long a transactional id without activity is kept.' }),
  broker({ name: 'transaction.state.log.num.partitions', type: 'INT', default: '50', validator: atLeast(1), documentation: 'The partition count of __transaction_state.' }),
  broker({ name: 'transaction.state.log.replication.factor', type: 'SHORT', default: '3', validator: atLeast(1), documentation: 'The replication factor of __transaction_state.' }),
  broker({ name: 'transaction.state.log.min.isr', type: 'INT', default: '2', validator: atLeast(1), documentation: 'The min.insync.replicas of __transaction_state.' }),
  broker({ name: 'transaction.abort.timed.out.transaction.cleanup.interval.ms', type: 'INT', default: '10000', validator: atLeast(1), documentation: 'How often the coordinator aborts transactions past their timeout.' }),
  broker({ name: 'producer.id.expiration.ms', type: 'INT', default: '86400000', validator: atLeast(1), dynamic: true, documentation: 'How long a partition leader keeps the state of an idle producer id.' }),
] as const

export type BrokerConfigDefinition = (typeof BROKER_CONFIG_DEFINITIONS)[number]
export type BrokerConfigName = BrokerConfigDefinition['name']
/** The JS type of a broker config's value; null for the configs whose Kafka default is null. */
export type BrokerConfigValue<N extends BrokerConfigName> =
  Extract<BrokerConfigDefinition, { name: N }> extends infer D extends BrokerConfigDefinition
    ? D['default'] extends null
      ? ConfigValueTypes[D['type']] | null
      : ConfigValueTypes[D['type']]
    : never

const definitionsByName = new Map<string, BrokerConfigDefinition>(BROKER_CONFIG_DEFINITIONS.map((d) => [d.name, d]))

/** The definition of a broker config, or undefined for a name memkafka does not honour. */
export function brokerConfigDefinition(name: string): BrokerConfigDefinition | undefined {
  return definitionsByName.get(name)
}

export function isBrokerConfigName(name: string): name is BrokerConfigName {
  return definitionsByName.has(name)
}

/**
 * Kafka's broker synonyms of a broker config, highest precedence first
 * (DynamicBrokerConfig.brokerConfigSynonyms): the three retention settings stand for one value,
 * as do log.roll.ms/.hours and log.roll.jitter.ms/.hours; log.flush.interval.ms falls back to
 * log.flush.scheduler.interval.ms. Any other config is its own only synonym.
 */
export function brokerConfigSynonyms(name: string): readonly string[] {
  switch (name) {
    case 'log.roll.ms':
    case 'log.roll.hours':
      return ['log.roll.ms', 'log.roll.hours']
    case 'log.roll.jitter.ms':
    case 'log.roll.jitter.hours':
      return ['log.roll.jitter.ms', 'log.roll.jitter.hours']
    case 'log.flush.interval.ms':
      return ['log.flush.interval.ms', 'log.flush.scheduler.interval.ms']
    case 'log.retention.ms':
    case 'log.retention.minutes':
    case 'log.retention.hours':
      return ['log.retention.ms', 'log.retention.minutes', 'log.retention.hours']
    default:
      return [name]
  }
}

export interface MemkafkaBrokerDefault {
  readonly name: BrokerConfigName
  /** The value memkafka's brokers start with (a static broker config). */
  readonly value: string
  /** Kafka's own default. */
  readonly kafkaDefault: string
  readonly reason: string
}

/**
 * Where memkafka's brokers start differently from Kafka's defaults: the values Kafka's own
 * development configs set (config/server.properties and config/kraft/server.properties in 3.7,
 * and the apache/kafka Docker examples). A `brokerConfig` given to the cluster overrides them.
 */
export const MEMKAFKA_BROKER_DEFAULTS: readonly MemkafkaBrokerDefault[] = [
  {
    name: 'group.initial.rebalance.delay.ms',
    value: '0',
    kafkaDefault: '3000',
    // config/server.properties: "We override this to 0 here as it makes for a better
    // out-of-the-box experience for development and testing."
    reason: 'A new group rebalances at once instead of waiting 3 s for more members, so tests do not wait.',
  },
  {
    name: 'offsets.topic.replication.factor',
    value: '1',
    kafkaDefault: '3',
    // config/kraft/server.properties: "For anything other than development testing, a value
    // greater than 1 is recommended to ensure availability such as 3."
    reason: 'With fewer brokers than this, Kafka cannot create __consumer_offsets and no group can form; a one-broker cluster must work.',
  },
  {
    name: 'transaction.state.log.replication.factor',
    value: '1',
    kafkaDefault: '3',
    reason: 'With fewer brokers than this, Kafka cannot create __transaction_state and no transaction can start.',
  },
  {
    name: 'transaction.state.log.min.isr',
    value: '1',
    kafkaDefault: '2',
    reason: 'Matches transaction.state.log.replication.factor=1, as in config/kraft/server.properties.',
  },
]
