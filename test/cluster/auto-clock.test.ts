/**
 * The self-advancing clock on its own: it jumps to the next timer only while a driver wants
 * time, the process is quiet and nothing holds it; it never jumps for a settled driver; timers
 * keep their order; bad advances are typed errors.
 */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { AutoClock, ManualClock, realTime } from '../../src/cluster/clock.js'
import { Cluster, logLevel } from '../../src/index.js'
import { fullGc, nextTurn } from '../support/full-gc.js'

function driver(wants: () => boolean) {
  return { wantsTime: wants, describeWaiting: () => 'a test driver' }
}

describe('AutoClock', () => {
  it('jumps through due timers in order while a driver wants time, and stops when it is settled', async () => {
    const clock = new AutoClock({ startMs: 0, followWallClock: false })
    const fired: number[] = []
    let waiting = true
    clock.attach(driver(() => waiting))
    clock.setTimeout(() => fired.push(clock.now()), 30_000)
    clock.setTimeout(() => {
      fired.push(clock.now())
      // A timer scheduled from inside a timer runs later, in its turn.
      clock.setTimeout(() => {
        fired.push(clock.now())
        waiting = false
      }, 5_000)
    }, 10_000)
    clock.setTimeout(() => fired.push(clock.now()), 3_600_000)
    for (let i = 0; i < 200 && waiting; i++) await realTime.yield()
    expect(fired).toEqual([10_000, 15_000])
    // Settled: the 30 s and 1 h timers stay where they are, however long the test idles.
    for (let i = 0; i < 50; i++) await realTime.yield()
    expect(fired).toEqual([10_000, 15_000])
    expect(clock.now()).toBe(15_000)
    expect(clock.pendingTimers).toBe(2)
  })

  it('runs timers in time order, ties in scheduling order, whatever the delays', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 100_000 }), { minLength: 1, maxLength: 20 }), async (delays) => {
        const clock = new AutoClock({ startMs: 1_000, followWallClock: false })
        const fired: { i: number; at: number }[] = []
        let left = delays.length
        clock.attach(driver(() => left > 0))
        delays.forEach((d, i) =>
          clock.setTimeout(() => {
            fired.push({ i, at: clock.now() })
            left--
          }, d),
        )
        for (let n = 0; n < 10_000 && left > 0; n++) await realTime.yield()
        const expected = delays
          .map((d, i) => ({ i, d }))
          .sort((a, b) => a.d - b.d || a.i - b.i)
          .map(({ i, d }) => ({ i, at: 1_000 + d }))
        expect(fired).toEqual(expected)
      }),
      { numRuns: 20 },
    )
  })

  it('never jumps while held; jumps once the hold is released', async () => {
    const clock = new AutoClock({ startMs: 0, followWallClock: false })
    clock.attach(driver(() => true))
    let fired = false
    clock.setTimeout(() => (fired = true), 60_000)
    const release = clock.hold('a handler')
    for (let i = 0; i < 20; i++) await realTime.yield()
    expect(fired).toBe(false)
    expect(clock.describe()).toContain('held by: a handler')
    release()
    for (let i = 0; i < 20 && !fired; i++) await realTime.yield()
    expect(fired).toBe(true)
  })

  it('follows the wall clock while outside work holds it (followWallClock), and never jumps then', async () => {
    const clock = new AutoClock({ startMs: 0, followWallClock: false })
    clock.attach(driver(() => true))
    let fired = false
    clock.setTimeout(() => (fired = true), 60_000)
    const release = clock.hold('a wire connection', { followWallClock: true })
    await realTime.sleep(30)
    expect(clock.now()).toBeGreaterThanOrEqual(25)
    expect(fired).toBe(false)
    release()
    const before = clock.now()
    for (let i = 0; i < 20 && !fired; i++) await realTime.yield()
    expect(fired).toBe(true)
    expect(before).toBeLessThan(60_000)
  })

  it('without a driver that wants time it stands still (followWallClock: false) and fires only what is due', async () => {
    const clock = new AutoClock({ startMs: 5, followWallClock: false })
    const fired: string[] = []
    clock.setTimeout(() => fired.push('now'), 0)
    clock.setTimeout(() => fired.push('NaN'), Number.NaN)
    clock.setTimeout(() => fired.push('negative'), -5)
    clock.setTimeout(() => fired.push('later'), 1)
    await realTime.sleep(20)
    expect(fired).toEqual(['now', 'NaN', 'negative'])
    expect(clock.now()).toBe(5)
  })

  it('advance(ms) moves time on purpose; bad advances are RangeErrors that change nothing', async () => {
    for (const clock of [new AutoClock({ startMs: 0, followWallClock: false }), new ManualClock(0)]) {
      const fired: number[] = []
      clock.setTimeout(() => fired.push(clock.now()), 100)
      for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY, 1e15, '5' as unknown as number]) {
        await expect(clock.advance(bad)).rejects.toBeInstanceOf(RangeError)
      }
      expect(clock.now()).toBe(0)
      await clock.advance(250)
      expect(fired).toEqual([100])
      expect(clock.now()).toBe(250)
    }
  })

  it('a timer cleared before it is due never runs, and cancelled timers do not pile up', async () => {
    const clock = new AutoClock({ startMs: 0, followWallClock: false })
    let ran = 0
    for (let i = 0; i < 10_000; i++) clock.clearTimeout(clock.setTimeout(() => ran++, 5_000))
    expect(clock.pendingTimers).toBe(0)
    await clock.advance(10_000)
    expect(ran).toBe(0)
  })

  it('stops jumping with a warning when a driver never settles (maxJumpMs)', async () => {
    const clock = new AutoClock({ startMs: 0, followWallClock: false, maxJumpMs: 10_000 })
    clock.attach(driver(() => true))
    const tick = (): void => void clock.setTimeout(tick, 1_000)
    tick()
    const warnings: string[] = []
    const onWarning = (w: Error): void => void warnings.push(w.message)
    process.on('warning', onWarning)
    try {
      for (let i = 0; i < 200 && warnings.length === 0; i++) await realTime.yield()
      await realTime.sleep(5)
    } finally {
      process.off('warning', onWarning)
    }
    expect(warnings.join('\n')).toMatch(/skipped 10000 ms of virtual time without settling.*a test driver/)
    // It now follows the wall clock: no more than a few ms past the budget.
    expect(clock.now()).toBeLessThan(10_000 + 1_000)
  })
  it('takes down the real timer armed for its earliest timer once no timer is left, so nothing holds the clock', async () => {
    let clockRef: WeakRef<AutoClock> | undefined
    ;(() => {
      const clock = new AutoClock()
      clockRef = new WeakRef(clock)
      clock.clearTimeout(clock.setTimeout(() => {}, 15_000))
      expect(clock.pendingTimers).toBe(0)
    })()
    // The clock's quiet-turn probes (immediates) end by themselves within a few turns.
    for (let turn = 0; turn < 5; turn++) await nextTurn()
    fullGc()
    // The real timer (unref'd, 15 s away) held the clock until it fired.
    expect(clockRef!.deref()).toBeUndefined()
  })

  it('a closed cluster lets go of its clock at once', async () => {
    let clockRef: WeakRef<object> | undefined
    await (async () => {
      const cluster = new Cluster()
      clockRef = new WeakRef(cluster.clock)
      const admin = cluster.kafka({ logLevel: logLevel.NOTHING }).admin()
      await admin.connect()
      await admin.createTopics({ topics: [{ topic: 't' }] })
      await admin.disconnect()
      await cluster.close()
      expect((cluster.clock as AutoClock).pendingTimers).toBe(0)
    })()
    for (let turn = 0; turn < 5; turn++) await nextTurn()
    fullGc()
    // Before, the real timer armed for a timer close() had cleared held the clock for seconds,
    // and through Node's list of timers every later test's clock: 1000 test lives in a row
    // promoted each dead cluster's clock into the old generation.
    expect(clockRef!.deref()).toBeUndefined()
  })
})
