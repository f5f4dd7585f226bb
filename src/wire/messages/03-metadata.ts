/**
 * Metadata (key 3), versions 0-12 as Kafka 3.7 defines them (MetadataRequest.json /
 * MetadataResponse.json). In v0 an empty topic list means "all topics"; from v1 that is a null
 * list. v4 adds AllowAutoTopicCreation, v8 the authorized operations, v9 is the first
 * flexible version, v10 adds topic ids, v11 drops ClusterAuthorizedOperations (KIP-700), and
 * v12 lets a topic be asked for by id with a null name.
 */
import type { ApiSchema } from '../protocol/schema.js'

export const metadata: ApiSchema = {
  apiKey: 3,
  name: 'Metadata',
  request: {
    apiKey: 3,
    name: 'MetadataRequest',
    type: 'request',
    validVersions: '0-12',
    flexibleVersions: '9+',
    fields: [
      {
        name: 'Topics',
        type: '[]MetadataRequestTopic',
        versions: '0+',
        nullableVersions: '1+',
        fields: [
          { name: 'TopicId', type: 'uuid', versions: '10+', ignorable: true },
          { name: 'Name', type: 'string', versions: '0+', nullableVersions: '10+' },
        ],
      },
      { name: 'AllowAutoTopicCreation', type: 'bool', versions: '4+', default: 'true', ignorable: false },
      { name: 'IncludeClusterAuthorizedOperations', type: 'bool', versions: '8-10' },
      { name: 'IncludeTopicAuthorizedOperations', type: 'bool', versions: '8+' },
    ],
  },
  response: {
    apiKey: 3,
    name: 'MetadataResponse',
    type: 'response',
    validVersions: '0-12',
    flexibleVersions: '9+',
    fields: [
      { name: 'ThrottleTimeMs', type: 'int32', versions: '3+', ignorable: true },
      {
        name: 'Brokers',
        type: '[]MetadataResponseBroker',
        versions: '0+',
        fields: [
          { name: 'NodeId', type: 'int32', versions: '0+' },
          { name: 'Host', type: 'string', versions: '0+' },
          { name: 'Port', type: 'int32', versions: '0+' },
          { name: 'Rack', type: 'string', versions: '1+', nullableVersions: '1+', default: 'null', ignorable: true },
        ],
      },
      { name: 'ClusterId', type: 'string', versions: '2+', nullableVersions: '2+', default: 'null', ignorable: true },
      { name: 'ControllerId', type: 'int32', versions: '1+', default: '-1', ignorable: true },
      {
        name: 'Topics',
        type: '[]MetadataResponseTopic',
        versions: '0+',
        fields: [
          { name: 'ErrorCode', type: 'int16', versions: '0+' },
          { name: 'Name', type: 'string', versions: '0+', nullableVersions: '12+' },
          { name: 'TopicId', type: 'uuid', versions: '10+', ignorable: true },
          { name: 'IsInternal', type: 'bool', versions: '1+', default: 'false', ignorable: true },
          {
            name: 'Partitions',
            type: '[]MetadataResponsePartition',
            versions: '0+',
            fields: [
              { name: 'ErrorCode', type: 'int16', versions: '0+' },
              { name: 'PartitionIndex', type: 'int32', versions: '0+' },
              { name: 'LeaderId', type: 'int32', versions: '0+' },
              { name: 'LeaderEpoch', type: 'int32', versions: '7+', default: '-1', ignorable: true },
              { name: 'ReplicaNodes', type: '[]int32', versions: '0+' },
              { name: 'IsrNodes', type: '[]int32', versions: '0+' },
              { name: 'OfflineReplicas', type: '[]int32', versions: '5+', ignorable: true },
            ],
          },
          { name: 'TopicAuthorizedOperations', type: 'int32', versions: '8+', default: '-2147483648' },
        ],
      },
      { name: 'ClusterAuthorizedOperations', type: 'int32', versions: '8-10', default: '-2147483648' },
    ],
  },
}
