import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { unicodeString } from './arbitrary-message.js'
import { Reader } from '../../../src/wire/protocol/reader.js'
import { WireDecodeError } from '../../../src/wire/protocol/wire-decode-error.js'
import { Writer } from '../../../src/wire/protocol/writer.js'

const hex = (w: Writer): string => w.toBuffer().toString('hex')
const reader = (h: string): Reader => new Reader(Buffer.from(h, 'hex'))

describe('varints (Kafka ByteUtils)', () => {
  it('writes the known unsigned varint encodings', () => {
    expect(hex(new Writer().uvarint(0))).toBe('00')
    expect(hex(new Writer().uvarint(127))).toBe('7f')
    expect(hex(new Writer().uvarint(128))).toBe('8001')
    expect(hex(new Writer().uvarint(300))).toBe('ac02')
    expect(hex(new Writer().uvarint(0xffffffff))).toBe('ffffffff0f')
  })

  it('zigzags signed varints and varlongs as Kafka does', () => {
    expect(hex(new Writer().varint(0))).toBe('00')
    expect(hex(new Writer().varint(-1))).toBe('01')
    expect(hex(new Writer().varint(1))).toBe('02')
    expect(hex(new Writer().varint(-64))).toBe('7f')
    expect(hex(new Writer().varint(64))).toBe('8001')
    expect(hex(new Writer().varint(2147483647))).toBe('feffffff0f')
    expect(hex(new Writer().varint(-2147483648))).toBe('ffffffff0f')
    expect(hex(new Writer().varlong(-1))).toBe('01')
    expect(hex(new Writer().varlong(-(2 ** 53) + 1))).toBe('fdffffffffffff1f')
    expect(reader('feffffff0f').varint()).toBe(2147483647)
    expect(reader('ffffffff0f').varint()).toBe(-2147483648)
    expect(reader('ac02').uvarint()).toBe(300)
  })

  it('reads back every varint, varlong and unsigned varint it writes', () => {
    fc.assert(
      fc.property(fc.integer({ min: -2147483648, max: 2147483647 }), fc.maxSafeInteger(), fc.integer({ min: 0, max: 0xffffffff }), (i, l, u) => {
        const b = new Writer().varint(i).varlong(l).uvarint(u).toBuffer()
        const r = new Reader(b)
        expect(r.varint()).toBe(i)
        expect(r.varlong()).toBe(l)
        expect(r.uvarint()).toBe(u)
        expect(r.remaining()).toBe(0)
      }),
    )
  })

  it('agrees with kafkajs on varlongs (its Long-based encoder)', async () => {
    const Encoder = (await import('kafkajs/src/protocol/encoder.js' as string)).default
    fc.assert(
      fc.property(fc.maxSafeInteger(), (l) => {
        const theirs: Buffer = new Encoder().writeVarLong(l).buffer
        expect(new Writer().varlong(l).toBuffer().toString('hex')).toBe(theirs.toString('hex'))
      }),
    )
  })

  it('rejects varints longer than their type', () => {
    expect(() => reader('ffffffffff01').uvarint()).toThrow(WireDecodeError)
    expect(() => reader('ffffffffffffffffffff01').varlong()).toThrow(WireDecodeError)
    expect(() => reader('80').uvarint()).toThrow(WireDecodeError)
  })
})

describe('fixed-width, string, bytes and uuid primitives', () => {
  it('round-trips every primitive', () => {
    fc.assert(
      fc.property(
        fc.record({
          i8: fc.integer({ min: -128, max: 127 }),
          i16: fc.integer({ min: -32768, max: 32767 }),
          u16: fc.integer({ min: 0, max: 65535 }),
          i32: fc.integer({ min: -2147483648, max: 2147483647 }),
          u32: fc.integer({ min: 0, max: 0xffffffff }),
          i64: fc.maxSafeInteger(),
          f64: fc.double(),
          b: fc.boolean(),
          uuid: fc.uuid().map((u) => u.toLowerCase()),
          s: fc.option(unicodeString(30), { nil: null }),
          bytes: fc.option(fc.uint8Array({ maxLength: 40 }).map((a) => Buffer.from(a)), { nil: null }),
        }),
        (v) => {
          const w = new Writer(8)
          w.int8(v.i8).int16(v.i16).uint16(v.u16).int32(v.i32).uint32(v.u32).int64(v.i64).float64(v.f64).bool(v.b).uuid(v.uuid)
          w.nullableString(v.s).nullableCompactString(v.s).nullableBytes(v.bytes).nullableCompactBytes(v.bytes)
          const r = new Reader(w.toBuffer())
          expect(r.int8()).toBe(v.i8)
          expect(r.int16()).toBe(v.i16)
          expect(r.uint16()).toBe(v.u16)
          expect(r.int32()).toBe(v.i32)
          expect(r.uint32()).toBe(v.u32)
          expect(r.int64()).toBe(v.i64)
          expect(r.float64()).toBe(v.f64)
          expect(r.bool()).toBe(v.b)
          expect(r.uuid()).toBe(v.uuid)
          expect(r.nullableString()).toBe(v.s)
          expect(r.nullableCompactString()).toBe(v.s)
          expect(r.nullableBytes()).toEqual(v.bytes)
          expect(r.nullableCompactBytes()).toEqual(v.bytes)
          expect(r.remaining()).toBe(0)
        },
      ),
    )
  })

  it('keeps int64 sentinels: Long.MAX_VALUE and Long.MIN_VALUE survive decode then encode', () => {
    for (const h of ['7fffffffffffffff', '8000000000000000', 'ffffffffffffffff', '0000000000000000']) {
      const n = reader(h).int64()
      expect(new Writer().int64(n).toBuffer().toString('hex')).toBe(h)
    }
    expect(reader('ffffffffffffffff').int64()).toBe(-1)
  })

  it('classic and compact strings use Kafka length prefixes', () => {
    expect(hex(new Writer().nullableString('ab'))).toBe('00026162')
    expect(hex(new Writer().nullableString(null))).toBe('ffff')
    expect(hex(new Writer().nullableCompactString('ab'))).toBe('036162')
    expect(hex(new Writer().nullableCompactString(null))).toBe('00')
    expect(hex(new Writer().nullableBytes(null))).toBe('ffffffff')
    expect(hex(new Writer().uuid('01234567-89ab-cdef-0123-456789abcdef'))).toBe('0123456789abcdef0123456789abcdef')
  })

  it('returns bytes as views into the frame (no copy)', () => {
    const frame = Buffer.from('00000003616263', 'hex')
    const bytes = new Reader(frame).bytes()
    expect(bytes.toString()).toBe('abc')
    expect(bytes.buffer).toBe(frame.buffer)
    expect(bytes.byteOffset).toBe(frame.byteOffset + 4)
  })

  it('checks lengths against the bytes left before allocating', () => {
    expect(() => reader('7fff').string()).toThrow(WireDecodeError)
    expect(() => reader('7fffffff').bytes()).toThrow(WireDecodeError)
    expect(() => reader('7fffffff').arrayLength(1)).toThrow(WireDecodeError)
    expect(() => reader('ffffffff0f').compactArrayLength(1)).toThrow(WireDecodeError)
    expect(() => reader('00000002' + '00000001').arrayLength(4)).toThrow(WireDecodeError)
    expect(reader('00000001' + '00000001').arrayLength(4)).toBe(1)
    expect(() => reader('fffe').nullableString()).toThrow(WireDecodeError)
    expect(() => reader('ffff').string()).toThrow(WireDecodeError)
    expect(() => reader('00').compactString()).toThrow(WireDecodeError)
    expect(() => new Reader(Buffer.alloc(4), 0, 3).int32()).toThrow(WireDecodeError)
  })

  it('never throws anything but WireDecodeError on random bytes', () => {
    const ops: ((r: Reader) => unknown)[] = [
      (r) => r.int8(),
      (r) => r.int16(),
      (r) => r.int32(),
      (r) => r.int64(),
      (r) => r.float64(),
      (r) => r.uuid(),
      (r) => r.uvarint(),
      (r) => r.varint(),
      (r) => r.varlong(),
      (r) => r.nullableString(),
      (r) => r.nullableCompactString(),
      (r) => r.nullableBytes(),
      (r) => r.nullableCompactBytes(),
      (r) => r.arrayLength(1),
      (r) => r.compactArrayLength(1),
      (r) => r.skipTaggedFields(),
    ]
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 24 }), fc.array(fc.integer({ min: 0, max: ops.length - 1 }), { maxLength: 8 }), (bytes, picks) => {
        const r = new Reader(Buffer.from(bytes))
        try {
          for (const p of picks) ops[p]!(r)
        } catch (error) {
          expect(error).toBeInstanceOf(WireDecodeError)
        }
        expect(r.offset).toBeLessThanOrEqual(bytes.length)
      }),
    )
  })
})

describe('Writer', () => {
  it('appends large buffers as chunks without copying and joins them in order', () => {
    const big = Buffer.alloc(4096, 7)
    const w = new Writer(16)
    w.int32(1).raw(big).int16(2)
    const chunks = w.toChunks()
    expect(chunks).toContain(big)
    expect(w.size).toBe(4 + 4096 + 2)
    const all = w.toBuffer()
    expect(all.length).toBe(4102)
    expect(all.readInt32BE(0)).toBe(1)
    expect(all[4]).toBe(7)
    expect(all.readInt16BE(4100)).toBe(2)
  })

  it('grows across many writes without moving what it wrote, and fills reserved space later', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -2147483648, max: 2147483647 }), { maxLength: 300 }), (values) => {
        const w = new Writer(4)
        const size = w.reserve(4)
        for (const v of values) w.int32(v)
        size.writeInt32BE(values.length, 0)
        const b = w.toBuffer()
        expect(b.length).toBe(4 + 4 * values.length)
        const r = new Reader(b)
        expect(r.int32()).toBe(values.length)
        for (const v of values) expect(r.int32()).toBe(v)
      }),
    )
  })
})
