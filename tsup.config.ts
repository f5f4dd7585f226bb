import { defineConfig } from 'tsup'
// A plain JavaScript module, shared with the wire benchmarks (bench/wire-serve.ts, bench/wire-clients.ts).
import { buildBin } from './scripts/build-bin.mjs'

/**
 * memkafka/testing (src/testing) imports memkafka's public API by the package's own name,
 * 'memkafka', left external here: at run time Node resolves it through package.json "exports" to
 * the same build (ESM or CJS) of memkafka the application loads, so an application loading both
 * entry points runs one copy of memkafka; its declarations import memkafka's, so its types name
 * memkafka's own (Cluster, Kafka, ...) and no shared chunk with a hashed name appears.
 * In this repository tsconfig "paths" and the vitest alias map 'memkafka' to src/index.ts.
 */
export default defineConfig([
  {
    entry: { index: 'src/index.ts', testing: 'src/testing/index.ts', register: 'src/register/index.ts', 'register-hooks': 'src/register/hooks.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    // Everything but the bin, which onSuccess writes into dist/bin.
    clean: ['!bin/**'],
    sourcemap: true,
    target: 'node20',
    splitting: false,
    // import.meta.url in the CJS build (memkafka/testing loads fast-check with createRequire(import.meta.url)).
    shims: true,
    // fast-check is a peer dependency of memkafka/testing only; memkafka itself has no dependency.
    external: ['fast-check', 'memkafka'],
    // `memkafka serve` (package.json "bin"): dist/bin/memkafka.js, a small CommonJS launcher that
    // runs one bundle through a V8 code cache, so that it starts fast (scripts/build-bin.mjs).
    onSuccess: async () => {
      await buildBin('dist/bin')
    },
  },
])
