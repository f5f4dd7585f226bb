/**
 * ListTransactions (API key 66, KIP-664): the transactions this broker coordinates, filtered by
 * state and producer id. A state filter Kafka does not know is echoed in unknownStateFilters;
 * when no filter names a known state, every state is listed (Kafka's listTransactionStates).
 */
import { ErrorCode } from '../error-codes.js'
import type { BrokerContext } from './broker-context.js'
import { CoordinatorType, type ListTransactionsRequest, type ListTransactionsResponse } from './messages.js'

export function handleListTransactions(cluster: BrokerContext, brokerId: number, request: ListTransactionsRequest): ListTransactionsResponse {
  const { unknownStateFilters, transactions } = cluster.transactions.list(request.stateFilters, request.producerIdFilters)
  return {
    errorCode: ErrorCode.NONE,
    unknownStateFilters,
    transactionStates: transactions.filter((t) => cluster.coordinatorFor(t.transactionalId, CoordinatorType.TRANSACTION) === brokerId),
  }
}
