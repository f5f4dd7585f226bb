/**
 * The virtual clocks' pending timers: a binary min-heap on (due, seq), so that ties run in the
 * order they were scheduled. Each timer knows its place in the heap, so cancelling one takes it
 * out at once (O(log n)): a cancelled timer left in place until it reached the top kept what
 * its owner hung on it alive that long, and a group's members each park a fetch timer per
 * leader at every rebalance and cancel it at the next, so young-generation collections copied
 * every one of them into the old generation (issue 15). Finding the next timer is O(1),
 * adding, running or cancelling one O(log n), where a scan of every pending timer per timer run
 * made advancing past many timers quadratic (issue 15).
 */
export interface HeapTimer {
  readonly due: number
  readonly seq: number
  cancelled: boolean
  /** Its index in the heap while pending; -1 once cancelled or taken (the heap's to set). */
  heapIndex: number
}

export class TimerHeap<T extends HeapTimer> {
  private readonly heap: T[] = []

  /** Timers scheduled and not cancelled nor taken. */
  get size(): number {
    return this.heap.length
  }

  add(timer: T): void {
    timer.heapIndex = this.heap.length
    this.heap.push(timer)
    this.siftUp(timer.heapIndex)
  }

  /** Takes a pending timer off the heap; it reads as cancelled from then on (the caller checks it is pending, once). */
  cancel(timer: T): void {
    timer.cancelled = true
    const at = timer.heapIndex
    if (at < 0) return
    this.removeAt(at)
  }

  /** The earliest pending timer, left in place. */
  peek(): T | undefined {
    return this.heap[0]
  }

  /**
   * How many pending timers are due at `due`, the earliest due time (peek()'s): they fill a
   * subtree at the heap's root, walked without the timers behind them.
   */
  countDueAt(due: number): number {
    const heap = this.heap
    if (heap.length === 0 || heap[0]!.due !== due) return 0
    let count = 0
    const stack = this.walk
    stack.push(0)
    while (stack.length > 0) {
      const at = stack.pop()!
      count++
      const l = 2 * at + 1
      if (l < heap.length && heap[l]!.due === due) stack.push(l)
      if (l + 1 < heap.length && heap[l + 1]!.due === due) stack.push(l + 1)
    }
    return count
  }

  /** countDueAt's work list, kept between calls. */
  private readonly walk: number[] = []

  /** Takes the earliest pending timer off the heap; it reads as cancelled from then on (clearing it does nothing). */
  take(): T | undefined {
    const top = this.heap[0]
    if (top === undefined) return undefined
    top.cancelled = true
    this.removeAt(0)
    return top
  }

  private removeAt(at: number): void {
    const heap = this.heap
    const removed = heap[at]!
    removed.heapIndex = -1
    const last = heap.pop()!
    if (at === heap.length) return
    heap[at] = last
    last.heapIndex = at
    // The last timer may belong above or below the hole it fills.
    if (at > 0 && earlier(last, heap[(at - 1) >> 1]!)) this.siftUp(at)
    else this.siftDown(at)
  }

  private siftUp(start: number): void {
    const heap = this.heap
    const timer = heap[start]!
    let i = start
    while (i > 0) {
      const parent = (i - 1) >> 1
      const above = heap[parent]!
      if (!earlier(timer, above)) break
      heap[i] = above
      above.heapIndex = i
      i = parent
    }
    heap[i] = timer
    timer.heapIndex = i
  }

  private siftDown(start: number): void {
    const heap = this.heap
    const timer = heap[start]!
    const n = heap.length
    let i = start
    for (;;) {
      const l = 2 * i + 1
      if (l >= n) break
      const r = l + 1
      const child = r < n && earlier(heap[r]!, heap[l]!) ? r : l
      const below = heap[child]!
      if (!earlier(below, timer)) break
      heap[i] = below
      below.heapIndex = i
      i = child
    }
    heap[i] = timer
    timer.heapIndex = i
  }
}

function earlier(a: HeapTimer, b: HeapTimer): boolean {
  return a.due < b.due || (a.due === b.due && a.seq < b.seq)
}
