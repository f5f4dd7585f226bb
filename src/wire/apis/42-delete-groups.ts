/**
 * DeleteGroups: v0-2.
 *
 * Behavior: the groups' coordinator deletes each empty group with its offsets
 * (NON_EMPTY_GROUP while members remain, GROUP_ID_NOT_FOUND for a group it does not know,
 * NOT_COORDINATOR for another broker's group).
 *
 * Version notes: v1 changes nothing on the wire; v2 is flexible.
 */
import type { WireApi } from '../api.js'
import type { WireMessage } from '../protocol/schema.js'

export const deleteGroupsApi: WireApi = {
  apiKey: 42,
  name: 'DeleteGroups',
  minVersion: 0,
  maxVersion: 2,
  async handle(request: WireMessage, ctx) {
    const response = await ctx.cluster.send(ctx.brokerId, { api: 'DeleteGroups', groupsNames: request.groupsNames as string[] }, ctx.source)
    return { throttleTimeMs: 0, results: response.results.map((r) => ({ groupId: r.groupId, errorCode: r.errorCode })) }
  },
}
