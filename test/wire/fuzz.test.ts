/**
 * Nothing a client sends may crash the server or harm the cluster. For every API the server
 * advertises, at every advertised version: random frames, and valid frames (random messages
 * encoded with memkafka's codec) with mutated bytes and lengths. Each must get a well-formed
 * response (its correlation id, decodable at its version, nothing left over) or a closed
 * connection; a connection the server closed leaves cluster.describe() exactly as it was.
 *
 * The cluster runs on a ManualClock that nobody advances, so nothing changes state except the
 * requests themselves; a request that waits (a long poll, a join) is given up on by the client
 * after a short while, which is not a failure.
 */
import { createRequire } from 'node:module'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Cluster } from '../../src/client/cluster.js'
import { ManualClock } from '../../src/cluster/clock.js'
import { wireApis } from '../../src/wire/apis/index.js'
import { schemas } from '../../src/wire/messages/index.js'
import { encodeMessage } from '../../src/wire/protocol/codec.js'
import { encodeRequestHeader } from '../../src/wire/protocol/header.js'
import type { FieldSpec, MessageSpec, WireMessage } from '../../src/wire/protocol/schema.js'
import { inVersions } from '../../src/wire/protocol/versions.js'
import { Writer } from '../../src/wire/protocol/writer.js'
import { servedApis, type ServedApi } from '../../src/wire/served-apis.js'
import type { WireServer } from '../../src/wire/server.js'
import { decodeResponse, RawClient } from './server/raw-client.js'

const require = createRequire(import.meta.url)
const served = [...servedApis(wireApis, schemas).values()]
/** How long the client waits for an answer before it takes the request as one that waits. */
const PATIENCE_MS = 150
/** Runs per API version; MEMKAFKA_FUZZ_RUNS=500 for a longer hunt. */
const RUNS_PER_VERSION = Number(process.env.MEMKAFKA_FUZZ_RUNS ?? 12)

let cluster: Cluster
let server: WireServer
let client: RawClient | undefined
let validBatch: Buffer
const crashes: unknown[] = []
/** What the server logged, so a failure says why it closed. */
const logs: string[] = []
const onCrash = (error: unknown): void => void crashes.push(error)

beforeAll(async () => {
  process.on('uncaughtException', onCrash)
  process.on('unhandledRejection', onCrash)
  cluster = new Cluster({ brokers: 3, clock: new ManualClock(), seed: 3 })
  await cluster.send(0, {
    api: 'CreateTopics',
    topics: [
      { name: 'fuzz', numPartitions: 3, replicationFactor: 2, assignments: [], configs: [] },
      { name: 't', numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] },
    ],
    timeoutMs: 1000,
    validateOnly: false,
  })
  server = await cluster.listen({ log: (entry) => void logs.push(entry.message) })
  // A valid record batch (kafkajs's encoder as the oracle), for the records fields of requests.
  const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0') as { RecordBatch: (options: object) => Promise<{ buffer: Buffer }> }
  const Record = require('kafkajs/src/protocol/recordBatch/record/v0') as (options: object) => { buffer: Buffer }
  const encoder = await RecordBatch({ records: [Record({ offsetDelta: 0, key: Buffer.from('k'), value: Buffer.from('v'), headers: {} })], firstTimestamp: 1, maxTimestamp: 1 })
  validBatch = Buffer.from(encoder.buffer)
})

afterAll(async () => {
  await client?.close()
  await cluster.close()
  process.off('uncaughtException', onCrash)
  process.off('unhandledRejection', onCrash)
})

// ---------------------------------------------------------------------------------------------
// Random messages of a schema at a version

const smallString = fc.constantFrom('', 'fuzz', 't', 'g', 'missing', 'fuzz-group', 'x'.repeat(300), 'é', '__consumer_offsets')
const smallInt = (min: number, max: number) => fc.oneof(fc.constantFrom(0, 1, -1, 2, 3, min, max), fc.integer({ min, max }))

function primitive(type: string): fc.Arbitrary<unknown> {
  switch (type) {
    case 'bool':
      return fc.boolean()
    case 'int8':
      return smallInt(-128, 127)
    case 'int16':
      return smallInt(-32768, 32767)
    case 'uint16':
      return smallInt(0, 65535)
    case 'int32':
      return smallInt(-2147483648, 2147483647)
    case 'uint32':
      return smallInt(0, 4294967295)
    case 'int64':
      return fc.oneof(smallInt(-1000, 100_000), fc.constantFrom(Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER))
    case 'float64':
      return fc.double()
    case 'string':
      return smallString
    case 'bytes':
      return fc.uint8Array({ maxLength: 16 }).map((a) => Buffer.from(a))
    case 'uuid':
      return fc.constantFrom('00000000-0000-0000-0000-000000000000', '5f3b2c1a-0000-4000-8000-000000000001')
    case 'records':
      return fc.oneof(fc.constant(null), fc.constant('valid'), fc.uint8Array({ maxLength: 80 })).map((r) => (r === 'valid' ? validBatch : r === null ? null : Buffer.from(r)))
    default:
      throw new Error(`no arbitrary for ${type}`)
  }
}

function fieldArbitrary(field: FieldSpec, version: number): fc.Arbitrary<unknown> {
  let arb: fc.Arbitrary<unknown>
  if (field.type.startsWith('[]')) {
    const element = field.fields ? structArbitrary(field.fields, version) : primitive(field.type.slice(2))
    arb = fc.array(element, { maxLength: 3 })
  } else if (field.fields) {
    arb = structArbitrary(field.fields, version)
  } else {
    arb = primitive(field.type)
  }
  return inVersions(field.nullableVersions, version) ? fc.option(arb, { nil: null, freq: 5 }) : arb
}

function structArbitrary(fields: readonly FieldSpec[], version: number): fc.Arbitrary<WireMessage> {
  const present = fields.filter((f) => inVersions(f.versions, version))
  const record: Record<string, fc.Arbitrary<unknown>> = {}
  for (const f of present) record[f.name.charAt(0).toLowerCase() + f.name.slice(1)] = fieldArbitrary(f, version)
  return fc.record(record) as fc.Arbitrary<WireMessage>
}

function encodeFrame(api: ServedApi, version: number, correlationId: number, message: WireMessage): Buffer {
  const writer = new Writer()
  encodeRequestHeader(writer, { apiKey: api.api.apiKey, apiVersion: version, correlationId, clientId: 'fuzz' }, (k) => (k === api.api.apiKey ? api.schema : undefined))
  encodeMessage(api.schema.request as MessageSpec, version, message, writer)
  return writer.toBuffer()
}

/** A byte-level change to a frame body, past its first 8 bytes (key, version, correlation id). */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 4 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('append' as const), bytes: fc.uint8Array({ minLength: 1, maxLength: 12 }) }),
  fc.record({ kind: fc.constant('length' as const), at: fc.nat(), value: fc.constantFrom(0x7fffffff, 0xffffffff, 0x80000000, 0xffff, 0x7fff, 0x80) }),
)

function mutate(frame: Buffer, m: MutationValue): Buffer {
  const body = Buffer.from(frame)
  const span = body.length - 8
  if (span <= 0) return Buffer.concat([body, Buffer.from([0xff])])
  const pos = (at: number) => 8 + (at % span)
  switch (m.kind) {
    case 'flip':
      m.bytes.forEach((b, i) => {
        const p = pos(m.at + i)
        body[p] = b
      })
      return body
    case 'truncate':
      return body.subarray(0, pos(m.at))
    case 'append':
      return Buffer.concat([body, Buffer.from(m.bytes)])
    case 'length': {
      // Overwrite what may be a length or count with a huge, negative or odd value.
      const p = pos(m.at)
      const room = body.length - p
      if (room >= 4) body.writeUInt32BE(m.value >>> 0, p)
      else if (room >= 2) body.writeUInt16BE(m.value & 0xffff, p)
      else body[p] = m.value & 0xff
      return body
    }
  }
}
type MutationValue =
  | { kind: 'flip'; at: number; bytes: number[] }
  | { kind: 'truncate'; at: number }
  | { kind: 'append'; bytes: Uint8Array }
  | { kind: 'length'; at: number; value: number }

// ---------------------------------------------------------------------------------------------
// Sending one frame and judging the outcome

type Outcome = 'answered' | 'closed' | 'waiting'
let nextCorrelationId = 1

async function exchange(api: ServedApi, version: number, frame: Buffer, correlationId: number): Promise<Outcome> {
  if (!client || client.isClosed) client = await RawClient.connect(server.brokers[0]!.port)
  const c = client
  c.writeFrame(frame)
  let timer: NodeJS.Timeout | undefined
  const answer = await Promise.race([c.nextFrame(), new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), PATIENCE_MS)))])
  clearTimeout(timer)
  if (answer === 'timeout') {
    // A request that waits (long poll, join): give up on this connection.
    await c.close()
    client = undefined
    return 'waiting'
  }
  if (answer === undefined) return 'closed'
  const decoded = decodeResponse(api.schema, version, answer)
  expect(decoded.correlationId).toBe(correlationId)
  return 'answered'
}

describe('fuzzing every advertised API and version', () => {
  it('serves APIs to fuzz', () => {
    expect(served.length).toBeGreaterThan(0)
  })

  for (const api of served) {
    const name = `${api.api.name} (key ${api.api.apiKey}) v${api.minVersion}-${api.maxVersion}`
    it(`${name}: random and mutated frames get a well-formed response or a closed connection`, { timeout: 60_000 }, async () => {
      for (let v = api.minVersion; v <= api.maxVersion; v++) {
        const frameFor = fc.oneof(
          // Random bytes after a valid header prefix.
          fc.uint8Array({ maxLength: 64 }).map((tail) => (id: number) => Buffer.concat([prefix(api.api.apiKey, v, id), Buffer.from(tail)])),
          // A valid message, mutated.
          fc.tuple(structArbitrary(api.schema.request.fields, v), mutation).map(([message, m]) => (id: number) => mutate(encodeFrame(api, v, id, message), m as MutationValue)),
          // A valid message as it is.
          structArbitrary(api.schema.request.fields, v).map((message) => Object.assign((id: number) => encodeFrame(api, v, id, message), { valid: message })),
        )
        await fc.assert(
          fc.asyncProperty(frameFor, async (build) => {
            const id = nextCorrelationId++
            let frame: Buffer
            try {
              frame = build(id)
            } catch {
              return // the codec refused the random message (e.g. a value its type cannot carry): nothing to send
            }
            const before = JSON.stringify(cluster.describe())
            logs.length = 0
            const outcome = await exchange(api, v, frame, id)
            if (outcome === 'closed') expect(JSON.stringify(cluster.describe()), `v${v}: a refused request left the cluster as it was (${logs.join('; ')})`).toBe(before)
            // A well-formed request at an advertised version is answered, errors and all; Kafka
            // closes the connection only for a failed acks=0 produce (it has no response to carry it).
            const valid = (build as { valid?: WireMessage }).valid
            if (valid && !(api.api.apiKey === 0 && valid.acks === 0)) expect(outcome, `v${v}: a well-formed request closed the connection (${logs.join('; ')})`).not.toBe('closed')
            expect(crashes).toEqual([])
          }),
          { numRuns: RUNS_PER_VERSION },
        )
      }
    })
  }
})

function prefix(apiKey: number, version: number, correlationId: number): Buffer {
  const b = Buffer.alloc(8)
  b.writeInt16BE(apiKey, 0)
  b.writeInt16BE(version, 2)
  b.writeInt32BE(correlationId, 4)
  return b
}
