/**
 * Heartbeat (API key 12), transcribed from Apache Kafka 3.7's HeartbeatRequest.json and
 * HeartbeatResponse.json. v1 adds the throttle time; v3 the group instance id (KIP-345);
 * v4 is flexible.
 */
import type { ApiSchema } from '../protocol/schema.js'

export const heartbeat: ApiSchema = {
  apiKey: 12,
  name: 'Heartbeat',
  request: {
    apiKey: 12,
    name: 'HeartbeatRequest',
    type: 'request',
    validVersions: '0-4',
    flexibleVersions: '4+',
    fields: [
      { name: 'GroupId', type: 'string', versions: '0+' },
      { name: 'GenerationId', type: 'int32', versions: '0+' },
      { name: 'MemberId', type: 'string', versions: '0+' },
      { name: 'GroupInstanceId', type: 'string', versions: '3+', nullableVersions: '3+', default: 'null' },
    ],
  },
  response: {
    apiKey: 12,
    name: 'HeartbeatResponse',
    type: 'response',
    validVersions: '0-4',
    flexibleVersions: '4+',
    fields: [
      { name: 'ThrottleTimeMs', type: 'int32', versions: '1+', ignorable: true },
      { name: 'ErrorCode', type: 'int16', versions: '0+' },
    ],
  },
}
