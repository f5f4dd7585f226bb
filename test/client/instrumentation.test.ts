import { createRequire } from 'node:module'
import fc from 'fast-check'
import type * as KafkaJS from 'kafkajs'
import { describe, expect, it } from 'vitest'
import { ManualClock, settleMicrotasks } from '../../src/cluster/clock.js'
import { KafkaJSError, KafkaJSNonRetriableError } from '../../src/client/errors.js'
import {
  ADMIN_EVENTS,
  CONSUMER_EVENTS,
  InstrumentationEmitter,
  PRODUCER_EVENTS,
  type EventTable,
  type InstrumentationEvent,
} from '../../src/client/instrumentation.js'
import { createLogger, logLevel, type LogEntry } from '../../src/client/logger.js'

// kafkajs's event tables and `on` are the oracle.
const require = createRequire(import.meta.url)
const kafkajs = require('kafkajs') as typeof KafkaJS
const tableOf = (path: string): Record<string, string> => (require(path) as { events: Record<string, string> }).events

// Compile-time: our tables have kafkajs's exact literal types.
const producerEvents: KafkaJS.ProducerEvents = PRODUCER_EVENTS
const consumerEvents: KafkaJS.ConsumerEvents = CONSUMER_EVENTS
const adminEvents: KafkaJS.AdminEvents = ADMIN_EVENTS
void [producerEvents, consumerEvents, adminEvents]
// A listener typed for kafkajs's events can be handed to our emitter.
const kafkajsTypedListener = (event: KafkaJS.ConsumerGroupJoinEvent): void => void event.payload.groupId
void ((emitter: InstrumentationEmitter<typeof CONSUMER_EVENTS>) => emitter.on(CONSUMER_EVENTS.GROUP_JOIN, kafkajsTypedListener))
const oursAsKafkaJS = (event: InstrumentationEvent<null>): KafkaJS.ConnectEvent => event
void oursAsKafkaJS

function emitterFor<E extends EventTable>(events: E, clock = new ManualClock(5000)) {
  const logged: LogEntry[] = []
  const logger = createLogger({ level: logLevel.DEBUG, clock, env: {}, logCreator: () => (entry) => logged.push(entry) })
  return { emitter: new InstrumentationEmitter(events, { clock, logger }), clock, logged }
}

describe('event tables', () => {
  it.each([
    ['producer', PRODUCER_EVENTS, 'kafkajs/src/producer/instrumentationEvents'],
    ['consumer', CONSUMER_EVENTS, 'kafkajs/src/consumer/instrumentationEvents'],
    ['admin', ADMIN_EVENTS, 'kafkajs/src/admin/instrumentationEvents'],
  ] as const)('%s events are kafkajs’s, keys in kafkajs’s order', (_client, ours, path) => {
    expect(Object.entries(ours)).toEqual(Object.entries(tableOf(path)))
  })

  it('consumer events include the ones tests wait on', () => {
    expect(CONSUMER_EVENTS.GROUP_JOIN).toBe('consumer.group_join')
    expect(CONSUMER_EVENTS.CRASH).toBe('consumer.crash')
    expect(CONSUMER_EVENTS.REQUEST_QUEUE_SIZE).toBe('consumer.network.request_queue_size')
    expect(PRODUCER_EVENTS.REQUEST_TIMEOUT).toBe('producer.network.request_timeout')
  })
})

describe('InstrumentationEmitter', () => {
  it('wraps each event as { id, type, timestamp, payload }, the timestamp from the clock', async () => {
    const { emitter, clock } = emitterFor(CONSUMER_EVENTS)
    const seen: InstrumentationEvent[] = []
    emitter.on(CONSUMER_EVENTS.GROUP_JOIN, (event) => void seen.push(event))
    emitter.on(CONSUMER_EVENTS.HEARTBEAT, (event) => void seen.push(event))
    emitter.emit(CONSUMER_EVENTS.GROUP_JOIN, { groupId: 'g', duration: 3 })
    await clock.advance(250)
    emitter.emit(CONSUMER_EVENTS.HEARTBEAT, { groupId: 'g' })
    expect(seen).toEqual([
      { id: 0, type: 'consumer.group_join', timestamp: 5000, payload: { groupId: 'g', duration: 3 } },
      { id: 1, type: 'consumer.heartbeat', timestamp: 5250, payload: { groupId: 'g' } },
    ])
  })

  it('an event without payload carries payload undefined, as kafkajs’s connect does', () => {
    const { emitter } = emitterFor(PRODUCER_EVENTS)
    const seen: InstrumentationEvent[] = []
    emitter.on(PRODUCER_EVENTS.CONNECT, (event) => void seen.push(event))
    emitter.emit(PRODUCER_EVENTS.CONNECT)
    expect(seen).toHaveLength(1)
    expect(seen[0]!.payload).toBeUndefined()
  })

  it('ids count per emitter, and only events someone listens to use one', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.constantFrom(...Object.values(CONSUMER_EVENTS)))), (emits) => {
        const { emitter } = emitterFor(CONSUMER_EVENTS)
        const other = emitterFor(CONSUMER_EVENTS).emitter
        const ids: unknown[] = []
        const removers = new Map<string, () => void>()
        for (const [listen, name] of emits) {
          if (listen && !removers.has(name)) removers.set(name, emitter.on(name, (event) => void ids.push(event.id)))
          if (!listen) removers.get(name)?.()
          if (!listen) removers.delete(name)
          emitter.emit(name)
          other.emit(name)
        }
        expect(ids).toEqual(ids.map((_id, index) => index))
      }),
    )
  })

  it('every listener of an event sees the same event object', () => {
    const { emitter } = emitterFor(ADMIN_EVENTS)
    const seen: InstrumentationEvent[] = []
    emitter.on(ADMIN_EVENTS.CONNECT, (event) => void seen.push(event))
    emitter.on(ADMIN_EVENTS.CONNECT, (event) => void seen.push(event))
    emitter.emit(ADMIN_EVENTS.CONNECT)
    expect(seen).toHaveLength(2)
    expect(seen[0]).toBe(seen[1])
  })

  it('on returns a remover that removes that one subscription, once', () => {
    const { emitter } = emitterFor(CONSUMER_EVENTS)
    const calls: string[] = []
    const listener = (): void => void calls.push('x')
    const removeFirst = emitter.on(CONSUMER_EVENTS.FETCH, listener)
    emitter.on(CONSUMER_EVENTS.FETCH, listener)
    emitter.emit(CONSUMER_EVENTS.FETCH)
    expect(calls).toHaveLength(2)
    removeFirst()
    removeFirst()
    expect(emitter.listenerCount(CONSUMER_EVENTS.FETCH)).toBe(1)
    emitter.emit(CONSUMER_EVENTS.FETCH)
    expect(calls).toHaveLength(3)
  })

  it('a listener added during an emit hears only later events', () => {
    const { emitter } = emitterFor(CONSUMER_EVENTS)
    const calls: unknown[] = []
    emitter.on(CONSUMER_EVENTS.STOP, (event) => {
      calls.push(event.id)
      if (calls.length === 1) emitter.on(CONSUMER_EVENTS.STOP, (later) => void calls.push(`later ${later.id}`))
    })
    emitter.emit(CONSUMER_EVENTS.STOP)
    emitter.emit(CONSUMER_EVENTS.STOP)
    expect(calls).toEqual([0, 1, 'later 1'])
  })

  it.each([
    ['producer', PRODUCER_EVENTS, () => new kafkajs.Kafka({ brokers: ['localhost:1'], logLevel: kafkajs.logLevel.NOTHING }).producer()],
    ['consumer', CONSUMER_EVENTS, () => new kafkajs.Kafka({ brokers: ['localhost:1'], logLevel: kafkajs.logLevel.NOTHING }).consumer({ groupId: 'g' })],
    ['admin', ADMIN_EVENTS, () => new kafkajs.Kafka({ brokers: ['localhost:1'], logLevel: kafkajs.logLevel.NOTHING }).admin()],
  ] as const)('an unknown %s event name throws kafkajs’s KafkaJSNonRetriableError', (client, events, makeClient) => {
    const { emitter } = emitterFor(events as EventTable)
    const reference = (() => {
      try {
        ;(makeClient() as unknown as { on: (name: string, listener: () => void) => void }).on('consumer.nope', () => {})
      } catch (error) {
        return error as Error
      }
      throw new Error('kafkajs accepted an unknown event name')
    })()
    let mine: unknown
    try {
      emitter.on('consumer.nope', () => {})
    } catch (error) {
      mine = error
    }
    expect(mine).toBeInstanceOf(KafkaJSNonRetriableError)
    expect((mine as Error).name).toBe(reference.name)
    expect((mine as Error).message).toBe(reference.message)
    expect((mine as Error).message).toBe(
      `Event name should be one of ${Object.keys(events).map((key) => `${client}.events.${key}`).join(', ')}`,
    )
  })

  it('emitting an empty event name throws kafkajs’s non-retriable KafkaJSError', () => {
    const { emitter } = emitterFor(PRODUCER_EVENTS)
    let thrown: unknown
    try {
      emitter.emit('' as typeof PRODUCER_EVENTS.CONNECT)
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(KafkaJSError)
    expect((thrown as KafkaJSError).message).toBe('Invalid event name')
    expect((thrown as KafkaJSError).retriable).toBe(false)
  })

  it('a listener that throws is logged as kafkajs logs it, and the others still run', () => {
    const { emitter, logged } = emitterFor(CONSUMER_EVENTS)
    const calls: string[] = []
    emitter.on(CONSUMER_EVENTS.CRASH, () => {
      throw new Error('boom')
    })
    emitter.on(CONSUMER_EVENTS.CRASH, () => void calls.push('second'))
    expect(() => emitter.emit(CONSUMER_EVENTS.CRASH, { error: new Error('x') })).not.toThrow()
    expect(calls).toEqual(['second'])
    expect(logged).toHaveLength(1)
    expect(logged[0]!.label).toBe('ERROR')
    expect(logged[0]!.log.message).toBe('Failed to execute listener: boom')
    expect(logged[0]!.log.eventName).toBe('consumer.crash')
    expect(logged[0]!.log.stack).toMatch(/^Error: boom/)
  })

  it('a listener whose promise rejects is logged too', async () => {
    const { emitter, logged } = emitterFor(CONSUMER_EVENTS)
    emitter.on(CONSUMER_EVENTS.COMMIT_OFFSETS, async () => {
      throw new Error('async boom')
    })
    emitter.emit(CONSUMER_EVENTS.COMMIT_OFFSETS, {})
    await settleMicrotasks()
    expect(logged.map((entry) => entry.log.message)).toEqual(['Failed to execute listener: async boom'])
  })

  it('a failing listener does not break later emits', () => {
    const { emitter } = emitterFor(PRODUCER_EVENTS)
    let count = 0
    emitter.on(PRODUCER_EVENTS.DISCONNECT, () => {
      count++
      throw new Error('always')
    })
    emitter.emit(PRODUCER_EVENTS.DISCONNECT)
    emitter.emit(PRODUCER_EVENTS.DISCONNECT)
    expect(count).toBe(2)
  })
})
