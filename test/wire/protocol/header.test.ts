import { createRequire } from 'node:module'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { schemas } from '../../../src/wire/messages/index.js'
import {
  decodeRequestHeader,
  decodeResponseHeader,
  encodeRequestHeader,
  encodeResponseHeader,
  peekRequestHeader,
  requestHeaderVersion,
  responseHeaderVersion,
} from '../../../src/wire/protocol/header.js'
import { Reader } from '../../../src/wire/protocol/reader.js'
import { WireDecodeError } from '../../../src/wire/protocol/wire-decode-error.js'
import { Writer } from '../../../src/wire/protocol/writer.js'

const require = createRequire(import.meta.url)
const createRequest = require('kafkajs/src/protocol/request.js') as (args: unknown) => Promise<{ buffer: Buffer }>
const lookup = (key: number) => schemas.get(key)

describe('request headers', () => {
  it('reads kafkajs frames (header v1): key, version, correlation id and client id', async () => {
    const request = { apiKey: 3, apiVersion: 6, encode: async () => ({ buffer: Buffer.alloc(0) }) }
    const Encoder = require('kafkajs/src/protocol/encoder.js')
    request.encode = async () => new Encoder().writeInt32(-1)
    const frame = (await createRequest({ correlationId: 42, clientId: 'my-app', request })).buffer
    expect(frame.readInt32BE(0)).toBe(frame.length - 4)
    const body = frame.subarray(4)
    expect(peekRequestHeader(body)).toEqual({ apiKey: 3, apiVersion: 6, correlationId: 42 })
    const reader = new Reader(body)
    expect(decodeRequestHeader(reader, lookup)).toEqual({ apiKey: 3, apiVersion: 6, correlationId: 42, clientId: 'my-app', headerVersion: 1 })
    expect(reader.int32()).toBe(-1)
  })

  it('uses header v2 (tagged fields after a classic client id) for flexible request versions', () => {
    expect(requestHeaderVersion(3, 8, lookup)).toBe(1)
    expect(requestHeaderVersion(3, 9, lookup)).toBe(2)
    expect(requestHeaderVersion(18, 3, lookup)).toBe(2)
    expect(requestHeaderVersion(7, 0, lookup)).toBe(0)
    const body = Buffer.from('0003' + '0009' + '00000007' + '0002' + '6964' + '01' + '0002' + 'abcd' + 'ee', 'hex')
    const reader = new Reader(body)
    expect(decodeRequestHeader(reader, lookup)).toEqual({ apiKey: 3, apiVersion: 9, correlationId: 7, clientId: 'id', headerVersion: 2 })
    expect(reader.uint8()).toBe(0xee)
  })

  it('round-trips any header, and reads a null client id', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(0, 1, 3, 18),
        fc.integer({ min: 0, max: 12 }),
        fc.integer({ min: -2147483648, max: 2147483647 }),
        fc.option(fc.string({ maxLength: 20 }), { nil: null }),
        (apiKey, apiVersion, correlationId, clientId) => {
          const w = new Writer()
          encodeRequestHeader(w, { apiKey, apiVersion, correlationId, clientId }, lookup)
          const header = decodeRequestHeader(new Reader(w.toBuffer()), lookup)
          expect(header).toMatchObject({ apiKey, apiVersion, correlationId, clientId })
        },
      ),
    )
  })

  it('throws WireDecodeError for a truncated header, and peeks nothing from under 8 bytes', () => {
    expect(peekRequestHeader(Buffer.alloc(7))).toBeUndefined()
    expect(() => decodeRequestHeader(new Reader(Buffer.from('0003000600000001', 'hex')), lookup)).toThrow(WireDecodeError)
    expect(() => decodeRequestHeader(new Reader(Buffer.from('000300060000000100ff', 'hex')), lookup)).toThrow(WireDecodeError)
    expect(peekRequestHeader(Buffer.from('000300060000000100ff', 'hex'))).toEqual({ apiKey: 3, apiVersion: 6, correlationId: 1 })
  })
})

describe('response headers', () => {
  it('are v0 for classic responses and v1 (an empty tag section) for flexible ones', () => {
    const at = (key: number, version: number) => {
      const w = new Writer()
      encodeResponseHeader(w, 5, key, version, lookup)
      return w.toBuffer().toString('hex')
    }
    expect(at(3, 8)).toBe('00000005')
    expect(at(3, 9)).toBe('0000000500')
    expect(at(1, 12)).toBe('0000000500')
    expect(responseHeaderVersion(0, 9, lookup)).toBe(1)
  })

  it('are always v0 for ApiVersions, even at its flexible v3 (KIP-511)', () => {
    const w = new Writer()
    encodeResponseHeader(w, 9, 18, 3, lookup)
    expect(w.toBuffer().toString('hex')).toBe('00000009')
    expect(decodeResponseHeader(new Reader(w.toBuffer()), 18, 3, lookup)).toBe(9)
  })
})
