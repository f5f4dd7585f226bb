/**
 * `memkafka serve --security-protocol SASL_PLAINTEXT --user alice:secret`: the built bin
 * serves a SASL listener that the real kafkajs authenticates against with SCRAM and refuses a
 * wrong password; SASL_SSL and SSL make a self-signed CA written to the file printed as
 * "ca: ...", which kafkajs and kcat verify the broker with; --topic works with an authorizer.
 */
import { execFile, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { Kafka, logLevel } from 'kafkajs'
import { afterEach, describe, expect, it } from 'vitest'

const BIN = 'dist/bin/memkafka.js'
let stop: (() => void) | undefined
afterEach(() => stop?.())

function serve(args: string[]): Promise<{ bootstrap: string; output: () => string; exit: Promise<number | null>; terminate: () => void }> {
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
      if (match) resolve({ bootstrap: match[1]!, output: () => out, exit, terminate: () => void proc.kill('SIGTERM') })
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

  it('--security-protocol SASL_SSL: the CA file it prints verifies the broker for kafkajs and kcat; removed on exit', async () => {
    const { bootstrap, output, exit, terminate } = await serve(['--port', '0', '--security-protocol', 'SASL_SSL', '--user', 'alice:secret', '--topic', 'orders:2'])
    const caFile = /ca: (\S+)/.exec(output())![1]!
    const ca = readFileSync(caFile, 'utf8')
    const kafka = new Kafka({ clientId: 'bin-test', brokers: [bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 0 }, ssl: { ca: [ca] }, sasl: { mechanism: 'scram-sha-256', username: 'alice', password: 'secret' } })
    const producer = kafka.producer()
    await producer.connect()
    await producer.send({ topic: 'orders', messages: [{ value: 'over tls', partition: 1 }] })
    await producer.disconnect()
    if (existsSync('/usr/bin/kcat')) {
      const consumed = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
        execFile(
          '/usr/bin/kcat',
          ['-b', bootstrap, '-X', 'security.protocol=SASL_SSL', '-X', `ssl.ca.location=${caFile}`, '-X', 'sasl.mechanisms=SCRAM-SHA-512', '-X', 'sasl.username=alice', '-X', 'sasl.password=secret', '-C', '-t', 'orders', '-p', '1', '-o', 'beginning', '-e', '-q'],
          { timeout: 20_000 },
          (error, stdout, stderr) => resolve({ code: error ? 1 : 0, stdout, stderr }),
        ),
      )
      expect(consumed.stdout.trim(), consumed.stderr).toBe('over tls')
    }
    terminate()
    expect(await exit).toBe(0)
    expect(existsSync(caFile)).toBe(false)
  })

  it('--security-protocol SSL with --ca-file: plaintext clients are refused, TLS clients trusting the CA are served', async () => {
    const caFile = join(mkdtempSync(join(tmpdir(), 'serve-ssl-')), 'my-ca.pem')
    const { bootstrap, output } = await serve(['--port', '0', '--security-protocol', 'SSL', '--ca-file', caFile])
    expect(output()).toContain(`ca: ${caFile}`)
    const kafka = (ssl: unknown) => new Kafka({ clientId: 'bin-test', brokers: [bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 0 }, ssl: ssl as never })
    const admin = kafka({ ca: [readFileSync(caFile, 'utf8')] }).admin()
    await admin.connect()
    expect(await admin.listTopics()).toEqual([])
    await admin.disconnect()
    expect(await kafka(undefined).admin().connect().then(() => 'connected', () => 'refused')).toBe('refused')
    rmSync(dirname(caFile), { recursive: true, force: true })
  })

  it('several listeners: each is printed with its brokers; a client of the TLS listener stays on it', async () => {
    const { output } = await serve(['--brokers', '2', '--port', '0', '--config', 'listeners=PLAINTEXT://:9092,SASL_SSL://:9093', '--user', 'alice:secret'])
    const line = (name: string) => new RegExp(`listener ${name} \\(${name}\\): (\\S+)`).exec(output())![1]!.split(',')
    expect(line('PLAINTEXT')).toHaveLength(2)
    const tlsBrokers = line('SASL_SSL')
    expect(tlsBrokers).toHaveLength(2)
    const ca = readFileSync(/ca: (\S+)/.exec(output())![1]!, 'utf8')
    const admin = new Kafka({ clientId: 'bin-test', brokers: [tlsBrokers[1]!], logLevel: logLevel.NOTHING, retry: { retries: 0 }, ssl: { ca: [ca] }, sasl: { mechanism: 'plain', username: 'alice', password: 'secret' } }).admin()
    await admin.connect()
    const { brokers } = await admin.describeCluster()
    expect(brokers.map((b) => `${b.host}:${b.port}`).sort()).toEqual([...tlsBrokers].sort())
    await admin.disconnect()
  })

  it('--broker-config: each broker its own listeners and advertised.listeners; bad ones refused with exit code 2', async () => {
    const { output } = await serve([
      '--brokers', '2', '--port', '0',
      '--broker-config', '0:listeners=PLAINTEXT://127.0.0.1:0', '--broker-config', '0:advertised.listeners=PLAINTEXT://kafka-0.example:19092',
      '--broker-config', '1:advertised.listeners=PLAINTEXT://kafka-1.example:19093',
    ])
    expect(output()).toMatch(/bootstrap: kafka-0\.example:19092,kafka-1\.example:19093/)
    expect(output()).toMatch(/advertised as kafka-1\.example:19093/)
    for (const [args, reason] of [
      [['--broker-config', '0:num.partitions=3'], /takes listeners or advertised.listeners/],
      [['--broker-config', '3:listeners=PLAINTEXT://:0'], /there is no broker 3/],
      [['--broker-config', '0:advertised.listeners=SSL://x:1'], /subset of the ones defined in listeners/],
    ] as const) {
      const run = spawn(process.execPath, [BIN, 'serve', '--port', '0', ...args])
      let err = ''
      run.stderr.on('data', (d: Buffer) => void (err += d.toString()))
      expect(await new Promise<number | null>((resolve) => run.on('exit', resolve)), args.join(' ')).toBe(2)
      expect(err).toMatch(reason)
    }
  })

  it('--topic with an authorizer: serve creates its topics as the cluster operator; clients still need ACLs', async () => {
    // Before the fix serve exited 2 here: "cannot create topic orders: TOPIC_AUTHORIZATION_FAILED".
    const { bootstrap, output } = await serve([
      '--port', '0', '--security-protocol', 'SASL_PLAINTEXT', '--user', 'alice:secret', '--topic', 'orders:3',
      '--config', 'authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer',
    ])
    const admin = new Kafka({ clientId: 'bin-test', brokers: [bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 0 }, sasl: { mechanism: 'plain', username: 'alice', password: 'secret' } }).admin()
    await admin.connect()
    // alice has no ACL: the topic exists but she may not see it.
    expect(await admin.listTopics()).toEqual([])
    await admin.disconnect()
    expect(output()).toMatch(/orders/)
  })

})
