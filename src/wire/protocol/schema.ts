/**
 * The shape of a Kafka message schema, as Apache Kafka declares each API in
 * clients/src/main/resources/common/message/<Name>{Request,Response}.json. Every table under
 * src/wire/messages/ is written by hand in this shape, field by field, with Kafka's own field
 * names (PascalCase, as in the JSON) and version ranges; one generic interpreter
 * (src/wire/protocol/codec.ts) reads and writes any table at any version.
 *
 * Decoded messages are plain objects whose keys are the field names with the first letter
 * lowercased ("TransactionalId" -> "transactionalId", "IsrNodes" -> "isrNodes"). A field that
 * does not exist at the decoded version takes its default (see FieldSpec.default). Encoding
 * skips fields absent at the version and writes a tagged field only when its value differs
 * from its default.
 */

/**
 * A version range as Kafka's JSON writes it: "0+" (from 0 on), "3-5" (3 to 5 inclusive),
 * "7" (only 7) or "none" (never).
 */
export type VersionRange = string

/** Kafka's primitive field types. "records" is a nullable byte blob holding record batches. */
export type PrimitiveType =
  | 'bool'
  | 'int8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'float64'
  | 'string'
  | 'bytes'
  | 'uuid'
  | 'records'

export interface FieldSpec {
  /** Kafka's field name, exactly as in the JSON schema ("PartitionIndex"). */
  readonly name: string
  /**
   * A primitive, "[]" + a primitive (an array of it), "[]" + a struct name with `fields`
   * (an array of structs), or a struct name with `fields` (a single struct).
   */
  readonly type: string
  readonly versions: VersionRange
  readonly nullableVersions?: VersionRange
  /** Present on tagged fields (flexible versions only): where they may appear, and their tag. */
  readonly taggedVersions?: VersionRange
  readonly tag?: number
  /**
   * The value a field takes where it is absent, as Kafka's JSON writes it ("-1", "true",
   * "null"). Without one: 0, false, "" for strings, an empty array, the zero UUID, null for
   * records and for nullable bytes.
   */
  readonly default?: string | number | boolean | null
  /** The fields of a struct or struct array. */
  readonly fields?: readonly FieldSpec[]
  /** Kafka's "ignorable": writing a non-default value at a version without the field is not an error. */
  readonly ignorable?: boolean
}

export interface MessageSpec {
  readonly apiKey: number
  /** "ProduceRequest", "ProduceResponse". */
  readonly name: string
  readonly type: 'request' | 'response'
  /** The versions of this message Kafka defines ("0-11"). */
  readonly validVersions: VersionRange
  /** From which version the compact, tagged (KIP-482) encoding is used ("9+" or "none"). */
  readonly flexibleVersions: VersionRange
  readonly fields: readonly FieldSpec[]
}

/** A request and its response, as one API of Kafka's protocol. */
export interface ApiSchema {
  readonly apiKey: number
  /** Kafka's API name: "Produce", "ApiVersions". */
  readonly name: string
  readonly request: MessageSpec
  readonly response: MessageSpec
}

/** A decoded message: field names in lowerCamelCase (see the file comment). */
export type WireMessage = Record<string, unknown>
