/** SaslAuthenticate (API key 36), Kafka 3.7: versions 0-2, flexible from 2 (v1 adds the session lifetime, KIP-368). */
import type { ApiSchema } from '../protocol/schema.js'

export const saslAuthenticate: ApiSchema = {
  apiKey: 36,
  name: 'SaslAuthenticate',
  request: {
    apiKey: 36,
    name: 'SaslAuthenticateRequest',
    type: 'request',
    validVersions: '0-2',
    flexibleVersions: '2+',
    fields: [{ name: 'AuthBytes', type: 'bytes', versions: '0+' }],
  },
  response: {
    apiKey: 36,
    name: 'SaslAuthenticateResponse',
    type: 'response',
    validVersions: '0-2',
    flexibleVersions: '2+',
    fields: [
      { name: 'ErrorCode', type: 'int16', versions: '0+' },
      { name: 'ErrorMessage', type: 'string', versions: '0+', nullableVersions: '0+' },
      { name: 'AuthBytes', type: 'bytes', versions: '0+' },
      { name: 'SessionLifetimeMs', type: 'int64', versions: '1+', default: '0', ignorable: true },
    ],
  },
}
