/**
 * InitProducerId: v0-4.
 *
 * Behavior: a transactional id is answered by its transaction coordinator (NOT_COORDINATOR
 * elsewhere); an idempotent producer (null id) by any broker.
 *
 * Version notes:
 * - v1 changes nothing on the wire; v2 is flexible.
 * - v3 (KIP-360) carries the producer's current id and epoch, to bump the epoch after an
 *   error without losing the id; -1/-1 below v3.
 * - v4 only says the client understands PRODUCER_FENCED (KIP-588): a stale epoch is answered
 *   with it from v4 on, INVALID_PRODUCER_EPOCH below (see producer-fenced.ts).
 */
import type { WireApi } from '../api.js'
import type { WireMessage } from '../protocol/schema.js'
import { fencedErrorFor } from './producer-fenced.js'

export const initProducerIdApi: WireApi = {
  apiKey: 22,
  name: 'InitProducerId',
  minVersion: 0,
  maxVersion: 4,
  async handle(request: WireMessage, ctx) {
    const response = await ctx.cluster.send(
      ctx.brokerId,
      {
        api: 'InitProducerId',
        transactionalId: request.transactionalId as string | null,
        transactionTimeoutMs: request.transactionTimeoutMs as number,
        producerId: request.producerId as number,
        producerEpoch: request.producerEpoch as number,
      },
      ctx.source,
    )
    return { throttleTimeMs: 0, errorCode: fencedErrorFor(response.errorCode, ctx.apiVersion, 4), producerId: response.producerId, producerEpoch: response.producerEpoch }
  },
}
