import { describe, expect, it } from 'vitest'
import type { WireApi } from '../../src/wire/api.js'
import type { ApiSchema } from '../../src/wire/protocol/schema.js'
import { servedApis } from '../../src/wire/served-apis.js'

const api = (apiKey: number, minVersion: number, maxVersion: number): WireApi => ({ apiKey, name: `Api${apiKey}`, minVersion, maxVersion, handle: () => ({}) })
const schema = (apiKey: number, request: string, response = request): ApiSchema => ({
  apiKey,
  name: `Api${apiKey}`,
  request: { apiKey, name: 'Req', type: 'request', validVersions: request, flexibleVersions: 'none', fields: [] },
  response: { apiKey, name: 'Resp', type: 'response', validVersions: response, flexibleVersions: 'none', fields: [] },
})

describe('servedApis', () => {
  it('serves only APIs with both a mapping and a schema, over the versions both cover', () => {
    const apis = new Map([api(3, 0, 12), api(9, 1, 9), api(42, 0, 2)].map((a) => [a.apiKey, a]))
    const schemas = new Map([schema(3, '0-10', '0-11'), schema(9, '0+'), schema(60, '0-1')].map((s) => [s.apiKey, s]))
    const served = servedApis(apis, schemas)
    expect([...served.values()].map((s) => [s.api.apiKey, s.minVersion, s.maxVersion])).toEqual([
      [3, 0, 10],
      [9, 1, 9],
    ])
  })

  it('caps to --as-version and leaves out what the release lacked or where nothing is left', () => {
    const apis = new Map([api(3, 0, 12), api(9, 1, 9), api(60, 0, 1), api(0, 3, 10)].map((a) => [a.apiKey, a]))
    const schemas = new Map([schema(3, '0-12'), schema(9, '0-9'), schema(60, '0-1'), schema(0, '0-10')].map((s) => [s.apiKey, s]))
    // Kafka 0.11: Metadata 4, OffsetFetch 3, no DescribeCluster, Produce 3.
    const served = servedApis(apis, schemas, { asVersion: '0.11' })
    expect([...served.values()].map((s) => [s.api.apiKey, s.minVersion, s.maxVersion])).toEqual([
      [0, 3, 3],
      [3, 0, 4],
      [9, 1, 3],
    ])
    // Kafka 0.11 capped to below a mapping's minimum leaves nothing of it.
    const above = servedApis(new Map([[0, api(0, 4, 10)]]), new Map([[0, schema(0, '0-10')]]), { asVersion: '0.11' })
    expect(above.size).toBe(0)
  })
})
