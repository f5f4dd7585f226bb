/**
 * The response a broker would give to a request if every part of it failed with one error:
 * what a fault injected at the request boundary (cluster.intercept) answers with.
 */
import { ZERO_UUID, type ApiName, type RequestOf, type ResponseOf } from './messages.js'

export function errorResponse<K extends ApiName>(request: RequestOf<K> & { readonly api: K }, errorCode: number, errorMessage: string | null = null): ResponseOf<K> {
  const r = request as RequestOf<ApiName>
  const build = (): unknown => {
    switch (r.api) {
      case 'Produce':
        return { topics: r.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ index: p.index, errorCode, errorMessage: errorMessage ?? undefined, baseOffset: -1, logAppendTime: -1, logStartOffset: -1 })) })) }
      case 'Fetch':
        return {
          errorCode: 0,
          topics: r.topics.map((t) => ({
            name: t.name,
            topicId: t.topicId ?? ZERO_UUID,
            partitions: t.partitions.map((p) => ({ index: p.index, errorCode, highWatermark: -1, lastStableOffset: -1, logStartOffset: -1, abortedTransactions: null, batches: [] })),
          })),
        }
      case 'ListOffsets':
        return { topics: r.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ index: p.index, errorCode, timestamp: -1, offset: -1 })) })) }
      case 'Metadata':
        return { brokers: [], clusterId: '', controllerId: -1, topics: (r.topics ?? []).map((name) => ({ errorCode, name, topicId: ZERO_UUID, isInternal: false, partitions: [] })) }
      case 'FindCoordinator':
        return { errorCode, errorMessage: errorMessage ?? undefined, nodeId: -1, host: '', port: -1 }
      case 'JoinGroup':
        return { errorCode, generationId: -1, protocolType: null, protocolName: null, leader: '', memberId: r.memberId, members: [] }
      case 'SyncGroup':
        return { errorCode, protocolType: null, protocolName: null, assignment: Buffer.alloc(0) }
      case 'Heartbeat':
        return { errorCode }
      case 'LeaveGroup':
        return { errorCode, members: [] }
      case 'OffsetCommit':
        return { topics: r.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ index: p.index, errorCode })) })) }
      case 'OffsetFetch':
        return { errorCode, topics: [] }
      case 'ListGroups':
        return { errorCode, groups: [] }
      case 'DescribeGroups':
        return { groups: r.groups.map((groupId) => ({ errorCode, groupId, groupState: '', protocolType: '', protocolData: '', members: [] })) }
      case 'DeleteGroups':
        return { results: r.groupsNames.map((groupId) => ({ groupId, errorCode })) }
      case 'CreateTopics':
        return { topics: r.topics.map((t) => ({ name: t.name, errorCode, errorMessage, numPartitions: -1, replicationFactor: -1 })) }
      case 'DeleteTopics':
        return { responses: r.topicNames.map((name) => ({ name, errorCode, errorMessage })) }
      case 'CreatePartitions':
        return { results: r.topics.map((t) => ({ name: t.name, errorCode, errorMessage })) }
      case 'DeleteRecords':
        return { topics: r.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ index: p.index, lowWatermark: -1, errorCode })) })) }
      case 'DescribeConfigs':
        return { results: r.resources.map((res) => ({ errorCode, errorMessage, resourceType: res.resourceType, resourceName: res.resourceName, configs: [] })) }
      case 'AlterConfigs':
        return { responses: r.resources.map((res) => ({ errorCode, errorMessage, resourceType: res.resourceType, resourceName: res.resourceName })) }
      case 'DescribeCluster':
        return { errorCode, clusterId: '', controllerId: -1, brokers: [] }
      case 'InitProducerId':
        return { errorCode, producerId: -1, producerEpoch: -1 }
      case 'AddPartitionsToTxn':
        return { results: r.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((index) => ({ index, errorCode })) })) }
      case 'AddOffsetsToTxn':
        return { errorCode }
      case 'EndTxn':
        return { errorCode }
      case 'TxnOffsetCommit':
        return { topics: r.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ index: p.index, errorCode })) })) }
      case 'IncrementalAlterConfigs':
        return { responses: r.resources.map((res) => ({ errorCode, errorMessage, resourceType: res.resourceType, resourceName: res.resourceName })) }
      case 'OffsetDelete':
        return { errorCode, topics: [] }
      case 'DescribeProducers':
        return { topics: r.topics.map((t) => ({ name: t.name, partitions: t.partitionIndexes.map((index) => ({ index, errorCode, errorMessage, activeProducers: [] })) })) }
      case 'DescribeTransactions':
        return { transactionStates: r.transactionalIds.map((transactionalId) => ({ errorCode, transactionalId, transactionState: '', transactionTimeoutMs: 0, transactionStartTimeMs: -1, producerId: -1, producerEpoch: -1, topics: [] })) }
      case 'ListTransactions':
        return { errorCode, unknownStateFilters: [], transactionStates: [] }
      case 'OffsetForLeaderEpoch':
        return { topics: r.topics.map((t) => ({ topic: t.topic, partitions: t.partitions.map((p) => ({ errorCode, partition: p.partition, leaderEpoch: -1, endOffset: -1 })) })) }
      case 'CreateAcls':
        return { results: r.creations.map(() => ({ errorCode, errorMessage })) }
      case 'DescribeAcls':
        return { errorCode, errorMessage, resources: [] }
      case 'DeleteAcls':
        return { filterResults: r.filters.map(() => ({ errorCode, errorMessage, matchingAcls: [] })) }
      case 'DescribeUserScramCredentials':
        // DescribeUserScramCredentialsRequest.getErrorResponse: the error at the top and once per user asked, with no name.
        return { errorCode, errorMessage, results: (r.users ?? []).map(() => ({ user: '', errorCode, errorMessage, credentialInfos: [] })) }
      case 'AlterUserScramCredentials':
        // AlterUserScramCredentialsRequest.getErrorResponse: once per distinct user, sorted.
        return { results: [...new Set([...r.deletions, ...r.upsertions].map((c) => c.name))].sort().map((user) => ({ user, errorCode, errorMessage })) }
      default:
        // Every API must have a case: a request whose type has none fails to compile here.
        return unreachable(r)
    }
  }
  return build() as ResponseOf<K>
}

function unreachable(request: never): never {
  throw new Error(`errorResponse: no error response for ${(request as { api: string }).api}`)
}
