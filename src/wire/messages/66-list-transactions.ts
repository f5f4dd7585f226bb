/** ListTransactions (API key 66, KIP-664), Kafka 3.7: version 0 only, flexible (v1's duration filter came in 3.8). */
import type { ApiSchema } from '../protocol/schema.js'

export const listTransactions: ApiSchema = {
  apiKey: 66,
  name: 'ListTransactions',
  request: {
    apiKey: 66,
    name: 'ListTransactionsRequest',
    type: 'request',
    validVersions: '0',
    flexibleVersions: '0+',
    fields: [
      { name: 'StateFilters', type: '[]string', versions: '0+' },
      { name: 'ProducerIdFilters', type: '[]int64', versions: '0+' },
    ],
  },
  response: {
    apiKey: 66,
    name: 'ListTransactionsResponse',
    type: 'response',
    validVersions: '0',
    flexibleVersions: '0+',
    fields: [
      { name: 'ThrottleTimeMs', type: 'int32', versions: '0+' },
      { name: 'ErrorCode', type: 'int16', versions: '0+' },
      { name: 'UnknownStateFilters', type: '[]string', versions: '0+' },
      {
        name: 'TransactionStates', type: '[]TransactionState', versions: '0+', fields: [
          { name: 'TransactionalId', type: 'string', versions: '0+' },
          { name: 'ProducerId', type: 'int64', versions: '0+' },
          { name: 'TransactionState', type: 'string', versions: '0+' },
        ],
      },
    ],
  },
}
