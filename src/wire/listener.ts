/**
 * One broker's listener: a TCP server on its own port and the connections it accepted.
 *
 * A broker that clients cannot reach (stopped, cut off by isolate, or restarting while its old
 * session lasts; Broker.reachable) takes no connections: the listener resets each new one at
 * once, so the client sees the connection fail as it would against a dead or unreachable
 * broker, and retries elsewhere. When a broker becomes unreachable its open connections are
 * destroyed (dropConnections), as a crashed process's sockets die with it.
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net'
import type { Broker } from '../cluster/broker.js'
import { Connection, type ConnectionOptions } from './connection.js'
import type { WireLogger } from './wire-log.js'

export class BrokerListener {
  readonly broker: Broker
  private readonly server: Server
  private readonly connections = new Set<Connection>()
  private readonly connectionOptions: ConnectionOptions
  private readonly log: WireLogger
  private closing: Promise<void> | undefined
  private boundPort = 0

  constructor(broker: Broker, connectionOptions: ConnectionOptions) {
    this.broker = broker
    this.connectionOptions = connectionOptions
    this.log = connectionOptions.log
    this.server = createServer({ noDelay: true }, (socket) => this.accept(socket))
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
        this.boundPort = (this.server.address() as AddressInfo).port
        resolve(this.boundPort)
      })
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
    const connection = new Connection(socket, this.connectionOptions)
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
