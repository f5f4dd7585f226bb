/**
 * The broker's side of one SASL exchange, token by token (Kafka's PlainSaslServer and
 * ScramSaslServer): PLAIN (RFC 4616) and SCRAM-SHA-256/512 (RFC 5802, RFC 7677: client-first
 * with the client nonce, server-first with the combined nonce, salt and iterations,
 * client-final with the proof, server-final with the server signature).
 *
 * A failure carries the message Kafka's SaslServerAuthenticator puts in the SaslAuthenticate
 * response: PLAIN throws SaslAuthenticationException, whose own message reaches the client;
 * SCRAM throws a plain SaslException, answered with "Authentication failed during
 * authentication due to invalid credentials with SASL mechanism ...".
 */
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { hash, hmac, type ScramCredential, type ScramMechanism } from './scram-credential.js'
import { jsonErrorResponse, parseClientInitialResponse, validateUnsecuredJws } from './oauth-bearer.js'
import type { OAuthBearerValidatorOptions } from './jaas-config.js'

/**
 * What a SaslServer asks of the broker's credentials, as Kafka's servers ask their callback
 * handlers (PlainServerCallbackHandler, the SCRAM CredentialCache, the OAUTHBEARER unsecured
 * validator). ClusterSecurity provides it; the servers do not depend on ClusterSecurity itself
 * (which creates them).
 */
export interface SaslServerCallbackHandler {
  checkPlain(name: string, password: string): boolean
  scramCredential(name: string, mechanism: ScramMechanism): ScramCredential | undefined
  oauthBearerOptions(): OAuthBearerValidatorOptions
  /** The cluster clock's now, against which tokens are validated. */
  now(): number
}

export type SaslStep =
  | { readonly done: false; readonly challenge: Buffer }
  | { readonly done: true; readonly principal: string; readonly challenge: Buffer; /** When the credential itself expires (cluster clock, ms): an OAUTHBEARER token's exp. */ readonly credentialExpiresAt?: number }
  | { readonly failed: string }

export interface SaslServer {
  readonly mechanism: string
  evaluate(token: Buffer): SaslStep
}

export const SUPPORTED_SASL_MECHANISMS = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512', 'OAUTHBEARER'] as const

export function createSaslServer(mechanism: string, security: SaslServerCallbackHandler): SaslServer | undefined {
  if (mechanism === 'PLAIN') return new PlainSaslServer(security)
  if (mechanism === 'SCRAM-SHA-256' || mechanism === 'SCRAM-SHA-512') return new ScramSaslServer(mechanism, security)
  if (mechanism === 'OAUTHBEARER') return new OAuthBearerSaslServer(security)
  return undefined
}

class PlainSaslServer implements SaslServer {
  readonly mechanism = 'PLAIN'
  private finished = false
  constructor(private readonly security: SaslServerCallbackHandler) {}

  evaluate(token: Buffer): SaslStep {
    if (this.finished) return { failed: 'Authentication failed: PLAIN exchange already complete' }
    this.finished = true
    // message = [authzid] UTF8NUL authcid UTF8NUL passwd
    const parts = token.toString('utf8').split('\u0000')
    if (parts.length !== 3) return { failed: `Invalid SASL/PLAIN response: expected 3 tokens, got ${parts.length}` }
    const [authzid, username, password] = parts as [string, string, string]
    if (username === '') return { failed: 'Authentication failed: username not specified' }
    if (password === '') return { failed: 'Authentication failed: password not specified' }
    if (authzid !== '' && authzid !== username) return { failed: 'Authentication failed: Client requested an authorization id that is different from username' }
    if (!this.security.checkPlain(username, password)) return { failed: 'Authentication failed: Invalid username or password' }
    return { done: true, principal: `User:${username}`, challenge: Buffer.alloc(0) }
  }
}

type ScramState = 'clientFirst' | 'clientFinal' | 'complete' | 'failed'

class ScramSaslServer implements SaslServer {
  private state: ScramState = 'clientFirst'
  private username = ''
  private gs2Header = ''
  private clientFirstBare = ''
  private serverFirst = ''
  private nonce = ''
  private readonly failure: string

  constructor(
    readonly mechanism: ScramMechanism,
    private readonly security: SaslServerCallbackHandler,
  ) {
    this.failure = `Authentication failed during authentication due to invalid credentials with SASL mechanism ${mechanism}`
  }

  evaluate(token: Buffer): SaslStep {
    const text = token.toString('utf8')
    if (this.state === 'clientFirst') return this.clientFirst(text)
    if (this.state === 'clientFinal') return this.clientFinal(text)
    this.state = 'failed'
    return { failed: this.failure }
  }

  private fail(): SaslStep {
    this.state = 'failed'
    return { failed: this.failure }
  }

  private clientFirst(text: string): SaslStep {
    // gs2-header = gs2-cbind-flag "," [ authzid ] "," ; channel binding ('p=') is not supported.
    const match = /^([ny]),(a=[^,]*)?,(.*)$/.exec(text)
    if (!match) return this.fail()
    this.gs2Header = `${match[1]},${match[2] ?? ''},`
    this.clientFirstBare = match[3]!
    const attrs = parseAttributes(this.clientFirstBare)
    const name = attrs.get('n')
    const clientNonce = attrs.get('r')
    if (name === undefined || clientNonce === undefined || clientNonce === '' || /[^\x21-\x2b\x2d-\x7e]/.test(clientNonce)) return this.fail()
    this.username = name.replace(/=2C/g, ',').replace(/=3D/g, '=')
    const authzid = match[2]?.slice(2)
    if (authzid !== undefined && authzid !== '' && authzid !== this.username) return this.fail()
    const credential = this.security.scramCredential(this.username, this.mechanism)
    if (!credential) return this.fail()
    // The server nonce is secret randomness, as RFC 5802 requires: node:crypto, not the seeded Random.
    this.nonce = clientNonce + randomBytes(18).toString('base64')
    this.serverFirst = `r=${this.nonce},s=${credential.salt.toString('base64')},i=${credential.iterations}`
    this.state = 'clientFinal'
    return { done: false, challenge: Buffer.from(this.serverFirst, 'utf8') }
  }

  private clientFinal(text: string): SaslStep {
    const proofAt = text.lastIndexOf(',p=')
    if (proofAt < 0) return this.fail()
    const withoutProof = text.slice(0, proofAt)
    const attrs = parseAttributes(withoutProof)
    // c= must be the base64 of the gs2 header the client sent first. r= must end with the
    // combined nonce: Kafka's ScramSaslServer checks endsWith, not equality, and librdkafka
    // (2.0.2 here) sends its own nonce again in front of it.
    if (attrs.get('c') !== Buffer.from(this.gs2Header, 'utf8').toString('base64')) return this.fail()
    if (!(attrs.get('r') ?? '').endsWith(this.nonce)) return this.fail()
    const credential = this.security.scramCredential(this.username, this.mechanism)
    if (!credential) return this.fail()
    const proof = Buffer.from(text.slice(proofAt + 3), 'base64')
    const authMessage = `${this.clientFirstBare},${this.serverFirst},${withoutProof}`
    const clientSignature = hmac(this.mechanism, credential.storedKey, authMessage)
    if (proof.length !== clientSignature.length) return this.fail()
    const clientKey = Buffer.alloc(proof.length)
    for (let i = 0; i < proof.length; i++) clientKey[i] = proof[i]! ^ clientSignature[i]!
    if (!timingSafeEqual(hash(this.mechanism, clientKey), credential.storedKey)) return this.fail()
    this.state = 'complete'
    const serverSignature = hmac(this.mechanism, credential.serverKey, authMessage)
    return { done: true, principal: `User:${this.username}`, challenge: Buffer.from(`v=${serverSignature.toString('base64')}`, 'utf8') }
  }
}

function parseAttributes(text: string): Map<string, string> {
  const out = new Map<string, string>()
  for (const part of text.split(',')) {
    const eq = part.indexOf('=')
    if (eq !== 1) continue
    if (!out.has(part[0]!)) out.set(part[0]!, part.slice(2))
  }
  return out
}

/** OAuthBearerSaslServer with the unsecured validator (see oauth-bearer.ts). */
class OAuthBearerSaslServer implements SaslServer {
  readonly mechanism = 'OAUTHBEARER'
  /** The JSON error challenge sent for an invalid token, awaiting the client's 0x01. */
  private errorMessage: string | undefined
  private complete = false
  private readonly failure = 'Authentication failed during authentication due to invalid credentials with SASL mechanism OAUTHBEARER'

  constructor(private readonly security: SaslServerCallbackHandler) {}

  evaluate(token: Buffer): SaslStep {
    if (this.complete) return { failed: this.failure }
    if (token.length === 1 && token[0] === 1 && this.errorMessage !== undefined) return { failed: this.errorMessage }
    this.errorMessage = undefined
    const response = parseClientInitialResponse(token.toString('utf8'))
    if ('invalid' in response) return { failed: this.failure }
    const validation = validateUnsecuredJws(response.tokenValue, this.security.oauthBearerOptions(), this.security.now())
    if ('failure' in validation) {
      this.errorMessage = jsonErrorResponse(validation.failureScope !== undefined ? 'insufficient_scope' : 'invalid_token', validation.failureScope)
      return { done: false, challenge: Buffer.from(this.errorMessage, 'utf8') }
    }
    if (response.authorizationId !== '' && response.authorizationId !== validation.principalName) {
      return {
        failed: `Authentication failed: Client requested an authorization id (${response.authorizationId}) that is different from the token's principal name (${validation.principalName})`,
      }
    }
    this.complete = true
    return { done: true, principal: `User:${validation.principalName}`, challenge: Buffer.alloc(0), credentialExpiresAt: validation.lifetimeMs }
  }
}
