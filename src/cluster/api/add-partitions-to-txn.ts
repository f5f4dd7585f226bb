/**
 * AddPartitionsToTxn (24). Answered by the transactional id's coordinator broker (NOT_COORDINATOR
 * elsewhere); the transaction logic itself is the TransactionCoordinator's.
 */
import { ErrorCode } from '../error-codes.js'
import type { BrokerContext } from './broker-context.js'
import { isTransactionCoordinator } from './is-coordinator.js'
import type { AddPartitionsToTxnRequest, AddPartitionsToTxnResponse } from './messages.js'

export function handleAddPartitionsToTxn(cluster: BrokerContext, brokerId: number, request: AddPartitionsToTxnRequest): AddPartitionsToTxnResponse {
  if (!isTransactionCoordinator(cluster, brokerId, request.transactionalId)) {
    return { results: request.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ index: p, errorCode: ErrorCode.NOT_COORDINATOR })) })) }
  }
  return cluster.transactions.addPartitions(request)
}
