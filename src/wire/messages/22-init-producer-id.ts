/** InitProducerId (API key 22), Kafka 3.7: versions 0-4, flexible from 2; v3 adds the KIP-360 epoch bump. */
import type { ApiSchema } from '../protocol/schema.js'

export const initProducerId: ApiSchema = {
  apiKey: 22,
  name: 'InitProducerId',
  request: {
    apiKey: 22,
    name: 'InitProducerIdRequest',
    type: 'request',
    validVersions: '0-4',
    flexibleVersions: '2+',
    fields: [
      { name: 'TransactionalId', type: 'string', versions: '0+', nullableVersions: '0+' },
      { name: 'TransactionTimeoutMs', type: 'int32', versions: '0+' },
      { name: 'ProducerId', type: 'int64', versions: '3+', default: '-1' },
      { name: 'ProducerEpoch', type: 'int16', versions: '3+', default: '-1' },
    ],
  },
  response: {
    apiKey: 22,
    name: 'InitProducerIdResponse',
    type: 'response',
    validVersions: '0-4',
    flexibleVersions: '2+',
    fields: [
      { name: 'ThrottleTimeMs', type: 'int32', versions: '0+', ignorable: true },
      { name: 'ErrorCode', type: 'int16', versions: '0+' },
      { name: 'ProducerId', type: 'int64', versions: '0+', default: -1 },
      { name: 'ProducerEpoch', type: 'int16', versions: '0+' },
    ],
  },
}
