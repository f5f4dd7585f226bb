/**
 * OffsetCommit: v0-9.
 *
 * Behavior: stores a group's offsets on its coordinator, checking the generation and member of
 * a group-managed commit; partitions of unknown topics get UNKNOWN_TOPIC_OR_PARTITION
 * (src/cluster/api/offset-commit.ts, src/cluster/group/offset-metadata-manager.ts).
 *
 * Version notes:
 * - v0 stored offsets in ZooKeeper. A KRaft broker (Kafka 3.7) has none and answers every
 *   partition with UNSUPPORTED_VERSION ("Version 0 offset commit requests"), storing nothing.
 * - v1 adds the generation and member id, and a per-partition commit timestamp (-1: now).
 * - v2-4 carry a retention time instead (-1: offsets.retention.minutes); v5 drops it.
 * - v3 adds the throttle time; v6 the committed leader epoch (KIP-320, answered by OffsetFetch
 *   v5+); v7 the group instance id (KIP-345); v8 is flexible; v9 is the
 *   same as v8 for a classic group.
 */
import type { WireApi } from '../api.js'
import type { WireMessage } from '../protocol/schema.js'

const UNSUPPORTED_VERSION = 35

interface TopicIn {
  readonly name: string
  readonly partitions: readonly { partitionIndex: number; committedOffset: number; committedLeaderEpoch: number; commitTimestamp: number; committedMetadata: string | null }[]
}

export const offsetCommitApi: WireApi = {
  apiKey: 8,
  name: 'OffsetCommit',
  minVersion: 0,
  maxVersion: 9,
  async handle(request: WireMessage, ctx) {
    const version = ctx.apiVersion
    if (version === 0) {
      const topics = request.topics as readonly TopicIn[]
      return { topics: topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode: UNSUPPORTED_VERSION })) })) }
    }
    const response = await ctx.cluster.send(
      ctx.brokerId,
      {
        api: 'OffsetCommit',
        groupId: request.groupId as string,
        generationId: version >= 1 ? (request.generationId as number) : -1,
        memberId: version >= 1 ? (request.memberId as string) : '',
        groupInstanceId: version >= 7 ? (request.groupInstanceId as string | null) : null,
        retentionTimeMs: version >= 2 && version <= 4 ? (request.retentionTimeMs as number) : -1,
        topics: (request.topics as readonly TopicIn[]).map((t) => ({
          name: t.name,
          partitions: t.partitions.map((p) => ({
            index: p.partitionIndex,
            committedOffset: p.committedOffset,
            committedMetadata: p.committedMetadata,
            commitTimestamp: version === 1 ? p.commitTimestamp : -1,
            committedLeaderEpoch: version >= 6 ? p.committedLeaderEpoch : -1,
          })),
        })),
      },
      ctx.source,
    )
    return {
      throttleTimeMs: 0,
      topics: response.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ partitionIndex: p.index, errorCode: p.errorCode })) })),
    }
  },
}
