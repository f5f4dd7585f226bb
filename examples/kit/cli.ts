/**
 * Running examples from a terminal: one example streaming its output, or the live view of
 * --watch. examples/run.ts (npm run example / npm run examples) and each main.ts, when run
 * directly with tsx, come here.
 */
import { pathToFileURL } from 'node:url'
import { runExample, type Example, type ExampleHooks } from './example.js'
import { LiveView } from './watch.js'

export interface TerminalOptions {
  /** Draw the live view; the number is the real ms each frame stays (default 400). */
  readonly watch?: boolean | number
  /** With watch: also draw every N ms of virtual time. */
  readonly tickMs?: number
}

const write = (text: string): void => void process.stdout.write(text)
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** Runs one example, printing as it goes (or drawing the live view). Resolves true when it succeeded. */
export async function runInTerminal(example: Example, options: TerminalOptions = {}): Promise<boolean> {
  let hooks: ExampleHooks
  let view: LiveView | undefined
  if (options.watch !== undefined && options.watch !== false) {
    view = new LiveView({
      title: `${example.name}: ${example.title}`,
      frameMs: typeof options.watch === 'number' ? options.watch : undefined,
      tickMs: options.tickMs,
      tty: process.stdout.isTTY === true,
      write,
      sleep,
    })
    hooks = { clock: view.clock, onCluster: view.follow, onPart: view.onPart, onLine: view.onLine }
  } else {
    write(`# ${example.name}: ${example.title}\n`)
    hooks = {
      onPart: (part) => write(`\n== ${part.heading} ==\n`),
      onLine: (line) => write(`${line}\n`),
    }
  }
  try {
    await runExample(example, hooks)
    view?.finish()
    return true
  } catch (error) {
    view?.finish()
    const cause = (error as { cause?: Error }).cause
    process.stderr.write(`\nexample ${example.name} failed: ${(error as Error).stack ?? String(error)}\n${cause?.stack ? `caused by: ${cause.stack}\n` : ''}`)
    return false
  }
}

/** Parses `--watch`, `--watch=<frame ms>` and `--tick=<virtual ms>`. */
export function terminalOptions(args: readonly string[]): TerminalOptions {
  let watch: boolean | number | undefined
  let tickMs: number | undefined
  for (const arg of args) {
    if (arg === '--watch') watch = true
    else if (arg.startsWith('--watch=')) watch = positive(arg, arg.slice('--watch='.length))
    else if (arg.startsWith('--tick=')) tickMs = positive(arg, arg.slice('--tick='.length))
  }
  return { watch, tickMs }
}

function positive(arg: string, value: string): number {
  const n = Number(value)
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${arg}: expected a positive number of milliseconds`)
  return n
}

/**
 * At the bottom of each main.ts: when the file itself is what tsx runs
 * (`npx tsx examples/replication/main.ts --watch`), run the example in the terminal.
 */
export async function runIfMain(moduleUrl: string, example: Example): Promise<void> {
  const script = process.argv[1]
  if (!script || pathToFileURL(script).href !== moduleUrl) return
  const ok = await runInTerminal(example, terminalOptions(process.argv.slice(2)))
  process.exitCode = ok ? 0 : 1
}
