/**
 * What the admin's operations share (admin.ts lists them; topics.ts, offsets.ts and the others
 * carry them out): the client, logger and retrier of one admin, and the way kafkajs's admin
 * methods retry a request and hand back its errors.
 */
import type { ClusterClient } from '../cluster-client.js'
import type { Logger } from '../logger.js'
import type { Bail, Retrier } from '../retry.js'

export interface AdminContext {
  readonly client: ClusterClient
  /** The admin's logger (namespace 'Admin'). */
  readonly log: Logger
  /** The admin's retrier: its retry options laid over the Kafka client's. */
  readonly retrier: Retrier
}

/** kafkajs's request defaults (src/protocol/requests/*): 5 s for the admin APIs' broker timeout. */
export const DEFAULT_REQUEST_TIMEOUT = 5000

/** A controller that is not the controller any more (Kafka's NOT_CONTROLLER, code 41). */
export const NOT_CONTROLLER = 'NOT_CONTROLLER'

export function typeOf(error: unknown): string | undefined {
  return (error as { type?: string } | null | undefined)?.type
}

export function messageOf(error: unknown): string | undefined {
  return (error as { message?: string } | null | undefined)?.message
}

/** kafkajs's pattern for a retrier step that will not retry: bail with the error, as it is. */
export function giveUp(bail: Bail, error: unknown): never {
  bail(error)
  throw error
}

/** kafkajs's decoders sort topic results by name before picking the first failure. */
export function byName<T extends { readonly name: string }>(a: T, b: T): number {
  return a.name.localeCompare(b.name)
}

/** The admin never creates topics by asking for their metadata (kafkajs: allowAutoTopicCreation false). */
export async function refreshMetadata(context: AdminContext): Promise<void> {
  await context.client.refreshMetadata([], false)
}

/**
 * The error handling kafkajs's admin methods share: `attempt` runs under the admin's retrier;
 * an error whose type is one of `retriedTypes` is logged as a warning, `Could not <what>`,
 * and tried again; any other error is handed back as it is (bail), so the caller sees the
 * broker's error and not a retrier's wrapper.
 */
export function retryOn<T>(
  context: AdminContext,
  retriedTypes: readonly string[],
  what: string,
  attempt: (retryCount: number, retryTime: number) => Promise<T>,
): Promise<T> {
  return context.retrier(async (bail, retryCount, retryTime) => {
    try {
      return await attempt(retryCount, retryTime)
    } catch (e) {
      const type = typeOf(e)
      if (type !== undefined && retriedTypes.includes(type)) {
        context.log.warn(`Could not ${what}`, { error: messageOf(e), retryCount, retryTime })
        throw e
      }
      giveUp(bail, e)
    }
  })
}
