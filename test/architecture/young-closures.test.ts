/**
 * No function literal in src/ is assigned straight to a property (`obj.f = () => ...`,
 * `obj.f ??= function () {}`, `list[i] = () => ...`).
 *
 * Why: V8's parser takes such a function for a method installed once (`A.prototype.f = function`)
 * and allocates the closure directly in the old generation. A closure made per cluster, client or
 * group member that way holds its context, and through it the cluster, from old space: once the
 * cluster is closed, every young-generation collection still finds that reference and copies the
 * whole dead cluster, then promotes it, until the next full collection. With three such closures
 * on a consumer's path (the group's wake-up, the reset timestamps, a member's heartbeat expiry),
 * 1000 test lives in a row promoted about 1.4 MB per scavenge instead of about 0.1 MB, and the
 * scavenges took 8-14 ms instead of 2-3 ms (issue 15: the p99 of one test life).
 *
 * The same function made in a local and then stored, or as a class field, an argument or an
 * object literal's value, is allocated young. Code that runs once per process may say so in
 * ONCE_PER_PROCESS, with the reason.
 */
import { describe, it, expect } from 'vitest'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import ts from 'typescript'

const SRC = resolve('src')

/** Files whose property-assigned functions are made once per process (old space is where they belong). */
const ONCE_PER_PROCESS: Readonly<Record<string, string>> = {
  'register/index.ts': 'patches Module._resolveFilename once per process',
}

const ASSIGNMENTS = new Set([
  ts.SyntaxKind.EqualsToken,
  ts.SyntaxKind.QuestionQuestionEqualsToken,
  ts.SyntaxKind.BarBarEqualsToken,
  ts.SyntaxKind.AmpersandAmpersandEqualsToken,
])

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sourceFiles(path)
    return path.endsWith('.ts') ? [path] : []
  })
}

function unparenthesized(node: ts.Expression): ts.Expression {
  let n = node
  while (ts.isParenthesizedExpression(n) || ts.isAsExpression(n) || ts.isSatisfiesExpression(n) || ts.isNonNullExpression(n)) n = n.expression
  return n
}

/** `file:line  text` of each function literal assigned straight to a property in `source`. */
export function propertyAssignedFunctions(file: string, source: string): string[] {
  const sourceFile = ts.createSourceFile(file, source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS)
  const found: string[] = []
  const visit = (node: ts.Node): void => {
    if (ts.isBinaryExpression(node) && ASSIGNMENTS.has(node.operatorToken.kind)) {
      const target = unparenthesized(node.left)
      const value = unparenthesized(node.right)
      if ((ts.isPropertyAccessExpression(target) || ts.isElementAccessExpression(target)) && (ts.isArrowFunction(value) || ts.isFunctionExpression(value))) {
        const { line } = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile))
        found.push(`${file}:${line + 1}  ${node.getText(sourceFile).split('\n')[0]!.slice(0, 100)}`)
      }
    }
    ts.forEachChild(node, visit)
  }
  visit(sourceFile)
  return found
}

describe('closures made per cluster are allocated young', () => {
  it('finds the shapes V8 pretenures, and not the ones it does not', () => {
    const sample = [
      'a.f = () => 1',
      'this.g ??= (x) => x',
      'list[i] = function () {}',
      'a.h = (async () => 1)',
      'const f = () => 1; a.k = f',
      'class C { f = () => 1 }',
      'call(() => 1)',
      'const o = { f: () => 1 }',
      'a.n = make(() => 1)',
    ].join('\n')
    expect(propertyAssignedFunctions('sample.ts', sample).map((line) => line.split('  ')[1])).toEqual([
      'a.f = () => 1',
      'this.g ??= (x) => x',
      'list[i] = function () {}',
      'a.h = (async () => 1)',
    ])
  })

  it('src/ assigns no function literal straight to a property', () => {
    const found = sourceFiles(SRC)
      .filter((path) => !(relative(SRC, path).split('\\').join('/') in ONCE_PER_PROCESS))
      .flatMap((path) => propertyAssignedFunctions(relative(SRC, path), readFileSync(path, 'utf8')))
    expect(found, 'make the function in a local (or as a class field) and store the local').toEqual([])
  })
})
