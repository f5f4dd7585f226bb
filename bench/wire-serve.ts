/**
 * `memkafka serve` as a process (DESIGN.md's wire targets):
 * - startup: from spawning `node memkafka.js serve --brokers 3 --port 0` to its `bootstrap:`
 *   line, when every listener accepts connections (median of 7; target <= 150 ms), as every start
 *   but the first runs: with the code cache the first start wrote (src/bin/compile-cache.ts);
 *   beside it, the start without that cache (MEMKAFKA_DISABLE_COMPILE_CACHE=1), what the first
 *   start after an install costs; and the CPU time the cached start used to get there (its
 *   threads' time from /proc, beside the echo process's: on a loaded machine, where processes
 *   wait for a core, a steadier figure than the wall time);
 * - idle memory: the RSS of a served 3-broker cluster holding 100 empty topics (target <= 80 MB);
 * - request round trips: ApiVersions v2 requests pipelined 100 at a time on one connection.
 * Baseline for each: a raw-socket echo server on the same loopback, as its own process (the
 * same spawn-to-listening time, its RSS, and its echo round trips for frames of the same size).
 *
 * The bin is built from the current source into a temporary directory first, as tsup builds
 * dist/bin (scripts/build-bin.mjs), so the figures are those of the current source.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { connect, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { BenchResult } from './result.js'
import { buildBin } from '../scripts/build-bin.mjs'

const ECHO_SERVER = `
const net = require('node:net')
const server = net.createServer((socket) => socket.on('data', (chunk) => socket.write(chunk)))
server.listen(0, '127.0.0.1', () => console.log('bootstrap: 127.0.0.1:' + server.address().port))
`

interface Started {
  readonly child: ChildProcess
  readonly ms: number
  /** CPU time its threads had used when it printed the line (less noisy than `ms` on a loaded machine). */
  readonly cpuMs: number
  readonly port: number
}

/** CPU milliseconds a process's threads have run so far (Linux /proc/<pid>/task/<tid>/schedstat). */
function cpuMs(pid: number): number {
  let ns = 0
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0])
    } catch {
      // A thread that ended between the listing and the read.
    }
  }
  return ns / 1e6
}

/** Spawns `node args...` and resolves once it prints its bootstrap line. */
function start(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Started> {
  const startedAt = performance.now()
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'], env })
  return new Promise((resolve, reject) => {
    let out = ''
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const match = /^bootstrap: [^:\n]+:(\d+)/m.exec(out)
      if (match) {
        child.stdout!.removeAllListeners('data')
        child.stdout!.resume()
        const ms = performance.now() - startedAt
        resolve({ child, ms, cpuMs: cpuMs(child.pid!), port: Number(match[1]) })
      }
    })
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited (${code}) before it listened:\n${out}`)))
  })
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.kill('SIGTERM')
  await exited
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

/** The process's resident set size in MB (Linux /proc; ps elsewhere is not worth it here). */
function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1])
  if (!Number.isFinite(kb)) throw new Error(`no VmRSS for ${pid}`)
  return kb / 1024
}

/** ApiVersions v2 request frame: size, key 18, version 2, correlation id, client id "bench", empty body. */
function apiVersionsFrame(correlationId: number): Buffer {
  const clientId = Buffer.from('bench')
  const frame = Buffer.alloc(4 + 2 + 2 + 4 + 2 + clientId.length)
  frame.writeInt32BE(frame.length - 4, 0)
  frame.writeInt16BE(18, 4)
  frame.writeInt16BE(2, 6)
  frame.writeInt32BE(correlationId, 8)
  frame.writeInt16BE(clientId.length, 12)
  clientId.copy(frame, 14)
  return frame
}

/**
 * Round trips per second on one connection: `total` frames, `window` in flight at a time, each
 * answered by a frame whose size prefix the reader follows (for the echo server the answer is
 * the request itself).
 */
async function roundTrips(port: number, total: number, window: number, frame: (i: number) => Buffer): Promise<number> {
  const socket: Socket = await new Promise((resolve, reject) => {
    const s = connect({ port, host: '127.0.0.1' }, () => resolve(s))
    s.once('error', reject)
  })
  socket.setNoDelay(true)
  const startedAt = performance.now()
  await new Promise<void>((resolve, reject) => {
    let sent = 0
    let received = 0
    let pending: Buffer = Buffer.alloc(0)
    const sendWindow = (): void => {
      const batch: Buffer[] = []
      while (sent < total && sent - received < window) batch.push(frame(sent++))
      if (batch.length > 0) socket.write(Buffer.concat(batch))
    }
    socket.on('data', (chunk: Buffer) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk])
      while (pending.length >= 4 && pending.length >= 4 + pending.readInt32BE(0)) {
        pending = pending.subarray(4 + pending.readInt32BE(0))
        received++
      }
      if (received === total) resolve()
      else if (sent - received <= window / 2) sendWindow()
    })
    socket.once('error', reject)
    sendWindow()
  })
  const seconds = (performance.now() - startedAt) / 1000
  socket.destroy()
  return total / seconds
}

export async function benchWireServe(): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'memkafka-bench-'))
  try {
    const bin = join(dir, 'memkafka.js')
    const echo = join(dir, 'echo.cjs')
    await buildBin(dir)
    writeFileSync(echo, ECHO_SERVER)

    // Startup, alternating memkafka (with and without its code cache) and the echo server so that
    // all see the same machine load. The first start writes the cache (unless an earlier run of
    // the same build did).
    const serveArgs = [bin, 'serve', '--brokers', '3', '--port', '0']
    await stop((await start(serveArgs)).child)
    const uncached = { ...process.env, MEMKAFKA_DISABLE_COMPILE_CACHE: '1' }
    const serveMs: number[] = []
    const serveCpuMs: number[] = []
    const uncachedMs: number[] = []
    const echoMs: number[] = []
    const echoCpuMs: number[] = []
    for (let i = 0; i < 7; i++) {
      const served = await start(serveArgs)
      serveMs.push(served.ms)
      serveCpuMs.push(served.cpuMs)
      await stop(served.child)
      const cold = await start(serveArgs, uncached)
      uncachedMs.push(cold.ms)
      await stop(cold.child)
      const echoed = await start([echo])
      echoMs.push(echoed.ms)
      echoCpuMs.push(echoed.cpuMs)
      await stop(echoed.child)
    }

    // Idle memory with 100 topics, and request round trips on the same process.
    const topics = Array.from({ length: 100 }, (_, i) => ['--topic', `topic-${i}:1:1`]).flat()
    const served = await start([bin, 'serve', '--brokers', '3', '--port', '0', ...topics])
    const echoed = await start([echo])
    await new Promise((resolve) => setTimeout(resolve, 500))
    const serveRss = rssMb(served.child.pid!)
    const echoRss = rssMb(echoed.child.pid!)
    const total = 50_000
    const window = 100
    await roundTrips(served.port, 2000, window, apiVersionsFrame) // warm-up
    const serveTrips = await roundTrips(served.port, total, window, apiVersionsFrame)
    const sampleFrame = apiVersionsFrame(0)
    await roundTrips(echoed.port, 2000, window, () => sampleFrame)
    const echoTrips = await roundTrips(echoed.port, total, window, () => sampleFrame)
    await stop(served.child)
    await stop(echoed.child)

    return [
      { name: 'memkafka serve --brokers 3: spawn to accepting connections', value: median(serveMs), unit: 'ms', target: 150, better: 'lower', baseline: median(echoMs) },
      { name: 'the same without the code cache (a first start)', value: median(uncachedMs), unit: 'ms', target: undefined, better: 'lower', baseline: median(echoMs) },
      { name: 'CPU time of the cached start, all threads', value: median(serveCpuMs), unit: 'ms', target: undefined, better: 'lower', baseline: median(echoCpuMs) },
      { name: 'memkafka serve idle RSS, 3 brokers, 100 empty topics', value: serveRss, unit: 'MB', target: 80, better: 'lower', baseline: echoRss },
      { name: 'wire round trips, ApiVersions v2, 100 in flight on 1 connection', value: serveTrips, unit: 'reqs/s', target: undefined, better: 'higher', baseline: echoTrips },
    ]
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
