/**
 * A send's brokers and their answers (kafkajs's responsePerBroker): planning order is kept, a
 * broker that failed is planned again after the others, and the results come in planning order.
 */
import { describe, expect, it } from 'vitest'
import { BrokerAnswers } from '../../../src/client/producer/broker-answers.js'
import type { RecordMetadata } from '../../../src/client/producer/producer-types.js'

function result(partition: number): RecordMetadata {
  return { topicName: 't', partition, errorCode: 0, baseOffset: '0', logAppendTime: '-1', logStartOffset: '0' }
}

describe('BrokerAnswers', () => {
  it('has nothing before a broker is planned', () => {
    const answers = new BrokerAnswers()
    expect(answers.has(1)).toBe(false)
    expect(answers.answered(1)).toBe(false)
    expect(answers.results()).toEqual([])
  })

  it('hands one broker’s results on as they are', () => {
    const answers = new BrokerAnswers()
    answers.plan(2)
    expect(answers.has(2)).toBe(true)
    expect(answers.answered(2)).toBe(false)
    const own = [result(0), result(1)]
    answers.set(2, own)
    expect(answers.answered(2)).toBe(true)
    expect(answers.results()).toBe(own)
  })

  it('lists results in planning order; a failed broker is planned again after the others', () => {
    const answers = new BrokerAnswers()
    for (const broker of [0, 1, 2]) answers.plan(broker)
    answers.set(2, [result(2)])
    answers.set(0, [result(0)])
    // Broker 1 fails: forgotten, then planned again by the retry.
    answers.forget(1)
    expect(answers.has(1)).toBe(false)
    answers.plan(1)
    answers.set(1, [result(1), result(4)])
    expect(answers.results().map((r) => r.partition)).toEqual([0, 2, 1, 4])
    // Forgetting a broker never planned changes nothing.
    answers.forget(9)
    expect(answers.results().map((r) => r.partition)).toEqual([0, 2, 1, 4])
  })

  it('keeps an answer that arrives for a broker no longer planned, after the others', () => {
    const answers = new BrokerAnswers()
    answers.plan(0)
    answers.set(5, [result(5)])
    answers.set(0, [result(0)])
    expect(answers.results().map((r) => r.partition)).toEqual([0, 5])
  })
})
