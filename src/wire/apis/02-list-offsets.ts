/**
 * ListOffsets: v0-8.
 *
 * Behavior: each partition's leader answers the offset for a timestamp or a spec (-1 latest,
 * -2 earliest, -3 max timestamp, -4 earliest local), bounded by the high watermark, or by the
 * last stable offset under read_committed (see src/cluster/api/list-offsets.ts).
 *
 * Version notes:
 * - v0 answers a list of offsets ("OldStyleOffsets", at most MaxNumOffsets of them). Kafka's v0
 *   listed segment base offsets for a timestamp query; memkafka answers the one offset a v1
 *   query would (clients read the first element), and nothing when there is none.
 * - v1 answers one offset and its timestamp; v2 adds the isolation level (read_uncommitted
 *   below); v4 the current leader epoch for fencing and the leader epoch of the answer;
 *   v6 is flexible; v7 allows -3 (KIP-734); v8 allows -4 (KIP-405).
 */
import type { WireApi } from '../api.js'
import type { WireMessage } from '../protocol/schema.js'

interface PartitionIn {
  readonly partitionIndex: number
  readonly currentLeaderEpoch: number
  readonly timestamp: number
  readonly maxNumOffsets: number
}

export const listOffsetsApi: WireApi = {
  apiKey: 2,
  name: 'ListOffsets',
  minVersion: 0,
  maxVersion: 8,
  async handle(request: WireMessage, ctx) {
    const version = ctx.apiVersion
    const topics = request.topics as readonly { name: string; partitions: readonly PartitionIn[] }[]
    const response = await ctx.cluster.send(
      ctx.brokerId,
      {
        api: 'ListOffsets',
        replicaId: request.replicaId as number,
        isolationLevel: version >= 2 ? (request.isolationLevel as number) : 0,
        topics: topics.map((t) => ({
          name: t.name,
          partitions: t.partitions.map((p) => ({ index: p.partitionIndex, timestamp: p.timestamp, currentLeaderEpoch: p.currentLeaderEpoch })),
        })),
      },
      ctx.source,
    )
    return {
      throttleTimeMs: 0,
      topics: response.topics.map((t, ti) => ({
        name: t.name,
        partitions: t.partitions.map((p, pi) => {
          const maxNumOffsets = topics[ti]?.partitions[pi]?.maxNumOffsets ?? 1
          // Each version carries only its own fields (Kafka refuses to write a non-ignorable
          // field at a version without it).
          if (version === 0) return { partitionIndex: p.index, errorCode: p.errorCode, oldStyleOffsets: p.offset >= 0 && maxNumOffsets > 0 ? [p.offset] : [] }
          return {
            partitionIndex: p.index,
            errorCode: p.errorCode,
            timestamp: p.timestamp,
            offset: p.offset,
            ...(version >= 4 ? { leaderEpoch: p.leaderEpoch ?? -1 } : {}),
          }
        }),
      })),
    }
  },
}
