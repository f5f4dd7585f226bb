/** DescribeProducers (API key 61, KIP-664), Kafka 3.7: version 0 only, flexible. */
import type { ApiSchema } from '../protocol/schema.js'

export const describeProducers: ApiSchema = {
  apiKey: 61,
  name: 'DescribeProducers',
  request: {
    apiKey: 61,
    name: 'DescribeProducersRequest',
    type: 'request',
    validVersions: '0',
    flexibleVersions: '0+',
    fields: [
      {
        name: 'Topics', type: '[]TopicRequest', versions: '0+', fields: [
          { name: 'Name', type: 'string', versions: '0+' },
          { name: 'PartitionIndexes', type: '[]int32', versions: '0+' },
        ],
      },
    ],
  },
  response: {
    apiKey: 61,
    name: 'DescribeProducersResponse',
    type: 'response',
    validVersions: '0',
    flexibleVersions: '0+',
    fields: [
      { name: 'ThrottleTimeMs', type: 'int32', versions: '0+' },
      {
        name: 'Topics', type: '[]TopicResponse', versions: '0+', fields: [
          { name: 'Name', type: 'string', versions: '0+' },
          {
            name: 'Partitions', type: '[]PartitionResponse', versions: '0+', fields: [
              { name: 'PartitionIndex', type: 'int32', versions: '0+' },
              { name: 'ErrorCode', type: 'int16', versions: '0+' },
              { name: 'ErrorMessage', type: 'string', versions: '0+', nullableVersions: '0+', default: 'null' },
              {
                name: 'ActiveProducers', type: '[]ProducerState', versions: '0+', fields: [
                  { name: 'ProducerId', type: 'int64', versions: '0+' },
                  { name: 'ProducerEpoch', type: 'int32', versions: '0+' },
                  { name: 'LastSequence', type: 'int32', versions: '0+', default: '-1' },
                  { name: 'LastTimestamp', type: 'int64', versions: '0+', default: '-1' },
                  { name: 'CoordinatorEpoch', type: 'int32', versions: '0+' },
                  { name: 'CurrentTxnStartOffset', type: 'int64', versions: '0+', default: '-1' },
                ],
              },
            ],
          },
        ],
      },
    ],
  },
}
