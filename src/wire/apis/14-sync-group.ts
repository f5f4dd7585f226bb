/**
 * SyncGroup: v0-5.
 *
 * Behavior: the leader hands in every member's assignment; each member's SyncGroup is parked
 * until then and answered with its own assignment (src/cluster/group/group-metadata-manager.ts).
 *
 * Version notes: v1 adds the throttle time; v3 the group instance id (KIP-345); v4 is
 * flexible; v5 (KIP-559) carries the protocol type and name both ways: a mismatch with the
 * group's is INCONSISTENT_GROUP_PROTOCOL.
 */
import type { WireApi } from '../api.js'
import type { WireMessage } from '../protocol/schema.js'

export const syncGroupApi: WireApi = {
  apiKey: 14,
  name: 'SyncGroup',
  minVersion: 0,
  maxVersion: 5,
  async handle(request: WireMessage, ctx) {
    const version = ctx.apiVersion
    const response = await ctx.cluster.send(
      ctx.brokerId,
      {
        api: 'SyncGroup',
        groupId: request.groupId as string,
        generationId: request.generationId as number,
        memberId: request.memberId as string,
        groupInstanceId: version >= 3 ? (request.groupInstanceId as string | null) : null,
        protocolType: version >= 5 ? (request.protocolType as string | null) : null,
        protocolName: version >= 5 ? (request.protocolName as string | null) : null,
        assignments: (request.assignments as readonly { memberId: string; assignment: Buffer }[]).map((a) => ({ memberId: a.memberId, assignment: a.assignment })),
      },
      ctx.source,
    )
    return {
      throttleTimeMs: 0,
      errorCode: response.errorCode,
      protocolType: response.protocolType,
      protocolName: response.protocolName,
      assignment: response.assignment,
    }
  },
}
