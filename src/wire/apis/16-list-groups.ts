/**
 * ListGroups: v0-4.
 *
 * Behavior: the groups this broker coordinates, with their protocol type.
 *
 * Version notes: v1 adds the throttle time; v3 is flexible; v4 (KIP-518) filters by state
 * (empty: every state) and answers each group's state.
 */
import type { WireApi } from '../api.js'
import type { WireMessage } from '../protocol/schema.js'

export const listGroupsApi: WireApi = {
  apiKey: 16,
  name: 'ListGroups',
  minVersion: 0,
  maxVersion: 4,
  async handle(request: WireMessage, ctx) {
    const statesFilter = ctx.apiVersion >= 4 ? (request.statesFilter as readonly string[]) : []
    const response = await ctx.cluster.send(ctx.brokerId, { api: 'ListGroups', statesFilter }, ctx.source)
    return {
      throttleTimeMs: 0,
      errorCode: response.errorCode,
      groups: response.groups.map((g) => ({ groupId: g.groupId, protocolType: g.protocolType, groupState: g.groupState })),
    }
  },
}
