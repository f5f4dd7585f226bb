import type { RecordBatch } from './record-batch.js'
import { timestampsAscend } from './record-search.js'
import { firstAtLeastFrom, interpolate } from './ascending-search.js'

/** Every index starts with no room: a segment that never holds a batch costs no array. */
const NO_SLOTS = new Float64Array(0)
const FIRST_CAPACITY = 4

/** What BatchIndex.timestampsAscend has learnt about a batch's record timestamps. */
const ORDER_UNKNOWN = 0
const ORDER_ASCENDING = 1
const ORDER_UNORDERED = 2

/**
 * A segment's offset and time index (Kafka keeps a sparse .index and .timeindex file beside each
 * segment): per batch, in flat typed arrays, its last offset and the running max of the batches'
 * max timestamps up to it. A binary search over them reads a few cache lines of one array, where a
 * search over the batch objects themselves reads one object per step, spread over the heap: in a
 * log of 10 M records that is ~14 cache misses per Fetch and per ListOffsets (issue 15).
 *
 * One entry per batch (16 bytes, and a byte per batch once a ListOffsets has searched the
 * segment), never per record. The segment keeps it in step with its batches: append, truncation,
 * and the cleaner's replacement of the whole list.
 */
export class BatchIndex {
  /** lastOffset of batch i at [i]; the running max timestamp of batches 0..i at [capacity + i]. */
  private slots: Float64Array = NO_SLOTS
  private capacity = 0
  private size = 0
  /**
   * Per batch, whether its records' timestamps never decrease (ORDER_*), learnt on the first
   * ListOffsets that searches the batch; undefined until then.
   */
  private order: Uint8Array | undefined

  get length(): number {
    return this.size
  }

  append(lastOffset: number, maxTimestamp: number): void {
    const n = this.size
    if (n === this.capacity) this.grow()
    const slots = this.slots
    const capacity = this.capacity
    slots[n] = lastOffset
    slots[capacity + n] = n === 0 || maxTimestamp > slots[capacity + n - 1]! ? maxTimestamp : slots[capacity + n - 1]!
    this.size = n + 1
  }

  /** Keeps the first `length` batches. */
  truncate(length: number): void {
    if (length >= this.size) return
    // What was learnt about the dropped batches must not stick to the ones that take their places.
    if (this.order !== undefined) this.order.fill(ORDER_UNKNOWN, length, this.size)
    this.size = length
  }

  /** Indexes `batches` afresh (the cleaner's output replacing a segment's batches). */
  reset(batches: readonly RecordBatch[]): void {
    this.size = 0
    this.order = undefined
    for (let i = 0; i < batches.length; i++) this.append(batches[i]!.lastOffset, batches[i]!.maxTimestamp)
  }

  /** Index of the first batch whose last offset is >= `offset` (length when none). */
  indexForOffset(offset: number): number {
    return firstAtLeast(this.slots, 0, this.size, offset)
  }

  /** Index of the first batch whose max timestamp is >= `timestamp` (length when none). */
  firstReaching(timestamp: number): number {
    const base = this.capacity
    return firstAtLeast(this.slots, base, base + this.size, timestamp) - base
  }

  /** The largest max timestamp of batches 0..i. */
  runningMaxAt(i: number): number {
    return this.slots[this.capacity + i]!
  }

  /** The largest max timestamp of all batches, -1 when there are none (or none has a timestamp). */
  get maxTimestamp(): number {
    const n = this.size
    if (n === 0) return -1
    const max = this.slots[this.capacity + n - 1]!
    return max > -1 ? max : -1
  }

  /** Whether batch i (`batch`) has record timestamps that never decrease: checked once, then remembered. */
  timestampsAscend(i: number, batch: RecordBatch): boolean {
    let order = this.order
    if (order === undefined) order = this.order = new Uint8Array(this.capacity)
    let known = order[i]!
    if (known === ORDER_UNKNOWN) {
      known = timestampsAscend(batch) ? ORDER_ASCENDING : ORDER_UNORDERED
      order[i] = known
    }
    return known === ORDER_ASCENDING
  }

  private grow(): void {
    const n = this.size
    const old = this.slots
    const oldCapacity = this.capacity
    const capacity = oldCapacity === 0 ? FIRST_CAPACITY : oldCapacity * 2
    const slots = new Float64Array(capacity * 2)
    slots.set(old.subarray(0, n), 0)
    slots.set(old.subarray(oldCapacity, oldCapacity + n), capacity)
    this.slots = slots
    this.capacity = capacity
    if (this.order !== undefined) {
      const order = new Uint8Array(capacity)
      order.set(this.order.subarray(0, n))
      this.order = order
    }
  }
}

/**
 * Index of the first of values[from..to) that is >= `target` (`to` when none), for values that
 * never decrease: probed where `target` falls between the first and the last value (see
 * firstAtLeastFrom).
 */
function firstAtLeast(values: Float64Array, from: number, to: number, target: number): number {
  if (from >= to) return from
  const first = values[from]!
  if (first >= target) return from
  const last = values[to - 1]!
  if (last < target) return to
  // first < target <= last: the answer lies in (from, to - 1].
  return firstAtLeastFrom(values, from + 1, to - 1, target, interpolate(from, to, target, first, last))
}
