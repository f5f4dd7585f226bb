/** DeleteTopics (API key 20), Kafka 3.7: versions 0-6, flexible from 4; v6 names topics by name or id. */
import type { ApiSchema } from '../protocol/schema.js'

export const deleteTopics: ApiSchema = {
  apiKey: 20,
  name: 'DeleteTopics',
  request: {
    apiKey: 20,
    name: 'DeleteTopicsRequest',
    type: 'request',
    validVersions: '0-6',
    flexibleVersions: '4+',
    fields: [
      {
        name: 'Topics', type: '[]DeleteTopicState', versions: '6+', fields: [
          { name: 'Name', type: 'string', versions: '6+', nullableVersions: '6+', default: 'null' },
          { name: 'TopicId', type: 'uuid', versions: '6+' },
        ],
      },
      { name: 'TopicNames', type: '[]string', versions: '0-5', ignorable: true },
      { name: 'TimeoutMs', type: 'int32', versions: '0+' },
    ],
  },
  response: {
    apiKey: 20,
    name: 'DeleteTopicsResponse',
    type: 'response',
    validVersions: '0-6',
    flexibleVersions: '4+',
    fields: [
      { name: 'ThrottleTimeMs', type: 'int32', versions: '1+', ignorable: true },
      {
        name: 'Responses', type: '[]DeletableTopicResult', versions: '0+', fields: [
          { name: 'Name', type: 'string', versions: '0+', nullableVersions: '6+' },
          { name: 'TopicId', type: 'uuid', versions: '6+', ignorable: true },
          { name: 'ErrorCode', type: 'int16', versions: '0+' },
          { name: 'ErrorMessage', type: 'string', versions: '5+', nullableVersions: '5+', ignorable: true, default: 'null' },
        ],
      },
    ],
  },
}
