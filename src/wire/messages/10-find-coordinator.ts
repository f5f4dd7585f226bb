/**
 * FindCoordinator (API key 10), transcribed from Apache Kafka 3.7's FindCoordinatorRequest.json
 * and FindCoordinatorResponse.json. v1 adds the key type (0 group, 1 transaction), the throttle
 * time and an error message; v3 is flexible; v4 batches several keys (KIP-699) and answers one
 * coordinator per key.
 */
import type { ApiSchema } from '../protocol/schema.js'

export const findCoordinator: ApiSchema = {
  apiKey: 10,
  name: 'FindCoordinator',
  request: {
    apiKey: 10,
    name: 'FindCoordinatorRequest',
    type: 'request',
    validVersions: '0-4',
    flexibleVersions: '3+',
    fields: [
      { name: 'Key', type: 'string', versions: '0-3' },
      { name: 'KeyType', type: 'int8', versions: '1+', default: '0' },
      { name: 'CoordinatorKeys', type: '[]string', versions: '4+' },
    ],
  },
  response: {
    apiKey: 10,
    name: 'FindCoordinatorResponse',
    type: 'response',
    validVersions: '0-4',
    flexibleVersions: '3+',
    fields: [
      { name: 'ThrottleTimeMs', type: 'int32', versions: '1+', ignorable: true },
      { name: 'ErrorCode', type: 'int16', versions: '0-3' },
      { name: 'ErrorMessage', type: 'string', versions: '1-3', nullableVersions: '1-3', ignorable: true },
      { name: 'NodeId', type: 'int32', versions: '0-3' },
      { name: 'Host', type: 'string', versions: '0-3' },
      { name: 'Port', type: 'int32', versions: '0-3' },
      {
        name: 'Coordinators',
        type: '[]Coordinator',
        versions: '4+',
        fields: [
          { name: 'Key', type: 'string', versions: '4+' },
          { name: 'NodeId', type: 'int32', versions: '4+' },
          { name: 'Host', type: 'string', versions: '4+' },
          { name: 'Port', type: 'int32', versions: '4+' },
          { name: 'ErrorCode', type: 'int16', versions: '4+' },
          { name: 'ErrorMessage', type: 'string', versions: '4+', nullableVersions: '4+', ignorable: true },
        ],
      },
    ],
  },
}
