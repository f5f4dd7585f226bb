/**
 * CreatePartitions: v0-3.
 *
 * Behavior: raises each topic's partition count to Count (INVALID_PARTITIONS when not higher),
 * with the given replicas for the new partitions or the controller's choice.
 *
 * Version notes: v1 changes nothing on the wire; v2 is flexible; v3 changes nothing on the
 * wire (it marks clients that handle the new error codes of KIP-599's throttling).
 */
import type { WireApi } from '../api.js'
import type { WireMessage } from '../protocol/schema.js'

export const createPartitionsApi: WireApi = {
  apiKey: 37,
  name: 'CreatePartitions',
  minVersion: 0,
  maxVersion: 3,
  async handle(request: WireMessage, ctx) {
    const topics = request.topics as { name: string; count: number; assignments: { brokerIds: number[] }[] | null }[]
    const response = await ctx.cluster.send(
      ctx.brokerId,
      {
        api: 'CreatePartitions',
        topics: topics.map((t) => ({ name: t.name, count: t.count, assignments: t.assignments === null ? null : t.assignments.map((a) => a.brokerIds) })),
        timeoutMs: request.timeoutMs as number,
        validateOnly: request.validateOnly as boolean,
      },
      ctx.source,
    )
    return {
      throttleTimeMs: 0,
      results: response.results.map((r) => ({ name: r.name, errorCode: r.errorCode, errorMessage: r.errorMessage })),
    }
  },
}
