/**
 * The built package works from both module systems: `import` (ESM) and `require` (CJS), each
 * in a plain Node process, as a user's project would load it. (`npm test` builds first.)
 */
import { describe, it, expect } from 'vitest'
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { projectWithMemkafka } from './support/installed-package.js'

const script = (load: string): string => `
${load}
const cluster = new Cluster({ seed: 7 })
const kafka = cluster.kafka({ clientId: 'pkg', logLevel: 0 })
const producer = kafka.producer()
await producer.connect()
const [result] = await producer.send({ topic: 'pkg-check', messages: [{ value: 'hello' }] })
const consumer = kafka.consumer({ groupId: 'pkg' })
await consumer.subscribe({ topics: ['pkg-check'], fromBeginning: true })
let seen = ''
await consumer.run({ eachMessage: async ({ message }) => { seen = message.value.toString() } })
await cluster.settle()
await consumer.disconnect()
await producer.disconnect()
await cluster.close()
console.log(JSON.stringify({ offset: result.baseOffset, seen, hasKafka: typeof Kafka === 'function', notImplemented: typeof KafkaJSNotImplemented }))
`

function run(code: string, type: 'module' | 'commonjs'): { offset: string; seen: string; hasKafka: boolean; notImplemented: string } {
  const args = type === 'module' ? ['--input-type=module', '-e', code] : ['-e', `(async () => {${code}})().catch((e) => { console.error(e); process.exit(1) })`]
  const out = execFileSync(process.execPath, args, { cwd: process.cwd(), encoding: 'utf8' })
  return JSON.parse(out.trim().split('\n').pop()!)
}

describe('the built package', () => {
  it('is built', () => {
    expect(existsSync('dist/index.js') && existsSync('dist/index.cjs') && existsSync('dist/index.d.ts')).toBe(true)
  })

  it('loads with import', () => {
    const result = run(script(`import { Cluster, Kafka, KafkaJSNotImplemented } from 'memkafka'`), 'module')
    expect(result).toEqual({ offset: '0', seen: 'hello', hasKafka: true, notImplemented: 'function' })
  })

  it('loads with require', () => {
    const result = run(script(`const { Cluster, Kafka, KafkaJSNotImplemented } = require('memkafka')`), 'commonjs')
    expect(result).toEqual({ offset: '0', seen: 'hello', hasKafka: true, notImplemented: 'function' })
  })
})

/** Sends one message from `kafka` (any copy's Kafka) and reads what the test's cluster holds. */
const sharedScript = (setup: string): string => `
${setup}
const producer = kafka.producer()
await producer.connect()
await producer.send({ topic: 'from-the-library', messages: [{ value: 'hello' }] })
await producer.disconnect()
const topics = cluster.describe().topics.map((t) => t.name)
const error = new library.KafkaJSProtocolError({ type: 'UNKNOWN_TOPIC_OR_PARTITION', code: 3, retriable: true, message: 'x' })
await cluster.close()
console.log(JSON.stringify({ twoCopies: library.Cluster !== Cluster, topics, isKafkaJSError: error instanceof KafkaJSError, isNonRetriable: error instanceof KafkaJSNonRetriableError }))
`

describe('memkafka loaded twice in one process', () => {
  const expected = { twoCopies: true, topics: ['from-the-library'], isKafkaJSError: true, isNonRetriable: false }

  it('its ESM and CJS builds share the clusters and the error classes', () => {
    const code = sharedScript(`import { Cluster, KafkaJSError, KafkaJSNonRetriableError } from 'memkafka'
import { createRequire } from 'node:module'
const library = createRequire(import.meta.url)('memkafka')
const cluster = new Cluster({ basePort: 19092 })
const kafka = new library.Kafka({ brokers: ['localhost:19092'], logLevel: 0 })`)
    expect(run(code, 'module')).toEqual(expected)
  })

  it('installed under its own name and as an alias for kafkajs, the copies share the clusters and the error classes', () => {
    const project = projectWithMemkafka(['kafkajs'])
    try {
      const file = project.write('test.mjs', sharedScript(`import { Cluster, KafkaJSError, KafkaJSNonRetriableError } from 'memkafka'
import { createRequire } from 'node:module'
const library = createRequire(import.meta.url)('kafkajs')
const cluster = new Cluster({ basePort: 19092 })
const kafka = new library.Kafka({ brokers: ['localhost:19092'], logLevel: 0 })`))
      const out = execFileSync(process.execPath, [file], { cwd: project.dir, encoding: 'utf8' })
      expect(JSON.parse(out.trim().split('\n').pop()!)).toEqual(expected)
    } finally {
      project.remove()
    }
  })
})

describe('what npm publishes', () => {
  it('holds the README, the LICENSE and the builds of every entry point, and nothing from the repository besides', () => {
    const [pack] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { encoding: 'utf8' })) as [{ files: { path: string }[] }]
    const files = pack.files.map((f) => f.path)
    expect(files).toEqual(expect.arrayContaining(['README.md', 'LICENSE', 'package.json', 'dist/index.js', 'dist/index.cjs', 'dist/testing.js', 'dist/testing.cjs', 'dist/register.js', 'dist/register.cjs', 'dist/register-hooks.js']))
    expect(files.filter((f) => !f.startsWith('dist/') && !['README.md', 'LICENSE', 'package.json'].includes(f))).toEqual([])
  })

  it("links from the README to the repository's pages, which work on the npm page too, and names the same repository as package.json", () => {
    const readme = readFileSync('README.md', 'utf8')
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { repository: { url: string }; homepage: string; bugs: { url: string }; keywords: string[] }
    const links = [...readme.matchAll(/\]\(([^)]+)\)/g)].map((m) => m[1]!)
    expect(links.length).toBeGreaterThan(0)
    expect(links.filter((link) => !/^https:\/\//.test(link))).toEqual([])
    const repository = pkg.repository.url.replace(/^git\+/, '').replace(/\.git$/, '')
    expect(pkg.homepage.startsWith(repository)).toBe(true)
    expect(pkg.bugs.url.startsWith(repository)).toBe(true)
    for (const link of links.filter((l) => l.includes('github.com'))) {
      expect(link.startsWith(repository)).toBe(true)
      // A link into the repository names a file that exists in it (an anchor after it is fine).
      const path = link.slice(repository.length).replace(/^\/blob\/main\//, '').replace(/#.*$/, '')
      if (path !== link && path !== '') expect(existsSync(path), path).toBe(true)
    }
    expect(pkg.keywords).toContain('kafkajs')
  })
})
