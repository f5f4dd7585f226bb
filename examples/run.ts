/**
 * The example runner.
 *
 *   npm run example -- <name>            one example, its output streamed part by part
 *   npm run example -- <name> --watch    the live view: the cluster redrawn as things happen
 *                     [--watch=<ms>]     (each frame held <ms> of real time, default 400)
 *                     [--tick=<ms>]      (also a frame every <ms> of virtual time)
 *   npm run examples                     every example, in the guide's order
 *   npm run example -- --list            the names
 *   npm run example -- --write-guide     rewrite docs/guide.md's output blocks from fresh runs
 *
 * A folder under examples/ that is not a teaching example (order-workflow, the demo) is run by
 * importing its main.ts, which runs itself.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { catalog, findExample } from './kit/catalog.js'
import { runInTerminal, terminalOptions } from './kit/cli.js'
import { runExample, type ExamplePart } from './kit/example.js'
import { rewriteGuide } from './kit/guide.js'

const here = dirname(fileURLToPath(import.meta.url))
const args = process.argv.slice(2)
const names = args.filter((a) => !a.startsWith('--'))
const flags = new Set(args.filter((a) => a.startsWith('--')).map((a) => a.split('=')[0]))

async function main(): Promise<number> {
  if (flags.has('--list')) {
    for (const e of catalog) process.stdout.write(`${e.name}\n`)
    process.stdout.write('order-workflow\n')
    return 0
  }
  if (flags.has('--write-guide')) return writeGuide()
  const options = terminalOptions(args)
  const all = flags.has('--all') || names.length === 0
  const selected = all ? [...catalog.map((e) => e.name), 'order-workflow'] : names
  let failed = 0
  for (const [i, name] of selected.entries()) {
    if (i > 0) process.stdout.write('\n\n')
    const entry = findExample(name)
    if (entry) {
      if (!(await runInTerminal(await entry.load(), options))) failed++
      continue
    }
    const script = join(here, name, 'main.ts')
    if (!/^[a-z0-9-]+$/.test(name) || !existsSync(script)) {
      process.stderr.write(`No example named ${name}. Examples: ${[...catalog.map((e) => e.name), 'order-workflow'].join(', ')}\n`)
      return 2
    }
    // A self-running script (the order workflow demo): importing it runs it.
    process.stdout.write(`# ${name}\n`)
    try {
      await import(pathToFileURL(script).href)
    } catch (error) {
      process.stderr.write(`example ${name} failed: ${(error as Error).stack ?? String(error)}\n`)
      failed++
    }
  }
  return failed === 0 ? 0 : 1
}

async function writeGuide(): Promise<number> {
  const path = join(here, '..', 'docs', 'guide.md')
  const outputs = new Map<string, ExamplePart[]>()
  for (const entry of catalog) outputs.set(entry.name, (await runExample(await entry.load())).parts)
  const before = readFileSync(path, 'utf8')
  const after = rewriteGuide(before, outputs)
  if (after !== before) writeFileSync(path, after)
  process.stdout.write(after === before ? 'docs/guide.md is up to date\n' : 'docs/guide.md: output blocks rewritten\n')
  return 0
}

process.exitCode = await main()
