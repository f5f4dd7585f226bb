/** DescribeTransactions (API key 65, KIP-664), Kafka 3.7: version 0 only, flexible. */
import type { ApiSchema } from '../protocol/schema.js'

export const describeTransactions: ApiSchema = {
  apiKey: 65,
  name: 'DescribeTransactions',
  request: {
    apiKey: 65,
    name: 'DescribeTransactionsRequest',
    type: 'request',
    validVersions: '0',
    flexibleVersions: '0+',
    fields: [{ name: 'TransactionalIds', type: '[]string', versions: '0+' }],
  },
  response: {
    apiKey: 65,
    name: 'DescribeTransactionsResponse',
    type: 'response',
    validVersions: '0',
    flexibleVersions: '0+',
    fields: [
      { name: 'ThrottleTimeMs', type: 'int32', versions: '0+' },
      {
        name: 'TransactionStates', type: '[]TransactionState', versions: '0+', fields: [
          { name: 'ErrorCode', type: 'int16', versions: '0+' },
          { name: 'TransactionalId', type: 'string', versions: '0+' },
          { name: 'TransactionState', type: 'string', versions: '0+' },
          { name: 'TransactionTimeoutMs', type: 'int32', versions: '0+' },
          { name: 'TransactionStartTimeMs', type: 'int64', versions: '0+' },
          { name: 'ProducerId', type: 'int64', versions: '0+' },
          { name: 'ProducerEpoch', type: 'int16', versions: '0+' },
          {
            name: 'Topics', type: '[]TopicData', versions: '0+', fields: [
              { name: 'Topic', type: 'string', versions: '0+' },
              { name: 'Partitions', type: '[]int32', versions: '0+' },
            ],
          },
        ],
      },
    ],
  },
}
