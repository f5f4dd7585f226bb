/** DeleteTopics (API key 20). Deleting a topic drops its data and its groups' offsets for it. */
import { ErrorCode, KafkaError } from '../error-codes.js'
import type { ClusterModel } from '../cluster-model.js'
import type { DeleteTopicsRequest, DeleteTopicsResponse } from './messages.js'

export function handleDeleteTopics(cluster: ClusterModel, _brokerId: number, request: DeleteTopicsRequest): DeleteTopicsResponse {
  return {
    responses: request.topicNames.map((name) => {
      if (!cluster.brokerConfig.deleteTopicEnable) {
        return { name, errorCode: ErrorCode.TOPIC_DELETION_DISABLED, errorMessage: 'Topic deletion is disabled.' }
      }
      try {
        cluster.controller.deleteTopic(name)
        return { name, errorCode: ErrorCode.NONE, errorMessage: null }
      } catch (error) {
        if (!(error instanceof KafkaError)) throw error
        return { name, errorCode: error.errorCode, errorMessage: error.message }
      }
    }),
  }
}
