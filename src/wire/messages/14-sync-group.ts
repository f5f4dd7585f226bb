/**
 * SyncGroup (API key 14), transcribed from Apache Kafka 3.7's SyncGroupRequest.json and
 * SyncGroupResponse.json. v1 adds the throttle time; v3 the group instance id (KIP-345);
 * v4 is flexible; v5 carries the protocol type and name both ways (KIP-559).
 */
import type { ApiSchema } from '../protocol/schema.js'

export const syncGroup: ApiSchema = {
  apiKey: 14,
  name: 'SyncGroup',
  request: {
    apiKey: 14,
    name: 'SyncGroupRequest',
    type: 'request',
    validVersions: '0-5',
    flexibleVersions: '4+',
    fields: [
      { name: 'GroupId', type: 'string', versions: '0+' },
      { name: 'GenerationId', type: 'int32', versions: '0+' },
      { name: 'MemberId', type: 'string', versions: '0+' },
      { name: 'GroupInstanceId', type: 'string', versions: '3+', nullableVersions: '3+', default: 'null' },
      { name: 'ProtocolType', type: 'string', versions: '5+', nullableVersions: '5+', default: 'null', ignorable: true },
      { name: 'ProtocolName', type: 'string', versions: '5+', nullableVersions: '5+', default: 'null', ignorable: true },
      {
        name: 'Assignments',
        type: '[]SyncGroupRequestAssignment',
        versions: '0+',
        fields: [
          { name: 'MemberId', type: 'string', versions: '0+' },
          { name: 'Assignment', type: 'bytes', versions: '0+' },
        ],
      },
    ],
  },
  response: {
    apiKey: 14,
    name: 'SyncGroupResponse',
    type: 'response',
    validVersions: '0-5',
    flexibleVersions: '4+',
    fields: [
      { name: 'ThrottleTimeMs', type: 'int32', versions: '1+', ignorable: true },
      { name: 'ErrorCode', type: 'int16', versions: '0+' },
      { name: 'ProtocolType', type: 'string', versions: '5+', nullableVersions: '5+', default: 'null', ignorable: true },
      { name: 'ProtocolName', type: 'string', versions: '5+', nullableVersions: '5+', default: 'null', ignorable: true },
      { name: 'Assignment', type: 'bytes', versions: '0+' },
    ],
  },
}
