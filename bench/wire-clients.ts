/**
 * Real clients against `memkafka serve` over loopback (DESIGN.md's wire targets), each beside a
 * raw-socket baseline, with where the CPU time goes:
 * - kcat produce: 1 M records of 100 B from a file (`kcat -P -l`) to one partition, acks=all.
 *   Target >= 400 k msgs/s.
 * - kcat consume: the same 1 M records from the beginning to the end (`kcat -C -e`), at
 *   librdkafka's default fetch sizes. Target >= 1 M msgs/s.
 * - the real kafkajs 2.2.4 in this process: sendBatch of 1000 x 100 B (acks=-1) and a consumer
 *   group's eachBatch reading them back.
 * Baseline: an echo server process on the same loopback, streaming the same bytes (100-B records
 * in 64 KB writes) through it and back, counted in records per second: what loopback TCP and
 * node's socket layer alone allow.
 * For each phase it reports the CPU seconds the server process and the client used (from
 * /proc/<pid>/stat and process.cpuUsage) against the wall time: a side near 100% of one core
 * is the bottleneck.
 *
 * Run: npx tsx bench/wire-clients.ts (needs kcat: scripts/interop-install.sh installs it).
 * The server is built from the current source as tsup builds dist/bin (scripts/build-bin.mjs).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { formatTable, formatValue, type BenchResult } from './result.js'
import { buildBin } from '../scripts/build-bin.mjs'

const RECORDS = Number(process.env['WIRE_BENCH_RECORDS'] ?? 1_000_000)
const KAFKAJS_RECORDS = Number(process.env['WIRE_BENCH_KAFKAJS_RECORDS'] ?? 200_000)
const VALUE = 'x'.repeat(100)
const TICK = 100 // clock ticks per second of /proc/<pid>/stat (USER_HZ on Linux)

interface Served {
  readonly child: ChildProcess
  readonly bootstrap: string
}

function serve(bin: string, args: string[]): Promise<Served> {
  const child = spawn(process.execPath, [bin, 'serve', ...args], { stdio: ['ignore', 'pipe', 'inherit'] })
  return new Promise((resolve, reject) => {
    let out = ''
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk
      const m = /bootstrap: (\S+)/.exec(out)
      if (m) {
        child.stdout!.removeAllListeners('data')
        child.stdout!.resume() // keep draining its story lines
        resolve({ child, bootstrap: m[1]! })
      }
    })
    child.once('exit', (code) => reject(new Error(`memkafka serve exited with ${code}: ${out}`)))
  })
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return
  const exited = new Promise((resolve) => child.once('exit', resolve))
  child.kill('SIGTERM')
  await exited
}

/** CPU seconds (user + system) a process has used so far. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return (Number(fields[11]) + Number(fields[12])) / TICK
}

/** A thread's CPU seconds so far (user + system) and its name, from /proc/<pid>/task/<tid>/stat. */
function threadCpu(pid: number, tid: string): { name: string; seconds: number } {
  const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ')
  return { name: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(') ')), seconds: (Number(fields[11]) + Number(fields[12])) / TICK }
}

/**
 * Runs a client program to its end, returning its wall time, its CPU time and each of its
 * threads' (sampled every 5 ms from /proc, so up to 5 ms of the last slice is not counted):
 * librdkafka parses fetched records on its broker thread ("rdk:broker0") while kcat's own thread
 * writes them out, so the busiest thread, not the sum, says whether the client sets the pace.
 */
async function timed(command: string, args: string[]): Promise<{ wall: number; cpu: number; threads: Record<string, number> }> {
  const started = performance.now()
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr!.setEncoding('utf8').on('data', (d: string) => void (stderr += d))
  const threads: Record<string, number> = {}
  const sample = (): void => {
    try {
      for (const tid of readdirSync(`/proc/${child.pid}/task`)) {
        const t = threadCpu(child.pid!, tid)
        threads[t.name] = Math.max(threads[t.name] ?? 0, t.seconds)
      }
    } catch {
      // The process or a thread ended between the listing and the read.
    }
  }
  const poller = setInterval(sample, 5)
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
  clearInterval(poller)
  const wall = (performance.now() - started) / 1000
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} failed (${code}): ${stderr.slice(-2000)}`)
  const cpu = Object.values(threads).reduce((a, b) => a + b, 0)
  return { wall, cpu, threads }
}

interface Phase {
  readonly rate: number
  readonly wall: number
  readonly serverCpu: number
  readonly clientCpu: number
  /** CPU seconds of each of the client's threads, when the client is another process. */
  readonly clientThreads?: Record<string, number>
}

/**
 * One phase's time split. "per server core" is the rate the server would sustain if it had a
 * core to itself (records / its CPU seconds): on a loaded machine, where neither side gets a full
 * core, it says more about the server than the wall-clock rate does.
 */
const split = (name: string, p: Phase, records: number) =>
  `${name}: ${formatValue(p.rate, 'msgs/s')} in ${p.wall.toFixed(2)} s; CPU: server ${p.serverCpu.toFixed(2)} s (${((100 * p.serverCpu) / p.wall).toFixed(0)}% of a core), client ${p.clientCpu.toFixed(2)} s (${((100 * p.clientCpu) / p.wall).toFixed(0)}%${
    p.clientThreads === undefined
      ? ''
      : `: ${Object.entries(p.clientThreads)
          .filter(([, seconds]) => seconds >= 0.01)
          .sort((a, b) => b[1] - a[1])
          .map(([thread, seconds]) => `${thread} ${seconds.toFixed(2)} s`)
          .join(', ')}`
  }); ${formatValue(records / p.serverCpu, 'msgs/s')} per server core, ${formatValue(records / p.clientCpu, 'msgs/s')} per client core`

/** The echo baseline: `records` 100-B records streamed through an echo process and back. */
async function echoBaseline(dir: string, records: number): Promise<Phase> {
  const file = join(dir, 'echo.cjs')
  writeFileSync(
    file,
    "const s = require('net').createServer((c) => c.pipe(c)); s.listen(0, '127.0.0.1', () => console.log('port ' + s.address().port))",
  )
  const child = spawn(process.execPath, [file], { stdio: ['ignore', 'pipe', 'inherit'] })
  const port = await new Promise<number>((resolve) => child.stdout!.setEncoding('utf8').once('data', (s: string) => resolve(Number(/port (\d+)/.exec(s)![1]))))
  const record = Buffer.alloc(100, 'x')
  const chunk = Buffer.concat(Array.from({ length: 655 }, () => record)) // ~64 KB of records
  const total = records * 100
  const cpu0 = cpuSeconds(child.pid!)
  const self0 = process.cpuUsage()
  const started = performance.now()
  await new Promise<void>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    let sent = 0
    let received = 0
    const pump = () => {
      while (sent < total) {
        const n = Math.min(chunk.length, total - sent)
        sent += n
        if (!socket.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void socket.once('drain', pump)
      }
    }
    socket.on('data', (d: Buffer) => {
      received += d.length
      if (received >= total) {
        socket.destroy()
        resolve()
      }
    })
    socket.once('error', reject)
    socket.once('connect', pump)
  })
  const wall = (performance.now() - started) / 1000
  const self = process.cpuUsage(self0)
  const phase = { rate: records / wall, wall, serverCpu: cpuSeconds(child.pid!) - cpu0, clientCpu: (self.user + self.system) / 1e6 }
  await stop(child)
  return phase
}

async function kafkajsPhases(bootstrap: string, serverPid: number): Promise<{ send: Phase; eachBatch: Phase }> {
  // The real kafkajs from node_modules, not memkafka's facade.
  const { Kafka, logLevel } = createRequire(import.meta.url)('kafkajs') as typeof import('kafkajs')
  const kafka = new Kafka({ clientId: 'bench', brokers: bootstrap.split(','), logLevel: logLevel.NOTHING })
  const producer = kafka.producer()
  await producer.connect()
  const batch = Array.from({ length: 1000 }, () => ({ value: VALUE }))
  const measure = async (work: () => Promise<void>, records: number): Promise<Phase> => {
    const cpu0 = cpuSeconds(serverPid)
    const self0 = process.cpuUsage()
    const started = performance.now()
    await work()
    const wall = (performance.now() - started) / 1000
    const self = process.cpuUsage(self0)
    return { rate: records / wall, wall, serverCpu: cpuSeconds(serverPid) - cpu0, clientCpu: (self.user + self.system) / 1e6 }
  }
  await producer.sendBatch({ acks: -1, topicMessages: [{ topic: 'kafkajs', messages: batch }] }) // warm-up
  const send = await measure(async () => {
    for (let sent = 0; sent < KAFKAJS_RECORDS; sent += batch.length) await producer.sendBatch({ acks: -1, topicMessages: [{ topic: 'kafkajs', messages: batch }] })
  }, KAFKAJS_RECORDS)
  await producer.disconnect()
  const total = KAFKAJS_RECORDS + batch.length
  const consumer = kafka.consumer({ groupId: 'bench', maxBytes: 10 << 20, maxBytesPerPartition: 10 << 20 })
  await consumer.connect()
  await consumer.subscribe({ topic: 'kafkajs', fromBeginning: true })
  let seen = 0
  const eachBatch = await measure(async () => {
    await new Promise<void>((resolve) => {
      void consumer.run({
        eachBatch: async ({ batch: b }) => {
          seen += b.messages.length
          if (seen >= total) resolve()
        },
      })
    })
  }, total)
  await consumer.disconnect()
  return { send, eachBatch }
}

export async function benchWireClients(): Promise<{ results: BenchResult[]; splits: string[] }> {
  if (spawnSync('kcat', ['-V']).status !== 0) throw new Error('kcat is not installed: run scripts/interop-install.sh')
  const dir = mkdtempSync(join(tmpdir(), 'memkafka-wire-bench-'))
  try {
    const bin = join(dir, 'memkafka.js')
    await buildBin(dir)
    const input = join(dir, 'records.txt')
    writeFileSync(input, `${VALUE}\n`.repeat(RECORDS))

    const echo = await echoBaseline(dir, RECORDS)
    const served = await serve(bin, ['--port', '0', '--topic', 'kcat:1:1', '--topic', 'kafkajs:1:1'])
    const pid = served.child.pid!
    const bs = served.bootstrap
    const kcatPhase = async (args: string[]): Promise<Phase> => {
      const cpu0 = cpuSeconds(pid)
      const t = await timed('kcat', args)
      return { rate: RECORDS / t.wall, wall: t.wall, serverCpu: cpuSeconds(pid) - cpu0, clientCpu: t.cpu, clientThreads: t.threads }
    }
    // Producer batching as a throughput-minded kcat user sets it: up to 10 000 records per batch.
    const produce = await kcatPhase(
      ['-P', '-b', bs, '-t', 'kcat', '-p', '0', '-l', input, '-X', 'acks=all', '-X', 'linger.ms=5', '-X', 'batch.num.messages=10000', '-X', 'batch.size=1000000', '-X', 'queue.buffering.max.messages=2000000'],
    )
    // The consumer at librdkafka's default fetch sizes (fetch.message.max.bytes 1 MB a
    // partition, fetch.max.bytes 50 MB): larger fetches cost kcat more, not less (bench/README.md).
    // fetch.wait.max.ms=10: -e exits on the first empty fetch at the high watermark, which a
    // broker holds for up to fetch.wait.max.ms (500 ms by default) waiting for records; at the
    // default that idle half second would count as reading time.
    const consume = await kcatPhase(['-C', '-b', bs, '-t', 'kcat', '-p', '0', '-o', 'beginning', '-e', '-q', '-f', '%s\n', '-X', 'fetch.wait.max.ms=10'])
    const { send, eachBatch } = await kafkajsPhases(bs, pid)
    await stop(served.child)

    const row = (name: string, p: Phase, target: number | undefined): BenchResult => ({ name, value: p.rate, unit: 'msgs/s', target, better: 'higher', baseline: echo.rate })
    return {
      results: [
        row(`kcat -P: ${RECORDS / 1000} k x 100 B to 1 partition, acks=all, linger.ms=5, batch.num.messages=10000`, produce, 400_000),
        row(`kcat -C -e: ${RECORDS / 1000} k x 100 B from 1 partition, default fetch sizes, fetch.wait.max.ms=10`, consume, 1_000_000),
        row(`real kafkajs sendBatch 1000 x 100 B, acks=-1 (${KAFKAJS_RECORDS / 1000} k)`, send, undefined),
        row(`real kafkajs eachBatch (${KAFKAJS_RECORDS / 1000} k)`, eachBatch, undefined),
      ],
      splits: [
        split('echo baseline (server = echo process, client = this process)', echo, RECORDS),
        split('kcat -P', produce, RECORDS),
        split('kcat -C', consume, RECORDS),
        split('kafkajs sendBatch (client = this process)', send, KAFKAJS_RECORDS),
        split('kafkajs eachBatch (client = this process)', eachBatch, KAFKAJS_RECORDS + 1000),
      ],
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

// Run directly (npx tsx bench/wire-clients.ts), not when bundled into npm run bench's run.mjs.
if (import.meta.url === `file://${process.argv[1]}` && process.argv[1]!.endsWith('wire-clients.ts')) {
  const { results, splits } = await benchWireClients()
  console.log(formatTable(results))
  console.log()
  for (const line of splits) console.log(line)
}
