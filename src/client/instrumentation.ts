/**
 * kafkajs's instrumentation events (kafkajs 2.2.4, src/instrumentation and the `on` of the
 * producer, consumer and admin): each client has an emitter, listeners subscribe with
 * `on(eventName, listener)`, and each event reaches them as `{ id, type, timestamp, payload }`.
 * The timestamp comes from the injected Clock; the id counts per emitter from 0 (kafkajs
 * counts per process, which a fresh-world emulator must not).
 */
import type { Clock } from '../cluster/clock.js'
import { KafkaJSError, KafkaJSNonRetriableError } from './errors.js'
import type { Logger } from './logger.js'

/** kafkajs's network events, which each client re-emits under its own prefix. */
const NETWORK_REQUEST = 'network.request'
const NETWORK_REQUEST_TIMEOUT = 'network.request_timeout'
const NETWORK_REQUEST_QUEUE_SIZE = 'network.request_queue_size'

/** `producer.events` (kafkajs src/producer/instrumentationEvents.js). */
export const PRODUCER_EVENTS = {
  CONNECT: 'producer.connect',
  DISCONNECT: 'producer.disconnect',
  REQUEST: `producer.${NETWORK_REQUEST}`,
  REQUEST_TIMEOUT: `producer.${NETWORK_REQUEST_TIMEOUT}`,
  REQUEST_QUEUE_SIZE: `producer.${NETWORK_REQUEST_QUEUE_SIZE}`,
} as const

/** `consumer.events` (kafkajs src/consumer/instrumentationEvents.js), in kafkajs's key order. */
export const CONSUMER_EVENTS = {
  HEARTBEAT: 'consumer.heartbeat',
  COMMIT_OFFSETS: 'consumer.commit_offsets',
  GROUP_JOIN: 'consumer.group_join',
  FETCH: 'consumer.fetch',
  FETCH_START: 'consumer.fetch_start',
  START_BATCH_PROCESS: 'consumer.start_batch_process',
  END_BATCH_PROCESS: 'consumer.end_batch_process',
  CONNECT: 'consumer.connect',
  DISCONNECT: 'consumer.disconnect',
  STOP: 'consumer.stop',
  CRASH: 'consumer.crash',
  REBALANCING: 'consumer.rebalancing',
  RECEIVED_UNSUBSCRIBED_TOPICS: 'consumer.received_unsubscribed_topics',
  REQUEST: `consumer.${NETWORK_REQUEST}`,
  REQUEST_TIMEOUT: `consumer.${NETWORK_REQUEST_TIMEOUT}`,
  REQUEST_QUEUE_SIZE: `consumer.${NETWORK_REQUEST_QUEUE_SIZE}`,
} as const

/** `admin.events` (kafkajs src/admin/instrumentationEvents.js). */
export const ADMIN_EVENTS = {
  CONNECT: 'admin.connect',
  DISCONNECT: 'admin.disconnect',
  REQUEST: `admin.${NETWORK_REQUEST}`,
  REQUEST_TIMEOUT: `admin.${NETWORK_REQUEST_TIMEOUT}`,
  REQUEST_QUEUE_SIZE: `admin.${NETWORK_REQUEST_QUEUE_SIZE}`,
} as const

export type ProducerEvents = typeof PRODUCER_EVENTS
export type ConsumerEvents = typeof CONSUMER_EVENTS
export type AdminEvents = typeof ADMIN_EVENTS

export type EventTable = Readonly<Record<string, string>>
export type EventName<Events extends EventTable> = Events[keyof Events]

/**
 * What a listener receives. `id` is typed `string` because kafkajs's types say so and listeners
 * typed for kafkajs must fit; at run time it is a number, as kafkajs emits it.
 */
export interface InstrumentationEvent<T = unknown> {
  id: string
  type: string
  timestamp: number
  payload: T
}

export type InstrumentationListener<T = any> = (event: InstrumentationEvent<T>) => void | Promise<void>

export type RemoveInstrumentationEventListener = () => void

export interface InstrumentationEmitterDeps {
  clock: Pick<Clock, 'now'>
  /** Where listener failures are reported (kafkajs logs them at ERROR). */
  logger?: Logger
}

interface Registration {
  readonly listener: InstrumentationListener
}

/**
 * One client's events. Only the names in its table can be listened to; emitting an event
 * nobody listens to costs nothing and, as in kafkajs, consumes no id.
 */
export class InstrumentationEmitter<Events extends EventTable> {
  readonly events: Events
  private readonly names: ReadonlySet<string>
  private readonly eventKeys: string
  private readonly listeners = new Map<string, Registration[]>()
  private readonly clock: Pick<Clock, 'now'>
  private readonly logger: Logger | undefined
  private nextId = 0

  constructor(events: Events, { clock, logger }: InstrumentationEmitterDeps) {
    this.events = events
    this.names = new Set(Object.values(events))
    // The client kind ('producer', 'consumer', 'admin') is the prefix every event name shares.
    const first = Object.values(events)[0] ?? ''
    const client = first.slice(0, Math.max(0, first.indexOf('.')))
    this.eventKeys = Object.keys(events)
      .map((key) => `${client}.events.${key}`)
      .join(', ')
    this.clock = clock
    this.logger = logger
  }

  /**
   * Subscribes to an event; returns the function that unsubscribes. An unknown name throws
   * kafkajs's error, which lists the table by key, e.g. 'Event name should be one of
   * consumer.events.HEARTBEAT, consumer.events.COMMIT_OFFSETS, ...'.
   */
  on<T = any>(eventName: EventName<Events>, listener: InstrumentationListener<T>): RemoveInstrumentationEventListener {
    if (!this.names.has(eventName)) {
      throw new KafkaJSNonRetriableError(`Event name should be one of ${this.eventKeys}`)
    }
    const registration: Registration = { listener }
    const registrations = this.listeners.get(eventName)
    if (registrations) registrations.push(registration)
    else this.listeners.set(eventName, [registration])
    return () => {
      const current = this.listeners.get(eventName)
      if (!current) return
      const index = current.indexOf(registration)
      if (index >= 0) current.splice(index, 1)
      if (current.length === 0) this.listeners.delete(eventName)
    }
  }

  /** How many listeners an event has. */
  listenerCount(eventName: EventName<Events>): number {
    return this.listeners.get(eventName)?.length ?? 0
  }

  /**
   * Delivers one event to the listeners registered when the emit starts (one event object,
   * shared, as kafkajs shares it). A listener's failure, thrown or rejected, is logged with
   * kafkajs's message and never reaches the emitter's caller or the other listeners. (kafkajs
   * catches only rejections; a synchronous throw escapes into the client code that emitted,
   * which memkafka does not let a user's listener do.)
   */
  emit(eventName: EventName<Events>, payload?: unknown): void {
    if (!eventName) throw new KafkaJSError('Invalid event name', { retriable: false })
    const registrations = this.listeners.get(eventName)
    if (!registrations || registrations.length === 0) return

    const event: InstrumentationEvent = {
      id: this.nextId++ as unknown as string,
      type: eventName,
      timestamp: this.clock.now(),
      payload,
    }
    for (const { listener } of [...registrations]) {
      try {
        const result = listener(event)
        if (result && typeof (result as Promise<void>).then === 'function') {
          ;(result as Promise<void>).then(undefined, (error: unknown) => this.reportListenerFailure(eventName, error))
        }
      } catch (error) {
        this.reportListenerFailure(eventName, error)
      }
    }
  }

  private reportListenerFailure(eventName: string, error: unknown): void {
    const { message, stack } = (error ?? {}) as { message?: unknown; stack?: unknown }
    this.logger?.error(`Failed to execute listener: ${message}`, { eventName, stack })
  }
}
