/** A broker of the in-process cluster: an id, an address its clients connect to, a rack. */
export class Broker {
  readonly id: number
  readonly host: string
  readonly port: number
  readonly rack: string | null
  /** A stopped broker answers no request. */
  alive = true

  constructor(id: number, host: string, port: number, rack: string | null) {
    this.id = id
    this.host = host
    this.port = port
    this.rack = rack
  }

  get address(): string {
    return `${this.host}:${this.port}`
  }
}
