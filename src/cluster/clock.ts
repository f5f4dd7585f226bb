/**
 * Time, as a dependency. Every timer and every reading of the time in memkafka goes through a
 * Clock, so that a test can swap the wall clock for a ManualClock and replay a run exactly
 * (the idea is xstate's SimulatedClock, with `now()` added). Three clocks:
 * - AutoClock (the default): virtual time that runs itself. It jumps to the next timer when
 *   nothing can progress but by waiting (tokio's paused-time auto-advance, applied to Kafka's
 *   timeouts), so Kafka's default timings cost no real time.
 * - ManualClock: time moves only through advance(ms); exactly reproducible.
 * - SystemClock: the wall clock, for clients over the wire.
 *
 * The real timers behind them are the ones Node had when this module loaded (node:timers and
 * node:perf_hooks), so a test's fake timers (vi.useFakeTimers(), jest's modern timers) installed
 * later cannot stall memkafka.
 */
import * as nodeTimers from 'node:timers'
import { TimerHeap } from './timer-heap.js'
import { performance as nodePerformance } from 'node:perf_hooks'

const real = {
  setTimeout: nodeTimers.setTimeout,
  clearTimeout: nodeTimers.clearTimeout,
  setInterval: nodeTimers.setInterval,
  clearInterval: nodeTimers.clearInterval,
  setImmediate: nodeTimers.setImmediate,
  clearImmediate: nodeTimers.clearImmediate,
  monotonic: nodePerformance.now.bind(nodePerformance),
  origin: nodePerformance.timeOrigin,
  emitWarning: process.emitWarning.bind(process),
}

/** The wall clock in ms since the epoch, from the real performance timer (fake timers cannot touch it). */
function wallNow(): number {
  return Math.floor(real.origin + real.monotonic())
}

export interface TimerHandle {
  readonly id: number
}

export interface Clock {
  /** Milliseconds since the epoch, as Date.now() would give. */
  now(): number
  setTimeout(callback: () => void, ms: number): TimerHandle
  clearTimeout(handle: TimerHandle | undefined): void
  /**
   * Outside work is active (a wire connection, a user's handler): a self-advancing clock must
   * not jump ahead until the returned release is called. With `followWallClock`, time follows
   * the wall clock meanwhile (what clients over a socket need). Clocks that never jump ignore it.
   */
  hold?(reason: string, options?: { followWallClock?: boolean }): () => void
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
    const timer = real.setTimeout(() => {
      this.timers.delete(id)
      callback()
    }, clampDelay(ms))
    // A pending broker timer does not keep a process alive by itself: connected clients do (see
    // realTime.keepAlive), as their sockets would.
    timer.unref?.()
    this.timers.set(id, timer)
    return { id }
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    if (!handle) return
    const timer = this.timers.get(handle.id)
    if (timer !== undefined) {
      real.clearTimeout(timer)
      this.timers.delete(handle.id)
    }
  }

  /** Timers still scheduled (for diagnostics and tests). */
  get pendingTimers(): number {
    return this.timers.size
  }
}

/**
 * A virtual clock's timer (ManualClock, AutoClock); it is its own handle, and knows its clock.
 * Its callback is let go once it is cancelled or has run (release()): the caller may keep the
 * handle, and must not keep what the callback closes over alive with it (issue 15).
 */
class VirtualTimer<Owner> implements TimerHandle {
  cancelled = false
  heapIndex = -1
  constructor(
    readonly id: number,
    readonly due: number,
    readonly seq: number,
    public callback: () => void,
    readonly owner: Owner,
  ) {}

  /** The callback, let go of: the timer is cancelled or about to run. */
  release(): () => void {
    const callback = this.callback
    this.callback = RELEASED
    return callback
  }
}

const RELEASED = (): void => {}

type ManualTimer = VirtualTimer<ManualClock>
type AutoTimer = VirtualTimer<AutoClock>

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
  private readonly timers = new TimerHeap<ManualTimer>()

  constructor(startMs = 0) {
    if (!Number.isFinite(startMs)) throw new TypeError('ManualClock start time must be a finite number')
    this.current = startMs
  }

  /** How many times advance() ran: the cluster's stall watchdog tells "nobody advances" from it. */
  advances = 0

  now(): number {
    return this.current
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    const delay = Number.isFinite(ms) && ms > 0 ? ms : 0
    const timer = new VirtualTimer<ManualClock>(this.nextId++, this.current + delay, this.seq++, callback, this)
    this.timers.add(timer)
    return timer
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    if (!(handle instanceof VirtualTimer) || handle.owner !== this || handle.cancelled) return
    this.timers.cancel(handle)
    handle.release()
  }

  get pendingTimers(): number {
    return this.timers.size
  }

  /** The due time of the earliest pending timer, or undefined when none is pending. */
  nextTimerAt(): number | undefined {
    return this.timers.peek()?.due
  }

  /**
   * Moves time forward by `ms`, running every timer that falls due on the way, in order.
   * Refuses to go back in time.
   */
  async advance(ms: number): Promise<void> {
    checkAdvance('ManualClock', ms)
    this.advances++
    const target = this.current + ms
    await settleMicrotasks()
    for (;;) {
      const next = this.timers.peek()
      if (!next || next.due > target) break
      const due = next.due
      this.timers.take()
      this.current = Math.max(this.current, due)
      // Every timer is followed by a macrotask turn, so that what it started settles before the
      // next one runs. The turns of the timers due at this same instant are queued together,
      // one setImmediate each: Node runs them in one pass of the event loop and drains the
      // microtasks (and nextTicks) between two of them, as between two passes, so each timer
      // still runs alone in the job after its own turn. A pass per turn cost a poll of the event
      // loop each (about 4 us: issue 15, a group's members park a fetch per leader that all
      // expire at one instant, 450 timers per rebalance at 150 members). Timers scheduled
      // meanwhile come after these (a later sequence number, never an earlier instant): they
      // take the next round of this loop.
      const turns = macrotaskTurns(1 + this.timers.countDueAt(due))
      next.release()()
      for (let i = 0; ; i++) {
        await turns[i]
        if (i === turns.length - 1) break
        // The next timer of this instant, unless one of the earlier ones cancelled it.
        const timer = this.timers.peek()
        if (timer === undefined || timer.due !== due) break
        this.timers.take()
        timer.release()()
      }
    }
    this.current = target
    await settleMicrotasks()
  }

  /** Runs the timers due now (0 ms timers included) without moving time. */
  async runDue(): Promise<void> {
    await this.advance(0)
  }
}

/** Something whose progress may need time to pass (a cluster), attached to an AutoClock. */
export interface TimeDriver {
  /** True when something waits that only time can move: the driver is not settled. */
  wantsTime(): boolean
  /** What waits, for warnings and settle()'s messages. */
  describeWaiting(): string
}

export interface AutoClockOptions {
  /** Virtual time at the start, ms since the epoch. Default: the wall clock's now. */
  readonly startMs?: number
  /**
   * Between jumps, time follows the wall clock (default true), so timestamps stay close to real
   * time. With false, time moves only by jumps and advance(): a seeded run replays exactly.
   */
  readonly followWallClock?: boolean
  /**
   * How much virtual time the clock may skip while its drivers stay unsettled. Past it the clock
   * warns and stops jumping (following the wall clock) until they settle: a workload that can
   * never settle must not race time ahead for ever. Default one hour.
   */
  readonly maxJumpMs?: number
}


/**
 * Virtual time that runs itself (the default clock). Timers are virtual; when every attached
 * driver (cluster) that wants time is waiting only for a timer, and the process has been quiet
 * for a full turn of the event loop (nothing sent, no timer run), the clock jumps to the next
 * due timer and runs it, then looks again. It never jumps while something holds it (a user's
 * handler, a wire connection), during advance(), or while no driver wants time (an idle test
 * sees no retention or expiry because time raced ahead). Between jumps it follows the wall
 * clock, or, with followWallClock: false, stands still.
 */
export class AutoClock implements Clock {
  private base: number
  private anchor: number
  private following: boolean
  private readonly followByDefault: boolean
  private readonly maxJumpMs: number
  private readonly timers = new TimerHeap<AutoTimer>()
  private nextId = 1
  private seq = 0
  private readonly drivers = new Set<TimeDriver>()
  private readonly holds = new Map<number, { reason: string; follow: boolean }>()
  private nextHoldId = 1
  private followHolds = 0
  /** A handler hold outlasted a quiet turn while time was wanted: follow the wall clock under it. */
  private heldFollow = false
  /** The jump budget ran out: follow the wall clock until the drivers settle. */
  private budgetFollow = false
  private activity = 0
  private seenActivity = -1
  private quietTurns = 0
  private probeHandle: ReturnType<typeof setImmediate> | undefined
  private dueHandle: ReturnType<typeof setImmediate> | undefined
  private realTimer: ReturnType<typeof setTimeout> | undefined
  private realTimerDue = Infinity
  private advancing = 0
  private unsettledSince: number | undefined
  /** Jumps made and virtual ms skipped by them (diagnostics). */
  jumps = 0
  skippedMs = 0

  constructor(options: AutoClockOptions = {}) {
    const start = options.startMs ?? wallNow()
    if (typeof start !== 'number' || !Number.isFinite(start)) throw new TypeError('AutoClock startMs must be a finite number')
    const maxJump = options.maxJumpMs ?? 3_600_000
    if (typeof maxJump !== 'number' || !(maxJump >= 0)) throw new TypeError('AutoClock maxJumpMs must be a number >= 0')
    this.base = start
    this.anchor = real.monotonic()
    this.followByDefault = options.followWallClock ?? true
    this.following = this.followByDefault
    this.maxJumpMs = maxJump
  }

  now(): number {
    return this.following ? Math.floor(this.base + (real.monotonic() - this.anchor)) : this.base
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    const timer = new VirtualTimer<AutoClock>(this.nextId++, this.now() + clampDelay(ms), this.seq++, callback, this)
    this.timers.add(timer)
    this.arm()
    this.poke()
    return timer
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    if (!(handle instanceof VirtualTimer) || handle.owner !== this || handle.cancelled) return
    this.timers.cancel(handle)
    handle.release()
    // With no timer left, the real timer armed for the earliest one goes too: it would keep this
    // clock (and a closed cluster's heap) alive until it fired, and Node's list of timers links
    // it to every later one, so young-generation collections promoted each closed cluster's
    // clock, and what it reached, for that long (issue 15: one test life after another).
    if (this.timers.size === 0) this.disarm()
  }

  get pendingTimers(): number {
    return this.timers.size
  }

  nextTimerAt(): number | undefined {
    return this.timers.peek()?.due
  }

  /** Attaches a driver (a cluster): the clock jumps only when one of them wants time. */
  attach(driver: TimeDriver): () => void {
    this.drivers.add(driver)
    this.poke()
    return () => {
      this.drivers.delete(driver)
    }
  }

  hold(reason: string, options: { followWallClock?: boolean } = {}): () => void {
    const id = this.nextHoldId++
    const follow = options.followWallClock === true
    this.holds.set(id, { reason, follow })
    if (follow) {
      this.followHolds++
      this.refollow()
    }
    return () => {
      if (!this.holds.delete(id)) return
      if (follow) this.followHolds--
      if (this.holds.size === 0) this.heldFollow = false
      this.refollow()
      this.poke()
    }
  }

  /** Something happened (a request, a reply): the clock waits for a quiet turn before it jumps. */
  poke(): void {
    this.activity++
    if (this.probeHandle === undefined) this.scheduleProbe()
  }

  /** Moves time forward by `ms` on purpose, running the timers due on the way in order. */
  async advance(ms: number): Promise<void> {
    checkAdvance('AutoClock', ms)
    this.advancing++
    try {
      const target = this.now() + ms
      await settleMicrotasks()
      for (;;) {
        const next = this.peek()
        if (!next || next.due > target) break
        this.jumpTo(next.due)
        this.run(next)
        await settleMicrotasks()
      }
      this.jumpTo(target)
      this.arm()
      await settleMicrotasks()
    } finally {
      this.advancing--
      this.poke()
    }
  }

  /** A line for messages: what the clock is, its time, timers, holds. */
  describe(): string {
    const next = this.peek()
    const holds = [...this.holds.values()].map((h) => h.reason)
    return (
      `the self-advancing clock (AutoClock${this.followByDefault ? '' : ', not following the wall clock'}) at t=${this.now()}, ` +
      `${this.timers.size} timer(s) pending${next ? `, the next in ${next.due - this.now()} ms` : ''}` +
      (holds.length > 0 ? `, held by: ${[...new Set(holds)].join(', ')}` : '') +
      `, ${this.jumps} jump(s) so far skipping ${this.skippedMs} ms`
    )
  }

  private wanted(): TimeDriver | undefined {
    for (const driver of this.drivers) if (driver.wantsTime()) return driver
    return undefined
  }

  private scheduleProbe(): void {
    // Ref'd: an unref'd immediate would let the event loop block in its poll phase. Probing
    // stops by itself after a quiet turn, so it never keeps a process alive for long.
    this.probeHandle = real.setImmediate(this.probe)
  }

  private readonly probe = (): void => {
    this.probeHandle = undefined
    if (this.activity !== this.seenActivity) {
      this.seenActivity = this.activity
      this.quietTurns = 0
      this.scheduleProbe()
      return
    }
    // Two probes in a row with nothing in between: a whole turn of the event loop was quiet.
    if (++this.quietTurns < 2) {
      this.scheduleProbe()
      return
    }
    this.quietTurns = 0
    const next = this.peek()
    if (!next || this.advancing > 0) return
    if (next.due <= this.now()) return this.arm()
    const driver = this.wanted()
    if (!driver) {
      // Settled: time goes back to its ordinary pace and the jump budget starts afresh.
      this.unsettledSince = undefined
      if (this.budgetFollow) {
        this.budgetFollow = false
        this.refollow()
      }
      return
    }
    if (this.holds.size > 0) {
      // A handler that waits across a quiet turn while time is wanted: let real time pass under
      // it, so a handler waiting on memkafka's own timers (a retry back-off) does not hang.
      if (!this.heldFollow) {
        this.heldFollow = true
        this.refollow()
      }
      return
    }
    if (this.budgetFollow) return
    this.unsettledSince ??= this.now()
    if (next.due - this.unsettledSince > this.maxJumpMs) {
      this.budgetFollow = true
      this.refollow()
      real.emitWarning(
        `memkafka: the self-advancing clock skipped ${this.maxJumpMs} ms of virtual time without settling and now follows the wall clock until it settles. Still waiting: ${driver.describeWaiting()}`,
        { code: 'MEMKAFKA_CLOCK' },
      )
      return
    }
    this.jumps++
    this.jumpTo(next.due)
    this.run(next)
    this.arm()
  }

  private readonly fireDue = (): void => {
    this.dueHandle = undefined
    this.realTimer = undefined
    this.realTimerDue = Infinity
    const next = this.peek()
    try {
      if (next && next.due <= this.now()) this.run(next)
    } finally {
      this.arm()
    }
  }

  /** Runs one timer, taken off the heap first. */
  private run(timer: AutoTimer): void {
    // `timer` is the earliest (peeked): taking it marks it cancelled, so clearing it does nothing.
    this.timers.take()
    this.poke()
    timer.release()()
  }

  /** Sets the real timer (or immediate) for the earliest timer, as the pace of time allows. */
  private arm(): void {
    const next = this.peek()
    if (!next) return this.disarm()
    const wait = next.due - this.now()
    if (wait <= 0) {
      this.disarm()
      if (this.dueHandle === undefined) {
        this.dueHandle = real.setImmediate(this.fireDue)
      }
      return
    }
    if (!this.following) return this.disarm()
    if (this.realTimer !== undefined && this.realTimerDue === next.due) return
    this.disarm()
    const timer = real.setTimeout(this.fireDue, Math.min(wait, MAX_TIMER_DELAY_MS))
    timer.unref?.()
    this.realTimer = timer
    this.realTimerDue = next.due
  }

  private disarm(): void {
    if (this.realTimer !== undefined) real.clearTimeout(this.realTimer)
    this.realTimer = undefined
    this.realTimerDue = Infinity
  }

  private refollow(): void {
    const follow = this.followByDefault || this.followHolds > 0 || this.heldFollow || this.budgetFollow
    if (follow === this.following) return
    this.base = this.now()
    this.anchor = real.monotonic()
    this.following = follow
    this.arm()
  }

  private jumpTo(time: number): void {
    const now = this.now()
    if (time <= now) return
    this.skippedMs += time - now
    this.base = time
    this.anchor = real.monotonic()
  }

  private peek(): AutoTimer | undefined {
    return this.timers.peek()
  }
}

/** The clocks a Cluster can be given by name. */
export type ClockName = 'auto' | 'system' | 'manual'

/** A clock from a name or an instance: the default is a self-advancing clock. */
export function resolveClock(clock: Clock | ClockName | undefined): Clock {
  if (clock === undefined || clock === 'auto') return new AutoClock()
  if (clock === 'system') return new SystemClock()
  if (clock === 'manual') return new ManualClock()
  if (typeof clock !== 'object' || clock === null || typeof clock.now !== 'function' || typeof clock.setTimeout !== 'function' || typeof clock.clearTimeout !== 'function') {
    throw new TypeError(`clock must be 'auto', 'system', 'manual' or a Clock (now, setTimeout, clearTimeout), got ${String(clock)}`)
  }
  return clock
}

/** How settle() and warnings name a clock. */
export function describeClock(clock: Clock): string {
  if (clock instanceof AutoClock) return clock.describe()
  if (clock instanceof ManualClock) {
    const next = clock.nextTimerAt()
    return `a ManualClock at t=${clock.now()} (time moves only with cluster.advance(ms) or settle()), ${clock.pendingTimers} timer(s) pending${next !== undefined ? `, the next in ${next - clock.now()} ms` : ''}`
  }
  if (clock instanceof SystemClock) return `the wall clock (SystemClock), ${clock.pendingTimers} timer(s) pending`
  return `a custom clock (${clock.constructor?.name ?? 'Clock'}) at t=${clock.now()}`
}

/**
 * Resolves after every promise job queued so far, and those they queue in turn, has run:
 * a macrotask boundary drains the microtask queue. Not a source of time: nothing is measured.
 */
export function settleMicrotasks(): Promise<void> {
  return new Promise((resolve) => real.setImmediate(resolve))
}

/**
 * `count` macrotask turns queued at once: the i-th promise resolves in the i-th of `count`
 * setImmediate callbacks, which Node runs in one pass of the event loop with the microtask queue
 * drained between two of them (see ManualClock.advance).
 */
function macrotaskTurns(count: number): Promise<void>[] {
  const turns: Promise<void>[] = new Array(count)
  for (let i = 0; i < count; i++) turns[i] = settleMicrotasks()
  return turns
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
      const timer = real.setTimeout(resolve, ms)
      timer.unref?.()
    })
  },
  /** The wall clock, ms since the epoch, immune to fake timers. */
  wallNow,
  /** One macrotask, as a socket read would give: lets the event loop run timers and I/O. */
  yield(): Promise<void> {
    return new Promise((resolve) => real.setImmediate(resolve))
  },
  /**
   * Keeps the process alive as an open socket would, until the returned release is called.
   * (Every other memkafka timer is unref'd.)
   */
  keepAlive(): () => void {
    const handle = real.setInterval(() => {}, 1 << 30)
    let released = false
    return () => {
      if (released) return
      released = true
      real.clearInterval(handle)
    }
  },
  /** A real one-shot timer that does not keep the process alive (watchdogs). */
  watchdog(callback: () => void, ms: number): () => void {
    const handle = real.setTimeout(callback, ms)
    handle.unref?.()
    return () => real.clearTimeout(handle)
  },
  /** A process warning (shown on stderr by Node, vitest and jest). */
  warn(message: string): void {
    real.emitWarning(message, { code: 'MEMKAFKA_CLOCK' })
  },
}

/** Timer delays as Node reads them: NaN, negative and non-numbers are 0; huge ones are capped. */
function clampDelay(ms: number): number {
  if (typeof ms !== 'number' || !(ms > 0)) return 0
  // Node clamps a delay above 2^31-1 to 1 ms (with a warning); a virtual clock keeps it long.
  return Math.min(ms, MAX_TIMER_DELAY_MS)
}

const MAX_TIMER_DELAY_MS = 2 ** 31 - 1

function checkAdvance(clock: string, ms: number): void {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
    throw new RangeError(`${clock} cannot advance by ${String(ms)} ms: give a finite number of ms >= 0`)
  }
  if (ms > MAX_ADVANCE_MS) throw new RangeError(`${clock} cannot advance by ${ms} ms at once: the most is ${MAX_ADVANCE_MS} ms (about 10 years)`)
}

/** Far more than any Kafka timeout; past it, an advance is a bug (a seconds/ms mix-up, Infinity). */
const MAX_ADVANCE_MS = 10 * 365 * 24 * 3_600_000
