/**
 * DescribeConfigs (API key 32): a topic's effective configs with their sources, or a broker's.
 */
import { ErrorCode } from '../error-codes.js'
import type { BrokerContext } from './broker-context.js'
import { ConfigResourceType, type DescribeConfigsRequest, type DescribeConfigsResponse } from './messages.js'

export function handleDescribeConfigs(cluster: BrokerContext, brokerId: number, request: DescribeConfigsRequest): DescribeConfigsResponse {
  return {
    results: request.resources.map((r) => {
      const base = { resourceType: r.resourceType, resourceName: r.resourceName }
      if (r.resourceType === ConfigResourceType.TOPIC) {
        const topic = cluster.controller.topic(r.resourceName)
        if (!topic) return { ...base, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: `Topic ${r.resourceName} does not exist`, configs: [] }
        return { ...base, errorCode: ErrorCode.NONE, errorMessage: null, configs: cluster.config.describeTopic(topic.configs, r.configurationKeys, request.includeSynonyms, request.includeDocumentation ?? false) }
      }
      if (r.resourceType === ConfigResourceType.BROKER) {
        // A broker describes its own configs, or the cluster default ('').
        if (r.resourceName !== '' && Number(r.resourceName) !== brokerId) {
          return { ...base, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: `Unexpected broker id, expected ${brokerId} or empty string, but received ${r.resourceName}`, configs: [] }
        }
        return { ...base, errorCode: ErrorCode.NONE, errorMessage: null, configs: cluster.config.describeBroker(r.configurationKeys, request.includeSynonyms, request.includeDocumentation ?? false) }
      }
      return { ...base, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: `Unsupported resource type ${r.resourceType}`, configs: [] }
    }),
  }
}
