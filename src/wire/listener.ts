/**
 * One broker's listener: a TCP server on its own port and the connections it accepted.
 *
 * A stopped broker is a process that is not running: its port is closed (the listener stops
 * listening), so a client's connection is refused (ECONNREFUSED) as against a dead broker, and
 * the same port opens again when the broker starts (syncWithBroker). A broker that runs but
 * that clients cannot reach (cut off by isolate, or restarting while its old session lasts;
 * Broker.reachable) keeps its port, takes no connections and resets each new one at once, so
 * the client sees the connection fail and retries elsewhere. When a broker becomes unreachable
 * its open connections are destroyed (dropConnections), as a crashed process's sockets die
 * with it.
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net'
import type { createServer as createTlsServer, SecureContextOptions, TLSSocket } from 'node:tls'
import type { Broker } from '../cluster/broker.js'
import { Connection, type ConnectionOptions } from './connection.js'
import type { ClientAuth } from './tls/tls-config.js'
import type { WireLogger } from './wire-log.js'

/** An SSL or SASL_SSL listener's TLS side. */
export interface ListenerTls {
  /** The key, certificate chain and trusted CAs (node:tls secure context options). */
  readonly options: SecureContextOptions
  readonly clientAuth: ClientAuth
  /** node:tls's createServer (node:tls is loaded only when some listener speaks TLS). */
  readonly createServer: typeof createTlsServer
  /** A client certificate's subject as Kafka writes it in a principal (RFC 2253). */
  readonly subjectOf: (certificate: Buffer) => string
}

export class BrokerListener {
  readonly broker: Broker
  private readonly server: Server
  private readonly connections = new Set<Connection>()
  private readonly connectionOptions: ConnectionOptions
  private readonly log: WireLogger
  private closing: Promise<void> | undefined
  private boundHost = ''
  private boundPort = 0
  /** Listening again after a restart is under way (host lookup, bind). */
  private reopening = false
  /** Accepted sockets of a TLS listener (the raw TCP side), until they close. */
  private readonly handshaking = new Set<Socket>()
  private readonly isTls: boolean
  private readonly subjectOf: ((certificate: Buffer) => string) | undefined

  constructor(broker: Broker, connectionOptions: ConnectionOptions, tls?: ListenerTls) {
    this.broker = broker
    this.connectionOptions = connectionOptions
    this.log = connectionOptions.log
    this.isTls = tls !== undefined
    this.subjectOf = tls?.subjectOf
    if (tls) {
      const server = tls.createServer({
        ...tls.options,
        requestCert: tls.clientAuth !== 'none',
        rejectUnauthorized: tls.clientAuth === 'required',
        noDelay: true,
      })
      // node:tls wraps each accepted socket before this listener runs; refusing it here still
      // resets the client before any TLS is exchanged.
      server.on('connection', (socket: Socket) => this.accept(socket))
      server.on('secureConnection', (socket: TLSSocket) => this.secured(socket))
      // Plaintext to a TLS port, a truncated or refused handshake: only that connection ends.
      server.on('tlsClientError', (error, socket) => {
        this.log({ level: 'info', message: `closed the connection: TLS handshake failed: ${error.message}`, brokerId: broker.id, peer: `${socket.remoteAddress ?? 'unknown'}:${socket.remotePort ?? 0}` })
        socket.destroy()
      })
      this.server = server
    } else {
      this.server = createServer({ noDelay: true }, (socket) => this.accept(socket))
    }
    this.server.on('error', (error) => this.log({ level: 'error', message: `listener error: ${error.message}`, brokerId: broker.id }))
  }

  /** The port it listens on (after listen()). */
  get port(): number {
    return this.boundPort
  }

  get openConnections(): number {
    return this.connections.size
  }

  /** Starts listening; rejects with the socket error (EADDRINUSE, EACCES, ...) naming the broker and address. */
  listen(host: string, port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException): void => {
        reject(new Error(`broker ${this.broker.id} cannot listen on ${host}:${port}: ${error.code ?? error.message}`, { cause: error }))
      }
      this.server.once('error', onError)
      this.server.listen({ host, port, exclusive: true }, () => {
        this.server.off('error', onError)
        this.boundHost = host
        this.boundPort = (this.server.address() as AddressInfo).port
        resolve(this.boundPort)
        // Stopped while it was opening: closed at once.
        this.syncWithBroker()
      })
    })
  }

  /**
   * Follows the broker's process: stopped, its port is closed (new connections are refused by
   * the operating system); started again, the same port listens again. Called on every broker
   * state change (server.ts).
   */
  syncWithBroker(): void {
    if (this.closing || this.boundPort === 0 || this.reopening) return
    const where = `${this.boundHost}:${this.boundPort}`
    if (!this.broker.running) {
      if (!this.server.listening) return
      this.server.close()
      this.log({ level: 'info', message: `stopped listening on ${where}: the broker is stopped`, brokerId: this.broker.id })
      return
    }
    if (this.server.listening) return
    this.reopening = true
    const onError = (): void => {
      // The 'error' listener of the constructor logs why (EADDRINUSE: another process took the port).
      this.reopening = false
    }
    this.server.once('error', onError)
    this.server.listen({ host: this.boundHost, port: this.boundPort, exclusive: true }, () => {
      this.server.off('error', onError)
      this.reopening = false
      this.log({ level: 'info', message: `listening again on ${where}: the broker started`, brokerId: this.broker.id })
      // Closed or stopped again while it was opening.
      if (this.closing) this.server.close()
      else this.syncWithBroker()
    })
  }

  private accept(socket: Socket): void {
    const peer = `${socket.remoteAddress ?? 'unknown'}:${socket.remotePort ?? 0}`
    if (this.closing) {
      socket.destroy()
      return
    }
    if (!this.broker.reachable) {
      this.log({ level: 'info', message: `refused a connection: ${this.broker.unreachableReason ?? 'unreachable'}`, brokerId: this.broker.id, peer })
      refuse(socket)
      return
    }
    if (this.isTls) {
      // The handshake runs in node:tls; until it completes the raw socket is tracked here.
      this.handshaking.add(socket)
      socket.once('close', () => this.handshaking.delete(socket))
    } else this.open(new Connection(socket, this.connectionOptions))
  }

  /**
   * A connection whose TLS handshake completed (Kafka's SslTransportLayer). With
   * ssl.client.auth=required node:tls has already refused a client without a verified
   * certificate; with requested a certificate is optional, but one that is given must verify.
   * The principal of an SSL connection is its certificate's subject (x500-principal.ts).
   */
  private secured(socket: TLSSocket): void {
    const peer = `${socket.remoteAddress ?? 'unknown'}:${socket.remotePort ?? 0}`
    if (this.closing) {
      socket.destroy()
      return
    }
    let principal: string | undefined
    const certificate = socket.getPeerX509Certificate()
    if (certificate) {
      const refuse = (reason: string): void => {
        this.log({ level: 'info', message: `closed the connection: TLS handshake failed: ${reason}`, brokerId: this.broker.id, peer })
        socket.destroy()
      }
      if (!socket.authorized) return refuse(`the client certificate was not verified: ${String(socket.authorizationError)}`)
      try {
        principal = `User:${this.subjectOf!(certificate.raw)}`
      } catch (error) {
        return refuse(`the client certificate's subject cannot be read: ${(error as Error).message}`)
      }
    }
    this.open(new Connection(socket, this.connectionOptions, { principal }))
  }

  private open(connection: Connection): void {
    this.connections.add(connection)
    // A client over the wire works outside what a self-advancing clock can see: while it is
    // connected, the clock must not jump over its waits, and follows the wall clock instead.
    const release = this.connectionOptions.cluster.clock.hold?.(`a wire client of broker ${this.broker.id} (${connection.peer})`, { followWallClock: true })
    this.log({ level: 'debug', message: 'accepted a connection', brokerId: this.broker.id, peer: connection.peer })
    void connection.closed.then(() => {
      this.connections.delete(connection)
      release?.()
    })
  }

  /** Destroys every open connection (the broker went away). */
  dropConnections(reason: string): void {
    for (const connection of this.connections) connection.close(reason, 'info')
    for (const socket of this.handshaking) socket.destroy()
    this.handshaking.clear()
  }

  /** Stops listening and ends every connection; resolves when all are closed. */
  close(): Promise<void> {
    if (this.closing) return this.closing
    const serverClosed = new Promise<void>((resolve) => {
      if (!this.server.listening) return resolve()
      this.server.close(() => resolve())
    })
    const open = [...this.connections]
    for (const connection of open) connection.close('the server is closing', 'debug')
    for (const socket of this.handshaking) socket.destroy()
    this.handshaking.clear()
    this.closing = Promise.all([serverClosed, ...open.map((c) => c.closed)]).then(() => undefined)
    return this.closing
  }
}

/** Ends a connection the way a refused one looks to the client: a reset, not an orderly close. */
function refuse(socket: Socket): void {
  socket.on('error', () => {})
  if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy()
  else socket.destroy()
}
