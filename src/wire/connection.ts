/**
 * One client connection to one broker's listener: frames in, requests decoded and answered
 * through the cluster's request boundary, responses out.
 *
 * Requests on a connection are handled one at a time, in the order they arrived, as Kafka's
 * SocketServer does: its Processor mutes a channel from the moment a request is read until its
 * response has been sent (or, for acks=0 Produce, until the handler is done). Clients pipeline
 * (kafka-python's ApiVersions + Metadata probe, librdkafka's produce pipeline); their later
 * requests wait in the socket's buffer, so a long-poll Fetch delays the requests behind it and
 * responses always leave in request order.
 *
 * Bad input never reaches the cluster and never outlives its connection: a frame size Kafka
 * refuses, a truncated or undecodable request, an API key this server does not serve, or a
 * version outside the advertised range closes the connection with a logged reason, as Kafka
 * closes it on an InvalidRequestException. The one exception is ApiVersions at an unknown
 * version, which gets an UNSUPPORTED_VERSION answer (KIP-511).
 */
import type { Socket } from 'node:net'
import type { ClusterModel } from '../cluster/cluster-model.js'
import { settleMicrotasks } from '../cluster/clock.js'
import { BrokerUnreachableError } from '../cluster/error-codes.js'
import type { AdvertisedAddress, WireContext } from './api.js'
import { unsupportedVersionResponse } from './apis/18-api-versions.js'
import { FrameDecoder, FrameSizeError } from './frame-decoder.js'
import { encodeMessage, decodeMessage } from './protocol/codec.js'
import { API_VERSIONS_KEY, decodeRequestHeader, encodeResponseHeader, peekRequestHeader, type SchemaLookup } from './protocol/header.js'
import { Reader } from './protocol/reader.js'
import type { WireMessage } from './protocol/schema.js'
import { Writer } from './protocol/writer.js'
import type { ServedApi } from './served-apis.js'
import type { WireLogger, WireLogLevel } from './wire-log.js'
import { saslSessionFor, type SaslSession } from './sasl/sasl-session.js'

/**
 * Frames read ahead of the one being handled before the connection stops reading from its
 * socket (TCP then pushes back on the client). Kafka reads none ahead; a few save a round of
 * socket reads for pipelining clients without letting one client buffer without end.
 */
const MAX_QUEUED_FRAMES = 32
const MAX_QUEUED_BYTES = 16 * 1024 * 1024
/** Responses waiting for the next flush are written at once past this many bytes. */
const FLUSH_BYTES = 256 * 1024

export interface ConnectionOptions {
  readonly cluster: ClusterModel
  readonly brokerId: number
  readonly apis: ReadonlyMap<number, ServedApi>
  readonly supportedVersions: WireContext['supportedVersions']
  readonly advertised: (brokerId: number) => AdvertisedAddress | undefined
  readonly maxRequestBytes: number
  readonly log: WireLogger
  readonly asVersion?: string | undefined
  /** The listener's security protocol (PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL). */
  readonly securityProtocol: string
}

export class Connection {
  readonly socket: Socket
  /** The client's address as "host:port". */
  readonly peer: string
  /** The client's host as Kafka shows it ("/127.0.0.1"). */
  readonly clientHost: string
  private readonly options: ConnectionOptions
  private readonly decoder: FrameDecoder
  private readonly queue: Buffer[] = []
  private queuedBytes = 0
  private readingPaused = false
  private pumping = false
  private closedFlag = false
  private readonly abort = new AbortController()
  private readonly lookup: SchemaLookup
  /** Responses not yet written: flushed together once the requests at hand are answered. */
  private outgoing: Buffer[] = []
  private outgoingBytes = 0
  private flushScheduled = false
  /** Set while the socket's buffer is full: the next request waits for it to drain. */
  private draining: Promise<void> | undefined
  /** The client id of the last request read, for log lines. */
  private clientId: string | null = null
  /** SASL state on a SASL listener (security: src/wire/sasl/sasl-session.ts). */
  private readonly sasl: SaslSession | undefined
  /** Resolves once the socket is fully closed. */
  readonly closed: Promise<void>

  /** On an SSL listener, the principal of the client's certificate (DefaultKafkaPrincipalBuilder). */
  private readonly tlsPrincipal: string | undefined

  constructor(socket: Socket, options: ConnectionOptions, tls?: { readonly principal?: string | undefined; readonly remoteAddress?: string | undefined; readonly remotePort?: number | undefined }) {
    this.socket = socket
    this.options = options
    this.decoder = new FrameDecoder(options.maxRequestBytes)
    // Made in a local, then stored: see test/architecture/young-closures.test.ts.
    const lookup: SchemaLookup = (key) => options.apis.get(key)?.schema
    this.lookup = lookup
    const address = tls?.remoteAddress ?? socket.remoteAddress ?? 'unknown'
    this.peer = `${address.includes(':') ? `[${address}]` : address}:${tls?.remotePort ?? socket.remotePort ?? 0}`
    this.clientHost = `/${javaHostAddress(address)}`
    this.sasl = saslSessionFor(options.cluster, options.brokerId, javaHostAddress(address), options.securityProtocol)
    // SASL_SSL authenticates with SASL; SSL with the client certificate, if any (else ANONYMOUS).
    this.tlsPrincipal = options.securityProtocol === 'SSL' ? tls?.principal : undefined
    // Kafka's SocketServer sets TCP_NODELAY and SO_KEEPALIVE on every accepted socket.
    socket.setNoDelay(true)
    socket.setKeepAlive(true)
    this.closed = new Promise<void>((resolve) => socket.once('close', () => resolve()))
    socket.on('data', (chunk: Buffer) => this.onData(chunk))
    socket.on('end', () => this.close('the client closed the connection', 'debug'))
    socket.on('error', (error) => this.close(`socket error: ${error.message}`, 'debug'))
    socket.once('close', () => {
      this.closedFlag = true
      this.abort.abort()
    })
  }

  get isClosed(): boolean {
    return this.closedFlag
  }

  /**
   * Closes the connection at once (pending responses are lost, as when Kafka closes a channel).
   * `afterResponse`: the response just made must reach the client first (a failed SASL
   * exchange), so the socket ends once it is written instead of being destroyed under it (on TLS
   * the response is still being encrypted).
   */
  close(reason: string, level: WireLogLevel = 'warn', afterResponse = false): void {
    if (this.closedFlag) return
    this.closedFlag = true
    this.queue.length = 0
    this.queuedBytes = 0
    // The responses already made go first, as Kafka sent each before reading the next request.
    this.flush()
    this.abort.abort()
    if (afterResponse) this.socket.destroySoon()
    else this.socket.destroy()
    this.log(level, `closed the connection: ${reason}`)
  }

  private log(level: WireLogLevel, message: string): void {
    const who = this.clientId === null ? '' : ` (client id "${this.clientId}")`
    this.options.log({ level, message: `${message}${who}`, brokerId: this.options.brokerId, peer: this.peer })
  }

  private onData(chunk: Buffer): void {
    if (this.closedFlag) return
    this.decoder.push(chunk)
    try {
      for (let frame = this.decoder.next(); frame !== undefined; frame = this.decoder.next()) {
        this.queue.push(frame)
        this.queuedBytes += frame.length
      }
    } catch (error) {
      if (error instanceof FrameSizeError) return this.close(`${error.message} (socket.request.max.bytes)`)
      return this.close(`internal error reading frames: ${describeError(error)}`, 'error')
    }
    if (!this.readingPaused && (this.queue.length >= MAX_QUEUED_FRAMES || this.queuedBytes >= MAX_QUEUED_BYTES)) {
      this.readingPaused = true
      this.socket.pause()
    }
    void this.pump()
  }

  /** Handles queued requests one at a time until the queue is empty. */
  private async pump(): Promise<void> {
    if (this.pumping) return
    this.pumping = true
    try {
      while (!this.closedFlag) {
        const frame = this.queue.shift()
        if (frame === undefined) break
        this.queuedBytes -= frame.length
        if (this.readingPaused && this.queue.length < MAX_QUEUED_FRAMES / 2 && this.queuedBytes < MAX_QUEUED_BYTES / 2) {
          this.readingPaused = false
          this.socket.resume()
        }
        const response = await this.handle(frame)
        if (response && !this.closedFlag) this.send(response)
        if (this.sasl?.closeReason !== undefined) this.close(this.sasl.closeReason, 'info', true)
        if (this.draining) await this.draining
      }
    } catch (error) {
      // Nothing above should throw; if something does, this connection ends, never the process.
      this.close(`internal error: ${describeError(error)}`, 'error')
    } finally {
      this.pumping = false
    }
  }

  /** Answers one frame: the response's bytes, or undefined when none is sent (or the connection closed). */
  private async handle(frame: Buffer): Promise<Buffer[] | undefined> {
    // After SaslHandshake v0 the next frames are raw SASL tokens, not Kafka requests.
    if (this.sasl?.expectsRawToken) return this.sasl.rawToken(frame)
    const prefix = peekRequestHeader(frame)
    if (!prefix) {
      this.close(`a request of ${frame.length} bytes is shorter than a request header`)
      return undefined
    }
    const { apiKey, apiVersion, correlationId } = prefix
    const served = this.options.apis.get(apiKey)
    if (!served) {
      // Kafka closes on an API key it does not know; kafka-python's version probe relies on it.
      this.close(`unknown or unsupported API key ${apiKey}`)
      return undefined
    }
    const name = served.api.name
    if (apiVersion < served.minVersion || apiVersion > served.maxVersion) {
      if (apiKey === API_VERSIONS_KEY) {
        this.log('info', `ApiVersions v${apiVersion} is not supported: answering UNSUPPORTED_VERSION with v${served.minVersion}-${served.maxVersion}`)
        return this.encode(served, 0, correlationId, unsupportedVersionResponse(served))
      }
      this.close(`${name} v${apiVersion} is not supported (this server answers v${served.minVersion}-${served.maxVersion})`)
      return undefined
    }
    const saslRefusal = this.sasl?.refusal(apiKey, name)
    if (saslRefusal !== undefined) {
      this.close(saslRefusal)
      return undefined
    }
    const broker = this.options.cluster.broker(this.options.brokerId)
    if (!broker?.reachable || this.options.cluster.isClosed) {
      this.close(`broker ${this.options.brokerId} is not reachable: ${broker?.unreachableReason ?? 'the cluster is closed'}`, 'info')
      return undefined
    }

    let request: WireMessage
    let clientId: string | null
    try {
      const reader = new Reader(frame)
      clientId = decodeRequestHeader(reader, this.lookup).clientId
      request = decodeMessage(served.schema.request, apiVersion, reader)
    } catch (error) {
      this.close(`malformed ${name} v${apiVersion} request: ${describeError(error)}`)
      return undefined
    }
    this.clientId = clientId

    const options = this.options
    const ctx: WireContext = {
      cluster: options.cluster,
      brokerId: options.brokerId,
      apiVersion,
      clientId,
      clientHost: this.clientHost,
      source: { clientId: clientId ?? '', clientHost: this.clientHost.slice(1), ...principalOf(this.sasl?.principal ?? this.tlsPrincipal) },
      sasl: this.sasl,
      advertised: options.advertised,
      signal: this.abort.signal,
      supportedVersions: options.supportedVersions,
      ...(options.asVersion === undefined ? {} : { asVersion: options.asVersion }),
    }
    let response: WireMessage | undefined
    try {
      response = await served.api.handle(request, ctx)
    } catch (error) {
      if (this.closedFlag) return undefined
      // The broker went away mid-request (stopped, cut off, an intercepted disconnect): its
      // connections die with it. Anything else is a mapping that could not answer. Kafka would
      // send the API's error response there (RequestHandlerHelper.sendErrorOrCloseConnection);
      // memkafka's mappings answer Kafka's errors themselves, so an exception is a bug, closed
      // and logged loudly rather than answered with a made-up error.
      if (error instanceof BrokerUnreachableError) this.close(`${name} v${apiVersion} could not complete: ${error.message}`, 'info')
      else this.close(`${name} v${apiVersion} failed: ${describeError(error, true)}`, 'error')
      return undefined
    }
    if (this.closedFlag || response === undefined) return undefined
    return this.encode(served, apiVersion, correlationId, response)
  }

  /** The response frame (size, header, body) as chunks; closes the connection if it cannot be encoded. */
  private encode(served: ServedApi, apiVersion: number, correlationId: number, response: WireMessage): Buffer[] | undefined {
    try {
      const writer = new Writer()
      const size = writer.reserve(4)
      encodeResponseHeader(writer, correlationId, served.api.apiKey, apiVersion, this.lookup)
      encodeMessage(served.schema.response, apiVersion, response, writer)
      size.writeInt32BE(writer.size - 4, 0)
      return writer.toChunks()
    } catch (error) {
      this.close(`could not encode the ${served.api.name} v${apiVersion} response: ${describeError(error, true)}`, 'error')
      return undefined
    }
  }

  /**
   * Queues a response. Responses are written together (one writev) once every request whose
   * answer is already at hand has been answered, at the end of the current turn of the event
   * loop: a pipelining client's burst costs one write, not one per response, and no response
   * waits on a later, slower request. Past FLUSH_BYTES they are written at once.
   */
  private send(chunks: readonly Buffer[]): void {
    for (const chunk of chunks) {
      this.outgoing.push(chunk)
      this.outgoingBytes += chunk.length
    }
    if (this.outgoingBytes >= FLUSH_BYTES) this.flush()
    else if (!this.flushScheduled) {
      this.flushScheduled = true
      void settleMicrotasks().then(() => this.flush())
    }
  }

  private flush(): void {
    this.flushScheduled = false
    const chunks = this.outgoing
    if (chunks.length === 0 || this.socket.destroyed) return
    this.outgoing = []
    this.outgoingBytes = 0
    const socket = this.socket
    let flushed = true
    if (chunks.length === 1) {
      flushed = socket.write(chunks[0]!)
    } else {
      socket.cork()
      for (const chunk of chunks) flushed = socket.write(chunk)
      socket.uncork()
    }
    if (flushed || this.draining || this.closedFlag) return
    this.draining = new Promise<void>((resolve) => {
      const done = (): void => {
        socket.off('drain', done)
        socket.off('close', done)
        this.draining = undefined
        resolve()
      }
      socket.on('drain', done)
      socket.on('close', done)
    })
  }
}

function principalOf(principal: string | undefined): { principal?: string } {
  return principal === undefined ? {} : { principal }
}

function describeError(error: unknown, withStack = false): string {
  if (error instanceof Error) return withStack && error.stack ? error.stack : error.message
  return String(error)
}

/**
 * A peer address as Java's InetAddress.getHostAddress writes it, which Kafka shows as a
 * member's client host: IPv4 dotted ("127.0.0.1", also for an IPv4-mapped IPv6 address), IPv6
 * as eight hex groups without zero compression ("0:0:0:0:0:0:0:1").
 */
export function javaHostAddress(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)
  if (mapped) return mapped[1]!
  if (!address.includes(':')) return address
  const [head = '', tail] = address.split('::') as [string, string | undefined]
  const headGroups = head === '' ? [] : head.split(':')
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':')
  const zeros = tail === undefined ? [] : Array.from({ length: 8 - headGroups.length - tailGroups.length }, () => '0')
  return [...headGroups, ...zeros, ...tailGroups].map((g) => (/^[0-9a-f]+$/i.test(g) ? parseInt(g, 16).toString(16) : g)).join(':')
}
