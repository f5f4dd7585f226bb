/**
 * AddPartitionsToTxn: v0-4.
 *
 * Behavior: the transactional id's coordinator adds the partitions to the ongoing transaction
 * (NOT_COORDINATOR elsewhere); one unknown partition fails the request (the others
 * OPERATION_NOT_ATTEMPTED).
 *
 * Version notes:
 * - v1 changes nothing on the wire. v2 (KIP-588) answers a stale epoch with PRODUCER_FENCED.
 * - v3 is flexible.
 * - v4 (KIP-890) batches transactions and adds VerifyOnly: it is what a partition leader sends
 *   the coordinator to check a transactional write; clients send 0-3. Kafka 3.7 advertises and
 *   serves v4 to anyone allowed CLUSTER_ACTION (everyone, without an authorizer), and so does
 *   memkafka. A v4 request carries its results per transaction, with a top-level error code.
 */
import type { WireApi, WireContext } from '../api.js'
import type { WireMessage } from '../protocol/schema.js'
import { fencedErrorFor } from './producer-fenced.js'

interface WireTopic {
  name: string
  partitions: number[]
}

async function addToOne(ctx: WireContext, transactionalId: string, producerId: number, producerEpoch: number, topics: WireTopic[], verifyOnly: boolean) {
  const response = await ctx.cluster.send(
    ctx.brokerId,
    {
      api: 'AddPartitionsToTxn',
      transactionalId,
      producerId,
      producerEpoch,
      topics: topics.map((t) => ({ name: t.name, partitions: t.partitions })),
      ...(verifyOnly ? { verifyOnly } : {}),
    },
    ctx.source,
  )
  return response.results.map((t) => ({
    name: t.name,
    resultsByPartition: t.partitions.map((p) => ({ partitionIndex: p.index, partitionErrorCode: fencedErrorFor(p.errorCode, ctx.apiVersion, 2) })),
  }))
}

export const addPartitionsToTxnApi: WireApi = {
  apiKey: 24,
  name: 'AddPartitionsToTxn',
  minVersion: 0,
  maxVersion: 4,
  async handle(request: WireMessage, ctx) {
    if (ctx.apiVersion < 4) {
      const results = await addToOne(
        ctx,
        request.v3AndBelowTransactionalId as string,
        request.v3AndBelowProducerId as number,
        request.v3AndBelowProducerEpoch as number,
        request.v3AndBelowTopics as WireTopic[],
        false,
      )
      return { throttleTimeMs: 0, resultsByTopicV3AndBelow: results }
    }
    const transactions = request.transactions as { transactionalId: string; producerId: number; producerEpoch: number; verifyOnly: boolean; topics: WireTopic[] }[]
    const resultsByTransaction = []
    for (const txn of transactions) {
      const topicResults = await addToOne(ctx, txn.transactionalId, txn.producerId, txn.producerEpoch, txn.topics, txn.verifyOnly)
      resultsByTransaction.push({ transactionalId: txn.transactionalId, topicResults })
    }
    return { throttleTimeMs: 0, errorCode: 0, resultsByTransaction }
  },
}
