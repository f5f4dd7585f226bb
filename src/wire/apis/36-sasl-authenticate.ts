/**
 * SaslAuthenticate: v0-2.
 *
 * Behavior: one token of the SASL exchange the handshake chose, answered with the server's
 * token; a failure is SASL_AUTHENTICATION_FAILED with the broker's message, and the connection
 * closes after the answer. On a listener without SASL: ILLEGAL_SASL_STATE.
 *
 * Version notes: v1 adds SessionLifetimeMs (KIP-368; 0: connections.max.reauth.ms is 0); v2 is
 * flexible.
 */
import type { WireApi } from '../api.js'
import { ErrorCode } from '../../cluster/error-codes.js'
import type { WireMessage } from '../protocol/schema.js'

export const saslAuthenticateApi: WireApi = {
  apiKey: 36,
  name: 'SaslAuthenticate',
  minVersion: 0,
  maxVersion: 2,
  handle(request: WireMessage, ctx) {
    if (!ctx.sasl) return { errorCode: ErrorCode.ILLEGAL_SASL_STATE, errorMessage: 'SaslAuthenticate on a listener without SASL', authBytes: Buffer.alloc(0), sessionLifetimeMs: 0 }
    return ctx.sasl.authenticate(request.authBytes as Buffer)
  },
}
