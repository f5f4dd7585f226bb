/**
 * ListOffsets (API key 2), transcribed from Apache Kafka 3.7's ListOffsetsRequest.json and
 * ListOffsetsResponse.json. v0 answers a list of old-style offsets (MaxNumOffsets); v1 a single
 * offset and its timestamp; v2 adds the isolation level; v4 the leader epochs; v6 is flexible;
 * v7 allows the max-timestamp spec (-3, KIP-734); v8 the local log start spec (-4, KIP-405).
 */
import type { ApiSchema } from '../protocol/schema.js'

export const listOffsets: ApiSchema = {
  apiKey: 2,
  name: 'ListOffsets',
  request: {
    apiKey: 2,
    name: 'ListOffsetsRequest',
    type: 'request',
    validVersions: '0-8',
    flexibleVersions: '6+',
    fields: [
      { name: 'ReplicaId', type: 'int32', versions: '0+' },
      { name: 'IsolationLevel', type: 'int8', versions: '2+' },
      {
        name: 'Topics',
        type: '[]ListOffsetsTopic',
        versions: '0+',
        fields: [
          { name: 'Name', type: 'string', versions: '0+' },
          {
            name: 'Partitions',
            type: '[]ListOffsetsPartition',
            versions: '0+',
            fields: [
              { name: 'PartitionIndex', type: 'int32', versions: '0+' },
              { name: 'CurrentLeaderEpoch', type: 'int32', versions: '4+', default: '-1', ignorable: true },
              { name: 'Timestamp', type: 'int64', versions: '0+' },
              { name: 'MaxNumOffsets', type: 'int32', versions: '0', default: '1' },
            ],
          },
        ],
      },
    ],
  },
  response: {
    apiKey: 2,
    name: 'ListOffsetsResponse',
    type: 'response',
    validVersions: '0-8',
    flexibleVersions: '6+',
    fields: [
      { name: 'ThrottleTimeMs', type: 'int32', versions: '2+', ignorable: true },
      {
        name: 'Topics',
        type: '[]ListOffsetsTopicResponse',
        versions: '0+',
        fields: [
          { name: 'Name', type: 'string', versions: '0+' },
          {
            name: 'Partitions',
            type: '[]ListOffsetsPartitionResponse',
            versions: '0+',
            fields: [
              { name: 'PartitionIndex', type: 'int32', versions: '0+' },
              { name: 'ErrorCode', type: 'int16', versions: '0+' },
              { name: 'OldStyleOffsets', type: '[]int64', versions: '0' },
              { name: 'Timestamp', type: 'int64', versions: '1+', default: '-1' },
              { name: 'Offset', type: 'int64', versions: '1+', default: '-1' },
              { name: 'LeaderEpoch', type: 'int32', versions: '4+', default: '-1' },
            ],
          },
        ],
      },
    ],
  },
}
