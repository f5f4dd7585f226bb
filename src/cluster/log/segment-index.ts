import type { LogSegment } from './segment.js'

/** Every index starts with no room: a log nobody searches costs no array. */
const NO_SLOTS = new Float64Array(0)
const FIRST_CAPACITY = 4

/**
 * A log's segments in flat arrays (Kafka keeps them in a map by base offset): each segment's base
 * offset and, over the sealed segments (all but the active one), the running max of their largest
 * timestamps. Which segment holds an offset, and the first sealed segment whose records reach a
 * timestamp, are then binary searches over a few cache lines rather than walks over segment
 * objects (issue 15: flat read cost however many segments a long log has rolled).
 *
 * A roll, the one change on the produce path, extends the arrays; every other change of the
 * segment list (retention, DeleteRecords, truncation, the cleaner) marks them stale, and the next
 * search rebuilds them from the list, once.
 */
export class SegmentIndex {
  /** Base offsets at [0, capacity); the running max of sealed segments' largest timestamps at [capacity + i]. */
  private slots = NO_SLOTS
  private capacity = 0
  /** Segments indexed; 0 when stale. */
  private size = 0

  constructor(private readonly segments: readonly LogSegment[]) {}

  /** The segment list changed other than by a roll: rebuild before the next search. */
  invalidate(): void {
    this.size = 0
  }

  /** A segment was added at the end of the list; the one before it is sealed. */
  rolled(): void {
    const n = this.size
    // Stale: the next search rebuilds everything anyway.
    if (n === 0 || n !== this.segments.length - 1) return this.invalidate()
    if (n === this.capacity) this.grow()
    const slots = this.slots
    const capacity = this.capacity
    slots[n] = this.segments[n]!.baseOffset
    const sealed = this.segments[n - 1]!.maxTimestamp
    slots[capacity + n - 1] = n === 1 || sealed > slots[capacity + n - 2]! ? sealed : slots[capacity + n - 2]!
    this.size = n + 1
  }

  /** Index of the segment holding `offset`: the last one whose base offset is <= it (0 when none is). */
  indexFor(offset: number): number {
    if (this.size === 0) this.rebuild()
    const slots = this.slots
    let lo = 0
    let hi = this.size - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1
      if (slots[mid]! <= offset) lo = mid
      else hi = mid - 1
    }
    return lo
  }

  /**
   * Index of the first sealed segment whose largest timestamp is >= `timestamp`; the active
   * segment's index when none is. No segment before the answer holds a record that recent.
   */
  firstReaching(timestamp: number): number {
    if (this.size === 0) this.rebuild()
    const slots = this.slots
    const base = this.capacity
    let lo = 0
    let hi = this.size - 1
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (slots[base + mid]! < timestamp) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  private rebuild(): void {
    const segments = this.segments
    const n = segments.length
    while (this.capacity < n) this.grow()
    const slots = this.slots
    const capacity = this.capacity
    let max = -Infinity
    for (let i = 0; i < n; i++) {
      slots[i] = segments[i]!.baseOffset
      if (i < n - 1) {
        const largest = segments[i]!.maxTimestamp
        if (largest > max) max = largest
        slots[capacity + i] = max
      }
    }
    this.size = n
  }

  private grow(): void {
    const old = this.slots
    const oldCapacity = this.capacity
    const capacity = oldCapacity === 0 ? FIRST_CAPACITY : oldCapacity * 2
    const slots = new Float64Array(capacity * 2)
    slots.set(old.subarray(0, oldCapacity), 0)
    slots.set(old.subarray(oldCapacity, oldCapacity * 2), capacity)
    this.slots = slots
    this.capacity = capacity
  }
}
