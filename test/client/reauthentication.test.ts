/**
 * KIP-368 re-authentication through the facade, as kafkajs 2.2.4 does it: with
 * connections.max.reauth.ms (or an OAUTHBEARER token's exp) the session has a lifetime, and
 * before a request in its last `reauthenticationThreshold` ms the client authenticates again.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { Cluster } from '../../src/client/cluster.js'
import { ManualClock } from '../../src/cluster/clock.js'

let cluster: Cluster | undefined
afterEach(async () => {
  await cluster?.close()
  cluster = undefined
})
const retry = { retries: 0 }
const b64 = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url')
const jws = (claims: object): string => `${b64({ alg: 'none' })}.${b64(claims)}.`

describe('re-authentication in-process', () => {
  it('SCRAM: before the session ends the client authenticates again; a deleted credential then fails the next request', async () => {
    const clock = new ManualClock(0)
    cluster = new Cluster({ brokers: 1, clock, brokerConfig: { listeners: 'SASL_PLAINTEXT://:9092', 'sasl.enabled.mechanisms': 'SCRAM-SHA-256', 'connections.max.reauth.ms': 60_000 } as never })
    cluster.createUser('alice', 'secret')
    const admin = cluster.kafka({ clientId: 'svc', retry, reauthenticationThreshold: 10_000, sasl: { mechanism: 'scram-sha-256', username: 'alice', password: 'secret' } } as never).admin()
    await admin.connect()
    await admin.createTopics({ topics: [{ topic: 'orders' }] })
    // Within the session: no re-authentication is needed even with the credential gone.
    cluster.security.deleteScramCredential('alice', 'SCRAM-SHA-256')
    await clock.advance(40_000)
    expect(await admin.listTopics()).toEqual(['orders'])
    // 50 s in, 10 s before the end: kafkajs re-authenticates first, and fails.
    await clock.advance(10_000)
    const error = await admin.listTopics().catch((e: unknown) => e)
    expect(error).toMatchObject({ name: 'KafkaJSSASLAuthenticationError' })
    expect(String((error as Error).message)).toMatch(/SASL SCRAM SHA256 authentication failed: Authentication failed/)
    await admin.disconnect()
  })

  it('OAUTHBEARER: the session lasts until the token expires; the provider is asked again for a new token', async () => {
    const clock = new ManualClock(1_700_000_000_000)
    cluster = new Cluster({ brokers: 1, clock, brokerConfig: { listeners: 'SASL_PLAINTEXT://:9092', 'sasl.enabled.mechanisms': 'OAUTHBEARER' } as never })
    let calls = 0
    const provider = async () => {
      calls++
      return { value: jws({ sub: 'svc', exp: clock.now() / 1000 + 30 }) }
    }
    const admin = cluster.kafka({ clientId: 'svc', retry, sasl: { mechanism: 'oauthbearer', oauthBearerProvider: provider } } as never).admin()
    await admin.connect()
    expect(calls).toBe(1)
    await clock.advance(15_000)
    await admin.listTopics()
    expect(calls).toBe(1)
    await clock.advance(10_000) // 5 s left < the default 10 s threshold
    await admin.listTopics()
    expect(calls).toBe(2)
    await admin.disconnect()
  })

  it('without connections.max.reauth.ms and with PLAIN, sessions never expire', async () => {
    const clock = new ManualClock(0)
    cluster = new Cluster({ brokers: 1, clock, brokerConfig: { listeners: 'SASL_PLAINTEXT://:9092', 'sasl.enabled.mechanisms': 'PLAIN' } as never })
    cluster.createUser('alice', 'secret')
    const admin = cluster.kafka({ clientId: 'svc', retry, sasl: { mechanism: 'plain', username: 'alice', password: 'secret' } } as never).admin()
    await admin.connect()
    cluster.security.setPlainPassword('alice', 'changed')
    await clock.advance(3_600_000)
    expect(await admin.listTopics()).toEqual([])
    await admin.disconnect()
  })
})
