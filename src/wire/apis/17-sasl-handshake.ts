/**
 * SaslHandshake: v0-1.
 *
 * Behavior: on a SASL listener, names the mechanism of the exchange that follows and lists the
 * enabled ones (UNSUPPORTED_SASL_MECHANISM, then the connection closes, for any other); on a
 * listener without SASL, ILLEGAL_SASL_STATE (KafkaApis.handleSaslHandshakeRequest).
 *
 * Version notes: after v0 the tokens follow as raw size-prefixed frames; after v1 they come in
 * SaslAuthenticate requests (KIP-152).
 */
import type { WireApi } from '../api.js'
import { ErrorCode } from '../../cluster/error-codes.js'
import type { WireMessage } from '../protocol/schema.js'

export const saslHandshakeApi: WireApi = {
  apiKey: 17,
  name: 'SaslHandshake',
  minVersion: 0,
  maxVersion: 1,
  handle(request: WireMessage, ctx) {
    if (!ctx.sasl) return { errorCode: ErrorCode.ILLEGAL_SASL_STATE, mechanisms: [] }
    return ctx.sasl.handshake(request.mechanism as string, ctx.apiVersion)
  },
}
