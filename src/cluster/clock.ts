/**
 * Time, as a dependency. Every timer and every reading of the time in memkafka goes through a
 * Clock, so that a test can swap the wall clock for a ManualClock and replay a run exactly
 * (the idea is xstate's SimulatedClock, with `now()` added).
 */
export interface TimerHandle {
  readonly id: number
}

export interface Clock {
  /** Milliseconds since the epoch, as Date.now() would give. */
  now(): number
  setTimeout(callback: () => void, ms: number): TimerHandle
  clearTimeout(handle: TimerHandle | undefined): void
}

/** The wall clock. The default for a Cluster that is given none. */
export class SystemClock implements Clock {
  private nextId = 1
  private readonly timers = new Map<number, ReturnType<typeof setTimeout>>()

  now(): number {
    return Date.now()
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    const id = this.nextId++
    const timer = setTimeout(() => {
      this.timers.delete(id)
      callback()
    }, Math.max(0, ms))
    // A pending broker timer must never keep a test process alive.
    timer.unref?.()
    this.timers.set(id, timer)
    return { id }
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    if (!handle) return
    const timer = this.timers.get(handle.id)
    if (timer !== undefined) {
      clearTimeout(timer)
      this.timers.delete(handle.id)
    }
  }

  /** Timers still scheduled (for diagnostics and tests). */
  get pendingTimers(): number {
    return this.timers.size
  }
}

interface ManualTimer {
  id: number
  due: number
  seq: number
  callback: () => void
}

/**
 * A virtual clock: time moves only when `advance(ms)` is called, and due timers run in time
 * order (ties in the order they were scheduled). Between two timers, advance lets every
 * promise that the previous one started settle, so async work driven by timers interleaves
 * exactly as it would in real time, but reproducibly.
 */
export class ManualClock implements Clock {
  private current: number
  private nextId = 1
  private seq = 0
  private readonly timers = new Map<number, ManualTimer>()

  constructor(startMs = 0) {
    if (!Number.isFinite(startMs)) throw new TypeError('ManualClock start time must be a finite number')
    this.current = startMs
  }

  now(): number {
    return this.current
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    const id = this.nextId++
    const delay = Number.isFinite(ms) && ms > 0 ? ms : 0
    this.timers.set(id, { id, due: this.current + delay, seq: this.seq++, callback })
    return { id }
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    if (handle) this.timers.delete(handle.id)
  }

  get pendingTimers(): number {
    return this.timers.size
  }

  /** The due time of the earliest pending timer, or undefined when none is pending. */
  nextTimerAt(): number | undefined {
    let earliest: number | undefined
    for (const timer of this.timers.values()) {
      if (earliest === undefined || timer.due < earliest) earliest = timer.due
    }
    return earliest
  }

  /**
   * Moves time forward by `ms`, running every timer that falls due on the way, in order.
   * Refuses to go back in time.
   */
  async advance(ms: number): Promise<void> {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`ManualClock cannot advance by ${ms} ms`)
    const target = this.current + ms
    await settleMicrotasks()
    for (;;) {
      const timer = this.earliestDue(target)
      if (!timer) break
      this.timers.delete(timer.id)
      this.current = Math.max(this.current, timer.due)
      timer.callback()
      await settleMicrotasks()
    }
    this.current = target
    await settleMicrotasks()
  }

  /** Runs the timers due now (0 ms timers included) without moving time. */
  async runDue(): Promise<void> {
    await this.advance(0)
  }

  private earliestDue(limit: number): ManualTimer | undefined {
    let best: ManualTimer | undefined
    for (const timer of this.timers.values()) {
      if (timer.due > limit) continue
      if (!best || timer.due < best.due || (timer.due === best.due && timer.seq < best.seq)) best = timer
    }
    return best
  }
}

/**
 * Resolves after every promise job queued so far, and those they queue in turn, has run:
 * a macrotask boundary drains the microtask queue. Not a source of time: nothing is measured.
 */
export function settleMicrotasks(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}

/**
 * Real elapsed time, for safeguards that must not depend on a virtual clock (settle()'s
 * timeout). Never used for anything a run's outcome depends on.
 */
export const realTime = {
  now(): number {
    return performance.now()
  },
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms)
      timer.unref?.()
    })
  },
}
