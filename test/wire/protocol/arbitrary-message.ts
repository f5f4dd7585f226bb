/**
 * fast-check arbitraries for any message table at any version: every field present at the
 * version gets a random value of its type (tagged fields included, sometimes at their
 * default); fields absent at the version are left out. `present` projects a decoded message
 * onto the same fields, so decode(encode(m)) can be compared with m.
 */
import fc from 'fast-check'
import type { FieldSpec, MessageSpec, WireMessage } from '../../../src/wire/protocol/schema.js'
import { fieldKey } from '../../../src/wire/protocol/codec.js'
import { inVersions } from '../../../src/wire/protocol/versions.js'

/**
 * Strings of any Unicode scalar values (no lone surrogates, which UTF-8 cannot carry), half of
 * them printable ASCII. Built from code points because fast-check's 'binary' unit takes seconds
 * to initialise.
 */
const codePoint = fc
  .oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0, max: 0x10ffff }).filter((c) => c < 0xd800 || c > 0xdfff))
  .map((c) => String.fromCodePoint(c))

export function unicodeString(maxLength: number): fc.Arbitrary<string> {
  return fc.string({ unit: codePoint, maxLength })
}

const PRIMITIVES = new Set(['bool', 'int8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'float64', 'string', 'bytes', 'uuid', 'records'])

function existsAt(f: FieldSpec, version: number, flexible: boolean): boolean {
  if (!inVersions(f.versions, version)) return false
  if (f.taggedVersions !== undefined) return flexible && inVersions(f.taggedVersions, version)
  return true
}

function primitiveArbitrary(type: string, nullable: boolean): fc.Arbitrary<unknown> {
  let a: fc.Arbitrary<unknown>
  switch (type) {
    case 'bool':
      a = fc.boolean()
      break
    case 'int8':
      a = fc.integer({ min: -128, max: 127 })
      break
    case 'int16':
      a = fc.integer({ min: -32768, max: 32767 })
      break
    case 'uint16':
      a = fc.integer({ min: 0, max: 65535 })
      break
    case 'int32':
      a = fc.integer({ min: -2147483648, max: 2147483647 })
      break
    case 'uint32':
      a = fc.integer({ min: 0, max: 0xffffffff })
      break
    case 'int64':
      a = fc.oneof(fc.maxSafeInteger(), fc.constantFrom(-1, 0, 1))
      break
    case 'float64':
      a = fc.double({ noNaN: true })
      break
    case 'string':
      a = unicodeString(12)
      break
    case 'uuid':
      a = fc.uuid().map((u) => u.toLowerCase())
      break
    case 'bytes':
    case 'records':
      a = fc.uint8Array({ maxLength: 24 }).map((b) => Buffer.from(b))
      break
    default:
      throw new Error(`unknown primitive ${type}`)
  }
  return nullable ? fc.option(a, { nil: null, freq: 4 }) : a
}

function fieldArbitrary(f: FieldSpec, version: number, flexible: boolean): fc.Arbitrary<unknown> {
  const nullable = inVersions(f.nullableVersions, version)
  if (f.type.startsWith('[]')) {
    const element = f.type.slice(2)
    const elementArb = PRIMITIVES.has(element) ? primitiveArbitrary(element, false) : structArbitrary(f.fields!, version, flexible)
    const a = fc.array(elementArb, { maxLength: 3 })
    return nullable ? fc.option(a, { nil: null, freq: 4 }) : a
  }
  if (PRIMITIVES.has(f.type)) return primitiveArbitrary(f.type, nullable)
  const s = structArbitrary(f.fields!, version, flexible)
  return nullable ? fc.option(s, { nil: null, freq: 4 }) : s
}

export function structArbitrary(fields: readonly FieldSpec[], version: number, flexible: boolean): fc.Arbitrary<WireMessage> {
  const shape: Record<string, fc.Arbitrary<unknown>> = {}
  for (const f of fields) if (existsAt(f, version, flexible)) shape[fieldKey(f.name)] = fieldArbitrary(f, version, flexible)
  return fc.record(shape) as fc.Arbitrary<WireMessage>
}

/** Random messages of `spec` at `version`. */
export function messageArbitrary(spec: MessageSpec, version: number): fc.Arbitrary<WireMessage> {
  return structArbitrary(spec.fields, version, inVersions(spec.flexibleVersions, version))
}

/** `message` restricted to the fields that exist at `version`, recursively. */
export function present(spec: MessageSpec, version: number, message: WireMessage): WireMessage {
  return project(spec.fields, version, inVersions(spec.flexibleVersions, version), message)
}

function project(fields: readonly FieldSpec[], version: number, flexible: boolean, o: WireMessage): WireMessage {
  const out: WireMessage = {}
  for (const f of fields) {
    if (!existsAt(f, version, flexible)) continue
    const key = fieldKey(f.name)
    const v = o[key]
    if (f.fields && v !== null && v !== undefined) {
      out[key] = Array.isArray(v) ? v.map((e) => project(f.fields!, version, flexible, e as WireMessage)) : project(f.fields, version, flexible, v as WireMessage)
    } else {
      out[key] = v
    }
  }
  return out
}

/** Every version in a spec's validVersions. */
export function versionsOf(spec: MessageSpec): number[] {
  const [lo, hi] = spec.validVersions.split('-').map(Number)
  const out: number[] = []
  for (let v = lo!; v <= (hi ?? lo!); v++) out.push(v)
  return out
}
