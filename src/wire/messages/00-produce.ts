/**
 * Produce (key 0), versions 0-10 as Kafka 3.7 defines them (ProduceRequest.json /
 * ProduceResponse.json). v0-2 carry legacy message sets (magic 0/1) in Records, v3+ record
 * batches (magic 2) and the transactional id; v9 is the first flexible version; v10 adds the
 * KIP-951 leader hints (CurrentLeader, NodeEndpoints) as tagged fields.
 */
import type { ApiSchema } from '../protocol/schema.js'

export const produce: ApiSchema = {
  apiKey: 0,
  name: 'Produce',
  request: {
    apiKey: 0,
    name: 'ProduceRequest',
    type: 'request',
    validVersions: '0-10',
    flexibleVersions: '9+',
    fields: [
      { name: 'TransactionalId', type: 'string', versions: '3+', nullableVersions: '3+', default: 'null' },
      { name: 'Acks', type: 'int16', versions: '0+' },
      { name: 'TimeoutMs', type: 'int32', versions: '0+' },
      {
        name: 'TopicData',
        type: '[]TopicProduceData',
        versions: '0+',
        fields: [
          { name: 'Name', type: 'string', versions: '0+' },
          {
            name: 'PartitionData',
            type: '[]PartitionProduceData',
            versions: '0+',
            fields: [
              { name: 'Index', type: 'int32', versions: '0+' },
              { name: 'Records', type: 'records', versions: '0+', nullableVersions: '0+' },
            ],
          },
        ],
      },
    ],
  },
  response: {
    apiKey: 0,
    name: 'ProduceResponse',
    type: 'response',
    validVersions: '0-10',
    flexibleVersions: '9+',
    fields: [
      {
        name: 'Responses',
        type: '[]TopicProduceResponse',
        versions: '0+',
        fields: [
          { name: 'Name', type: 'string', versions: '0+' },
          {
            name: 'PartitionResponses',
            type: '[]PartitionProduceResponse',
            versions: '0+',
            fields: [
              { name: 'Index', type: 'int32', versions: '0+' },
              { name: 'ErrorCode', type: 'int16', versions: '0+' },
              { name: 'BaseOffset', type: 'int64', versions: '0+' },
              { name: 'LogAppendTimeMs', type: 'int64', versions: '2+', default: '-1', ignorable: true },
              { name: 'LogStartOffset', type: 'int64', versions: '5+', default: '-1', ignorable: true },
              {
                name: 'RecordErrors',
                type: '[]BatchIndexAndErrorMessage',
                versions: '8+',
                ignorable: true,
                fields: [
                  { name: 'BatchIndex', type: 'int32', versions: '8+' },
                  { name: 'BatchIndexErrorMessage', type: 'string', versions: '8+', nullableVersions: '8+', default: 'null' },
                ],
              },
              { name: 'ErrorMessage', type: 'string', versions: '8+', nullableVersions: '8+', default: 'null', ignorable: true },
              {
                name: 'CurrentLeader',
                type: 'LeaderIdAndEpoch',
                versions: '10+',
                taggedVersions: '10+',
                tag: 0,
                fields: [
                  { name: 'LeaderId', type: 'int32', versions: '10+', default: '-1' },
                  { name: 'LeaderEpoch', type: 'int32', versions: '10+', default: '-1' },
                ],
              },
            ],
          },
        ],
      },
      { name: 'ThrottleTimeMs', type: 'int32', versions: '1+', default: '0', ignorable: true },
      {
        name: 'NodeEndpoints',
        type: '[]NodeEndpoint',
        versions: '10+',
        taggedVersions: '10+',
        tag: 0,
        fields: [
          { name: 'NodeId', type: 'int32', versions: '10+' },
          { name: 'Host', type: 'string', versions: '10+' },
          { name: 'Port', type: 'int32', versions: '10+' },
          { name: 'Rack', type: 'string', versions: '10+', nullableVersions: '10+', default: 'null' },
        ],
      },
    ],
  },
}
