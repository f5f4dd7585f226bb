import { describe, it, expect } from 'vitest'
import fc from 'fast-check'
import {
  MAX_TOPIC_NAME_LENGTH,
  findCollidingTopic,
  isInternalTopic,
  isValidTopicName,
  topicNamesCollide,
  unifyCollisionChars,
  validateNewTopicName,
  validateTopicName,
} from '../../../src/cluster/metadata/topic-name.js'

const LEGAL = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-'
const legalChar = fc.constantFrom(...LEGAL)
const legalName = (minLength: number, maxLength: number) =>
  fc.string({ unit: legalChar, minLength, maxLength }).filter((s) => s !== '.' && s !== '..')
const illegalChar = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }).filter((c) => !LEGAL.includes(c))

describe('topic names (org.apache.kafka.common.internals.Topic)', () => {
  it('accepts every name of 1 to 249 legal characters other than . and ..', () => {
    fc.assert(
      fc.property(legalName(1, MAX_TOPIC_NAME_LENGTH), (name) => {
        expect(validateTopicName(name)).toBeUndefined()
        expect(isValidTopicName(name)).toBe(true)
      }),
    )
  })

  it('refuses any name containing a character other than ASCII alphanumerics, ., _ and -', () => {
    fc.assert(
      fc.property(legalName(0, 100), illegalChar, legalName(0, 100), (before, bad, after) => {
        const name = before + bad + after
        fc.pre(name.length <= MAX_TOPIC_NAME_LENGTH)
        const error = validateTopicName(name)
        expect(error?.errorName).toBe('INVALID_TOPIC_EXCEPTION')
        expect(error?.message).toBe(`Topic name is invalid: '${name}' contains one or more characters other than ASCII alphanumerics, '.', '_' and '-'`)
        expect(isValidTopicName(name)).toBe(false)
      }),
    )
  })

  it('refuses any name longer than 249 characters', () => {
    fc.assert(
      fc.property(legalName(MAX_TOPIC_NAME_LENGTH + 1, 400), (name) => {
        const error = validateTopicName(name)
        expect(error?.errorName).toBe('INVALID_TOPIC_EXCEPTION')
        expect(error?.message).toBe(`Topic name is invalid: the length of '${name}' is longer than the max allowed length 249`)
      }),
    )
  })

  it("refuses the empty name, '.' and '..' with Kafka's words", () => {
    expect(validateTopicName('')?.message).toBe('Topic name is invalid: the empty string is not allowed')
    expect(validateTopicName('.')?.message).toBe("Topic name is invalid: '.' is not allowed")
    expect(validateTopicName('..')?.message).toBe("Topic name is invalid: '..' is not allowed")
    expect(validateTopicName('...')).toBeUndefined()
  })

  it('knows the internal topics', () => {
    expect(isInternalTopic('__consumer_offsets')).toBe(true)
    expect(isInternalTopic('__transaction_state')).toBe(true)
    expect(isInternalTopic('__cluster_metadata')).toBe(false)
    expect(isInternalTopic('consumer_offsets')).toBe(false)
  })
})

describe("topic name collisions ('.' versus '_')", () => {
  it("refuses a new topic that differs from an existing one only by '.' and '_'", () => {
    expect(validateNewTopicName('a.b', ['a_b', 'other'])?.message).toBe("Topic 'a.b' collides with existing topic: a_b")
    expect(validateNewTopicName('a.b', ['a_b'])?.errorName).toBe('INVALID_TOPIC_EXCEPTION')
    expect(validateNewTopicName('a_b', ['a.b'])?.message).toBe("Topic 'a_b' collides with existing topic: a.b")
  })

  it('leaves a topic of exactly the same name to TOPIC_ALREADY_EXISTS', () => {
    expect(validateNewTopicName('a.b', ['a.b'])).toBeUndefined()
  })

  it('reports an invalid name before any collision', () => {
    expect(validateNewTopicName('a b', ['a_b'])?.message).toContain('Topic name is invalid')
  })

  it("makes any two names that differ only in swapping '.' and '_' collide, and no others", () => {
    const dotOrUnderscore = fc.constantFrom('.', '_')
    fc.assert(
      fc.property(fc.array(fc.tuple(legalName(0, 5), dotOrUnderscore, dotOrUnderscore), { minLength: 1, maxLength: 5 }), (parts) => {
        const a = parts.map(([text, x]) => text + x).join('')
        const b = parts.map(([text, , y]) => text + y).join('')
        expect(topicNamesCollide(a, b)).toBe(true)
        expect(findCollidingTopic(a, [b])).toBe(a === b ? undefined : b)
        // Changing any other character breaks the collision.
        const other = `${a}x`
        expect(findCollidingTopic(other, [b])).toBeUndefined()
      }),
    )
  })

  it("unifies by replacing every '.' with '_'", () => {
    fc.assert(
      fc.property(legalName(1, 50), (name) => {
        const unified = unifyCollisionChars(name)
        expect(unified).not.toContain('.')
        expect(unified.length).toBe(name.length)
        expect(topicNamesCollide(name, unified)).toBe(true)
      }),
    )
  })

  it('names without . or _ never collide with another name', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z0-9-]{1,20}$/), fc.array(legalName(1, 20)), (name, existing) => {
        expect(findCollidingTopic(name, existing)).toBeUndefined()
      }),
    )
  })
})
