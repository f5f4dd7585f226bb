/**
 * OffsetForLeaderEpoch (API key 23), transcribed from Apache Kafka 3.7's
 * OffsetForLeaderEpochRequest.json and OffsetForLeaderEpochResponse.json (4.0 dropped v0-1;
 * 3.7 still serves them). v1 answers the leader epoch of the end offset; v2 adds the current
 * leader epoch for fencing (KIP-320) and the throttle time; v3 the replica id (-1 consumer,
 * -2 debug); v4 is flexible.
 */
import type { ApiSchema } from '../protocol/schema.js'

export const offsetForLeaderEpoch: ApiSchema = {
  apiKey: 23,
  name: 'OffsetForLeaderEpoch',
  request: {
    apiKey: 23,
    name: 'OffsetForLeaderEpochRequest',
    type: 'request',
    validVersions: '0-4',
    flexibleVersions: '4+',
    fields: [
      { name: 'ReplicaId', type: 'int32', versions: '3+', default: '-2', ignorable: true },
      {
        name: 'Topics',
        type: '[]OffsetForLeaderTopic',
        versions: '0+',
        fields: [
          { name: 'Topic', type: 'string', versions: '0+' },
          {
            name: 'Partitions',
            type: '[]OffsetForLeaderPartition',
            versions: '0+',
            fields: [
              { name: 'Partition', type: 'int32', versions: '0+' },
              { name: 'CurrentLeaderEpoch', type: 'int32', versions: '2+', default: '-1', ignorable: true },
              { name: 'LeaderEpoch', type: 'int32', versions: '0+' },
            ],
          },
        ],
      },
    ],
  },
  response: {
    apiKey: 23,
    name: 'OffsetForLeaderEpochResponse',
    type: 'response',
    validVersions: '0-4',
    flexibleVersions: '4+',
    fields: [
      { name: 'ThrottleTimeMs', type: 'int32', versions: '2+', ignorable: true },
      {
        name: 'Topics',
        type: '[]OffsetForLeaderTopicResult',
        versions: '0+',
        fields: [
          { name: 'Topic', type: 'string', versions: '0+' },
          {
            name: 'Partitions',
            type: '[]OffsetForLeaderPartitionResult',
            versions: '0+',
            fields: [
              { name: 'ErrorCode', type: 'int16', versions: '0+' },
              { name: 'Partition', type: 'int32', versions: '0+' },
              { name: 'LeaderEpoch', type: 'int32', versions: '1+', default: '-1', ignorable: true },
              { name: 'EndOffset', type: 'int64', versions: '0+' },
            ],
          },
        ],
      },
    ],
  },
}
