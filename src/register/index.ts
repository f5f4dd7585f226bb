/**
 * memkafka/register: every import of kafkajs in the process gets memkafka instead, the
 * application's own and those of libraries in node_modules (NestJS's microservices, a retry
 * helper), so an unmodified service runs against an in-process cluster:
 *
 *   node --import memkafka/register app.js        (ESM and CJS code)
 *   node --require memkafka/register app.js       (CJS code only, and ESM on Node >= 20.6 too)
 *
 * and in vitest as a setup file (`setupFiles: ['memkafka/register']`), which reaches the
 * libraries vitest leaves to Node. (jest has its own module system: moduleNameMapper does it.)
 *
 * Two redirections, one per module system. CommonJS `require('kafkajs')` goes through
 * Module._resolveFilename, which this wraps; ESM `import 'kafkajs'` goes through the module
 * customization hooks registered with module.register (register-hooks.ts). Either way what is
 * redirected is the package kafkajs itself, by name or by the path of its main file (a tool
 * such as vite may hand Node the path it resolved); deep imports such as 'kafkajs/src/...' are
 * left to kafkajs. The two module systems get memkafka's two builds; they share one cluster
 * registry, so both reach the same clusters.
 */
import Module, { register } from 'node:module'
import { fileURLToPath } from 'node:url'
import { isKafkajsMain } from './kafkajs-main.js'

// This file is dist/register.js (or .cjs); memkafka's builds are beside it.
const memkafkaCjs = fileURLToPath(new URL('./index.cjs', import.meta.url))
const memkafkaEsm = new URL('./index.js', import.meta.url).href

interface CommonJsResolver {
  _resolveFilename(request: string, parent: unknown, isMain: boolean, options?: unknown): string
}

const REGISTERED = Symbol.for('memkafka.register')
const state = globalThis as { [REGISTERED]?: boolean }

// Once per process (and per worker thread), however many times it is loaded.
if (!state[REGISTERED]) {
  state[REGISTERED] = true
  const resolver = Module as unknown as CommonJsResolver
  const resolveFilename = resolver._resolveFilename
  resolver._resolveFilename = function (this: unknown, request, parent, isMain, options) {
    if (request === 'kafkajs') return memkafkaCjs
    const resolved = resolveFilename.call(this, request, parent, isMain, options)
    return isKafkajsMain(resolved) ? memkafkaCjs : resolved
  }
  // module.register arrived in Node 20.6; before it, ESM imports of kafkajs are not redirected.
  if (typeof register === 'function') {
    register(new URL('./register-hooks.js', import.meta.url), { parentURL: import.meta.url, data: { memkafkaEsm } })
  }
}
