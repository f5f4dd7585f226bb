/**
 * Runs one interop driver program (a real client in its own process) and collects the JSON-line
 * events it prints. The contract every driver follows: env BOOTSTRAP, SCENARIO, TOPIC, GROUP,
 * TXN_ID, COUNT; one JSON object per stdout line ({"event": ...}); a {"event":"paused"} line waits
 * for a line on stdin, which the harness writes once it has done its part (stopped a broker, run
 * the cleaner). Anything else a client prints is kept as a log line for failure reports.
 */
import { spawn } from 'node:child_process'

export interface DriverEvent {
  readonly event: string
  readonly [field: string]: unknown
}

export interface DriverRun {
  readonly events: DriverEvent[]
  readonly log: string[]
  readonly code: number | null
}

export interface DriverOptions {
  readonly env: Record<string, string>
  /** Kills the driver after this long (real time): a hung client fails its test instead of the suite. */
  readonly timeoutMs: number
  /** Called on a paused event; the driver continues when it resolves. */
  readonly onPause?: (what: string) => void | Promise<void>
  readonly cwd?: string
  /**
   * For a program that never exits by itself (the seed's consumer polls forever): once a line it
   * prints matches, the driver is stopped (SIGTERM) and the run counts as finished.
   */
  readonly stopWhen?: (line: string) => boolean
  /** A program that does not follow the event contract (the seeds'): exit code 0 is success. */
  readonly plain?: boolean
}

export class DriverFailed extends Error {
  constructor(
    message: string,
    readonly run: DriverRun,
  ) {
    super(`${message}\n--- driver output (last 60 lines) ---\n${[...run.log].slice(-60).join('\n')}`)
  }
}

export function runDriver(command: readonly string[], options: DriverOptions): Promise<DriverRun> {
  const [file, ...args] = command
  const child = spawn(file!, args, {
    cwd: options.cwd ?? process.cwd(),
    env: { ...process.env, ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  const events: DriverEvent[] = []
  const log: string[] = []
  let pending = ''
  let stopped = false
  const onLine = (line: string, stream: 'out' | 'err') => {
    if (line.trim() === '') return
    log.push(`${stream}: ${line}`)
    if (!stopped && options.stopWhen?.(line)) {
      stopped = true
      child.kill('SIGTERM')
    }
    if (stream === 'err' || !line.startsWith('{')) return
    let event: DriverEvent
    try {
      event = JSON.parse(line) as DriverEvent
    } catch {
      return
    }
    events.push(event)
    if (event.event === 'paused') {
      Promise.resolve(options.onPause?.(String(event['what'] ?? '')))
        .then(() => child.stdin.write('go\n'))
        .catch((error: unknown) => {
          log.push(`harness: onPause failed: ${String(error)}`)
          child.kill('SIGKILL')
        })
    }
  }
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    pending += chunk
    let nl: number
    while ((nl = pending.indexOf('\n')) >= 0) {
      onLine(pending.slice(0, nl), 'out')
      pending = pending.slice(nl + 1)
    }
  })
  let errPending = ''
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    errPending += chunk
    let nl: number
    while ((nl = errPending.indexOf('\n')) >= 0) {
      onLine(errPending.slice(0, nl), 'err')
      errPending = errPending.slice(nl + 1)
    }
  })
  child.stdin.on('error', () => {}) // the driver may exit without reading stdin
  return new Promise((resolve, reject) => {
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      child.kill('SIGKILL')
    }, options.timeoutMs)
    child.on('error', (error) => {
      clearTimeout(timer)
      reject(new DriverFailed(`could not start ${file}: ${error.message}`, { events, log, code: null }))
    })
    child.on('close', (code) => {
      clearTimeout(timer)
      if (pending) onLine(pending, 'out')
      if (errPending) onLine(errPending, 'err')
      const run = { events, log, code }
      if (timedOut) reject(new DriverFailed(`${command.join(' ')} did not finish within ${options.timeoutMs} ms`, run))
      else if (stopped) resolve(run)
      else if (code !== 0 || (!options.plain && !events.some((e) => e.event === 'done'))) reject(new DriverFailed(`${command.join(' ')} exited with ${code}`, run))
      else resolve(run)
    })
  })
}

export const eventsOf = (run: DriverRun, name: string) => run.events.filter((e) => e.event === name)

/** A Go driver built by scripts/interop-install.sh into .interop-cache/bin. */
export const goDriver = (name: string) => `.interop-cache/bin/${name}`
