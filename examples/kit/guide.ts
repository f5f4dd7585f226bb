/**
 * The guide's output blocks. docs/guide.md shows each example's output in fenced blocks
 * tagged with where they come from:
 *
 *     ```text replication#leader-dies
 *     ...the lines that part of the example printed...
 *     ```
 *
 * The guide test compares every tagged block with a fresh run; `npm run example -- --write-guide`
 * rewrites the blocks from fresh runs after an example (or memkafka) changed on purpose.
 */
import { trimEnd, type ExamplePart } from './example.js'

export interface GuideBlock {
  readonly example: string
  readonly part: string
  /** The block's lines, without the fences. */
  readonly lines: string[]
  /** Line indexes of the opening and closing fences. */
  readonly open: number
  readonly close: number
}

const OPEN = /^```text ([a-z0-9-]+)#([a-z0-9-]+)\s*$/
const CLOSE = /^```\s*$/

export function guideBlocks(markdown: string): GuideBlock[] {
  const lines = markdown.split('\n')
  const blocks: GuideBlock[] = []
  for (let i = 0; i < lines.length; i++) {
    const open = OPEN.exec(lines[i]!)
    if (!open) continue
    let close = i + 1
    while (close < lines.length && !CLOSE.test(lines[close]!)) close++
    if (close === lines.length) throw new Error(`docs/guide.md: the block ${open[1]}#${open[2]} opened on line ${i + 1} is never closed`)
    blocks.push({ example: open[1]!, part: open[2]!, lines: lines.slice(i + 1, close), open: i, close })
    i = close
  }
  return blocks
}

/** What a block of this part must hold. */
export function partBody(part: ExamplePart): string {
  return trimEnd(part.lines).join('\n')
}

/**
 * The guide with every tagged block replaced by the matching part's output; `outputs` maps an
 * example name to its parts. Blocks of examples not in `outputs` are left alone.
 */
export function rewriteGuide(markdown: string, outputs: ReadonlyMap<string, readonly ExamplePart[]>): string {
  const lines = markdown.split('\n')
  // From the end, so the line indexes of earlier blocks stay valid.
  for (const block of guideBlocks(markdown).reverse()) {
    const parts = outputs.get(block.example)
    if (!parts) continue
    const part = parts.find((p) => p.id === block.part)
    if (!part) throw new Error(`docs/guide.md: ${block.example} has no part ${block.part}`)
    lines.splice(block.open + 1, block.close - block.open - 1, ...partBody(part).split('\n'))
  }
  return lines.join('\n')
}
