/**
 * OffsetFetch: v0-9.
 *
 * Behavior: a group's committed offsets from its coordinator; -1 (and no error) for a partition
 * without one; with RequireStable, UNSTABLE_OFFSET_COMMIT for a partition whose transactional
 * commit is still pending (src/cluster/group/offset-metadata-manager.ts).
 *
 * Version notes:
 * - v0 read offsets from ZooKeeper. A KRaft broker (Kafka 3.7) has none: its
 *   requireZkOrThrow fails the request, answered as UNSUPPORTED_VERSION on every requested
 *   partition. v0-1 have no top-level error: a group-level error (NOT_COORDINATOR,
 *   COORDINATOR_LOAD_IN_PROGRESS, ...) is answered on every requested partition, as Kafka's
 *   OffsetFetchResponse does below v2.
 * - v2 allows null topics (every partition the group has an offset for) and adds the top-level
 *   error; v3 the throttle time; v5 the committed leader epoch (KIP-320);
 *   v6 is flexible; v7 adds RequireStable (KIP-447).
 * - v8 (KIP-709) asks for several groups, each answered as its own request with its own error;
 *   v9 adds a KIP-848 member id and epoch, which a classic group does not check.
 */
import type { WireApi, WireContext } from '../api.js'
import type { WireMessage } from '../protocol/schema.js'

const UNSUPPORTED_VERSION = 35

type Topics = readonly { name: string; partitionIndexes: readonly number[] }[] | null

interface PartitionOut {
  partitionIndex: number
  committedOffset: number
  committedLeaderEpoch: number
  metadata: string | null
  errorCode: number
}

async function fetchGroup(ctx: WireContext, groupId: string, topics: Topics, requireStable: boolean): Promise<{ errorCode: number; topics: { name: string; partitions: PartitionOut[] }[] }> {
  const response = await ctx.cluster.send(
    ctx.brokerId,
    { api: 'OffsetFetch', groupId, topics: topics === null ? null : topics.map((t) => ({ name: t.name, partitionIndexes: t.partitionIndexes })), requireStable },
    ctx.source,
  )
  return {
    errorCode: response.errorCode,
    topics: response.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => ({ partitionIndex: p.index, committedOffset: p.committedOffset, committedLeaderEpoch: p.committedLeaderEpoch ?? -1, metadata: p.metadata, errorCode: p.errorCode })),
    })),
  }
}

export const offsetFetchApi: WireApi = {
  apiKey: 9,
  name: 'OffsetFetch',
  minVersion: 0,
  maxVersion: 9,
  async handle(request: WireMessage, ctx) {
    const version = ctx.apiVersion
    const requireStable = version >= 7 && request.requireStable === true
    if (version >= 8) {
      const groups = request.groups as readonly { groupId: string; topics: Topics }[]
      const answers = []
      for (const g of groups) answers.push({ groupId: g.groupId, ...(await fetchGroup(ctx, g.groupId, g.topics, requireStable)) })
      return { throttleTimeMs: 0, groups: answers }
    }
    const topics = request.topics as Topics
    const answer = version === 0 ? { errorCode: UNSUPPORTED_VERSION, topics: [] } : await fetchGroup(ctx, request.groupId as string, topics, requireStable)
    if (version < 2 && answer.errorCode !== 0) {
      const errorCode = answer.errorCode
      return {
        throttleTimeMs: 0,
        topics: (topics ?? []).map((t) => ({
          name: t.name,
          partitions: t.partitionIndexes.map((partitionIndex) => ({ partitionIndex, committedOffset: -1, committedLeaderEpoch: -1, metadata: '', errorCode })),
        })),
      }
    }
    return { throttleTimeMs: 0, errorCode: answer.errorCode, topics: answer.topics }
  },
}
