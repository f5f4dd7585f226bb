/**
 * CreateTopics: v0-7.
 *
 * Behavior: each topic is created (or refused with Kafka's error) by the cluster on its own;
 * validateOnly plans without creating.
 *
 * Version notes:
 * - v1 adds validateOnly and the per-topic error message.
 * - v2 adds the throttle time; v3 and v4 change nothing on the wire (v4: KIP-464 lets
 *   numPartitions/replicationFactor be -1 for the broker's defaults, which the cluster accepts).
 * - v5 is flexible and answers the created topic's partition count, replication factor and
 *   configs (KIP-525), configs null when the topic failed.
 * - v7 answers the topic id (KIP-516).
 */
import type { WireApi } from '../api.js'
import type { WireMessage } from '../protocol/schema.js'

interface WireTopic {
  name: string
  numPartitions: number
  replicationFactor: number
  assignments: { partitionIndex: number; brokerIds: number[] }[]
  configs: { name: string; value: string | null }[]
}

export const createTopicsApi: WireApi = {
  apiKey: 19,
  name: 'CreateTopics',
  minVersion: 0,
  maxVersion: 7,
  async handle(request: WireMessage, ctx) {
    const topics = request.topics as WireTopic[]
    const response = await ctx.cluster.send(
      ctx.brokerId,
      {
        api: 'CreateTopics',
        topics: topics.map((t) => ({
          name: t.name,
          numPartitions: t.numPartitions,
          replicationFactor: t.replicationFactor,
          assignments: t.assignments.map((a) => ({ partitionIndex: a.partitionIndex, brokerIds: a.brokerIds })),
          configs: t.configs.map((c) => ({ name: c.name, value: c.value })),
        })),
        timeoutMs: request.timeoutMs as number,
        validateOnly: ctx.apiVersion >= 1 && (request.validateOnly as boolean),
        describeConfigs: ctx.apiVersion >= 5,
      },
      ctx.source,
    )
    return {
      throttleTimeMs: 0,
      topics: response.topics.map((t) => ({
        name: t.name,
        topicId: t.topicId ?? undefined,
        errorCode: t.errorCode,
        errorMessage: t.errorMessage,
        numPartitions: t.numPartitions,
        replicationFactor: t.replicationFactor,
        configs:
          t.configs == null
            ? null
            : t.configs.map((c) => ({ name: c.name, value: c.value, readOnly: c.readOnly, configSource: c.configSource, isSensitive: c.isSensitive })),
      })),
    }
  },
}
