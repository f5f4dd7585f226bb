/**
 * Effective config values, resolved the way Kafka resolves them:
 *
 * - `BrokerConfig`: the static broker configs given to `new Cluster({ brokerConfig })` (on top of
 *   MEMKAFKA_BROKER_DEFAULTS), validated as KafkaConfig validates them, with typed getters and
 *   KafkaConfig's derived values (log.retention.ms over .minutes over .hours, log.roll.ms over
 *   .hours, ...).
 * - `TopicConfig`: one topic's configs, each resolved as topic override > the first broker
 *   synonym set statically (ServerTopicConfigSynonyms order) > Kafka's default, which is how
 *   LogConfig.fromProps(KafkaConfig.extractLogConfigMap, topicOverrides) builds a log's config.
 * - `validateTopicConfigs`: Kafka's checks on topic configs in CreateTopics and AlterConfigs
 *   (ControllerConfigurationValidator and LogConfig.validate), with Kafka's error messages.
 * - `describeTopicConfigs` / `describeBrokerConfigs`: DescribeConfigs entries as Kafka's
 *   ConfigHelper builds them, sources and synonyms included.
 */
import { KafkaError } from '../error-codes.js'
import { ConfigSource, ConfigTypeId, type DescribedConfig } from '../api/messages.js'
import {
  configInputToString,
  formatConfigValue,
  parseConfigValue,
  parseDefault,
  type ConfigDefinition,
  type ConfigInputValue,
  type ConfigValue,
  type ParsedConfigValue,
} from './config-definition.js'
import {
  TOPIC_CONFIG_DEFINITIONS,
  topicConfigDefinition,
  type TopicConfigDefinition,
  type TopicConfigName,
  type TopicConfigValue,
} from './topic-configs.js'
import {
  BROKER_CONFIG_DEFINITIONS,
  MEMKAFKA_BROKER_DEFAULTS,
  brokerConfigDefinition,
  brokerConfigSynonyms,
  type BrokerConfigName,
  type BrokerConfigValue,
} from './broker-configs.js'

/** Static broker configs under Kafka's names, as strings or the JS values they stand for. */
export type BrokerConfigInput = { readonly [K in BrokerConfigName]?: ConfigInputValue }

/** A config as a request carries it (CreateTopics configs, AlterConfigs entries). */
export interface ConfigEntry {
  readonly name: string
  readonly value: string | null
}

/** Where an effective value comes from (the DescribeConfigs v1+ sources memkafka can produce). */
export type ConfigSourceName = 'DYNAMIC_TOPIC_CONFIG' | 'STATIC_BROKER_CONFIG' | 'DEFAULT_CONFIG'

/** An effective value, its Kafka string and its source. */
export interface ResolvedConfigValue<V extends ConfigValue = ConfigValue> extends ParsedConfigValue<V> {
  readonly source: ConfigSourceName
}

// Parsed defaults are constant data derived from the definition tables.
const topicDefaults = new Map<string, ParsedConfigValue>(
  TOPIC_CONFIG_DEFINITIONS.map((d) => [d.name, parseDefault(d) as ParsedConfigValue]),
)
const brokerDefaults = new Map<string, ParsedConfigValue | null>(BROKER_CONFIG_DEFINITIONS.map((d) => [d.name, parseDefault(d)]))

interface StaticBrokerValue {
  /** The value as given, which DescribeConfigs shows in a STATIC_BROKER_CONFIG synonym. */
  readonly raw: string
  readonly parsed: ParsedConfigValue
}

// ---------------------------------------------------------------------------------------------
// BrokerConfig

export interface BrokerConfigOptions {
  /** Start from MEMKAFKA_BROKER_DEFAULTS (default true); false gives Kafka's plain defaults. */
  readonly memkafkaDefaults?: boolean
}

/** The last few distinct broker configs built, by their strings (see tryCreate). */
const parsedConfigs = new Map<string, BrokerConfig>()
const PARSED_CONFIGS_KEPT = 16

/** A broker's static configs, validated; values not given are Kafka's defaults. */
export class BrokerConfig {
  private readonly statics: ReadonlyMap<string, StaticBrokerValue>
  private readonly topicDefaultsFromBroker = new Map<string, ResolvedConfigValue>()

  private constructor(statics: ReadonlyMap<string, StaticBrokerValue>) {
    this.statics = statics
  }

  /**
   * Validates `input` and returns the broker config, or throws KafkaError('INVALID_CONFIG')
   * naming the offending config. Unlike Kafka, which only logs an unknown name, memkafka
   * refuses it: a misspelt config would otherwise be silently ignored.
   */
  static create(input: BrokerConfigInput = {}, options: BrokerConfigOptions = {}): BrokerConfig {
    const result = BrokerConfig.tryCreate(input, options)
    if (result instanceof KafkaError) throw result
    return result
  }

  /** `create` without throwing. */
  static tryCreate(input: BrokerConfigInput = {}, options: BrokerConfigOptions = {}): BrokerConfig | KafkaError {
    const raw = new Map<string, string>()
    if (options.memkafkaDefaults !== false) for (const d of MEMKAFKA_BROKER_DEFAULTS) raw.set(d.name, d.value)
    for (const [name, value] of Object.entries(input as Record<string, ConfigInputValue | undefined>)) {
      if (value === undefined) continue
      const definition = brokerConfigDefinition(name)
      if (!definition) return new KafkaError('INVALID_CONFIG', `Unknown broker config name: ${name}`)
      raw.set(name, configInputToString(definition.type, value))
    }
    // A BrokerConfig never changes once built: the same strings (every `new Cluster()` with the
    // same broker configs, usually none) parse to one shared result (issue 15: a test's life
    // parsed and checked every default again).
    // (A refusal is built afresh each time: an error object is not shared.)
    const key = JSON.stringify([...raw])
    const known = parsedConfigs.get(key)
    if (known) return known
    const result = BrokerConfig.fromStrings(raw)
    if (result instanceof KafkaError) return result
    if (parsedConfigs.size >= PARSED_CONFIGS_KEPT) parsedConfigs.delete(parsedConfigs.keys().next().value!)
    parsedConfigs.set(key, result)
    return result
  }

  private static fromStrings(raw: ReadonlyMap<string, string>): BrokerConfig | KafkaError {
    const statics = new Map<string, StaticBrokerValue>()
    for (const [name, value] of raw) {
      const definition = brokerConfigDefinition(name)
      if (!definition) return new KafkaError('INVALID_CONFIG', `Unknown broker config name: ${name}`)
      const parsed = parseConfigValue(definition, value)
      if (parsed instanceof KafkaError) return parsed
      statics.set(name, { raw: value, parsed })
    }
    const config = new BrokerConfig(statics)
    return config.checkDerivedValues() ?? config
  }

  /** This config with more static values on top (e.g. one broker's broker.id and broker.rack). */
  with(input: BrokerConfigInput): BrokerConfig {
    const raw = new Map<string, string>([...this.statics].map(([name, v]) => [name, v.raw]))
    for (const [name, value] of Object.entries(input as Record<string, ConfigInputValue | undefined>)) {
      if (value === undefined) continue
      const definition = brokerConfigDefinition(name)
      if (!definition) throw new KafkaError('INVALID_CONFIG', `Unknown broker config name: ${name}`)
      raw.set(name, configInputToString(definition.type, value))
    }
    const result = BrokerConfig.fromStrings(raw)
    if (result instanceof KafkaError) throw result
    return result
  }

  /** The effective value of a broker config: its static value, else Kafka's default. */
  get<N extends BrokerConfigName>(name: N): BrokerConfigValue<N> {
    const value = this.statics.get(name)?.parsed.value ?? brokerDefaults.get(name)?.value ?? null
    return value as BrokerConfigValue<N>
  }

  /** Whether the config was given statically (by memkafka's defaults or the user). */
  isStatic(name: string): boolean {
    return this.statics.has(name)
  }

  /** The static value as given, or undefined. */
  staticValue(name: string): string | undefined {
    return this.statics.get(name)?.raw
  }

  /** The names given statically, in the order given. */
  staticNames(): string[] {
    return [...this.statics.keys()]
  }

  /** The Kafka string of the effective value (null when unset with a null default). */
  canonical(name: BrokerConfigName): string | null {
    return this.statics.get(name)?.parsed.canonical ?? brokerDefaults.get(name)?.canonical ?? null
  }

  /**
   * KafkaConfig.logRetentionTimeMillis: log.retention.ms, else log.retention.minutes, else
   * log.retention.hours; any negative value means no limit (-1).
   */
  get logRetentionTimeMillis(): number {
    return this.topicDefault('retention.ms').value as number
  }

  /** KafkaConfig.logRollTimeMillis: log.roll.ms, else log.roll.hours. */
  get logRollTimeMillis(): number {
    return this.topicDefault('segment.ms').value as number
  }

  /** KafkaConfig.logRollTimeJitterMillis: log.roll.jitter.ms, else log.roll.jitter.hours. */
  get logRollTimeJitterMillis(): number {
    return this.topicDefault('segment.jitter.ms').value as number
  }

  /** KafkaConfig.logFlushIntervalMs: log.flush.interval.ms, else log.flush.scheduler.interval.ms. */
  get logFlushIntervalMs(): number {
    return this.topicDefault('flush.ms').value as number
  }

  /**
   * The value a topic config takes on this broker when the topic does not set it: the first of
   * its broker synonyms given statically (converted to the topic config's unit), else Kafka's
   * default for the topic config, which equals the broker default of the synonym.
   */
  topicDefault<N extends TopicConfigName>(name: N): ResolvedConfigValue<TopicConfigValue<N>> {
    let resolved = this.topicDefaultsFromBroker.get(name)
    if (!resolved) {
      resolved = this.resolveTopicDefault(topicConfigDefinition(name) as TopicConfigDefinition)
      this.topicDefaultsFromBroker.set(name, resolved)
    }
    return resolved as ResolvedConfigValue<TopicConfigValue<N>>
  }

  private resolveTopicDefault(definition: TopicConfigDefinition): ResolvedConfigValue {
    for (const synonym of definition.brokerSynonyms) {
      const given = this.statics.get(synonym.name)
      if (!given) continue
      let value = given.parsed.value
      if (synonym.multiplier !== undefined) value = (value as number) * synonym.multiplier
      // KafkaConfig.logRetentionTimeMillis: "if (millis < 0) return -1".
      if (definition.name === 'retention.ms' && (value as number) < 0) value = -1
      return { value, canonical: formatConfigValue(definition.type, value), source: 'STATIC_BROKER_CONFIG' }
    }
    const fallback = topicDefaults.get(definition.name) as ParsedConfigValue
    return { ...fallback, source: 'DEFAULT_CONFIG' }
  }

  /**
   * KafkaConfig.validateValues's requirements on derived values, then the derived topic defaults
   * against the topic configs' validators (a broker's LogConfig must be valid, as at startup),
   * then LogConfig.validateValues (LogManager checks it at startup).
   */
  private checkDerivedValues(): KafkaError | undefined {
    if (this.logRollTimeMillis < 1) return new KafkaError('INVALID_CONFIG', 'log.roll.ms must be greater than or equal to 1')
    if (this.logRollTimeJitterMillis < 0) return new KafkaError('INVALID_CONFIG', 'log.roll.jitter.ms must be greater than or equal to 0')
    const retention = this.logRetentionTimeMillis
    if (!(retention >= 1 || retention === -1)) return new KafkaError('INVALID_CONFIG', 'log.retention.ms must be unlimited (-1) or, greater than or equal to 1')
    for (const definition of TOPIC_CONFIG_DEFINITIONS) {
      const resolved = this.topicDefault(definition.name)
      if (resolved.source !== 'STATIC_BROKER_CONFIG') continue
      const check = parseConfigValue(definition as ConfigDefinition, resolved.canonical)
      if (check instanceof KafkaError) {
        const from = definition.brokerSynonyms.find((s) => this.statics.has(s.name))?.name
        return new KafkaError('INVALID_CONFIG', `${check.message} (from broker config ${from})`)
      }
    }
    return compactionLagConflict(this.topicDefault('min.compaction.lag.ms'), this.topicDefault('max.compaction.lag.ms'))
  }
}

/** LogConfig.validateValues: min.compaction.lag.ms must not exceed max.compaction.lag.ms. */
function compactionLagConflict(min: ResolvedConfigValue, max: ResolvedConfigValue): KafkaError | undefined {
  if ((min.value as number) <= (max.value as number)) return undefined
  return new KafkaError(
    'INVALID_CONFIG',
    `conflict topic config setting min.compaction.lag.ms (${min.canonical}) > max.compaction.lag.ms (${max.canonical})`,
  )
}

// ---------------------------------------------------------------------------------------------
// Topic configs: validation and resolution

type TopicOverridesInput = readonly ConfigEntry[] | ReadonlyMap<string, string> | Readonly<Record<string, string>>

function toEntries(input: TopicOverridesInput): readonly ConfigEntry[] {
  if (Array.isArray(input)) return input as readonly ConfigEntry[]
  if (input instanceof Map) return [...input].map(([name, value]) => ({ name, value }))
  return Object.entries(input as Readonly<Record<string, string>>).map(([name, value]) => ({ name, value }))
}

interface ParsedOverride {
  readonly raw: string
  readonly parsed: ParsedConfigValue
}

/**
 * Kafka's checks, in Kafka's order: null values (ControllerConfigurationValidator), unknown
 * names (LogConfig.validateNames), each value (ConfigDef.parse, in the order given), then the
 * checks on the combined config (LogConfig.validateTopicLogConfigValues).
 */
function parseTopicOverrides(entries: readonly ConfigEntry[], broker: BrokerConfig): Map<string, ParsedOverride> | KafkaError {
  const nullNames = entries.filter((e) => e.value === null).map((e) => e.name)
  if (nullNames.length > 0) return new KafkaError('INVALID_CONFIG', `Null value not supported for topic configs: ${nullNames.join(',')}`)
  for (const entry of entries) {
    if (!topicConfigDefinition(entry.name)) return new KafkaError('INVALID_CONFIG', `Unknown topic config name: ${entry.name}`)
  }
  // A name given twice: the later value wins, as when Kafka puts them in a map.
  const latest = new Map<string, string>()
  for (const entry of entries) latest.set(entry.name, entry.value as string)
  const overrides = new Map<string, ParsedOverride>()
  for (const [name, raw] of latest) {
    const parsed = parseConfigValue(topicConfigDefinition(name) as ConfigDefinition, raw)
    if (parsed instanceof KafkaError) return parsed
    overrides.set(name, { raw, parsed })
  }
  const effective = (name: TopicConfigName): ResolvedConfigValue => {
    const override = overrides.get(name)
    return override ? { ...override.parsed, source: 'DYNAMIC_TOPIC_CONFIG' } : broker.topicDefault(name)
  }
  const conflict = compactionLagConflict(effective('min.compaction.lag.ms'), effective('max.compaction.lag.ms'))
  if (conflict) return conflict
  // LogConfig.validateRemoteStorageOnlyIfSystemEnabled: memkafka's brokers run with
  // remote.log.storage.system.enable=false, so tiered storage cannot be turned on for a topic.
  if (effective('remote.storage.enable').value === true) {
    return new KafkaError('INVALID_CONFIG', 'Tiered Storage functionality is disabled in the broker. Topic cannot be configured with remote log storage.')
  }
  return overrides
}

export interface ValidateTopicConfigsOptions {
  /** The broker whose static configs complete the topic's (for the combined checks). Default: Kafka's defaults. */
  readonly brokerConfig?: BrokerConfig
}

/**
 * The INVALID_CONFIG error Kafka answers for these topic configs (CreateTopics configs, or the
 * full set of an AlterConfigs), or undefined when they are valid. Messages are Kafka's, e.g.
 * "Unknown topic config name: foo", "Invalid value abc for configuration retention.ms: Not a
 * number of type LONG", "Null value not supported for topic configs: retention.ms".
 */
export function validateTopicConfigs(entries: readonly ConfigEntry[], options: ValidateTopicConfigsOptions = {}): KafkaError | undefined {
  const result = parseTopicOverrides(entries, options.brokerConfig ?? defaultBrokerConfig())
  return result instanceof KafkaError ? result : undefined
}

let plainDefaults: BrokerConfig | undefined
/** Kafka's own broker defaults (no static configs); immutable, so shared. */
function defaultBrokerConfig(): BrokerConfig {
  plainDefaults ??= BrokerConfig.create({}, { memkafkaDefaults: false })
  return plainDefaults
}

/**
 * One topic's effective configs: topic override > broker synonym (static broker config) >
 * Kafka's default, each with typed access, its Kafka string and its source. Immutable: an
 * AlterConfigs builds a new one with `withOverrides`.
 */
export class TopicConfig {
  readonly brokerConfig: BrokerConfig
  /** The topic's dynamic configs (overrides) as given, by Kafka name. */
  readonly overrides: ReadonlyMap<TopicConfigName, string>
  private readonly parsedOverrides: ReadonlyMap<string, ParsedOverride>

  private constructor(brokerConfig: BrokerConfig, parsedOverrides: ReadonlyMap<string, ParsedOverride>) {
    this.brokerConfig = brokerConfig
    this.parsedOverrides = parsedOverrides
    this.overrides = new Map([...parsedOverrides].map(([name, o]) => [name as TopicConfigName, o.raw]))
  }

  /**
   * The configs of a topic with these overrides on this broker. Throws the KafkaError
   * (INVALID_CONFIG) that validateTopicConfigs returns for invalid overrides.
   */
  static resolve(brokerConfig: BrokerConfig, overrides: TopicOverridesInput = []): TopicConfig {
    const parsed = parseTopicOverrides(toEntries(overrides), brokerConfig)
    if (parsed instanceof KafkaError) throw parsed
    return new TopicConfig(brokerConfig, parsed)
  }

  /** A topic that overrides nothing. */
  static defaults(brokerConfig: BrokerConfig): TopicConfig {
    return new TopicConfig(brokerConfig, new Map())
  }

  /** The same topic with its overrides replaced by these (AlterConfigs is not incremental). */
  withOverrides(overrides: TopicOverridesInput): TopicConfig {
    return TopicConfig.resolve(this.brokerConfig, overrides)
  }

  /** The effective value, e.g. `get('retention.ms')` (a number; Infinity for Long.MAX_VALUE). */
  get<N extends TopicConfigName>(name: N): TopicConfigValue<N> {
    return this.resolved(name).value
  }

  /** The effective value with its Kafka string and its source. */
  resolved<N extends TopicConfigName>(name: N): ResolvedConfigValue<TopicConfigValue<N>> {
    const override = this.parsedOverrides.get(name)
    if (override) return { ...(override.parsed as ParsedConfigValue<TopicConfigValue<N>>), source: 'DYNAMIC_TOPIC_CONFIG' }
    return this.brokerConfig.topicDefault(name)
  }

  /** Where the effective value comes from (DescribeConfigs may say otherwise; see describeTopicConfigs). */
  source(name: TopicConfigName): ConfigSourceName {
    return this.resolved(name).source
  }

  isOverridden(name: TopicConfigName): boolean {
    return this.parsedOverrides.has(name)
  }

  /** LogConfig.compact: cleanup.policy contains compact. */
  get compact(): boolean {
    return this.get('cleanup.policy').some((p) => p.toLowerCase() === 'compact')
  }

  /** LogConfig.delete: cleanup.policy contains delete. */
  get delete(): boolean {
    return this.get('cleanup.policy').some((p) => p.toLowerCase() === 'delete')
  }

  /**
   * LogConfig.messageTimestampBeforeMaxMs: message.timestamp.before.max.ms, or, while it is at its
   * default, the deprecated message.timestamp.difference.max.ms (KIP-937's transition rule).
   */
  get messageTimestampBeforeMaxMs(): number {
    const before = this.get('message.timestamp.before.max.ms')
    return before !== Infinity ? before : this.get('message.timestamp.difference.max.ms')
  }

  /** LogConfig.messageTimestampAfterMaxMs, with the same transition rule. */
  get messageTimestampAfterMaxMs(): number {
    const after = this.get('message.timestamp.after.max.ms')
    return after !== Infinity ? after : this.get('message.timestamp.difference.max.ms')
  }
}

// ---------------------------------------------------------------------------------------------
// DescribeConfigs

export interface DescribeConfigsOptions {
  /** Only these configs (unknown names are skipped); null or empty: every config. */
  readonly configurationKeys?: readonly string[] | null
  readonly includeSynonyms?: boolean
  readonly includeDocumentation?: boolean
}

/** ConfigHelper: the config's type id and, when asked for, its documentation (DescribeConfigs v3+). */
function typeAndDocumentation(definition: { readonly type: string; readonly documentation: string }, options: DescribeConfigsOptions): { configType: number; documentation: string | null } {
  const configType = (ConfigTypeId as Record<string, number>)[definition.type] ?? ConfigTypeId.UNKNOWN
  return { configType, documentation: options.includeDocumentation ? definition.documentation : null }
}

type Synonym = DescribedConfig['synonyms'][number]

/**
 * ConfigHelper.configSynonyms: the static value of each name (in precedence order), then each
 * non-null Kafka default, dropping everything before the first entry for `name` itself. That last
 * step is Kafka's: for retention.ms, whose first broker synonym log.retention.ms is usually unset,
 * it drops log.retention.hours, so Kafka describes retention.ms with no synonyms and source
 * DEFAULT_CONFIG even when log.retention.hours is set. memkafka answers as Kafka does.
 */
function brokerSynonymEntries(broker: BrokerConfig, name: string, names: readonly string[]): Synonym[] {
  const entries: Synonym[] = []
  for (const n of names) {
    const raw = broker.staticValue(n)
    if (raw !== undefined) entries.push({ name: n, value: raw, source: ConfigSource.STATIC_BROKER_CONFIG })
  }
  for (const n of names) {
    const definition = brokerConfigDefinition(n)
    if (definition && definition.default !== null) entries.push({ name: n, value: definition.default, source: ConfigSource.DEFAULT_CONFIG })
  }
  const first = entries.findIndex((s) => s.name === name)
  return first < 0 ? [] : entries.slice(first)
}

function wanted(options: DescribeConfigsOptions): (name: string) => boolean {
  const keys = options.configurationKeys
  if (!keys || keys.length === 0) return () => true
  const set = new Set(keys)
  return (name) => set.has(name)
}

/**
 * DescribeConfigs entries for a topic (ConfigHelper.createTopicConfigEntry), sorted by name:
 * the effective value; source DYNAMIC_TOPIC_CONFIG for an override, else the source of the first
 * broker synonym entry, else DEFAULT_CONFIG; never read-only or sensitive.
 */
export function describeTopicConfigs(config: TopicConfig, options: DescribeConfigsOptions = {}): DescribedConfig[] {
  const include = wanted(options)
  const described: DescribedConfig[] = []
  for (const definition of [...TOPIC_CONFIG_DEFINITIONS].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (!include(definition.name)) continue
    const resolved = config.resolved(definition.name)
    const primary = definition.brokerSynonyms[0]?.name
    const synonyms = primary ? brokerSynonymEntries(config.brokerConfig, primary, brokerConfigSynonyms(primary)) : []
    if (config.isOverridden(definition.name)) {
      synonyms.unshift({ name: definition.name, value: resolved.canonical, source: ConfigSource.DYNAMIC_TOPIC_CONFIG })
    }
    const configSource = synonyms[0]?.source ?? ConfigSource.DEFAULT_CONFIG
    described.push({
      name: definition.name,
      value: resolved.canonical,
      readOnly: false,
      isDefault: configSource === ConfigSource.DEFAULT_CONFIG,
      configSource,
      isSensitive: false,
      synonyms: options.includeSynonyms ? synonyms : [],
      ...typeAndDocumentation(definition, options),
    })
  }
  return described
}

/**
 * DescribeConfigs entries for a broker (ConfigHelper.createBrokerConfigEntry with
 * perBrokerConfig), sorted by name: the effective value (null when unset with no default), source
 * STATIC_BROKER_CONFIG or DEFAULT_CONFIG, read-only unless Kafka can change it dynamically.
 */
export function describeBrokerConfigs(config: BrokerConfig, options: DescribeConfigsOptions = {}): DescribedConfig[] {
  const include = wanted(options)
  const described: DescribedConfig[] = []
  for (const definition of [...BROKER_CONFIG_DEFINITIONS].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (!include(definition.name)) continue
    const sensitive = definition.type === 'PASSWORD'
    const synonyms = brokerSynonymEntries(config, definition.name, brokerConfigSynonyms(definition.name)).map((s) => (sensitive ? { ...s, value: null } : s))
    const configSource = synonyms[0]?.source ?? ConfigSource.DEFAULT_CONFIG
    described.push({
      name: definition.name,
      // Kafka never reveals a PASSWORD config's value (ConfigHelper: isSensitive, value null).
      value: sensitive ? null : config.canonical(definition.name),
      readOnly: !('dynamic' in definition && definition.dynamic === true),
      isDefault: configSource === ConfigSource.DEFAULT_CONFIG,
      configSource,
      isSensitive: sensitive,
      synonyms: options.includeSynonyms ? synonyms : [],
      ...typeAndDocumentation(definition, options),
    })
  }
  return described
}
