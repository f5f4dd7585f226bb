/** DeleteTopics (API key 20). Deleting a topic drops its data and its groups' offsets for it. */
import { ErrorCode, KafkaError } from '../error-codes.js'
import type { BrokerContext } from './broker-context.js'
import type { DeleteTopicsRequest, DeleteTopicsResponse } from './messages.js'

export function handleDeleteTopics(cluster: BrokerContext, _brokerId: number, request: DeleteTopicsRequest): DeleteTopicsResponse {
  const counts = new Map<string, number>()
  for (const name of request.topicNames) counts.set(name, (counts.get(name) ?? 0) + 1)
  const answered = new Set<string>()
  return {
    responses: request.topicNames.flatMap((name) => {
      // ControllerApis.deleteTopics: a name given twice is refused once, and not deleted.
      if ((counts.get(name) ?? 0) > 1) {
        if (answered.has(name)) return []
        answered.add(name)
        return [{ name, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: 'Duplicate topic name.' }]
      }
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
