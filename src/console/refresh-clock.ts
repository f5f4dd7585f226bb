/**
 * The console's own pace: a real-time ticker that pushes updates to open pages. It is real time
 * on purpose, whatever the cluster's clock: a page must follow a ManualClock cluster too, whose
 * time only moves when someone advances it, and a ticker on that clock would never fire. It runs
 * only while a page is open (see live-updates.ts), and never keeps the process alive.
 */
export interface Ticker {
  stop(): void
}

export function startTicker(everyMs: number, tick: () => void): Ticker {
  const timer = setInterval(tick, everyMs)
  timer.unref?.()
  return { stop: () => clearInterval(timer) }
}

/** Milliseconds of real time, for the console's measurements of itself. */
export function realNow(): number {
  return performance.now()
}

/** One real-time call after `ms`, cancellable; never keeps the process alive. */
export function startTimeout(ms: number, callback: () => void): Ticker {
  const timer = setTimeout(callback, ms)
  timer.unref?.()
  return { stop: () => clearTimeout(timer) }
}
