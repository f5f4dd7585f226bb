/**
 * DescribeProducers: v0 (always flexible).
 *
 * Behavior: for each partition this broker leads, the producers with state on it: id, epoch,
 * last sequence and timestamp, the coordinator epoch of its last marker, and the first offset
 * of its open transaction (-1 if none); NOT_LEADER_OR_FOLLOWER / UNKNOWN_TOPIC_OR_PARTITION
 * elsewhere.
 */
import type { WireApi } from '../api.js'
import type { WireMessage } from '../protocol/schema.js'

export const describeProducersApi: WireApi = {
  apiKey: 61,
  name: 'DescribeProducers',
  minVersion: 0,
  maxVersion: 0,
  async handle(request: WireMessage, ctx) {
    const topics = request.topics as { name: string; partitionIndexes: number[] }[]
    const response = await ctx.cluster.send(
      ctx.brokerId,
      { api: 'DescribeProducers', topics: topics.map((t) => ({ name: t.name, partitionIndexes: t.partitionIndexes })) },
      ctx.source,
    )
    return {
      throttleTimeMs: 0,
      topics: response.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => ({
          partitionIndex: p.index,
          errorCode: p.errorCode,
          errorMessage: p.errorMessage,
          activeProducers: p.activeProducers.map((a) => ({ ...a })),
        })),
      })),
    }
  },
}
