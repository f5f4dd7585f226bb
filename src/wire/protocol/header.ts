/**
 * Request and response headers (Kafka's RequestHeader.json / ResponseHeader.json).
 *
 * Request header v0: api key, api version, correlation id. v1 adds the client id (a classic
 * nullable string even in v2). v2 adds a tagged-field section. A request uses v2 when its API's
 * request is flexible at that version, else v1 (v0 only for ControlledShutdown v0, key 7,
 * which Kafka special-cases).
 *
 * Response header v0: correlation id. v1 adds a tagged-field section, used when the response is
 * flexible at that version, EXCEPT for ApiVersions (key 18), whose response always uses v0 so
 * that a client that does not yet know the broker's versions can read it (KIP-511).
 */
import { isFlexible } from './codec.js'
import { Reader } from './reader.js'
import type { ApiSchema } from './schema.js'
import type { Writer } from './writer.js'

export const API_VERSIONS_KEY = 18
const CONTROLLED_SHUTDOWN_KEY = 7

export interface RequestHeader {
  readonly apiKey: number
  readonly apiVersion: number
  readonly correlationId: number
  /** Null when the client sent none (header v1+ with a null string, or header v0). */
  readonly clientId: string | null
  /** The header version read (0, 1 or 2). */
  readonly headerVersion: number
}

/** The three leading fields every request header starts with. */
export interface RequestHeaderPrefix {
  readonly apiKey: number
  readonly apiVersion: number
  readonly correlationId: number
}

/** Looks an API's schema up by key (the registry in src/wire/messages/index.ts, or a test's own). */
export type SchemaLookup = (apiKey: number) => ApiSchema | undefined

/**
 * The request header version for this API and version: 2 when the request is flexible, 1
 * otherwise, 0 for ControlledShutdown v0. An API the lookup does not know gets v1 (the server
 * closes such a connection anyway).
 */
export function requestHeaderVersion(apiKey: number, apiVersion: number, lookup: SchemaLookup): number {
  if (apiKey === CONTROLLED_SHUTDOWN_KEY && apiVersion === 0) return 0
  const schema = lookup(apiKey)
  if (!schema) return 1
  return isFlexibleSafe(schema, 'request', apiVersion) ? 2 : 1
}

/** The response header version: 1 when the response is flexible, else 0; always 0 for ApiVersions. */
export function responseHeaderVersion(apiKey: number, apiVersion: number, lookup: SchemaLookup): number {
  if (apiKey === API_VERSIONS_KEY) return 0
  const schema = lookup(apiKey)
  if (!schema) return 0
  return isFlexibleSafe(schema, 'response', apiVersion) ? 1 : 0
}

function isFlexibleSafe(schema: ApiSchema, which: 'request' | 'response', apiVersion: number): boolean {
  return isFlexible(schema[which], apiVersion)
}

/**
 * Reads api key, version and correlation id from the start of a frame body (the bytes after
 * the 4-byte size), even when the rest is malformed, so that the server can still answer or
 * log the request it failed to parse. Undefined when the body is shorter than 8 bytes.
 */
export function peekRequestHeader(body: Buffer): RequestHeaderPrefix | undefined {
  if (body.length < 8) return undefined
  return { apiKey: body.readInt16BE(0), apiVersion: body.readInt16BE(2), correlationId: body.readInt32BE(4) }
}

/**
 * Reads a request header from `reader` (positioned at the start of a frame body), choosing its
 * version from the api key and version it carries. The reader is left at the request body.
 */
export function decodeRequestHeader(reader: Reader, lookup: SchemaLookup): RequestHeader {
  const apiKey = reader.int16()
  const apiVersion = reader.int16()
  const correlationId = reader.int32()
  const headerVersion = requestHeaderVersion(apiKey, apiVersion, lookup)
  let clientId: string | null = null
  if (headerVersion >= 1) clientId = reader.nullableString()
  if (headerVersion >= 2) reader.skipTaggedFields()
  return { apiKey, apiVersion, correlationId, clientId, headerVersion }
}

/** Writes a response header for a response to (apiKey, apiVersion). */
export function encodeResponseHeader(writer: Writer, correlationId: number, apiKey: number, apiVersion: number, lookup: SchemaLookup): void {
  writer.int32(correlationId)
  if (responseHeaderVersion(apiKey, apiVersion, lookup) >= 1) writer.uvarint(0)
}

/**
 * Writes a request header (header version chosen as decodeRequestHeader reads it). The server
 * never sends requests; tests and tools use this to build frames.
 */
export function encodeRequestHeader(writer: Writer, header: RequestHeaderPrefix & { readonly clientId: string | null }, lookup: SchemaLookup): void {
  writer.int16(header.apiKey).int16(header.apiVersion).int32(header.correlationId)
  const version = requestHeaderVersion(header.apiKey, header.apiVersion, lookup)
  if (version >= 1) writer.nullableString(header.clientId)
  if (version >= 2) writer.uvarint(0)
}

/** Reads a response header (the client's side; for tests): the correlation id. */
export function decodeResponseHeader(reader: Reader, apiKey: number, apiVersion: number, lookup: SchemaLookup): number {
  const correlationId = reader.int32()
  if (responseHeaderVersion(apiKey, apiVersion, lookup) >= 1) reader.skipTaggedFields()
  return correlationId
}

