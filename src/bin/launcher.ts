/**
 * The published bin, dist/bin/memkafka.js (CommonJS, a few hundred bytes of its own): runs the
 * bundle of serve-command.ts, dist/bin/memkafka-serve.js, through the V8 code cache
 * (compile-cache.ts) and writes that cache once the server is ready, so that the next start
 * skips compiling it. The build defines MEMKAFKA_SERVE_BUNDLE_HASH as the bundle's content hash.
 */
import { join } from 'node:path'
import { loadCached } from './compile-cache.js'

declare const MEMKAFKA_SERVE_BUNDLE_HASH: string

const bundle = loadCached(join(__dirname, 'memkafka-serve.js'), MEMKAFKA_SERVE_BUNDLE_HASH, require)
const runMemkafka = bundle.exports.runMemkafka as (argv: string[], ready: () => void) => void
runMemkafka(process.argv.slice(2), () => bundle.saveCache())
