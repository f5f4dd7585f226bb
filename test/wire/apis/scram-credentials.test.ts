/**
 * DescribeUserScramCredentials (50) and AlterUserScramCredentials (51), KIP-554:
 * - the codec and mapping judged by @platformatic/kafka 1.35's own v0 encoders and decoders;
 * - Kafka's per-user errors (DUPLICATE_RESOURCE, UNSUPPORTED_SASL_MECHANISM,
 *   UNACCEPTABLE_CREDENTIAL, RESOURCE_NOT_FOUND) and CLUSTER authorization;
 * - over the wire: a credential upserted with the salted password a client computes then
 *   authenticates the real kafkajs with SCRAM, and stops doing so once deleted.
 */
import * as platformatic from '@platformatic/kafka'
import { Kafka, logLevel } from 'kafkajs'
import { pbkdf2Sync, randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { cleanupAfterEach } from '../../support/cleanup-after-each.js'
import { Cluster } from '../../../src/client/cluster.js'
import { SystemClock } from '../../../src/cluster/clock.js'
import type { ClusterModel } from '../../../src/cluster/cluster-model.js'
import { ErrorCode } from '../../../src/cluster/error-codes.js'
import { decodeMessage, encodeMessageToBuffer } from '../../../src/wire/protocol/codec.js'
import { Reader } from '../../../src/wire/protocol/reader.js'
import { schemas } from '../../../src/wire/messages/index.js'
import { RawClient } from '../server/raw-client.js'
import { apiOf, contextFor, newCluster } from './oracle.js'

const SHA256 = 1
const SHA512 = 2
const AUTHORIZER = { 'authorizer.class.name': 'org.apache.kafka.metadata.authorizer.StandardAuthorizer', 'super.users': 'User:admin' }

/** What a client sends in an upsertion: PBKDF2 of the password (RFC 5802 Hi()), computed here as any client does. */
function upsertion(name: string, mechanism: number, password: string, iterations = 4096): { name: string; mechanism: number; iterations: number; salt: Buffer; saltedPassword: Buffer } {
  const salt = randomBytes(16)
  const hash = mechanism === SHA512 ? 'sha512' : 'sha256'
  return { name, mechanism, iterations, salt, saltedPassword: pbkdf2Sync(password, salt, iterations, hash === 'sha512' ? 64 : 32, hash) }
}

/** One exchange through platformatic's v0 module, as a connection from `principal` would make it. */
async function viaPlatformatic(key: 50 | 51, args: unknown[], cluster: ClusterModel, principal?: string): Promise<{ response: any; error: any }> {
  const module = (platformatic as any)[key === 50 ? 'describeUserScramCredentialsV0' : 'alterUserScramCredentialsV0']
  expect(module).toBeDefined()
  const body: Buffer = module.createRequest(...args).buffer
  const { api, schema } = apiOf(key)
  const reader = new Reader(body)
  const decoded = decodeMessage(schema.request, 0, reader)
  // platformatic 1.35's AlterUserScramCredentials v0 writes the request's tagged-field count
  // twice: one byte more than the schema, which Kafka's parser leaves unread, as memkafka's does.
  expect(reader.remaining()).toBe(key === 51 ? 1 : 0)
  const ctx = contextFor(cluster, 0)
  const answer = await api.handle(decoded, principal === undefined ? ctx : { ...ctx, source: { ...ctx.source, principal } })
  const bytes = encodeMessageToBuffer(schema.response, 0, answer!)
  try {
    return { response: module.parseResponse(1, key, 0, platformatic.Reader.from(bytes)), error: undefined }
  } catch (error) {
    return { response: (error as any).response, error }
  }
}

const byUser = (results: { user: string }[]): Record<string, any> => Object.fromEntries(results.map((r) => [r.user, r]))

describe('AlterUserScramCredentials and DescribeUserScramCredentials v0, judged by @platformatic/kafka 1.35', () => {
  it('upserts, describes (mechanisms and iterations, never keys) and deletes', async () => {
    const cluster = newCluster()
    const altered = await viaPlatformatic(51, [[], [upsertion('bob', SHA256, 'pw', 4096), upsertion('carol', SHA512, 'pw', 8192)]], cluster)
    expect(altered.error).toBeUndefined()
    expect(altered.response.results.map((r: any) => [r.user, r.errorCode]).sort()).toEqual([['bob', 0], ['carol', 0]])
    expect(cluster.security.checkScramPassword('bob', 'SCRAM-SHA-256', 'pw')).toBe(true)
    expect(cluster.security.checkScramPassword('bob', 'SCRAM-SHA-256', 'other')).toBe(false)
    expect(cluster.security.checkScramPassword('carol', 'SCRAM-SHA-512', 'pw')).toBe(true)

    const all = await viaPlatformatic(50, [[]], cluster)
    expect(all.error).toBeUndefined()
    expect(all.response.results).toEqual([
      { user: 'bob', errorCode: 0, errorMessage: null, credentialInfos: [{ mechanism: SHA256, iterations: 4096 }] },
      { user: 'carol', errorCode: 0, errorMessage: null, credentialInfos: [{ mechanism: SHA512, iterations: 8192 }] },
    ])

    const deleted = await viaPlatformatic(51, [[{ name: 'bob', mechanism: SHA256 }], []], cluster)
    expect(deleted.error).toBeUndefined()
    expect(cluster.security.scramCredential('bob', 'SCRAM-SHA-256')).toBeUndefined()
    const named = await viaPlatformatic(50, [[{ name: 'bob' }, { name: 'carol' }]], cluster)
    expect(named.error).toBeDefined()
    expect(byUser(named.response.results).bob).toMatchObject({ errorCode: ErrorCode.RESOURCE_NOT_FOUND, errorMessage: 'Attempt to describe a user credential that does not exist: bob' })
    expect(byUser(named.response.results).carol).toMatchObject({ errorCode: 0, credentialInfos: [{ mechanism: SHA512, iterations: 8192 }] })
  })

  it("Kafka's per-user errors; the valid users of the same request are applied", async () => {
    const cluster = newCluster()
    cluster.createUser('dave', 'pw')
    cluster.createUser('dup', 'old')
    const { response, error } = await viaPlatformatic(
      51,
      [
        [{ name: 'dup', mechanism: SHA256 }, { name: 'nobody', mechanism: SHA512 }, { name: 'weird', mechanism: 3 }],
        [
          upsertion('dup', SHA512, 'new'),
          upsertion('few', SHA256, 'pw', 4095),
          upsertion('many', SHA256, 'pw', 16385),
          upsertion('', SHA256, 'pw'),
          upsertion('ok', SHA256, 'pw'),
          { ...upsertion('unknown-mech', SHA256, 'pw'), mechanism: 0 },
        ],
      ],
      cluster,
    )
    expect(error).toBeDefined()
    const results = byUser(response.results)
    expect(response.results).toHaveLength(8)
    expect(results.dup).toMatchObject({ errorCode: ErrorCode.DUPLICATE_RESOURCE, errorMessage: 'A user credential cannot be altered twice in the same request' })
    expect(results.nobody).toMatchObject({ errorCode: ErrorCode.RESOURCE_NOT_FOUND, errorMessage: 'Attempt to delete a user credential that does not exist' })
    expect(results.weird).toMatchObject({ errorCode: ErrorCode.UNSUPPORTED_SASL_MECHANISM, errorMessage: 'Unknown SCRAM mechanism' })
    expect(results['unknown-mech']).toMatchObject({ errorCode: ErrorCode.UNSUPPORTED_SASL_MECHANISM })
    expect(results.few).toMatchObject({ errorCode: ErrorCode.UNACCEPTABLE_CREDENTIAL, errorMessage: 'Too few iterations' })
    expect(results.many).toMatchObject({ errorCode: ErrorCode.UNACCEPTABLE_CREDENTIAL, errorMessage: 'Too many iterations' })
    expect(results['']).toMatchObject({ errorCode: ErrorCode.UNACCEPTABLE_CREDENTIAL, errorMessage: 'Username must not be empty' })
    expect(results.ok).toMatchObject({ errorCode: 0, errorMessage: null })
    expect(cluster.security.scramUsers().sort()).toEqual(['dave', 'dup', 'ok'])
    // Neither of dup's two changes was applied.
    expect(cluster.security.checkScramPassword('dup', 'SCRAM-SHA-256', 'old')).toBe(true)
    expect(cluster.security.checkScramPassword('dup', 'SCRAM-SHA-512', 'old')).toBe(true)

    const described = await viaPlatformatic(50, [[{ name: 'dave' }, { name: 'ok' }, { name: 'dave' }]], cluster)
    expect(described.response.results).toEqual([
      { user: 'dave', errorCode: ErrorCode.DUPLICATE_RESOURCE, errorMessage: 'Cannot describe SCRAM credentials for the same user twice in a single request: dave', credentialInfos: [] },
      { user: 'ok', errorCode: 0, errorMessage: null, credentialInfos: [{ mechanism: SHA256, iterations: 4096 }] },
    ])
  })

  it('with an authorizer: ALTER and DESCRIBE on the CLUSTER, else CLUSTER_AUTHORIZATION_FAILED and nothing changes', async () => {
    const cluster = newCluster({ brokerConfig: AUTHORIZER as never })
    cluster.createUser('alice', 'pw')
    const denied = await viaPlatformatic(51, [[{ name: 'alice', mechanism: SHA256 }], [upsertion('zed', SHA256, 'pw'), upsertion('bob', SHA256, 'pw')]], cluster, 'User:alice')
    expect(denied.response.results.map((r: any) => [r.user, r.errorCode])).toEqual([
      ['alice', ErrorCode.CLUSTER_AUTHORIZATION_FAILED],
      ['bob', ErrorCode.CLUSTER_AUTHORIZATION_FAILED],
      ['zed', ErrorCode.CLUSTER_AUTHORIZATION_FAILED],
    ])
    expect(cluster.security.scramUsers()).toEqual(['alice'])
    const describeDenied = await viaPlatformatic(50, [[{ name: 'alice' }]], cluster, 'User:alice')
    expect(describeDenied.response).toMatchObject({ errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED, errorMessage: 'Cluster authorization failed.' })
    expect(cluster.timeline({ types: ['authorizationDenied'] }).map((e: any) => `${e.operation} ${e.api}`)).toEqual(['ALTER AlterUserScramCredentials', 'DESCRIBE DescribeUserScramCredentials'])

    const allowed = await viaPlatformatic(51, [[], [upsertion('bob', SHA256, 'pw')]], cluster, 'User:admin')
    expect(allowed.error).toBeUndefined()
    expect((await viaPlatformatic(50, [[]], cluster, 'User:admin')).response.results.map((r: any) => r.user)).toEqual(['alice', 'bob'])
  })
})

describe('SCRAM credentials over the wire', () => {
  let cluster: Cluster | undefined
  const cleanups = cleanupAfterEach(() => cluster)

  it('a credential set with AlterUserScramCredentials authenticates kafkajs with SCRAM; deleted, it no longer does', async () => {
    cluster = new Cluster({
      brokers: 1,
      clock: new SystemClock(),
      seed: 3,
      brokerConfig: { listeners: 'PLAINTEXT://:9092,SASL_PLAINTEXT://:9093', 'sasl.enabled.mechanisms': 'SCRAM-SHA-256,SCRAM-SHA-512' } as never,
    })
    const server = await cluster.listen({ log: () => {} })
    cleanups.push(() => server.close())
    const [plain, sasl] = server.listeners
    expect(server.supportedVersions.filter((v) => v.apiKey === 50 || v.apiKey === 51)).toEqual([
      { apiKey: 50, minVersion: 0, maxVersion: 0 },
      { apiKey: 51, minVersion: 0, maxVersion: 0 },
    ])

    const raw = await RawClient.connect(plain!.brokers[0]!.port)
    cleanups.push(() => raw.close())
    raw.sendRequest(schemas.get(51)!, 0, 7, { deletions: [], upsertions: [upsertion('bob', SHA512, 'bob-secret', 4096)] })
    const altered = await raw.nextResponse(schemas.get(51)!, 0)
    expect(altered).toEqual({ correlationId: 7, body: { throttleTimeMs: 0, results: [{ user: 'bob', errorCode: 0, errorMessage: null }] } })

    const kafka = (password: string): Kafka =>
      new Kafka({ clientId: 'scram-api', brokers: sasl!.bootstrapBrokers, logLevel: logLevel.NOTHING, retry: { retries: 0 }, sasl: { mechanism: 'scram-sha-512', username: 'bob', password } })
    const admin = kafka('bob-secret').admin()
    cleanups.push(() => admin.disconnect())
    await admin.connect()
    expect((await admin.describeCluster()).brokers).toHaveLength(1)
    const wrong = await kafka('nope').admin().connect().catch((e: unknown) => e)
    expect((wrong as Error).name).toBe('KafkaJSSASLAuthenticationError')

    raw.sendRequest(schemas.get(50)!, 0, 8, { users: null })
    expect((await raw.nextResponse(schemas.get(50)!, 0))!.body.results).toEqual([{ user: 'bob', errorCode: 0, errorMessage: null, credentialInfos: [{ mechanism: SHA512, iterations: 4096 }] }])

    raw.sendRequest(schemas.get(51)!, 0, 9, { deletions: [{ name: 'bob', mechanism: SHA512 }], upsertions: [] })
    expect((await raw.nextResponse(schemas.get(51)!, 0))!.body.results).toEqual([{ user: 'bob', errorCode: 0, errorMessage: null }])
    const gone = await kafka('bob-secret').admin().connect().catch((e: unknown) => e)
    expect((gone as Error).name).toBe('KafkaJSSASLAuthenticationError')
  })
})
