/**
 * AddPartitionsToTxn (API key 24), Kafka 3.7: versions 0-4, flexible from 3. v4 (KIP-890) batches
 * several transactions in one request and is what brokers send each other to verify a
 * transaction; clients send 0-3. Kafka's commonStructs are written inline here.
 */
import type { ApiSchema, FieldSpec } from '../protocol/schema.js'

const topicFields: readonly FieldSpec[] = [
  { name: 'Name', type: 'string', versions: '0+' },
  { name: 'Partitions', type: '[]int32', versions: '0+' },
]
const topicResultFields: readonly FieldSpec[] = [
  { name: 'Name', type: 'string', versions: '0+' },
  {
    name: 'ResultsByPartition', type: '[]AddPartitionsToTxnPartitionResult', versions: '0+', fields: [
      { name: 'PartitionIndex', type: 'int32', versions: '0+' },
      { name: 'PartitionErrorCode', type: 'int16', versions: '0+' },
    ],
  },
]

export const addPartitionsToTxn: ApiSchema = {
  apiKey: 24,
  name: 'AddPartitionsToTxn',
  request: {
    apiKey: 24,
    name: 'AddPartitionsToTxnRequest',
    type: 'request',
    validVersions: '0-4',
    flexibleVersions: '3+',
    fields: [
      {
        name: 'Transactions', type: '[]AddPartitionsToTxnTransaction', versions: '4+', fields: [
          { name: 'TransactionalId', type: 'string', versions: '4+' },
          { name: 'ProducerId', type: 'int64', versions: '4+' },
          { name: 'ProducerEpoch', type: 'int16', versions: '4+' },
          { name: 'VerifyOnly', type: 'bool', versions: '4+', default: false },
          { name: 'Topics', type: '[]AddPartitionsToTxnTopic', versions: '4+', fields: topicFields },
        ],
      },
      { name: 'V3AndBelowTransactionalId', type: 'string', versions: '0-3' },
      { name: 'V3AndBelowProducerId', type: 'int64', versions: '0-3' },
      { name: 'V3AndBelowProducerEpoch', type: 'int16', versions: '0-3' },
      { name: 'V3AndBelowTopics', type: '[]AddPartitionsToTxnTopic', versions: '0-3', fields: topicFields },
    ],
  },
  response: {
    apiKey: 24,
    name: 'AddPartitionsToTxnResponse',
    type: 'response',
    validVersions: '0-4',
    flexibleVersions: '3+',
    fields: [
      { name: 'ThrottleTimeMs', type: 'int32', versions: '0+' },
      { name: 'ErrorCode', type: 'int16', versions: '4+', ignorable: true },
      {
        name: 'ResultsByTransaction', type: '[]AddPartitionsToTxnResult', versions: '4+', fields: [
          { name: 'TransactionalId', type: 'string', versions: '4+' },
          { name: 'TopicResults', type: '[]AddPartitionsToTxnTopicResult', versions: '4+', fields: topicResultFields },
        ],
      },
      { name: 'ResultsByTopicV3AndBelow', type: '[]AddPartitionsToTxnTopicResult', versions: '0-3', fields: topicResultFields },
    ],
  },
}
