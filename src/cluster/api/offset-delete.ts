/**
 * OffsetDelete (API key 47, KIP-496): removes a group's committed offsets for some partitions.
 * As Kafka's KafkaApis.handleOffsetDeleteRequest, a partition of an unknown topic is answered
 * UNKNOWN_TOPIC_OR_PARTITION before the group coordinator sees the rest; a group-level error
 * (GROUP_ID_NOT_FOUND, NON_EMPTY_GROUP, ...) replaces the whole answer.
 */
import { ErrorCode } from '../error-codes.js'
import type { BrokerContext } from './broker-context.js'
import { CoordinatorType, type OffsetDeleteRequest, type OffsetDeleteResponse } from './messages.js'

export function handleOffsetDelete(cluster: BrokerContext, brokerId: number, request: OffsetDeleteRequest): OffsetDeleteResponse {
  if (cluster.coordinatorFor(request.groupId, CoordinatorType.GROUP) !== brokerId) return { errorCode: ErrorCode.NOT_COORDINATOR, topics: [] }
  const exists = (topic: string, partition: number): boolean => cluster.controller.topic(topic)?.partitions[partition] !== undefined
  const known = request.topics.flatMap((t) => t.partitions.filter((p) => exists(t.name, p)).map((partition) => ({ topic: t.name, partition })))
  const result = cluster.groups.deleteOffsets(request.groupId, known)
  if (result.errorCode !== ErrorCode.NONE) return { errorCode: result.errorCode, topics: [] }
  return {
    errorCode: ErrorCode.NONE,
    topics: request.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((index) => ({
        index,
        errorCode: exists(t.name, index) ? (result.partitionErrors.get(`${t.name}\u0000${index}`) ?? ErrorCode.NONE) : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
      })),
    })),
  }
}
