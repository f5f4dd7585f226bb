/**
 * CreateAcls (30). The ACL store of the cluster's authorizer (KIP-801: kept in the controller's
 * metadata, the same on every broker); without an authorizer Kafka answers SECURITY_DISABLED.
 */
import { ErrorCode } from '../error-codes.js'
import type { BrokerContext } from './broker-context.js'
import { invalidBindingReason } from '../security/acl.js'
import { NO_AUTHORIZER } from './no-authorizer.js'
import type { CreateAclsRequest, CreateAclsResponse } from './messages.js'

export function handleCreateAcls(cluster: BrokerContext, _brokerId: number, request: CreateAclsRequest): CreateAclsResponse {
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
