/**
 * `npm run bench` runs every benchmark and prints one table; `npm run bench -- <name> ...`
 * runs only those named (send-batch, consume, group-consume, single-send, latency, test-life,
 * rebalance, replication, transactions, simulation, wire-serve, wire-codec, security, scale,
 * log-length, compaction, memory);
 * `--quick` runs the fast ones with fewer samples.
 * Every figure comes with its DESIGN.md target and a raw-JS baseline measured in the same run
 * (see bench/README.md for how to read the table).
 */
import { benchSendBatch } from './send-batch.js'
import { benchConsume } from './consume.js'
import { benchGroupConsume } from './group-consume.js'
import { benchSingleSend } from './single-send.js'
import { benchLatency } from './latency.js'
import { benchTestLife } from './test-life.js'
import { benchRebalance } from './rebalance.js'
import { benchMemory } from './memory.js'
import { benchCompaction } from './compaction.js'
import { benchReplication } from './replication.js'
import { benchTransactions } from './transactions.js'
import { benchSimulation } from './simulation.js'
import { benchWireServe } from './wire-serve.js'
import { benchWireCodec } from './wire-codec.js'
import { benchSecurity } from './security.js'
import { benchScale } from './scale.js'
import { benchLogLength } from './log-length.js'
import { formatTable, formatValue, type BenchResult } from './result.js'

const benchmarks: Record<string, () => Promise<BenchResult[]>> = {
  'send-batch': benchSendBatch,
  consume: benchConsume,
  'group-consume': benchGroupConsume,
  'single-send': benchSingleSend,
  latency: benchLatency,
  'test-life': benchTestLife,
  rebalance: benchRebalance,
  replication: benchReplication,
  transactions: benchTransactions,
  simulation: benchSimulation,
  'wire-serve': benchWireServe,
  'wire-codec': benchWireCodec,
  security: benchSecurity,
  scale: benchScale,
  // After the timings: it builds a log of 10 M records.
  'log-length': benchLogLength,
  // After the timings: it builds logs of 10 M records.
  compaction: benchCompaction,
  // Last: it fills the heap with a million records, which would disturb timings after it.
  memory: benchMemory,
}

const asked = process.argv.slice(2).filter((arg) => !arg.startsWith('-'))
const unknown = asked.filter((name) => !(name in benchmarks))
if (unknown.length > 0) {
  console.error(`unknown benchmark ${unknown.join(', ')}; choose from: ${Object.keys(benchmarks).join(', ')}`)
  process.exit(2)
}
// `--quick` (a check before a commit, under a minute on a loaded 2-core machine): without a list,
// the headline figures (send-batch, consume, single-send, latency, test-life) and `scale` at its
// smallest and largest sizes with fewer samples; the rest is left out.
const slow = new Set(['group-consume', 'rebalance', 'replication', 'transactions', 'simulation', 'wire-serve', 'wire-codec', 'log-length', 'compaction', 'memory'])
const quick = process.argv.includes('--quick')
// Always in the order above, whatever the order asked.
const chosen = Object.keys(benchmarks).filter((name) => (asked.length === 0 ? !(quick && slow.has(name)) : asked.includes(name)))
if (quick && asked.length === 0) console.log(`--quick: leaving out ${[...slow].join(', ')}`)

console.log(`memkafka benchmarks: node ${process.version}, ${process.platform}/${process.arch}`)
const results: BenchResult[] = []
const failures: string[] = []
for (const name of chosen) {
  const startedAt = performance.now()
  process.stdout.write(`${name} ... `)
  try {
    const rows = await benchmarks[name]!()
    results.push(...rows)
    const summary = rows.map((r) => formatValue(r.value, r.unit)).join(', ')
    console.log(`${summary} (${((performance.now() - startedAt) / 1000).toFixed(1)} s)`)
  } catch (error) {
    failures.push(name)
    console.log('FAILED')
    console.error(error)
  }
}

console.log()
console.log(formatTable(results))
if (failures.length > 0) {
  console.error(`\nfailed: ${failures.join(', ')}`)
  process.exitCode = 1
}
