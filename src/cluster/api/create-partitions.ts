/** CreatePartitions (API key 37): partitions can be added, never removed. */
import { ErrorCode, KafkaError } from '../error-codes.js'
import type { ClusterModel } from '../cluster-model.js'
import type { CreatePartitionsRequest, CreatePartitionsResponse } from './messages.js'

export function handleCreatePartitions(cluster: ClusterModel, _brokerId: number, request: CreatePartitionsRequest): CreatePartitionsResponse {
  return {
    results: request.topics.map((t) => {
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
