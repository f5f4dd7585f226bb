/**
 * Kafka's framing: every request is an int32 size followed by that many bytes. A socket
 * delivers chunks that split and join frames anywhere; the decoder gathers them and hands out
 * whole frames.
 *
 * The size is checked before anything is allocated for the frame, as Kafka's NetworkReceive
 * does against socket.request.max.bytes: a negative size or one above the cap is an
 * InvalidReceiveException there and a FrameSizeError here, and the connection is closed.
 */

/** Kafka's default socket.request.max.bytes: 100 MiB. */
export const DEFAULT_MAX_REQUEST_BYTES = 100 * 1024 * 1024

export class FrameSizeError extends Error {
  readonly size: number

  constructor(size: number, maxBytes: number) {
    super(size < 0 ? `Invalid receive (size = ${size})` : `Invalid receive (size = ${size} larger than ${maxBytes})`)
    this.name = 'FrameSizeError'
    this.size = size
  }
}

export class FrameDecoder {
  private readonly maxBytes: number
  /** Chunks received and not yet handed out, oldest first; the first starts at `offset`. */
  private chunks: Buffer[] = []
  private offset = 0
  private buffered = 0
  /** The size of the frame being gathered, once its 4 size bytes are in. */
  private pendingSize = -1

  constructor(maxBytes = DEFAULT_MAX_REQUEST_BYTES) {
    this.maxBytes = maxBytes
  }

  /** Bytes received that are not yet part of a frame handed out. */
  get bufferedBytes(): number {
    return this.buffered
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return
    this.chunks.push(chunk)
    this.buffered += chunk.length
  }

  /**
   * The next whole frame (without its size prefix), or undefined until more bytes arrive.
   * Throws FrameSizeError for a size Kafka refuses; the decoder is then unusable.
   */
  next(): Buffer | undefined {
    if (this.pendingSize < 0) {
      if (this.buffered < 4) return undefined
      const size = this.take(4).readInt32BE(0)
      if (size < 0 || size > this.maxBytes) throw new FrameSizeError(size, this.maxBytes)
      this.pendingSize = size
    }
    if (this.buffered < this.pendingSize) return undefined
    const frame = this.take(this.pendingSize)
    this.pendingSize = -1
    return frame
  }

  /** Removes `n` buffered bytes: a view when they lie in one chunk, else one copy. */
  private take(n: number): Buffer {
    this.buffered -= n
    const first = this.chunks[0]
    if (n === 0) return Buffer.alloc(0)
    if (first !== undefined && first.length - this.offset >= n) {
      const view = first.subarray(this.offset, this.offset + n)
      this.offset += n
      if (this.offset === first.length) {
        this.chunks.shift()
        this.offset = 0
      }
      return view
    }
    const out = Buffer.allocUnsafe(n)
    let written = 0
    while (written < n) {
      const chunk = this.chunks[0]!
      const available = chunk.length - this.offset
      const used = Math.min(available, n - written)
      chunk.copy(out, written, this.offset, this.offset + used)
      written += used
      if (used === available) {
        this.chunks.shift()
        this.offset = 0
      } else {
        this.offset += used
      }
    }
    return out
  }
}
