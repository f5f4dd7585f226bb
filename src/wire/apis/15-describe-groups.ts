/**
 * DescribeGroups: v0-5.
 *
 * Behavior: each group's state, protocol and members (with their metadata and assignment while
 * the group is stable), from its coordinator; NOT_COORDINATOR for a group this broker does not
 * coordinate; a group that does not exist is Dead with no members.
 *
 * Version notes: v1 adds the throttle time; v3 the authorized operations (KIP-430): memkafka
 * has no authorizer, so as Kafka without one it reports every group operation (READ 3,
 * DELETE 6, DESCRIBE 8) when asked, and -2147483648 otherwise; v4 the members' group instance
 * ids; v5 is flexible.
 */
import type { WireApi } from '../api.js'
import type { WireMessage } from '../protocol/schema.js'

const NOT_REQUESTED = -2147483648
const GROUP_OPERATIONS = (1 << 3) | (1 << 6) | (1 << 8)

export const describeGroupsApi: WireApi = {
  apiKey: 15,
  name: 'DescribeGroups',
  minVersion: 0,
  maxVersion: 5,
  async handle(request: WireMessage, ctx) {
    const response = await ctx.cluster.send(ctx.brokerId, { api: 'DescribeGroups', groups: request.groups as readonly string[] }, ctx.source)
    const operations = request.includeAuthorizedOperations === true ? GROUP_OPERATIONS : NOT_REQUESTED
    return {
      throttleTimeMs: 0,
      groups: response.groups.map((g) => ({
        errorCode: g.errorCode,
        groupId: g.groupId,
        groupState: g.groupState,
        protocolType: g.protocolType,
        protocolData: g.protocolData,
        members: g.members.map((m) => ({
          memberId: m.memberId,
          groupInstanceId: m.groupInstanceId,
          clientId: m.clientId,
          clientHost: m.clientHost,
          memberMetadata: m.memberMetadata,
          memberAssignment: m.memberAssignment,
        })),
        authorizedOperations: g.errorCode === 0 ? operations : NOT_REQUESTED,
      })),
    }
  },
}
