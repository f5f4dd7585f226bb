/**
 * DeleteTopics: v0-6.
 *
 * Behavior: the cluster deletes each named topic or answers its error on its own.
 *
 * Version notes:
 * - v1 adds the throttle time; v2-v3 change nothing on the wire; v4 is flexible.
 * - v5 adds the per-topic error message.
 * - v6 (KIP-516) names each topic by name or by topic id: an id is resolved to its topic here
 *   (UNKNOWN_TOPIC_ID when none has it, as Kafka answers); giving both, or neither, is
 *   INVALID_REQUEST, as Kafka's KafkaApis does. The response carries each topic's id.
 */
import type { WireApi } from '../api.js'
import type { WireMessage } from '../protocol/schema.js'
import { ErrorCode } from '../../cluster/error-codes.js'
import { ZERO_UUID } from '../protocol/reader.js'

interface Result {
  name: string | null
  topicId: string
  errorCode: number
  errorMessage: string | null
}

export const deleteTopicsApi: WireApi = {
  apiKey: 20,
  name: 'DeleteTopics',
  minVersion: 0,
  maxVersion: 6,
  async handle(request: WireMessage, ctx) {
    const idOf = (name: string): string => ctx.cluster.controller.topic(name)?.topicId ?? ZERO_UUID
    // Slots in request order: a name to delete, or an answer decided here.
    const slots: (string | Result)[] = []
    if (ctx.apiVersion >= 6) {
      const topicsById = new Map(ctx.cluster.controller.allTopics().map((t) => [t.topicId, t.name]))
      for (const t of request.topics as { name: string | null; topicId: string }[]) {
        const hasId = t.topicId !== ZERO_UUID
        if ((t.name !== null) === hasId) {
          slots.push({ name: t.name, topicId: t.topicId, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: 'Topic name and topic id cannot both be specified (or both be empty).' })
        } else if (hasId) {
          const name = topicsById.get(t.topicId)
          slots.push(name ?? { name: null, topicId: t.topicId, errorCode: ErrorCode.UNKNOWN_TOPIC_ID, errorMessage: 'This server does not host this topic ID.' })
        } else {
          slots.push(t.name!)
        }
      }
    } else {
      for (const name of request.topicNames as string[]) slots.push(name)
    }
    const names = slots.filter((s): s is string => typeof s === 'string')
    const ids = new Map(names.map((n) => [n, idOf(n)]))
    const response =
      names.length === 0
        ? { responses: [] }
        : await ctx.cluster.send(ctx.brokerId, { api: 'DeleteTopics', topicNames: names, timeoutMs: request.timeoutMs as number }, ctx.source)
    let next = 0
    const responses = slots.map((slot): Result => {
      if (typeof slot !== 'string') return slot
      const r = response.responses[next++]!
      return { name: r.name, topicId: ids.get(r.name) ?? ZERO_UUID, errorCode: r.errorCode, errorMessage: r.errorMessage }
    })
    return { throttleTimeMs: 0, responses }
  },
}
