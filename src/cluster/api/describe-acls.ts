/**
 * DescribeAcls (29). The ACL store of the cluster's authorizer (KIP-801: kept in the controller's
 * metadata, the same on every broker); without an authorizer Kafka answers SECURITY_DISABLED.
 */
import { ErrorCode } from '../error-codes.js'
import type { BrokerContext } from './broker-context.js'
import { invalidFilterReason } from '../security/acl.js'
import { NO_AUTHORIZER } from './no-authorizer.js'
import type { DescribeAclsRequest, DescribeAclsResponse } from './messages.js'

export function handleDescribeAcls(cluster: BrokerContext, _brokerId: number, request: DescribeAclsRequest): DescribeAclsResponse {
  if (!cluster.security.authorizationEnabled) return { errorCode: ErrorCode.SECURITY_DISABLED, errorMessage: NO_AUTHORIZER, resources: [] }
  const reason = invalidFilterReason(request.filter)
  if (reason !== undefined) return { errorCode: ErrorCode.INVALID_REQUEST, errorMessage: reason, resources: [] }
  const resources: DescribeAclsResponse['resources'][number][] = []
  const byPattern = new Map<string, DescribeAclsResponse['resources'][number]>()
  for (const b of cluster.security.authorizer.matching(request.filter)) {
    const key = `${b.resourceType}\u0000${b.patternType}\u0000${b.resourceName}`
    let resource = byPattern.get(key)
    if (!resource) {
      resource = { resourceType: b.resourceType, resourceName: b.resourceName, patternType: b.patternType, acls: [] }
      byPattern.set(key, resource)
      resources.push(resource)
    }
    resource.acls.push({ principal: b.principal, host: b.host, operation: b.operation, permissionType: b.permissionType })
  }
  return { errorCode: 0, errorMessage: null, resources }
}
