/**
 * CreateAcls (30), DescribeAcls (29), DeleteAcls (31): the ACL store of the cluster's
 * authorizer (KIP-801: kept in the controller's metadata, the same on every broker). Without an
 * authorizer (authorizer.class.name unset) Kafka answers SECURITY_DISABLED
 * ("No Authorizer is configured on the broker").
 */
import type { ClusterModel } from '../cluster-model.js'
import { ErrorCode } from '../error-codes.js'
import { invalidBindingReason, invalidFilterReason } from '../security/acl.js'
import type { CreateAclsRequest, CreateAclsResponse, DeleteAclsRequest, DeleteAclsResponse, DescribeAclsRequest, DescribeAclsResponse } from './messages.js'

const NO_AUTHORIZER = 'No Authorizer is configured on the broker'

export function handleCreateAcls(cluster: ClusterModel, _brokerId: number, request: CreateAclsRequest): CreateAclsResponse {
  if (!cluster.security.authorizationEnabled) return { results: request.creations.map(() => ({ errorCode: ErrorCode.SECURITY_DISABLED, errorMessage: NO_AUTHORIZER })) }
  let created = 0
  const results = request.creations.map((binding) => {
    const reason = invalidBindingReason(binding)
    if (reason !== undefined) return { errorCode: ErrorCode.INVALID_REQUEST, errorMessage: reason }
    const before = cluster.security.authorizer.size
    cluster.security.authorizer.add(binding)
    if (cluster.security.authorizer.size > before) created++
    return { errorCode: 0, errorMessage: null }
  })
  if (created > 0) cluster.eventLog.record({ type: 'aclsChanged', created, deleted: 0 })
  return { results }
}

export function handleDescribeAcls(cluster: ClusterModel, _brokerId: number, request: DescribeAclsRequest): DescribeAclsResponse {
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

export function handleDeleteAcls(cluster: ClusterModel, _brokerId: number, request: DeleteAclsRequest): DeleteAclsResponse {
  if (!cluster.security.authorizationEnabled) {
    return { filterResults: request.filters.map(() => ({ errorCode: ErrorCode.SECURITY_DISABLED, errorMessage: NO_AUTHORIZER, matchingAcls: [] })) }
  }
  let deleted = 0
  const filterResults = request.filters.map((filter) => {
    const reason = invalidFilterReason(filter)
    if (reason !== undefined) return { errorCode: ErrorCode.INVALID_REQUEST, errorMessage: reason, matchingAcls: [] }
    const removed = cluster.security.authorizer.remove(filter)
    deleted += removed.length
    return { errorCode: 0, errorMessage: null, matchingAcls: removed.map((b) => ({ ...b, errorCode: 0, errorMessage: null })) }
  })
  if (deleted > 0) cluster.eventLog.record({ type: 'aclsChanged', created: 0, deleted })
  return { filterResults }
}
