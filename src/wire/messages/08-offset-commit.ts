/**
 * OffsetCommit (API key 8), transcribed from Apache Kafka 3.7's OffsetCommitRequest.json and
 * OffsetCommitResponse.json. v1 adds the generation, member id and a per-partition commit
 * timestamp; v2 replaces the timestamp with a request-wide retention time, which v5 removes
 * again; v3 adds the throttle time; v6 the committed leader epoch; v7 the group instance id
 * (KIP-345); v8 is flexible; v9 (KIP-848, the first usable with consumer groups of the new
 * protocol) is the same as v8.
 */
import type { ApiSchema } from '../protocol/schema.js'

export const offsetCommit: ApiSchema = {
  apiKey: 8,
  name: 'OffsetCommit',
  request: {
    apiKey: 8,
    name: 'OffsetCommitRequest',
    type: 'request',
    validVersions: '0-9',
    flexibleVersions: '8+',
    fields: [
      { name: 'GroupId', type: 'string', versions: '0+' },
      { name: 'GenerationId', type: 'int32', versions: '1+', default: '-1', ignorable: true },
      { name: 'MemberId', type: 'string', versions: '1+', ignorable: true },
      { name: 'GroupInstanceId', type: 'string', versions: '7+', nullableVersions: '7+', default: 'null' },
      { name: 'RetentionTimeMs', type: 'int64', versions: '2-4', default: '-1', ignorable: true },
      {
        name: 'Topics',
        type: '[]OffsetCommitRequestTopic',
        versions: '0+',
        fields: [
          { name: 'Name', type: 'string', versions: '0+' },
          {
            name: 'Partitions',
            type: '[]OffsetCommitRequestPartition',
            versions: '0+',
            fields: [
              { name: 'PartitionIndex', type: 'int32', versions: '0+' },
              { name: 'CommittedOffset', type: 'int64', versions: '0+' },
              { name: 'CommittedLeaderEpoch', type: 'int32', versions: '6+', default: '-1', ignorable: true },
              { name: 'CommitTimestamp', type: 'int64', versions: '1', default: '-1' },
              { name: 'CommittedMetadata', type: 'string', versions: '0+', nullableVersions: '0+' },
            ],
          },
        ],
      },
    ],
  },
  response: {
    apiKey: 8,
    name: 'OffsetCommitResponse',
    type: 'response',
    validVersions: '0-9',
    flexibleVersions: '8+',
    fields: [
      { name: 'ThrottleTimeMs', type: 'int32', versions: '3+', ignorable: true },
      {
        name: 'Topics',
        type: '[]OffsetCommitResponseTopic',
        versions: '0+',
        fields: [
          { name: 'Name', type: 'string', versions: '0+' },
          {
            name: 'Partitions',
            type: '[]OffsetCommitResponsePartition',
            versions: '0+',
            fields: [
              { name: 'PartitionIndex', type: 'int32', versions: '0+' },
              { name: 'ErrorCode', type: 'int16', versions: '0+' },
            ],
          },
        ],
      },
    ],
  },
}
