import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { apiVersions } from '../../../src/wire/messages/18-api-versions.js'
import { fetch } from '../../../src/wire/messages/01-fetch.js'
import { metadata } from '../../../src/wire/messages/03-metadata.js'
import { produce } from '../../../src/wire/messages/00-produce.js'
import { decodeMessage, encodeMessageToBuffer } from '../../../src/wire/protocol/codec.js'
import { Reader } from '../../../src/wire/protocol/reader.js'
import { WireDecodeError } from '../../../src/wire/protocol/wire-decode-error.js'
import { messageArbitrary, present, versionsOf } from '../protocol/arbitrary-message.js'

describe.each([produce, fetch, metadata, apiVersions])('$name table', (schema) => {
  for (const spec of [schema.request, schema.response]) {
    it(`${spec.name}: decode(encode(m)) = m and encode(decode(bytes)) = bytes at every version`, () => {
      for (const version of versionsOf(spec)) {
        fc.assert(
          fc.property(messageArbitrary(spec, version), (m) => {
            const bytes = encodeMessageToBuffer(spec, version, m)
            const reader = new Reader(bytes)
            const decoded = decodeMessage(spec, version, reader)
            expect(reader.remaining()).toBe(0)
            expect(present(spec, version, decoded)).toEqual(m)
            expect(encodeMessageToBuffer(spec, version, decoded).equals(bytes)).toBe(true)
          }),
          { numRuns: 15 },
        )
      }
    })

    it(`${spec.name}: truncated or random bodies throw only WireDecodeError`, () => {
      for (const version of versionsOf(spec)) {
        fc.assert(
          fc.property(messageArbitrary(spec, version), fc.nat(), fc.uint8Array({ maxLength: 60 }), (m, cut, random) => {
            const bytes = encodeMessageToBuffer(spec, version, m)
            if (bytes.length > 0) expect(() => decodeMessage(spec, version, new Reader(bytes.subarray(0, cut % bytes.length)))).toThrow(WireDecodeError)
            try {
              decodeMessage(spec, version, new Reader(Buffer.from(random)))
            } catch (error) {
              expect(error).toBeInstanceOf(WireDecodeError)
            }
          }),
          { numRuns: 10 },
        )
      }
    })
  }
})
