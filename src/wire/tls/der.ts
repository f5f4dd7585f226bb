/**
 * The few pieces of ASN.1 DER (ITU-T X.690) that X.509 certificates need: definite-length
 * tag-length-value encoding, and a reader that walks the same structure. node:crypto signs and
 * parses certificates but cannot build one; this is what lets memkafka make its own
 * self-signed certificates without an external binary (self-signed-certificate.ts) and read
 * a client certificate's subject as Kafka does (x500-principal.ts).
 */

/** Universal tags used here. */
export const Tag = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const

/** One element: tag, then the length in the shortest form DER allows, then the content. */
export function tlv(tag: number, content: Buffer): Buffer {
  const n = content.length
  let length: Buffer
  if (n < 0x80) length = Buffer.from([n])
  else {
    const bytes: number[] = []
    for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff)
    length = Buffer.from([0x80 | bytes.length, ...bytes])
  }
  return Buffer.concat([Buffer.from([tag]), length, content])
}

export const sequence = (...items: Buffer[]): Buffer => tlv(Tag.SEQUENCE, Buffer.concat(items))
/** A SET OF: DER orders its elements by their encodings (X.690 11.6). */
export const set = (...items: Buffer[]): Buffer => tlv(Tag.SET, Buffer.concat([...items].sort(Buffer.compare)))
/** An explicitly tagged [n] constructed element. */
export const explicit = (n: number, content: Buffer): Buffer => tlv(0xa0 | n, content)
export const octetString = (content: Buffer): Buffer => tlv(Tag.OCTET_STRING, content)
export const utf8String = (text: string): Buffer => tlv(Tag.UTF8_STRING, Buffer.from(text, 'utf8'))
export const boolean = (value: boolean): Buffer => tlv(Tag.BOOLEAN, Buffer.from([value ? 0xff : 0x00]))
/** A BIT STRING of whole bytes (no unused bits). */
export const bitString = (content: Buffer): Buffer => tlv(Tag.BIT_STRING, Buffer.concat([Buffer.from([0]), content]))

/** A non-negative INTEGER from its big-endian magnitude: minimal, with a 0 byte when the top bit is set. */
export function unsignedInteger(magnitude: Buffer): Buffer {
  let start = 0
  while (start < magnitude.length - 1 && magnitude[start] === 0) start++
  const bytes = magnitude.subarray(start)
  return tlv(Tag.INTEGER, bytes[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : Buffer.from(bytes))
}

export function smallInteger(value: number): Buffer {
  const bytes: number[] = []
  for (let v = value; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff)
  return unsignedInteger(Buffer.from(bytes.length === 0 ? [0] : bytes))
}

/** An OBJECT IDENTIFIER from its dotted form ("2.5.4.3"). */
export function oid(dotted: string): Buffer {
  const arcs = dotted.split('.').map(Number)
  const bytes: number[] = [arcs[0]! * 40 + arcs[1]!]
  for (const arc of arcs.slice(2)) {
    const groups: number[] = [arc & 0x7f]
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) groups.unshift(0x80 | (v & 0x7f))
    bytes.push(...groups)
  }
  return tlv(Tag.OID, Buffer.from(bytes))
}

/** The dotted form of an OID's content bytes. */
export function oidToString(content: Buffer): string {
  if (content.length === 0) throw new DerError('an empty OBJECT IDENTIFIER')
  const arcs: number[] = []
  const first = content[0]!
  // The first byte packs two arcs (X.690 8.19.4); larger first arcs use multi-byte encoding, absent in names.
  arcs.push(first < 80 ? Math.floor(first / 40) : 2, first < 80 ? first % 40 : first - 80)
  let value = 0
  for (let i = 1; i < content.length; i++) {
    const b = content[i]!
    value = value * 128 + (b & 0x7f)
    if ((b & 0x80) === 0) {
      arcs.push(value)
      value = 0
    }
  }
  return arcs.join('.')
}

export class DerError extends Error {}

export interface Element {
  readonly tag: number
  /** The content octets. */
  readonly content: Buffer
  /** The whole element, tag and length included. */
  readonly encoded: Buffer
}

/** Reads the elements laid end to end in `data` (the content of a SEQUENCE or SET, or a whole file). */
export function readElements(data: Buffer): Element[] {
  const out: Element[] = []
  let at = 0
  while (at < data.length) {
    const start = at
    const tag = data[at++]!
    if ((tag & 0x1f) === 0x1f) throw new DerError('a multi-byte tag')
    if (at >= data.length) throw new DerError('a truncated length')
    let length = data[at++]!
    if (length & 0x80) {
      const count = length & 0x7f
      if (count === 0 || count > 4 || at + count > data.length) throw new DerError('an invalid length')
      length = 0
      for (let i = 0; i < count; i++) length = length * 256 + data[at++]!
    }
    if (at + length > data.length) throw new DerError('an element longer than its container')
    out.push({ tag, content: data.subarray(at, at + length), encoded: data.subarray(start, at + length) })
    at += length
  }
  return out
}

export function readOne(data: Buffer, expectedTag: number, what: string): Element {
  const [element] = readElements(data)
  if (!element || element.tag !== expectedTag) throw new DerError(`${what}: expected tag 0x${expectedTag.toString(16)}`)
  return element
}
