import { describe, it, expect } from 'vitest'
import { LONG_MAX_VALUE, describeValidator, parseConfigValue, type ConfigDefinition } from '../../../src/cluster/config/config-definition.js'
import { TOPIC_CONFIG_DEFINITIONS, topicConfigDefinition, isTopicConfigName } from '../../../src/cluster/config/topic-configs.js'
import { brokerConfigDefinition } from '../../../src/cluster/config/broker-configs.js'
import { KafkaError } from '../../../src/cluster/error-codes.js'

// Kafka 3.7's LogConfig: name -> [type, default, "Valid Values" as Kafka's docs print them].
const KAFKA_3_7_TOPIC_CONFIGS: Record<string, [string, string, string]> = {
  'cleanup.policy': ['LIST', 'delete', '[compact, delete]'],
  'compression.type': ['STRING', 'producer', '[uncompressed, zstd, lz4, snappy, gzip, producer]'],
  'delete.retention.ms': ['LONG', '86400000', '[0,...]'],
  'file.delete.delay.ms': ['LONG', '60000', '[0,...]'],
  'flush.messages': ['LONG', LONG_MAX_VALUE, '[1,...]'],
  'flush.ms': ['LONG', LONG_MAX_VALUE, '[0,...]'],
  'follower.replication.throttled.replicas': ['LIST', '', ''],
  'index.interval.bytes': ['INT', '4096', '[0,...]'],
  'leader.replication.throttled.replicas': ['LIST', '', ''],
  'local.retention.bytes': ['LONG', '-2', '[-2,...]'],
  'local.retention.ms': ['LONG', '-2', '[-2,...]'],
  'max.compaction.lag.ms': ['LONG', LONG_MAX_VALUE, '[1,...]'],
  'max.message.bytes': ['INT', '1048588', '[0,...]'],
  'message.downconversion.enable': ['BOOLEAN', 'true', ''],
  'message.format.version': ['STRING', '3.0-IV1', ''],
  'message.timestamp.after.max.ms': ['LONG', LONG_MAX_VALUE, '[0,...]'],
  'message.timestamp.before.max.ms': ['LONG', LONG_MAX_VALUE, '[0,...]'],
  'message.timestamp.difference.max.ms': ['LONG', LONG_MAX_VALUE, '[0,...]'],
  'message.timestamp.type': ['STRING', 'CreateTime', '[CreateTime, LogAppendTime]'],
  'min.cleanable.dirty.ratio': ['DOUBLE', '0.5', '[0,...,1]'],
  'min.compaction.lag.ms': ['LONG', '0', '[0,...]'],
  'min.insync.replicas': ['INT', '1', '[1,...]'],
  preallocate: ['BOOLEAN', 'false', ''],
  'remote.storage.enable': ['BOOLEAN', 'false', ''],
  'retention.bytes': ['LONG', '-1', ''],
  'retention.ms': ['LONG', '604800000', '[-1,...]'],
  'segment.bytes': ['INT', '1073741824', '[14,...]'],
  'segment.index.bytes': ['INT', '10485760', '[4,...]'],
  'segment.jitter.ms': ['LONG', '0', '[0,...]'],
  'segment.ms': ['LONG', '604800000', '[1,...]'],
  'unclean.leader.election.enable': ['BOOLEAN', 'false', ''],
}

// ServerTopicConfigSynonyms.ALL_TOPIC_CONFIG_SYNONYMS in Kafka 3.7.
const KAFKA_3_7_SYNONYMS: Record<string, string[]> = {
  'segment.bytes': ['log.segment.bytes'],
  'segment.ms': ['log.roll.ms', 'log.roll.hours'],
  'segment.jitter.ms': ['log.roll.jitter.ms', 'log.roll.jitter.hours'],
  'segment.index.bytes': ['log.index.size.max.bytes'],
  'flush.messages': ['log.flush.interval.messages'],
  'flush.ms': ['log.flush.interval.ms', 'log.flush.scheduler.interval.ms'],
  'retention.bytes': ['log.retention.bytes'],
  'retention.ms': ['log.retention.ms', 'log.retention.minutes', 'log.retention.hours'],
  'max.message.bytes': ['message.max.bytes'],
  'index.interval.bytes': ['log.index.interval.bytes'],
  'delete.retention.ms': ['log.cleaner.delete.retention.ms'],
  'min.compaction.lag.ms': ['log.cleaner.min.compaction.lag.ms'],
  'max.compaction.lag.ms': ['log.cleaner.max.compaction.lag.ms'],
  'file.delete.delay.ms': ['log.segment.delete.delay.ms'],
  'min.cleanable.dirty.ratio': ['log.cleaner.min.cleanable.ratio'],
  'cleanup.policy': ['log.cleanup.policy'],
  'unclean.leader.election.enable': ['unclean.leader.election.enable'],
  'min.insync.replicas': ['min.insync.replicas'],
  'compression.type': ['compression.type'],
  preallocate: ['log.preallocate'],
  'message.format.version': ['log.message.format.version'],
  'message.timestamp.type': ['log.message.timestamp.type'],
  'message.timestamp.difference.max.ms': ['log.message.timestamp.difference.max.ms'],
  'message.timestamp.before.max.ms': ['log.message.timestamp.before.max.ms'],
  'message.timestamp.after.max.ms': ['log.message.timestamp.after.max.ms'],
  'message.downconversion.enable': ['log.message.downconversion.enable'],
  'local.retention.ms': ['log.local.retention.ms'],
  'local.retention.bytes': ['log.local.retention.bytes'],
}

describe('topic config definitions', () => {
  it("are exactly Kafka 3.7's topic configs, with Kafka's types and defaults", () => {
    const ours = Object.fromEntries(TOPIC_CONFIG_DEFINITIONS.map((d) => [d.name, [d.type, d.default]]))
    const kafka = Object.fromEntries(Object.entries(KAFKA_3_7_TOPIC_CONFIGS).map(([name, [type, dflt]]) => [name, [type, dflt]]))
    expect(ours).toEqual(kafka)
  })

  it("have Kafka's validators, printed as Kafka's docs print them", () => {
    for (const d of TOPIC_CONFIG_DEFINITIONS) {
      const expected = (KAFKA_3_7_TOPIC_CONFIGS[d.name] as [string, string, string])[2]
      if (expected === '') expect(d.validator === undefined || d.validator.kind === 'custom', d.name).toBe(true)
      else expect(describeValidator(d.validator), d.name).toBe(expected)
    }
  })

  it("list Kafka's broker synonyms in Kafka's order, each a broker config memkafka defines", () => {
    for (const d of TOPIC_CONFIG_DEFINITIONS) {
      expect(d.brokerSynonyms.map((s) => s.name), d.name).toEqual(KAFKA_3_7_SYNONYMS[d.name] ?? [])
      for (const s of d.brokerSynonyms) expect(brokerConfigDefinition(s.name), s.name).toBeDefined()
    }
  })

  it('convert hour and minute synonyms to milliseconds', () => {
    const retention = topicConfigDefinition('retention.ms')
    expect(retention?.brokerSynonyms).toEqual([
      { name: 'log.retention.ms' },
      { name: 'log.retention.minutes', multiplier: 60_000 },
      { name: 'log.retention.hours', multiplier: 3_600_000 },
    ])
  })

  it('have defaults that pass their own validators', () => {
    for (const d of TOPIC_CONFIG_DEFINITIONS) {
      const parsed = parseConfigValue(d as ConfigDefinition, d.default)
      expect(parsed, d.name).not.toBeInstanceOf(KafkaError)
    }
  })

  it('know which names are topic configs', () => {
    expect(isTopicConfigName('retention.ms')).toBe(true)
    expect(isTopicConfigName('log.retention.ms')).toBe(false)
  })
})

describe('the custom validators', () => {
  const formatVersion = topicConfigDefinition('message.format.version') as ConfigDefinition
  const throttled = topicConfigDefinition('leader.replication.throttled.replicas') as ConfigDefinition

  it('message.format.version accepts what MetadataVersion.fromVersionString accepts', () => {
    for (const ok of ['3.0-IV1', '2.8', '2.8.1', '0.10.0', '0.10.0.1', '0.10.0-IV0']) {
      expect(parseConfigValue(formatVersion, ok), ok).not.toBeInstanceOf(KafkaError)
    }
    const bad = parseConfigValue(formatVersion, '9.9')
    expect((bad as KafkaError).message).toBe('Invalid value 9.9 for configuration message.format.version: Version 9.9 is not a valid version')
  })

  it('throttled replica lists accept * or partition:broker pairs', () => {
    expect(parseConfigValue(throttled, '*')).toEqual({ value: ['*'], canonical: '*' })
    expect(parseConfigValue(throttled, '0:1,1:2')).toEqual({ value: ['0:1', '1:2'], canonical: '0:1,1:2' })
    expect((parseConfigValue(throttled, 'all') as KafkaError).message).toBe(
      "Invalid value all for configuration leader.replication.throttled.replicas: leader.replication.throttled.replicas must be the literal '*' or a list of replicas in the following format: [partitionId]:[brokerId],[partitionId]:[brokerId],...",
    )
  })
})
