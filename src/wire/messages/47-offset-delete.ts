/** OffsetDelete (API key 47, KIP-496), Kafka 3.7: version 0 only, never flexible. */
import type { ApiSchema } from '../protocol/schema.js'

export const offsetDelete: ApiSchema = {
  apiKey: 47,
  name: 'OffsetDelete',
  request: {
    apiKey: 47,
    name: 'OffsetDeleteRequest',
    type: 'request',
    validVersions: '0',
    flexibleVersions: 'none',
    fields: [
      { name: 'GroupId', type: 'string', versions: '0+' },
      {
        name: 'Topics', type: '[]OffsetDeleteRequestTopic', versions: '0+', fields: [
          { name: 'Name', type: 'string', versions: '0+' },
          {
            name: 'Partitions', type: '[]OffsetDeleteRequestPartition', versions: '0+', fields: [
              { name: 'PartitionIndex', type: 'int32', versions: '0+' },
            ],
          },
        ],
      },
    ],
  },
  response: {
    apiKey: 47,
    name: 'OffsetDeleteResponse',
    type: 'response',
    validVersions: '0',
    flexibleVersions: 'none',
    fields: [
      { name: 'ErrorCode', type: 'int16', versions: '0+' },
      { name: 'ThrottleTimeMs', type: 'int32', versions: '0+', ignorable: true },
      {
        name: 'Topics', type: '[]OffsetDeleteResponseTopic', versions: '0+', fields: [
          { name: 'Name', type: 'string', versions: '0+' },
          {
            name: 'Partitions', type: '[]OffsetDeleteResponsePartition', versions: '0+', fields: [
              { name: 'PartitionIndex', type: 'int32', versions: '0+' },
              { name: 'ErrorCode', type: 'int16', versions: '0+' },
            ],
          },
        ],
      },
    ],
  },
}
