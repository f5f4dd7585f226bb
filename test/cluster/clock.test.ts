/**
 * The injected clocks: ManualClock runs due timers in time order (ties in scheduling order),
 * lets the promises each timer starts settle before the next one, and never goes back in time.
 */
import { describe, it, expect } from 'vitest'
import fc from 'fast-check'
import { ManualClock, SystemClock } from '../../src/cluster/clock.js'

describe('ManualClock', () => {
  it('runs due timers in time order, ties in the order they were scheduled', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 30 }), fc.integer({ min: 0, max: 60 }), async (delays, advanceBy) => {
        const clock = new ManualClock(1000)
        const fired: { i: number; at: number }[] = []
        delays.forEach((d, i) => clock.setTimeout(() => fired.push({ i, at: clock.now() }), d))
        await clock.advance(advanceBy)
        const expected = delays
          .map((d, i) => ({ i, d }))
          .filter(({ d }) => d <= advanceBy)
          .sort((a, b) => a.d - b.d || a.i - b.i)
          .map(({ i, d }) => ({ i, at: 1000 + d }))
        expect(fired).toEqual(expected)
        expect(clock.now()).toBe(1000 + advanceBy)
        expect(clock.pendingTimers).toBe(delays.length - expected.length)
      }),
    )
  })

  it('skips cleared timers, keeps order and count across many, and reports the earliest pending one', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ delay: fc.integer({ min: 0, max: 40 }), cleared: fc.boolean() }), { maxLength: 200 }),
        fc.integer({ min: 0, max: 50 }),
        async (timers, advanceBy) => {
          const clock = new ManualClock(0)
          const fired: number[] = []
          const handles = timers.map((t, i) => clock.setTimeout(() => fired.push(i), t.delay))
          timers.forEach((t, i) => t.cleared && clock.clearTimeout(handles[i]))
          timers.forEach((t, i) => t.cleared && clock.clearTimeout(handles[i])) // twice: no effect
          const kept = timers.map((t, i) => ({ i, ...t })).filter((t) => !t.cleared)
          expect(clock.pendingTimers).toBe(kept.length)
          expect(clock.nextTimerAt()).toBe(kept.length === 0 ? undefined : Math.min(...kept.map((t) => t.delay)))
          await clock.advance(advanceBy)
          const due = kept.filter((t) => t.delay <= advanceBy).sort((a, b) => a.delay - b.delay || a.i - b.i)
          expect(fired).toEqual(due.map((t) => t.i))
          expect(clock.pendingTimers).toBe(kept.length - due.length)
          // A timer that has fired, cleared afterwards, changes nothing.
          if (due.length > 0) clock.clearTimeout(handles[due[0]!.i])
          expect(clock.pendingTimers).toBe(kept.length - due.length)
        },
      ),
    )
  })

  it('lets the async work a timer starts run before the next timer fires', async () => {
    const clock = new ManualClock(0)
    const log: string[] = []
    clock.setTimeout(async () => {
      log.push('first')
      await Promise.resolve()
      await Promise.resolve()
      log.push('first continued')
    }, 10)
    clock.setTimeout(() => log.push('second'), 10)
    await clock.advance(10)
    expect(log).toEqual(['first', 'first continued', 'second'])
  })

  it('runs timers scheduled by timers when they fall due within the same advance', async () => {
    const clock = new ManualClock(0)
    const at: number[] = []
    const tick = (): void => {
      at.push(clock.now())
      if (at.length < 5) clock.setTimeout(tick, 100)
    }
    clock.setTimeout(tick, 100)
    await clock.advance(350)
    expect(at).toEqual([100, 200, 300])
    await clock.advance(1000)
    expect(at).toEqual([100, 200, 300, 400, 500])
  })

  it('cancels timers and refuses to go back in time', async () => {
    const clock = new ManualClock(0)
    let fired = false
    const handle = clock.setTimeout(() => (fired = true), 5)
    clock.clearTimeout(handle)
    await clock.advance(10)
    expect(fired).toBe(false)
    await expect(clock.advance(-1)).rejects.toThrow(RangeError)
    expect(clock.nextTimerAt()).toBeUndefined()
  })
})

describe('SystemClock', () => {
  it('reads the wall clock and runs timers for real', async () => {
    const clock = new SystemClock()
    const before = Date.now()
    expect(Math.abs(clock.now() - before)).toBeLessThan(50)
    await new Promise<void>((resolve) => clock.setTimeout(resolve, 1))
    const handle = clock.setTimeout(() => {
      throw new Error('cleared timers never fire')
    }, 1)
    clock.clearTimeout(handle)
    await new Promise((resolve) => setTimeout(resolve, 5))
    expect(clock.pendingTimers).toBe(0)
  })
})
