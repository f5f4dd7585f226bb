/**
 * A bare Kafka client for the wire server's tests: it writes frames (raw bytes, or requests
 * encoded with memkafka's own codec) and reads response frames in order, so a test can send
 * exactly the bytes it means, malformed ones included.
 */
import { connect, type Socket } from 'node:net'
import { FrameDecoder } from '../../../src/wire/frame-decoder.js'
import { encodeMessage, decodeMessage } from '../../../src/wire/protocol/codec.js'
import { decodeResponseHeader, encodeRequestHeader } from '../../../src/wire/protocol/header.js'
import { Reader } from '../../../src/wire/protocol/reader.js'
import { Writer } from '../../../src/wire/protocol/writer.js'
import type { ApiSchema, WireMessage } from '../../../src/wire/protocol/schema.js'

export class RawClient {
  readonly socket: Socket
  private readonly decoder = new FrameDecoder(1 << 30)
  private readonly frames: Buffer[] = []
  private waiters: ((frame: Buffer | undefined) => void)[] = []
  private ended = false
  /** Resolves when the server closes the connection (or it errors). */
  readonly closed: Promise<void>

  private constructor(socket: Socket) {
    this.socket = socket
    socket.on('data', (chunk: Buffer) => {
      this.decoder.push(chunk)
      for (let f = this.decoder.next(); f; f = this.decoder.next()) {
        const waiter = this.waiters.shift()
        if (waiter) waiter(f)
        else this.frames.push(f)
      }
    })
    socket.on('error', () => {})
    this.closed = new Promise((resolve) =>
      socket.once('close', () => {
        this.ended = true
        for (const w of this.waiters) w(undefined)
        this.waiters = []
        resolve()
      }),
    )
  }

  static connect(port: number, host = '127.0.0.1'): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host })
      socket.once('connect', () => {
        socket.off('error', reject)
        resolve(new RawClient(socket))
      })
      socket.once('error', reject)
    })
  }

  get isClosed(): boolean {
    return this.ended
  }

  /** Writes bytes as they are. */
  writeRaw(bytes: Buffer): void {
    this.socket.write(bytes)
  }

  /** Writes one frame: the int32 size, then the body. */
  writeFrame(body: Buffer): void {
    const size = Buffer.alloc(4)
    size.writeInt32BE(body.length)
    this.socket.write(Buffer.concat([size, body]))
  }

  /** Writes a request encoded with memkafka's codec. */
  sendRequest(schema: ApiSchema, version: number, correlationId: number, body: WireMessage, clientId: string | null = 'raw-client'): void {
    this.writeFrame(encodeRequest(schema, version, correlationId, body, clientId))
  }

  /** The next response frame, or undefined if the connection closes first. */
  nextFrame(): Promise<Buffer | undefined> {
    const ready = this.frames.shift()
    if (ready) return Promise.resolve(ready)
    if (this.ended) return Promise.resolve(undefined)
    return new Promise((resolve) => this.waiters.push(resolve))
  }

  /** The next response, decoded as `schema`'s response at `version`. */
  async nextResponse(schema: ApiSchema, version: number): Promise<{ correlationId: number; body: WireMessage } | undefined> {
    const frame = await this.nextFrame()
    if (!frame) return undefined
    return decodeResponse(schema, version, frame)
  }

  close(): Promise<void> {
    this.socket.end()
    this.socket.destroy()
    return this.closed
  }
}

export function encodeRequest(schema: ApiSchema, version: number, correlationId: number, body: WireMessage, clientId: string | null = 'raw-client'): Buffer {
  const writer = new Writer()
  encodeRequestHeader(writer, { apiKey: schema.apiKey, apiVersion: version, correlationId, clientId }, (key) => (key === schema.apiKey ? schema : undefined))
  encodeMessage(schema.request, version, body, writer)
  return writer.toBuffer()
}

export function decodeResponse(schema: ApiSchema, version: number, frame: Buffer): { correlationId: number; body: WireMessage } {
  const reader = new Reader(frame)
  const correlationId = decodeResponseHeader(reader, schema.apiKey, version, (key) => (key === schema.apiKey ? schema : undefined))
  const body = decodeMessage(schema.response, version, reader)
  if (reader.remaining() !== 0) throw new Error(`${reader.remaining()} bytes left after the ${schema.name} v${version} response`)
  return { correlationId, body }
}
