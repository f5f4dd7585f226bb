/**
 * TxnOffsetCommit (28): answered by the group's coordinator broker (NOT_COORDINATOR elsewhere),
 * for offsets that belong to the producer's ongoing transaction.
 */
import { ErrorCode } from '../error-codes.js'
import type { BrokerContext } from './broker-context.js'
import { CoordinatorType } from './messages.js'
import type { TxnOffsetCommitRequest, TxnOffsetCommitResponse } from './messages.js'

export function handleTxnOffsetCommit(cluster: BrokerContext, brokerId: number, request: TxnOffsetCommitRequest): TxnOffsetCommitResponse {
  // KafkaApis.handleTxnOffsetCommitRequest answers UNKNOWN_TOPIC_OR_PARTITION for partitions
  // that do not exist before the group coordinator sees the rest (merged by topic, refused first).
  const exists = (name: string, index: number): boolean => cluster.controller.topic(name)?.partitions[index] !== undefined
  if (request.topics.some((t) => t.partitions.some((p) => !exists(t.name, p.index)))) {
    const known = request.topics.map((t) => ({ name: t.name, partitions: t.partitions.filter((p) => exists(t.name, p.index)) })).filter((t) => t.partitions.length > 0)
    const answered = known.length > 0 ? handleTxnOffsetCommit(cluster, brokerId, { ...request, topics: known }).topics : []
    const merged = new Map<string, { index: number; errorCode: number }[]>()
    for (const t of request.topics) {
      const refused = t.partitions.filter((p) => !exists(t.name, p.index)).map((p) => ({ index: p.index, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION }))
      if (refused.length > 0) merged.set(t.name, [...(merged.get(t.name) ?? []), ...refused])
    }
    for (const t of answered) merged.set(t.name, [...(merged.get(t.name) ?? []), ...t.partitions])
    return { topics: [...merged].map(([name, partitions]) => ({ name, partitions })) }
  }
  const all = (errorCode: number): TxnOffsetCommitResponse => ({
    topics: request.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ index: p.index, errorCode })) })),
  })
  if (cluster.coordinatorFor(request.groupId, CoordinatorType.GROUP) !== brokerId) return all(ErrorCode.NOT_COORDINATOR)
  // The offsets must belong to the producer's ongoing transaction (AddOffsetsToTxn came first).
  const txn = cluster.transactions.snapshot().find((t) => t.transactionalId === request.transactionalId)
  if (!txn || txn.producerId !== request.producerId) return all(ErrorCode.INVALID_PRODUCER_ID_MAPPING)
  if (txn.producerEpoch !== request.producerEpoch) return all(ErrorCode.INVALID_PRODUCER_EPOCH)
  if (txn.state !== 'Ongoing' || !txn.groups.includes(request.groupId)) return all(ErrorCode.INVALID_TXN_STATE)
  return cluster.groups.txnOffsetCommit({
    groupId: request.groupId,
    producerId: request.producerId,
    generationId: request.generationId,
    memberId: request.memberId,
    groupInstanceId: request.groupInstanceId ?? null,
    topics: request.topics,
  })
}
