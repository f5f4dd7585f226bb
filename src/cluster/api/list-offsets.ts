/**
 * ListOffsets (API key 2): earliest (-2), latest (-1), max timestamp (-3, KIP-734) or the first
 * offset at or after a timestamp, answered by the partition's leader.
 */
import { ErrorCode } from '../error-codes.js'
import type { ClusterModel } from '../cluster-model.js'
import { IsolationLevel, OffsetSpec, type ListOffsetsRequest, type ListOffsetsResponse } from './messages.js'

export function handleListOffsets(cluster: ClusterModel, brokerId: number, request: ListOffsetsRequest): ListOffsetsResponse {
  return {
    topics: request.topics.map((t) => {
      const topic = cluster.controller.topic(t.name)
      return {
        name: t.name,
        partitions: t.partitions.map((p) => {
          const partition = topic?.partitions[p.index]
          if (!partition) return { index: p.index, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, timestamp: -1, offset: -1 }
          if (partition.leader !== brokerId) return { index: p.index, errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER, timestamp: -1, offset: -1 }
          const visible = request.isolationLevel === IsolationLevel.READ_COMMITTED ? partition.lastStableOffset : partition.highWatermark
          if (p.timestamp === OffsetSpec.LATEST) return { index: p.index, errorCode: ErrorCode.NONE, timestamp: -1, offset: visible }
          if (p.timestamp === OffsetSpec.EARLIEST) {
            return { index: p.index, errorCode: ErrorCode.NONE, timestamp: -1, offset: partition.logStartOffset }
          }
          const found =
            p.timestamp === OffsetSpec.MAX_TIMESTAMP
              ? partition.log.maxTimestampBelow(visible)
              : p.timestamp < 0
                ? undefined
                : partition.log.offsetForTimestamp(p.timestamp, visible)
          // No record that recent: Kafka answers offset -1 and timestamp -1.
          return { index: p.index, errorCode: ErrorCode.NONE, timestamp: found?.timestamp ?? -1, offset: found?.offset ?? -1 }
        }),
      }
    }),
  }
}
