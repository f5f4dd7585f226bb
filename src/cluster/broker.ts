/**
 * A broker of the in-process cluster: an id, an address its clients connect to, a rack, and
 * its state as a process (running or stopped), on the network (isolated or not) and in the
 * controller's eyes (fenced once its session with the controller has expired, or after a
 * controlled shutdown).
 */
export class Broker {
  readonly id: number
  readonly host: string
  readonly port: number
  readonly rack: string | null
  running = true
  isolated = false
  fenced = false
  /**
   * Restarted while its previous incarnation's session is still valid: the controller refuses
   * the new registration (DuplicateBrokerRegistrationException) until that session expires, and
   * the broker serves nothing meanwhile.
   */
  registering = false

  constructor(id: number, host: string, port: number, rack: string | null) {
    this.id = id
    this.host = host
    this.port = port
    this.rack = rack
  }

  /** Clients and other brokers can talk to it. */
  get reachable(): boolean {
    return this.running && !this.isolated && !this.registering
  }

  /** Why clients cannot talk to it (null when they can), as a connection error would say. */
  get unreachableReason(): string | null {
    if (!this.running) return 'the broker is stopped'
    if (this.isolated) return 'the network to it is cut'
    if (this.registering) return 'the broker is restarting (waiting for its previous session to expire)'
    return null
  }

  /** Registered and unfenced: the controller counts it (metadata lists it, it can lead). */
  get alive(): boolean {
    return !this.fenced
  }

  get address(): string {
    return `${this.host}:${this.port}`
  }
}
