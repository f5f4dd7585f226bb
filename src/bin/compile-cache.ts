/**
 * A V8 code cache for the bin's bundle, so that `memkafka serve` does not parse and compile its
 * half megabyte of JavaScript at every start (Node 20 has no module.enableCompileCache; this is
 * what it does, for one CommonJS file).
 *
 * The bundle is a script whose value is a CommonJS module's function (the build wraps it in
 * Node's module wrapper, so that its text is the script's, with no copy made to wrap it). The first
 * run (or one whose cache V8 rejects: another Node version or V8 flags) writes the code V8 has
 * compiled by the time the server is ready, startup functions included; later runs hand it to
 * V8 as cachedData and skip parsing and compiling them.
 *
 * Where: `<os.tmpdir()>/memkafka-compile-cache-<uid>/`, created 0700; a directory that is not
 * this user's own, or that others may write to, is not used (cached code is code this process
 * would run). One file per bundle build (a hash of its content, fixed at build time), Node
 * version, architecture and set of Node flags (execArgv and NODE_OPTIONS). Written to a
 * temporary file and renamed, so processes starting together read a whole cache or none. Any
 * failure (no tmpdir, a read-only disk, a rejected cache) falls back to compiling the source,
 * silently. Writing a cache removes the oldest ones past MAX_CACHE_FILES (each build of memkafka
 * writes its own: a developer's rebuilds would otherwise pile up).
 * MEMKAFKA_DISABLE_COMPILE_CACHE=1 turns it off.
 */
import { lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Script } from 'node:vm'

/** Cache files kept in the directory (each about 0.4 MB); the oldest go first. */
const MAX_CACHE_FILES = 8

/** A CommonJS module's exports, run from a bundle file through the code cache. */
export interface CachedModule {
  readonly exports: Record<string, unknown>
  /** Writes the cache for the next run, unless this run used one; call once startup is done. */
  saveCache(): void
}

/** FNV-1a of a short string, as 8 hex digits (names the cache of a set of V8 flags). */
function shortHash(text: string): string {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0
  return hash.toString(16).padStart(8, '0')
}

/** This user's cache directory, made if missing; undefined when it is missing and cannot be made, or not safe to use. */
function cacheDirectory(): string | undefined {
  const uid = process.getuid?.()
  const dir = join(tmpdir(), uid === undefined ? 'memkafka-compile-cache' : `memkafka-compile-cache-${uid}`)
  try {
    mkdirSync(dir, { mode: 0o700 })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return undefined
  }
  try {
    const stat = lstatSync(dir)
    if (!stat.isDirectory()) return undefined
    if (uid !== undefined && (stat.uid !== uid || (stat.mode & 0o022) !== 0)) return undefined
    return dir
  } catch {
    return undefined
  }
}

/** Removes the oldest cache files (by modification time) past MAX_CACHE_FILES. */
function pruneCaches(dir: string): void {
  const files = readdirSync(dir).filter((name) => name.endsWith('.bin'))
  if (files.length <= MAX_CACHE_FILES) return
  const byAge = files.map((name) => ({ path: join(dir, name), mtime: statSync(join(dir, name)).mtimeMs })).sort((a, b) => a.mtime - b.mtime)
  for (const old of byAge.slice(0, files.length - MAX_CACHE_FILES)) rmSync(old.path, { force: true })
}

/**
 * Runs the bundle `file` (whose content hash is `buildHash`): a script of one expression, a
 * CommonJS module's function `(exports, require, module, __filename, __dirname) => ...`, called
 * with `require` as its require function. Compiled from the cache when there is a usable one.
 */
export function loadCached(file: string, buildHash: string, require: NodeJS.Require): CachedModule {
  // The build checks that the bundle is ASCII only (scripts/build-bin.mjs), where latin1 reads the
  // same string as UTF-8 and at about half the cost (a copy, no decoding).
  const source = readFileSync(file, 'latin1')
  const disabled = process.env.MEMKAFKA_DISABLE_COMPILE_CACHE === '1'
  const dir = disabled ? undefined : cacheDirectory()
  // V8 rejects a cache made under other V8 flags, so each set of Node flags (the command line's
  // and NODE_OPTIONS') has its own file rather than rewriting one in turn.
  const nodeFlags = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].join('\0')
  const flags = nodeFlags === '' ? '' : `-${shortHash(nodeFlags)}`
  const cacheFile = dir === undefined ? undefined : join(dir, `${buildHash}-${process.version}-${process.arch}${flags}.bin`)
  let cachedData: Buffer | undefined
  if (cacheFile !== undefined) {
    try {
      cachedData = readFileSync(cacheFile)
    } catch {
      cachedData = undefined
    }
  }
  const script = new Script(source, { filename: file, ...(cachedData === undefined ? {} : { cachedData }) })
  const cacheUsed = cachedData !== undefined && script.cachedDataRejected !== true
  const run = script.runInThisContext() as (exports: object, require: NodeJS.Require, module: object, filename: string, dirname: string) => void
  const module = { exports: {} as Record<string, unknown> }
  run.call(module.exports, module.exports, require, module, file, join(file, '..'))
  let saved = cacheUsed || cacheFile === undefined
  return {
    exports: module.exports,
    saveCache() {
      if (saved || cacheFile === undefined || dir === undefined) return
      saved = true
      const temporary = `${cacheFile}.${process.pid}.tmp`
      try {
        writeFileSync(temporary, script.createCachedData(), { mode: 0o600 })
        renameSync(temporary, cacheFile)
        pruneCaches(dir)
      } catch {
        try {
          rmSync(temporary, { force: true })
        } catch {
          // Nothing more to do: the next run compiles the source again.
        }
      }
    },
  }
}
