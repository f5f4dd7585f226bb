/**
 * Where the segments' batch indexes keep their entries once they outgrow the few V8 keeps inside
 * the array object: ranges carved out of shared slabs, as a kernel's slab allocator or Node's
 * Buffer pool does, rather than an ArrayBuffer of their own per growth. An index reads its range
 * through the slab's one Float64Array, from the range's base: no view object per index either,
 * whose header would be one more cold read per append at 10 000 partitions, the slab's array
 * being shared by the indexes cut from it. V8 allocates each
 * ArrayBuffer's memory apart from the heap (zeroed, and registered with the garbage collector as
 * external memory), about twenty times the cost of a view of memory already there; a produce that
 * spreads 1 000 records over 1 000 partitions appends 3 000 one-record batches, and the indexes
 * doubling under them were among the broker's largest costs per batch (issue 15).
 *
 * Ranges come in power-of-two lengths (one size class per length), each class from slabs cut for
 * it: a slab is one ArrayBuffer of 64 KiB cut into equal ranges, handed out in order and then from
 * the ranges given back to it, and cut again for any class once all are back. A range is given
 * back when its index grows into a larger one (the index no longer reads the old one) and when
 * its index is collected (a FinalizationRegistry gives back the range an unreachable index held):
 * a segment dropped by retention, truncation, the cleaner's replacement, topic deletion or a
 * closed cluster returns its range without each of those paths having to say so, and never while
 * anything can still read through that index. A slab all of whose ranges are back waits among a
 * few spare ones or is collected with its views, so a closed cluster's slabs do not outlive it
 * but for those few. A range whose index is never collected is never reused: the cost of a leak
 * is the memory that index holds anyway.
 */

/** The bytes of every slab; a range longer than half of it is an array of its own. */
const SLAB_BYTES = 64 * 1024
/** How many empty slabs wait to be cut again (for any size class) before one is left to the garbage collector. */
const MAX_SPARE_SLABS = 32

const NO_SLOTS = new Float64Array(0)

/**
 * One Float64Array cut into equal ranges of `length` doubles. It serves one size class at a time:
 * once every range is back, it may be cut again for another (the indexes of a broker's partitions
 * grow together, so the ranges they leave empty whole slabs that the next size takes).
 */
export class Slab {
  readonly array: Float64Array
  length = 0
  capacity = 0
  /** Ranges handed out once, in order from the start of the array. */
  carved = 0
  /** The bases of the ranges given back, ready to be handed out again. */
  free: number[] = []
  /** Ranges handed out and not yet given back. */
  live = 0
  /** Whether the slab is on its size class's list (it has a range to hand out). */
  listed = false

  constructor(bytes: number) {
    this.array = new Float64Array(bytes / Float64Array.BYTES_PER_ELEMENT)
  }

  /** Cuts the (empty) slab into ranges of `length` doubles. */
  cut(length: number): void {
    this.length = length
    this.capacity = this.array.length / length
    this.carved = 0
    this.free = []
  }

  get full(): boolean {
    return this.free.length === 0 && this.carved === this.capacity
  }
}

/**
 * What an owner holds of a SlotSlabs: its range, doubles [base, base + length) of `array`, and
 * the slab that array is (undefined when it is an array of its own, or the owner's first, on-heap
 * one). The owner reads and writes only inside its range; only the allocator changes the lease.
 */
export class SlotLease {
  array: Float64Array
  base = 0
  length: number
  slab: Slab | undefined = undefined

  constructor(array: Float64Array) {
    this.array = array
    this.length = array.length
  }
}

export class SlotSlabs {
  /** Per size class (log2 of the range length), the slabs cut for it that have a range to hand out; taken from the last. */
  private readonly classes: Slab[][] = []
  /** Empty slabs, ready to be cut for any class. */
  private readonly spare: Slab[] = []
  private readonly slabBytes: number
  private readonly maxSpare: number
  /** Gives back the range of a lease whose owner was collected. */
  private readonly collected = new FinalizationRegistry<SlotLease>((lease) => this.release(lease))

  constructor(slabBytes = SLAB_BYTES, maxSpare = MAX_SPARE_SLABS) {
    this.slabBytes = slabBytes
    this.maxSpare = maxSpare
  }

  /**
   * A lease for `owner`, holding `initial` (an array of the owner's own, never given back): its
   * range returns to the slabs when the owner is collected.
   */
  lease(owner: object, initial: Float64Array): SlotLease {
    const lease = new SlotLease(initial)
    this.collected.register(owner, lease)
    return lease
  }

  /**
   * Moves `lease` to a range of `length` doubles (a power of two), its first `keep` doubles copied
   * from the old range, which goes back to its slab.
   */
  move(lease: SlotLease, length: number, keep: number): void {
    const oldArray = lease.array
    const oldBase = lease.base
    const oldSlab = lease.slab
    const slab = this.slabFor(length)
    let array: Float64Array
    let base: number
    if (slab === undefined) {
      array = new Float64Array(length)
      base = 0
    } else {
      array = slab.array
      base = slab.free.pop() ?? slab.carved++ * length
      slab.live++
      if (slab.full) this.unlist(slab)
    }
    if (keep > 0) {
      if (array === oldArray) array.copyWithin(base, oldBase, oldBase + keep)
      else array.set(oldBase === 0 && keep === oldArray.length ? oldArray : oldArray.subarray(oldBase, oldBase + keep), base)
    }
    lease.array = array
    lease.base = base
    lease.length = length
    lease.slab = slab
    if (oldSlab !== undefined) this.giveBack(oldSlab, oldBase)
  }

  /**
   * Gives back `lease`'s range; the lease then holds no range. Only for a lease nothing will
   * read through again (the owner's collection, tests).
   */
  release(lease: SlotLease): void {
    const slab = lease.slab
    const base = lease.base
    lease.array = NO_SLOTS
    lease.base = 0
    lease.length = 0
    lease.slab = undefined
    if (slab !== undefined) this.giveBack(slab, base)
  }

  /** The slabs cut for a class with a range to hand out, the empty ones waiting, and the ranges handed out of the former (for tests). */
  get stats(): { listedSlabs: number; spareSlabs: number; liveRanges: number } {
    let listedSlabs = 0
    let liveRanges = 0
    for (const slabs of this.classes) {
      if (slabs === undefined) continue
      listedSlabs += slabs.length
      for (const s of slabs) liveRanges += s.live
    }
    return { listedSlabs, spareSlabs: this.spare.length, liveRanges }
  }

  /** The slab to take a range of `length` from, undefined when such a range is an array of its own. */
  private slabFor(length: number): Slab | undefined {
    if (length * Float64Array.BYTES_PER_ELEMENT * 2 > this.slabBytes) return undefined
    const slabs = (this.classes[31 - Math.clz32(length)] ??= [])
    const last = slabs[slabs.length - 1]
    if (last !== undefined) return last
    const slab = this.spare.pop() ?? new Slab(this.slabBytes)
    slab.cut(length)
    slab.listed = true
    slabs.push(slab)
    return slab
  }

  private giveBack(slab: Slab, base: number): void {
    slab.free.push(base)
    slab.live--
    if (!slab.listed) {
      slab.listed = true
      this.classes[31 - Math.clz32(slab.length)]!.push(slab)
    }
    if (slab.live === 0) {
      // Empty: off its class's list, to be cut again for whichever class needs a slab next, or left to the garbage collector.
      this.unlist(slab)
      if (this.spare.length < this.maxSpare) this.spare.push(slab)
    }
  }

  /** Takes `slab` off its class's list (a full slab, or an empty one). */
  private unlist(slab: Slab): void {
    const slabs = this.classes[31 - Math.clz32(slab.length)]!
    const at = slabs.lastIndexOf(slab)
    slabs[at] = slabs[slabs.length - 1]!
    slabs.pop()
    slab.listed = false
  }
}

/**
 * The slabs every batch index takes from, shared as Node's Buffer pool is: which range an index
 * gets is nothing anyone can observe, and a slab outlives a cluster only while a range in it is
 * handed out or it waits, empty, among the few kept for reuse.
 */
export const indexSlots = new SlotSlabs()
