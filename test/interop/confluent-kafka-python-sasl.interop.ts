/**
 * python3-confluent-kafka 1.7.0 (librdkafka 2.0.2) over SASL_SSL and SASL_PLAINTEXT against
 * memkafka's wire server: PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512 with the right password produce
 * and consume (the broker verified with the self-signed CA memkafka makes); a wrong password is
 * refused and writes nothing; OAUTHBEARER with librdkafka's unsecured JWT; and a SCRAM user made
 * with AlterUserScramCredentials (the salted password a client computes) authenticates.
 */
import { execFile } from 'node:child_process'
import { pbkdf2Sync, randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { Cluster } from '../../src/index.js'

const DRIVER = 'test/interop/drivers/confluent_kafka_sasl.py'
let cluster: Cluster | undefined
let closeServer: (() => Promise<void>) | undefined
let dir: string | undefined
afterEach(async () => {
  await closeServer?.()
  await cluster?.close()
  if (dir) rmSync(dir, { recursive: true, force: true })
  cluster = undefined
  closeServer = undefined
  dir = undefined
})

function python(env: Record<string, string>): Promise<{ code: number; events: { event: string; [k: string]: unknown }[]; stderr: string }> {
  return new Promise((resolve) => {
    execFile('/usr/bin/python3', [DRIVER], { env: { ...process.env, ...env }, timeout: 60_000 }, (error, stdout, stderr) => {
      const events = stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l))
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, events, stderr })
    })
  })
}

async function serve(protocol: 'SASL_SSL' | 'SASL_PLAINTEXT', mechanisms: string): Promise<{ bootstrap: string; ca: string }> {
  cluster = new Cluster({ brokers: 1, clock: 'system', brokerConfig: { listeners: `${protocol}://:9092`, 'sasl.enabled.mechanisms': mechanisms, 'group.initial.rebalance.delay.ms': 0 } as never })
  cluster.createUser('alice', 'alice-secret')
  const server = await cluster.listen({ host: '127.0.0.1', log: () => {} })
  closeServer = () => server.close()
  dir = mkdtempSync(join(tmpdir(), 'memkafka-py-sasl-'))
  const ca = join(dir, 'ca.pem')
  if (server.caPem) writeFileSync(ca, server.caPem)
  return { bootstrap: server.bootstrapBrokers.join(','), ca: server.caPem ? ca : '' }
}

const endOffset = (topic: string): number | undefined => cluster!.describe().topics.find((t) => t.name === topic)?.partitions[0]?.logEndOffset

describe('python3-confluent-kafka with SASL', () => {
  for (const mechanism of ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512']) {
    it(`SASL_SSL ${mechanism}: produce and consume; a wrong password is refused and writes nothing`, async () => {
      const { bootstrap, ca } = await serve('SASL_SSL', mechanism)
      const common = { BOOTSTRAP: bootstrap, PROTOCOL: 'SASL_SSL', MECHANISM: mechanism, USERNAME: 'alice', CA: ca }
      const ok = await python({ ...common, PASSWORD: 'alice-secret', TOPIC: 'orders', GROUP: 'g-ok' })
      expect(ok.code, JSON.stringify(ok.events) + ok.stderr).toBe(0)
      expect(ok.events.filter((e) => e.event === 'consumed').map((e) => e.value)).toEqual(['v0', 'v1', 'v2'])
      const wrong = await python({ ...common, PASSWORD: 'wrong', TOPIC: 'payments', GROUP: 'g-wrong' })
      expect(wrong.code).not.toBe(0)
      expect(wrong.events.filter((e) => e.event === 'error').map((e) => String(e.error)).join('\n')).toMatch(/Authentication failed/i)
      expect(endOffset('payments')).toBeUndefined()
      expect(cluster!.timeline({ types: ['authenticationFailed'] }).length).toBeGreaterThan(0)
    }, 90_000)
  }

  it('SASL_PLAINTEXT OAUTHBEARER with librdkafka unsecured JWT', async () => {
    const { bootstrap } = await serve('SASL_PLAINTEXT', 'OAUTHBEARER')
    const ok = await python({ BOOTSTRAP: bootstrap, PROTOCOL: 'SASL_PLAINTEXT', MECHANISM: 'OAUTHBEARER', OAUTHBEARER_CONFIG: 'principal=alice', TOPIC: 'tokens', GROUP: 'g-oauth' })
    expect(ok.code, JSON.stringify(ok.events) + ok.stderr).toBe(0)
    expect(endOffset('tokens')).toBe(3)
  }, 90_000)

  it('a SCRAM credential set with AlterUserScramCredentials authenticates librdkafka', async () => {
    const { bootstrap, ca } = await serve('SASL_SSL', 'SCRAM-SHA-512')
    const salt = randomBytes(24)
    const salted = pbkdf2Sync('bob-secret', salt, 8192, 64, 'sha512')
    const response = await cluster!.send(0, { api: 'AlterUserScramCredentials', deletions: [], upsertions: [{ name: 'bob', mechanism: 2, iterations: 8192, salt, saltedPassword: salted }] })
    expect(response.results).toEqual([{ user: 'bob', errorCode: 0, errorMessage: null }])
    const ok = await python({ BOOTSTRAP: bootstrap, PROTOCOL: 'SASL_SSL', MECHANISM: 'SCRAM-SHA-512', USERNAME: 'bob', PASSWORD: 'bob-secret', CA: ca, TOPIC: 'bobs', GROUP: 'g-bob' })
    expect(ok.code, JSON.stringify(ok.events) + ok.stderr).toBe(0)
    expect(endOffset('bobs')).toBe(3)
  }, 90_000)
})
