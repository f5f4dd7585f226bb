/**
 * The modules of src/ import one another without a circle. A type import counts: a circle of
 * types is a circle of concepts, and the reader who follows it never finds where it starts.
 * The graph is read from the source text (every `import ... from` and `export ... from` with a
 * relative path); on failure the message prints each circle as the chain of files that makes it.
 *
 * A circle known and left for later goes in KNOWN_CIRCLES (none now): it may shrink, but no file
 * may join it, no other circle may appear, and once it is gone its entry must go too.
 */
import { describe, it, expect } from 'vitest'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'

const SRC = resolve('src')

/** Circles not broken yet, each with the files it may hold (paths under src/) and why it is there. */
const KNOWN_CIRCLES: ReadonlyArray<{ readonly files: readonly string[]; readonly why: string }> = []

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sourceFiles(path)
    return path.endsWith('.ts') ? [path] : []
  })
}

/** The relative module specifiers of a file's import and export-from statements (side-effect imports too). */
function relativeSpecifiers(source: string): string[] {
  // `import x from`, `import type { a,\n b } from`, `export * from`, `import './x.js'`: the
  // clause between the keyword and the path holds no quote, so it may span lines.
  const statement = /^\s*(?:import|export)\s+(?:[^'"`;]*?\bfrom\s*)?['"](\.{1,2}\/[^'"]+)['"]/gm
  return [...source.matchAll(statement)].map((m) => m[1]!)
}

/** The file a specifier names: `./x.js` is `./x.ts`, a folder is its index. */
function resolveSpecifier(from: string, specifier: string): string | undefined {
  const base = resolve(dirname(from), specifier)
  const candidates = [base.replace(/\.js$/, '.ts'), `${base}.ts`, join(base, 'index.ts')]
  return candidates.find((c) => existsSync(c) && statSync(c).isFile())
}

function importGraph(files: readonly string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>()
  for (const file of files) {
    const targets = relativeSpecifiers(readFileSync(file, 'utf8'))
      .map((s) => resolveSpecifier(file, s))
      .filter((t): t is string => t !== undefined)
    graph.set(file, [...new Set(targets)])
  }
  return graph
}

/** Each strongly connected group of two or more files (or a file importing itself), as one circle through it. */
function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  return stronglyConnected(graph).map((component) => circleThrough(graph, new Set(component)))
}

/** The strongly connected groups of two or more files, and the files that import themselves. */
function stronglyConnected(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  // Tarjan's algorithm, iterative so that a deep graph cannot overflow the stack.
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const onStack = new Set<string>()
  const stack: string[] = []
  const components: string[][] = []
  let next = 0
  for (const root of graph.keys()) {
    if (index.has(root)) continue
    const work: Array<{ node: string; edge: number }> = [{ node: root, edge: 0 }]
    index.set(root, next)
    low.set(root, next++)
    stack.push(root)
    onStack.add(root)
    while (work.length > 0) {
      const frame = work[work.length - 1]!
      const edges = graph.get(frame.node) ?? []
      if (frame.edge < edges.length) {
        const target = edges[frame.edge++]!
        if (!index.has(target)) {
          index.set(target, next)
          low.set(target, next++)
          stack.push(target)
          onStack.add(target)
          work.push({ node: target, edge: 0 })
        } else if (onStack.has(target)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(target)!))
        }
        continue
      }
      work.pop()
      const parent = work[work.length - 1]
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!))
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = []
        let member: string
        do {
          member = stack.pop()!
          onStack.delete(member)
          component.push(member)
        } while (member !== frame.node)
        const selfLoop = (graph.get(frame.node) ?? []).includes(frame.node)
        if (component.length > 1 || selfLoop) components.push(component)
      }
    }
  }
  return components
}

/** A shortest path from the component's first file back to itself, inside the component. */
function circleThrough(graph: ReadonlyMap<string, readonly string[]>, component: ReadonlySet<string>): string[] {
  const start = [...component].sort()[0]!
  const previous = new Map<string, string>()
  const queue = [start]
  while (queue.length > 0) {
    const node = queue.shift()!
    for (const target of graph.get(node) ?? []) {
      if (!component.has(target)) continue
      if (target === start) {
        const path = [node]
        while (path[0] !== start) path.unshift(previous.get(path[0]!)!)
        return [...path, start]
      }
      if (!previous.has(target)) {
        previous.set(target, node)
        queue.push(target)
      }
    }
  }
  return [start, start]
}

describe('the import graph of src/', () => {
  it('reads import and export-from lines, type-only and multi-line ones included', () => {
    const source = [
      "import { a } from './a.js'",
      "import type {\n  B,\n  C,\n} from '../b.js'",
      "export * from './c.js'",
      "export type { D } from './d/index.js'",
      "import './side-effect.js'",
      "import { readFileSync } from 'node:fs'",
      "const s = 'import x from \"./not-a-statement.js\"'",
      "export const path = './not-an-import.js'",
    ].join('\n')
    expect(relativeSpecifiers(source)).toEqual(['./a.js', '../b.js', './c.js', './d/index.js', './side-effect.js'])
  })

  it('finds a circle and prints the files that make it', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a', 'd']],
      ['d', []],
    ])
    expect(findCycles(graph)).toEqual([['a', 'b', 'c', 'a']])
    expect(findCycles(new Map([['a', ['a']]]))).toEqual([['a', 'a']])
    expect(findCycles(new Map([['a', ['b']], ['b', []]]))).toEqual([])
  })

  it('has no circle but the known one, type imports included', () => {
    const graph = importGraph(sourceFiles(SRC))
    const components = stronglyConnected(graph).map((component) => component.map((file) => relative(SRC, file)))
    const isKnown = (component: readonly string[]) => KNOWN_CIRCLES.some(({ files }) => component.every((file) => files.includes(file)))
    const circles = stronglyConnected(graph)
      .filter((component) => !isKnown(component.map((file) => relative(SRC, file))))
      .map((component) => {
        const circle = circleThrough(graph, new Set(component)).map((file) => relative(SRC, file))
        const others = component.map((file) => relative(SRC, file)).filter((file) => !circle.includes(file))
        return `${circle.join(' -> ')}${others.length > 0 ? ` (and, in circles through these, ${others.sort().join(', ')})` : ''}`
      })
    expect(circles, `import circles in src/:\n${circles.join('\n')}`).toEqual([])
    const gone = KNOWN_CIRCLES.filter(({ files }) => !components.some((component) => component.some((file) => files.includes(file))))
    expect(gone.map(({ files }) => files[0]), 'a known circle is broken: take its entry out of KNOWN_CIRCLES').toEqual([])
  })
})
