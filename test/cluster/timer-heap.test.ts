/**
 * The virtual clocks' timer heap: timers come out in (due, seq) order whatever was cancelled on
 * the way, and a cancelled timer lets go of its callback at once, so what the callback closes
 * over (a parked fetch's state) is not kept alive until the timer would have fallen due
 * (issue 15). The release is checked with a forced full collection and a WeakRef.
 */
import { describe, expect, it } from 'vitest'
import { fullGc, nextTurn } from '../support/full-gc.js'
import { TimerHeap, type HeapTimer } from '../../src/cluster/timer-heap.js'
import { ManualClock, AutoClock } from '../../src/cluster/clock.js'

interface T extends HeapTimer {
  readonly name: number
}

describe('TimerHeap', () => {
  it('hands out pending timers in (due, seq) order, with cancellations anywhere in the heap', () => {
    // A fixed pseudo-random sequence (no Math.random): adds, cancels of any pending timer, takes.
    let state = 12345
    const next = (n: number) => {
      state = (state * 1103515245 + 12345) & 0x7fffffff
      return state % n
    }
    const heap = new TimerHeap<T>()
    const pending: T[] = []
    let seq = 0
    for (let step = 0; step < 5000; step++) {
      const op = next(10)
      if (op < 5 || pending.length === 0) {
        const timer: T = { due: next(50), seq: seq++, cancelled: false, heapIndex: -1, name: step }
        heap.add(timer)
        pending.push(timer)
      } else if (op < 8) {
        const timer = pending.splice(next(pending.length), 1)[0]!
        heap.cancel(timer)
        expect(timer.cancelled).toBe(true)
      } else {
        pending.sort((a, b) => a.due - b.due || a.seq - b.seq)
        const expected = pending.shift()!
        expect(heap.peek()).toBe(expected)
        expect(heap.take()).toBe(expected)
        expect(expected.cancelled).toBe(true)
      }
      expect(heap.size).toBe(pending.length)
    }
    pending.sort((a, b) => a.due - b.due || a.seq - b.seq)
    for (const expected of pending) expect(heap.take()).toBe(expected)
    expect(heap.take()).toBeUndefined()
    expect(heap.size).toBe(0)
  })

  for (const [name, make] of [
    ['ManualClock', () => new ManualClock(0)],
    ['AutoClock', () => new AutoClock({ followWallClock: false })],
  ] as const) {
    it(`${name}: a cleared timer lets go of its callback and what it closes over, though its handle is kept`, async () => {
      const clock = make()
      let held: WeakRef<object> | undefined
      const schedule = () => {
        const state = { parked: new Array(1000).fill(0) }
        held = new WeakRef(state)
        return clock.setTimeout(() => void state.parked.length, 60_000)
      }
      const handle = schedule()
      // A later timer keeps the heap non-empty: the cleared one is not simply the last.
      const other = clock.setTimeout(() => {}, 120_000)
      clock.clearTimeout(handle)
      await nextTurn()
      fullGc()
      expect(held!.deref()).toBeUndefined()
      expect(clock.pendingTimers).toBe(1)
      clock.clearTimeout(other)
      expect(handle).toBeDefined()
    })
  }
})
