/**
 * DescribeAcls: v0-3.
 *
 * Behavior: the ACLs matching the filter, grouped by resource pattern (SECURITY_DISABLED
 * without an authorizer; CLUSTER_AUTHORIZATION_FAILED without DESCRIBE on the cluster).
 *
 * Version notes: v0 has no pattern type (the filter is LITERAL, so only literal ACLs come back);
 * v1 adds it (KIP-290); v2 is flexible; v3 changes nothing on the wire.
 */
import type { WireApi } from '../api.js'
import type { WireMessage } from '../protocol/schema.js'

export const describeAclsApi: WireApi = {
  apiKey: 29,
  name: 'DescribeAcls',
  minVersion: 0,
  maxVersion: 3,
  async handle(request: WireMessage, ctx) {
    const filter = {
      resourceType: request.resourceTypeFilter as number,
      resourceName: request.resourceNameFilter as string | null,
      patternType: request.patternTypeFilter as number,
      principal: request.principalFilter as string | null,
      host: request.hostFilter as string | null,
      operation: request.operation as number,
      permissionType: request.permissionType as number,
    }
    const response = await ctx.cluster.send(ctx.brokerId, { api: 'DescribeAcls', filter }, ctx.source)
    return {
      throttleTimeMs: 0,
      errorCode: response.errorCode,
      errorMessage: response.errorMessage,
      resources: response.resources.map((r) => ({ resourceType: r.resourceType, resourceName: r.resourceName, patternType: r.patternType, acls: r.acls.map((a) => ({ ...a })) })),
    }
  },
}
