/**
 * A ManualClock for tests that fails loudly on a livelock: a timer that keeps re-arming itself at
 * one instant would otherwise hang `advance` for ever, so more than 10 000 timers scheduled
 * without time moving throws, and the test fails with a message instead of timing out.
 * (memkafka/testing's GuardedClock stops scheduling instead, for a simulation to report.)
 */
import { ManualClock } from '../../src/index.js'

export class StormClock extends ManualClock {
  private instant = -1
  private scheduled = 0

  override setTimeout(callback: () => void, ms: number) {
    if (this.now() !== this.instant) {
      this.instant = this.now()
      this.scheduled = 0
    }
    if (++this.scheduled > 10_000) throw new Error(`timer storm: more than 10000 timers scheduled at t=${this.now()} ms`)
    return super.setTimeout(callback, ms)
  }
}
