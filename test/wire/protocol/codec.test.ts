import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decodeMessage, encodeMessage, encodeMessageToBuffer } from '../../../src/wire/protocol/codec.js'
import { Reader } from '../../../src/wire/protocol/reader.js'
import type { MessageSpec } from '../../../src/wire/protocol/schema.js'
import { WireDecodeError, WireEncodeError } from '../../../src/wire/protocol/wire-decode-error.js'
import { Writer } from '../../../src/wire/protocol/writer.js'
import { messageArbitrary, present, versionsOf } from './arbitrary-message.js'

/** A made-up message using every feature of the table format. */
const spec: MessageSpec = {
  apiKey: 1000,
  name: 'SampleRequest',
  type: 'request',
  validVersions: '0-4',
  flexibleVersions: '3+',
  fields: [
    { name: 'GroupId', type: 'string', versions: '0+' },
    { name: 'MemberId', type: 'string', versions: '1+', nullableVersions: '2+', default: 'null' },
    { name: 'TimeoutMs', type: 'int32', versions: '0+', default: '-1' },
    { name: 'Retention', type: 'int64', versions: '2+', default: '-1', ignorable: true },
    { name: 'Flag', type: 'bool', versions: '1-2', default: 'true' },
    { name: 'Ids', type: '[]int32', versions: '0+', nullableVersions: '1+' },
    { name: 'Id', type: 'uuid', versions: '2+' },
    { name: 'Data', type: 'bytes', versions: '0+', nullableVersions: '0+' },
    { name: 'Ratio', type: 'float64', versions: '4+' },
    { name: 'Small', type: 'uint16', versions: '4+' },
    {
      name: 'Topics',
      type: '[]Topic',
      versions: '0+',
      fields: [
        { name: 'Name', type: 'string', versions: '0+' },
        { name: 'Partitions', type: '[]int32', versions: '0+' },
        { name: 'Records', type: 'records', versions: '0+', nullableVersions: '0+' },
        { name: 'Hint', type: 'string', versions: '3+', taggedVersions: '3+', tag: 0, nullableVersions: '3+', default: 'null' },
      ],
    },
    {
      name: 'Leader',
      type: 'Leader',
      versions: '3+',
      taggedVersions: '3+',
      tag: 1,
      fields: [
        { name: 'LeaderId', type: 'int32', versions: '3+', default: '-1' },
        { name: 'LeaderEpoch', type: 'int32', versions: '3+', default: '-1' },
      ],
    },
    { name: 'Cursor', type: 'Cursor', versions: '4+', nullableVersions: '4+', default: 'null', fields: [{ name: 'Position', type: 'int32', versions: '4+' }] },
    { name: 'Late', type: 'int32', versions: '4+', taggedVersions: '4+', tag: 7, default: '0' },
  ],
}

const decode = (version: number, bytes: Buffer) => decodeMessage(spec, version, new Reader(bytes))

describe('the generic codec', () => {
  it('decode(encode(m)) gives back m at every version, and re-encodes to the same bytes', () => {
    for (const version of versionsOf(spec)) {
      fc.assert(
        fc.property(messageArbitrary(spec, version), (m) => {
          const bytes = encodeMessageToBuffer(spec, version, m)
          const reader = new Reader(bytes)
          const decoded = decodeMessage(spec, version, reader)
          expect(reader.remaining()).toBe(0)
          expect(present(spec, version, decoded)).toEqual(m)
          expect(encodeMessageToBuffer(spec, version, decoded)).toEqual(bytes)
        }),
        { numRuns: 40 },
      )
    }
  })

  it('gives absent fields their defaults', () => {
    const m = decode(0, encodeMessageToBuffer(spec, 0, { groupId: 'g', timeoutMs: 5, ids: [], data: null, topics: [] }))
    expect(m).toMatchObject({ groupId: 'g', memberId: null, timeoutMs: 5, retention: -1, flag: true, id: '00000000-0000-0000-0000-000000000000', ratio: 0, small: 0, leader: { leaderId: -1, leaderEpoch: -1 }, cursor: null, late: 0 })
    expect(Object.keys(m)).toEqual(['groupId', 'memberId', 'timeoutMs', 'retention', 'flag', 'ids', 'id', 'data', 'ratio', 'small', 'topics', 'leader', 'cursor', 'late'])
  })

  it('writes fields a message leaves undefined as their defaults', () => {
    const bytes = encodeMessageToBuffer(spec, 2, { groupId: 'g', data: null, id: '01234567-89ab-cdef-0123-456789abcdef' })
    expect(decode(2, bytes)).toMatchObject({ memberId: null, timeoutMs: -1, retention: -1, flag: true, ids: [], topics: [] })
  })

  it('writes the classic encoding below the flexible versions and the compact one from them on', () => {
    const m = { groupId: 'ab', memberId: 'c', timeoutMs: 1, ids: [7], data: null, topics: [] }
    expect(encodeMessageToBuffer(spec, 1, { ...m, flag: false }).toString('hex')).toBe('0002616200016300000001' + '00' + '0000000100000007' + 'ffffffff' + '00000000')
    const flexible = encodeMessageToBuffer(spec, 3, { ...m, id: '00000000-0000-0000-0000-000000000001', retention: 2 })
    expect(flexible.toString('hex')).toBe('036162' + '0263' + '00000001' + '0000000000000002' + '02' + '00000007' + '00000000000000000000000000000001' + '00' + '01' + '00')
  })

  it('writes tagged fields only when they differ from their default, in tag order', () => {
    const base = { groupId: '', data: null, topics: [], id: '00000000-0000-0000-0000-000000000000' }
    const none = encodeMessageToBuffer(spec, 4, base)
    expect(none[none.length - 1]).toBe(0)
    const tagged = encodeMessageToBuffer(spec, 4, { ...base, late: 9, leader: { leaderId: 3, leaderEpoch: 4 } })
    // count 2; tag 1 (8 bytes: two int32 + empty tag section = 9), then tag 7 (4 bytes).
    expect(tagged.subarray(tagged.length - 18).toString('hex')).toBe('02' + '0109' + '0000000300000004' + '00' + '0704' + '00000009')
    expect(decode(4, tagged)).toMatchObject({ late: 9, leader: { leaderId: 3, leaderEpoch: 4 } })
  })

  it('skips tagged fields it does not know', () => {
    const known = encodeMessageToBuffer(spec, 3, { groupId: 'x', data: null, topics: [] })
    // Replace the empty top-level tag section by one unknown tag (5) with 3 bytes.
    const withUnknown = Buffer.concat([known.subarray(0, known.length - 1), Buffer.from('01' + '05' + '03' + 'aabbcc', 'hex')])
    expect(decode(3, withUnknown).groupId).toBe('x')
  })

  it('rejects tagged fields out of order and a tagged field whose size lies', () => {
    const known = encodeMessageToBuffer(spec, 4, { groupId: 'x', data: null, topics: [], id: '00000000-0000-0000-0000-000000000000' })
    const head = known.subarray(0, known.length - 1)
    expect(() => decode(4, Buffer.concat([head, Buffer.from('02' + '0701' + '00' + '0101' + '00', 'hex')]))).toThrow(WireDecodeError)
    expect(() => decode(4, Buffer.concat([head, Buffer.from('01' + '0705' + '0000000900', 'hex')]))).toThrow(WireDecodeError)
  })

  it('encodes a nullable struct behind a marker byte', () => {
    const base = { groupId: '', data: null, topics: [], id: '00000000-0000-0000-0000-000000000000' }
    expect(decode(4, encodeMessageToBuffer(spec, 4, { ...base, cursor: { position: 5 } })).cursor).toEqual({ position: 5 })
    expect(decode(4, encodeMessageToBuffer(spec, 4, { ...base, cursor: null })).cursor).toBeNull()
  })

  it('accepts records as one Buffer, a list of Buffers, or null', () => {
    const parts = [Buffer.from('0102', 'hex'), Buffer.alloc(1000, 3)]
    for (const version of [0, 3]) {
      const m = decode(version, encodeMessageToBuffer(spec, version, { groupId: '', data: null, topics: [{ name: 't', partitions: [], records: parts }] }))
      const records = (m.topics as { records: Buffer }[])[0]!.records
      expect(records).toEqual(Buffer.concat(parts))
    }
  })

  it('refuses what a version cannot carry', () => {
    expect(() => encodeMessageToBuffer(spec, 5, {})).toThrow(WireEncodeError)
    expect(() => decode(5, Buffer.alloc(10))).toThrow(WireDecodeError)
    // Flag is not ignorable and does not exist at v0: a non-default value is an error...
    expect(() => encodeMessageToBuffer(spec, 0, { groupId: '', data: null, topics: [], flag: false })).toThrow(WireEncodeError)
    // ...its default is not, and neither is an ignorable field (Retention) at a version without it.
    expect(() => encodeMessageToBuffer(spec, 0, { groupId: '', data: null, topics: [], flag: true, retention: 5 })).not.toThrow()
    expect(() => encodeMessageToBuffer(spec, 1, { groupId: '', memberId: null, data: null, topics: [] })).toThrow(WireEncodeError)
    expect(() => encodeMessageToBuffer(spec, 0, { groupId: 5, data: null, topics: [] })).toThrow(WireEncodeError)
    expect(() => encodeMessageToBuffer(spec, 0, { groupId: '', timeoutMs: 2 ** 40, data: null, topics: [] })).toThrow(WireEncodeError)
    expect(() => encodeMessageToBuffer(spec, 0, { groupId: '', data: null, topics: 'x' })).toThrow(WireEncodeError)
  })

  it('rejects a null where the version does not allow one', () => {
    // Ids is nullable from v1 only: an int32 length of -1 at v0 is malformed.
    const bytes = Buffer.from('0000' + 'ffffffff' + 'ffffffff' + 'ffffffff' + '00000000', 'hex')
    expect(() => decode(0, bytes)).toThrow(WireDecodeError)
    expect(decode(1, Buffer.from('0000' + '0000' + 'ffffffff' + '00' + 'ffffffff' + 'ffffffff' + '00000000', 'hex')).ids).toBeNull()
  })

  it('on random bytes and truncations throws only WireDecodeError', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4 }), fc.uint8Array({ maxLength: 80 }), (version, bytes) => {
        try {
          decode(version, Buffer.from(bytes))
        } catch (error) {
          expect(error).toBeInstanceOf(WireDecodeError)
        }
      }),
    )
    for (const version of versionsOf(spec)) {
      fc.assert(
        fc.property(messageArbitrary(spec, version), fc.nat(), (m, cut) => {
          const bytes = encodeMessageToBuffer(spec, version, m)
          const truncated = bytes.subarray(0, cut % bytes.length)
          expect(() => decode(version, truncated)).toThrow(WireDecodeError)
        }),
        { numRuns: 30 },
      )
    }
  })

  it('shares one Writer across messages (encodeMessage appends)', () => {
    const w = new Writer()
    encodeMessage(spec, 0, { groupId: 'a', data: null, topics: [] }, w)
    encodeMessage(spec, 0, { groupId: 'b', data: null, topics: [] }, w)
    const r = new Reader(w.toBuffer())
    expect(decodeMessage(spec, 0, r).groupId).toBe('a')
    expect(decodeMessage(spec, 0, r).groupId).toBe('b')
  })
})
