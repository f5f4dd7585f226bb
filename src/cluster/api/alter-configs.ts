/**
 * AlterConfigs (API key 33, non-incremental): the given set replaces a topic's overrides.
 * Changing broker configs at run time is not modelled: the request is refused with a message
 * saying so (static broker configs are given to `new Cluster({ brokerConfig })`).
 */
import { ErrorCode, KafkaError } from '../error-codes.js'
import type { BrokerContext } from './broker-context.js'
import { ConfigResourceType, type AlterConfigsRequest, type AlterConfigsResponse } from './messages.js'

export function handleAlterConfigs(cluster: BrokerContext, _brokerId: number, request: AlterConfigsRequest): AlterConfigsResponse {
  const seen = new Map<string, number>()
  for (const r of request.resources) seen.set(`${r.resourceType}:${r.resourceName}`, (seen.get(`${r.resourceType}:${r.resourceName}`) ?? 0) + 1)
  return {
    responses: request.resources.map((r) => {
      const base = { resourceType: r.resourceType, resourceName: r.resourceName }
      // ConfigAdminManager.preprocess: a resource named twice, a config named twice, and null
      // values are refused before anything is validated.
      if ((seen.get(`${r.resourceType}:${r.resourceName}`) ?? 0) > 1) return { ...base, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: 'Each resource must appear at most once.' }
      const names = r.configs.map((c) => c.name)
      if (new Set(names).size !== names.length) return { ...base, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: 'Error due to duplicate config keys' }
      const nulls = r.configs.filter((c) => c.value === null).map((c) => c.name)
      if (nulls.length > 0) return { ...base, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: `Null value not supported for : ${nulls.join(', ')}` }
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
