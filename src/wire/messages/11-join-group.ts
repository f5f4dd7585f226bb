/**
 * JoinGroup (API key 11), transcribed from Apache Kafka 3.7's JoinGroupRequest.json and
 * JoinGroupResponse.json. v1 adds the rebalance timeout; v2 the throttle time; v4 makes a new
 * dynamic member join twice (MEMBER_ID_REQUIRED, KIP-394); v5 adds the group instance id
 * (static membership, KIP-345); v6 is flexible; v7 answers the protocol type and makes the
 * protocol name nullable (KIP-559); v8 adds the join reason (KIP-800); v9 the leader's
 * SkipAssignment (KIP-814, never set by a classic coordinator).
 */
import type { ApiSchema } from '../protocol/schema.js'

export const joinGroup: ApiSchema = {
  apiKey: 11,
  name: 'JoinGroup',
  request: {
    apiKey: 11,
    name: 'JoinGroupRequest',
    type: 'request',
    validVersions: '0-9',
    flexibleVersions: '6+',
    fields: [
      { name: 'GroupId', type: 'string', versions: '0+' },
      { name: 'SessionTimeoutMs', type: 'int32', versions: '0+' },
      { name: 'RebalanceTimeoutMs', type: 'int32', versions: '1+', default: '-1', ignorable: true },
      { name: 'MemberId', type: 'string', versions: '0+' },
      { name: 'GroupInstanceId', type: 'string', versions: '5+', nullableVersions: '5+', default: 'null' },
      { name: 'ProtocolType', type: 'string', versions: '0+' },
      {
        name: 'Protocols',
        type: '[]JoinGroupRequestProtocol',
        versions: '0+',
        fields: [
          { name: 'Name', type: 'string', versions: '0+' },
          { name: 'Metadata', type: 'bytes', versions: '0+' },
        ],
      },
      { name: 'Reason', type: 'string', versions: '8+', nullableVersions: '8+', default: 'null', ignorable: true },
    ],
  },
  response: {
    apiKey: 11,
    name: 'JoinGroupResponse',
    type: 'response',
    validVersions: '0-9',
    flexibleVersions: '6+',
    fields: [
      { name: 'ThrottleTimeMs', type: 'int32', versions: '2+', ignorable: true },
      { name: 'ErrorCode', type: 'int16', versions: '0+' },
      { name: 'GenerationId', type: 'int32', versions: '0+', default: '-1' },
      { name: 'ProtocolType', type: 'string', versions: '7+', nullableVersions: '7+', default: 'null', ignorable: true },
      { name: 'ProtocolName', type: 'string', versions: '0+', nullableVersions: '7+' },
      { name: 'Leader', type: 'string', versions: '0+' },
      { name: 'SkipAssignment', type: 'bool', versions: '9+', default: false },
      { name: 'MemberId', type: 'string', versions: '0+' },
      {
        name: 'Members',
        type: '[]JoinGroupResponseMember',
        versions: '0+',
        fields: [
          { name: 'MemberId', type: 'string', versions: '0+' },
          { name: 'GroupInstanceId', type: 'string', versions: '5+', nullableVersions: '5+', default: 'null', ignorable: true },
          { name: 'Metadata', type: 'bytes', versions: '0+' },
        ],
      },
    ],
  },
}
