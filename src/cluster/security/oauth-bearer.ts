/**
 * SASL/OAUTHBEARER (RFC 7628, KIP-255) with unsecured JWS tokens, as Kafka's broker accepts them
 * by default (OAuthBearerSaslServer + OAuthBearerUnsecuredValidatorCallbackHandler):
 * - the client's message is `n,[a=authzid],^Aauth=Bearer <token>^A[key=value^A]*^A`
 *   (OAuthBearerClientInitialResponse); anything else fails the exchange;
 * - the token is an unsecured JWS (`alg: none`, three dot-separated Base64URL parts, the last
 *   empty); its principal claim (`sub` unless unsecuredValidatorPrincipalClaimName) must be a
 *   string; `exp` (seconds) is required and must be after now; `iat`, when given, must not be
 *   in the future and must be before `exp`; both with unsecuredValidatorAllowableClockSkewMs;
 *   every scope in unsecuredValidatorRequiredScope must be in the scope claim;
 * - an invalid token is answered with a JSON error challenge (`{"status":"invalid_token"}`, or
 *   `insufficient_scope` with the required scope), not an error code: the client must then
 *   send a single 0x01 byte, which fails the exchange with that JSON as message;
 * - an authorization id must equal the token's principal;
 * - the principal is `User:<principal claim>`; the session lasts no longer than the token.
 */
import type { OAuthBearerValidatorOptions } from './jaas-config.js'

export interface ValidatedToken {
  readonly principalName: string
  /** exp, in ms. */
  readonly lifetimeMs: number
}

export type TokenValidation = ValidatedToken | { readonly failure: string; readonly failureScope?: string }

export interface ClientInitialResponse {
  readonly authorizationId: string
  readonly tokenValue: string
  readonly extensions: ReadonlyMap<string, string>
}

const SEPARATOR = '\u0001'
const SASLNAME = '(?:[\\x01-\\x2B\\x2D-\\x3C\\x3E-\\x7F]|=2C|=3D)+'
const KEY = '[A-Za-z]+'
const VALUE = '[\\x21-\\x7E \\t\\r\\n]+'
const CLIENT_INITIAL_RESPONSE = new RegExp(`^n,(?:a=(${SASLNAME}))?,${SEPARATOR}((?:${KEY}=${VALUE}${SEPARATOR})*)${SEPARATOR}$`)
const AUTH = /^(\w+) +([-_.a-zA-Z0-9]+)$/

/** OAuthBearerClientInitialResponse: the parsed message, or the SaslException's reason. */
export function parseClientInitialResponse(message: string): ClientInitialResponse | { readonly invalid: string } {
  const match = CLIENT_INITIAL_RESPONSE.exec(message)
  if (!match) return { invalid: 'Invalid OAUTHBEARER client first message' }
  const properties = new Map<string, string>()
  for (const pair of match[2]!.split(SEPARATOR)) {
    if (pair === '') continue
    const eq = pair.indexOf('=')
    properties.set(pair.slice(0, eq), pair.slice(eq + 1))
  }
  const auth = properties.get('auth')
  if (auth === undefined) return { invalid: "Invalid OAUTHBEARER client first message: 'auth' not specified" }
  properties.delete('auth')
  const authMatch = AUTH.exec(auth)
  if (!authMatch) return { invalid: 'Invalid OAUTHBEARER client first message: invalid \'auth\' format' }
  if (authMatch[1]!.toLowerCase() !== 'bearer') return { invalid: `Invalid scheme in OAUTHBEARER client first message: ${authMatch[1]}` }
  const authorizationId = (match[1] ?? '').replace(/=2C/g, ',').replace(/=3D/g, '=')
  return { authorizationId, tokenValue: authMatch[2]!, extensions: properties }
}

function base64UrlJson(part: string): Record<string, unknown> | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(part)) return undefined
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'))
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

/** OAuthBearerUnsecuredJws + OAuthBearerValidationUtils, at `nowMs`. */
export function validateUnsecuredJws(tokenValue: string, options: OAuthBearerValidatorOptions, nowMs: number): TokenValidation {
  if (tokenValue.includes('..')) return { failure: "Malformed compact serialization contains '..'" }
  const splits = tokenValue.split('.')
  if (splits.length !== 3) return { failure: 'Unsecured JWS compact serializations must have 3 dot-separated Base64URL-encoded values' }
  const header = base64UrlJson(splits[0]!)
  const claims = base64UrlJson(splits[1]!)
  if (!header || !claims) return { failure: 'Unsecured JWS header and claims must be Base64URL-encoded JSON objects' }
  if (header.alg !== 'none') return { failure: "Unsecured JWS must have 'none' for an algorithm" }
  if (splits[2] !== '') return { failure: 'Unsecured JWS must not contain a digital signature' }
  const principal = claims[options.principalClaimName]
  if (principal === undefined) return { failure: `Required claim missing: ${options.principalClaimName}` }
  if (typeof principal !== 'string' || principal.trim() === '') return { failure: `The value of the required claim ${options.principalClaimName} must be a non-empty string` }
  const skew = options.allowableClockSkewMs
  const iat = claims.iat
  if (iat !== undefined && typeof iat !== 'number') return { failure: 'The Issued At claim (iat) must be a number' }
  if (typeof iat === 'number' && iat * 1000 > nowMs + skew) {
    return { failure: `The Issued At value (${iat} seconds) was after the indicated time (${nowMs} ms) plus allowable clock skew (${skew} ms)` }
  }
  const exp = claims.exp
  if (exp === undefined) return { failure: 'No expiration time in JWT' }
  if (typeof exp !== 'number') return { failure: 'The Expiration Time claim (exp) must be a number' }
  if (nowMs - skew >= exp * 1000) {
    return { failure: `The indicated time (${nowMs} ms) minus allowable clock skew (${skew} ms) was on or after the Expiration Time value (${exp} seconds)` }
  }
  if (typeof iat === 'number' && exp <= iat) return { failure: `The Expiration Time time (${exp} seconds) was not after the Issued At time (${iat} seconds)` }
  if (options.requiredScope.length > 0) {
    const raw = claims[options.scopeClaimName]
    // OAuthBearerUnsecuredJws.scope(): a string claim is one scope value (trimmed), a list is several.
    const scope = typeof raw === 'string' ? (raw.trim() === '' ? [] : [raw.trim()]) : Array.isArray(raw) ? raw.filter((s): s is string => typeof s === 'string') : []
    const missing = options.requiredScope.find((s) => !scope.includes(s))
    if (missing !== undefined) {
      // Java's List.toString of the required scope is what the error challenge carries.
      return { failure: `The provided scope (${JSON.stringify(scope)}) was missing a required scope (${missing})`, failureScope: `[${options.requiredScope.join(', ')}]` }
    }
  }
  return { principalName: principal, lifetimeMs: exp * 1000 }
}

/** OAuthBearerSaslServer.jsonErrorResponse. */
export function jsonErrorResponse(status: string, scope: string | undefined): string {
  return scope === undefined ? `{"status":"${status}"}` : `{"status":"${status}", "scope":"${scope}"}`
}
