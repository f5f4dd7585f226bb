/**
 * kafkajs's retrier (kafkajs 2.2.4, src/retry/index.js): run an async operation, and when it
 * fails with a retriable error, wait a randomised, exponentially growing time and run it again,
 * up to `retries` more times. The wait goes through the injected Clock and the jitter through
 * the injected Random, so a ManualClock and a seed replay the same back-off exactly.
 */
import type { Clock } from '../cluster/clock.js'
import type { Random } from '../cluster/random.js'
import { KafkaJSNonRetriableError, KafkaJSNumberOfRetriesExceeded } from './errors.js'

/** The `retry` option of Kafka, producer, consumer and admin configs. */
export interface RetryOptions {
  maxRetryTime?: number
  initialRetryTime?: number
  /** Randomisation: each wait is drawn from [t - factor*t, t + factor*t]. */
  factor?: number
  /** Growth of the wait from one attempt to the next. */
  multiplier?: number
  retries?: number
  /** Consumer only: asked whether to restart after a crash (the consumer reads it, not this). */
  restartOnFailure?: (e: Error) => Promise<boolean>
}

export interface RetryConfig {
  maxRetryTime: number
  initialRetryTime: number
  factor: number
  multiplier: number
  retries: number
}

/** kafkajs's defaults (src/retry/defaults.js). */
export const RETRY_DEFAULTS: Readonly<RetryConfig> = {
  maxRetryTime: 30_000,
  initialRetryTime: 300,
  factor: 0.2,
  multiplier: 2,
  retries: 5,
}

/** kafkajs's defaults when NODE_ENV is 'test' (src/retry/defaults.test.js): quicker, more often. */
export const RETRY_TEST_DEFAULTS: Readonly<RetryConfig> = {
  maxRetryTime: 1000,
  initialRetryTime: 50,
  factor: 0.02,
  multiplier: 1.5,
  retries: 15,
}

/**
 * The defaults in force. kafkajs picks them once, when its retry module loads; memkafka reads
 * NODE_ENV each time a retrier is created, which agrees with kafkajs unless NODE_ENV changes
 * during the run. (vitest and jest both set NODE_ENV=test.)
 */
export function retryDefaults(env: Readonly<Record<string, string | undefined>> = process.env): Readonly<RetryConfig> {
  return env.NODE_ENV === 'test' ? RETRY_TEST_DEFAULTS : RETRY_DEFAULTS
}

/** The configuration a retrier runs with: options laid over the defaults, as Object.assign would. */
export function retryConfig(options: RetryOptions = {}, defaults: Readonly<RetryConfig> = retryDefaults()): RetryConfig {
  const { restartOnFailure: _ignored, ...overrides } = options
  return { ...defaults, ...overrides }
}

/** Anything that draws a float in [0, 1), such as the cluster's seeded Random. */
export type RandomSource = Pick<Random, 'next'>

/**
 * `retryTime` randomised by `factor`: uniform in [t - factor*t, t + factor*t), rounded up to
 * a whole millisecond, as kafkajs's randomFromRetryTime computes it.
 */
export function randomizedRetryTime(factor: number, retryTime: number, random: RandomSource): number {
  const delta = factor * retryTime
  const min = retryTime - delta
  const max = retryTime + delta
  return Math.ceil(random.next() * (max - min) + min)
}

/**
 * The wait before the attempt after one that waited `retryTime`: randomised, multiplied, and
 * capped at maxRetryTime (kafkajs's calculateExponentialRetryTime). The first wait is
 * `randomizedRetryTime(factor, initialRetryTime)` and is not capped, as in kafkajs.
 */
export function nextRetryTime(config: RetryConfig, retryTime: number, random: RandomSource): number {
  return Math.min(randomizedRetryTime(config.factor, retryTime, random) * config.multiplier, config.maxRetryTime)
}

/** Errors that signal a programming mistake: retrying cannot help (kafkajs's list). */
const UNRECOVERABLE_ERROR_NAMES = new Set(['RangeError', 'ReferenceError', 'SyntaxError', 'TypeError'])

/**
 * kafkajs retries any error unless it says `retriable: false` or is one of the unrecoverable
 * built-in errors (matched by `name`, as kafkajs does). A thrown non-object is retried too.
 */
export function isErrorRetriable(error: unknown): boolean {
  if (error === null || typeof error !== 'object') return true
  const { retriable, name } = error as { retriable?: unknown; name?: unknown }
  return retriable !== false && !(typeof name === 'string' && UNRECOVERABLE_ERROR_NAMES.has(name))
}

/** Stops retrying: the retrier rejects with `error` (or Error('Aborted')) as it is. */
export type Bail = (error?: unknown) => void

export type RetriableFunction<T> = (bail: Bail, retryCount: number, retryTime: number) => Promise<T> | T

export type Retrier = <T>(fn: RetriableFunction<T>) => Promise<T>

export interface RetryDeps {
  clock: Pick<Clock, 'setTimeout'>
  random: RandomSource
  /**
   * Waits out a back-off (default: a timer on `clock`). A ClusterClient's sleep counts as
   * pending work for settle() and the self-advancing clock, and rejects when the cluster closes,
   * which ends the retrier with that error.
   */
  sleep?: (ms: number) => Promise<void>
}

function causeOf(error: unknown): unknown {
  const cause = (error as { cause?: unknown } | null | undefined)?.cause
  return cause || error
}

/**
 * Creates a retrier. Each call runs `fn(bail, retryCount, retryTime)` at once, then after
 * each retriable failure waits `retryTime` ms and runs it again with retryCount + 1, until it
 * succeeds or `retries` retries have failed. The outcomes, as in kafkajs:
 * - `fn` resolves: the retrier resolves with its value.
 * - `fn` calls `bail(error)`: the retrier rejects with that error untouched (or Error('Aborted'))
 *   and runs `fn` no more.
 * - a non-retriable error: the retrier rejects with a KafkaJSNonRetriableError carrying the same
 *   message, whose `cause` is the error's own cause or else the error itself. (It is wrapped,
 *   not rethrown: `type` and `code` are only on the cause.)
 * - retries exhausted: KafkaJSNumberOfRetriesExceeded wrapping the last error, with the
 *   retryCount and retryTime of the last attempt.
 */
export function createRetry(options: RetryOptions = {}, deps: RetryDeps): Retrier {
  const config = retryConfig(options)
  const { clock, random } = deps

  return <T>(fn: RetriableFunction<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      let aborted = false

      const bail: Bail = (error) => {
        aborted = true
        reject(error || new Error('Aborted'))
      }

      const attempt = (retryTime: number, retryCount: number): void => {
        if (aborted) return
        // Drawn before the attempt runs, as kafkajs does, so the Random is consumed once per
        // attempt whatever its outcome.
        const followingRetryTime = nextRetryTime(config, retryTime, random)

        let result: Promise<T>
        try {
          result = Promise.resolve(fn(bail, retryCount, retryTime))
        } catch (error) {
          // kafkajs expects a promise; a synchronous throw counts as a rejection here.
          result = Promise.reject(error)
        }

        result.then(resolve, (error: unknown) => {
          if (aborted) return
          if (!isErrorRetriable(error)) {
            reject(new KafkaJSNonRetriableError(error as Error, { cause: causeOf(error) }))
          } else if (retryCount < config.retries) {
            if (deps.sleep) deps.sleep(retryTime).then(() => attempt(followingRetryTime, retryCount + 1), reject)
            else clock.setTimeout(() => attempt(followingRetryTime, retryCount + 1), retryTime)
          } else {
            reject(new KafkaJSNumberOfRetriesExceeded(error as Error, { retryCount, retryTime }))
          }
        })
      }

      attempt(randomizedRetryTime(config.factor, config.initialRetryTime, random), 0)
    })
}
