/**
 * LeaveGroup: v0-5.
 *
 * Behavior: removes members from the group and triggers a rebalance
 * (src/cluster/group/group-metadata-manager.ts).
 *
 * Version notes:
 * - v0-2 remove one member by id and answer one error code: the group's error, else that
 *   member's (Kafka's LeaveGroupResponse for versions below 3). v1 adds the throttle time.
 * - v3 (KIP-345) removes a batch of members, each by member id and/or group instance id, and
 *   answers per member; v4 is flexible; v5 adds a reason per member, which Kafka only logs.
 */
import type { WireApi } from '../api.js'
import type { WireMessage } from '../protocol/schema.js'

export const leaveGroupApi: WireApi = {
  apiKey: 13,
  name: 'LeaveGroup',
  minVersion: 0,
  maxVersion: 5,
  async handle(request: WireMessage, ctx) {
    const version = ctx.apiVersion
    const members =
      version >= 3
        ? (request.members as readonly { memberId: string; groupInstanceId: string | null }[]).map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId }))
        : [{ memberId: request.memberId as string, groupInstanceId: null }]
    const response = await ctx.cluster.send(ctx.brokerId, { api: 'LeaveGroup', groupId: request.groupId as string, members }, ctx.source)
    if (version < 3) {
      const errorCode = response.errorCode !== 0 ? response.errorCode : (response.members[0]?.errorCode ?? 0)
      return { throttleTimeMs: 0, errorCode }
    }
    return {
      throttleTimeMs: 0,
      errorCode: response.errorCode,
      // The coordinator answers the members in the order they were asked for.
      members: response.members.map((m, i) => ({ memberId: m.memberId, groupInstanceId: members[i]?.groupInstanceId ?? null, errorCode: m.errorCode })),
    }
  },
}
