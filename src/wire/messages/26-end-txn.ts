/** EndTxn (API key 26), Kafka 3.7: versions 0-3, flexible from 3. */
import type { ApiSchema } from '../protocol/schema.js'

export const endTxn: ApiSchema = {
  apiKey: 26,
  name: 'EndTxn',
  request: {
    apiKey: 26,
    name: 'EndTxnRequest',
    type: 'request',
    validVersions: '0-3',
    flexibleVersions: '3+',
    fields: [
      { name: 'TransactionalId', type: 'string', versions: '0+' },
      { name: 'ProducerId', type: 'int64', versions: '0+' },
      { name: 'ProducerEpoch', type: 'int16', versions: '0+' },
      { name: 'Committed', type: 'bool', versions: '0+' },
    ],
  },
  response: {
    apiKey: 26,
    name: 'EndTxnResponse',
    type: 'response',
    validVersions: '0-3',
    flexibleVersions: '3+',
    fields: [
      { name: 'ThrottleTimeMs', type: 'int32', versions: '0+' },
      { name: 'ErrorCode', type: 'int16', versions: '0+' },
    ],
  },
}
