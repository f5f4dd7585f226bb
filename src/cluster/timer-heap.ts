/**
 * The virtual clocks' pending timers: a binary min-heap on (due, seq), so that ties run in the
 * order they were scheduled, with lazy deletion (a cancelled timer stays until it reaches the
 * top, or until cancelled ones dominate and the heap is rebuilt without them). Finding the next
 * timer is O(1) and running one O(log n), where a scan of every pending timer per timer run made
 * advancing past many timers quadratic (a group's members each park a fetch timer per leader
 * and have a session timer: issue 15).
 */
export interface HeapTimer {
  readonly due: number
  readonly seq: number
  cancelled: boolean
}

export class TimerHeap<T extends HeapTimer> {
  private heap: T[] = []
  private live = 0

  /** Timers scheduled and not cancelled nor taken. */
  get size(): number {
    return this.live
  }

  add(timer: T): void {
    const heap = this.heap
    heap.push(timer)
    this.live++
    let i = heap.length - 1
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (!earlier(heap[i]!, heap[parent]!)) break
      const swap = heap[i]!
      heap[i] = heap[parent]!
      heap[parent] = swap
      i = parent
    }
  }

  /** Marks a pending timer cancelled (the caller checks it is pending, once). */
  cancel(timer: T): void {
    timer.cancelled = true
    this.live--
    if (this.heap.length > 1024 && this.heap.length > 4 * this.live) this.compact()
  }

  /** The earliest pending timer, left in place. */
  peek(): T | undefined {
    while (this.heap.length > 0 && this.heap[0]!.cancelled) this.removeTop()
    return this.heap[0]
  }

  /** Takes the earliest pending timer off the heap; it reads as cancelled from then on (clearing it does nothing). */
  take(): T | undefined {
    const top = this.peek()
    if (top === undefined) return undefined
    this.removeTop()
    this.live--
    top.cancelled = true
    return top
  }

  private removeTop(): void {
    const heap = this.heap
    const last = heap.pop()
    if (heap.length === 0 || !last) return
    heap[0] = last
    this.siftDown(0)
  }

  private siftDown(start: number): void {
    const heap = this.heap
    let i = start
    for (;;) {
      const l = 2 * i + 1
      const r = l + 1
      let smallest = i
      if (l < heap.length && earlier(heap[l]!, heap[smallest]!)) smallest = l
      if (r < heap.length && earlier(heap[r]!, heap[smallest]!)) smallest = r
      if (smallest === i) return
      const swap = heap[i]!
      heap[i] = heap[smallest]!
      heap[smallest] = swap
      i = smallest
    }
  }

  private compact(): void {
    this.heap = this.heap.filter((t) => !t.cancelled)
    for (let i = (this.heap.length >> 1) - 1; i >= 0; i--) this.siftDown(i)
  }
}

function earlier(a: HeapTimer, b: HeapTimer): boolean {
  return a.due < b.due || (a.due === b.due && a.seq < b.seq)
}
