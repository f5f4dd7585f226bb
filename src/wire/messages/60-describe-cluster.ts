/** DescribeCluster (API key 60, KIP-700), Kafka 3.7: versions 0-1, always flexible; v1 adds the endpoint type. */
import type { ApiSchema } from '../protocol/schema.js'

export const describeCluster: ApiSchema = {
  apiKey: 60,
  name: 'DescribeCluster',
  request: {
    apiKey: 60,
    name: 'DescribeClusterRequest',
    type: 'request',
    validVersions: '0-1',
    flexibleVersions: '0+',
    fields: [
      { name: 'IncludeClusterAuthorizedOperations', type: 'bool', versions: '0+' },
      { name: 'EndpointType', type: 'int8', versions: '1+', default: '1' },
    ],
  },
  response: {
    apiKey: 60,
    name: 'DescribeClusterResponse',
    type: 'response',
    validVersions: '0-1',
    flexibleVersions: '0+',
    fields: [
      { name: 'ThrottleTimeMs', type: 'int32', versions: '0+' },
      { name: 'ErrorCode', type: 'int16', versions: '0+' },
      { name: 'ErrorMessage', type: 'string', versions: '0+', nullableVersions: '0+', default: 'null' },
      { name: 'EndpointType', type: 'int8', versions: '1+', default: '1' },
      { name: 'ClusterId', type: 'string', versions: '0+' },
      { name: 'ControllerId', type: 'int32', versions: '0+', default: '-1' },
      {
        name: 'Brokers', type: '[]DescribeClusterBroker', versions: '0+', fields: [
          { name: 'BrokerId', type: 'int32', versions: '0+' },
          { name: 'Host', type: 'string', versions: '0+' },
          { name: 'Port', type: 'int32', versions: '0+' },
          { name: 'Rack', type: 'string', versions: '0+', nullableVersions: '0+', default: 'null' },
        ],
      },
      { name: 'ClusterAuthorizedOperations', type: 'int32', versions: '0+', default: '-2147483648' },
    ],
  },
}
