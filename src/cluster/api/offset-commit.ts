/**
 * OffsetCommit (8). Answered by the group's coordinator broker (NOT_COORDINATOR elsewhere, as a
 * client with stale coordinator information would see); the group logic itself is the
 * GroupCoordinator's.
 */
import { ErrorCode } from '../error-codes.js'
import type { BrokerContext } from './broker-context.js'
import { isGroupCoordinator } from './is-coordinator.js'
import type { OffsetCommitRequest, OffsetCommitResponse } from './messages.js'

export function handleOffsetCommit(cluster: BrokerContext, brokerId: number, request: OffsetCommitRequest): OffsetCommitResponse {
  if (!isGroupCoordinator(cluster, brokerId, request.groupId)) {
    return {
      topics: request.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ index: p.index, errorCode: ErrorCode.NOT_COORDINATOR })) })),
    }
  }
  // KafkaApis answers UNKNOWN_TOPIC_OR_PARTITION for partitions that do not exist before the
  // coordinator sees the rest of the request. One pass sorts each topic's partitions into the two
  // (a commit of 10 000 partitions looked each up twice, issue 15).
  type Topics = OffsetCommitRequest['topics']
  const known: Topics[number][] = []
  const rejected: { name: string; partitions: { index: number; errorCode: number }[] }[] = []
  for (const t of request.topics) {
    const partitions = cluster.controller.topic(t.name)?.partitions
    const kept: Topics[number]['partitions'][number][] = []
    const refused: { index: number; errorCode: number }[] = []
    for (const p of t.partitions) {
      if (partitions?.[p.index]) kept.push(p)
      else refused.push({ index: p.index, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION })
    }
    if (kept.length > 0) known.push(kept.length === t.partitions.length ? t : { ...t, partitions: kept })
    if (refused.length > 0) rejected.push({ name: t.name, partitions: refused })
  }
  const answered = known.length > 0 ? cluster.groups.offsetCommit({ ...request, topics: known }) : { topics: [] }
  // OffsetCommitResponse.Builder merges by topic: a topic appears once, with the partitions
  // KafkaApis refused first and then the coordinator's answers.
  const merged = new Map<string, { index: number; errorCode: number }[]>()
  for (const t of [...rejected, ...answered.topics]) {
    const partitions = merged.get(t.name)
    if (partitions) partitions.push(...t.partitions)
    else merged.set(t.name, [...t.partitions])
  }
  return { topics: [...merged].map(([name, partitions]) => ({ name, partitions })) }
}
