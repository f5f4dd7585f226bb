/**
 * OffsetForLeaderEpoch (API key 23, KIP-101/KIP-279/KIP-320): the end offset of a leader epoch
 * on the partition's leader, which a consumer uses after a leader change to detect log
 * truncation (and a follower to find where to truncate). Kafka's Partition.lastOffsetForLeaderEpoch:
 * fenced by the current leader epoch the client knows, answered from the leader's epoch cache
 * (LeaderEpochFileCache.endOffsetFor), -1/-1 for an epoch newer than every epoch it has.
 */
import { ErrorCode } from '../error-codes.js'
import type { BrokerContext } from './broker-context.js'
import { endOffsetForEpoch } from '../partition/leader-epoch.js'
import type { OffsetForLeaderEpochRequest, OffsetForLeaderEpochResponse } from './messages.js'

export function handleOffsetForLeaderEpoch(cluster: BrokerContext, brokerId: number, request: OffsetForLeaderEpochRequest): OffsetForLeaderEpochResponse {
  return {
    topics: request.topics.map((t) => {
      const topic = cluster.controller.topic(t.topic)
      return {
        topic: t.topic,
        partitions: t.partitions.map((p) => {
          const failed = (errorCode: number): { errorCode: number; partition: number; leaderEpoch: number; endOffset: number } => ({
            errorCode,
            partition: p.partition,
            leaderEpoch: -1,
            endOffset: -1,
          })
          const partition = topic?.partitions[p.partition]
          if (!partition) return failed(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION)
          if (partition.leader !== brokerId) return failed(ErrorCode.NOT_LEADER_OR_FOLLOWER)
          // Partition.getLocalLog's epoch check: an older epoch than the leader's is fenced, a
          // newer one is not known to this broker yet.
          if (p.currentLeaderEpoch !== -1) {
            if (p.currentLeaderEpoch < partition.leaderEpoch) return failed(ErrorCode.FENCED_LEADER_EPOCH)
            if (p.currentLeaderEpoch > partition.leaderEpoch) return failed(ErrorCode.UNKNOWN_LEADER_EPOCH)
          }
          const leader = partition.leaderReplica
          const answer = endOffsetForEpoch(leader.epochs.all, leader.logEndOffset, p.leaderEpoch)
          return { errorCode: ErrorCode.NONE, partition: p.partition, leaderEpoch: answer.epoch, endOffset: answer.endOffset }
        }),
      }
    }),
  }
}
