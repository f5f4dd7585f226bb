/**
 * The bookkeeping of parallel processing with safe commits: which offsets are running and
 * which are done, and the low watermark, the offset just after the longest run of finished
 * offsets from where the partition's processing started. Only the low watermark may be
 * committed: every offset below it is done, whatever finished out of order above it.
 *
 * "I've processed everything up to offset 41, so start me at 42 next time": a committed offset
 * promises every earlier offset is done. Committing 12 because offset 11 finished while 10 is
 * still running breaks that promise, and a crash then loses offset 10.
 */
export class LowWatermark {
  private next: number
  private readonly finished = new Set<number>()

  /** `start`: the first offset this consumer will process (its position when assigned). */
  constructor(start: number) {
    this.next = start
  }

  /** The offset to commit now: every offset below it is done. */
  get committable(): number {
    return this.next
  }

  /** Offsets done above the watermark, waiting for an earlier one. */
  get waiting(): number[] {
    return [...this.finished].sort((a, b) => a - b)
  }

  /**
   * Marks `offset` done. Returns the new low watermark when it moved (the offset to commit),
   * or undefined when an earlier offset is still running.
   */
  finish(offset: number): number | undefined {
    if (offset < this.next) return undefined
    this.finished.add(offset)
    const before = this.next
    while (this.finished.delete(this.next)) this.next++
    return this.next === before ? undefined : this.next
  }
}
