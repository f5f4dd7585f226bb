/**
 * kafkajs 2.2.4 as an oracle for the message tables: its per-version request modules build
 * frames (header v1 + body) that memkafka decodes, and its per-version response modules read
 * the bodies memkafka encodes (after the v0 response header, as kafkajs's connection strips it).
 */
import { createRequire } from 'node:module'
import { expect } from 'vitest'
import { schemas } from '../../../src/wire/messages/index.js'
import { decodeMessage, encodeMessageToBuffer } from '../../../src/wire/protocol/codec.js'
import { decodeRequestHeader, type RequestHeader } from '../../../src/wire/protocol/header.js'
import { Reader } from '../../../src/wire/protocol/reader.js'
import type { ApiSchema, WireMessage } from '../../../src/wire/protocol/schema.js'

export const kafkajsRequire = createRequire(import.meta.url)
const createRequest = kafkajsRequire('kafkajs/src/protocol/request.js') as (args: unknown) => Promise<{ buffer: Buffer }>

export interface KafkajsRequest {
  readonly apiKey: number
  readonly apiVersion: number
  encode(): Promise<unknown>
}

/** kafkajs's request module for an API folder and version ("produce", 3). */
export function kafkajsRequest(api: string, version: number): (args: Record<string, unknown>) => KafkajsRequest {
  return kafkajsRequire(`kafkajs/src/protocol/requests/${api}/v${version}/request.js`)
}

/** kafkajs's response decoder for an API folder and version. */
export function kafkajsResponse(api: string, version: number): { decode(body: Buffer): Promise<Record<string, unknown>> } {
  return kafkajsRequire(`kafkajs/src/protocol/requests/${api}/v${version}/response.js`)
}

/**
 * Frames `request` as kafkajs sends it and decodes it with memkafka: the header, then the body
 * with the API's table, checking that the body is used up exactly and that re-encoding the
 * decoded message gives kafkajs's bytes back, byte for byte.
 */
export async function decodeKafkajsRequest(schema: ApiSchema, request: KafkajsRequest): Promise<{ header: RequestHeader; body: WireMessage }> {
  const frame = (await createRequest({ correlationId: 77, clientId: 'oracle', request })).buffer
  expect(frame.readInt32BE(0)).toBe(frame.length - 4)
  const reader = new Reader(frame, 4)
  const header = decodeRequestHeader(reader, (key) => schemas.get(key))
  expect(header).toMatchObject({ apiKey: schema.apiKey, apiVersion: request.apiVersion, correlationId: 77, clientId: 'oracle' })
  const bodyStart = reader.offset
  const body = decodeMessage(schema.request, header.apiVersion, reader)
  expect(reader.remaining()).toBe(0)
  expect(encodeMessageToBuffer(schema.request, header.apiVersion, body).equals(frame.subarray(bodyStart))).toBe(true)
  return { header, body }
}

/** Encodes `response` with memkafka and decodes it with kafkajs's module for that version. */
export async function kafkajsDecodesResponse(schema: ApiSchema, api: string, version: number, response: WireMessage): Promise<Record<string, unknown>> {
  const body = encodeMessageToBuffer(schema.response, version, response)
  return kafkajsResponse(api, version).decode(body)
}
