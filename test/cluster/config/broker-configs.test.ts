import { describe, it, expect } from 'vitest'
import { LONG_MAX_VALUE, parseConfigValue, type ConfigDefinition } from '../../../src/cluster/config/config-definition.js'
import {
  BROKER_CONFIG_DEFINITIONS,
  MEMKAFKA_BROKER_DEFAULTS,
  brokerConfigDefinition,
  brokerConfigSynonyms,
} from '../../../src/cluster/config/broker-configs.js'
import { KafkaError } from '../../../src/cluster/error-codes.js'

// kafka.server.KafkaConfig in 3.7: name -> [type, default] (null: no default).
const KAFKA_3_7_BROKER_DEFAULTS: Record<string, [string, string | null]> = {
  'broker.id': ['INT', '-1'],
  'broker.rack': ['STRING', null],
  'num.partitions': ['INT', '1'],
  'default.replication.factor': ['INT', '1'],
  'auto.create.topics.enable': ['BOOLEAN', 'true'],
  'delete.topic.enable': ['BOOLEAN', 'true'],
  'authorizer.class.name': ['STRING', ''],
  // Read by the authorizer from server.properties (StandardAuthorizer's configs, not KafkaConfig's).
  'super.users': ['STRING', ''],
  'allow.everyone.if.no.acl.found': ['BOOLEAN', 'false'],
  listeners: ['STRING', 'PLAINTEXT://:9092'],
  'listener.security.protocol.map': ['STRING', 'PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL'],
  'sasl.enabled.mechanisms': ['LIST', 'GSSAPI'],
  'sasl.jaas.config': ['PASSWORD', null],
  'advertised.listeners': ['STRING', null],
  'connections.max.reauth.ms': ['LONG', '0'],
  'ssl.client.auth': ['STRING', 'none'],
  'ssl.key.password': ['PASSWORD', null],
  'ssl.keystore.certificate.chain': ['PASSWORD', null],
  'ssl.keystore.key': ['PASSWORD', null],
  'ssl.keystore.location': ['STRING', null],
  'ssl.keystore.password': ['PASSWORD', null],
  'ssl.keystore.type': ['STRING', 'JKS'],
  'ssl.principal.mapping.rules': ['STRING', 'DEFAULT'],
  'ssl.truststore.certificates': ['PASSWORD', null],
  'ssl.truststore.location': ['STRING', null],
  'ssl.truststore.password': ['PASSWORD', null],
  'ssl.truststore.type': ['STRING', 'JKS'],
  'min.insync.replicas': ['INT', '1'],
  'message.max.bytes': ['INT', '1048588'],
  'compression.type': ['STRING', 'producer'],
  'unclean.leader.election.enable': ['BOOLEAN', 'false'],
  'log.cleanup.policy': ['LIST', 'delete'],
  'log.retention.ms': ['LONG', null],
  'log.retention.minutes': ['INT', null],
  'log.retention.hours': ['INT', '168'],
  'log.retention.bytes': ['LONG', '-1'],
  'log.segment.bytes': ['INT', '1073741824'],
  'log.roll.ms': ['LONG', null],
  'log.roll.hours': ['INT', '168'],
  'log.roll.jitter.ms': ['LONG', null],
  'log.roll.jitter.hours': ['INT', '0'],
  'log.index.size.max.bytes': ['INT', '10485760'],
  'log.index.interval.bytes': ['INT', '4096'],
  'log.flush.interval.messages': ['LONG', LONG_MAX_VALUE],
  'log.flush.interval.ms': ['LONG', null],
  'log.flush.scheduler.interval.ms': ['LONG', LONG_MAX_VALUE],
  'log.segment.delete.delay.ms': ['LONG', '60000'],
  'log.preallocate': ['BOOLEAN', 'false'],
  'log.message.format.version': ['STRING', '3.0-IV1'],
  'log.message.timestamp.type': ['STRING', 'CreateTime'],
  'log.message.timestamp.difference.max.ms': ['LONG', LONG_MAX_VALUE],
  'log.message.timestamp.before.max.ms': ['LONG', LONG_MAX_VALUE],
  'log.message.timestamp.after.max.ms': ['LONG', LONG_MAX_VALUE],
  'log.message.downconversion.enable': ['BOOLEAN', 'true'],
  'log.local.retention.ms': ['LONG', '-2'],
  'log.local.retention.bytes': ['LONG', '-2'],
  'log.retention.check.interval.ms': ['LONG', '300000'],
  'log.cleaner.enable': ['BOOLEAN', 'true'],
  'log.cleaner.backoff.ms': ['LONG', '15000'],
  'log.cleaner.delete.retention.ms': ['LONG', '86400000'],
  'log.cleaner.min.compaction.lag.ms': ['LONG', '0'],
  'log.cleaner.max.compaction.lag.ms': ['LONG', LONG_MAX_VALUE],
  'log.cleaner.min.cleanable.ratio': ['DOUBLE', '0.5'],
  'replica.lag.time.max.ms': ['LONG', '30000'],
  'broker.session.timeout.ms': ['INT', '9000'],
  'broker.heartbeat.interval.ms': ['INT', '2000'],
  'auto.leader.rebalance.enable': ['BOOLEAN', 'true'],
  'leader.imbalance.check.interval.seconds': ['LONG', '300'],
  'group.initial.rebalance.delay.ms': ['INT', '3000'],
  'group.min.session.timeout.ms': ['INT', '6000'],
  'group.max.session.timeout.ms': ['INT', '1800000'],
  'group.max.size': ['INT', '2147483647'],
  'offsets.retention.minutes': ['INT', '10080'],
  'offsets.retention.check.interval.ms': ['LONG', '600000'],
  'offset.metadata.max.bytes': ['INT', '4096'],
  'offsets.topic.num.partitions': ['INT', '50'],
  'offsets.topic.replication.factor': ['SHORT', '3'],
  'transaction.max.timeout.ms': ['INT', '900000'],
  'transactional.id.expiration.ms': ['INT', '604800000'],
  'transaction.state.log.num.partitions': ['INT', '50'],
  'transaction.state.log.replication.factor': ['SHORT', '3'],
  'transaction.state.log.min.isr': ['INT', '2'],
  'transaction.abort.timed.out.transaction.cleanup.interval.ms': ['INT', '10000'],
  'producer.id.expiration.ms': ['INT', '86400000'],
}

describe('broker config definitions', () => {
  it("carry Kafka 3.7's names, types and defaults", () => {
    const ours = Object.fromEntries(BROKER_CONFIG_DEFINITIONS.map((d) => [d.name, [d.type, d.default]]))
    expect(ours).toEqual(KAFKA_3_7_BROKER_DEFAULTS)
  })

  it('have defaults that pass their own validators', () => {
    for (const d of BROKER_CONFIG_DEFINITIONS) {
      if (d.default === null) continue
      expect(parseConfigValue(d as ConfigDefinition, d.default), d.name).not.toBeInstanceOf(KafkaError)
    }
  })

  it('mark the topic-config synonyms and cleaner settings Kafka can change at runtime as dynamic', () => {
    const dynamic = BROKER_CONFIG_DEFINITIONS.filter((d) => 'dynamic' in d && d.dynamic).map((d) => d.name)
    expect(dynamic).toContain('log.retention.ms')
    expect(dynamic).toContain('message.max.bytes')
    expect(dynamic).toContain('log.cleaner.backoff.ms')
    // Only the first synonym of a topic config is dynamic in Kafka.
    expect(dynamic).not.toContain('log.retention.hours')
    expect(dynamic).not.toContain('num.partitions')
    expect(dynamic).not.toContain('log.message.format.version')
  })
})

describe("memkafka's default deviations", () => {
  it('are listed with the Kafka default they replace, and the reason', () => {
    expect(MEMKAFKA_BROKER_DEFAULTS.map((d) => [d.name, d.value, d.kafkaDefault])).toEqual([
      ['group.initial.rebalance.delay.ms', '0', '3000'],
      ['offsets.topic.replication.factor', '1', '3'],
      ['transaction.state.log.replication.factor', '1', '3'],
      ['transaction.state.log.min.isr', '1', '2'],
    ])
    for (const d of MEMKAFKA_BROKER_DEFAULTS) {
      expect(brokerConfigDefinition(d.name)?.default).toBe(d.kafkaDefault)
      expect(d.reason.length).toBeGreaterThan(10)
    }
  })
})

describe('brokerConfigSynonyms (DynamicBrokerConfig.brokerConfigSynonyms)', () => {
  it('groups the retention, roll and jitter settings, and flush.interval.ms with its scheduler fallback', () => {
    expect(brokerConfigSynonyms('log.retention.hours')).toEqual(['log.retention.ms', 'log.retention.minutes', 'log.retention.hours'])
    expect(brokerConfigSynonyms('log.roll.ms')).toEqual(['log.roll.ms', 'log.roll.hours'])
    expect(brokerConfigSynonyms('log.roll.jitter.hours')).toEqual(['log.roll.jitter.ms', 'log.roll.jitter.hours'])
    expect(brokerConfigSynonyms('log.flush.interval.ms')).toEqual(['log.flush.interval.ms', 'log.flush.scheduler.interval.ms'])
    expect(brokerConfigSynonyms('log.flush.scheduler.interval.ms')).toEqual(['log.flush.scheduler.interval.ms'])
    expect(brokerConfigSynonyms('num.partitions')).toEqual(['num.partitions'])
  })
})
