/**
 * AddOffsetsToTxn: v0-3.
 *
 * Behavior: the transactional id's coordinator adds the group to the ongoing transaction; its
 * offsets then come with TxnOffsetCommit to the group's coordinator.
 *
 * Version notes: v1 changes nothing on the wire; v2 (KIP-588) answers a stale epoch with
 * PRODUCER_FENCED; v3 is flexible.
 */
import type { WireApi } from '../api.js'
import type { WireMessage } from '../protocol/schema.js'
import { fencedErrorFor } from './producer-fenced.js'

export const addOffsetsToTxnApi: WireApi = {
  apiKey: 25,
  name: 'AddOffsetsToTxn',
  minVersion: 0,
  maxVersion: 3,
  async handle(request: WireMessage, ctx) {
    const response = await ctx.cluster.send(
      ctx.brokerId,
      {
        api: 'AddOffsetsToTxn',
        transactionalId: request.transactionalId as string,
        producerId: request.producerId as number,
        producerEpoch: request.producerEpoch as number,
        groupId: request.groupId as string,
      },
      ctx.source,
    )
    return { throttleTimeMs: 0, errorCode: fencedErrorFor(response.errorCode, ctx.apiVersion, 2) }
  },
}
