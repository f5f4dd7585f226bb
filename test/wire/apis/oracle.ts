/**
 * Drives one API mapping the way a connection would, with kafkajs 2.2.4's own per-version
 * request encoders and response decoders as the judge: kafkajs encodes the request, our codec
 * decodes it, the mapping answers it against a real ClusterModel, our codec encodes the answer
 * and kafkajs decodes (and parses: throwing its error classes) the response.
 *
 * For versions kafkajs does not implement, `viaCodec` round-trips a request written as a wire
 * message through our codec both ways, so the test still sees what a client would receive.
 */
import { createRequire } from 'node:module'
import { expect } from 'vitest'
import type { ClusterModel } from '../../../src/cluster/cluster-model.js'
import type { WireApi, WireContext } from '../../../src/wire/api.js'
import { wireApis } from '../../../src/wire/apis/index.js'
import { schemas } from '../../../src/wire/messages/index.js'
import { decodeMessage, encodeMessageToBuffer } from '../../../src/wire/protocol/codec.js'
import { Reader } from '../../../src/wire/protocol/reader.js'
import type { ApiSchema, WireMessage } from '../../../src/wire/protocol/schema.js'

const require = createRequire(import.meta.url)

// The cluster-side helpers live with the other shared test support.
export { assignment, createTopic, groupCoordinator, joinAndSync, newCluster, subscription } from '../../support/cluster-harness.js'

/** A WireContext as a connection to `brokerId` would give the mapping. */
export function contextFor(cluster: ClusterModel, apiVersion: number, brokerId = 0): WireContext {
  return {
    cluster,
    brokerId,
    apiVersion,
    clientId: 'oracle',
    clientHost: '/127.0.0.1',
    source: { clientId: 'oracle' },
    advertised: (id) => (cluster.liveBrokers().some((b) => b.id === id) ? { host: 'localhost', port: 19092 + id } : undefined),
    signal: new AbortController().signal,
    supportedVersions: [],
  }
}

export function apiOf(key: number): { api: WireApi; schema: ApiSchema } {
  const api = wireApis.get(key)
  const schema = schemas.get(key)
  if (!api || !schema) throw new Error(`API ${key} is not registered`)
  return { api, schema }
}

/** The mapping's answer to a decoded request body (with the request body fully consumed). */
async function answer(key: number, version: number, body: Buffer, cluster: ClusterModel, brokerId: number): Promise<{ decoded: WireMessage; bytes: Buffer }> {
  const { api, schema } = apiOf(key)
  const reader = new Reader(body)
  const decoded = decodeMessage(schema.request, version, reader)
  expect(reader.remaining(), 'request bytes left after decoding').toBe(0)
  const response = await api.handle(decoded, contextFor(cluster, version, brokerId))
  if (response === undefined) throw new Error('no response')
  return { decoded, bytes: encodeMessageToBuffer(schema.response, version, response) }
}

export interface KafkajsExchange {
  /** The request as our codec decoded it. */
  readonly decoded: WireMessage
  /** kafkajs's decoded response. */
  readonly data: any
  /** What kafkajs's parse made of it: its result, or the error it throws. */
  readonly parsed: any
  readonly error: any
}

/**
 * One exchange through kafkajs's modules: `dir` is kafkajs's folder
 * (kafkajs/src/protocol/requests/<dir>/v<version>), `args` what its request module takes.
 */
export async function viaKafkajs(key: number, dir: string, version: number, args: unknown, cluster: ClusterModel, brokerId = 0): Promise<KafkajsExchange> {
  const request = require(`kafkajs/src/protocol/requests/${dir}/v${version}/request`)(args)
  expect(request.apiKey).toBe(key)
  expect(request.apiVersion).toBe(version)
  const body: Buffer = (await request.encode()).buffer
  const { decoded, bytes } = await answer(key, version, body, cluster, brokerId)
  // Some response modules (DeleteRecords) are factories over the request's own arguments.
  const responseModule = require(`kafkajs/src/protocol/requests/${dir}/v${version}/response`)
  const { decode, parse } = typeof responseModule === 'function' ? responseModule(args) : responseModule
  const data = await decode(bytes)
  try {
    return { decoded, data, parsed: await parse(data), error: undefined }
  } catch (error) {
    return { decoded, data, parsed: undefined, error }
  }
}

/** One exchange through our codec alone, for versions kafkajs does not implement. */
export async function viaCodec(key: number, version: number, request: WireMessage, cluster: ClusterModel, brokerId = 0): Promise<WireMessage> {
  const { schema } = apiOf(key)
  const body = encodeMessageToBuffer(schema.request, version, request)
  const { bytes } = await answer(key, version, body, cluster, brokerId)
  const reader = new Reader(bytes)
  const response = decodeMessage(schema.response, version, reader)
  expect(reader.remaining(), 'response bytes left after decoding').toBe(0)
  return response
}

/** The versions of an API from `from` to its advertised max. */
export function versions(key: number, from = 0): number[] {
  const { api } = apiOf(key)
  const list: number[] = []
  for (let v = Math.max(from, api.minVersion); v <= api.maxVersion; v++) list.push(v)
  return list
}
