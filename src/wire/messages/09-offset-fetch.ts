/**
 * OffsetFetch (API key 9), transcribed from Apache Kafka 3.7's OffsetFetchRequest.json and
 * OffsetFetchResponse.json. v0 read ZooKeeper-stored offsets in old brokers (3.7 answers it from
 * the group coordinator like v1); v2 allows null topics (every committed partition) and adds a
 * top-level error code; v3 the throttle time; v5 the committed leader epoch; v6 is flexible;
 * v7 adds RequireStable (KIP-447); v8 batches several groups (KIP-709); v9 adds the member id
 * and epoch of a KIP-848 consumer group member.
 */
import type { ApiSchema } from '../protocol/schema.js'

export const offsetFetch: ApiSchema = {
  apiKey: 9,
  name: 'OffsetFetch',
  request: {
    apiKey: 9,
    name: 'OffsetFetchRequest',
    type: 'request',
    validVersions: '0-9',
    flexibleVersions: '6+',
    fields: [
      { name: 'GroupId', type: 'string', versions: '0-7' },
      {
        name: 'Topics',
        type: '[]OffsetFetchRequestTopic',
        versions: '0-7',
        nullableVersions: '2-7',
        fields: [
          { name: 'Name', type: 'string', versions: '0-7' },
          { name: 'PartitionIndexes', type: '[]int32', versions: '0-7' },
        ],
      },
      {
        name: 'Groups',
        type: '[]OffsetFetchRequestGroup',
        versions: '8+',
        fields: [
          // Kafka's JSON spells this one field in lower camel case already.
          { name: 'groupId', type: 'string', versions: '8+' },
          { name: 'MemberId', type: 'string', versions: '9+', nullableVersions: '9+', default: 'null', ignorable: true },
          { name: 'MemberEpoch', type: 'int32', versions: '9+', default: '-1', ignorable: true },
          {
            name: 'Topics',
            type: '[]OffsetFetchRequestTopics',
            versions: '8+',
            nullableVersions: '8+',
            fields: [
              { name: 'Name', type: 'string', versions: '8+' },
              { name: 'PartitionIndexes', type: '[]int32', versions: '8+' },
            ],
          },
        ],
      },
      { name: 'RequireStable', type: 'bool', versions: '7+', default: false },
    ],
  },
  response: {
    apiKey: 9,
    name: 'OffsetFetchResponse',
    type: 'response',
    validVersions: '0-9',
    flexibleVersions: '6+',
    fields: [
      { name: 'ThrottleTimeMs', type: 'int32', versions: '3+', ignorable: true },
      {
        name: 'Topics',
        type: '[]OffsetFetchResponseTopic',
        versions: '0-7',
        fields: [
          { name: 'Name', type: 'string', versions: '0-7' },
          {
            name: 'Partitions',
            type: '[]OffsetFetchResponsePartition',
            versions: '0-7',
            fields: [
              { name: 'PartitionIndex', type: 'int32', versions: '0-7' },
              { name: 'CommittedOffset', type: 'int64', versions: '0-7' },
              { name: 'CommittedLeaderEpoch', type: 'int32', versions: '5-7', default: '-1', ignorable: true },
              { name: 'Metadata', type: 'string', versions: '0-7', nullableVersions: '0-7' },
              { name: 'ErrorCode', type: 'int16', versions: '0-7' },
            ],
          },
        ],
      },
      { name: 'ErrorCode', type: 'int16', versions: '2-7', default: '0', ignorable: true },
      {
        name: 'Groups',
        type: '[]OffsetFetchResponseGroup',
        versions: '8+',
        fields: [
          { name: 'groupId', type: 'string', versions: '8+' },
          {
            name: 'Topics',
            type: '[]OffsetFetchResponseTopics',
            versions: '8+',
            fields: [
              { name: 'Name', type: 'string', versions: '8+' },
              {
                name: 'Partitions',
                type: '[]OffsetFetchResponsePartitions',
                versions: '8+',
                fields: [
                  { name: 'PartitionIndex', type: 'int32', versions: '8+' },
                  { name: 'CommittedOffset', type: 'int64', versions: '8+' },
                  { name: 'CommittedLeaderEpoch', type: 'int32', versions: '8+', default: '-1', ignorable: true },
                  { name: 'Metadata', type: 'string', versions: '8+', nullableVersions: '8+' },
                  { name: 'ErrorCode', type: 'int16', versions: '8+' },
                ],
              },
            ],
          },
          { name: 'ErrorCode', type: 'int16', versions: '8+', default: '0', ignorable: true },
        ],
      },
    ],
  },
}
