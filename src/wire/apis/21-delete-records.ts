/**
 * DeleteRecords: v0-2.
 *
 * Behavior: the partition's leader moves its log start offset forward (-1: to the high
 * watermark); the cluster answers NOT_LEADER_OR_FOLLOWER elsewhere.
 *
 * Version notes: v1 changes nothing on the wire; v2 is flexible.
 */
import type { WireApi } from '../api.js'
import type { WireMessage } from '../protocol/schema.js'

export const deleteRecordsApi: WireApi = {
  apiKey: 21,
  name: 'DeleteRecords',
  minVersion: 0,
  maxVersion: 2,
  async handle(request: WireMessage, ctx) {
    const topics = request.topics as { name: string; partitions: { partitionIndex: number; offset: number }[] }[]
    const response = await ctx.cluster.send(
      ctx.brokerId,
      {
        api: 'DeleteRecords',
        topics: topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ index: p.partitionIndex, offset: p.offset })) })),
        timeoutMs: request.timeoutMs as number,
      },
      ctx.source,
    )
    return {
      throttleTimeMs: 0,
      topics: response.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => ({ partitionIndex: p.index, lowWatermark: p.lowWatermark, errorCode: p.errorCode })),
      })),
    }
  },
}
