/** SaslHandshake (API key 17), Kafka 3.7: versions 0-1, never flexible (v0: raw tokens follow; v1: SaslAuthenticate, KIP-152). */
import type { ApiSchema } from '../protocol/schema.js'

export const saslHandshake: ApiSchema = {
  apiKey: 17,
  name: 'SaslHandshake',
  request: {
    apiKey: 17,
    name: 'SaslHandshakeRequest',
    type: 'request',
    validVersions: '0-1',
    flexibleVersions: 'none',
    fields: [{ name: 'Mechanism', type: 'string', versions: '0+' }],
  },
  response: {
    apiKey: 17,
    name: 'SaslHandshakeResponse',
    type: 'response',
    validVersions: '0-1',
    flexibleVersions: 'none',
    fields: [
      { name: 'ErrorCode', type: 'int16', versions: '0+' },
      { name: 'Mechanisms', type: '[]string', versions: '0+' },
    ],
  },
}
