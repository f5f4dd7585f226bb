/**
 * docs/any-language.md carries the client x scenario table rendered from the matrix the suite runs
 * by (support/matrix.ts), between its interop-matrix markers. INTEROP_WRITE_DOCS=1 rewrites it.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { expect, it } from 'vitest'
import { renderMatrix } from './support/matrix.js'

const DOC = 'docs/any-language.md'
const START = '<!-- interop-matrix:start (generated from test/interop/support/matrix.ts) -->'
const END = '<!-- interop-matrix:end -->'

it('docs/any-language.md shows the matrix the suite runs by', () => {
  const doc = readFileSync(DOC, 'utf8')
  const from = doc.indexOf(START)
  const to = doc.indexOf(END)
  expect(from, `${DOC} lacks the ${START} marker`).toBeGreaterThanOrEqual(0)
  expect(to).toBeGreaterThan(from)
  const current = doc.slice(from + START.length, to).trim()
  const wanted = renderMatrix()
  if (process.env['INTEROP_WRITE_DOCS'] === '1' && current !== wanted) {
    writeFileSync(DOC, `${doc.slice(0, from + START.length)}\n${wanted}\n${doc.slice(to)}`)
    return
  }
  expect(current).toBe(wanted)
})
