/**
 * SyncGroup (14). Answered by the group's coordinator broker (NOT_COORDINATOR elsewhere, as a
 * client with stale coordinator information would see); the group logic itself is the
 * GroupCoordinator's.
 */
import { ErrorCode } from '../error-codes.js'
import type { BrokerContext } from './broker-context.js'
import { isGroupCoordinator } from './is-coordinator.js'
import type { SyncGroupRequest, SyncGroupResponse } from './messages.js'

export function handleSyncGroup(cluster: BrokerContext, brokerId: number, request: SyncGroupRequest): SyncGroupResponse | Promise<SyncGroupResponse> {
  if (!isGroupCoordinator(cluster, brokerId, request.groupId)) {
    return { errorCode: ErrorCode.NOT_COORDINATOR, protocolType: null, protocolName: null, assignment: Buffer.alloc(0) }
  }
  return cluster.groups.syncGroup(request)
}
