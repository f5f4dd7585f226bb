/**
 * kafkajs's logger (kafkajs 2.2.4, src/loggers): levels, a `logCreator` that turns entries into
 * output, namespaced child loggers, and the KAFKAJS_LOG_LEVEL environment override. The only
 * change is where the time comes from: each entry's `timestamp` is read from the injected
 * Clock, so logs under a ManualClock show virtual time.
 */
import { SystemClock, type Clock } from '../cluster/clock.js'

/** kafkajs's `logLevel` (exported by kafkajs as a plain object; an enum in its types). */
export const logLevel = {
  NOTHING: 0,
  ERROR: 1,
  WARN: 2,
  INFO: 4,
  DEBUG: 5,
} as const

export type LogLevel = (typeof logLevel)[keyof typeof logLevel]
export type LogLevelLabel = Exclude<keyof typeof logLevel, 'NOTHING'>

export interface LoggerEntryContent {
  readonly timestamp: string
  readonly message: string
  [key: string]: any
}

export interface LogEntry {
  /**
   * The logger's namespace. Typed `string` as in kafkajs's types, but, as in kafkajs, the root
   * logger passes undefined.
   */
  namespace: string
  level: LogLevel
  label: string
  log: LoggerEntryContent
}

export type LogCreator = (logLevel: LogLevel) => (entry: LogEntry) => void

export interface Logger {
  info: (message: string, extra?: object) => void
  error: (message: string, extra?: object) => void
  warn: (message: string, extra?: object) => void
  debug: (message: string, extra?: object) => void
  /** A logger whose entries carry `namespace`; a level given here overrides the shared one. */
  namespace: (namespace: string, logLevel?: LogLevel) => Logger
  /** Sets the level shared by this logger and every namespace made without its own level. */
  setLogLevel: (logLevel: LogLevel) => void
}

export interface LoggerOptions {
  level?: LogLevel
  logCreator?: LogCreator
  /** Where entry timestamps come from. Defaults to the wall clock. */
  clock?: Pick<Clock, 'now'>
  /** Where KAFKAJS_LOG_LEVEL is read from. Defaults to process.env. */
  env?: Readonly<Record<string, string | undefined>>
}

/**
 * kafkajs lets KAFKAJS_LOG_LEVEL (a level name, any case) override the configured level, both
 * for the root logger and for every namespace, whatever level the namespace asked for.
 */
function evaluateLogLevel<L extends LogLevel | undefined>(
  level: L,
  env: Readonly<Record<string, string | undefined>>,
): LogLevel | L {
  const name = (env.KAFKAJS_LOG_LEVEL ?? '').toUpperCase()
  return Object.hasOwn(logLevel, name) ? logLevel[name as keyof typeof logLevel] : level
}

/** One log line as kafkajs's console logCreator writes it: JSON, the namespace in brackets. */
export function formatLogLine({ namespace, label, log }: LogEntry): string {
  const prefix = namespace ? `[${namespace}] ` : ''
  // Object.assign, as kafkajs does: a '__proto__' key in `log` sets the prototype, not a field.
  return JSON.stringify(Object.assign({ level: label }, log, { message: `${prefix}${log.message}` }))
}

/** kafkajs's default logCreator: JSON lines on the console method matching the level. */
export const consoleLogCreator: LogCreator = () => (entry) => {
  const line = formatLogLine(entry)
  switch (entry.level) {
    case logLevel.ERROR:
      return console.error(line)
    case logLevel.WARN:
      return console.warn(line)
    case logLevel.INFO:
      return console.info(line)
    case logLevel.DEBUG:
      return console.log(line)
  }
}

/**
 * Creates a root logger. As in kafkajs, `logCreator` is called once, with the initial level,
 * and an entry reaches it only when its level is at or below the logger's current level; the
 * entry's log is `{ timestamp, logger: 'kafkajs', message, ...extra }`.
 */
export function createLogger({
  level = logLevel.INFO,
  logCreator = consoleLogCreator,
  clock = new SystemClock(),
  env = process.env,
}: LoggerOptions = {}): Logger {
  let sharedLevel: LogLevel = evaluateLogLevel(level, env)
  const write = logCreator(sharedLevel)

  const build = (namespace: string | undefined, ownLevel: LogLevel | undefined): Logger => {
    const currentLevel = (): LogLevel => ownLevel ?? sharedLevel
    const at =
      (label: LogLevelLabel, entryLevel: LogLevel) =>
      (message: string, extra: object = {}): void => {
        if (entryLevel > currentLevel()) return
        write({
          // The root logger has no namespace; kafkajs passes undefined despite its types.
          namespace: namespace as string,
          level: entryLevel,
          label,
          // Object.assign, as kafkajs does: an extra '__proto__' key is not copied as a field.
          log: Object.assign({ timestamp: new Date(clock.now()).toISOString(), logger: 'kafkajs', message }, extra),
        })
      }
    return {
      info: at('INFO', logLevel.INFO),
      error: at('ERROR', logLevel.ERROR),
      warn: at('WARN', logLevel.WARN),
      debug: at('DEBUG', logLevel.DEBUG),
      // A namespace of a namespace replaces it rather than nesting, as in kafkajs.
      namespace: (childNamespace, childLevel) => build(childNamespace, evaluateLogLevel(childLevel, env)),
      setLogLevel: (newLevel) => {
        sharedLevel = newLevel
      },
    }
  }

  return build(undefined, undefined)
}

/** A logger that drops everything: for internal components built without one. */
export function createNoopLogger(): Logger {
  const ignore = (): void => {}
  const logger: Logger = {
    info: ignore,
    error: ignore,
    warn: ignore,
    debug: ignore,
    namespace: () => logger,
    setLogLevel: ignore,
  }
  return logger
}
