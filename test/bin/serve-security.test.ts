/**
 * `memkafka serve --security-protocol SASL_PLAINTEXT --user alice:secret`: the built bin
 * serves a SASL listener that the real kafkajs authenticates against with SCRAM, refuses a
 * wrong password, and refuses SSL, which the wire server does not implement yet.
 */
import { spawn } from 'node:child_process'
import { Kafka, logLevel } from 'kafkajs'
import { afterEach, describe, expect, it } from 'vitest'

const BIN = 'dist/bin/memkafka.js'
let stop: (() => void) | undefined
afterEach(() => stop?.())

function serve(args: string[]): Promise<{ bootstrap: string; output: () => string; exit: Promise<number | null> }> {
  const proc = spawn(process.execPath, [BIN, 'serve', ...args])
  stop = () => {
    if (proc.exitCode === null) proc.kill('SIGKILL')
  }
  let out = ''
  const exit = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)))
  proc.stderr.on('data', (d: Buffer) => void (out += d.toString()))
  return new Promise((resolve, reject) => {
    proc.stdout.on('data', (d: Buffer) => {
      out += d.toString()
      const match = /bootstrap: (\S+)/.exec(out)
      if (match) resolve({ bootstrap: match[1]!, output: () => out, exit })
    })
    void exit.then((code) => reject(Object.assign(new Error(`exited ${code}: ${out}`), { code, out })))
  })
}

describe('memkafka serve with SASL', () => {
  it('--security-protocol SASL_PLAINTEXT --user alice:secret: SCRAM connects, a wrong password is refused', async () => {
    const { bootstrap, output } = await serve(['--port', '0', '--security-protocol', 'SASL_PLAINTEXT', '--user', 'alice:secret'])
    const kafka = (password: string) => new Kafka({ clientId: 'bin-test', brokers: [bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 0 }, sasl: { mechanism: 'scram-sha-512', username: 'alice', password } })
    const producer = kafka('secret').producer()
    await producer.connect()
    await producer.send({ topic: 'orders', messages: [{ value: 'hello' }] })
    await producer.disconnect()
    const error = await kafka('wrong').producer().connect().catch((e: unknown) => e)
    expect((error as Error).name).toBe('KafkaJSSASLAuthenticationError')
    expect(output()).toContain('user alice: created (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512)')
    expect(output()).not.toContain('secret')
  })

  it('refuses SSL with exit code 2 and a reason', async () => {
    const failed = await serve(['--port', '0', '--security-protocol', 'SSL']).catch((e: { code: number; out: string }) => e)
    expect((failed as { code: number }).code).toBe(2)
    expect((failed as { out: string }).out).toContain('SSL and SASL_SSL are not implemented yet')
  })
})
