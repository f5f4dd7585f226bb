/**
 * OffsetDelete: v0 (never flexible).
 *
 * Behavior: the group's coordinator removes its committed offsets for the given partitions:
 * all of them for an Empty group; for a live consumer group only those of topics it does not
 * subscribe to (GROUP_SUBSCRIBED_TO_TOPIC for the rest); NON_EMPTY_GROUP for other live groups;
 * UNKNOWN_TOPIC_OR_PARTITION for partitions that do not exist. A group-level error comes alone,
 * with no topics, as Kafka answers.
 */
import type { WireApi } from '../api.js'
import type { WireMessage } from '../protocol/schema.js'

export const offsetDeleteApi: WireApi = {
  apiKey: 47,
  name: 'OffsetDelete',
  minVersion: 0,
  maxVersion: 0,
  async handle(request: WireMessage, ctx) {
    const topics = request.topics as { name: string; partitions: { partitionIndex: number }[] }[]
    const response = await ctx.cluster.send(
      ctx.brokerId,
      { api: 'OffsetDelete', groupId: request.groupId as string, topics: topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => p.partitionIndex) })) },
      ctx.source,
    )
    return {
      errorCode: response.errorCode,
      throttleTimeMs: 0,
      topics: response.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ partitionIndex: p.index, errorCode: p.errorCode })) })),
    }
  },
}
