/**
 * Heartbeat: v0-4.
 *
 * Behavior: keeps a member's session alive; answers REBALANCE_IN_PROGRESS when the member must
 * rejoin, ILLEGAL_GENERATION / UNKNOWN_MEMBER_ID / FENCED_INSTANCE_ID when it is stale
 * (src/cluster/group/group-metadata-manager.ts).
 *
 * Version notes: v1 adds the throttle time; v3 the group instance id (KIP-345); v4 is flexible.
 */
import type { WireApi } from '../api.js'
import type { WireMessage } from '../protocol/schema.js'

export const heartbeatApi: WireApi = {
  apiKey: 12,
  name: 'Heartbeat',
  minVersion: 0,
  maxVersion: 4,
  async handle(request: WireMessage, ctx) {
    const response = await ctx.cluster.send(
      ctx.brokerId,
      {
        api: 'Heartbeat',
        groupId: request.groupId as string,
        generationId: request.generationId as number,
        memberId: request.memberId as string,
        groupInstanceId: ctx.apiVersion >= 3 ? (request.groupInstanceId as string | null) : null,
      },
      ctx.source,
    )
    return { throttleTimeMs: 0, errorCode: response.errorCode }
  },
}
