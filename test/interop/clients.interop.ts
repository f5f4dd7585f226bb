/**
 * The real clients are the ones the matrix names: scripts/interop-install.sh installed Debian's
 * packages and built the Go drivers, npm ci installed the Node clients. A wrong version here would
 * make every other result in the suite mean something else.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { goDriver } from './support/driver.js'

const run = (file: string, args: string[]) => execFileSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
const npmVersion = (name: string) => (JSON.parse(readFileSync(`node_modules/${name}/package.json`, 'utf8')) as { version: string }).version

describe('the interop clients', () => {
  it('kafkajs 2.2.4 and @platformatic/kafka 1.35.0 from npm', () => {
    expect(npmVersion('kafkajs')).toBe('2.2.4')
    expect(npmVersion('@platformatic/kafka')).toBe('1.35.0')
  })

  it('kcat 1.7.1 on librdkafka 2.0.2', () => {
    const version = run('kcat', ['-V'])
    expect(version).toContain('Version 1.7.1')
    expect(version).toContain('librdkafka 2.0.2')
  })

  it("python3-confluent-kafka 1.7.0 and kafka-python 2.0.2 under Debian's /usr/bin/python3", () => {
    const out = run('/usr/bin/python3', ['-c', 'import confluent_kafka, kafka; print(confluent_kafka.version()[0], confluent_kafka.libversion()[0], kafka.__version__)'])
    expect(out.trim()).toBe('1.7.0 2.0.2 2.0.2')
  })

  it('the Go drivers are built (sarama, kafka-go, the seeds on confluent-kafka-go)', () => {
    for (const name of ['sarama-driver', 'kafka-go-driver', 'seed-producer', 'seed-consumer']) expect(existsSync(goDriver(name)), name).toBe(true)
  })
})
