/**
 * Letting virtual time pass until something holds: the loop every test on a ManualClock writes
 * (wait for a consumer to catch up, for a broker to come back, for a send to resolve).
 *
 * Time moves from timer to timer: nothing in the cluster changes between two timers, so the
 * condition is checked as often as it can change and quiet stretches cost nothing.
 */
import { ManualClock, type Cluster } from 'memkafka'

export interface RunUntilOptions {
  /** Give up (throw) after this much virtual time. Default 60 000 ms. */
  readonly maxMs?: number
  /** The longest single step between checks. Default 1000 ms. */
  readonly stepMs?: number
  /** What is awaited, for the error message. */
  readonly what?: string
}

/** Advances the cluster's ManualClock until `condition()` holds; throws after `maxMs`. */
export async function runUntil(cluster: Cluster, condition: () => boolean, options: RunUntilOptions = {}): Promise<void> {
  if (typeof condition !== 'function') throw new TypeError(`runUntil needs a condition function, got ${typeof condition}`)
  const clock = cluster.clock
  if (!(clock instanceof ManualClock)) throw new TypeError('runUntil needs a cluster on a ManualClock: new Cluster({ clock: new ManualClock() })')
  const maxMs = options.maxMs ?? 60_000
  const stepMs = options.stepMs ?? 1_000
  const start = clock.now()
  await cluster.advance(0)
  while (!condition()) {
    if (clock.now() - start >= maxMs) {
      throw new Error(`runUntil: ${options.what ?? 'the condition'} did not hold within ${maxMs} ms of virtual time\n${cluster.format()}`)
    }
    const next = clock.nextTimerAt()
    await cluster.advance(next === undefined ? stepMs : Math.min(stepMs, Math.max(0, next - clock.now())))
  }
}

/** Advances the cluster's ManualClock until `promise` settles, and returns (or throws) its outcome. */
export async function runUntilSettled<T>(cluster: Cluster, promise: Promise<T>, options: RunUntilOptions = {}): Promise<T> {
  let done = false
  const watched = promise.finally(() => void (done = true))
  watched.catch(() => {})
  await runUntil(cluster, () => done, { what: 'the operation', ...options })
  return watched
}
