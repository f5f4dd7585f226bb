import { sep } from 'node:path'
import { defineConfig } from 'tsup'

/**
 * memkafka/testing (src/testing) builds on memkafka's public API. Its bundle imports that API as
 * the package itself ('memkafka', resolved through package.json "exports"), so an application
 * loading both entry points runs one copy of memkafka: one Cluster class, one drop-in registry.
 * src/testing takes run-time values only from src/index.ts, and Cluster from its own module
 * (so that the declaration bundle has no re-export cycle); both are the package's exports.
 */
const testingUsesThePackage = {
  name: 'memkafka-testing-uses-the-package',
  setup(build: { onResolve(options: { filter: RegExp }, callback: (args: { importer: string }) => { path: string; external: boolean } | undefined): void }) {
    build.onResolve({ filter: /^\.\.\/(index|client\/cluster)\.js$/ }, (args) => (args.importer.includes(`${sep}src${sep}testing${sep}`) ? { path: 'memkafka', external: true } : undefined))
  },
}

export default defineConfig([
  {
    entry: { index: 'src/index.ts', testing: 'src/testing/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    // Everything but the bin, which the second build writes into dist/bin at the same time.
    clean: ['!bin/**'],
    sourcemap: true,
    target: 'node20',
    splitting: false,
    // fast-check is a peer dependency of memkafka/testing only; memkafka itself has no dependency.
    external: ['fast-check'],
    esbuildPlugins: [testingUsesThePackage],
  },
  {
    // `memkafka serve` (package.json "bin"): one self-contained ESM file, so that it starts fast.
    entry: { memkafka: 'src/bin/memkafka.ts' },
    outDir: 'dist/bin',
    format: ['esm'],
    dts: false,
    clean: false,
    sourcemap: false,
    target: 'node20',
    splitting: false,
    banner: { js: '#!/usr/bin/env node' },
    // Less source for V8 to parse at startup; names kept, so logged stacks stay readable.
    esbuildOptions(options) {
      options.minifyWhitespace = true
      options.minifySyntax = true
    },
  },
])
