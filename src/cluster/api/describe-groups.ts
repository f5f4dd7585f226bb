/**
 * DescribeGroups (15): each group is described by its coordinator broker; the others get
 * NOT_COORDINATOR. The group logic itself is the GroupCoordinator's.
 */
import { ErrorCode } from '../error-codes.js'
import type { BrokerContext } from './broker-context.js'
import { isGroupCoordinator } from './is-coordinator.js'
import type { DescribeGroupsRequest, DescribeGroupsResponse } from './messages.js'

export function handleDescribeGroups(cluster: BrokerContext, brokerId: number, request: DescribeGroupsRequest): DescribeGroupsResponse {
  const response = cluster.groups.describeGroups(request)
  return {
    groups: response.groups.map((g) =>
      isGroupCoordinator(cluster, brokerId, g.groupId)
        ? g
        : { errorCode: ErrorCode.NOT_COORDINATOR, groupId: g.groupId, groupState: '', protocolType: '', protocolData: '', members: [] },
    ),
  }
}
