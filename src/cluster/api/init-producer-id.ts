/**
 * InitProducerId (22). Answered by the transactional id's coordinator broker (NOT_COORDINATOR
 * elsewhere); the transaction logic itself is the TransactionCoordinator's. An idempotent
 * producer's InitProducerId (no transactional id) is answered by any broker.
 */
import { ErrorCode } from '../error-codes.js'
import type { BrokerContext } from './broker-context.js'
import { isTransactionCoordinator } from './is-coordinator.js'
import type { InitProducerIdRequest, InitProducerIdResponse } from './messages.js'

export function handleInitProducerId(cluster: BrokerContext, brokerId: number, request: InitProducerIdRequest): InitProducerIdResponse {
  if (request.transactionalId !== null && request.transactionalId !== '' && !isTransactionCoordinator(cluster, brokerId, request.transactionalId)) {
    return { errorCode: ErrorCode.NOT_COORDINATOR, producerId: -1, producerEpoch: -1 }
  }
  return cluster.transactions.initProducerId(request)
}
