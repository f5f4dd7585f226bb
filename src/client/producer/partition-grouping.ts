/** The most partitions a counting sort's table covers (kept from send to send: 512 KB). */
const COUNTING_SORT_LIMIT = 1 << 17

/** The largest send whose tables are kept for the next send (1.5 MB of them). */
const KEPT_SIZE = 1 << 16

/**
 * A send's messages for one topic grouped by partition (kafkajs's groupMessagesPerPartition):
 * the partitions in ascending order, each with its messages in the order they were given.
 *
 * Without a list or map entry per partition (issue 15: a keyless send of 1 000 spreads over up
 * to 1 000 partitions), and without a typed array per send: the tables are kept from one send
 * to the next and grow when a send is larger. The grouping is an order of the message indexes
 * (`order`) cut into runs, one per partition:
 * - partitions already ascending (one partition, a keyed send to one key): the given order;
 * - ascending with one wrap (the round robin of keyless messages over more partitions than
 *   messages: p, p+1, ..., last, 0, 1, ...): the part after the wrap, then the part before it;
 * - otherwise a counting sort by partition when the partitions are not too many for the
 *   messages (a send of 1 000 over 10 to 10 000 partitions), else a numeric sort of
 *   (partition, index) keys.
 * Each keeps a partition's messages in their order.
 */
export class PartitionGrouping {
  /**
   * The partition of each message, by message index (filled by the caller through
   * `partitions(count)`). Doubles: a custom partitioner may name any integer >= 0, which the
   * leader lookup then refuses.
   */
  private partitionOf = new Float64Array(16)
  /** The message indexes, grouped by partition. */
  order = new Int32Array(16)
  /** The partitions met, ascending: the first `runCount` entries. */
  runPartition = new Float64Array(16)
  /** runStart[r] .. runStart[r + 1]: the positions in `order` of runPartition[r]'s messages. */
  runStart = new Int32Array(17)
  runCount = 0
  /** For the caller: a table for each run's leader. */
  leaders = new Int32Array(16)
  private counts = new Int32Array(16)
  private keys = new Float64Array(16)

  /** The table to write each of `count` messages' partition into (an integer >= 0). */
  partitions(count: number): Float64Array {
    if (this.partitionOf.length < count) {
      const size = grown(count)
      this.partitionOf = new Float64Array(size)
      this.order = new Int32Array(size)
      this.runPartition = new Float64Array(size)
      this.runStart = new Int32Array(size + 1)
      this.leaders = new Int32Array(size)
    }
    return this.partitionOf
  }

  /** Groups the `count` messages whose partitions were written into partitions(count). */
  group(count: number): void {
    const partitionOf = this.partitionOf
    const order = this.order
    // Where the partitions stop ascending, and how often.
    let descents = 0
    let wrap = 0
    let highest = 0
    for (let i = 0; i < count; i++) {
      const p = partitionOf[i]!
      if (p > highest) highest = p
      if (i > 0 && p < partitionOf[i - 1]!) {
        descents++
        wrap = i
      }
    }
    if (descents === 0) {
      for (let i = 0; i < count; i++) order[i] = i
    } else if (descents === 1 && partitionOf[count - 1]! < partitionOf[0]!) {
      // Every partition after the wrap is below every one before it.
      let j = 0
      for (let i = wrap; i < count; i++) order[j++] = i
      for (let i = 0; i < wrap; i++) order[j++] = i
    } else if (highest < 16 * count && highest < COUNTING_SORT_LIMIT) {
      this.countingSort(count, highest)
    } else if ((highest + 1) * count <= Number.MAX_SAFE_INTEGER) {
      this.keySort(count)
    } else {
      // Partitions beyond any topic's (the leader lookup refuses them): sorted as they are.
      const sorted = Array.from(order.subarray(0, count), (_, i) => i).sort((a, b) => partitionOf[a]! - partitionOf[b]! || a - b)
      for (let j = 0; j < count; j++) order[j] = sorted[j]!
    }
    // The runs.
    const runPartition = this.runPartition
    const runStart = this.runStart
    let runs = 0
    let previous = -1
    for (let j = 0; j < count; j++) {
      const p = partitionOf[order[j]!]!
      if (p !== previous) {
        runPartition[runs] = p
        runStart[runs] = j
        runs++
        previous = p
      }
    }
    runStart[runs] = count
    this.runCount = runs
  }

  /** Whether the tables are small enough to keep for the next send (a send of 100 000 messages does not hold on to its). */
  keepable(): boolean {
    return this.partitionOf.length <= KEPT_SIZE && this.counts.length <= COUNTING_SORT_LIMIT
  }

  private countingSort(count: number, highest: number): void {
    if (this.counts.length < highest + 2) this.counts = new Int32Array(grown(highest + 2))
    const starts = this.counts
    const partitionOf = this.partitionOf
    starts.fill(0, 0, highest + 2)
    for (let i = 0; i < count; i++) starts[partitionOf[i]! + 1]!++
    for (let p = 1; p <= highest + 1; p++) starts[p]! += starts[p - 1]!
    const order = this.order
    for (let i = 0; i < count; i++) order[starts[partitionOf[i]!]!++] = i
  }

  /**
   * The indexes sorted by (partition, index): each message's partition and index packed into
   * one number, partition * count + index (exact: the caller checked it stays below 2^53),
   * sorted numerically, and the index taken back as the remainder.
   */
  private keySort(count: number): void {
    if (this.keys.length < count) this.keys = new Float64Array(this.partitionOf.length)
    const keys = this.keys
    const partitionOf = this.partitionOf
    for (let i = 0; i < count; i++) keys[i] = partitionOf[i]! * count + i
    const sorted = keys.subarray(0, count).sort()
    const order = this.order
    for (let j = 0; j < count; j++) order[j] = sorted[j]! % count
  }
}

/** A table size of at least `n`, doubled so that a run of growing sends reallocates rarely. */
function grown(n: number): number {
  let size = 16
  while (size < n) size *= 2
  return size
}
