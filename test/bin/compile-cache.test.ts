/**
 * The built bin's V8 code cache (src/bin/compile-cache.ts): written once the server is ready,
 * used by the next start, and never in the way: a damaged cache or a cache directory others may
 * write to leave the bin starting as without one. TMPDIR points each test at its own directory.
 */
import { spawn } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'

const BIN = 'dist/bin/memkafka.js'
let tmp: string

beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), 'memkafka-cache-test-'))
})

afterEach(() => {
  rmSync(tmp, { recursive: true, force: true })
})

/** The cache directory the bin uses under `tmp`. */
function cacheDir(): string {
  const uid = process.getuid?.()
  return join(tmp, uid === undefined ? 'memkafka-compile-cache' : `memkafka-compile-cache-${uid}`)
}

/** Runs the bin until its bootstrap line, then stops it; resolves with its exit code and output. */
function serveOnce(env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const proc = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--brokers', '2', '--topic', 'orders:2:2'], { env: { ...process.env, TMPDIR: tmp, ...env } })
  let stdout = ''
  let stderr = ''
  proc.stdout.on('data', (d: Buffer) => {
    stdout += d.toString()
    if (/^bootstrap: /m.test(stdout)) proc.kill('SIGTERM')
  })
  proc.stderr.on('data', (d: Buffer) => void (stderr += d.toString()))
  return new Promise((resolve) => proc.on('exit', (code) => resolve({ code, stdout, stderr })))
}

function cacheFiles(): string[] {
  try {
    return readdirSync(cacheDir())
  } catch {
    return []
  }
}

describe('the bin code cache', () => {
  it('is written by the first start, in a directory of this user only, and used as it is by the next', async () => {
    const first = await serveOnce()
    expect(first.code).toBe(0)
    expect(first.stdout).toContain('created topic orders: 2 partitions, replication factor 2')
    const files = cacheFiles()
    expect(files).toHaveLength(1)
    // The build's hash, Node's version and architecture (and a hash of NODE_OPTIONS if set).
    expect(files[0]).toMatch(new RegExp(`^[0-9a-f]{16}-${process.version}-${process.arch}(-[0-9a-f]{8})?\\.bin$`))
    if (process.platform !== 'win32') expect(statSync(cacheDir()).mode & 0o777).toBe(0o700)
    const cache = join(cacheDir(), files[0]!)
    const written = readFileSync(cache)
    expect(written.length).toBeGreaterThan(0)

    const second = await serveOnce()
    expect(second.code).toBe(0)
    expect(second.stdout).toContain('created topic orders: 2 partitions, replication factor 2')
    expect(second.stderr).toBe('')
    // Accepted, so not written again.
    expect(readFileSync(cache).equals(written)).toBe(true)
    expect(cacheFiles()).toEqual(files)
  })

  it('starts as without a cache when the cache is damaged, and writes a good one in its place', async () => {
    await serveOnce()
    const [name] = cacheFiles()
    const cache = join(cacheDir(), name!)
    writeFileSync(cache, Buffer.alloc(4096, 7))
    const run = await serveOnce()
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/^bootstrap: /m)
    expect(run.stderr).toBe('')
    expect(readFileSync(cache).equals(Buffer.alloc(4096, 7))).toBe(false)
    expect(cacheFiles()).toEqual([name])
  })

  it.skipIf(process.platform === 'win32')('does not use a cache directory that others may write to', async () => {
    mkdirSync(cacheDir())
    chmodSync(cacheDir(), 0o777)
    const run = await serveOnce()
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/^bootstrap: /m)
    expect(cacheFiles()).toEqual([])
  })

  it('keeps the 8 newest cache files when it writes one (older builds\' caches go first)', async () => {
    mkdirSync(cacheDir(), { mode: 0o700 })
    // Nine caches of other builds, the first the oldest (fixed dates, 2020-01-01 onwards).
    const others = Array.from({ length: 9 }, (_, i) => `${String(i).padStart(16, '0')}-${process.version}-${process.arch}.bin`)
    others.forEach((name, i) => {
      writeFileSync(join(cacheDir(), name), 'old')
      const when = new Date(Date.UTC(2020, 0, 1 + i))
      utimesSync(join(cacheDir(), name), when, when)
    })
    const run = await serveOnce()
    expect(run.code).toBe(0)
    const left = cacheFiles()
    expect(left).toHaveLength(8)
    // This build's cache and the 7 newest of the others.
    expect(left.filter((name) => !others.includes(name))).toHaveLength(1)
    expect(left.filter((name) => others.includes(name)).sort()).toEqual(others.slice(2))
  })

  it('is neither read nor written with MEMKAFKA_DISABLE_COMPILE_CACHE=1', async () => {
    const run = await serveOnce({ MEMKAFKA_DISABLE_COMPILE_CACHE: '1' })
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/^bootstrap: /m)
    expect(cacheFiles()).toEqual([])
  })
})
