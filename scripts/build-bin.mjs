/**
 * Builds the bin into a directory (tsup.config.ts: dist/bin; the wire benchmarks: a temporary
 * directory), in three files:
 * - memkafka-serve.js: src/bin/serve-command.ts and everything it imports as one CommonJS module,
 *   written inside Node's module wrapper `(function (exports, require, module, __filename,
 *   __dirname) {...})`, a script whose value is that function (whitespace-minified; names kept,
 *   so logged stacks stay readable);
 * - memkafka.js: src/bin/launcher.ts, which runs that bundle through a V8 code cache keyed by the
 *   bundle's content hash, defined here;
 * - package.json: {"type": "commonjs"}, so that Node loads memkafka.js as CommonJS (memkafka's own
 *   package.json says "module"): no ES module loader to start for a program of one file.
 *
 * Two things make the bundle cheaper to start, without changing what it does:
 * - node:crypto and node:zlib, which only SASL/SSL and compressed batches use, are required on
 *   first use rather than at startup (the functions imported from them call through to the
 *   module, loaded once); a dynamic import() of a Node module becomes a require(), as the
 *   vm.Script the launcher compiles has no ES module loader;
 * - the console page's String.raw templates (served as text, loaded with --ui only) become
 *   ASCII string literals with \u escapes: the same strings, and a bundle of ASCII only is
 *   held by V8 in one byte per character instead of two.
 */
import { createHash } from 'node:crypto'
import { chmodSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import * as esbuild from 'esbuild'

const require = createRequire(import.meta.url)

/** Node modules whose static imports are loaded on first use. */
const LAZY_MODULES = ['node:crypto', 'node:zlib']

/** An ES module exporting each function of `name`, each loading the module on its first call. */
function lazyModuleSource(name) {
  const real = require(name)
  const functions = Object.keys(real).filter((key) => {
    const descriptor = Object.getOwnPropertyDescriptor(real, key)
    return descriptor !== undefined && 'value' in descriptor && typeof descriptor.value === 'function' && /^[a-z]\w*$/.test(key)
  })
  const lines = [`let loaded`, `const load = () => (loaded ??= require(${JSON.stringify(name)}))`]
  for (const key of functions) lines.push(`export function ${key}(...args) { return load().${key}(...args) }`)
  return lines.join('\n')
}

const lazyBuiltins = {
  name: 'lazy-builtins',
  setup(build) {
    build.onResolve({ filter: /^node:/ }, (args) => {
      if (args.namespace === 'lazy-builtin') return { path: args.path, external: true }
      if (args.kind === 'dynamic-import') return { path: args.path, namespace: 'lazy-builtin', pluginData: 'require' }
      if (args.kind === 'import-statement' && LAZY_MODULES.includes(args.path)) return { path: args.path, namespace: 'lazy-builtin', pluginData: 'lazy' }
      return undefined
    })
    build.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => ({
      contents: args.pluginData === 'lazy' ? lazyModuleSource(args.path) : `module.exports = require(${JSON.stringify(args.path)})`,
      loader: 'js',
      resolveDir: process.cwd(),
    }))
  },
}

/** `String.raw\`...\`` without substitutions as a string literal of ASCII characters. */
function asciiRawTemplates(source, file) {
  return source.replace(/String\.raw`((?:[^`\\]|\\[\s\S])*)`/g, (_, raw) => {
    if (raw.includes('${')) throw new Error(`${file}: a String.raw template with substitutions is left as it is by build-bin.mjs; write it without`)
    const text = raw.replace(/\r\n?/g, '\n')
    return JSON.stringify(text).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
  })
}

const asciiConsolePage = {
  name: 'ascii-console-page',
  setup(build) {
    build.onLoad({ filter: /[\\/]src[\\/]console[\\/]page[\\/][^\\/]+\.ts$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8')
      if (!/[^\u0000-\u007e]/.test(source)) return undefined
      return { contents: asciiRawTemplates(source, args.path), loader: 'ts' }
    })
  },
}

/** Builds the bin into `outDir`; resolves with the bundle's size in bytes. */
export async function buildBin(outDir) {
  // Both files: one CommonJS bundle for Node 20, whitespace and syntax minified (names kept, so
  // stack traces stay readable).
  const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', minifyWhitespace: true, minifySyntax: true, logLevel: 'error' }
  const servePath = join(outDir, 'memkafka-serve.js')
  await esbuild.build({
    ...common,
    entryPoints: ['src/bin/serve-command.ts'],
    outfile: servePath,
    banner: { js: '(function (exports, require, module, __filename, __dirname) {' },
    footer: { js: '})' },
    plugins: [lazyBuiltins, asciiConsolePage],
  })
  const serve = readFileSync(servePath)
  const nonAscii = /[^\u0000-\u007f]/.exec(serve.toString('latin1'))
  if (nonAscii) throw new Error(`${servePath} holds a non-ASCII character at ${nonAscii.index}: V8 would keep the bundle as two bytes a character`)
  const hash = createHash('sha256').update(serve).digest('hex').slice(0, 16)
  const launcherPath = join(outDir, 'memkafka.js')
  await esbuild.build({
    ...common,
    entryPoints: ['src/bin/launcher.ts'],
    define: { MEMKAFKA_SERVE_BUNDLE_HASH: JSON.stringify(hash) },
    banner: { js: '#!/usr/bin/env node' },
    outfile: launcherPath,
  })
  chmodSync(launcherPath, 0o755)
  writeFileSync(join(outDir, 'package.json'), `${JSON.stringify({ type: 'commonjs' })}\n`)
  return serve.length
}
