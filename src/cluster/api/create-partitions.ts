/**
 * CreatePartitions (API key 37): partitions can be added, never removed, and no more in one
 * request than one controller operation may write (see controller-record-limit.ts).
 */
import { ErrorCode, KafkaError } from '../error-codes.js'
import type { BrokerContext } from './broker-context.js'
import type { CreatePartitionsRequest, CreatePartitionsResponse } from './messages.js'
import { BOUNDED_LIST_MESSAGE, MAX_RECORDS_PER_USER_OP } from './controller-record-limit.js'

export function handleCreatePartitions(cluster: BrokerContext, _brokerId: number, request: CreatePartitionsRequest): CreatePartitionsResponse {
  const counts = new Map<string, number>()
  for (const t of request.topics) counts.set(t.name, (counts.get(t.name) ?? 0) + 1)
  const answered = new Set<string>()
  let records = 0
  return {
    results: request.topics.flatMap((t) => {
      // ControllerApis.createPartitions answers a topic named twice once, and changes nothing.
      if ((counts.get(t.name) ?? 0) > 1) {
        if (answered.has(t.name)) return []
        answered.add(t.name)
        return [{ name: t.name, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: 'Duplicate topic name.' }]
      }
      try {
        // One PartitionRecord per new partition, within the controller's limit for one
        // operation: Kafka 3.7 fails the topic that overflows it with BoundedList's
        // UNKNOWN_SERVER_ERROR (having kept the records it had; memkafka adds nothing).
        const current = cluster.controller.topic(t.name)?.partitions.length
        const added = current !== undefined && Number.isInteger(t.count) ? t.count - current : 0
        if (added > 0 && records + added > MAX_RECORDS_PER_USER_OP) {
          return { name: t.name, errorCode: ErrorCode.UNKNOWN_SERVER_ERROR, errorMessage: BOUNDED_LIST_MESSAGE }
        }
        if (request.validateOnly) cluster.controller.planPartitions(t.name, t.count, t.assignments)
        else cluster.controller.createPartitions(t.name, t.count, t.assignments)
        records += added
        return { name: t.name, errorCode: ErrorCode.NONE, errorMessage: null }
      } catch (error) {
        if (!(error instanceof KafkaError)) throw error
        return { name: t.name, errorCode: error.errorCode, errorMessage: error.message }
      }
    }),
  }
}
