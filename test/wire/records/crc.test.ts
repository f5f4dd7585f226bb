import { createRequire } from 'node:module'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { crc32 } from '../../../src/wire/records/crc32.js'
import { crc32c } from '../../../src/wire/records/crc32c.js'

const require = createRequire(import.meta.url)
const kafkajsCrc32c = require('kafkajs/src/protocol/recordBatch/crc32C/index.js') as (b: Buffer) => number
const kafkajsCrc32 = require('kafkajs/src/protocol/crc32.js') as (e: { buffer: Buffer }) => number

describe('CRC-32C and CRC-32', () => {
  it('give the standard check values for "123456789"', () => {
    const check = Buffer.from('123456789')
    expect(crc32c(check)).toBe(0xe3069283)
    expect(crc32(check)).toBe(0xcbf43926)
    expect(crc32c(Buffer.alloc(0))).toBe(0)
    expect(crc32(Buffer.alloc(0))).toBe(0)
  })

  it('agree with kafkajs and node:zlib on any bytes, over any sub-range, and when continued', async () => {
    const zlib = (await import('node:zlib')) as unknown as { crc32?: (b: Uint8Array) => number }
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat(), fc.nat(), (bytes, a, b) => {
        const buf = Buffer.from(bytes)
        expect(crc32c(buf)).toBe(kafkajsCrc32c(buf) >>> 0)
        expect(crc32(buf)).toBe(kafkajsCrc32({ buffer: buf }) >>> 0)
        if (zlib.crc32) expect(crc32(buf)).toBe(zlib.crc32(buf))
        const start = buf.length ? a % buf.length : 0
        const end = start + (buf.length - start ? b % (buf.length - start + 1) : 0)
        expect(crc32c(buf, start, end)).toBe(crc32c(buf.subarray(start, end)))
        expect(crc32c(buf, end, buf.length, crc32c(buf, 0, end))).toBe(crc32c(buf))
      }),
    )
  })
})
