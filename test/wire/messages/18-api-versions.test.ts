import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { schemas } from '../../../src/wire/messages/index.js'
import { apiVersions } from '../../../src/wire/messages/18-api-versions.js'
import { decodeMessage, encodeMessageToBuffer } from '../../../src/wire/protocol/codec.js'
import { decodeRequestHeader, encodeResponseHeader } from '../../../src/wire/protocol/header.js'
import { Reader } from '../../../src/wire/protocol/reader.js'
import { Writer } from '../../../src/wire/protocol/writer.js'
import { decodeKafkajsRequest, kafkajsDecodesResponse, kafkajsRequest, kafkajsResponse } from './kafkajs-oracle.js'

const apiKeyRange = fc.array(fc.record({ apiKey: fc.nat(100), minVersion: fc.nat(5), maxVersion: fc.nat(20) }), { maxLength: 30 })

describe('ApiVersions from kafkajs', () => {
  for (const version of [0, 1, 2]) {
    it(`v${version}: the empty request decodes; kafkajs reads the response`, async () => {
      const { body } = await decodeKafkajsRequest(apiVersions, kafkajsRequest('apiVersions', version)({}))
      expect(body).toEqual({ clientSoftwareName: '', clientSoftwareVersion: '' })
      await fc.assert(
        fc.asyncProperty(apiKeyRange, fc.nat(1000), async (apiKeys, throttleTimeMs) => {
          const theirs = await kafkajsDecodesResponse(apiVersions, 'apiVersions', version, { errorCode: 0, apiKeys, throttleTimeMs })
          expect(theirs.apiVersions).toEqual(apiKeys)
          if (version === 1) expect(theirs.throttleTime).toBe(throttleTimeMs)
          if (version === 2) expect(theirs.clientSideThrottleTime).toBe(throttleTimeMs)
        }),
        { numRuns: 20 },
      )
    })
  }

  it('a v0 UNSUPPORTED_VERSION response is the error kafkajs falls back on', async () => {
    const body = encodeMessageToBuffer(apiVersions.response, 0, { errorCode: 35, apiKeys: [{ apiKey: 18, minVersion: 0, maxVersion: 3 }] })
    await expect(kafkajsResponse('apiVersions', 2).decode(body)).rejects.toMatchObject({ type: 'UNSUPPORTED_VERSION' })
  })
})

describe('ApiVersions v3 (flexible)', () => {
  it('reads a v3 request as librdkafka frames it: header v2, compact strings, tagged fields', () => {
    const name = Buffer.from('librdkafka')
    const version = Buffer.from('2.0.2')
    const frame = Buffer.concat([
      Buffer.from('0012' + '0003' + '00000001' + '0007' + Buffer.from('rdkafka').toString('hex') + '00', 'hex'),
      Buffer.from([name.length + 1]),
      name,
      Buffer.from([version.length + 1]),
      version,
      Buffer.from('00', 'hex'),
    ])
    const reader = new Reader(frame)
    expect(decodeRequestHeader(reader, (k) => schemas.get(k))).toMatchObject({ apiKey: 18, apiVersion: 3, clientId: 'rdkafka', headerVersion: 2 })
    expect(decodeMessage(apiVersions.request, 3, reader)).toEqual({ clientSoftwareName: 'librdkafka', clientSoftwareVersion: '2.0.2' })
    expect(reader.remaining()).toBe(0)
  })

  it('writes a v3 response under header v0 with compact arrays and, when set, feature tags', () => {
    const w = new Writer()
    encodeResponseHeader(w, 1, 18, 3, (k) => schemas.get(k))
    encodeMessage(w)
    expect(w.toBuffer().toString('hex')).toBe('00000001' + '0000' + '02' + '0000' + '0000' + '000a' + '00' + '00000000' + '00')
    const withFeatures = encodeMessageToBuffer(apiVersions.response, 3, { errorCode: 0, apiKeys: [], throttleTimeMs: 0, finalizedFeaturesEpoch: 7 })
    expect(withFeatures.toString('hex')).toBe('0000' + '01' + '00000000' + '01' + '01' + '08' + '0000000000000007')
    expect(decodeMessage(apiVersions.response, 3, new Reader(withFeatures))).toMatchObject({ finalizedFeaturesEpoch: 7, supportedFeatures: [], zkMigrationReady: false })
  })
})

function encodeMessage(w: Writer): void {
  const body = encodeMessageToBuffer(apiVersions.response, 3, { errorCode: 0, apiKeys: [{ apiKey: 0, minVersion: 0, maxVersion: 10 }], throttleTimeMs: 0 })
  w.raw(body)
}
