/**
 * The built `memkafka/testing` entry point works from both module systems, as a user's project
 * loads it (`npm test` builds first): it runs a simulation, checks its history, samples an
 * arbitrary, and shares one copy of memkafka with the main entry (the cluster a simulation hands
 * to `inspect` is an instance of the Cluster that `memkafka` exports).
 */
import { describe, it, expect } from 'vitest'
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { projectWithMemkafka } from '../support/installed-package.js'

const script = (load: string): string => `
${load}
const workload = {
  topics: [{ name: 't', partitions: 2, replicationFactor: 3, configs: { 'min.insync.replicas': '2' } }],
  producers: [{ acks: -1, idempotent: true, transactional: false }],
  steps: [{ kind: 'send', producer: 0, topic: 0, key: 1, count: 3, abort: false }, { kind: 'advance', ms: 10 }, { kind: 'send', producer: 0, topic: 0, key: 2, count: 2, abort: false }],
  groups: [{ topics: [0], handler: 'eachMessage', steps: [{ kind: 'join' }] }],
}
let sameCluster = false
const history = await simulate({ seed: 3, workload, faults: [{ kind: 'stopBroker', broker: 1, crash: true, loseUnflushed: false }], inspect: (c) => { sameCluster = c instanceof Cluster } })
const result = checkHistory(history)
const [scenario] = fc.sample(scenarioArbitrary(), { numRuns: 1, seed: 1 })
console.log(JSON.stringify({ valid: result.valid, sends: history.ops.filter((op) => op.kind === 'send').length, sameCluster, sampled: typeof scenario.seed, recorder: typeof HistoryRecorder }))
`

function run(code: string, type: 'module' | 'commonjs'): Record<string, unknown> {
  const args = type === 'module' ? ['--input-type=module', '-e', code] : ['-e', `(async () => {${code}})().catch((e) => { console.error(e); process.exit(1) })`]
  const out = execFileSync(process.execPath, args, { cwd: process.cwd(), encoding: 'utf8' })
  return JSON.parse(out.trim().split('\n').pop()!)
}

const expected = { valid: true, sends: 5, sameCluster: true, sampled: 'number', recorder: 'function' }

describe('the built memkafka/testing', () => {
  it('is built', () => {
    expect(existsSync('dist/testing.js') && existsSync('dist/testing.cjs') && existsSync('dist/testing.d.ts') && existsSync('dist/testing.d.cts')).toBe(true)
  })

  it('loads with import', () => {
    const load = `import { Cluster } from 'memkafka'\nimport { simulate, checkHistory, scenarioArbitrary, HistoryRecorder } from 'memkafka/testing'\nimport fc from 'fast-check'`
    expect(run(script(load), 'module')).toEqual(expected)
  })

  it('loads with require', () => {
    const load = `const { Cluster } = require('memkafka')\nconst { simulate, checkHistory, scenarioArbitrary, HistoryRecorder } = require('memkafka/testing')\nconst fc = require('fast-check')`
    expect(run(script(load), 'commonjs')).toEqual(expected)
  })

  it('leaves the main entry free of fast-check and of the testing code', () => {
    const main = execFileSync(process.execPath, ['-e', `const fs = require('fs'); const js = fs.readFileSync('dist/index.js', 'utf8') + fs.readFileSync('dist/index.cjs', 'utf8'); console.log(JSON.stringify({ fc: js.includes('fast-check'), recorder: js.includes('HistoryRecorder') }))`], { encoding: 'utf8' })
    expect(JSON.parse(main)).toEqual({ fc: false, recorder: false })
  })
})

describe('the built memkafka/testing without fast-check installed', () => {
  const script = (load: string): string => `
${load}
const workload = {
  topics: [{ name: 't', partitions: 1, replicationFactor: 1, configs: {} }],
  producers: [{ acks: -1, idempotent: false, transactional: false }],
  steps: [{ kind: 'send', producer: 0, topic: 0, key: 1, count: 2, abort: false }],
  groups: [],
}
const history = await simulate({ seed: 1, workload, faults: [] })
let arbitraries = ''
try { scenarioArbitrary() } catch (e) { arbitraries = e.message }
console.log(JSON.stringify({ valid: checkHistory(history).valid, sends: history.ops.filter((op) => op.kind === 'send').length, arbitraries }))
`
  const expected = { valid: true, sends: 2, arbitraries: expect.stringContaining('need fast-check, an optional peer dependency of memkafka: npm i -D fast-check') }

  for (const [system, load, file] of [
    ['import', `import { simulate, checkHistory, scenarioArbitrary } from 'memkafka/testing'`, 'test.mjs'],
    ['require', `const { simulate, checkHistory, scenarioArbitrary } = require('memkafka/testing')\n;(async () => {`, 'test.cjs'],
  ] as const) {
    it(`loads with ${system}; only the arbitraries ask for fast-check`, () => {
      const project = projectWithMemkafka()
      try {
        const path = project.write(file, system === 'import' ? script(load) : `${script(load)}})()`)
        const out = execFileSync(process.execPath, [path], { cwd: project.dir, encoding: 'utf8' })
        expect(JSON.parse(out.trim().split('\n').pop()!)).toEqual(expected)
      } finally {
        project.remove()
      }
    })
  }
})
