/**
 * OffsetFetch (9). Answered by the group's coordinator broker (NOT_COORDINATOR elsewhere, as a
 * client with stale coordinator information would see); the group logic itself is the
 * GroupCoordinator's.
 */
import { ErrorCode } from '../error-codes.js'
import type { BrokerContext } from './broker-context.js'
import { isGroupCoordinator } from './is-coordinator.js'
import type { OffsetFetchRequest, OffsetFetchResponse } from './messages.js'

export function handleOffsetFetch(cluster: BrokerContext, brokerId: number, request: OffsetFetchRequest): OffsetFetchResponse {
  if (!isGroupCoordinator(cluster, brokerId, request.groupId)) return { errorCode: ErrorCode.NOT_COORDINATOR, topics: [] }
  return cluster.groups.offsetFetch(request)
}
