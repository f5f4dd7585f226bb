/**
 * Builds one encoded message as a list of chunks, writing Kafka's primitive types big-endian.
 * Bytes are written into a working buffer; when it fills, the written part becomes a chunk and a
 * larger buffer takes over, so nothing already written is ever copied or moved. `raw` appends a
 * large pre-encoded Buffer (a record batch in a Fetch response) as a chunk of its own without
 * copying it. `toChunks()` suits a socket's writev; `toBuffer()` joins them once.
 *
 * int64 accepts a number (clamped to the int64 range, see reader.ts) or a bigint.
 */
import { WireEncodeError } from './wire-decode-error.js'

const TWO_32 = 4294967296
/** Below this size `raw` copies: a chunk per small field would cost more than the copy. */
const RAW_COPY_LIMIT = 512
const INITIAL_SIZE = 256
const MAX_GROWTH = 1 << 20

export class Writer {
  private buf: Buffer
  private pos = 0
  /** Where the current buffer's not-yet-chunked bytes start. */
  private start = 0
  private readonly chunks: Buffer[] = []
  private chunkedBytes = 0

  constructor(initialSize = INITIAL_SIZE) {
    this.buf = Buffer.allocUnsafe(initialSize)
  }

  /** Bytes written so far. */
  get size(): number {
    return this.chunkedBytes + this.pos - this.start
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return
    this.seal()
    const next = Math.max(n, Math.min(this.buf.length * 2, MAX_GROWTH))
    this.buf = Buffer.allocUnsafe(next)
    this.pos = 0
    this.start = 0
  }

  /** Turns the bytes written into the current buffer since the last chunk into a chunk. */
  private seal(): void {
    if (this.pos > this.start) {
      this.chunks.push(this.buf.subarray(this.start, this.pos))
      this.chunkedBytes += this.pos - this.start
      this.start = this.pos
    }
  }

  int8(v: number): this {
    this.ensure(1)
    this.buf.writeInt8(v, this.pos)
    this.pos += 1
    return this
  }

  uint8(v: number): this {
    this.ensure(1)
    this.buf.writeUInt8(v, this.pos)
    this.pos += 1
    return this
  }

  bool(v: boolean): this {
    this.ensure(1)
    this.buf[this.pos++] = v ? 1 : 0
    return this
  }

  int16(v: number): this {
    this.ensure(2)
    this.buf.writeInt16BE(v, this.pos)
    this.pos += 2
    return this
  }

  uint16(v: number): this {
    this.ensure(2)
    this.buf.writeUInt16BE(v, this.pos)
    this.pos += 2
    return this
  }

  int32(v: number): this {
    this.ensure(4)
    this.buf.writeInt32BE(v, this.pos)
    this.pos += 4
    return this
  }

  uint32(v: number): this {
    this.ensure(4)
    this.buf.writeUInt32BE(v, this.pos)
    this.pos += 4
    return this
  }

  int64(v: number | bigint): this {
    this.ensure(8)
    if (typeof v === 'bigint') {
      if (v < -(1n << 63n) || v >= 1n << 63n) throw new WireEncodeError(`int64 out of range: ${v}`)
      this.buf.writeBigInt64BE(v, this.pos)
    } else {
      if (!Number.isInteger(v)) {
        if (v === Infinity) v = 9223372036854775807
        else if (v === -Infinity) v = -9223372036854775808
        else throw new WireEncodeError(`int64 must be an integer: ${v}`)
      }
      if (v >= 9223372036854775807) this.buf.writeBigInt64BE(0x7fffffffffffffffn, this.pos)
      else if (v <= -9223372036854775808) this.buf.writeBigInt64BE(-0x8000000000000000n, this.pos)
      else {
        const hi = Math.floor(v / TWO_32)
        this.buf.writeInt32BE(hi, this.pos)
        this.buf.writeUInt32BE(v - hi * TWO_32, this.pos + 4)
      }
    }
    this.pos += 8
    return this
  }

  float64(v: number): this {
    this.ensure(8)
    this.buf.writeDoubleBE(v, this.pos)
    this.pos += 8
    return this
  }

  /** Unsigned varint, 0 .. 2^32-1. */
  uvarint(v: number): this {
    if (!(v >= 0 && v <= 0xffffffff) || !Number.isInteger(v)) throw new WireEncodeError(`unsigned varint out of range: ${v}`)
    this.ensure(5)
    const b = this.buf
    let p = this.pos
    while (v >= 0x80) {
      b[p++] = (v & 0x7f) | 0x80
      v = Math.floor(v / 128)
    }
    b[p++] = v
    this.pos = p
    return this
  }

  /** Zigzag varint, a signed 32-bit value. */
  varint(v: number): this {
    if (!(v >= -2147483648 && v <= 2147483647) || !Number.isInteger(v)) throw new WireEncodeError(`varint out of range: ${v}`)
    return this.uvarint(((v << 1) ^ (v >> 31)) >>> 0)
  }

  /** Zigzag varlong from a number (exact within ±2^53). */
  varlong(v: number): this {
    if (!Number.isSafeInteger(v)) throw new WireEncodeError(`varlong must be a safe integer: ${v}`)
    this.ensure(10)
    this.pos = writeVarlongAt(this.buf, this.pos, v)
    return this
  }

  /** A UUID in the 36-character form (dashes optional). */
  uuid(v: string): this {
    const hex = v.length === 36 ? v.replace(/-/g, '') : v
    if (hex.length !== 32 || !/^[0-9a-fA-F]{32}$/.test(hex)) throw new WireEncodeError(`not a UUID: ${v}`)
    this.ensure(16)
    this.buf.write(hex, this.pos, 16, 'hex')
    this.pos += 16
    return this
  }

  /** Appends bytes; a large buffer becomes its own chunk (no copy), a small one is copied. */
  raw(bytes: Uint8Array): this {
    const n = bytes.length
    if (n < RAW_COPY_LIMIT) {
      this.ensure(n)
      this.buf.set(bytes, this.pos)
      this.pos += n
    } else {
      this.seal()
      this.chunks.push(Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, n))
      this.chunkedBytes += n
    }
    return this
  }

  private utf8(s: string, length: number): void {
    this.ensure(length)
    if (length === s.length) {
      // Pure ASCII (byte length equals character count): latin1 writes it fastest.
      this.buf.write(s, this.pos, length, 'latin1')
    } else {
      this.buf.write(s, this.pos, length, 'utf8')
    }
    this.pos += length
  }

  /** Classic string: int16 length (-1 = null) then UTF-8. */
  nullableString(s: string | null): this {
    if (s === null) return this.int16(-1)
    const length = Buffer.byteLength(s, 'utf8')
    if (length > 0x7fff) throw new WireEncodeError(`string of ${length} bytes exceeds int16`)
    this.int16(length)
    this.utf8(s, length)
    return this
  }

  /** Compact string: unsigned varint length + 1 (0 = null) then UTF-8. */
  nullableCompactString(s: string | null): this {
    if (s === null) return this.uvarint(0)
    const length = Buffer.byteLength(s, 'utf8')
    if (length > 0x7fff) throw new WireEncodeError(`string of ${length} bytes exceeds int16`)
    this.uvarint(length + 1)
    this.utf8(s, length)
    return this
  }

  /** Classic bytes: int32 length (-1 = null) then the bytes. */
  nullableBytes(b: Uint8Array | null): this {
    if (b === null) return this.int32(-1)
    this.int32(b.length)
    return this.raw(b)
  }

  /** Compact bytes: unsigned varint length + 1 (0 = null) then the bytes. */
  nullableCompactBytes(b: Uint8Array | null): this {
    if (b === null) return this.uvarint(0)
    this.uvarint(b.length + 1)
    return this.raw(b)
  }

  /**
   * Reserves `n` bytes at the current position and returns them as a view to fill in later
   * (a size or CRC known only once what follows is written). The view stays valid: written
   * bytes never move.
   */
  reserve(n: number): Buffer {
    this.ensure(n)
    const view = this.buf.subarray(this.pos, this.pos + n)
    this.pos += n
    return view
  }

  /** The message as chunks, in order (valid until this writer is written to again). */
  toChunks(): Buffer[] {
    this.seal()
    return this.chunks.slice()
  }

  /** The message as one Buffer: a view when it is a single chunk, else one concatenation. */
  toBuffer(): Buffer {
    this.seal()
    if (this.chunks.length === 1) return this.chunks[0]!
    if (this.chunks.length === 0) return Buffer.alloc(0)
    return Buffer.concat(this.chunks, this.chunkedBytes)
  }
}

/**
 * Writes the zigzag varlong of a safe integer at b[p] and returns the position after it. The
 * zigzag value (2|v| or 2|v|-1) can exceed 2^53, so it is never formed: the sign goes into the
 * low bit of the first byte and the magnitude m (|v| or |v|-1) supplies the rest.
 */
export function writeVarlongAt(b: Uint8Array, p: number, v: number): number {
  if (v >= -64 && v < 64) {
    // One byte: the common case (record attributes, small deltas and lengths).
    b[p] = v >= 0 ? v << 1 : (-v << 1) - 1
    return p + 1
  }
  const sign = v < 0 ? 1 : 0
  let m = sign ? -v - 1 : v
  const first = ((m % 64) * 2) | sign
  m = Math.floor(m / 64)
  if (m === 0) {
    b[p++] = first
    return p
  }
  b[p++] = first | 0x80
  while (m >= 0x80) {
    b[p++] = (m % 128) | 0x80
    m = Math.floor(m / 128)
  }
  b[p++] = m
  return p
}

/** Bytes of the zigzag varlong of a safe integer (Kafka's ByteUtils.sizeOfVarlong). */
export function sizeOfVarlong(v: number): number {
  if (v >= -64 && v < 64) return 1
  if (v >= -8192 && v < 8192) return 2
  let m = v < 0 ? -v - 1 : v
  let bytes = 1
  m = Math.floor(m / 64)
  while (m > 0) {
    bytes++
    m = Math.floor(m / 128)
  }
  return bytes
}
