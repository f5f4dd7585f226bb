/**
 * What the console answers when it cannot do what a page asked. Two kinds, kept apart as the
 * admin tools keep them: a malformed request (400: a field missing or of the wrong type, a body
 * that is not JSON), and a request Kafka refused (422, carrying Kafka's error name and message,
 * e.g. TOPIC_ALREADY_EXISTS). Either way the cluster is left as it was.
 */
import { KafkaError, errorName } from '../cluster/error-codes.js'

export class ConsoleError extends Error {
  readonly status: number
  /** Kafka's error name (INVALID_REPLICATION_FACTOR) or the console's own (INVALID_REQUEST). */
  readonly code: string

  constructor(status: number, code: string, message: string) {
    super(message)
    this.name = 'ConsoleError'
    this.status = status
    this.code = code
  }
}

/** A malformed request: the page (or a script) sent something the endpoint cannot read. */
export function badRequest(message: string): ConsoleError {
  return new ConsoleError(400, 'INVALID_REQUEST', message)
}

/** Kafka refused: its error name, and its message when it gave one. */
export function kafkaRefused(code: number, message?: string | null): ConsoleError {
  const name = errorName(code)
  return new ConsoleError(422, name, message || name)
}

/**
 * Turns what a control-API call threw into the console's answer: KafkaError keeps its name,
 * TypeError (the control API's argument checks) is the caller's mistake, anything else a bug.
 */
export function fromThrown(error: unknown): ConsoleError {
  if (error instanceof ConsoleError) return error
  if (error instanceof KafkaError) return new ConsoleError(422, error.errorName, error.message)
  if (error instanceof TypeError) return new ConsoleError(400, 'INVALID_REQUEST', error.message)
  if (error instanceof Error && error.name === 'BrokerUnreachableError') return new ConsoleError(503, 'BROKER_NOT_AVAILABLE', error.message)
  return new ConsoleError(500, 'UNKNOWN_SERVER_ERROR', error instanceof Error ? error.message : String(error))
}
