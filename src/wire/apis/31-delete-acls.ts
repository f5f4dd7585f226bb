/**
 * DeleteAcls: v0-3.
 *
 * Behavior: removes every ACL each filter matches and returns them per filter (INVALID_REQUEST
 * for a filter with an UNKNOWN field, SECURITY_DISABLED without an authorizer,
 * CLUSTER_AUTHORIZATION_FAILED without ALTER on the cluster).
 *
 * Version notes: v0 has no pattern type (the filter is LITERAL); v1 adds it (KIP-290); v2 is
 * flexible; v3 changes nothing on the wire.
 */
import type { WireApi } from '../api.js'
import type { WireMessage } from '../protocol/schema.js'

export const deleteAclsApi: WireApi = {
  apiKey: 31,
  name: 'DeleteAcls',
  minVersion: 0,
  maxVersion: 3,
  async handle(request: WireMessage, ctx) {
    const filters = (request.filters as WireMessage[]).map((f) => ({
      resourceType: f.resourceTypeFilter as number,
      resourceName: f.resourceNameFilter as string | null,
      patternType: f.patternTypeFilter as number,
      principal: f.principalFilter as string | null,
      host: f.hostFilter as string | null,
      operation: f.operation as number,
      permissionType: f.permissionType as number,
    }))
    const response = await ctx.cluster.send(ctx.brokerId, { api: 'DeleteAcls', filters }, ctx.source)
    return {
      throttleTimeMs: 0,
      filterResults: response.filterResults.map((r) => ({
        errorCode: r.errorCode,
        errorMessage: r.errorMessage,
        matchingAcls: r.matchingAcls.map((m) => ({ ...m })),
      })),
    }
  },
}
