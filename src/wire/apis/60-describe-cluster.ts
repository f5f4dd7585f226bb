/**
 * DescribeCluster: v0-1 (always flexible).
 *
 * Behavior: the live brokers at the addresses this server advertises, the controller, the
 * cluster id, and (KIP-430, when asked) the operations the caller may perform on the cluster.
 *
 * Version notes: v1 (KIP-919) adds EndpointType: memkafka's listeners are broker endpoints, so
 * a request for the controller endpoint is MISMATCHED_ENDPOINT_TYPE and an unknown type
 * UNSUPPORTED_ENDPOINT_TYPE (INVALID_REQUEST at v0), as Kafka's AuthHelper answers.
 */
import type { WireApi } from '../api.js'
import type { WireMessage } from '../protocol/schema.js'
import { ErrorCode } from '../../cluster/error-codes.js'

/** Kafka's EndpointType ids. */
const EndpointType = { UNKNOWN: 0, BROKER: 1, CONTROLLER: 2 } as const

export const describeClusterApi: WireApi = {
  apiKey: 60,
  name: 'DescribeCluster',
  minVersion: 0,
  maxVersion: 1,
  async handle(request: WireMessage, ctx) {
    const endpointType = request.endpointType as number
    if (endpointType !== EndpointType.BROKER) {
      const known = endpointType === EndpointType.CONTROLLER
      const errorCode = ctx.apiVersion === 0 ? ErrorCode.INVALID_REQUEST : known ? ErrorCode.MISMATCHED_ENDPOINT_TYPE : ErrorCode.UNSUPPORTED_ENDPOINT_TYPE
      const errorMessage = known
        ? 'The request was sent to an endpoint of type BROKER, but we wanted an endpoint of type CONTROLLER'
        : `Unsupported endpoint type ${endpointType}`
      return { throttleTimeMs: 0, errorCode, errorMessage, endpointType: EndpointType.BROKER, clusterId: '', controllerId: -1, brokers: [], clusterAuthorizedOperations: -2147483648 }
    }
    const response = await ctx.cluster.send(
      ctx.brokerId,
      { api: 'DescribeCluster', includeClusterAuthorizedOperations: request.includeClusterAuthorizedOperations as boolean },
      ctx.source,
    )
    return {
      throttleTimeMs: 0,
      errorCode: response.errorCode,
      errorMessage: null,
      endpointType: EndpointType.BROKER,
      clusterId: response.clusterId,
      controllerId: response.controllerId,
      // Each broker as this server advertises it; one without a listener is not reachable.
      brokers: response.brokers.flatMap((b) => {
        const address = ctx.advertised(b.brokerId)
        return address ? [{ brokerId: b.brokerId, host: address.host, port: address.port, rack: b.rack }] : []
      }),
      clusterAuthorizedOperations: response.clusterAuthorizedOperations ?? -2147483648,
    }
  },
}
