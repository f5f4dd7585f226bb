/**
 * TxnOffsetCommit: v0-3.
 *
 * Behavior: the group's coordinator stages the offsets in the producer's transaction; they
 * become visible when the transaction commits and vanish when it aborts.
 *
 * Version notes:
 * - v1 changes nothing on the wire; v2 adds the committed leader epoch (not kept: the cluster
 *   stores no leader epoch with an offset, and OffsetFetch answers -1 for it).
 * - v3 (KIP-447) is flexible and carries the consumer's generation id, member id and group
 *   instance id: the group coordinator refuses a zombie's offsets (ILLEGAL_GENERATION,
 *   UNKNOWN_MEMBER_ID, FENCED_INSTANCE_ID). Below v3 they take their defaults (-1, "", null),
 *   which the coordinator accepts from outside the group, as Kafka does.
 */
import type { WireApi } from '../api.js'
import type { WireMessage } from '../protocol/schema.js'

interface WireTopic {
  name: string
  partitions: { partitionIndex: number; committedOffset: number; committedMetadata: string | null }[]
}

export const txnOffsetCommitApi: WireApi = {
  apiKey: 28,
  name: 'TxnOffsetCommit',
  minVersion: 0,
  maxVersion: 3,
  async handle(request: WireMessage, ctx) {
    const topics = request.topics as WireTopic[]
    const response = await ctx.cluster.send(
      ctx.brokerId,
      {
        api: 'TxnOffsetCommit',
        transactionalId: request.transactionalId as string,
        groupId: request.groupId as string,
        producerId: request.producerId as number,
        producerEpoch: request.producerEpoch as number,
        generationId: request.generationId as number,
        memberId: request.memberId as string,
        groupInstanceId: request.groupInstanceId as string | null,
        topics: topics.map((t) => ({
          name: t.name,
          partitions: t.partitions.map((p) => ({ index: p.partitionIndex, committedOffset: p.committedOffset, committedMetadata: p.committedMetadata })),
        })),
      },
      ctx.source,
    )
    return {
      throttleTimeMs: 0,
      topics: response.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ partitionIndex: p.index, errorCode: p.errorCode })) })),
    }
  },
}
