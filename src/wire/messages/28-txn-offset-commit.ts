/**
 * TxnOffsetCommit (API key 28), Kafka 3.7: versions 0-3, flexible from 3. v2 adds the committed
 * leader epoch; v3 (KIP-447) the consumer's generation, member id and group instance id.
 */
import type { ApiSchema } from '../protocol/schema.js'

export const txnOffsetCommit: ApiSchema = {
  apiKey: 28,
  name: 'TxnOffsetCommit',
  request: {
    apiKey: 28,
    name: 'TxnOffsetCommitRequest',
    type: 'request',
    validVersions: '0-3',
    flexibleVersions: '3+',
    fields: [
      { name: 'TransactionalId', type: 'string', versions: '0+' },
      { name: 'GroupId', type: 'string', versions: '0+' },
      { name: 'ProducerId', type: 'int64', versions: '0+' },
      { name: 'ProducerEpoch', type: 'int16', versions: '0+' },
      { name: 'GenerationId', type: 'int32', versions: '3+', default: '-1' },
      { name: 'MemberId', type: 'string', versions: '3+', default: '' },
      { name: 'GroupInstanceId', type: 'string', versions: '3+', nullableVersions: '3+', default: 'null' },
      {
        name: 'Topics', type: '[]TxnOffsetCommitRequestTopic', versions: '0+', fields: [
          { name: 'Name', type: 'string', versions: '0+' },
          {
            name: 'Partitions', type: '[]TxnOffsetCommitRequestPartition', versions: '0+', fields: [
              { name: 'PartitionIndex', type: 'int32', versions: '0+' },
              { name: 'CommittedOffset', type: 'int64', versions: '0+' },
              { name: 'CommittedLeaderEpoch', type: 'int32', versions: '2+', default: '-1', ignorable: true },
              { name: 'CommittedMetadata', type: 'string', versions: '0+', nullableVersions: '0+' },
            ],
          },
        ],
      },
    ],
  },
  response: {
    apiKey: 28,
    name: 'TxnOffsetCommitResponse',
    type: 'response',
    validVersions: '0-3',
    flexibleVersions: '3+',
    fields: [
      { name: 'ThrottleTimeMs', type: 'int32', versions: '0+' },
      {
        name: 'Topics', type: '[]TxnOffsetCommitResponseTopic', versions: '0+', fields: [
          { name: 'Name', type: 'string', versions: '0+' },
          {
            name: 'Partitions', type: '[]TxnOffsetCommitResponsePartition', versions: '0+', fields: [
              { name: 'PartitionIndex', type: 'int32', versions: '0+' },
              { name: 'ErrorCode', type: 'int16', versions: '0+' },
            ],
          },
        ],
      },
    ],
  },
}
