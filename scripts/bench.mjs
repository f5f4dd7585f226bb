/**
 * `npm run bench`: bundles bench/run.ts with esbuild, as tsup bundles the package users run
 * (dist/), and runs the bundle with the arguments given. Running the benchmarks from source under
 * tsx (`npx tsx bench/run.ts ...`, which still works) measures tsx's transform too: it keeps
 * function names by wrapping every function created in a call (esbuild's keepNames), which the
 * shipped build does not do, and which costs the send path about a fifth.
 */
import { spawnSync } from 'node:child_process'
import * as esbuild from 'esbuild'

const outfile = 'node_modules/.cache/memkafka-bench/run.mjs'
await esbuild.build({
  entryPoints: ['bench/run.ts'],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // kafkajs, tinybench, fast-check: loaded from node_modules as they are.
  packages: 'external',
  outfile,
  logLevel: 'warning',
})
const result = spawnSync(process.execPath, [outfile, ...process.argv.slice(2)], { stdio: 'inherit' })
process.exit(result.status ?? 1)
