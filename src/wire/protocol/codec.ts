/**
 * The generic interpreter of the hand-written message tables (schema.ts): reads and writes any
 * MessageSpec at any of its versions, in the classic encoding or the flexible one of KIP-482
 * (compact strings, bytes and arrays; a tagged-field section closing every struct; unknown tags
 * skipped on read).
 *
 * Each (spec, version) is compiled once into a tree of closures (one reader and one writer per
 * field, chosen for the field's type, encoding and nullability at that version) and cached, so
 * decoding a message walks prepared functions and allocates only the values it returns.
 *
 * Decoded bytes and records are views into the frame they were read from, never copies.
 */
import { Reader, ZERO_UUID } from './reader.js'
import type { FieldSpec, MessageSpec, PrimitiveType, WireMessage } from './schema.js'
import { inVersions } from './versions.js'
import { WireDecodeError, WireEncodeError } from './wire-decode-error.js'
import { Writer } from './writer.js'

type Read = (r: Reader) => unknown
type Write = (w: Writer, v: unknown) => void

interface CompiledField {
  readonly key: string
  readonly name: string
  /** A regular (not tagged) field at this version: read and written in order. */
  readonly regular: boolean
  /** A tagged field at this version. */
  readonly tagged: boolean
  readonly tag: number
  readonly ignorable: boolean
  readonly read: Read
  readonly write: Write
  /** A fresh default value (arrays and structs are new objects). */
  readonly makeDefault: () => unknown
  /** The default, shared: what is written when a message leaves the field undefined. */
  readonly writeDefault: unknown
  readonly isDefault: (v: unknown) => boolean
  /** The fewest bytes the field takes on the wire (for checking array counts). */
  readonly minSize: number
}

interface CompiledStruct {
  readonly name: string
  readonly version: number
  readonly flexible: boolean
  /** Every field of the schema, in schema order (the key order of decoded objects). */
  readonly fields: readonly CompiledField[]
  /** Tagged fields at this version, by ascending tag. */
  readonly tagged: readonly CompiledField[]
  readonly byTag: ReadonlyMap<number, CompiledField>
  readonly minSize: number
}

const PRIMITIVES = new Set<string>(['bool', 'int8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'float64', 'string', 'bytes', 'uuid', 'records'])

const EMPTY_BUFFER = Buffer.alloc(0)

/** "TransactionalId" -> "transactionalId": the key of a field in a decoded message. */
export function fieldKey(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1)
}

const compiled = new WeakMap<MessageSpec, (CompiledStruct | undefined)[]>()

function compiledFor(spec: MessageSpec, version: number, onError: typeof WireDecodeError | typeof WireEncodeError): CompiledStruct {
  let versions = compiled.get(spec)
  if (!versions) {
    versions = []
    compiled.set(spec, versions)
  }
  let struct = versions[version]
  if (!struct) {
    if (!Number.isInteger(version) || !inVersions(spec.validVersions, version)) {
      throw new onError(`${spec.name} has no version ${version} (valid: ${spec.validVersions})`)
    }
    struct = compileStruct(spec.name, spec.fields, version, inVersions(spec.flexibleVersions, version))
    versions[version] = struct
  }
  return struct
}

/** Whether `version` of `spec` uses the flexible (KIP-482) encoding. */
export function isFlexible(spec: MessageSpec, version: number): boolean {
  return inVersions(spec.flexibleVersions, version)
}

/**
 * Decodes one message body of `spec` at `version` from `reader` (which is left after it).
 * Throws WireDecodeError for a malformed body or a version the spec does not define.
 */
export function decodeMessage(spec: MessageSpec, version: number, reader: Reader): WireMessage {
  return readStruct(compiledFor(spec, version, WireDecodeError), reader)
}

/**
 * Encodes `message` as `spec` at `version` into `writer`. Fields left undefined take their
 * default. Throws WireEncodeError when the message cannot be carried at this version.
 */
export function encodeMessage(spec: MessageSpec, version: number, message: WireMessage, writer: Writer): void {
  const struct = compiledFor(spec, version, WireEncodeError)
  try {
    writeStruct(struct, writer, message)
  } catch (error) {
    if (error instanceof WireEncodeError) throw error
    throw new WireEncodeError(`${spec.name} v${version}: ${(error as Error).message}`)
  }
}

/** Encodes `message` into a Buffer of its own (convenient for tests and small messages). */
export function encodeMessageToBuffer(spec: MessageSpec, version: number, message: WireMessage): Buffer {
  const writer = new Writer()
  encodeMessage(spec, version, message, writer)
  return writer.toBuffer()
}

function readStruct(s: CompiledStruct, r: Reader): WireMessage {
  const o: WireMessage = {}
  const fields = s.fields
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!
    o[f.key] = f.regular ? f.read(r) : f.makeDefault()
  }
  if (s.flexible) readTaggedFields(s, r, o)
  return o
}

function readTaggedFields(s: CompiledStruct, r: Reader, o: WireMessage): void {
  const count = r.uvarint()
  let lastTag = -1
  for (let i = 0; i < count; i++) {
    const tag = r.uvarint()
    if (tag <= lastTag) throw new WireDecodeError(`${s.name}: tagged fields out of order (${tag} after ${lastTag})`)
    lastTag = tag
    const size = r.uvarint()
    r.need(size, `tagged field ${tag}`)
    const f = s.byTag.get(tag)
    if (!f) {
      r.offset += size
      continue
    }
    const end = r.end
    const stop = r.offset + size
    r.end = stop
    o[f.key] = f.read(r)
    r.end = end
    if (r.offset !== stop) throw new WireDecodeError(`${s.name}.${f.name}: tagged field of ${size} bytes read ${size - (stop - r.offset)}`)
  }
}

function writeStruct(s: CompiledStruct, w: Writer, o: WireMessage): void {
  if (o === null || typeof o !== 'object') throw new WireEncodeError(`${s.name} v${s.version}: expected an object, got ${String(o)}`)
  const fields = s.fields
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!
    const v = o[f.key]
    if (f.regular) {
      f.write(w, v === undefined ? f.writeDefault : v)
    } else if (!f.tagged && v !== undefined && !f.ignorable && !f.isDefault(v)) {
      throw new WireEncodeError(`${s.name}.${f.name} is not carried at version ${s.version} (value ${describe(v)})`)
    }
  }
  if (s.flexible) writeTaggedFields(s, w, o)
}

function writeTaggedFields(s: CompiledStruct, w: Writer, o: WireMessage): void {
  const tagged = s.tagged
  if (tagged.length === 0) {
    w.uvarint(0)
    return
  }
  let count = 0
  for (let i = 0; i < tagged.length; i++) {
    const v = o[tagged[i]!.key]
    if (v !== undefined && !tagged[i]!.isDefault(v)) count++
  }
  w.uvarint(count)
  if (count === 0) return
  for (let i = 0; i < tagged.length; i++) {
    const f = tagged[i]!
    const v = o[f.key]
    if (v === undefined || f.isDefault(v)) continue
    const body = new Writer(64)
    f.write(body, v)
    const bytes = body.toBuffer()
    w.uvarint(f.tag)
    w.uvarint(bytes.length)
    w.raw(bytes)
  }
}

function describe(v: unknown): string {
  if (Buffer.isBuffer(v)) return `${v.length} bytes`
  if (Array.isArray(v)) return `array of ${v.length}`
  if (typeof v === 'object' && v !== null) return 'a struct'
  return String(v)
}

function compileStruct(name: string, specs: readonly FieldSpec[], version: number, flexible: boolean): CompiledStruct {
  const fields: CompiledField[] = []
  const byTag = new Map<number, CompiledField>()
  let minSize = flexible ? 1 : 0
  for (const spec of specs) {
    const f = compileField(name, spec, version, flexible)
    fields.push(f)
    if (f.tagged) {
      if (byTag.has(f.tag)) throw new Error(`${name}: tag ${f.tag} used twice at version ${version}`)
      byTag.set(f.tag, f)
    }
    if (f.regular) minSize += f.minSize
  }
  const tagged = [...byTag.values()].sort((a, b) => a.tag - b.tag)
  return { name, version, flexible, fields, tagged, byTag, minSize }
}

function compileField(owner: string, spec: FieldSpec, version: number, flexible: boolean): CompiledField {
  const path = `${owner}.${spec.name}`
  const exists = inVersions(spec.versions, version)
  const isTaggedSpec = spec.taggedVersions !== undefined
  if (isTaggedSpec && spec.tag === undefined) throw new Error(`${path}: taggedVersions without a tag`)
  const tagged = exists && flexible && isTaggedSpec && inVersions(spec.taggedVersions, version)
  const regular = exists && !isTaggedSpec
  const nullable = inVersions(spec.nullableVersions, version)
  const type = spec.type
  const ctx: TypeContext = { path, version, flexible, nullable }

  let read: Read
  let write: Write
  let makeDefault: () => unknown
  let writeDefault: unknown
  let isDefault: (v: unknown) => boolean
  let minSize: number

  if (type.startsWith('[]')) {
    const element = type.slice(2)
    const elementCtx: TypeContext = { path: `${path}[]`, version, flexible, nullable: false }
    let readElement: Read
    let writeElement: Write
    let elementMinSize: number
    if (PRIMITIVES.has(element)) {
      const p = primitive(element as PrimitiveType, elementCtx)
      readElement = p.read
      writeElement = p.write
      elementMinSize = p.minSize
    } else {
      if (!spec.fields) throw new Error(`${path}: struct array "${type}" without fields`)
      const struct = compileStruct(`${owner}.${spec.name}`, spec.fields, version, flexible)
      readElement = (r) => readStruct(struct, r)
      writeElement = (w, v) => writeStruct(struct, w, v as WireMessage)
      elementMinSize = struct.minSize
    }
    read = arrayReader(readElement, elementMinSize, ctx)
    write = arrayWriter(writeElement, ctx)
    const nullDefault = spec.default === null || spec.default === 'null'
    makeDefault = nullDefault ? () => null : () => []
    writeDefault = nullDefault ? null : Object.freeze([])
    isDefault = nullDefault ? (v) => v === null : (v) => Array.isArray(v) && v.length === 0
    minSize = flexible ? 1 : 4
  } else if (PRIMITIVES.has(type)) {
    const p = primitive(type as PrimitiveType, ctx)
    read = p.read
    write = p.write
    const d = primitiveDefault(type as PrimitiveType, spec, path, nullable)
    makeDefault = () => d
    writeDefault = d
    isDefault = Buffer.isBuffer(d) ? (v) => Buffer.isBuffer(v) && v.length === d.length && v.equals(d) : (v) => v === d
    minSize = p.minSize
  } else {
    if (!spec.fields) throw new Error(`${path}: struct "${type}" without fields`)
    const struct = compileStruct(path, spec.fields, version, flexible)
    if (nullable) {
      // A nullable struct is preceded by a marker byte: -1 for null, 1 for present (Kafka's
      // MessageDataGenerator).
      read = (r) => (r.int8() < 0 ? null : readStruct(struct, r))
      write = (w, v) => {
        if (v === null) w.int8(-1)
        else {
          w.int8(1)
          writeStruct(struct, w, v as WireMessage)
        }
      }
      minSize = 1
    } else {
      read = (r) => readStruct(struct, r)
      write = (w, v) => {
        if (v === null) throw new WireEncodeError(`${path} is not nullable at version ${version}`)
        writeStruct(struct, w, v as WireMessage)
      }
      minSize = struct.minSize
    }
    const nullDefault = spec.default === null || spec.default === 'null'
    makeDefault = nullDefault ? () => null : () => defaultStruct(struct)
    writeDefault = nullDefault ? null : defaultStruct(struct)
    isDefault = (v) => (nullDefault ? v === null : v !== null && typeof v === 'object' && structIsDefault(struct, v as WireMessage))
  }

  return {
    key: fieldKey(spec.name),
    name: spec.name,
    regular,
    tagged,
    tag: spec.tag ?? -1,
    ignorable: spec.ignorable === true,
    read,
    write,
    makeDefault,
    writeDefault,
    isDefault,
    minSize,
  }
}

function defaultStruct(s: CompiledStruct): WireMessage {
  const o: WireMessage = {}
  for (const f of s.fields) o[f.key] = f.makeDefault()
  return o
}

function structIsDefault(s: CompiledStruct, o: WireMessage): boolean {
  for (const f of s.fields) {
    const v = o[f.key]
    if (v !== undefined && !f.isDefault(v)) return false
  }
  return true
}

interface TypeContext {
  readonly path: string
  readonly version: number
  readonly flexible: boolean
  readonly nullable: boolean
}

function arrayReader(readElement: Read, elementMinSize: number, ctx: TypeContext): Read {
  const { flexible, nullable, path, version } = ctx
  return (r) => {
    const n = flexible ? r.compactArrayLength(elementMinSize) : r.arrayLength(elementMinSize)
    if (n < 0) {
      if (nullable) return null
      throw new WireDecodeError(`${path}: null in a non-nullable array at version ${version}`)
    }
    const a = new Array<unknown>(n)
    for (let i = 0; i < n; i++) a[i] = readElement(r)
    return a
  }
}

function arrayWriter(writeElement: Write, ctx: TypeContext): Write {
  const { flexible, nullable, path, version } = ctx
  return (w, v) => {
    if (v === null) {
      if (!nullable) throw new WireEncodeError(`${path} is not nullable at version ${version}`)
      if (flexible) w.uvarint(0)
      else w.int32(-1)
      return
    }
    if (!Array.isArray(v)) throw new WireEncodeError(`${path}: expected an array, got ${describe(v)}`)
    if (flexible) w.uvarint(v.length + 1)
    else w.int32(v.length)
    for (let i = 0; i < v.length; i++) writeElement(w, v[i])
  }
}

function primitiveDefault(type: PrimitiveType, spec: FieldSpec, path: string, nullable: boolean): unknown {
  const d = spec.default
  if (d === null || d === 'null') {
    if (type === 'string' || type === 'bytes' || type === 'records') return null
    throw new Error(`${path}: a null default for ${type}`)
  }
  switch (type) {
    case 'bool':
      return d === undefined ? false : d === true || d === 'true'
    case 'int8':
    case 'int16':
    case 'uint16':
    case 'int32':
    case 'uint32':
    case 'int64':
    case 'float64': {
      if (d === undefined) return 0
      const n = Number(d)
      if (Number.isNaN(n)) throw new Error(`${path}: default ${String(d)} is not a number`)
      return n
    }
    case 'string':
      return d === undefined ? '' : String(d)
    case 'uuid':
      return d === undefined ? ZERO_UUID : String(d)
    case 'bytes':
      return nullable ? null : EMPTY_BUFFER
    case 'records':
      return null
  }
}

interface Primitive {
  readonly read: Read
  readonly write: Write
  readonly minSize: number
}

function notNullable(ctx: TypeContext): never {
  throw new WireEncodeError(`${ctx.path} is not nullable at version ${ctx.version}`)
}

function primitive(type: PrimitiveType, ctx: TypeContext): Primitive {
  const { flexible, nullable, path } = ctx
  switch (type) {
    case 'bool':
      return { read: (r) => r.bool(), write: (w, v) => w.bool(v as boolean), minSize: 1 }
    case 'int8':
      return { read: (r) => r.int8(), write: (w, v) => w.int8(v as number), minSize: 1 }
    case 'int16':
      return { read: (r) => r.int16(), write: (w, v) => w.int16(v as number), minSize: 2 }
    case 'uint16':
      return { read: (r) => r.uint16(), write: (w, v) => w.uint16(v as number), minSize: 2 }
    case 'int32':
      return { read: (r) => r.int32(), write: (w, v) => w.int32(v as number), minSize: 4 }
    case 'uint32':
      return { read: (r) => r.uint32(), write: (w, v) => w.uint32(v as number), minSize: 4 }
    case 'int64':
      return { read: (r) => r.int64(), write: (w, v) => w.int64(v as number | bigint), minSize: 8 }
    case 'float64':
      return { read: (r) => r.float64(), write: (w, v) => w.float64(v as number), minSize: 8 }
    case 'uuid':
      return { read: (r) => r.uuid(), write: (w, v) => w.uuid(v as string), minSize: 16 }
    case 'string': {
      const read: Read = flexible
        ? nullable
          ? (r) => r.nullableCompactString()
          : (r) => r.compactString()
        : nullable
          ? (r) => r.nullableString()
          : (r) => r.string()
      const write: Write = (w, v) => {
        if (v === null && !nullable) notNullable(ctx)
        if (v !== null && typeof v !== 'string') throw new WireEncodeError(`${path}: expected a string, got ${describe(v)}`)
        if (flexible) w.nullableCompactString(v)
        else w.nullableString(v)
      }
      return { read, write, minSize: flexible ? 1 : 2 }
    }
    case 'bytes':
    case 'records': {
      const read: Read = flexible
        ? nullable
          ? (r) => r.nullableCompactBytes()
          : (r) => r.compactBytes()
        : nullable
          ? (r) => r.nullableBytes()
          : (r) => r.bytes()
      const write: Write =
        type === 'records'
          ? (w, v) => writeRecords(w, v, ctx)
          : (w, v) => {
              if (v === null && !nullable) notNullable(ctx)
              if (v !== null && !(v instanceof Uint8Array)) throw new WireEncodeError(`${path}: expected bytes, got ${describe(v)}`)
              if (flexible) w.nullableCompactBytes(v)
              else w.nullableBytes(v)
            }
      return { read, write, minSize: flexible ? 1 : 4 }
    }
  }
}

/** Records: one Buffer, a list of Buffers (encoded batches, each appended without a copy), or null. */
function writeRecords(w: Writer, v: unknown, ctx: TypeContext): void {
  if (v === null) {
    if (!ctx.nullable) notNullable(ctx)
    if (ctx.flexible) w.uvarint(0)
    else w.int32(-1)
    return
  }
  if (v instanceof Uint8Array) {
    if (ctx.flexible) w.nullableCompactBytes(v)
    else w.nullableBytes(v)
    return
  }
  if (!Array.isArray(v)) throw new WireEncodeError(`${ctx.path}: expected records as Buffer, Buffer[] or null, got ${describe(v)}`)
  let total = 0
  for (const part of v) {
    if (!(part instanceof Uint8Array)) throw new WireEncodeError(`${ctx.path}: a records part is not a Buffer`)
    total += part.length
  }
  if (ctx.flexible) w.uvarint(total + 1)
  else w.int32(total)
  for (const part of v as Uint8Array[]) w.raw(part)
}
