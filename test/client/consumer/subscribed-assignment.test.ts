/**
 * The consumer's direct read of its SyncGroup assignment (subscribed-assignment.ts) against
 * kafkajs's decoder (MemberAssignment.decode): whenever the direct read answers, it is the
 * decoded assignment, as the consumer's map (Object.entries order); whenever the decoder would
 * throw, warn about unsubscribed topics, or order the topics differently, it leaves the buffer
 * to the decoder.
 */
import { describe, it, expect } from 'vitest'
import fc from 'fast-check'
import { MemberAssignment } from '../../../src/client/consumer/assigners/assigner-protocol.js'
import { decodeSubscribedAssignment, subscribedTopicBytes } from '../../../src/client/consumer/assigners/subscribed-assignment.js'

function decodedAsMap(buffer: Buffer): Map<string, number[]> | 'throws' {
  try {
    const decoded = buffer.length > 0 ? MemberAssignment.decode(buffer) : null
    return new Map(Object.entries(decoded?.assignment ?? {}))
  } catch {
    return 'throws'
  }
}

/** The direct read agrees with the decoder, or leaves the buffer to it. */
function agrees(buffer: Buffer, subscribed: readonly string[]): Map<string, number[]> | undefined {
  const direct = decodeSubscribedAssignment(buffer, subscribedTopicBytes(subscribed))
  if (direct === undefined) return undefined
  const decoded = decodedAsMap(buffer)
  expect(decoded).not.toBe('throws')
  expect([...direct]).toEqual([...(decoded as Map<string, number[]>)])
  for (const topic of direct.keys()) expect(subscribed).toContain(topic)
  return direct
}

const encode = (assignment: Record<string, number[]>, userData: Buffer | null = Buffer.alloc(0)) => MemberAssignment.encode({ version: 0, assignment, userData: userData as Buffer })

describe('decodeSubscribedAssignment', () => {
  it('reads an assignment of subscribed topics as the decoder does, in the order listed', () => {
    const buffer = encode({ orders: [5, 205, 405], payments: [1], 'ünïcode-☃': [0, 2] })
    expect([...agrees(buffer, ['payments', 'orders', 'ünïcode-☃', 'other'])!]).toEqual([
      ['orders', [5, 205, 405]],
      ['payments', [1]],
      ['ünïcode-☃', [0, 2]],
    ])
    // The names are the subscription's own strings.
    const subscribed = ['orders']
    const direct = decodeSubscribedAssignment(encode({ orders: [1] }), subscribedTopicBytes(subscribed))!
    expect([...direct.keys()][0]).toBe(subscribed[0])
    // userData null or present.
    expect(agrees(encode({ orders: [1] }, null), ['orders'])).toBeDefined()
    expect(agrees(encode({ orders: [1] }, Buffer.from('data')), ['orders'])).toBeDefined()
    expect([...agrees(encode({}), ['orders'])!]).toEqual([])
  })

  it('leaves to the decoder: unsubscribed topics, array-index names, repeated topics, odd counts, short buffers', () => {
    const none = (buffer: Buffer, subscribed: string[]) => expect(decodeSubscribedAssignment(buffer, subscribedTopicBytes(subscribed))).toBeUndefined()
    none(encode({ orders: [1], other: [2] }), ['orders'])
    // An object lists array-index keys first: the map must follow, so the decoder builds it.
    none(encode({ orders: [1], '7': [2] }), ['orders', '7'])
    none(Buffer.alloc(0), ['orders'])
    none(Buffer.from([0, 0]), ['orders'])
    const full = encode({ orders: [1, 2, 3] })
    for (let cut = 0; cut < full.length; cut++) none(full.subarray(0, cut), ['orders'])
    // The same topic twice.
    const once = encode({ orders: [1] })
    const body = once.subarray(6, once.length - 4)
    const twice = Buffer.concat([Buffer.from([0, 0, 0, 0, 0, 2]), body, body, Buffer.from([0, 0, 0, 0])])
    expect(decodedAsMap(twice)).not.toBe('throws')
    none(twice, ['orders'])
    // A null partition list (count -1) and a null topic count.
    none(Buffer.concat([Buffer.from([0, 0, 0, 0, 0, 1, 0, 6]), Buffer.from('orders'), Buffer.from([255, 255, 255, 255, 0, 0, 0, 0])]), ['orders'])
    none(Buffer.from([0, 0, 255, 255, 255, 255, 0, 0, 0, 0]), ['orders'])
    // A subscribed name whose bytes decode to another string (a lone surrogate) is never matched.
    none(encode({ '\ud800x': [1] }), ['\ud800x'])
  })

  it('agrees with the decoder on any assignment and any subscription', () => {
    const name = fc.oneof(fc.constantFrom('orders', 'a', '0', '12', '__proto__', 'constructor', 'ü', ''), fc.string({ maxLength: 6 }))
    fc.assert(
      fc.property(
        fc.dictionary(name, fc.array(fc.integer({ min: -5, max: 3000 }), { maxLength: 6 }), { maxKeys: 5 }),
        fc.array(name, { maxLength: 6 }),
        fc.option(fc.uint8Array({ maxLength: 4 }).map((b) => Buffer.from(b)), { nil: null }),
        fc.nat({ max: 40 }),
        (assignment, extra, userData, cut) => {
          const buffer = encode(assignment, userData)
          const subscribed = [...Object.keys(assignment), ...extra]
          agrees(buffer, subscribed)
          agrees(buffer, extra)
          agrees(buffer.subarray(0, Math.max(0, buffer.length - cut)), subscribed)
        },
      ),
    )
  })
})
