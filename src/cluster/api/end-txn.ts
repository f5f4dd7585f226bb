/**
 * EndTxn (26). Answered by the transactional id's coordinator broker (NOT_COORDINATOR elsewhere);
 * the transaction logic itself is the TransactionCoordinator's.
 */
import { ErrorCode } from '../error-codes.js'
import type { BrokerContext } from './broker-context.js'
import { isTransactionCoordinator } from './is-coordinator.js'
import type { EndTxnRequest, EndTxnResponse } from './messages.js'

export function handleEndTxn(cluster: BrokerContext, brokerId: number, request: EndTxnRequest): EndTxnResponse {
  if (!isTransactionCoordinator(cluster, brokerId, request.transactionalId)) return { errorCode: ErrorCode.NOT_COORDINATOR }
  return cluster.transactions.endTxn(request)
}
