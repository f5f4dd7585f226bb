/**
 * ListGroups (16). Answered by the group's coordinator broker (NOT_COORDINATOR elsewhere, as a
 * client with stale coordinator information would see); the group logic itself is the
 * GroupCoordinator's.
 */
import type { BrokerContext } from './broker-context.js'
import { isGroupCoordinator } from './is-coordinator.js'
import type { ListGroupsRequest, ListGroupsResponse } from './messages.js'

/** ListGroups on one broker lists the groups that broker coordinates. */
export function handleListGroups(cluster: BrokerContext, brokerId: number, request: ListGroupsRequest): ListGroupsResponse {
  const response = cluster.groups.listGroups(request)
  return { errorCode: response.errorCode, groups: response.groups.filter((g) => isGroupCoordinator(cluster, brokerId, g.groupId)) }
}
