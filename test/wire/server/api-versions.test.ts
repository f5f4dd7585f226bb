/**
 * ApiVersions over a socket: the list a client negotiates from, the UNSUPPORTED_VERSION answer
 * clients step down from, the KIP-511 name check, and --as-version's caps.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { schemas } from '../../../src/wire/messages/index.js'
import { maxVersionsOf } from '../../../src/wire/kafka-versions.js'
import type { ApiSchema } from '../../../src/wire/protocol/schema.js'
import { serve, type Served } from './harness.js'

const schema = schemas.get(18) as ApiSchema
let served: Served | undefined
afterEach(async () => {
  await served?.close()
  served = undefined
})

type Listed = { apiKey: number; minVersion: number; maxVersion: number }[]

describe('ApiVersions', () => {
  it.each([0, 1, 2, 3])('v%i lists every served API with its range, ApiVersions 0-3 among them', async (version) => {
    served = await serve()
    const client = await served.connect()
    client.sendRequest(schema, version, 11, version >= 3 ? { clientSoftwareName: 'memkafka-test', clientSoftwareVersion: '1.0.0' } : {})
    const response = await client.nextResponse(schema, version)
    expect(response?.correlationId).toBe(11)
    expect(response?.body.errorCode).toBe(0)
    const listed = response?.body.apiKeys as Listed
    expect(listed).toEqual(served.server.supportedVersions)
    expect(listed.find((k) => k.apiKey === 18)).toEqual({ apiKey: 18, minVersion: 0, maxVersion: 3 })
    // Sorted by key, as Kafka lists them.
    expect(listed.map((k) => k.apiKey)).toEqual([...listed.map((k) => k.apiKey)].sort((a, b) => a - b))
    if (version >= 3) {
      expect(response?.body.supportedFeatures).toEqual([{ name: 'metadata.version', minVersion: 1, maxVersion: 19 }])
      expect(response?.body.finalizedFeatures).toEqual([{ name: 'metadata.version', maxVersionLevel: 19, minVersionLevel: 19 }])
    }
  })

  it('answers a version it does not know with a v0 UNSUPPORTED_VERSION response carrying its own range, and keeps the connection', async () => {
    served = await serve()
    const client = await served.connect()
    // A v4 request (librdkafka and platformatic send their newest first); its body is never read.
    const body = Buffer.from([0, 18, 0, 4, 0, 0, 0, 42, 0, 0, 0, 1, 2, 3])
    client.writeFrame(body)
    const response = await client.nextResponse(schema, 0)
    expect(response?.correlationId).toBe(42)
    expect(response?.body).toMatchObject({ errorCode: 35, apiKeys: [{ apiKey: 18, minVersion: 0, maxVersion: 3 }] })
    client.sendRequest(schema, 2, 43, {})
    expect((await client.nextResponse(schema, 2))?.body.errorCode).toBe(0)
  })

  it("answers kafka-python's probe: ApiVersions v0 with Metadata v0 pipelined right after it, in order", async () => {
    served = await serve({ brokers: 2 })
    const metadata = schemas.get(3) as ApiSchema
    const client = await served.connect()
    client.sendRequest(schema, 0, 1, {}, 'kafka-python')
    client.sendRequest(metadata, 0, 2, { topics: [] }, 'kafka-python')
    const versions = await client.nextResponse(schema, 0)
    const brokers = await client.nextResponse(metadata, 0)
    expect([versions?.correlationId, brokers?.correlationId]).toEqual([1, 2])
    expect((brokers?.body.brokers as { port: number }[]).map((b) => b.port)).toEqual(served.server.brokers.map((b) => b.port))
  })

  it('refuses a client software name Kafka would refuse (KIP-511) with INVALID_REQUEST', async () => {
    served = await serve()
    const client = await served.connect()
    client.sendRequest(schema, 3, 1, { clientSoftwareName: '-bad name', clientSoftwareVersion: '1.0' })
    expect((await client.nextResponse(schema, 3))?.body).toMatchObject({ errorCode: 42, apiKeys: [] })
  })

  it('--as-version caps each range to the release and drops the APIs it lacked', async () => {
    served = await serve({ listen: { asVersion: '2.0' } })
    const client = await served.connect()
    client.sendRequest(schema, 3, 1, { clientSoftwareName: 'x', clientSoftwareVersion: '1' })
    // Kafka 2.0 had ApiVersions v0-2: the v3 request is answered as unsupported.
    expect((await client.nextResponse(schema, 0))?.body).toMatchObject({ errorCode: 35, apiKeys: [{ apiKey: 18, minVersion: 0, maxVersion: 2 }] })
    client.sendRequest(schema, 2, 2, {})
    const listed = (await client.nextResponse(schema, 2))?.body.apiKeys as Listed
    const caps = maxVersionsOf('2.0')
    for (const entry of listed) {
      expect(caps.has(entry.apiKey), `key ${entry.apiKey} existed in 2.0`).toBe(true)
      expect(entry.maxVersion).toBeLessThanOrEqual(caps.get(entry.apiKey)!)
    }
    expect(listed.find((k) => k.apiKey === 18)).toEqual({ apiKey: 18, minVersion: 0, maxVersion: 2 })
    expect(listed.find((k) => k.apiKey === 3)?.maxVersion).toBe(6)
    expect(listed.some((k) => k.apiKey === 60)).toBe(false)
    // Every API served uncapped and known to 2.0 is still there.
    const uncapped = await serve()
    const expected = uncapped.server.supportedVersions.filter((k) => caps.has(k.apiKey) && k.minVersion <= caps.get(k.apiKey)!).map((k) => k.apiKey)
    await uncapped.close()
    expect(listed.map((k) => k.apiKey)).toEqual(expected)
  })
})
