/**
 * LeaveGroup (API key 13), transcribed from Apache Kafka 3.7's LeaveGroupRequest.json and
 * LeaveGroupResponse.json. v0-2 remove one member by id; v3 removes a batch of members, each
 * by member id or group instance id (KIP-345), and answers per member; v1 adds the throttle
 * time; v4 is flexible; v5 adds a reason per member (KIP-800).
 */
import type { ApiSchema } from '../protocol/schema.js'

export const leaveGroup: ApiSchema = {
  apiKey: 13,
  name: 'LeaveGroup',
  request: {
    apiKey: 13,
    name: 'LeaveGroupRequest',
    type: 'request',
    validVersions: '0-5',
    flexibleVersions: '4+',
    fields: [
      { name: 'GroupId', type: 'string', versions: '0+' },
      { name: 'MemberId', type: 'string', versions: '0-2' },
      {
        name: 'Members',
        type: '[]MemberIdentity',
        versions: '3+',
        fields: [
          { name: 'MemberId', type: 'string', versions: '3+' },
          { name: 'GroupInstanceId', type: 'string', versions: '3+', nullableVersions: '3+', default: 'null' },
          { name: 'Reason', type: 'string', versions: '5+', nullableVersions: '5+', default: 'null', ignorable: true },
        ],
      },
    ],
  },
  response: {
    apiKey: 13,
    name: 'LeaveGroupResponse',
    type: 'response',
    validVersions: '0-5',
    flexibleVersions: '4+',
    fields: [
      { name: 'ThrottleTimeMs', type: 'int32', versions: '1+', ignorable: true },
      { name: 'ErrorCode', type: 'int16', versions: '0+' },
      {
        name: 'Members',
        type: '[]MemberResponse',
        versions: '3+',
        fields: [
          { name: 'MemberId', type: 'string', versions: '3+' },
          { name: 'GroupInstanceId', type: 'string', versions: '3+', nullableVersions: '3+' },
          { name: 'ErrorCode', type: 'int16', versions: '3+' },
        ],
      },
    ],
  },
}
