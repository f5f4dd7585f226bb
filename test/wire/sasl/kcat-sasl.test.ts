/**
 * librdkafka (kcat 1.7.1) over SASL_PLAINTEXT: PLAIN and SCRAM produce and consume with the
 * right password; a wrong one is refused and nothing is written.
 */
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { Cluster } from '../../../src/client/cluster.js'
import { SystemClock } from '../../../src/cluster/clock.js'

const KCAT = '/usr/bin/kcat'
let cluster: Cluster | undefined
let close: (() => Promise<void>) | undefined
afterEach(async () => {
  await close?.()
  await cluster?.close()
  cluster = undefined
})

function kcat(args: string[], input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(KCAT, args, { timeout: 20_000 }, (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }))
    if (input !== undefined) child.stdin!.end(input)
  })
}

describe.skipIf(!existsSync(KCAT))('SASL on the wire with kcat (librdkafka 2.0.2)', () => {
  for (const mechanism of ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512']) {
    it(`${mechanism}: produce and consume with the right password; the wrong one writes nothing`, async () => {
      cluster = new Cluster({ brokers: 1, clock: new SystemClock(), seed: 9, brokerConfig: { listeners: 'SASL_PLAINTEXT://:9092', 'sasl.enabled.mechanisms': mechanism } as never })
      cluster.createUser('alice', 'alice-secret')
      const server = await cluster.listen({ log: () => {} })
      close = () => server.close()
      const common = ['-b', server.bootstrapBrokers[0]!, '-X', 'security.protocol=SASL_PLAINTEXT', '-X', `sasl.mechanisms=${mechanism}`, '-X', 'sasl.username=alice']
      const produced = await kcat([...common, '-X', 'sasl.password=alice-secret', '-P', '-t', 'orders'], 'one\ntwo\n')
      expect(produced.code, produced.stderr).toBe(0)
      const consumed = await kcat([...common, '-X', 'sasl.password=alice-secret', '-C', '-t', 'orders', '-o', 'beginning', '-e', '-q'])
      expect(consumed.stdout.trim().split('\n')).toEqual(['one', 'two'])
      const refused = await kcat([...common, '-X', 'sasl.password=wrong', '-P', '-t', 'orders', '-m', '3'], 'three\n')
      expect(refused.code).not.toBe(0)
      expect(refused.stderr).toMatch(/Authentication failed/i)
      expect(cluster.describe().topics.find((t) => t.name === 'orders')!.partitions[0]!.logEndOffset).toBe(2)
    })
  }
})

describe.skipIf(!existsSync(KCAT))('OAUTHBEARER on the wire with kcat (librdkafka 2.0.2)', () => {
  it("librdkafka's unsecured JWT (enable.sasl.oauthbearer.unsecure.jwt) authenticates as its principal; a required scope it lacks is refused", async () => {
    cluster = new Cluster({
      brokers: 1,
      clock: new SystemClock(),
      seed: 9,
      brokerConfig: {
        listeners: 'SASL_PLAINTEXT://:9092',
        'sasl.enabled.mechanisms': 'OAUTHBEARER',
        'sasl.jaas.config': 'org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required unsecuredValidatorRequiredScope="orders";',
      } as never,
    })
    const server = await cluster.listen({ log: () => {} })
    close = () => server.close()
    const common = ['-b', server.bootstrapBrokers[0]!, '-X', 'security.protocol=SASL_PLAINTEXT', '-X', 'sasl.mechanisms=OAUTHBEARER', '-X', 'enable.sasl.oauthbearer.unsecure.jwt=true']
    const produced = await kcat([...common, '-X', 'sasl.oauthbearer.config=principal=alice scope=orders', '-P', '-t', 'orders'], 'one\n')
    expect(produced.code, produced.stderr).toBe(0)
    expect(cluster.describe().topics.find((t) => t.name === 'orders')!.partitions[0]!.logEndOffset).toBe(1)
    const refused = await kcat([...common, '-X', 'sasl.oauthbearer.config=principal=bob scope=other', '-P', '-t', 'orders', '-m', '3'], 'two\n')
    expect(refused.code).not.toBe(0)
    expect(refused.stderr).toMatch(/insufficient_scope/)
    expect(cluster.describe().topics.find((t) => t.name === 'orders')!.partitions[0]!.logEndOffset).toBe(1)
  })
})
