/**
 * EndTxn: v0-3.
 *
 * Behavior: the transactional id's coordinator commits or aborts the ongoing transaction; the
 * answer comes once the decision is taken, the markers follow.
 *
 * Version notes: v1 changes nothing on the wire; v2 (KIP-588) answers a stale epoch with
 * PRODUCER_FENCED; v3 is flexible.
 */
import type { WireApi } from '../api.js'
import type { WireMessage } from '../protocol/schema.js'
import { fencedErrorFor } from './producer-fenced.js'

export const endTxnApi: WireApi = {
  apiKey: 26,
  name: 'EndTxn',
  minVersion: 0,
  maxVersion: 3,
  async handle(request: WireMessage, ctx) {
    const response = await ctx.cluster.send(
      ctx.brokerId,
      {
        api: 'EndTxn',
        transactionalId: request.transactionalId as string,
        producerId: request.producerId as number,
        producerEpoch: request.producerEpoch as number,
        committed: request.committed as boolean,
      },
      ctx.source,
    )
    return { throttleTimeMs: 0, errorCode: fencedErrorFor(response.errorCode, ctx.apiVersion, 2) }
  },
}
