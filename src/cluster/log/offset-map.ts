import type { RecordBatch } from './record-batch.js'

const EMPTY = -1

/**
 * The cleaner's key -> last offset map (Kafka's OffsetMap / SkimpyOffsetMap). Kafka keys it
 * by an MD5 of the key in a fixed buffer and accepts the tiny chance of a collision; here the
 * table is an open-addressing hash table over typed arrays that remembers where each key's
 * bytes live (a batch and a record index), so a hash collision is resolved by comparing the
 * bytes and the answer is always exact. Nothing is allocated per record: the keys are never
 * copied out of their batches' slabs.
 *
 * It lives for one cleaning pass, during which the batches it points into are immutable.
 */
export class OffsetMap {
  private capacity: number
  private mask: number
  private hashes: Int32Array
  private offsets: Float64Array
  private keyBatches: (RecordBatch | undefined)[]
  private keyIndexes: Int32Array
  private count = 0
  /** The last offset the map covers: records above it are not judged by the map. */
  latestOffset = -1

  constructor(initialCapacity = 1024) {
    let capacity = 16
    while (capacity < initialCapacity) capacity *= 2
    this.capacity = capacity
    this.mask = capacity - 1
    this.hashes = new Int32Array(capacity)
    this.offsets = new Float64Array(capacity).fill(EMPTY)
    this.keyBatches = new Array<RecordBatch | undefined>(capacity)
    this.keyIndexes = new Int32Array(capacity)
  }

  get size(): number {
    return this.count
  }

  /** Records that the key of record `index` of `batch` was last seen at `offset`. */
  put(batch: RecordBatch, index: number, offset: number): void {
    if ((this.count + 1) * 4 > this.capacity * 3) this.grow()
    const hash = batch.keyHashAt(index)
    let slot = mix(hash) & this.mask
    for (;;) {
      if (this.offsets[slot] === EMPTY) {
        this.hashes[slot] = hash
        this.offsets[slot] = offset
        this.keyBatches[slot] = batch
        this.keyIndexes[slot] = index
        this.count++
        return
      }
      if (this.hashes[slot] === hash && batch.keyEqualsAt(index, this.keyBatches[slot]!, this.keyIndexes[slot]!)) {
        this.offsets[slot] = offset
        // Point at the newest copy of the key: older batches may be released sooner.
        this.keyBatches[slot] = batch
        this.keyIndexes[slot] = index
        return
      }
      slot = (slot + 1) & this.mask
    }
  }

  /** The last offset recorded for the key of record `index` of `batch`, or -1. */
  get(batch: RecordBatch, index: number): number {
    const hash = batch.keyHashAt(index)
    let slot = mix(hash) & this.mask
    for (;;) {
      const offset = this.offsets[slot]!
      if (offset === EMPTY) return -1
      if (this.hashes[slot] === hash && batch.keyEqualsAt(index, this.keyBatches[slot]!, this.keyIndexes[slot]!)) return offset
      slot = (slot + 1) & this.mask
    }
  }

  /** Every offset in the map, ascending: the records that are the last of their key. */
  offsetsInOrder(): Float64Array {
    const out = new Float64Array(this.count)
    let n = 0
    for (let i = 0; i < this.capacity; i++) if (this.offsets[i] !== EMPTY) out[n++] = this.offsets[i]!
    return out.sort()
  }

  private grow(): void {
    const old = { hashes: this.hashes, offsets: this.offsets, keyBatches: this.keyBatches, keyIndexes: this.keyIndexes, capacity: this.capacity }
    this.capacity *= 2
    this.mask = this.capacity - 1
    this.hashes = new Int32Array(this.capacity)
    this.offsets = new Float64Array(this.capacity).fill(EMPTY)
    this.keyBatches = new Array<RecordBatch | undefined>(this.capacity)
    this.keyIndexes = new Int32Array(this.capacity)
    for (let i = 0; i < old.capacity; i++) {
      if (old.offsets[i] === EMPTY) continue
      let slot = mix(old.hashes[i]!) & this.mask
      while (this.offsets[slot] !== EMPTY) slot = (slot + 1) & this.mask
      this.hashes[slot] = old.hashes[i]!
      this.offsets[slot] = old.offsets[i]!
      this.keyBatches[slot] = old.keyBatches[i]
      this.keyIndexes[slot] = old.keyIndexes[i]!
    }
  }
}

/** Spreads FNV's low bits (murmur3's finaliser), since the table uses only the low bits. */
function mix(hash: number): number {
  let h = hash
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h
}
