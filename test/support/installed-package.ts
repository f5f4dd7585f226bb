/**
 * A throwaway project with the built memkafka installed in its node_modules, as npm would lay it
 * out (package.json and dist/), under its own name and, if asked, under aliases (npm's
 * `"kafkajs": "npm:memkafka"`). Nothing else is installed there unless asked: `link` makes
 * node_modules/<name> a link to this repository's installed package (real kafkajs, vitest, jest),
 * `copy` installs a fixture folder as a package.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

export interface InstalledProject {
  readonly dir: string
  /** Writes a file of the project (path relative to its root). */
  write(path: string, text: string): string
  remove(): void
}

export interface ProjectOptions {
  /** Names under which memkafka is installed besides its own. */
  aliases?: readonly string[]
  /** Packages of this repository's node_modules to link in. */
  link?: readonly string[]
  /** Packages to install from fixture folders: name -> folder (relative to the repository). */
  copy?: Readonly<Record<string, string>>
}

export function projectWithMemkafka(options: ProjectOptions | readonly string[] = {}): InstalledProject {
  const { aliases = [], link = [], copy = {} } = Array.isArray(options) ? { aliases: options } : (options as ProjectOptions)
  const dir = mkdtempSync(join(tmpdir(), 'memkafka-project-'))
  const modules = join(dir, 'node_modules')
  for (const name of ['memkafka', ...aliases]) {
    const target = join(modules, name)
    mkdirSync(target, { recursive: true })
    cpSync('package.json', join(target, 'package.json'))
    cpSync('dist', join(target, 'dist'), { recursive: true })
  }
  for (const name of link) {
    mkdirSync(join(modules, name, '..'), { recursive: true })
    symlinkSync(resolve('node_modules', name), join(modules, name), 'dir')
  }
  for (const [name, folder] of Object.entries(copy)) cpSync(folder, join(modules, name), { recursive: true })
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
