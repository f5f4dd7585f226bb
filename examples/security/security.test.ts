/**
 * Concept 13, checked: a wrong password and a missing one are refused at connection; billing
 * is refused exactly what its ACLs do not grant, each with Kafka's error; and a second run
 * tells the same story.
 */
import { describe, expect, it } from 'vitest'
import { runExample } from '../kit/example.js'
import example from './main.js'

describe('the security example', () => {
  it('refuses exactly what the ACLs do not grant, with Kafka\'s errors, the same way every run', async () => {
    const first = await runExample(example)
    const types = first.result.refusals.map((r) => /^(\w+)(?: \((\w+)\))?/.exec(r)!.slice(1).filter(Boolean).join(' '))
    expect(types).toEqual([
      'KafkaJSSASLAuthenticationError',
      'KafkaJSConnectionError',
      'KafkaJSProtocolError TOPIC_AUTHORIZATION_FAILED',
      'KafkaJSNonRetriableError TOPIC_AUTHORIZATION_FAILED',
      'KafkaJSProtocolError GROUP_AUTHORIZATION_FAILED',
      'KafkaJSProtocolError CLUSTER_AUTHORIZATION_FAILED',
    ])
    const second = await runExample(example)
    expect(second.parts.map((p) => p.lines)).toEqual(first.parts.map((p) => p.lines))
  })
})
