/**
 * The OAUTHBEARER unsecured JWS validator and client message parser, as Kafka's
 * OAuthBearerUnsecuredValidatorCallbackHandler and OAuthBearerClientInitialResponse decide,
 * and the broker's SASL exchange (error challenge, then 0x01) on a cluster's clock.
 */
import { describe, expect, it } from 'vitest'
import { ClusterModel } from '../../../src/cluster/cluster-model.js'
import { ManualClock } from '../../../src/cluster/clock.js'
import { DEFAULT_OAUTHBEARER_OPTIONS, jaasSettings } from '../../../src/cluster/security/jaas-config.js'
import { parseClientInitialResponse, validateUnsecuredJws } from '../../../src/cluster/security/oauth-bearer.js'
import { createSaslServer } from '../../../src/cluster/security/sasl-server.js'

const b64 = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url')
const jws = (claims: object, header: object = { alg: 'none' }): string => `${b64(header)}.${b64(claims)}.`
const NOW = 1_700_000_000_000
const S = NOW / 1000

describe('the unsecured JWS validator', () => {
  const valid = (token: string, options = DEFAULT_OAUTHBEARER_OPTIONS): unknown => validateUnsecuredJws(token, options, NOW)

  it('accepts alg none with sub and a future exp: the principal and the lifetime', () => {
    expect(valid(jws({ sub: 'alice', exp: S + 60, iat: S }))).toEqual({ principalName: 'alice', lifetimeMs: NOW + 60_000 })
  })

  it.each([
    ['a signed token', jws({ sub: 'a', exp: S + 60 }, { alg: 'HS256' }) + 'c2ln', /3 dot-separated|'none'|signature/],
    ['alg other than none', jws({ sub: 'a', exp: S + 60 }, { alg: 'HS256' }), /'none' for an algorithm/],
    ['a signature part', jws({ sub: 'a', exp: S + 60 }) + 'c2ln', /must not contain a digital signature/],
    ['two parts', `${b64({ alg: 'none' })}.${b64({ sub: 'a', exp: S + 60 })}`, /3 dot-separated/],
    ['no sub', jws({ exp: S + 60 }), /Required claim missing: sub/],
    ['a numeric sub', jws({ sub: 7, exp: S + 60 }), /non-empty string/],
    ['no exp', jws({ sub: 'a' }), /No expiration time/],
    ['an expired token', jws({ sub: 'a', exp: S }), /on or after the Expiration Time/],
    ['iat in the future', jws({ sub: 'a', iat: S + 10, exp: S + 60 }), /Issued At value/],
    ['exp before iat', jws({ sub: 'a', iat: S - 10, exp: S - 20 }), /Expiration Time/],
    ['not JSON', 'abc.def.', /Base64URL-encoded JSON/],
  ])('refuses %s', (_what, token, reason) => {
    const result = valid(token) as { failure: string }
    expect(result.failure).toMatch(reason)
  })

  it('applies the clock skew, the principal claim name and the required scope of the JAAS options', () => {
    const options = jaasSettings(
      'org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required unsecuredValidatorPrincipalClaimName="client_id" unsecuredValidatorRequiredScope="read write" unsecuredValidatorAllowableClockSkewMs="5000";',
    ).oauthBearer
    expect(valid(jws({ client_id: 'svc', exp: S - 2, scope: ['read', 'write', 'x'] }), options)).toEqual({ principalName: 'svc', lifetimeMs: NOW - 2000 })
    expect(valid(jws({ client_id: 'svc', exp: S + 60, scope: ['read'] }), options)).toMatchObject({ failureScope: '[read, write]' })
    // A string scope claim is a single value, as OAuthBearerUnsecuredJws reads it.
    expect(valid(jws({ client_id: 'svc', exp: S + 60, scope: 'read write' }), options)).toMatchObject({ failureScope: '[read, write]' })
    expect(valid(jws({ sub: 'svc', exp: S + 60, scope: ['read', 'write'] }), options)).toMatchObject({ failure: 'Required claim missing: client_id' })
  })
})

describe('the OAUTHBEARER client message', () => {
  it('parses token, authorization id and extensions; refuses other schemes and shapes', () => {
    expect(parseClientInitialResponse('n,a=alice,\u0001auth=Bearer abc.def.\u0001traceId=42\u0001\u0001')).toEqual({ authorizationId: 'alice', tokenValue: 'abc.def.', extensions: new Map([['traceId', '42']]) })
    expect(parseClientInitialResponse('n,,\u0001auth=Basic abc\u0001\u0001')).toEqual({ invalid: 'Invalid scheme in OAUTHBEARER client first message: Basic' })
    expect(parseClientInitialResponse('n,,\u0001x=1\u0001\u0001')).toEqual({ invalid: "Invalid OAUTHBEARER client first message: 'auth' not specified" })
    expect(parseClientInitialResponse('n,"a=alice,\u0001auth=Bearer abc\u0001\u0001')).toEqual({ invalid: 'Invalid OAUTHBEARER client first message' })
    expect(parseClientInitialResponse('garbage')).toEqual({ invalid: 'Invalid OAUTHBEARER client first message' })
  })
})

describe('the broker side of the exchange', () => {
  const cluster = new ClusterModel({ brokers: 1, clock: new ManualClock(NOW), brokerConfig: { 'sasl.enabled.mechanisms': 'OAUTHBEARER' } as never })
  const message = (token: string, authzid = ''): Buffer => Buffer.from(`n,${authzid === '' ? '' : `a=${authzid}`},\u0001auth=Bearer ${token}\u0001\u0001`)

  it('a valid token completes with User:<sub> and the token expiry', () => {
    const server = createSaslServer('OAUTHBEARER', cluster.security)!
    expect(server.evaluate(message(jws({ sub: 'alice', exp: S + 60 })))).toEqual({ done: true, principal: 'User:alice', challenge: Buffer.alloc(0), credentialExpiresAt: NOW + 60_000 })
  })

  it('an invalid token: a JSON error challenge, then the 0x01 fails with that JSON', () => {
    const server = createSaslServer('OAUTHBEARER', cluster.security)!
    const step = server.evaluate(message(jws({ sub: 'alice', exp: S - 1 })))
    expect(step).toEqual({ done: false, challenge: Buffer.from('{"status":"invalid_token"}') })
    expect(server.evaluate(Buffer.from([1]))).toEqual({ failed: '{"status":"invalid_token"}' })
  })

  it('an authorization id other than the principal, and a malformed message, fail', () => {
    expect(createSaslServer('OAUTHBEARER', cluster.security)!.evaluate(message(jws({ sub: 'alice', exp: S + 60 }), 'bob'))).toEqual({
      failed: "Authentication failed: Client requested an authorization id (bob) that is different from the token's principal name (alice)",
    })
    expect(createSaslServer('OAUTHBEARER', cluster.security)!.evaluate(Buffer.from('nonsense'))).toEqual({
      failed: 'Authentication failed during authentication due to invalid credentials with SASL mechanism OAUTHBEARER',
    })
  })

  it('a sasl.jaas.config memkafka cannot honour is refused when the cluster is made', () => {
    expect(() => new ClusterModel({ brokers: 1, brokerConfig: { 'sasl.jaas.config': 'com.example.MyLoginModule required;' } as never })).toThrow(/does not implement the login module com.example.MyLoginModule/)
    expect(() => new ClusterModel({ brokers: 1, brokerConfig: { 'sasl.jaas.config': 'org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required unsecuredValidatorRequiredScop="x";' } as never })).toThrow(/unsecuredValidatorRequiredScop/)
    expect(() => new ClusterModel({ brokers: 1, brokerConfig: { 'sasl.jaas.config': 'org.apache.kafka.common.security.plain.PlainLoginModule required user_bob="pw"' } as never })).toThrow(/must end with ";"/)
  })

  it("PlainLoginModule's user_<name> entries are PLAIN users", () => {
    const withJaas = new ClusterModel({
      brokers: 1,
      brokerConfig: { 'sasl.enabled.mechanisms': 'PLAIN', 'sasl.jaas.config': 'org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="x" user_bob="bob secret";' } as never,
    })
    expect(withJaas.security.checkPlain('bob', 'bob secret')).toBe(true)
    expect(withJaas.security.checkPlain('bob', 'bob')).toBe(false)
  })
})
