/**
 * Seed 003's SASL_SSL producer and consumer (confluent-kafka-go 0.11.6, librdkafka 2.0.2), as
 * the seed wrote them with only the broker address and the CA file changed
 * (test/interop/go/seed-sasl-ssl-*), against `memkafka serve --security-protocol SASL_SSL`: the
 * programs verify the broker with the CA file serve writes and authenticate with SASL PLAIN.
 * They hard-code localhost:9093 and /tmp/memkafka-seed-003/ca.pem.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { afterEach, expect, it } from 'vitest'
import { goDriver, runDriver } from './support/driver.js'

const CA_FILE = '/tmp/memkafka-seed-003/ca.pem'
let serving: ChildProcess | undefined
afterEach(async () => {
  if (serving && serving.exitCode === null) {
    const exited = new Promise((resolve) => serving!.once('exit', resolve))
    serving.kill('SIGTERM')
    await exited
  }
  serving = undefined
})

/** `memkafka serve` from the sources; resolves with its output once it prints the bootstrap line. */
function serve(args: string[]): Promise<() => string> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/bin/memkafka.ts', 'serve', ...args])
  serving = proc
  let out = ''
  return new Promise((resolve, reject) => {
    proc.stderr!.on('data', (d: Buffer) => void (out += d.toString()))
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString()
      if (out.includes('bootstrap: ')) resolve(() => out)
    })
    proc.once('exit', (code) => reject(new Error(`memkafka serve exited ${code}: ${out}`)))
  })
}

it("seed 003's SASL_SSL producer and consumer against memkafka serve --security-protocol SASL_SSL", async () => {
  mkdirSync('/tmp/memkafka-seed-003', { recursive: true })
  const output = await serve(['--port', '9093', '--security-protocol', 'SASL_SSL', '--user', 'my-username:my-password', '--ca-file', CA_FILE])
  expect(output()).toContain(`ca: ${CA_FILE}`)
  // The producer's delivery report goroutine prints "Delivered to secure-topic[0]@0", but the
  // seed's main returns as soon as Flush sees no event left in the channel, which can be before
  // that goroutine prints: the line is there only when the goroutine wins the race. The consumer
  // below reading the message back is the proof of delivery.
  const produced = await runDriver([goDriver('seed-sasl-ssl-producer')], { env: {}, timeoutMs: 40_000, plain: true })
  expect(produced.code, produced.log.join('\n')).toBe(0)
  expect(produced.log.filter((l) => l.includes('Delivery failed')), produced.log.join('\n')).toEqual([])
  for (const line of produced.log.filter((l) => l.includes('Delivered to'))) expect(line).toContain('Delivered to secure-topic[0]@0')
  const consumed = await runDriver([goDriver('seed-sasl-ssl-consumer')], {
    env: {},
    timeoutMs: 40_000,
    plain: true,
    stopWhen: (line) => line.includes('Received message: Secure message with SASL/SSL'),
  })
  expect(consumed.log.some((l) => l.includes('Received message: Secure message with SASL/SSL')), consumed.log.join('\n')).toBe(true)
  expect(consumed.log.filter((l) => l.startsWith('Error'))).toEqual([])
  expect(output()).toMatch(/group secure-group rebalanced/)
}, 120_000)
