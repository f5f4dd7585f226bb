/**
 * DescribeTransactions: v0 (always flexible).
 *
 * Behavior: each transactional id's state, timeout, start time, producer id and epoch, and the
 * partitions of its open transaction, from its coordinator; TRANSACTIONAL_ID_NOT_FOUND for an
 * id it does not know, NOT_COORDINATOR from any other broker.
 */
import type { WireApi } from '../api.js'
import type { WireMessage } from '../protocol/schema.js'

export const describeTransactionsApi: WireApi = {
  apiKey: 65,
  name: 'DescribeTransactions',
  minVersion: 0,
  maxVersion: 0,
  async handle(request: WireMessage, ctx) {
    const response = await ctx.cluster.send(ctx.brokerId, { api: 'DescribeTransactions', transactionalIds: request.transactionalIds as string[] }, ctx.source)
    return {
      throttleTimeMs: 0,
      transactionStates: response.transactionStates.map((t) => ({ ...t, topics: t.topics.map((p) => ({ topic: p.topic, partitions: p.partitions })) })),
    }
  },
}
