import { describe, it, expect, expectTypeOf } from 'vitest'
import fc from 'fast-check'
import { KafkaError } from '../../../src/cluster/error-codes.js'
import { ConfigSource, ConfigTypeId } from '../../../src/cluster/api/messages.js'
import { LONG_MAX_VALUE } from '../../../src/cluster/config/config-definition.js'
import { TOPIC_CONFIG_DEFINITIONS, type TopicConfigName } from '../../../src/cluster/config/topic-configs.js'
import {
  BrokerConfig,
  TopicConfig,
  describeBrokerConfigs,
  describeTopicConfigs,
  validateTopicConfigs,
  type BrokerConfigInput,
} from '../../../src/cluster/config/config-store.js'

function thrown(fn: () => unknown): KafkaError {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(KafkaError)
    return error as KafkaError
  }
  throw new Error('expected a KafkaError')
}

describe('BrokerConfig', () => {
  it("answers Kafka's defaults for what is not given", () => {
    const broker = BrokerConfig.create()
    expect(broker.get('num.partitions')).toBe(1)
    expect(broker.get('default.replication.factor')).toBe(1)
    expect(broker.get('auto.create.topics.enable')).toBe(true)
    expect(broker.get('message.max.bytes')).toBe(1048588)
    expect(broker.get('log.retention.check.interval.ms')).toBe(300000)
    expect(broker.get('log.cleaner.backoff.ms')).toBe(15000)
    expect(broker.get('replica.lag.time.max.ms')).toBe(30000)
    expect(broker.get('offsets.retention.minutes')).toBe(10080)
    expect(broker.get('offsets.topic.num.partitions')).toBe(50)
    expect(broker.get('group.min.session.timeout.ms')).toBe(6000)
    expect(broker.get('group.max.session.timeout.ms')).toBe(1800000)
    expect(broker.get('transaction.max.timeout.ms')).toBe(900000)
    expect(broker.get('delete.topic.enable')).toBe(true)
    expect(broker.get('log.cleanup.policy')).toEqual(['delete'])
    expect(broker.get('broker.rack')).toBeNull()
    expect(broker.get('log.retention.ms')).toBeNull()
    expect(broker.get('log.cleaner.max.compaction.lag.ms')).toBe(Infinity)
  })

  it("starts from memkafka's development defaults, which a given value overrides", () => {
    expect(BrokerConfig.create().get('group.initial.rebalance.delay.ms')).toBe(0)
    expect(BrokerConfig.create().get('offsets.topic.replication.factor')).toBe(1)
    expect(BrokerConfig.create({}, { memkafkaDefaults: false }).get('group.initial.rebalance.delay.ms')).toBe(3000)
    expect(BrokerConfig.create({ 'group.initial.rebalance.delay.ms': 3000 }).get('group.initial.rebalance.delay.ms')).toBe(3000)
  })

  it('takes values as strings or as JS values', () => {
    const broker = BrokerConfig.create({
      'num.partitions': 3,
      'auto.create.topics.enable': 'false',
      'log.cleanup.policy': ['compact', 'delete'],
      'log.cleaner.max.compaction.lag.ms': LONG_MAX_VALUE,
      'broker.rack': 'rack-a',
    })
    expect(broker.get('num.partitions')).toBe(3)
    expect(broker.get('auto.create.topics.enable')).toBe(false)
    expect(broker.get('log.cleanup.policy')).toEqual(['compact', 'delete'])
    expect(broker.get('log.cleaner.max.compaction.lag.ms')).toBe(Infinity)
    expect(broker.get('broker.rack')).toBe('rack-a')
  })

  it('refuses an unknown name with INVALID_CONFIG naming it', () => {
    const error = thrown(() => BrokerConfig.create({ 'num.partition': 3 } as BrokerConfigInput))
    expect(error.errorName).toBe('INVALID_CONFIG')
    expect(error.message).toBe('Unknown broker config name: num.partition')
  })

  it("refuses a bad value with Kafka's message", () => {
    expect(thrown(() => BrokerConfig.create({ 'num.partitions': 0 })).message).toBe(
      'Invalid value 0 for configuration num.partitions: Value must be at least 1',
    )
    expect(thrown(() => BrokerConfig.create({ 'log.message.timestamp.type': 'Now' })).message).toBe(
      'Invalid value Now for configuration log.message.timestamp.type: String must be one of: CreateTime, LogAppendTime',
    )
  })

  it("applies KafkaConfig's requirements on derived values", () => {
    expect(thrown(() => BrokerConfig.create({ 'log.roll.ms': 0 })).message).toBe('log.roll.ms must be greater than or equal to 1')
    expect(thrown(() => BrokerConfig.create({ 'log.retention.minutes': 0 })).message).toBe(
      'log.retention.ms must be unlimited (-1) or, greater than or equal to 1',
    )
    expect(thrown(() => BrokerConfig.create({ 'log.flush.interval.ms': -1 })).message).toBe(
      'Invalid value -1 for configuration flush.ms: Value must be at least 0 (from broker config log.flush.interval.ms)',
    )
    expect(thrown(() => BrokerConfig.create({ 'log.cleaner.min.compaction.lag.ms': 10, 'log.cleaner.max.compaction.lag.ms': 5 })).message).toBe(
      'conflict topic config setting min.compaction.lag.ms (10) > max.compaction.lag.ms (5)',
    )
  })

  it('resolves log.retention.ms over .minutes over .hours, any negative meaning -1 (KafkaConfig.logRetentionTimeMillis)', () => {
    const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined })
    fc.assert(
      fc.property(
        maybe(fc.integer({ min: -10, max: 10 ** 12 })),
        maybe(fc.integer({ min: -10, max: 10 ** 6 })),
        maybe(fc.integer({ min: -10, max: 10 ** 5 })),
        (ms, minutes, hours) => {
          const input: BrokerConfigInput = {
            ...(ms !== undefined ? { 'log.retention.ms': ms } : {}),
            ...(minutes !== undefined ? { 'log.retention.minutes': minutes } : {}),
            ...(hours !== undefined ? { 'log.retention.hours': hours } : {}),
          }
          const raw = ms ?? (minutes !== undefined ? minutes * 60_000 : (hours ?? 168) * 3_600_000)
          const expected = raw < 0 ? -1 : raw
          if (expected === 0) {
            expect(thrown(() => BrokerConfig.create(input)).errorName).toBe('INVALID_CONFIG')
            return
          }
          const broker = BrokerConfig.create(input)
          expect(broker.logRetentionTimeMillis).toBe(expected)
          expect(TopicConfig.defaults(broker).get('retention.ms')).toBe(expected)
        },
      ),
    )
  })

  it('resolves log.roll.ms over log.roll.hours', () => {
    expect(BrokerConfig.create({ 'log.roll.hours': 2 }).logRollTimeMillis).toBe(7_200_000)
    expect(BrokerConfig.create({ 'log.roll.hours': 2, 'log.roll.ms': 500 }).logRollTimeMillis).toBe(500)
    expect(BrokerConfig.create().logRollTimeMillis).toBe(604_800_000)
  })

  it('gives one broker its own identity on top of the shared config', () => {
    const shared = BrokerConfig.create({ 'num.partitions': 4 })
    const broker = shared.with({ 'broker.id': 2, 'broker.rack': 'r1' })
    expect(broker.get('broker.id')).toBe(2)
    expect(broker.get('broker.rack')).toBe('r1')
    expect(broker.get('num.partitions')).toBe(4)
    expect(shared.get('broker.id')).toBe(-1)
  })
})

describe('typed access', () => {
  it('gives each config the JS type of its Kafka type', () => {
    const broker = BrokerConfig.create()
    const topic = TopicConfig.defaults(broker)
    expectTypeOf(topic.get('retention.ms')).toEqualTypeOf<number>()
    expectTypeOf(topic.get('cleanup.policy')).toEqualTypeOf<readonly string[]>()
    expectTypeOf(topic.get('unclean.leader.election.enable')).toEqualTypeOf<boolean>()
    expectTypeOf(topic.get('message.timestamp.type')).toEqualTypeOf<string>()
    expectTypeOf(broker.get('num.partitions')).toEqualTypeOf<number>()
    expectTypeOf(broker.get('log.retention.ms')).toEqualTypeOf<number | null>()
    expectTypeOf(broker.get('broker.rack')).toEqualTypeOf<string | null>()
    expect(typeof topic.get('retention.ms')).toBe('number')
  })
})

describe('TopicConfig resolution: topic override > broker synonym > Kafka default', () => {
  it("gives Kafka's defaults on a default broker", () => {
    const topic = TopicConfig.defaults(BrokerConfig.create())
    for (const d of TOPIC_CONFIG_DEFINITIONS) {
      expect(topic.resolved(d.name).canonical, d.name).toBe(d.default)
      expect(topic.source(d.name)).toBe('DEFAULT_CONFIG')
    }
    expect(topic.get('retention.ms')).toBe(604_800_000)
    expect(topic.get('max.message.bytes')).toBe(1_048_588)
    expect(topic.get('max.compaction.lag.ms')).toBe(Infinity)
    expect(topic.get('cleanup.policy')).toEqual(['delete'])
    expect(topic.delete).toBe(true)
    expect(topic.compact).toBe(false)
  })

  // Numeric topic configs with a same-unit broker synonym, and a valid value for each level.
  const cases: [TopicConfigName, string, number, number][] = [
    ['max.message.bytes', 'message.max.bytes', 2000, 3000],
    ['segment.bytes', 'log.segment.bytes', 5000, 6000],
    ['min.insync.replicas', 'min.insync.replicas', 2, 3],
    ['retention.bytes', 'log.retention.bytes', 100, 200],
    ['delete.retention.ms', 'log.cleaner.delete.retention.ms', 10, 20],
    ['retention.ms', 'log.retention.ms', 1000, 2000],
    ['segment.ms', 'log.roll.ms', 100, 200],
  ]

  it('holds for every combination of levels', () => {
    fc.assert(
      fc.property(fc.constantFrom(...cases), fc.boolean(), fc.boolean(), ([topicName, brokerName, brokerValue, topicValue], atBroker, atTopic) => {
        const broker = BrokerConfig.create(atBroker ? ({ [brokerName]: brokerValue } as BrokerConfigInput) : {})
        const topic = TopicConfig.resolve(broker, atTopic ? [{ name: topicName, value: String(topicValue) }] : [])
        const kafkaDefault = TopicConfig.defaults(BrokerConfig.create()).get(topicName)
        expect(topic.get(topicName)).toBe(atTopic ? topicValue : atBroker ? brokerValue : kafkaDefault)
        expect(topic.source(topicName)).toBe(atTopic ? 'DYNAMIC_TOPIC_CONFIG' : atBroker ? 'STATIC_BROKER_CONFIG' : 'DEFAULT_CONFIG')
      }),
    )
  })

  it('takes cleanup.policy, message.timestamp.type and unclean election from the broker when the topic is silent', () => {
    const broker = BrokerConfig.create({
      'log.cleanup.policy': 'compact',
      'log.message.timestamp.type': 'LogAppendTime',
      'unclean.leader.election.enable': true,
    })
    const topic = TopicConfig.defaults(broker)
    expect(topic.compact).toBe(true)
    expect(topic.get('message.timestamp.type')).toBe('LogAppendTime')
    expect(topic.get('unclean.leader.election.enable')).toBe(true)
    expect(TopicConfig.resolve(broker, { 'cleanup.policy': 'delete' }).compact).toBe(false)
  })

  it('converts log.retention.hours to milliseconds for retention.ms', () => {
    const topic = TopicConfig.defaults(BrokerConfig.create({ 'log.retention.hours': 1 }))
    expect(topic.get('retention.ms')).toBe(3_600_000)
    expect(topic.source('retention.ms')).toBe('STATIC_BROKER_CONFIG')
  })

  it('replaces all overrides on AlterConfigs, falling back to the broker for the ones dropped', () => {
    const broker = BrokerConfig.create({ 'message.max.bytes': 5000 })
    const before = TopicConfig.resolve(broker, new Map([['max.message.bytes', '100'], ['retention.ms', '10']]))
    const after = before.withOverrides([{ name: 'retention.ms', value: '20' }])
    expect(after.get('retention.ms')).toBe(20)
    expect(after.get('max.message.bytes')).toBe(5000)
    expect([...after.overrides]).toEqual([['retention.ms', '20']])
    expect(before.get('max.message.bytes')).toBe(100)
  })

  it('keeps the override as given and its Kafka string apart', () => {
    const topic = TopicConfig.resolve(BrokerConfig.create(), [{ name: 'cleanup.policy', value: 'compact , delete' }])
    expect(topic.overrides.get('cleanup.policy')).toBe('compact , delete')
    expect(topic.resolved('cleanup.policy').canonical).toBe('compact,delete')
  })

  it('falls back from message.timestamp.before/after.max.ms to the deprecated difference setting (KIP-937)', () => {
    const broker = BrokerConfig.create()
    const old = TopicConfig.resolve(broker, { 'message.timestamp.difference.max.ms': '1000' })
    expect(old.messageTimestampBeforeMaxMs).toBe(1000)
    expect(old.messageTimestampAfterMaxMs).toBe(1000)
    const both = TopicConfig.resolve(broker, { 'message.timestamp.difference.max.ms': '1000', 'message.timestamp.after.max.ms': '10' })
    expect(both.messageTimestampAfterMaxMs).toBe(10)
    expect(TopicConfig.defaults(broker).messageTimestampBeforeMaxMs).toBe(Infinity)
  })

  it('throws the INVALID_CONFIG of validateTopicConfigs for bad overrides', () => {
    const error = thrown(() => TopicConfig.resolve(BrokerConfig.create(), [{ name: 'retention.ms', value: 'abc' }]))
    expect(error.message).toBe('Invalid value abc for configuration retention.ms: Not a number of type LONG')
  })
})

describe('validateTopicConfigs', () => {
  it('accepts valid configs', () => {
    expect(
      validateTopicConfigs([
        { name: 'cleanup.policy', value: 'compact,delete' },
        { name: 'retention.ms', value: '-1' },
        { name: 'max.compaction.lag.ms', value: LONG_MAX_VALUE },
        { name: 'min.cleanable.dirty.ratio', value: '0.1' },
        { name: 'remote.storage.enable', value: 'false' },
        { name: 'cleanup.policy', value: '' },
      ]),
    ).toBeUndefined()
  })

  it("answers Kafka's messages", () => {
    const cases: [string, string | null, string][] = [
      ['foo', '1', 'Unknown topic config name: foo'],
      ['retention.ms', 'abc', 'Invalid value abc for configuration retention.ms: Not a number of type LONG'],
      ['retention.ms', '-2', 'Invalid value -2 for configuration retention.ms: Value must be at least -1'],
      ['segment.bytes', '13', 'Invalid value 13 for configuration segment.bytes: Value must be at least 14'],
      ['segment.ms', '0', 'Invalid value 0 for configuration segment.ms: Value must be at least 1'],
      ['min.insync.replicas', '0', 'Invalid value 0 for configuration min.insync.replicas: Value must be at least 1'],
      ['min.cleanable.dirty.ratio', '1.5', 'Invalid value 1.5 for configuration min.cleanable.dirty.ratio: Value must be no more than 1'],
      ['cleanup.policy', 'compact,remove', 'Invalid value remove for configuration cleanup.policy: String must be one of: compact, delete'],
      ['message.timestamp.type', 'BrokerTime', 'Invalid value BrokerTime for configuration message.timestamp.type: String must be one of: CreateTime, LogAppendTime'],
      ['unclean.leader.election.enable', 'yes', 'Invalid value yes for configuration unclean.leader.election.enable: Expected value to be either true or false'],
      ['compression.type', 'brotli', 'Invalid value brotli for configuration compression.type: String must be one of: uncompressed, zstd, lz4, snappy, gzip, producer'],
      ['retention.ms', null, 'Null value not supported for topic configs: retention.ms'],
      ['remote.storage.enable', 'true', 'Tiered Storage functionality is disabled in the broker. Topic cannot be configured with remote log storage.'],
    ]
    for (const [name, value, message] of cases) {
      const error = validateTopicConfigs([{ name, value }])
      expect(error?.errorName, name).toBe('INVALID_CONFIG')
      expect(error?.message).toBe(message)
    }
  })

  it('checks min.compaction.lag.ms against max.compaction.lag.ms, the broker filling in what the topic omits', () => {
    expect(validateTopicConfigs([{ name: 'min.compaction.lag.ms', value: '10' }, { name: 'max.compaction.lag.ms', value: '5' }])?.message).toBe(
      'conflict topic config setting min.compaction.lag.ms (10) > max.compaction.lag.ms (5)',
    )
    const broker = BrokerConfig.create({ 'log.cleaner.max.compaction.lag.ms': 100 })
    expect(validateTopicConfigs([{ name: 'min.compaction.lag.ms', value: '200' }], { brokerConfig: broker })?.message).toBe(
      'conflict topic config setting min.compaction.lag.ms (200) > max.compaction.lag.ms (100)',
    )
    expect(validateTopicConfigs([{ name: 'min.compaction.lag.ms', value: '200' }])).toBeUndefined()
  })

  it('answers INVALID_CONFIG naming the config for any unknown name', () => {
    const known = new Set<string>(TOPIC_CONFIG_DEFINITIONS.map((d) => d.name))
    fc.assert(
      fc.property(fc.string({ minLength: 1 }).filter((s) => !known.has(s)), (name) => {
        const error = validateTopicConfigs([{ name: 'retention.ms', value: '1' }, { name, value: '1' }])
        expect(error?.errorName).toBe('INVALID_CONFIG')
        expect(error?.message).toBe(`Unknown topic config name: ${name}`)
      }),
    )
  })

  it('answers INVALID_CONFIG naming the config and quoting the value for any value that is not a number', () => {
    const numeric = TOPIC_CONFIG_DEFINITIONS.filter((d) => ['INT', 'LONG', 'DOUBLE'].includes(d.type))
    fc.assert(
      fc.property(
        fc.constantFrom(...numeric),
        fc.string().filter((s) => !/^\s*[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?[fFdD]?\s*$/.test(s) && !/^\s*[+-]?(NaN|Infinity)\s*$/.test(s)),
        (definition, value) => {
          const error = validateTopicConfigs([{ name: definition.name, value }])
          expect(error?.errorName).toBe('INVALID_CONFIG')
          expect(error?.message).toBe(`Invalid value ${value} for configuration ${definition.name}: Not a number of type ${definition.type}`)
        },
      ),
    )
  })

  it('answers INVALID_CONFIG naming the config for any integer below a lower bound', () => {
    const bounded = TOPIC_CONFIG_DEFINITIONS.filter(
      (d) => (d.type === 'INT' || d.type === 'LONG') && 'validator' in d && d.validator?.kind === 'range',
    )
    fc.assert(
      fc.property(fc.constantFrom(...bounded), fc.integer({ min: 1, max: 1_000_000 }), (definition, below) => {
        const min = (definition.validator as { min: number }).min
        const value = String(min - below)
        const error = validateTopicConfigs([{ name: definition.name, value }])
        expect(error?.errorName).toBe('INVALID_CONFIG')
        expect(error?.message).toBe(`Invalid value ${value} for configuration ${definition.name}: Value must be at least ${min}`)
      }),
    )
  })

  it('answers INVALID_CONFIG naming the config for any value outside a set of valid strings', () => {
    const enumerated = TOPIC_CONFIG_DEFINITIONS.filter((d) => 'validator' in d && (d.validator?.kind === 'validString' || d.validator?.kind === 'validList'))
    fc.assert(
      fc.property(fc.constantFrom(...enumerated), fc.stringMatching(/^[A-Za-z]{1,12}$/), (definition, value) => {
        const allowed = (definition.validator as { values: readonly string[] }).values
        fc.pre(!allowed.includes(value))
        const error = validateTopicConfigs([{ name: definition.name, value }])
        expect(error?.errorName).toBe('INVALID_CONFIG')
        expect(error?.message).toBe(`Invalid value ${value} for configuration ${definition.name}: String must be one of: ${allowed.join(', ')}`)
      }),
    )
  })

  it('answers INVALID_CONFIG for any boolean config given something other than true or false', () => {
    const booleans = TOPIC_CONFIG_DEFINITIONS.filter((d) => d.type === 'BOOLEAN')
    fc.assert(
      fc.property(fc.constantFrom(...booleans), fc.string().filter((s) => !['true', 'false'].includes(s.trim().toLowerCase())), (definition, value) => {
        const error = validateTopicConfigs([{ name: definition.name, value }])
        expect(error?.errorName).toBe('INVALID_CONFIG')
        expect(error?.message).toBe(`Invalid value ${value} for configuration ${definition.name}: Expected value to be either true or false`)
      }),
    )
  })

  it('lists every null-valued config in one message, before checking names', () => {
    expect(validateTopicConfigs([{ name: 'a', value: null }, { name: 'retention.ms', value: '1' }, { name: 'b', value: null }])?.message).toBe(
      'Null value not supported for topic configs: a,b',
    )
  })
})

describe('describeTopicConfigs (ConfigHelper.createTopicConfigEntry)', () => {
  const byName = (configs: ReturnType<typeof describeTopicConfigs>) => new Map(configs.map((c) => [c.name, c]))

  it('describes every topic config, sorted, never read-only or sensitive', () => {
    const described = describeTopicConfigs(TopicConfig.defaults(BrokerConfig.create()))
    expect(described.map((c) => c.name)).toEqual(TOPIC_CONFIG_DEFINITIONS.map((d) => d.name).sort())
    expect(described.every((c) => !c.readOnly && !c.isSensitive && c.synonyms.length === 0)).toBe(true)
  })

  it('reports an override as DYNAMIC_TOPIC_CONFIG with the broker synonyms after it', () => {
    const broker = BrokerConfig.create({ 'log.segment.bytes': '5000' })
    const topic = TopicConfig.resolve(broker, [{ name: 'segment.bytes', value: '7000' }])
    const segment = byName(describeTopicConfigs(topic, { includeSynonyms: true })).get('segment.bytes')
    expect(segment).toEqual({
      name: 'segment.bytes',
      value: '7000',
      readOnly: false,
      isDefault: false,
      configSource: ConfigSource.DYNAMIC_TOPIC_CONFIG,
      isSensitive: false,
      synonyms: [
        { name: 'segment.bytes', value: '7000', source: ConfigSource.DYNAMIC_TOPIC_CONFIG },
        { name: 'log.segment.bytes', value: '5000', source: ConfigSource.STATIC_BROKER_CONFIG },
        { name: 'log.segment.bytes', value: '1073741824', source: ConfigSource.DEFAULT_CONFIG },
      ],
      configType: ConfigTypeId.INT,
      documentation: null,
    })
  })

  it('reports a broker-given value as STATIC_BROKER_CONFIG and a default as DEFAULT_CONFIG', () => {
    const topic = TopicConfig.defaults(BrokerConfig.create({ 'message.max.bytes': 2000 }))
    const described = byName(describeTopicConfigs(topic, { configurationKeys: ['max.message.bytes', 'cleanup.policy'], includeSynonyms: true }))
    expect([...described.keys()]).toEqual(['cleanup.policy', 'max.message.bytes'])
    expect(described.get('max.message.bytes')).toMatchObject({ value: '2000', configSource: ConfigSource.STATIC_BROKER_CONFIG, isDefault: false })
    expect(described.get('cleanup.policy')).toMatchObject({
      value: 'delete',
      configSource: ConfigSource.DEFAULT_CONFIG,
      isDefault: true,
      synonyms: [{ name: 'log.cleanup.policy', value: 'delete', source: ConfigSource.DEFAULT_CONFIG }],
    })
  })

  it("answers for retention.ms as Kafka does: synonyms start at log.retention.ms, so .hours alone is not reported", () => {
    const topic = TopicConfig.defaults(BrokerConfig.create({ 'log.retention.hours': 1 }))
    const retention = byName(describeTopicConfigs(topic, { includeSynonyms: true })).get('retention.ms')
    expect(retention).toMatchObject({ value: '3600000', configSource: ConfigSource.DEFAULT_CONFIG, synonyms: [] })
    const withMs = TopicConfig.defaults(BrokerConfig.create({ 'log.retention.ms': 5000, 'log.retention.hours': 1 }))
    expect(byName(describeTopicConfigs(withMs, { includeSynonyms: true })).get('retention.ms')).toMatchObject({
      value: '5000',
      configSource: ConfigSource.STATIC_BROKER_CONFIG,
      synonyms: [
        { name: 'log.retention.ms', value: '5000', source: ConfigSource.STATIC_BROKER_CONFIG },
        { name: 'log.retention.hours', value: '1', source: ConfigSource.STATIC_BROKER_CONFIG },
        { name: 'log.retention.hours', value: '168', source: ConfigSource.DEFAULT_CONFIG },
      ],
    })
  })

  it('prints Long.MAX_VALUE for "no limit"', () => {
    const described = byName(describeTopicConfigs(TopicConfig.defaults(BrokerConfig.create())))
    expect(described.get('max.compaction.lag.ms')?.value).toBe(LONG_MAX_VALUE)
  })
})

describe('describeBrokerConfigs (ConfigHelper.createBrokerConfigEntry)', () => {
  const byName = (configs: ReturnType<typeof describeBrokerConfigs>) => new Map(configs.map((c) => [c.name, c]))

  it("reports memkafka's development defaults as static configs over Kafka's defaults", () => {
    const described = byName(describeBrokerConfigs(BrokerConfig.create(), { includeSynonyms: true }))
    expect(described.get('group.initial.rebalance.delay.ms')).toEqual({
      name: 'group.initial.rebalance.delay.ms',
      value: '0',
      readOnly: true,
      isDefault: false,
      configSource: ConfigSource.STATIC_BROKER_CONFIG,
      isSensitive: false,
      synonyms: [
        { name: 'group.initial.rebalance.delay.ms', value: '0', source: ConfigSource.STATIC_BROKER_CONFIG },
        { name: 'group.initial.rebalance.delay.ms', value: '3000', source: ConfigSource.DEFAULT_CONFIG },
      ],
      configType: ConfigTypeId.INT,
      documentation: null,
    })
  })

  it('reports unset configs with a null default as null, and dynamic configs as writable', () => {
    const described = byName(describeBrokerConfigs(BrokerConfig.create()))
    expect(described.get('log.retention.ms')).toMatchObject({ value: null, readOnly: false, configSource: ConfigSource.DEFAULT_CONFIG })
    expect(described.get('num.partitions')).toMatchObject({ value: '1', readOnly: true, isDefault: true })
    expect(described.get('log.flush.interval.messages')?.value).toBe(LONG_MAX_VALUE)
  })

  it('reports the value given, in its Kafka form', () => {
    const described = byName(describeBrokerConfigs(BrokerConfig.create({ 'num.partitions': ' 6 ' }), { includeSynonyms: true }))
    expect(described.get('num.partitions')).toMatchObject({
      value: '6',
      configSource: ConfigSource.STATIC_BROKER_CONFIG,
      synonyms: [
        { name: 'num.partitions', value: ' 6 ', source: ConfigSource.STATIC_BROKER_CONFIG },
        { name: 'num.partitions', value: '1', source: ConfigSource.DEFAULT_CONFIG },
      ],
    })
  })
})
