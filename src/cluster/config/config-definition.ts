/**
 * A config definition in the shape of Kafka's ConfigDef (org.apache.kafka.common.config.ConfigDef):
 * a name, a type, a default in Kafka's string form, an optional validator and one line of
 * documentation. Parsing and validation follow ConfigDef.parseType and its validators, and the
 * error messages are ConfigException's words ("Invalid value abc for configuration retention.ms:
 * Not a number of type LONG"), because clients and people read those messages.
 *
 * LONG values: a Java long does not fit a JS number. Every LONG config Kafka defines uses
 * Long.MAX_VALUE (9223372036854775807) to mean "no limit" (flush.ms, max.compaction.lag.ms,
 * message.timestamp.*.max.ms), so memkafka parses LONGs exactly (with BigInt, to reject what
 * Long.parseLong rejects and to range-check exactly) and then represents any value beyond
 * Number.MAX_SAFE_INTEGER (2^53 - 1 ms is 285 000 years) as Infinity. Infinity compares and adds
 * like "never", which is what those values mean. The canonical string kept beside each value
 * (what DescribeConfigs returns) stays the exact decimal Kafka would print.
 */
import { KafkaError } from '../error-codes.js'

/** Kafka's ConfigDef.Type names (CLASS is not needed by any config memkafka honours). */
export type ConfigType = 'BOOLEAN' | 'SHORT' | 'INT' | 'LONG' | 'DOUBLE' | 'STRING' | 'LIST' | 'PASSWORD'

/** The JS type a parsed value of each ConfigType has. */
export interface ConfigValueTypes {
  BOOLEAN: boolean
  SHORT: number
  INT: number
  LONG: number
  DOUBLE: number
  STRING: string
  LIST: readonly string[]
  /** A secret (keys, passwords): DescribeConfigs never shows it (isSensitive, value null). */
  PASSWORD: string
}

export type ConfigValue = ConfigValueTypes[ConfigType]

/**
 * Kafka's validators: ConfigDef.Range (atLeast / between), ConfigDef.ValidString.in,
 * ConfigDef.ValidList.in, and, for the few configs with a validator of their own
 * (message.format.version), a custom check that returns Kafka's reason for a bad value.
 */
export type ConfigValidator =
  | { readonly kind: 'range'; readonly min?: number; readonly max?: number }
  | { readonly kind: 'validString'; readonly values: readonly string[] }
  | { readonly kind: 'validList'; readonly values: readonly string[] }
  | {
      readonly kind: 'custom'
      /** What Kafka's docs list under "Valid Values". */
      readonly description: string
      /** Kafka's reason for refusing a parsed value, or undefined when it is valid. */
      readonly check: (value: ConfigValue) => string | undefined
    }

/**
 * A broker config a topic config falls back to (Kafka's ConfigSynonym): its value, multiplied by
 * `multiplier` (log.roll.hours -> segment.ms), is the topic's value when the topic sets none.
 */
export interface BrokerSynonym {
  readonly name: string
  readonly multiplier?: number
}

export interface ConfigDefinition<N extends string = string, T extends ConfigType = ConfigType> {
  readonly name: N
  readonly type: T
  /** Kafka's default in string form (ConfigDef.convertToString); null where Kafka's default is null. */
  readonly default: string | null
  readonly validator?: ConfigValidator
  /** One line of documentation, after Kafka's. */
  readonly documentation: string
  /** 'topic': a topic-level config (LogConfig); 'broker': a broker config (KafkaConfig). */
  readonly scope: 'topic' | 'broker'
  /**
   * Topic configs only: the broker configs that supply the value when the topic does not set it,
   * in Kafka's order of precedence (ServerTopicConfigSynonyms.ALL_TOPIC_CONFIG_SYNONYMS). The first
   * is the one Kafka's docs name as "Server Default Property". Empty: no broker synonym.
   */
  readonly brokerSynonyms?: readonly BrokerSynonym[]
  /**
   * Broker configs only: Kafka can change it at runtime (DynamicBrokerConfig.AllDynamicConfigs),
   * so DescribeConfigs reports it with readOnly = false.
   */
  readonly dynamic?: boolean
}

/** A value given to memkafka in code: a Kafka string, or the JS value it stands for. */
export type ConfigInputValue = string | number | boolean | readonly string[]

/** A parsed value beside the string Kafka prints for it (ConfigDef.convertToString). */
export interface ParsedConfigValue<V extends ConfigValue = ConfigValue> {
  readonly value: V
  readonly canonical: string
}

/** java.lang.Long.MAX_VALUE in Kafka's string form; Kafka's "no limit" for LONG configs. */
export const LONG_MAX_VALUE = '9223372036854775807'
const LONG_MAX = 9223372036854775807n
const LONG_MIN = -9223372036854775808n
const INT_MAX = 2147483647
const INT_MIN = -2147483648
const SHORT_MAX = 32767
const SHORT_MIN = -32768

/** Kafka's "Invalid value {value} for configuration {name}: {message}" (ConfigException). */
export function invalidConfigValue(name: string, value: string, message: string): KafkaError {
  return new KafkaError('INVALID_CONFIG', `Invalid value ${value} for configuration ${name}: ${message}`)
}

const INTEGER_PATTERN = /^[+-]?[0-9]+$/
// Double.parseDouble's decimal grammar (after trim), with its optional float/double suffix.
// Hexadecimal floating literals are not accepted: no Kafka config value is written that way.
const DOUBLE_PATTERN = /^[+-]?(NaN|Infinity|(([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?)[fFdD]?)$/

/** Long.parseLong: an exact integer in Java's long range, or undefined. */
export function parseJavaLong(text: string): bigint | undefined {
  if (!INTEGER_PATTERN.test(text)) return undefined
  const value = BigInt(text)
  return value < LONG_MIN || value > LONG_MAX ? undefined : value
}

/** A Java long as a JS number: exact up to 2^53 - 1, beyond that +/-Infinity (see the file comment). */
export function longToNumber(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) return Infinity
  if (value < BigInt(Number.MIN_SAFE_INTEGER)) return -Infinity
  return Number(value)
}

/** The decimal Kafka prints for a LONG held as a JS number (Infinity prints as Long.MAX_VALUE). */
export function formatLong(value: number): string {
  if (value === Infinity) return LONG_MAX_VALUE
  if (value === -Infinity) return LONG_MIN.toString()
  return BigInt(Math.trunc(value)).toString()
}

/** java.lang.Double.toString: "0.5", "1.0", "1.0E7", "1.0E-4", "NaN", "Infinity". */
export function javaDoubleToString(value: number): string {
  if (Number.isNaN(value)) return 'NaN'
  if (value === Infinity) return 'Infinity'
  if (value === -Infinity) return '-Infinity'
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0'
  const magnitude = Math.abs(value)
  if (magnitude >= 1e-3 && magnitude < 1e7) {
    const plain = String(value)
    return plain.includes('.') ? plain : `${plain}.0`
  }
  const [mantissa = '', exponent = ''] = value.toExponential().split('e')
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${exponent.replace('+', '')}`
}

/** ConfigDef.convertToString for a parsed value. */
export function formatConfigValue(type: ConfigType, value: ConfigValue): string {
  switch (type) {
    case 'LONG':
      return formatLong(value as number)
    case 'DOUBLE':
      return javaDoubleToString(value as number)
    case 'LIST':
      return (value as readonly string[]).join(',')
    default:
      return String(value)
  }
}

/**
 * The Kafka string for a value given in code: numbers in plain decimal (never "1e+21"),
 * Infinity as Long.MAX_VALUE for a LONG (as is 2^63, which is what the JS literal
 * 9223372036854775807 becomes), lists joined by commas.
 */
export function configInputToString(type: ConfigType, input: ConfigInputValue): string {
  if (typeof input === 'string') return input
  if (typeof input === 'boolean') return String(input)
  if (typeof input === 'number') {
    if (type === 'LONG' && (input === Infinity || input === 2 ** 63)) return LONG_MAX_VALUE
    if (Number.isInteger(input)) return BigInt(input).toString()
    return String(input)
  }
  return input.join(',')
}

/**
 * ConfigDef.parseType followed by the definition's validator: the typed value and its canonical
 * string, or INVALID_CONFIG with Kafka's message. `raw` is the value as the request carries it.
 */
export function parseConfigValue<T extends ConfigType>(definition: ConfigDefinition<string, T>, raw: string): ParsedConfigValue<ConfigValueTypes[T]> | KafkaError
export function parseConfigValue(definition: ConfigDefinition, raw: string): ParsedConfigValue | KafkaError {
  const { name, type } = definition
  const trimmed = raw.trim()
  // Parse errors quote the value as given (untrimmed); validator errors quote the parsed value.
  const notANumber = (): KafkaError => invalidConfigValue(name, raw, `Not a number of type ${type}`)
  let parsed: ParsedConfigValue
  switch (type) {
    case 'BOOLEAN': {
      const lower = trimmed.toLowerCase()
      if (lower !== 'true' && lower !== 'false') return invalidConfigValue(name, raw, 'Expected value to be either true or false')
      parsed = { value: lower === 'true', canonical: lower }
      break
    }
    case 'SHORT':
    case 'INT': {
      if (!INTEGER_PATTERN.test(trimmed)) return notANumber()
      const value = Number(trimmed)
      const [min, max] = type === 'INT' ? [INT_MIN, INT_MAX] : [SHORT_MIN, SHORT_MAX]
      if (value < min || value > max) return notANumber()
      parsed = { value, canonical: String(value) }
      break
    }
    case 'LONG': {
      const value = parseJavaLong(trimmed)
      if (value === undefined) return notANumber()
      parsed = { value: longToNumber(value), canonical: value.toString() }
      break
    }
    case 'DOUBLE': {
      if (!DOUBLE_PATTERN.test(trimmed)) return notANumber()
      const value = Number(trimmed.replace(/[fFdD]$/, ''))
      parsed = { value, canonical: javaDoubleToString(value) }
      break
    }
    case 'STRING':
    case 'PASSWORD':
      parsed = { value: trimmed, canonical: trimmed }
      break
    case 'LIST': {
      // Kafka splits on commas with the whitespace around them, keeping empty elements.
      const value = trimmed === '' ? [] : trimmed.split(/\s*,\s*/)
      parsed = { value, canonical: value.join(',') }
      break
    }
  }
  const reason = definition.validator ? validatorReason(definition.validator, type, parsed.value) : undefined
  if (reason) return invalidConfigValue(name, reason.shownValue, reason.message)
  return parsed
}

/** Why a validator refuses a parsed value, with the value as ConfigException prints it. */
function validatorReason(
  validator: ConfigValidator,
  type: ConfigType,
  value: ConfigValue,
): { shownValue: string; message: string } | undefined {
  switch (validator.kind) {
    case 'range': {
      const n = value as number
      // ConfigDef.Range compares doubleValue()s: NaN passes both bounds, as in Kafka.
      if (validator.min !== undefined && n < validator.min) return { shownValue: formatConfigValue(type, n), message: `Value must be at least ${validator.min}` }
      if (validator.max !== undefined && n > validator.max) return { shownValue: formatConfigValue(type, n), message: `Value must be no more than ${validator.max}` }
      return undefined
    }
    case 'validString': {
      const s = value as string
      return validator.values.includes(s) ? undefined : { shownValue: s, message: `String must be one of: ${validator.values.join(', ')}` }
    }
    case 'validList': {
      for (const s of value as readonly string[]) {
        if (!validator.values.includes(s)) return { shownValue: s, message: `String must be one of: ${validator.values.join(', ')}` }
      }
      return undefined
    }
    case 'custom': {
      const message = validator.check(value)
      return message === undefined ? undefined : { shownValue: formatConfigValue(type, value), message }
    }
  }
}

/**
 * The parsed form of a definition's default (null where Kafka's default is null). Defaults are
 * written by us, so a default that does not parse is a bug in a definition table.
 */
export function parseDefault(definition: ConfigDefinition): ParsedConfigValue | null {
  if (definition.default === null) return null
  const parsed = parseConfigValue(definition, definition.default)
  if (parsed instanceof KafkaError) throw new Error(`Bad default for ${definition.name}: ${parsed.message}`)
  return parsed
}

/** What Kafka's docs print under "Valid Values" for a validator. */
export function describeValidator(validator: ConfigValidator | undefined): string {
  if (!validator) return ''
  switch (validator.kind) {
    case 'range':
      if (validator.max === undefined) return `[${validator.min},...]`
      if (validator.min === undefined) return `[...,${validator.max}]`
      return `[${validator.min},...,${validator.max}]`
    case 'validString':
    case 'validList':
      return `[${validator.values.join(', ')}]`
    case 'custom':
      return validator.description
  }
}

/** ConfigDef.Range.atLeast */
export function atLeast(min: number): ConfigValidator {
  return { kind: 'range', min }
}

/** ConfigDef.Range.between (both bounds inclusive) */
export function between(min: number, max: number): ConfigValidator {
  return { kind: 'range', min, max }
}

/** ConfigDef.ValidString.in (case-sensitive, as in Kafka) */
export function validString(...values: string[]): ConfigValidator {
  return { kind: 'validString', values }
}

/** ConfigDef.ValidList.in: every element of the list must be one of `values`. */
export function validList(...values: string[]): ConfigValidator {
  return { kind: 'validList', values }
}
