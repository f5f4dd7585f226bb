/**
 * memkafka/register and its siblings for test runners: code that imports kafkajs, the
 * application's own and that of libraries in node_modules (test/fixtures/greeter-lib, a CommonJS
 * library, and greeter-esm-lib, an ES module one, each importing kafkajs itself), runs against
 * an in-process cluster. Each runs in a throwaway project with the built memkafka and the real
 * kafkajs installed, as a user's project has them (`npm test` builds first).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { execFileSync, spawnSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { projectWithMemkafka, type InstalledProject } from './support/installed-package.js'

let project: InstalledProject

beforeAll(() => {
  project = projectWithMemkafka({ link: ['kafkajs', 'vitest', 'jest'], copy: { 'greeter-lib': 'test/fixtures/greeter-lib', 'greeter-esm-lib': 'test/fixtures/greeter-esm-lib' } })
  for (const file of readdirSync('test/fixtures/register')) project.write(file, readFileSync(join('test/fixtures/register', file), 'utf8'))
})

afterAll(() => project.remove())

function node(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, args, { cwd: project.dir, encoding: 'utf8', timeout: 60_000 })
  return { status: result.status, stdout: result.stdout, stderr: result.stderr }
}

const lastLine = (out: string): unknown => JSON.parse(out.trim().split('\n').pop()!)

describe('node --import memkafka/register', () => {
  it('runs an unmodified ESM service against one in-process cluster, its libraries included', () => {
    const run = node(['--import', 'memkafka/register', 'service.mjs'])
    expect(run.stderr).toBe('')
    expect(run.status).toBe(0)
    // Both libraries and the service's own admin reached the same cluster.
    expect(lastLine(run.stdout)).toEqual({ offsets: ['0', '1'], high: '2' })
  })

  it('is what makes it work: without it the service reaches for a real broker and fails', () => {
    const run = node(['service.mjs'])
    expect(run.status).not.toBe(0)
    expect(run.stderr).toMatch(/KafkaJS|ECONNREFUSED|Connection/)
  })

  it('runs an unmodified CommonJS service, also with --require', () => {
    for (const flag of ['--import', '--require']) {
      const run = node([flag, 'memkafka/register', 'service.cjs'])
      expect(run.status).toBe(0)
      expect(lastLine(run.stdout)).toEqual({ offsets: ['0', '1'], high: '2' })
    }
  })
})

describe('test runners', () => {
  it('vitest: memkafka/register as a setup file reaches the libraries in node_modules', () => {
    const out = execFileSync(process.execPath, [resolve('node_modules/vitest/vitest.mjs'), 'run', '--config', 'vitest.config.mjs'], { cwd: project.dir, encoding: 'utf8', timeout: 120_000, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } })
    expect(out).toMatch(/Tests\s+1 passed \(1\)/)
  })

  it("jest: moduleNameMapper { '^kafkajs$': 'memkafka' } reaches the library in node_modules", () => {
    const run = spawnSync(process.execPath, [resolve('node_modules/jest/bin/jest.js'), '--ci'], { cwd: project.dir, encoding: 'utf8', timeout: 120_000 })
    expect(run.stderr).toMatch(/Tests:\s+1 passed, 1 total/)
    expect(run.status).toBe(0)
  })
})
