/**
 * DeleteGroups (42): each group is deleted by its coordinator broker; the others get
 * NOT_COORDINATOR. The group logic itself is the GroupCoordinator's.
 */
import { ErrorCode } from '../error-codes.js'
import type { BrokerContext } from './broker-context.js'
import { isGroupCoordinator } from './is-coordinator.js'
import type { DeleteGroupsRequest, DeleteGroupsResponse } from './messages.js'

export function handleDeleteGroups(cluster: BrokerContext, brokerId: number, request: DeleteGroupsRequest): DeleteGroupsResponse {
  const mine = request.groupsNames.filter((g) => isGroupCoordinator(cluster, brokerId, g))
  const others = request.groupsNames.filter((g) => !isGroupCoordinator(cluster, brokerId, g))
  const response = mine.length > 0 ? cluster.groups.deleteGroups({ api: 'DeleteGroups', groupsNames: mine }) : { results: [] }
  return { results: [...response.results, ...others.map((groupId) => ({ groupId, errorCode: ErrorCode.NOT_COORDINATOR }))] }
}
