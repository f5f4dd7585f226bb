/**
 * DescribeProducers (API key 61, KIP-664): the producers with state on each partition the
 * answering broker leads (ReplicaManager.activeProducerState): id, epoch, last sequence and
 * timestamp, the coordinator epoch of its last marker and its open transaction's first offset.
 */
import { ErrorCode } from '../error-codes.js'
import type { BrokerContext } from './broker-context.js'
import type { ActiveProducer, DescribeProducersRequest, DescribeProducersResponse } from './messages.js'

export function handleDescribeProducers(cluster: BrokerContext, brokerId: number, request: DescribeProducersRequest): DescribeProducersResponse {
  return {
    topics: request.topics.map((t) => {
      const topic = cluster.controller.topic(t.name)
      return {
        name: t.name,
        partitions: t.partitionIndexes.map((index) => {
          const partition = topic?.partitions[index]
          if (!partition) return { index, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: null, activeProducers: [] }
          if (partition.leader !== brokerId) return { index, errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER, errorMessage: null, activeProducers: [] }
          const activeProducers = partition.leaderReplica.producerState.activeProducers().map(
            ({ producerId, entry }): ActiveProducer => ({
              producerId,
              producerEpoch: entry.producerEpoch,
              lastSequence: entry.batches.at(-1)?.lastSeq ?? -1,
              lastTimestamp: entry.lastTimestamp,
              coordinatorEpoch: entry.coordinatorEpoch,
              currentTxnStartOffset: entry.currentTxnFirstOffset ?? -1,
            }),
          )
          return { index, errorCode: ErrorCode.NONE, errorMessage: null, activeProducers }
        }),
      }
    }),
  }
}
