import { createRequire } from 'node:module'
import fc from 'fast-check'
import type * as KafkaJS from 'kafkajs'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ManualClock } from '../../src/cluster/clock.js'
import {
  consoleLogCreator,
  createLogger,
  createNoopLogger,
  formatLogLine,
  logLevel,
  type LogCreator,
  type LogEntry,
  type LogLevel,
  type Logger,
} from '../../src/client/logger.js'

// kafkajs's loggers are the oracle.
const require = createRequire(import.meta.url)
const kafkajs = require('kafkajs') as typeof KafkaJS
const kafkajsLoggers = require('kafkajs/src/loggers') as {
  createLogger: (options: { level?: number; logCreator: KafkaJS.logCreator }) => KafkaJS.Logger
}
const kafkajsConsoleLogCreator = require('kafkajs/src/loggers/console') as KafkaJS.logCreator

// Compile-time: loggers and logCreators move freely between kafkajs's types and ours.
const oursAsKafkaJS: KafkaJS.Logger = createLogger({ logCreator: () => () => {} })
const kafkajsCreatorAsOurs: LogCreator = kafkajsConsoleLogCreator
const oursCreatorAsKafkaJS: KafkaJS.logCreator = consoleLogCreator
const kafkajsLevelAsOurs: LogLevel = kafkajs.logLevel.DEBUG
void [oursAsKafkaJS, kafkajsCreatorAsOurs, oursCreatorAsKafkaJS, kafkajsLevelAsOurs]

function recording(options: { level?: LogLevel; clock?: ManualClock; env?: Record<string, string | undefined> } = {}) {
  const entries: LogEntry[] = []
  const creatorCalls: LogLevel[] = []
  const logger = createLogger({
    clock: new ManualClock(0),
    env: {},
    ...options,
    logCreator: (level) => {
      creatorCalls.push(level)
      return (entry) => entries.push(entry)
    },
  })
  return { logger, entries, creatorCalls }
}

const logAll = (logger: Logger): void => {
  logger.error('e')
  logger.warn('w')
  logger.info('i')
  logger.debug('d')
}

describe('logLevel', () => {
  it('has kafkajs’s values', () => {
    expect(logLevel).toEqual({ ...kafkajs.logLevel })
    expect(logLevel).toEqual({ NOTHING: 0, ERROR: 1, WARN: 2, INFO: 4, DEBUG: 5 })
  })
})

describe('createLogger', () => {
  afterEach(() => {
    vi.useRealTimers()
    vi.unstubAllEnvs()
    vi.restoreAllMocks()
  })

  it.each([
    [logLevel.NOTHING, []],
    [logLevel.ERROR, ['ERROR']],
    [logLevel.WARN, ['ERROR', 'WARN']],
    [logLevel.INFO, ['ERROR', 'WARN', 'INFO']],
    [logLevel.DEBUG, ['ERROR', 'WARN', 'INFO', 'DEBUG']],
  ] as const)('at level %i passes on %j', (level, labels) => {
    const { logger, entries } = recording({ level })
    logAll(logger)
    expect(entries.map((entry) => entry.label)).toEqual(labels)
  })

  it('defaults to INFO', () => {
    const { logger, entries } = recording()
    logAll(logger)
    expect(entries.map((entry) => entry.label)).toEqual(['ERROR', 'WARN', 'INFO'])
  })

  it('builds kafkajs’s entry, with the timestamp read from the injected clock', () => {
    const clock = new ManualClock(Date.UTC(2024, 0, 2, 3, 4, 5, 678))
    const { logger, entries } = recording({ clock })
    logger.info('Starting', { groupId: 'g' })
    expect(entries).toEqual([
      {
        namespace: undefined,
        level: logLevel.INFO,
        label: 'INFO',
        log: { timestamp: '2024-01-02T03:04:05.678Z', logger: 'kafkajs', message: 'Starting', groupId: 'g' },
      },
    ])
  })

  it('calls the logCreator once, with the starting level', () => {
    const { logger, creatorCalls } = recording({ level: logLevel.WARN })
    logAll(logger)
    logger.namespace('Consumer').info('x')
    logger.setLogLevel(logLevel.DEBUG)
    expect(creatorCalls).toEqual([logLevel.WARN])
  })

  it('setLogLevel changes the level of the logger and of its namespaces without a level of their own', () => {
    const { logger, entries } = recording({ level: logLevel.ERROR })
    const consumer = logger.namespace('Consumer')
    const pinned = logger.namespace('Pinned', logLevel.ERROR)
    consumer.setLogLevel(logLevel.DEBUG) // a namespace's setLogLevel sets the shared level, as in kafkajs
    logger.debug('root')
    consumer.debug('consumer')
    pinned.debug('pinned')
    pinned.error('pinned error')
    expect(entries.map((entry) => [entry.namespace, entry.log.message])).toEqual([
      [undefined, 'root'],
      ['Consumer', 'consumer'],
      ['Pinned', 'pinned error'],
    ])
  })

  it('a namespace of a namespace replaces it, as in kafkajs', () => {
    const { logger, entries } = recording()
    logger.namespace('Consumer').namespace('Runner').info('x')
    expect(entries[0]!.namespace).toBe('Runner')
  })

  it('KAFKAJS_LOG_LEVEL overrides the configured level, and every namespace level', () => {
    const { logger, entries } = recording({ level: logLevel.ERROR, env: { KAFKAJS_LOG_LEVEL: 'debug' } })
    logger.debug('root')
    logger.namespace('Pinned', logLevel.NOTHING).debug('pinned')
    expect(entries.map((entry) => entry.log.message)).toEqual(['root', 'pinned'])
  })

  it('ignores a KAFKAJS_LOG_LEVEL that names no level', () => {
    const { logger, entries } = recording({ level: logLevel.ERROR, env: { KAFKAJS_LOG_LEVEL: 'verbose' } })
    logAll(logger)
    expect(entries.map((entry) => entry.label)).toEqual(['ERROR'])
  })

  it('reads KAFKAJS_LOG_LEVEL from process.env by default', () => {
    vi.stubEnv('KAFKAJS_LOG_LEVEL', 'nothing')
    const entries: LogEntry[] = []
    const logger = createLogger({ level: logLevel.DEBUG, clock: new ManualClock(), logCreator: () => (entry) => entries.push(entry) })
    logAll(logger)
    expect(entries).toEqual([])
  })

  it('behaves as kafkajs’s logger over any sequence of calls', () => {
    const levelArb = fc.constantFrom<LogLevel>(0, 1, 2, 4, 5)
    const opArb = fc.oneof(
      fc.record({ kind: fc.constant('log' as const), method: fc.constantFrom('info', 'warn', 'error', 'debug'), target: fc.nat(3), message: fc.string(), extra: fc.dictionary(fc.string({ minLength: 1 }), fc.string()) }),
      fc.record({ kind: fc.constant('setLogLevel' as const), target: fc.nat(3), level: levelArb }),
      fc.record({ kind: fc.constant('namespace' as const), target: fc.nat(3), name: fc.string(), level: fc.option(levelArb, { nil: undefined }) }),
    )
    const now = Date.UTC(2023, 5, 6, 7, 8, 9, 10)
    vi.useFakeTimers({ now }) // kafkajs reads new Date(); pin it to our clock's time
    fc.assert(
      fc.property(levelArb, fc.option(fc.constantFrom('debug', 'WARN', 'nothing', 'bogus'), { nil: undefined }), fc.array(opArb, { maxLength: 30 }), (level, envLevel, ops) => {
        if (envLevel === undefined) vi.stubEnv('KAFKAJS_LOG_LEVEL', undefined)
        else vi.stubEnv('KAFKAJS_LOG_LEVEL', envLevel)
        const run = (root: Logger): void => {
          const loggers: Logger[] = [root]
          for (const op of ops) {
            const target = loggers[op.target % loggers.length]!
            if (op.kind === 'log') target[op.method](op.message, op.extra)
            else if (op.kind === 'setLogLevel') target.setLogLevel(op.level)
            else loggers.push(target.namespace(op.name, op.level))
          }
        }
        const mine: unknown[] = []
        const theirs: unknown[] = []
        run(createLogger({ level, clock: new ManualClock(now), logCreator: () => (entry) => mine.push(entry) }))
        run(kafkajsLoggers.createLogger({ level, logCreator: () => (entry) => theirs.push(entry) }) as unknown as Logger)
        expect(mine).toEqual(theirs)
      }),
    )
  })
})

describe('the console logCreator', () => {
  afterEach(() => vi.restoreAllMocks())

  const entryArb = fc.record({
    namespace: fc.option(fc.string(), { nil: undefined }),
    level: fc.constantFrom<LogLevel>(1, 2, 4, 5),
    message: fc.string(),
    extra: fc.dictionary(fc.string({ minLength: 1 }), fc.oneof(fc.string(), fc.integer(), fc.boolean())),
  })

  it('writes the same JSON line as kafkajs’s, to the same console method', () => {
    const methods = ['log', 'info', 'warn', 'error'] as const
    const spies = Object.fromEntries(methods.map((method) => [method, vi.spyOn(console, method).mockImplementation(() => {})]))
    const labels: Record<number, string> = { 1: 'ERROR', 2: 'WARN', 4: 'INFO', 5: 'DEBUG' }
    fc.assert(
      fc.property(entryArb, ({ namespace, level, message, extra }) => {
        const entry = { namespace: namespace as string, level, label: labels[level]!, log: { ...extra, timestamp: '2024-01-01T00:00:00.000Z', logger: 'kafkajs', message } }
        const calls = (): unknown[][] => methods.map((method) => spies[method]!.mock.calls.splice(0))
        consoleLogCreator(level)(entry)
        const mine = calls()
        kafkajsConsoleLogCreator(level as KafkaJS.logLevel)(entry as KafkaJS.LogEntry)
        const theirs = calls()
        expect(mine).toEqual(theirs)
        expect(mine.flat(2)).toEqual([formatLogLine(entry)])
      }),
    )
  })

  it('prefixes the namespace in brackets and puts the label first', () => {
    const line = formatLogLine({ namespace: 'Consumer', level: 4, label: 'INFO', log: { timestamp: 't', logger: 'kafkajs', message: 'Starting' } })
    expect(line).toBe('{"level":"INFO","timestamp":"t","logger":"kafkajs","message":"[Consumer] Starting"}')
  })
})

describe('createNoopLogger', () => {
  it('accepts every call and writes nothing', () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {})
    const logger = createNoopLogger()
    logAll(logger)
    logAll(logger.namespace('x', logLevel.DEBUG))
    logger.setLogLevel(logLevel.DEBUG)
    expect(spy).not.toHaveBeenCalled()
    spy.mockRestore()
  })
})
