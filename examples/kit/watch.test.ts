/**
 * The live view of `npm run example -- <name> --watch`: it redraws the cluster as virtual time
 * moves, without changing what the example does or prints; off a terminal it writes plain
 * frames one after another (no escape codes, no waiting); on a terminal each frame clears the
 * screen and is held for frameMs.
 */
import { describe, expect, it } from 'vitest'
import { runExample } from './example.js'
import { LiveView } from './watch.js'
import { terminalOptions } from './cli.js'
import replication from '../replication/main.js'
import consumerGroups from '../consumer-groups/main.js'

function watch(tty: boolean, extra: { tickMs?: number } = {}) {
  const written: string[] = []
  const sleeps: number[] = []
  const view = new LiveView({ title: 'replication', tty, write: (t) => void written.push(t), sleep: async (ms) => void sleeps.push(ms), frameMs: 5, ...extra })
  const hooks = { clock: view.clock, onCluster: view.follow, onPart: view.onPart, onLine: view.onLine }
  return { view, hooks, written, sleeps }
}

describe('the live view', () => {
  it('leaves the example untouched: the same output as a plain run', async () => {
    const plain = await runExample(replication)
    const { hooks, view } = watch(false)
    const watched = await runExample(replication, hooks)
    view.finish()
    expect(watched.text).toBe(plain.text)
    expect(watched.result).toEqual(plain.result)
  })

  it('off a terminal, writes plain frames one after another, and never waits', async () => {
    const { hooks, view, written, sleeps } = watch(false)
    await runExample(consumerGroups, hooks)
    view.finish()
    const text = written.join('')
    expect(written.length).toBeGreaterThan(5)
    expect(text).not.toContain('\x1b')
    expect(sleeps).toEqual([])
    expect(text).toMatch(/^-{20} frame 1 -{20}\n/)
    // Each frame shows the virtual time, the cluster, and the story so far; the last says it finished.
    expect(text).toMatch(/memkafka example: replication\s+t=\d+ ms \(virtual\)/)
    expect(text).toContain('TOPIC   PARTITION  LEADER')
    expect(text).toContain('What happened (last')
    expect(written.at(-1)).toContain('(finished)')
    expect(written.at(-1)).toContain('== A member leaves, a member dies: the group rebalances ==')
  })

  it('on a terminal, clears the screen for each frame and holds it', async () => {
    const { hooks, view, written, sleeps } = watch(true)
    await runExample(consumerGroups, hooks)
    view.finish()
    expect(written.every((frame) => frame.startsWith('\x1b[2J\x1b[3J\x1b[H'))).toBe(true)
    expect(sleeps.length).toBe(written.length - 1)
    expect(sleeps.every((ms) => ms === 5)).toBe(true)
  })

  it('draws every tickMs of virtual time when asked, even when nothing happened', async () => {
    const quiet = watch(false)
    await runExample(consumerGroups, quiet.hooks)
    const ticking = watch(false, { tickMs: 500 })
    await runExample(consumerGroups, ticking.hooks)
    expect(ticking.written.length).toBeGreaterThan(quiet.written.length)
  })
})

describe('terminal options', () => {
  it('parses --watch, --watch=<ms> and --tick=<ms>', () => {
    expect(terminalOptions(['replication'])).toEqual({ watch: undefined, tickMs: undefined })
    expect(terminalOptions(['replication', '--watch'])).toEqual({ watch: true, tickMs: undefined })
    expect(terminalOptions(['--watch=150', '--tick=1000'])).toEqual({ watch: 150, tickMs: 1000 })
    expect(() => terminalOptions(['--watch=soon'])).toThrow(/positive number/)
  })
})
