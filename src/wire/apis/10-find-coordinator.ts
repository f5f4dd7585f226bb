/**
 * FindCoordinator: v0-4.
 *
 * Behavior: the coordinator of a group (the leader of its __consumer_offsets partition) or of
 * a transactional id (its __transaction_state partition), at the address its wire listener
 * advertises (src/cluster/api/find-coordinator.ts).
 *
 * Version notes:
 * - v0 asks for a group's coordinator only; v1 adds the key type, the throttle time and the
 *   error message; v3 is flexible.
 * - v4 (KIP-699) asks for several keys of one type and answers one coordinator per key, each
 *   with its own error; each key is looked up as a v3 request would be.
 */
import type { WireApi, WireContext } from '../api.js'
import type { WireMessage } from '../protocol/schema.js'
import { advertisedAddress } from './03-metadata.js'

async function find(ctx: WireContext, key: string, keyType: number): Promise<{ errorCode: number; errorMessage: string | null; nodeId: number; host: string; port: number }> {
  const r = await ctx.cluster.send(ctx.brokerId, { api: 'FindCoordinator', key, keyType }, ctx.source)
  const address = r.nodeId >= 0 ? advertisedAddress(ctx, r.nodeId, r.host, r.port) : { host: r.host, port: r.port }
  return { errorCode: r.errorCode, errorMessage: r.errorMessage ?? null, nodeId: r.nodeId, ...address }
}

export const findCoordinatorApi: WireApi = {
  apiKey: 10,
  name: 'FindCoordinator',
  minVersion: 0,
  maxVersion: 4,
  async handle(request: WireMessage, ctx) {
    const keyType = ctx.apiVersion >= 1 ? (request.keyType as number) : 0
    if (ctx.apiVersion >= 4) {
      const keys = request.coordinatorKeys as readonly string[]
      const coordinators = []
      for (const key of keys) coordinators.push({ key, ...(await find(ctx, key, keyType)) })
      return { throttleTimeMs: 0, coordinators }
    }
    return { throttleTimeMs: 0, ...(await find(ctx, request.key as string, keyType)) }
  },
}
