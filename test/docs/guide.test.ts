/**
 * docs/guide.md shows each example's real output. Every ```text <example>#<part> block must
 * equal what that part of the example prints now, every part of every example must be shown,
 * and no block may name an example or part that does not exist. When an example changes on
 * purpose, `npm run example -- --write-guide` rewrites the blocks (then read the prose again).
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { catalog } from '../../examples/kit/catalog.js'
import { runExample } from '../../examples/kit/example.js'
import { guideBlocks, partBody, rewriteGuide } from '../../examples/kit/guide.js'

const guidePath = new URL('../../docs/guide.md', import.meta.url)
const guide = readFileSync(guidePath, 'utf8')
const blocks = guideBlocks(guide)

describe('docs/guide.md', () => {
  it('only tags blocks with examples that exist', () => {
    const names = new Set(catalog.map((e) => e.name))
    expect(blocks.filter((b) => !names.has(b.example)).map((b) => `${b.example}#${b.part}`)).toEqual([])
  })

  for (const entry of catalog) {
    it(`shows what ${entry.name} prints, part by part`, async () => {
      const { parts } = await runExample(await entry.load())
      const shown = blocks.filter((b) => b.example === entry.name)
      // Every part once, in the example's order.
      expect(shown.map((b) => b.part), `the guide's blocks for ${entry.name}`).toEqual(parts.map((p) => p.id))
      for (const part of parts) {
        const block = shown.find((b) => b.part === part.id)!
        expect(block.lines.join('\n'), `${entry.name}#${part.id} drifted from the example's output (npm run example -- --write-guide)`).toBe(partBody(part))
      }
    })
  }
})

describe('rewriteGuide', () => {
  it('replaces a tagged block with the part it names and leaves the prose alone', () => {
    const text = ['# Guide', '', 'Before.', '```text a#one', 'stale', 'lines', '```', 'After.', '```text b#two', 'kept', '```', ''].join('\n')
    const rewritten = rewriteGuide(text, new Map([['a', [{ id: 'one', heading: 'One', lines: ['fresh', '', ''] }]]]))
    expect(rewritten).toBe(['# Guide', '', 'Before.', '```text a#one', 'fresh', '```', 'After.', '```text b#two', 'kept', '```', ''].join('\n'))
    expect(guideBlocks(rewritten).map((b) => [b.example, b.part, b.lines])).toEqual([
      ['a', 'one', ['fresh']],
      ['b', 'two', ['kept']],
    ])
  })

  it('refuses a block that is never closed', () => {
    expect(() => guideBlocks('```text a#one\nno end')).toThrow(/never closed/)
  })
})
