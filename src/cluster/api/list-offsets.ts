/**
 * ListOffsets (API key 2): earliest (-2), latest (-1), max timestamp (-3, KIP-734), earliest
 * local (-4, KIP-405; memkafka has no tiered storage, so the log start) or the first offset at
 * or after a timestamp, answered by the partition's leader, with the leader epoch of the
 * answered offset (Partition.fetchOffsetForTimestamp) and fenced by the client's current leader
 * epoch (KIP-320).
 */
import { ErrorCode } from '../error-codes.js'
import type { BrokerContext } from './broker-context.js'
import type { Partition } from '../partition/partition.js'
import type { LeaderEpochCache } from '../partition/leader-epoch.js'
import { IsolationLevel, OffsetSpec, type ListOffsetsRequest, type ListOffsetsResponse } from './messages.js'

export function handleListOffsets(cluster: BrokerContext, brokerId: number, request: ListOffsetsRequest): ListOffsetsResponse {
  return {
    topics: request.topics.map((t) => {
      const topic = cluster.controller.topic(t.name)
      return {
        name: t.name,
        partitions: t.partitions.map((p) => {
          const partition = topic?.partitions[p.index]
          if (!partition) return failed(p.index, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION)
          if (partition.leader !== brokerId) return failed(p.index, ErrorCode.NOT_LEADER_OR_FOLLOWER)
          const current = p.currentLeaderEpoch ?? -1
          if (current !== -1 && current < partition.leaderEpoch) return failed(p.index, ErrorCode.FENCED_LEADER_EPOCH)
          if (current !== -1 && current > partition.leaderEpoch) return failed(p.index, ErrorCode.UNKNOWN_LEADER_EPOCH)
          // The start needs no visible end (the last stable offset is a walk over the producers).
          if (p.timestamp === OffsetSpec.EARLIEST || p.timestamp === OffsetSpec.EARLIEST_LOCAL) return earliestAnswer(partition)
          const visible = request.isolationLevel === IsolationLevel.READ_COMMITTED ? partition.lastStableOffset : partition.highWatermark
          if (p.timestamp === OffsetSpec.LATEST) return latestAnswer(partition, visible)
          const found =
            p.timestamp === OffsetSpec.MAX_TIMESTAMP
              ? partition.log.maxTimestampBelow(visible)
              : p.timestamp < 0
                ? undefined
                : partition.log.offsetForTimestamp(p.timestamp, visible)
          // No record that recent: Kafka answers offset -1 and timestamp -1.
          if (!found) return { index: p.index, errorCode: ErrorCode.NONE, timestamp: -1, offset: -1, leaderEpoch: -1 }
          return { index: p.index, errorCode: ErrorCode.NONE, timestamp: found.timestamp, offset: found.offset, leaderEpoch: epochAt(partition, found.offset) }
        }),
      }
    }),
  }
}

type ListOffsetsPartitionResponse = ListOffsetsResponse['topics'][number]['partitions'][number]

/** A partition's answer with an error: no offset, no timestamp, no epoch. */
function failed(index: number, errorCode: number): ListOffsetsPartitionResponse {
  return { index, errorCode, timestamp: -1, offset: -1, leaderEpoch: -1 }
}

/**
 * The answers for the log start and the end, kept on the partition (Partition.answers) and
 * handed out again while what they were made from holds: every new consumer group resets each of
 * its partitions to one of them, 10 000 answers at a join on a large topic (issue 15). Frozen:
 * whoever receives one reads it.
 */
interface KnownEarliest {
  readonly answer: ListOffsetsPartitionResponse
  readonly logStartOffset: number
  readonly epochs: LeaderEpochCache
  readonly epochChanges: number
}

function earliestAnswer(partition: Partition): ListOffsetsPartitionResponse {
  const known = partition.answers.earliestOffset as KnownEarliest | undefined
  const logStartOffset = partition.logStartOffset
  const epochs = partition.leaderReplica.epochs
  if (known !== undefined && known.logStartOffset === logStartOffset && known.epochs === epochs && known.epochChanges === epochs.changes && known.answer.index === partition.index) return known.answer
  const answer = Object.freeze({ index: partition.index, errorCode: ErrorCode.NONE, timestamp: -1, offset: logStartOffset, leaderEpoch: epochAt(partition, logStartOffset) })
  partition.answers.earliestOffset = { answer, logStartOffset, epochs, epochChanges: epochs.changes } satisfies KnownEarliest
  return answer
}

/** The end's answer: the visible end (high watermark or last stable offset) with the leader's epoch. */
function latestAnswer(partition: Partition, visible: number): ListOffsetsPartitionResponse {
  const known = partition.answers.latestOffset as ListOffsetsPartitionResponse | undefined
  if (known !== undefined && known.offset === visible && known.leaderEpoch === partition.leaderEpoch) return known
  const answer = Object.freeze({ index: partition.index, errorCode: ErrorCode.NONE, timestamp: -1, offset: visible, leaderEpoch: partition.leaderEpoch })
  partition.answers.latestOffset = answer
  return answer
}

/** The leader epoch of the batch holding `offset`, from the leader's epoch cache (-1 when none). */
function epochAt(partition: Partition, offset: number): number {
  let epoch = -1
  const entries = partition.leaderReplica.epochs.all
  for (let i = 0; i < entries.length; i++) {
    if (entries[i]!.startOffset > offset) break
    epoch = entries[i]!.epoch
  }
  return epoch
}
