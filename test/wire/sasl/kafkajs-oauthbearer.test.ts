/**
 * SASL/OAUTHBEARER with unsecured JWS tokens over the wire, as Kafka's default validator accepts
 * them, with the real kafkajs 2.2.4 (its `oauthBearerProvider`) and with raw frames for what
 * kafkajs does not show: the JSON error challenge, the failure after the client's 0x01, and the
 * session lifetime the token's exp gives (KIP-368).
 */
import { Kafka, logLevel } from 'kafkajs'
import { describe, expect, it } from 'vitest'
import { cleanupAfterEach } from '../../support/cleanup-after-each.js'
import { Cluster } from '../../../src/client/cluster.js'
import { SystemClock } from '../../../src/cluster/clock.js'
import { ErrorCode } from '../../../src/cluster/error-codes.js'
import { schemas } from '../../../src/wire/messages/index.js'
import type { WireServer } from '../../../src/wire/server.js'
import { RawClient } from '../server/raw-client.js'

const b64 = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url')
const jws = (claims: object, header: object = { alg: 'none' }): string => `${b64(header)}.${b64(claims)}.`
const nowS = (): number => Math.floor(Date.now() / 1000)

let cluster: Cluster | undefined
const cleanups = cleanupAfterEach(() => cluster)

async function served(extra: Record<string, string> = {}): Promise<WireServer> {
  cluster = new Cluster({
    brokers: 1,
    clock: new SystemClock(),
    seed: 9,
    brokerConfig: {
      listeners: 'SASL_PLAINTEXT://:9092',
      'sasl.enabled.mechanisms': 'OAUTHBEARER',
      'authorizer.class.name': 'org.apache.kafka.metadata.authorizer.StandardAuthorizer',
      'super.users': 'User:admin',
      ...extra,
    } as never,
  })
  const server = await cluster.listen({ log: () => {} })
  cleanups.push(() => server.close())
  return server
}

function kafka(server: WireServer, token: string): Kafka {
  return new Kafka({ clientId: 'oauth', brokers: server.bootstrapBrokers, logLevel: logLevel.NOTHING, retry: { retries: 0 }, sasl: { mechanism: 'oauthbearer', oauthBearerProvider: async () => ({ value: token }) } })
}

/** SaslHandshake v1 + SaslAuthenticate v1 with `message`, then (optionally) one more token. */
async function exchange(server: WireServer, messages: Buffer[]): Promise<{ errorCode: number; errorMessage: string | null; authBytes: Buffer; sessionLifetimeMs: bigint }[]> {
  const raw = await RawClient.connect(server.brokers[0]!.port)
  cleanups.push(() => raw.close())
  raw.sendRequest(schemas.get(17)!, 1, 1, { mechanism: 'OAUTHBEARER' })
  expect((await raw.nextResponse(schemas.get(17)!, 1))!.body.errorCode).toBe(0)
  const answers: { errorCode: number; errorMessage: string | null; authBytes: Buffer; sessionLifetimeMs: bigint }[] = []
  for (const [i, authBytes] of messages.entries()) {
    raw.sendRequest(schemas.get(36)!, 1, 2 + i, { authBytes })
    answers.push((await raw.nextResponse(schemas.get(36)!, 1))!.body as never)
  }
  return answers
}
const initial = (token: string): Buffer => Buffer.from(`n,,\u0001auth=Bearer ${token}\u0001\u0001`)

describe('OAUTHBEARER on the wire', () => {
  it('kafkajs with a valid unsecured token: the sub claim is the principal the ACLs see', async () => {
    const server = await served()
    const admin = kafka(server, jws({ sub: 'admin', exp: nowS() + 300, iat: nowS() })).admin()
    cleanups.push(() => admin.disconnect())
    await admin.connect()
    await admin.createTopics({ topics: [{ topic: 'orders' }] })
    const alice = kafka(server, jws({ sub: 'alice', exp: nowS() + 300 })).producer()
    cleanups.push(() => alice.disconnect())
    await alice.connect()
    const denied = await alice.send({ topic: 'orders', messages: [{ value: 'x' }] }).catch((e: unknown) => e)
    expect(((denied as Error).cause as { type?: string }).type).toBe('TOPIC_AUTHORIZATION_FAILED')
    expect(cluster!.timeline({ types: ['authorizationDenied'] })[0]).toMatchObject({ principal: 'User:alice', resourceName: 'orders' })
  })

  it('kafkajs with an expired or signed token: kafkajs ignores the error challenge, the broker closes the connection', async () => {
    const server = await served()
    for (const token of [jws({ sub: 'admin', exp: nowS() - 10 }), jws({ sub: 'admin', exp: nowS() + 300 }, { alg: 'HS256' })]) {
      // kafkajs's admin.connect() sends nothing after the SASL exchange, so it resolves; its first request fails.
      const admin = kafka(server, token).admin()
      cleanups.push(() => admin.disconnect())
      await admin.connect()
      const error = await admin.listTopics().catch((e: unknown) => e)
      expect((error as Error).name).toBe('KafkaJSConnectionClosedError')
    }
    expect(cluster!.timeline({ types: ['authenticationFailed'] }).map((e: any) => e.reason)).toEqual([
      'Unexpected Kafka request of type Metadata during SASL authentication',
      'Unexpected Kafka request of type Metadata during SASL authentication',
    ])
  })

  it('raw frames: the JSON error challenge, then 0x01 fails with it; a missing required scope is insufficient_scope', async () => {
    const server = await served({ 'sasl.jaas.config': 'org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required unsecuredValidatorRequiredScope="orders.read";' })
    const [challenge, failure] = await exchange(server, [initial(jws({ sub: 'alice', exp: nowS() + 300, scope: ['other'] })), Buffer.from([1])])
    expect(challenge).toMatchObject({ errorCode: 0, errorMessage: null })
    expect(challenge!.authBytes.toString()).toBe('{"status":"insufficient_scope", "scope":"[orders.read]"}')
    expect(failure).toMatchObject({ errorCode: ErrorCode.SASL_AUTHENTICATION_FAILED, errorMessage: '{"status":"insufficient_scope", "scope":"[orders.read]"}' })

    const [ok] = await exchange(server, [initial(jws({ sub: 'alice', exp: nowS() + 300, scope: ['orders.read'] }))])
    expect(ok).toMatchObject({ errorCode: 0, errorMessage: null })
  })

  it("the session lasts until the token's exp (KIP-368), capped by connections.max.reauth.ms", async () => {
    const server = await served({ 'connections.max.reauth.ms': '60000' })
    const [long] = await exchange(server, [initial(jws({ sub: 'alice', exp: nowS() + 3600 }))])
    expect(Number(long!.sessionLifetimeMs)).toBe(60000)
    const [short] = await exchange(server, [initial(jws({ sub: 'alice', exp: nowS() + 30 }))])
    expect(Number(short!.sessionLifetimeMs)).toBeGreaterThan(25_000)
    expect(Number(short!.sessionLifetimeMs)).toBeLessThanOrEqual(30_000)
  })
})
