import { describe, it, expect } from 'vitest'
import fc from 'fast-check'
import { KafkaError } from '../../../src/cluster/error-codes.js'
import {
  LONG_MAX_VALUE,
  atLeast,
  between,
  configInputToString,
  formatConfigValue,
  javaDoubleToString,
  parseConfigValue,
  validList,
  validString,
  type ConfigDefinition,
  type ConfigType,
  type ConfigValidator,
} from '../../../src/cluster/config/config-definition.js'

function def(type: ConfigType, validator?: ConfigValidator): ConfigDefinition {
  return { name: 'x.config', type, default: null, documentation: '', scope: 'topic', ...(validator ? { validator } : {}) }
}

function errorMessage(result: unknown): string {
  expect(result).toBeInstanceOf(KafkaError)
  const error = result as KafkaError
  expect(error.errorName).toBe('INVALID_CONFIG')
  return error.message
}

describe('parseConfigValue follows ConfigDef.parseType', () => {
  it('parses booleans case-insensitively after trimming, and refuses anything else', () => {
    expect(parseConfigValue(def('BOOLEAN'), ' TRUE ')).toEqual({ value: true, canonical: 'true' })
    expect(parseConfigValue(def('BOOLEAN'), 'False')).toEqual({ value: false, canonical: 'false' })
    expect(errorMessage(parseConfigValue(def('BOOLEAN'), 'yes'))).toBe('Invalid value yes for configuration x.config: Expected value to be either true or false')
  })

  it('parses INT within Java int range only', () => {
    expect(parseConfigValue(def('INT'), '+42')).toEqual({ value: 42, canonical: '42' })
    expect(parseConfigValue(def('INT'), '-2147483648')).toEqual({ value: -2147483648, canonical: '-2147483648' })
    expect(errorMessage(parseConfigValue(def('INT'), '2147483648'))).toBe('Invalid value 2147483648 for configuration x.config: Not a number of type INT')
    expect(errorMessage(parseConfigValue(def('INT'), '1.5'))).toBe('Invalid value 1.5 for configuration x.config: Not a number of type INT')
    expect(errorMessage(parseConfigValue(def('INT'), '1e3'))).toBe('Invalid value 1e3 for configuration x.config: Not a number of type INT')
  })

  it('parses SHORT within Java short range only', () => {
    expect(parseConfigValue(def('SHORT'), '32767')).toEqual({ value: 32767, canonical: '32767' })
    expect(errorMessage(parseConfigValue(def('SHORT'), '32768'))).toBe('Invalid value 32768 for configuration x.config: Not a number of type SHORT')
  })

  it('accepts Long.MAX_VALUE as a string and represents it as Infinity ("no limit")', () => {
    expect(parseConfigValue(def('LONG'), LONG_MAX_VALUE)).toEqual({ value: Infinity, canonical: LONG_MAX_VALUE })
    expect(parseConfigValue(def('LONG'), '-9223372036854775808')).toEqual({ value: -Infinity, canonical: '-9223372036854775808' })
    expect(errorMessage(parseConfigValue(def('LONG'), '9223372036854775808'))).toBe(
      'Invalid value 9223372036854775808 for configuration x.config: Not a number of type LONG',
    )
  })

  it('keeps LONG values within 2^53 exact', () => {
    fc.assert(
      fc.property(fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), (n) => {
        expect(parseConfigValue(def('LONG'), String(n))).toEqual({ value: n, canonical: String(n) })
      }),
    )
  })

  it('quotes the value as given (untrimmed) in a parse error', () => {
    expect(errorMessage(parseConfigValue(def('LONG'), ' abc'))).toBe('Invalid value  abc for configuration x.config: Not a number of type LONG')
  })

  it("parses doubles with Java's grammar and prints them as Double.toString does", () => {
    expect(parseConfigValue(def('DOUBLE'), '0.5')).toEqual({ value: 0.5, canonical: '0.5' })
    expect(parseConfigValue(def('DOUBLE'), '1')).toEqual({ value: 1, canonical: '1.0' })
    expect(parseConfigValue(def('DOUBLE'), '.25d')).toEqual({ value: 0.25, canonical: '0.25' })
    expect(errorMessage(parseConfigValue(def('DOUBLE'), 'half'))).toBe('Invalid value half for configuration x.config: Not a number of type DOUBLE')
  })

  it('splits lists on commas with surrounding whitespace and keeps empty elements, as Kafka does', () => {
    expect(parseConfigValue(def('LIST'), ' compact , delete ')).toEqual({ value: ['compact', 'delete'], canonical: 'compact,delete' })
    expect(parseConfigValue(def('LIST'), '')).toEqual({ value: [], canonical: '' })
    expect(parseConfigValue(def('LIST'), 'a,')).toEqual({ value: ['a', ''], canonical: 'a,' })
  })

  it('trims strings', () => {
    expect(parseConfigValue(def('STRING'), '  CreateTime ')).toEqual({ value: 'CreateTime', canonical: 'CreateTime' })
  })
})

describe("validators answer with ConfigException's words", () => {
  it('Range.atLeast and Range.between', () => {
    expect(errorMessage(parseConfigValue(def('LONG', atLeast(-1)), '-2'))).toBe('Invalid value -2 for configuration x.config: Value must be at least -1')
    expect(errorMessage(parseConfigValue(def('DOUBLE', between(0, 1)), '1.5'))).toBe('Invalid value 1.5 for configuration x.config: Value must be no more than 1')
    expect(errorMessage(parseConfigValue(def('DOUBLE', between(0, 1)), '-1'))).toBe('Invalid value -1.0 for configuration x.config: Value must be at least 0')
    expect(parseConfigValue(def('DOUBLE', between(0, 1)), '1')).toEqual({ value: 1, canonical: '1.0' })
  })

  it('ValidString.in is case-sensitive', () => {
    const d = def('STRING', validString('CreateTime', 'LogAppendTime'))
    expect(errorMessage(parseConfigValue(d, 'createtime'))).toBe(
      'Invalid value createtime for configuration x.config: String must be one of: CreateTime, LogAppendTime',
    )
  })

  it('ValidList.in names the first element that is not allowed', () => {
    const d = def('LIST', validList('compact', 'delete'))
    expect(errorMessage(parseConfigValue(d, 'delete,foo,bar'))).toBe('Invalid value foo for configuration x.config: String must be one of: compact, delete')
  })

  it('every integer below an atLeast bound is refused, every one at or above accepted', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: -1000, max: 1000 }), (min, n) => {
        const result = parseConfigValue(def('INT', atLeast(min)), String(n))
        if (n < min) expect(errorMessage(result)).toBe(`Invalid value ${n} for configuration x.config: Value must be at least ${min}`)
        else expect(result).toEqual({ value: n, canonical: String(n) })
      }),
    )
  })
})

describe('formatting', () => {
  it('javaDoubleToString matches Double.toString on representative values', () => {
    expect(javaDoubleToString(0)).toBe('0.0')
    expect(javaDoubleToString(0.5)).toBe('0.5')
    expect(javaDoubleToString(100)).toBe('100.0')
    expect(javaDoubleToString(1e7)).toBe('1.0E7')
    expect(javaDoubleToString(1.5e-4)).toBe('1.5E-4')
    expect(javaDoubleToString(NaN)).toBe('NaN')
  })

  it('formats LONG Infinity as Long.MAX_VALUE and lists joined by commas', () => {
    expect(formatConfigValue('LONG', Infinity)).toBe(LONG_MAX_VALUE)
    expect(formatConfigValue('LIST', ['compact', 'delete'])).toBe('compact,delete')
  })

  it('turns JS values given in code into Kafka strings', () => {
    expect(configInputToString('LONG', Infinity)).toBe(LONG_MAX_VALUE)
    // The literal 9223372036854775807 is 2^63 as a JS number.
    expect(configInputToString('LONG', 9223372036854775807)).toBe(LONG_MAX_VALUE)
    expect(configInputToString('LONG', 1e21)).toBe('1000000000000000000000')
    expect(configInputToString('LIST', ['compact', 'delete'])).toBe('compact,delete')
    expect(configInputToString('BOOLEAN', false)).toBe('false')
  })
})
