/**
 * What the wire server says about its connections: a connection closed for bad input and why,
 * a handler that failed, a listener refusing a stopped broker's clients. One readable line per
 * entry; the caller decides where lines go (`memkafka serve` prints them, a test collects them).
 */
export type WireLogLevel = 'debug' | 'info' | 'warn' | 'error'

export interface WireLogEntry {
  readonly level: WireLogLevel
  readonly message: string
  /** The broker whose listener it concerns. */
  readonly brokerId?: number
  /** The client's address ("127.0.0.1:53412"), for entries about one connection. */
  readonly peer?: string
}

export type WireLogger = (entry: WireLogEntry) => void

/** The default: warnings and errors on stderr, the rest dropped (a library must not chatter). */
export const stderrWireLogger: WireLogger = (entry) => {
  if (entry.level !== 'warn' && entry.level !== 'error') return
  process.stderr.write(`memkafka wire ${entry.level}: ${formatWireLogEntry(entry)}\n`)
}

/** "broker 0, 127.0.0.1:53412: <message>" */
export function formatWireLogEntry(entry: WireLogEntry): string {
  const where = [entry.brokerId === undefined ? undefined : `broker ${entry.brokerId}`, entry.peer].filter((p) => p !== undefined)
  return where.length > 0 ? `${where.join(', ')}: ${entry.message}` : entry.message
}
