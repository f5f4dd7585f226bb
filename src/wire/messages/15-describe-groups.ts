/**
 * DescribeGroups (API key 15), transcribed from Apache Kafka 3.7's DescribeGroupsRequest.json and
 * DescribeGroupsResponse.json. v1 adds the throttle time; v3 the authorized operations
 * (KIP-430); v4 the members' group instance ids (KIP-345); v5 is flexible.
 */
import type { ApiSchema } from '../protocol/schema.js'

export const describeGroups: ApiSchema = {
  apiKey: 15,
  name: 'DescribeGroups',
  request: {
    apiKey: 15,
    name: 'DescribeGroupsRequest',
    type: 'request',
    validVersions: '0-5',
    flexibleVersions: '5+',
    fields: [
      { name: 'Groups', type: '[]string', versions: '0+' },
      { name: 'IncludeAuthorizedOperations', type: 'bool', versions: '3+' },
    ],
  },
  response: {
    apiKey: 15,
    name: 'DescribeGroupsResponse',
    type: 'response',
    validVersions: '0-5',
    flexibleVersions: '5+',
    fields: [
      { name: 'ThrottleTimeMs', type: 'int32', versions: '1+', ignorable: true },
      {
        name: 'Groups',
        type: '[]DescribedGroup',
        versions: '0+',
        fields: [
          { name: 'ErrorCode', type: 'int16', versions: '0+' },
          { name: 'GroupId', type: 'string', versions: '0+' },
          { name: 'GroupState', type: 'string', versions: '0+' },
          { name: 'ProtocolType', type: 'string', versions: '0+' },
          { name: 'ProtocolData', type: 'string', versions: '0+' },
          {
            name: 'Members',
            type: '[]DescribedGroupMember',
            versions: '0+',
            fields: [
              { name: 'MemberId', type: 'string', versions: '0+' },
              { name: 'GroupInstanceId', type: 'string', versions: '4+', nullableVersions: '4+', default: 'null', ignorable: true },
              { name: 'ClientId', type: 'string', versions: '0+' },
              { name: 'ClientHost', type: 'string', versions: '0+' },
              { name: 'MemberMetadata', type: 'bytes', versions: '0+' },
              { name: 'MemberAssignment', type: 'bytes', versions: '0+' },
            ],
          },
          { name: 'AuthorizedOperations', type: 'int32', versions: '3+', default: '-2147483648' },
        ],
      },
    ],
  },
}
