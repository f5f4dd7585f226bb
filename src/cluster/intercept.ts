/**
 * Fault injection at the request boundary (kfake's ControlKey, with kafkajs-level names):
 * a hook sees each request a broker receives and may observe it, answer it with an error,
 * delay it, drop the connection, answer with a response of its own, or fall through to the
 * real handler. Hooks run in the order they were added; the first that answers wins.
 */
import { ErrorCode, type ErrorName } from './error-codes.js'
import type { ApiName, RequestOf, ResponseOf } from './api/messages.js'

export interface InterceptContext<K extends ApiName> {
  readonly api: K
  readonly brokerId: number
  readonly request: RequestOf<K>
  /** The client id of the sender, when known. */
  readonly clientId: string | undefined
  /** How many requests this hook has seen before this one. */
  readonly seen: number
}

/** What a hook decides. Returning nothing (or undefined) falls through. */
export type InterceptAction<K extends ApiName> =
  | undefined
  | void
  /** Every topic/partition (or the whole request) fails with this Kafka error. */
  | { readonly error: ErrorName; readonly message?: string }
  /** The connection drops: the client sees a connection error. */
  | { readonly disconnect: true }
  /** The request is held this long on the cluster's clock, then handled. */
  | { readonly delayMs: number }
  /** This exact response. */
  | { readonly respond: ResponseOf<K> }

export type InterceptHandler<K extends ApiName> = (ctx: InterceptContext<K>) => InterceptAction<K> | Promise<InterceptAction<K>>

export interface InterceptOptions {
  /** Only the first N matching requests are given to the hook; then it removes itself. */
  readonly times?: number
  /** Only requests to this broker. */
  readonly brokerId?: number
}

export interface Interceptor {
  readonly api: ApiName | '*'
  readonly handler: InterceptHandler<ApiName>
  readonly options: InterceptOptions
  seen: number
}

export function errorCodeOf(name: ErrorName): number {
  return ErrorCode[name]
}
