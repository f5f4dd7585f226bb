/**
 * DeleteAcls (31). The ACL store of the cluster's authorizer (KIP-801: kept in the controller's
 * metadata, the same on every broker); without an authorizer Kafka answers SECURITY_DISABLED.
 */
import { ErrorCode } from '../error-codes.js'
import type { BrokerContext } from './broker-context.js'
import { invalidFilterReason } from '../security/acl.js'
import { NO_AUTHORIZER } from './no-authorizer.js'
import type { DeleteAclsRequest, DeleteAclsResponse } from './messages.js'

export function handleDeleteAcls(cluster: BrokerContext, _brokerId: number, request: DeleteAclsRequest): DeleteAclsResponse {
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
