/**
 * The simulation's clock: a ManualClock that notices a livelock (thousands of timers at one
 * instant) and stops scheduling, keeping the error for the run to throw.
 */
import { ManualClock } from 'memkafka'

/** More timers than this at one instant is a livelock: no simulated run schedules nearly as many. */
const STORM_LIMIT = 5_000

/**
 * A ManualClock that notices a timer re-arming itself at one instant (a livelock, which would
 * make advance() spin forever): it stops scheduling and keeps the error for the run to throw.
 */
export class GuardedClock extends ManualClock {
  private instant = -1
  private scheduled = 0
  storm: Error | undefined
  /** Called once when a storm is seen: the run stops the cluster so that the loop ends. */
  onStorm: () => void = () => {}

  override setTimeout(callback: () => void, ms: number) {
    if (this.now() !== this.instant) {
      this.instant = this.now()
      this.scheduled = 0
    }
    if (++this.scheduled > STORM_LIMIT) {
      if (!this.storm) {
        this.storm = new Error(`timer storm: more than ${STORM_LIMIT} timers scheduled at t=${this.now()} ms (a livelock)\n${new Error().stack}`)
        // A loop of requests and answers with no time passing (no timer fires in it) would
        // never yield; closing the cluster makes its requests fail, and back-off ends it.
        queueMicrotask(this.onStorm)
      }
      // A timer that never fires: the livelocked loop waits forever instead of spinning.
      return super.setTimeout(() => {}, Number.MAX_SAFE_INTEGER)
    }
    return super.setTimeout(callback, ms)
  }
}

