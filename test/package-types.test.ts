/**
 * The built package's types, as a user's compiler sees them (`npm test` builds first): code
 * written against kafkajs's own types accepts memkafka's objects, and memkafka/testing and
 * memkafka/register resolve, under strict + exactOptionalPropertyTypes with each module
 * resolution a project may use (node10, nodenext for CommonJS and for ESM, bundler); and a type
 * error names memkafka's types by their names, not by a bundler's hashed file names.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { projectWithMemkafka, type InstalledProject } from './support/installed-package.js'

let project: InstalledProject

beforeAll(() => {
  project = projectWithMemkafka({ link: ['kafkajs', 'fast-check', '@types/node'] })
})

afterAll(() => project.remove())

// skipLibCheck: false checks memkafka's declarations themselves under these settings too; once is
// enough (it is slow, and fast-check's own declarations do not pass it under every resolution).
const settings = [
  { name: 'nodenext, ESM, skipLibCheck false', module: 'nodenext', moduleResolution: 'nodenext', extension: 'mts', skipLibCheck: false },
  { name: 'nodenext, CommonJS', module: 'nodenext', moduleResolution: 'nodenext', extension: 'cts', skipLibCheck: true },
  { name: 'node10', module: 'commonjs', moduleResolution: 'node10', extension: 'ts', skipLibCheck: true },
  { name: 'bundler', module: 'esnext', moduleResolution: 'bundler', extension: 'ts', skipLibCheck: true },
] as const

/** Compiles one file of the project with these settings; the compiler's output (empty when clean). */
function compile(setting: (typeof settings)[number], source: string): string {
  const file = `check.${setting.extension}`
  project.write(file, source)
  const compilerOptions = { strict: true, exactOptionalPropertyTypes: true, module: setting.module, moduleResolution: setting.moduleResolution, target: 'es2022', noEmit: true, skipLibCheck: setting.skipLibCheck, types: ['node'] }
  project.write('tsconfig.json', JSON.stringify({ compilerOptions, files: [file] }))
  const run = spawnSync(process.execPath, [resolve('node_modules/typescript/bin/tsc'), '-p', '.'], { cwd: project.dir, encoding: 'utf8', timeout: 120_000 })
  return run.stdout + run.stderr
}

describe('the built types under strict + exactOptionalPropertyTypes', () => {
  const program = readFileSync('test/fixtures/types/kafkajs-code.ts', 'utf8')
  for (const setting of settings) {
    it(`hold where kafkajs's types are expected, and every entry point resolves (${setting.name})`, { timeout: 240_000 }, () => {
      expect(compile(setting, program)).toBe('')
    })
  }

  it('name memkafka types readably in errors', { timeout: 240_000 }, () => {
    const withErrors = readFileSync('test/fixtures/types/type-error.ts', 'utf8').replace(/^\/\/ @ts-expect-error.*$/gm, '')
    const output = compile(settings[1], withErrors)
    expect(output).toMatch(/Type 'Cluster' is not assignable to type 'string'/)
    expect(output).toMatch(/Type 'HistoryRecorder' is not assignable to type 'number'/)
    expect(output).not.toMatch(/-[A-Za-z0-9_]{8}\.d\.c?ts/)
  })
})
