/** AddOffsetsToTxn (API key 25), Kafka 3.7: versions 0-3, flexible from 3. */
import type { ApiSchema } from '../protocol/schema.js'

export const addOffsetsToTxn: ApiSchema = {
  apiKey: 25,
  name: 'AddOffsetsToTxn',
  request: {
    apiKey: 25,
    name: 'AddOffsetsToTxnRequest',
    type: 'request',
    validVersions: '0-3',
    flexibleVersions: '3+',
    fields: [
      { name: 'TransactionalId', type: 'string', versions: '0+' },
      { name: 'ProducerId', type: 'int64', versions: '0+' },
      { name: 'ProducerEpoch', type: 'int16', versions: '0+' },
      { name: 'GroupId', type: 'string', versions: '0+' },
    ],
  },
  response: {
    apiKey: 25,
    name: 'AddOffsetsToTxnResponse',
    type: 'response',
    validVersions: '0-3',
    flexibleVersions: '3+',
    fields: [
      { name: 'ThrottleTimeMs', type: 'int32', versions: '0+' },
      { name: 'ErrorCode', type: 'int16', versions: '0+' },
    ],
  },
}
