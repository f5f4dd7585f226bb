/**
 * A throwaway project with the built memkafka installed in its node_modules, as npm would lay it
 * out (package.json and dist/), under its own name and, if asked, under aliases (npm's
 * `"kafkajs": "npm:memkafka"`). Nothing else is installed there: no fast-check, no kafkajs.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface InstalledProject {
  readonly dir: string
  /** Writes a file of the project (path relative to its root). */
  write(path: string, text: string): string
  remove(): void
}

export function projectWithMemkafka(aliases: readonly string[] = []): InstalledProject {
  const dir = mkdtempSync(join(tmpdir(), 'memkafka-project-'))
  for (const name of ['memkafka', ...aliases]) {
    const target = join(dir, 'node_modules', name)
    mkdirSync(target, { recursive: true })
    cpSync('package.json', join(target, 'package.json'))
    cpSync('dist', join(target, 'dist'), { recursive: true })
  }
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'app', private: true }))
  return {
    dir,
    write(path, text) {
      const file = join(dir, path)
      mkdirSync(join(file, '..'), { recursive: true })
      writeFileSync(file, text)
      return file
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  }
}
