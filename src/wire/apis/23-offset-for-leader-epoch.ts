/**
 * OffsetForLeaderEpoch: v0-4.
 *
 * Behavior: the end offset of a leader epoch on the partition's leader, which a consumer uses
 * after a leader change to detect truncation (src/cluster/api/offset-for-leader-epoch.ts).
 *
 * Version notes: v1 answers the epoch of that end offset; v2 adds the current leader epoch for
 * fencing (KIP-320) and the throttle time; v3 the replica id (-2, a debug client, below v3);
 * v4 is flexible.
 */
import type { WireApi } from '../api.js'
import type { WireMessage } from '../protocol/schema.js'

export const offsetForLeaderEpochApi: WireApi = {
  apiKey: 23,
  name: 'OffsetForLeaderEpoch',
  minVersion: 0,
  maxVersion: 4,
  async handle(request: WireMessage, ctx) {
    const topics = request.topics as readonly { topic: string; partitions: readonly { partition: number; currentLeaderEpoch: number; leaderEpoch: number }[] }[]
    const response = await ctx.cluster.send(
      ctx.brokerId,
      {
        api: 'OffsetForLeaderEpoch',
        replicaId: request.replicaId as number,
        topics: topics.map((t) => ({
          topic: t.topic,
          partitions: t.partitions.map((p) => ({ partition: p.partition, currentLeaderEpoch: p.currentLeaderEpoch, leaderEpoch: p.leaderEpoch })),
        })),
      },
      ctx.source,
    )
    return { throttleTimeMs: 0, topics: response.topics }
  },
}
