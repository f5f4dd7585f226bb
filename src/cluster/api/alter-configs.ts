/**
 * AlterConfigs (API key 33, non-incremental): the given set replaces a topic's overrides.
 * Changing broker configs at run time is not modelled: the request is refused with a message
 * saying so (static broker configs are given to `new Cluster({ brokerConfig })`).
 */
import { ErrorCode, KafkaError } from '../error-codes.js'
import type { ClusterModel } from '../cluster-model.js'
import { ConfigResourceType, type AlterConfigsRequest, type AlterConfigsResponse } from './messages.js'

export function handleAlterConfigs(cluster: ClusterModel, _brokerId: number, request: AlterConfigsRequest): AlterConfigsResponse {
  return {
    responses: request.resources.map((r) => {
      const base = { resourceType: r.resourceType, resourceName: r.resourceName }
      if (r.resourceType === ConfigResourceType.TOPIC) {
        try {
          cluster.controller.alterTopicConfigs(r.resourceName, r.configs, request.validateOnly)
          return { ...base, errorCode: ErrorCode.NONE, errorMessage: null }
        } catch (error) {
          if (!(error instanceof KafkaError)) throw error
          return { ...base, errorCode: error.errorCode, errorMessage: error.message }
        }
      }
      if (r.resourceType === ConfigResourceType.BROKER) {
        return { ...base, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: 'memkafka does not implement dynamic broker configs yet; pass them to new Cluster({ brokerConfig })' }
      }
      return { ...base, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: `Unsupported resource type ${r.resourceType}` }
    }),
  }
}
