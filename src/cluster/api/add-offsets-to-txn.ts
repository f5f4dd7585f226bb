/**
 * AddOffsetsToTxn (25). Answered by the transactional id's coordinator broker (NOT_COORDINATOR
 * elsewhere); the transaction logic itself is the TransactionCoordinator's.
 */
import { ErrorCode } from '../error-codes.js'
import type { BrokerContext } from './broker-context.js'
import { isTransactionCoordinator } from './is-coordinator.js'
import type { AddOffsetsToTxnRequest, AddOffsetsToTxnResponse } from './messages.js'

export function handleAddOffsetsToTxn(cluster: BrokerContext, brokerId: number, request: AddOffsetsToTxnRequest): AddOffsetsToTxnResponse {
  if (!isTransactionCoordinator(cluster, brokerId, request.transactionalId)) return { errorCode: ErrorCode.NOT_COORDINATOR }
  return cluster.transactions.addOffsets(request)
}
