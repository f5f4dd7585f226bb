/**
 * ListGroups (API key 16), transcribed from Apache Kafka 3.7's ListGroupsRequest.json and
 * ListGroupsResponse.json. v1 adds the throttle time; v3 is flexible; v4 filters by state and
 * answers each group's state (KIP-518).
 */
import type { ApiSchema } from '../protocol/schema.js'

export const listGroups: ApiSchema = {
  apiKey: 16,
  name: 'ListGroups',
  request: {
    apiKey: 16,
    name: 'ListGroupsRequest',
    type: 'request',
    validVersions: '0-4',
    flexibleVersions: '3+',
    fields: [{ name: 'StatesFilter', type: '[]string', versions: '4+' }],
  },
  response: {
    apiKey: 16,
    name: 'ListGroupsResponse',
    type: 'response',
    validVersions: '0-4',
    flexibleVersions: '3+',
    fields: [
      { name: 'ThrottleTimeMs', type: 'int32', versions: '1+', ignorable: true },
      { name: 'ErrorCode', type: 'int16', versions: '0+' },
      {
        name: 'Groups',
        type: '[]ListedGroup',
        versions: '0+',
        fields: [
          { name: 'GroupId', type: 'string', versions: '0+' },
          { name: 'ProtocolType', type: 'string', versions: '0+' },
          { name: 'GroupState', type: 'string', versions: '4+', ignorable: true },
        ],
      },
    ],
  },
}
