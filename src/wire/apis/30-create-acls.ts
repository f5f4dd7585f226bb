/**
 * CreateAcls: v0-3.
 *
 * Behavior: stores each binding in the authorizer, one result per creation in request order
 * (INVALID_REQUEST for a malformed one, SECURITY_DISABLED without an authorizer,
 * CLUSTER_AUTHORIZATION_FAILED without ALTER on the cluster).
 *
 * Version notes: v0 has no pattern type (LITERAL); v1 adds it (KIP-290); v2 is flexible; v3
 * changes nothing on the wire.
 */
import type { WireApi } from '../api.js'
import type { WireMessage } from '../protocol/schema.js'

export const createAclsApi: WireApi = {
  apiKey: 30,
  name: 'CreateAcls',
  minVersion: 0,
  maxVersion: 3,
  async handle(request: WireMessage, ctx) {
    const creations = (request.creations as WireMessage[]).map((c) => ({
      resourceType: c.resourceType as number,
      resourceName: c.resourceName as string,
      patternType: c.resourcePatternType as number,
      principal: c.principal as string,
      host: c.host as string,
      operation: c.operation as number,
      permissionType: c.permissionType as number,
    }))
    const response = await ctx.cluster.send(ctx.brokerId, { api: 'CreateAcls', creations }, ctx.source)
    return { throttleTimeMs: 0, results: response.results.map((r) => ({ errorCode: r.errorCode, errorMessage: r.errorMessage })) }
  },
}
