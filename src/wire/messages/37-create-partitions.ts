/** CreatePartitions (API key 37), Kafka 3.7: versions 0-3, flexible from 2. */
import type { ApiSchema } from '../protocol/schema.js'

export const createPartitions: ApiSchema = {
  apiKey: 37,
  name: 'CreatePartitions',
  request: {
    apiKey: 37,
    name: 'CreatePartitionsRequest',
    type: 'request',
    validVersions: '0-3',
    flexibleVersions: '2+',
    fields: [
      {
        name: 'Topics', type: '[]CreatePartitionsTopic', versions: '0+', fields: [
          { name: 'Name', type: 'string', versions: '0+' },
          { name: 'Count', type: 'int32', versions: '0+' },
          {
            name: 'Assignments', type: '[]CreatePartitionsAssignment', versions: '0+', nullableVersions: '0+', fields: [
              { name: 'BrokerIds', type: '[]int32', versions: '0+' },
            ],
          },
        ],
      },
      { name: 'TimeoutMs', type: 'int32', versions: '0+' },
      { name: 'ValidateOnly', type: 'bool', versions: '0+' },
    ],
  },
  response: {
    apiKey: 37,
    name: 'CreatePartitionsResponse',
    type: 'response',
    validVersions: '0-3',
    flexibleVersions: '2+',
    fields: [
      { name: 'ThrottleTimeMs', type: 'int32', versions: '0+' },
      {
        name: 'Results', type: '[]CreatePartitionsTopicResult', versions: '0+', fields: [
          { name: 'Name', type: 'string', versions: '0+' },
          { name: 'ErrorCode', type: 'int16', versions: '0+' },
          { name: 'ErrorMessage', type: 'string', versions: '0+', nullableVersions: '0+', default: 'null' },
        ],
      },
    ],
  },
}
