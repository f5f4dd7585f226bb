/**
 * JoinGroup (11). Answered by the group's coordinator broker (NOT_COORDINATOR elsewhere, as a
 * client with stale coordinator information would see); the group logic itself is the
 * GroupCoordinator's.
 */
import { ErrorCode } from '../error-codes.js'
import type { BrokerContext } from './broker-context.js'
import { isGroupCoordinator } from './is-coordinator.js'
import type { JoinGroupRequest, JoinGroupResponse } from './messages.js'

export function handleJoinGroup(cluster: BrokerContext, brokerId: number, request: JoinGroupRequest): JoinGroupResponse | Promise<JoinGroupResponse> {
  if (!isGroupCoordinator(cluster, brokerId, request.groupId)) {
    return { errorCode: ErrorCode.NOT_COORDINATOR, generationId: -1, protocolType: null, protocolName: null, leader: '', memberId: request.memberId, members: [] }
  }
  return cluster.groups.joinGroup(request)
}
