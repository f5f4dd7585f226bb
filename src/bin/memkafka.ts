/**
 * `memkafka` as a program run from the source (`node --import tsx src/bin/memkafka.ts serve ...`).
 * The published bin is dist/bin/memkafka.js, built from launcher.ts: it runs the same command
 * (serve-command.ts) from one bundle, through a V8 code cache.
 */
import { runMemkafka } from './serve-command.js'

runMemkafka(process.argv.slice(2))
