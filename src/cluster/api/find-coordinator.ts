/**
 * FindCoordinator (API key 10). A group's coordinator is the leader of its __consumer_offsets
 * partition, abs(groupId.hashCode) % offsets.topic.num.partitions; a transactional id's is the
 * leader of its __transaction_state partition, the same way.
 */
import { ErrorCode } from '../error-codes.js'
import type { BrokerContext } from './broker-context.js'
import { CoordinatorType, type FindCoordinatorRequest, type FindCoordinatorResponse } from './messages.js'

export function handleFindCoordinator(cluster: BrokerContext, _brokerId: number, request: FindCoordinatorRequest): FindCoordinatorResponse {
  if (request.keyType !== CoordinatorType.GROUP && request.keyType !== CoordinatorType.TRANSACTION) {
    return { errorCode: ErrorCode.INVALID_REQUEST, errorMessage: `Unknown coordinator type ${request.keyType}`, nodeId: -1, host: '', port: -1 }
  }
  if (request.keyType === CoordinatorType.GROUP && request.key === '') {
    return { errorCode: ErrorCode.INVALID_REQUEST, errorMessage: 'Group id must not be empty', nodeId: -1, host: '', port: -1 }
  }
  const brokerId = cluster.coordinatorFor(request.key, request.keyType)
  const broker = brokerId === undefined ? undefined : cluster.broker(brokerId)
  if (!broker) return { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, nodeId: -1, host: '', port: -1 }
  return { errorCode: ErrorCode.NONE, nodeId: broker.id, host: broker.host, port: broker.port }
}
