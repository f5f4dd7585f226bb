/**
 * ListTransactions: v0 (always flexible). Kafka 3.7 serves v0 only (v1's DurationFilter came
 * with 3.8, KIP-994).
 *
 * Behavior: the transactions this broker coordinates, filtered by state names and producer
 * ids (each filter empty: no filtering); state names Kafka does not know come back in
 * UnknownStateFilters.
 */
import type { WireApi } from '../api.js'
import type { WireMessage } from '../protocol/schema.js'

export const listTransactionsApi: WireApi = {
  apiKey: 66,
  name: 'ListTransactions',
  minVersion: 0,
  maxVersion: 0,
  async handle(request: WireMessage, ctx) {
    const response = await ctx.cluster.send(
      ctx.brokerId,
      { api: 'ListTransactions', stateFilters: request.stateFilters as string[], producerIdFilters: request.producerIdFilters as number[] },
      ctx.source,
    )
    return {
      throttleTimeMs: 0,
      errorCode: response.errorCode,
      unknownStateFilters: response.unknownStateFilters,
      transactionStates: response.transactionStates.map((t) => ({ transactionalId: t.transactionalId, producerId: t.producerId, transactionState: t.transactionState })),
    }
  },
}
