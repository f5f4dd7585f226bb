/** CreatePartitions (API key 37): partitions can be added, never removed. */
import { ErrorCode, KafkaError } from '../error-codes.js'
import type { ClusterModel } from '../cluster-model.js'
import type { CreatePartitionsRequest, CreatePartitionsResponse } from './messages.js'

export function handleCreatePartitions(cluster: ClusterModel, _brokerId: number, request: CreatePartitionsRequest): CreatePartitionsResponse {
  const counts = new Map<string, number>()
  for (const t of request.topics) counts.set(t.name, (counts.get(t.name) ?? 0) + 1)
  const answered = new Set<string>()
  return {
    results: request.topics.flatMap((t) => {
      // ControllerApis.createPartitions answers a topic named twice once, and changes nothing.
      if ((counts.get(t.name) ?? 0) > 1) {
        if (answered.has(t.name)) return []
        answered.add(t.name)
        return [{ name: t.name, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: 'Duplicate topic name.' }]
      }
      try {
        if (request.validateOnly) cluster.controller.planPartitions(t.name, t.count, t.assignments)
        else cluster.controller.createPartitions(t.name, t.count, t.assignments)
        return { name: t.name, errorCode: ErrorCode.NONE, errorMessage: null }
      } catch (error) {
        if (!(error instanceof KafkaError)) throw error
        return { name: t.name, errorCode: error.errorCode, errorMessage: error.message }
      }
    }),
  }
}
