/**
 * DescribeTransactions (API key 65, KIP-664): each transactional id's state, producer and open
 * partitions, answered by its coordinator (NOT_COORDINATOR from any other broker, as Kafka's
 * TransactionStateManager.getTransactionState answers).
 */
import { ErrorCode } from '../error-codes.js'
import type { BrokerContext } from './broker-context.js'
import { CoordinatorType, type DescribeTransactionsRequest, type DescribeTransactionsResponse } from './messages.js'

export function handleDescribeTransactions(cluster: BrokerContext, brokerId: number, request: DescribeTransactionsRequest): DescribeTransactionsResponse {
  return {
    transactionStates: request.transactionalIds.map((transactionalId) =>
      cluster.coordinatorFor(transactionalId, CoordinatorType.TRANSACTION) === brokerId
        ? cluster.transactions.describe(transactionalId)
        : { errorCode: ErrorCode.NOT_COORDINATOR, transactionalId, transactionState: '', transactionTimeoutMs: 0, transactionStartTimeMs: 0, producerId: 0, producerEpoch: 0, topics: [] },
    ),
  }
}
