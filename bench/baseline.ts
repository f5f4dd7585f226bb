/**
 * The raw-JS baseline of DESIGN.md: "append the same records to an array; an async loop over
 * them". Each benchmark runs the baseline version of its own work next to memkafka's, so the
 * ratio between the two says how much the emulation costs on this machine, whatever the
 * machine's speed.
 */

/** What a minimal in-memory log keeps per record. */
export interface RawRecord {
  readonly offset: number
  readonly timestamp: number
  readonly key: Buffer | null
  readonly value: Buffer | null
}

export interface RawMessage {
  readonly key?: Buffer | null
  readonly value: Buffer | null
}

/** A log that is an array. `append` is async so that callers await it like a send. */
export class RawLog {
  readonly records: RawRecord[] = []

  async append(messages: readonly RawMessage[], copy = false): Promise<number> {
    const timestamp = performance.now()
    for (const message of messages) {
      const value = copy && message.value ? Buffer.from(message.value) : message.value
      this.records.push({ offset: this.records.length, timestamp, key: message.key ?? null, value })
    }
    return this.records.length
  }

  clear(): void {
    this.records.length = 0
  }
}

/** The eachMessage baseline: an async loop calling an async handler per record. */
export async function rawEachMessage(records: readonly RawRecord[], handler: (record: RawRecord) => Promise<void>): Promise<void> {
  for (const record of records) await handler(record)
}

/** The eachBatch baseline: an async handler per slice of `batchSize` records. */
export async function rawEachBatch(
  records: readonly RawRecord[],
  batchSize: number,
  handler: (batch: readonly RawRecord[]) => Promise<void>,
): Promise<void> {
  for (let start = 0; start < records.length; start += batchSize) await handler(records.slice(start, start + batchSize))
}

/**
 * The latency baseline: an array with one async reader parked on it. `append` wakes the reader
 * the way a long poll is woken, so append -> handler is one promise hop.
 */
export class RawQueue {
  private readonly records: RawRecord[] = []
  private waiter: ((record: RawRecord) => void) | undefined
  private readIndex = 0

  append(message: RawMessage): void {
    const record: RawRecord = { offset: this.records.length, timestamp: performance.now(), key: message.key ?? null, value: message.value }
    this.records.push(record)
    const waiter = this.waiter
    if (waiter) {
      this.waiter = undefined
      this.readIndex++
      waiter(record)
    }
  }

  next(): Promise<RawRecord> {
    if (this.readIndex < this.records.length) return Promise.resolve(this.records[this.readIndex++]!)
    return new Promise((resolve) => {
      this.waiter = resolve
    })
  }
}
