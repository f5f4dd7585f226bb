/**
 * DeleteTopics: v0-6.
 *
 * Behavior: the cluster deletes each named topic or answers its error on its own.
 *
 * Version notes:
 * - v1 adds the throttle time; v2-v3 change nothing on the wire; v4 is flexible.
 * - v5 adds the per-topic error message.
 * - v6 (KIP-516) names each topic by name or by topic id: an id is resolved to its topic here
 *   (UNKNOWN_TOPIC_ID when none has it); both, neither, or an id given twice is
 *   INVALID_REQUEST with ControllerApis.deleteTopics's messages, answered before the named
 *   topics. The response carries each topic's id.
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
    // ControllerApis.deleteTopics answers malformed entries itself, then the named topics.
    const refused: Result[] = []
    const names: string[] = []
    if (ctx.apiVersion >= 6) {
      const topicsById = new Map(ctx.cluster.controller.allTopics().map((t) => [t.topicId, t.name]))
      const topics = request.topics as { name: string | null; topicId: string }[]
      const idCounts = new Map<string, number>()
      for (const t of topics) if (t.name === null && t.topicId !== ZERO_UUID) idCounts.set(t.topicId, (idCounts.get(t.topicId) ?? 0) + 1)
      const answeredIds = new Set<string>()
      for (const t of topics) {
        const refuse = (errorCode: number, errorMessage: string) => refused.push({ name: t.name, topicId: t.topicId, errorCode, errorMessage })
        if (t.name === null && t.topicId === ZERO_UUID) refuse(ErrorCode.INVALID_REQUEST, 'Neither topic name nor id were specified.')
        else if (t.name !== null && t.topicId !== ZERO_UUID) refuse(ErrorCode.INVALID_REQUEST, 'You may not specify both topic name and topic id.')
        else if (t.name !== null) names.push(t.name)
        else if ((idCounts.get(t.topicId) ?? 0) > 1) {
          if (!answeredIds.has(t.topicId)) refuse(ErrorCode.INVALID_REQUEST, 'Duplicate topic id.')
          answeredIds.add(t.topicId)
        } else {
          const name = topicsById.get(t.topicId)
          if (name === undefined) refuse(ErrorCode.UNKNOWN_TOPIC_ID, 'This server does not host this topic ID.')
          else names.push(name)
        }
      }
    } else {
      names.push(...(request.topicNames as string[]))
    }
    const ids = new Map(names.map((n) => [n, idOf(n)]))
    const deleted = names.length === 0 ? [] : (await ctx.cluster.send(ctx.brokerId, { api: 'DeleteTopics', topicNames: names, timeoutMs: request.timeoutMs as number }, ctx.source)).responses
    const responses: Result[] = [...refused, ...deleted.map((r) => ({ name: r.name, topicId: ids.get(r.name) ?? ZERO_UUID, errorCode: r.errorCode, errorMessage: r.errorMessage }))]
    return { throttleTimeMs: 0, responses }
  },
}
