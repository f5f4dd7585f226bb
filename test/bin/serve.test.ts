/**
 * `memkafka serve` as a user runs it: the built bin (dist/bin/memkafka.js; `npm test` builds
 * first) in its own process, read through its stdout, stopped with a signal.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { existsSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { RawClient } from '../wire/server/raw-client.js'

const BIN = 'dist/bin/memkafka.js'
let child: ChildProcessWithoutNullStreams | undefined

afterEach(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL')
  child = undefined
})

interface Run {
  readonly child: ChildProcessWithoutNullStreams
  /** Everything printed so far. */
  stdout(): string
  stderr(): string
  /** Resolves with the first stdout line matching `pattern`. */
  line(pattern: RegExp): Promise<string>
  exit: Promise<number | null>
}

function start(args: string[]): Run {
  const proc = spawn(process.execPath, [BIN, ...args])
  child = proc
  let out = ''
  let err = ''
  const waiting: { pattern: RegExp; resolve: (line: string) => void }[] = []
  const check = (): void => {
    for (const w of [...waiting]) {
      const line = out.split('\n').find((l) => w.pattern.test(l))
      if (line !== undefined) {
        waiting.splice(waiting.indexOf(w), 1)
        w.resolve(line)
      }
    }
  }
  proc.stdout.on('data', (d: Buffer) => {
    out += d.toString()
    check()
  })
  proc.stderr.on('data', (d: Buffer) => void (err += d.toString()))
  const exit = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)))
  return {
    child: proc,
    stdout: () => out,
    stderr: () => err,
    line: (pattern) =>
      new Promise((resolve, reject) => {
        waiting.push({ pattern, resolve })
        check()
        void exit.then((code) => reject(new Error(`memkafka exited (${code}) before printing ${pattern}:\n${out}\n${err}`)))
      }),
    exit,
  }
}

describe('memkafka serve', () => {
  it('is built', () => {
    expect(existsSync(BIN)).toBe(true)
  })

  it('prints its bootstrap line once it accepts connections, tells what happens, and exits 0 on SIGTERM', async () => {
    const run = start(['serve', '--port', '0', '--brokers', '3', '--topic', 'orders:3:2', '--topic', 'audit', '--config', 'num.partitions=2'])
    const bootstrap = await run.line(/^bootstrap: /)
    const addresses = bootstrap.slice('bootstrap: '.length).split(',')
    expect(addresses).toHaveLength(3)
    expect(run.stdout()).toContain('created topic orders: 3 partitions, replication factor 2')
    // --config applies: the topic made with defaults has num.partitions=2.
    expect(run.stdout()).toContain('created topic audit: 2 partitions, replication factor 1')
    for (const address of addresses) {
      const [host, port] = address.split(':')
      expect(host).toBe('127.0.0.1')
      const client = await RawClient.connect(Number(port), host)
      await client.close()
    }
    run.child.kill('SIGTERM')
    expect(await run.exit).toBe(0)
    expect(run.stdout()).toContain('SIGTERM: closing the listeners')
    // The listeners are gone with it.
    await expect(RawClient.connect(Number(addresses[0]!.split(':')[1]))).rejects.toThrow(/ECONNREFUSED/)
  })

  it('exits 0 on SIGINT too', async () => {
    const run = start(['serve', '--port', '0'])
    await run.line(/^bootstrap: 127\.0\.0\.1:\d+$/)
    run.child.kill('SIGINT')
    expect(await run.exit).toBe(0)
  })

  it('logs what happens to the cluster while it serves: a connection closed for bad input', async () => {
    const run = start(['serve', '--port', '0'])
    const bootstrap = await run.line(/^bootstrap: /)
    const client = await RawClient.connect(Number(bootstrap.split(':').pop()))
    const frame = Buffer.alloc(10)
    frame.writeInt16BE(31999, 0)
    client.writeFrame(frame)
    await client.closed
    expect(await run.line(/unknown or unsupported API key 31999/)).toMatch(/^warn: broker 0, 127\.0\.0\.1:\d+: closed the connection/)
    run.child.kill('SIGTERM')
    expect(await run.exit).toBe(0)
  })

  it('refuses bad arguments with exit code 2 and a reason', async () => {
    for (const [args, reason] of [
      [['serve', '--as-version', '2.9'], /Unknown Kafka version "2.9".*known versions: 0\.11, 1\.0/],
      [['serve', '--brokers', '0'], /--brokers must be an integer from 1/],
      [['serve', '--config', 'no.such.config=1'], /Unknown broker config name: no\.such\.config/],
      [['serve', '--topic', 'a:b'], /--topic a partitions must be an integer/],
      [['serve', '--bogus'], /Unknown option '--bogus'/],
      [['launch'], /unknown command "launch"/],
      [['serve', '--port', '0', '--topic', 'bad/name'], /cannot create topic bad\/name: INVALID_TOPIC_EXCEPTION/],
    ] as const) {
      const run = start([...args])
      expect(await run.exit, args.join(' ')).toBe(2)
      expect(run.stderr()).toMatch(reason)
    }
  })

  it('fails with exit code 1 when its port is taken', async () => {
    const first = start(['serve', '--port', '0'])
    const port = Number((await first.line(/^bootstrap: /)).split(':').pop())
    const second = spawn(process.execPath, [BIN, 'serve', '--port', String(port)])
    let err = ''
    second.stderr.on('data', (d: Buffer) => void (err += d.toString()))
    const code = await new Promise<number | null>((resolve) => second.on('exit', resolve))
    expect(code).toBe(1)
    expect(err).toContain(`broker 0 cannot listen on 127.0.0.1:${port}: EADDRINUSE`)
    first.child.kill('SIGTERM')
    expect(await first.exit).toBe(0)
  })

  it('prints its usage with --help', async () => {
    const run = start(['serve', '--help'])
    expect(await run.exit).toBe(0)
    expect(run.stdout()).toContain('Usage: memkafka serve [options]')
  })
})
