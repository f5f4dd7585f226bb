/**
 * DeleteRecords (API key 21): moves a partition's logStartOffset forward. -1 means "up to the
 * high watermark"; beyond the high watermark is OFFSET_OUT_OF_RANGE. The low watermark only grows.
 */
import { ErrorCode } from '../error-codes.js'
import type { BrokerContext } from './broker-context.js'
import type { DeleteRecordsRequest, DeleteRecordsResponse } from './messages.js'

export function handleDeleteRecords(cluster: BrokerContext, brokerId: number, request: DeleteRecordsRequest): DeleteRecordsResponse {
  return {
    topics: request.topics.map((t) => {
      const topic = cluster.controller.topic(t.name)
      return {
        name: t.name,
        partitions: t.partitions.map((p) => {
          const partition = topic?.partitions[p.index]
          if (!partition) return { index: p.index, lowWatermark: -1, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION }
          if (partition.leader !== brokerId) return { index: p.index, lowWatermark: -1, errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER }
          // Partition.deleteRecordsOnLeader: only a topic whose cleanup.policy includes delete.
          if (!topic!.settings.cleanupPolicy.includes('delete')) return { index: p.index, lowWatermark: -1, errorCode: ErrorCode.POLICY_VIOLATION }
          const target = p.offset === -1 ? partition.highWatermark : p.offset
          if (!Number.isInteger(target) || target < 0 || target > partition.highWatermark) {
            return { index: p.index, lowWatermark: -1, errorCode: ErrorCode.OFFSET_OUT_OF_RANGE }
          }
          if (target > partition.logStartOffset) {
            partition.log.advanceLogStartOffset(target)
            cluster.eventLog.record({ type: 'recordsDeleted', topic: t.name, partition: p.index, logStartOffset: target })
          }
          return { index: p.index, lowWatermark: partition.logStartOffset, errorCode: ErrorCode.NONE }
        }),
      }
    }),
  }
}
