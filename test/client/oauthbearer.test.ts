/**
 * kafkajs's `sasl: { mechanism: 'oauthbearer', oauthBearerProvider }` through the facade, with
 * what kafkajs 2.2.4 reports against a Kafka broker using the default unsecured validator.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { Cluster } from '../../src/client/cluster.js'
import { ManualClock } from '../../src/cluster/clock.js'

const NOW = 1_700_000_000_000
const b64 = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url')
const jws = (claims: object, header: object = { alg: 'none' }): string => `${b64(header)}.${b64(claims)}.`

let cluster: Cluster | undefined
afterEach(async () => {
  await cluster?.close()
  cluster = undefined
})

function oauthCluster(mechanisms = 'OAUTHBEARER'): Cluster {
  cluster = new Cluster({
    brokers: 1,
    clock: new ManualClock(NOW),
    brokerConfig: {
      listeners: 'SASL_PLAINTEXT://:9092',
      'sasl.enabled.mechanisms': mechanisms,
      'authorizer.class.name': 'org.apache.kafka.metadata.authorizer.StandardAuthorizer',
      'super.users': 'User:svc',
    } as never,
  })
  return cluster
}

const retry = { retries: 0 }
const client = (c: Cluster, provider: unknown) => c.kafka({ clientId: 'svc', retry, sasl: { mechanism: 'oauthbearer', oauthBearerProvider: provider } as never })

describe('OAUTHBEARER in-process', () => {
  it("a valid unsecured token authenticates as User:<sub>, on the cluster's clock", async () => {
    const c = oauthCluster()
    const admin = client(c, async () => ({ value: jws({ sub: 'svc', exp: NOW / 1000 + 60 }) })).admin()
    await admin.connect()
    await admin.createTopics({ topics: [{ topic: 'orders' }] })
    expect(await admin.listTopics()).toContain('orders')
    await admin.disconnect()
    const other = client(c, async () => ({ value: jws({ sub: 'bob', exp: NOW / 1000 + 60 }) })).producer()
    await other.connect()
    const denied = await other.send({ topic: 'orders', messages: [{ value: 'x' }] }).catch((e: unknown) => e)
    expect(((denied as Error).cause as { type?: string }).type).toBe('TOPIC_AUTHORIZATION_FAILED')
    await other.disconnect()
  })

  it('an expired token: the broker answers with an error challenge kafkajs does not read, then closes the connection', async () => {
    const c = oauthCluster()
    const error = await client(c, async () => ({ value: jws({ sub: 'svc', exp: NOW / 1000 - 1 }) })).admin().connect().catch((e: unknown) => e)
    expect((error as Error).name).toBe('KafkaJSConnectionClosedError')
    expect((error as Error).message).toContain('{"status":"invalid_token"}')
    expect(c.timeline({ types: ['authenticationFailed'] })).toHaveLength(1)
  })

  it("kafkajs's own checks: no provider, a token without value; a listener without OAUTHBEARER", async () => {
    const c = oauthCluster()
    const noProvider = await client(c, undefined).admin().connect().catch((e: unknown) => e)
    expect(noProvider).toMatchObject({ name: 'KafkaJSSASLAuthenticationError', message: 'SASL OAUTHBEARER: Missing OAuth bearer token provider' })
    const noValue = await client(c, async () => ({})).admin().connect().catch((e: unknown) => e)
    expect(noValue).toMatchObject({ name: 'KafkaJSSASLAuthenticationError', message: 'SASL OAUTHBEARER: Invalid OAuth bearer token' })
    await c.close()
    const plainOnly = oauthCluster('PLAIN')
    const unsupported = await client(plainOnly, async () => ({ value: jws({ sub: 'svc', exp: NOW / 1000 + 60 }) })).admin().connect().catch((e: unknown) => e)
    expect(unsupported).toMatchObject({ type: 'UNSUPPORTED_SASL_MECHANISM' })
  })
})
