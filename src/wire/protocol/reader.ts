/**
 * A cursor over one Kafka frame (or a bounded part of one), reading Kafka's primitive types
 * big-endian as the protocol defines them. Every length read from the wire is checked against
 * the bytes that remain BEFORE anything is allocated, and every failure is a WireDecodeError:
 * a client's bytes can never raise a RangeError or make the process allocate from a bogus size.
 *
 * Representation choices:
 * - int64 is read as a JS number. Offsets, producer ids and timestamps fit in 2^53, which is
 *   what the cluster uses; a value beyond ±2^53 (Long.MAX_VALUE as a "no limit" sentinel) is
 *   rounded to the nearest double, and Writer.int64 clamps such a double back to the int64 range,
 *   so Long.MIN_VALUE and Long.MAX_VALUE survive a decode/encode round trip.
 * - uuid is the cluster's Topic.topicId form: 36 lowercase hex characters with dashes.
 * - bytes and records are views (subarray) into the frame, never copies: the cluster copies the
 *   bytes it keeps once, into its own slab.
 */
import { WireDecodeError } from './wire-decode-error.js'

const TWO_32 = 4294967296

export const ZERO_UUID = '00000000-0000-0000-0000-000000000000'

const HEX: string[] = []
for (let i = 0; i < 256; i++) HEX.push(i.toString(16).padStart(2, '0'))

export class Reader {
  readonly buffer: Buffer
  /** The next byte to read. */
  offset: number
  /** One past the last byte this reader may read. */
  end: number

  constructor(buffer: Buffer, offset = 0, end = buffer.length) {
    if (offset < 0 || end > buffer.length || offset > end) throw new WireDecodeError(`bad reader bounds ${offset}..${end} over ${buffer.length} bytes`)
    this.buffer = buffer
    this.offset = offset
    this.end = end
  }

  /** Bytes left before the end of this reader's range. */
  remaining(): number {
    return this.end - this.offset
  }

  /** Throws unless `n` more bytes are available. */
  need(n: number, what = 'field'): void {
    if (n > this.end - this.offset) throw new WireDecodeError(`truncated ${what}: needs ${n} bytes, ${this.end - this.offset} left`)
  }

  skip(n: number): void {
    this.need(n, 'skipped bytes')
    this.offset += n
  }

  int8(): number {
    if (this.offset >= this.end) this.need(1, 'int8')
    const v = this.buffer[this.offset++]!
    return (v << 24) >> 24
  }

  uint8(): number {
    if (this.offset >= this.end) this.need(1, 'uint8')
    return this.buffer[this.offset++]!
  }

  bool(): boolean {
    return this.uint8() !== 0
  }

  int16(): number {
    if (this.offset + 2 > this.end) this.need(2, 'int16')
    const b = this.buffer
    const p = this.offset
    this.offset = p + 2
    return ((b[p]! << 24) | (b[p + 1]! << 16)) >> 16
  }

  uint16(): number {
    if (this.offset + 2 > this.end) this.need(2, 'uint16')
    const b = this.buffer
    const p = this.offset
    this.offset = p + 2
    return (b[p]! << 8) | b[p + 1]!
  }

  int32(): number {
    if (this.offset + 4 > this.end) this.need(4, 'int32')
    const b = this.buffer
    const p = this.offset
    this.offset = p + 4
    return (b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!
  }

  uint32(): number {
    return this.int32() >>> 0
  }

  /** int64 as a number: exact within ±2^53, the nearest double beyond (see the file comment). */
  int64(): number {
    if (this.offset + 8 > this.end) this.need(8, 'int64')
    const b = this.buffer
    const p = this.offset
    this.offset = p + 8
    const hi = (b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!
    const lo = ((b[p + 4]! << 24) | (b[p + 5]! << 16) | (b[p + 6]! << 8) | b[p + 7]!) >>> 0
    return hi * TWO_32 + lo
  }

  float64(): number {
    this.need(8, 'float64')
    const v = this.buffer.readDoubleBE(this.offset)
    this.offset += 8
    return v
  }

  /** Kafka's unsigned varint (up to 5 bytes, 32 bits). */
  uvarint(): number {
    const b = this.buffer
    let p = this.offset
    if (p < this.end) {
      const first = b[p]!
      if (first < 0x80) {
        this.offset = p + 1
        return first
      }
    }
    let value = 0
    let shift = 0
    for (;;) {
      if (p >= this.end) throw new WireDecodeError('truncated varint')
      const byte = b[p++]!
      if (shift === 28) {
        if (byte > 0x0f) throw new WireDecodeError('varint longer than 32 bits')
        value += byte * 0x10000000
        break
      }
      value |= (byte & 0x7f) << shift
      if (byte < 0x80) break
      shift += 7
    }
    this.offset = p
    return value >>> 0
  }

  /** Kafka's signed (zigzag) varint, 32 bits. */
  varint(): number {
    const u = this.uvarint()
    return (u >>> 1) ^ -(u & 1)
  }

  /** Kafka's signed (zigzag) varlong, up to 10 bytes, as a number (exact within ±2^53). */
  varlong(): number {
    const b = this.buffer
    let p = this.offset
    if (p < this.end) {
      const first = b[p]!
      if (first < 0x80) {
        this.offset = p + 1
        return (first >>> 1) ^ -(first & 1)
      }
    }
    // The zigzag value can exceed 2^53: keep its low bit (the sign) apart from the magnitude.
    let sign = 0
    let magnitude = 0
    let scale = 1
    for (let i = 0; ; i++) {
      if (i === 10) throw new WireDecodeError('varlong longer than 64 bits')
      if (p >= this.end) throw new WireDecodeError('truncated varlong')
      const byte = b[p++]!
      if (i === 0) {
        sign = byte & 1
        magnitude = (byte & 0x7f) >>> 1
        scale = 64
      } else {
        magnitude += (byte & 0x7f) * scale
        scale *= 128
      }
      if (byte < 0x80) break
    }
    this.offset = p
    return sign ? -magnitude - 1 : magnitude
  }

  uuid(): string {
    this.need(16, 'uuid')
    const b = this.buffer
    const p = this.offset
    this.offset = p + 16
    let s = ''
    for (let i = 0; i < 16; i++) {
      if (i === 4 || i === 6 || i === 8 || i === 10) s += '-'
      s += HEX[b[p + i]!]
    }
    return s
  }

  /** `length` bytes as a view into the frame. */
  view(length: number, what = 'bytes'): Buffer {
    if (length < 0 || length > this.end - this.offset) throw new WireDecodeError(`${what} of ${length} bytes with ${this.end - this.offset} left`)
    const p = this.offset
    this.offset = p + length
    return this.buffer.subarray(p, p + length)
  }

  private utf8(length: number): string {
    if (length > this.end - this.offset) throw new WireDecodeError(`string of ${length} bytes with ${this.end - this.offset} left`)
    const p = this.offset
    this.offset = p + length
    return this.buffer.toString('utf8', p, p + length)
  }

  /** Classic string: int16 length (-1 = null) then UTF-8. */
  nullableString(): string | null {
    const length = this.int16()
    if (length < 0) {
      if (length === -1) return null
      throw new WireDecodeError(`string length ${length}`)
    }
    return this.utf8(length)
  }

  string(): string {
    const s = this.nullableString()
    if (s === null) throw new WireDecodeError('null in a non-nullable string')
    return s
  }

  /** Compact string (KIP-482): unsigned varint length + 1 (0 = null) then UTF-8. */
  nullableCompactString(): string | null {
    const n = this.uvarint()
    if (n === 0) return null
    return this.utf8(n - 1)
  }

  compactString(): string {
    const s = this.nullableCompactString()
    if (s === null) throw new WireDecodeError('null in a non-nullable compact string')
    return s
  }

  /** Classic bytes: int32 length (-1 = null) then the bytes, as a view. */
  nullableBytes(): Buffer | null {
    const length = this.int32()
    if (length < 0) {
      if (length === -1) return null
      throw new WireDecodeError(`bytes length ${length}`)
    }
    return this.view(length)
  }

  bytes(): Buffer {
    const b = this.nullableBytes()
    if (b === null) throw new WireDecodeError('null in non-nullable bytes')
    return b
  }

  /** Compact bytes: unsigned varint length + 1 (0 = null) then the bytes, as a view. */
  nullableCompactBytes(): Buffer | null {
    const n = this.uvarint()
    if (n === 0) return null
    return this.view(n - 1)
  }

  compactBytes(): Buffer {
    const b = this.nullableCompactBytes()
    if (b === null) throw new WireDecodeError('null in non-nullable compact bytes')
    return b
  }

  /**
   * A classic array's element count (int32, -1 = null), checked against the bytes left given
   * that every element takes at least `minElementSize` (>= 1) bytes.
   */
  arrayLength(minElementSize: number): number {
    const n = this.int32()
    if (n < 0) {
      if (n === -1) return -1
      throw new WireDecodeError(`array length ${n}`)
    }
    this.checkCount(n, minElementSize)
    return n
  }

  /** A compact array's element count (unsigned varint count + 1; -1 = null), checked likewise. */
  compactArrayLength(minElementSize: number): number {
    const n = this.uvarint()
    if (n === 0) return -1
    this.checkCount(n - 1, minElementSize)
    return n - 1
  }

  /** Throws unless `count` elements of at least `minElementSize` bytes each can still follow. */
  checkCount(count: number, minElementSize: number): void {
    if (count * (minElementSize < 1 ? 1 : minElementSize) > this.end - this.offset) {
      throw new WireDecodeError(`array of ${count} elements with ${this.end - this.offset} bytes left`)
    }
  }

  /**
   * Skips a whole tagged-field section (KIP-482): count, then per field tag, size and data.
   * For a structure with no known tagged fields (request headers, unknown tags).
   */
  skipTaggedFields(): void {
    const count = this.uvarint()
    let lastTag = -1
    for (let i = 0; i < count; i++) {
      const tag = this.uvarint()
      if (tag <= lastTag) throw new WireDecodeError(`tagged fields out of order: ${tag} after ${lastTag}`)
      lastTag = tag
      this.skip(this.uvarint())
    }
  }
}
