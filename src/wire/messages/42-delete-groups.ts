/** DeleteGroups (API key 42), Kafka 3.7: versions 0-2, flexible from 2. */
import type { ApiSchema } from '../protocol/schema.js'

export const deleteGroups: ApiSchema = {
  apiKey: 42,
  name: 'DeleteGroups',
  request: {
    apiKey: 42,
    name: 'DeleteGroupsRequest',
    type: 'request',
    validVersions: '0-2',
    flexibleVersions: '2+',
    fields: [{ name: 'GroupsNames', type: '[]string', versions: '0+' }],
  },
  response: {
    apiKey: 42,
    name: 'DeleteGroupsResponse',
    type: 'response',
    validVersions: '0-2',
    flexibleVersions: '2+',
    fields: [
      { name: 'ThrottleTimeMs', type: 'int32', versions: '0+' },
      {
        name: 'Results', type: '[]DeletableGroupResult', versions: '0+', fields: [
          { name: 'GroupId', type: 'string', versions: '0+' },
          { name: 'ErrorCode', type: 'int16', versions: '0+' },
        ],
      },
    ],
  },
}
