import { createRequire } from 'node:module'
import fc from 'fast-check'
import type * as KafkaJS from 'kafkajs'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ManualClock } from '../../src/cluster/clock.js'
import { Random } from '../../src/cluster/random.js'
import {
  KafkaJSError,
  KafkaJSNonRetriableError,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSProtocolError,
} from '../../src/client/errors.js'
import { createErrorFromCode } from '../../src/client/protocol-error-table.js'
import {
  RETRY_DEFAULTS,
  RETRY_TEST_DEFAULTS,
  createRetry,
  isErrorRetriable,
  nextRetryTime,
  randomizedRetryTime,
  retryConfig,
  retryDefaults,
  type Retrier,
  type RetryConfig,
  type RetryOptions,
} from '../../src/client/retry.js'

// Compile-time: a kafkajs `retry` option is ours, and ours is kafkajs's.
const kafkajsOptionsAsOurs = (options: KafkaJS.RetryOptions): RetryOptions => options
const oursAsKafkaJS = (options: RetryOptions): KafkaJS.RetryOptions => options
void [kafkajsOptionsAsOurs, oursAsKafkaJS]

// kafkajs's retrier is the oracle for the back-off sequence.
const require = createRequire(import.meta.url)
type KafkaJSRetrier = <T>(fn: (bail: (e?: unknown) => void, retryCount: number, retryTime: number) => Promise<T>) => Promise<T>
const kafkajsRetry = require('kafkajs/src/retry') as (options: Partial<RetryConfig>) => KafkaJSRetrier

interface Attempt {
  at: number
  retryCount: number
  retryTime: number
}

/** Runs a retrier to completion on a ManualClock, firing each back-off timer as it falls due. */
async function runToCompletion<T>(
  clock: ManualClock,
  retrier: Retrier,
  outcome: (attempt: Attempt, bail: (e?: unknown) => void) => Promise<T>,
): Promise<{ attempts: Attempt[]; result: PromiseSettledResult<T> }> {
  const attempts: Attempt[] = []
  let result: PromiseSettledResult<T> | undefined
  retrier((bail, retryCount, retryTime) => {
    const attempt = { at: clock.now(), retryCount, retryTime }
    attempts.push(attempt)
    return outcome(attempt, bail)
  }).then(
    (value) => (result = { status: 'fulfilled', value }),
    (reason: unknown) => (result = { status: 'rejected', reason }),
  )
  await clock.runDue()
  while (result === undefined) {
    const due = clock.nextTimerAt()
    if (due === undefined) throw new Error('the retrier stalled with no timer pending')
    await clock.advance(due - clock.now())
  }
  return { attempts, result }
}

const retriableError = (): KafkaJSProtocolError => createErrorFromCode(5) // LEADER_NOT_AVAILABLE

const configArb = fc.record({
  initialRetryTime: fc.integer({ min: 1, max: 2000 }),
  maxRetryTime: fc.integer({ min: 1, max: 60_000 }),
  factor: fc.double({ min: 0, max: 0.99, noNaN: true }),
  multiplier: fc.double({ min: 1, max: 4, noNaN: true }),
  retries: fc.integer({ min: 0, max: 8 }),
})

describe('retry defaults', () => {
  it('are kafkajs’s, with kafkajs’s quicker set under NODE_ENV=test', () => {
    expect(RETRY_DEFAULTS).toEqual(require('kafkajs/src/retry/defaults'))
    expect(RETRY_TEST_DEFAULTS).toEqual(require('kafkajs/src/retry/defaults.test'))
    expect(RETRY_DEFAULTS).toEqual({ retries: 5, initialRetryTime: 300, maxRetryTime: 30000, factor: 0.2, multiplier: 2 })
    expect(retryDefaults({ NODE_ENV: 'test' })).toBe(RETRY_TEST_DEFAULTS)
    expect(retryDefaults({ NODE_ENV: 'production' })).toBe(RETRY_DEFAULTS)
    expect(retryDefaults({})).toBe(RETRY_DEFAULTS)
  })

  it('options override the defaults one by one', () => {
    expect(retryConfig({ retries: 2 }, RETRY_DEFAULTS)).toEqual({ ...RETRY_DEFAULTS, retries: 2 })
    expect(retryConfig({ restartOnFailure: async () => true }, RETRY_DEFAULTS)).toEqual(RETRY_DEFAULTS)
  })
})

describe('back-off times', () => {
  it('a randomised time lies within factor of the time, rounded up', () => {
    fc.assert(
      fc.property(fc.integer(), fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 100_000 }), (seed, factor, time) => {
        const value = randomizedRetryTime(factor, time, new Random(seed))
        expect(Number.isInteger(value)).toBe(true)
        expect(value).toBeGreaterThanOrEqual(Math.ceil(time - factor * time))
        expect(value).toBeLessThanOrEqual(Math.ceil(time + factor * time))
      }),
    )
  })

  it('the next time is the randomised time times the multiplier, capped at maxRetryTime', () => {
    fc.assert(
      fc.property(fc.integer(), configArb, fc.integer({ min: 1, max: 100_000 }), (seed, config, time) => {
        const expected = Math.min(randomizedRetryTime(config.factor, time, new Random(seed)) * config.multiplier, config.maxRetryTime)
        expect(nextRetryTime(config, time, new Random(seed))).toBe(expected)
        expect(nextRetryTime(config, time, new Random(seed))).toBeLessThanOrEqual(config.maxRetryTime)
      }),
    )
  })

  it('uses the injected Random, not Math.random', () => {
    const spy = vi.spyOn(Math, 'random')
    try {
      randomizedRetryTime(0.2, 300, new Random(1))
      expect(spy).not.toHaveBeenCalled()
    } finally {
      spy.mockRestore()
    }
  })
})

describe('createRetry', () => {
  afterEach(() => {
    vi.useRealTimers()
    vi.restoreAllMocks()
  })

  it('resolves with the value of the first attempt that succeeds, waiting each retryTime in virtual time', async () => {
    const clock = new ManualClock(1000)
    const retrier = createRetry({ retries: 5, initialRetryTime: 100, factor: 0.2, multiplier: 2, maxRetryTime: 30_000 }, { clock, random: new Random(7) })
    const { attempts, result } = await runToCompletion(clock, retrier, async ({ retryCount }) => {
      if (retryCount < 3) throw retriableError()
      return 'done'
    })
    expect(result).toEqual({ status: 'fulfilled', value: 'done' })
    expect(attempts.map((a) => a.retryCount)).toEqual([0, 1, 2, 3])
    expect(attempts[0]!.at).toBe(1000)
    for (let i = 1; i < attempts.length; i++) expect(attempts[i]!.at - attempts[i - 1]!.at).toBeCloseTo(attempts[i - 1]!.retryTime, 6)
  })

  it('does not retry before virtual time reaches the back-off', async () => {
    const clock = new ManualClock()
    const retrier = createRetry({ retries: 3, initialRetryTime: 100, factor: 0 }, { clock, random: new Random(1) })
    let calls = 0
    void retrier(async () => {
      calls++
      throw retriableError()
    }).catch(() => {})
    await clock.runDue()
    expect(calls).toBe(1)
    await new Promise((resolve) => setTimeout(resolve, 150)) // real time passes; virtual time does not
    expect(calls).toBe(1)
    await clock.advance(99)
    expect(calls).toBe(1)
    await clock.advance(1)
    expect(calls).toBe(2)
  })

  it('gives up after `retries` retries with KafkaJSNumberOfRetriesExceeded wrapping the last error', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer(), configArb, async (seed, config) => {
        const clock = new ManualClock()
        const retrier = createRetry(config, { clock, random: new Random(seed) })
        const errors: Error[] = []
        const { attempts, result } = await runToCompletion(clock, retrier, async () => {
          const error = retriableError()
          errors.push(error)
          throw error
        })
        expect(attempts).toHaveLength(config.retries + 1)
        expect(result.status).toBe('rejected')
        const error = (result as PromiseRejectedResult).reason as KafkaJSNumberOfRetriesExceeded
        expect(error).toBeInstanceOf(KafkaJSNumberOfRetriesExceeded)
        expect(error.name).toBe('KafkaJSNumberOfRetriesExceeded')
        expect(error.retriable).toBe(false)
        expect(error.cause).toBe(errors.at(-1))
        expect(error.message).toBe(errors.at(-1)!.message)
        expect(error.retryCount).toBe(config.retries)
        expect(error.retryTime).toBe(attempts.at(-1)!.retryTime)
        // Each wait is the retryTime of the attempt before it; each retryTime grows as kafkajs computes.
        const f = config.factor
        const first = attempts[0]!.retryTime
        expect(first).toBeGreaterThanOrEqual(Math.ceil(config.initialRetryTime * (1 - f)) - 1e-9)
        expect(first).toBeLessThanOrEqual(Math.ceil(config.initialRetryTime * (1 + f)) + 1e-9)
        for (let i = 1; i < attempts.length; i++) {
          const previous = attempts[i - 1]!.retryTime
          const current = attempts[i]!.retryTime
          // (Waits can be fractional, so virtual time sums them with rounding.)
          expect(attempts[i]!.at - attempts[i - 1]!.at).toBeCloseTo(previous, 6)
          expect(current).toBeLessThanOrEqual(config.maxRetryTime)
          expect(current).toBeLessThanOrEqual(Math.min(Math.ceil(previous + f * previous) * config.multiplier, config.maxRetryTime))
          expect(current).toBeGreaterThanOrEqual(Math.min(Math.ceil(previous - f * previous) * config.multiplier, config.maxRetryTime))
        }
      }),
      { numRuns: 40 },
    )
  })

  it('draws the same back-off sequence as kafkajs given the same random numbers', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer(), configArb, async (seed, config) => {
        const clock = new ManualClock()
        const { attempts } = await runToCompletion(clock, createRetry(config, { clock, random: new Random(seed) }), async () => {
          throw retriableError()
        })

        // kafkajs draws from Math.random and waits on global timers: feed it the same stream.
        const stream = new Random(seed)
        vi.spyOn(Math, 'random').mockImplementation(() => stream.next())
        vi.useFakeTimers()
        const theirs: Omit<Attempt, 'at'>[] = []
        const settled = kafkajsRetry(config)(async (_bail, retryCount, retryTime) => {
          theirs.push({ retryCount, retryTime })
          throw retriableError()
        }).catch((error: Error) => error)
        await vi.runAllTimersAsync()
        const theirError = await settled
        vi.useRealTimers()
        vi.restoreAllMocks()

        expect(attempts.map(({ retryCount, retryTime }) => ({ retryCount, retryTime }))).toEqual(theirs)
        expect(theirError.name).toBe('KafkaJSNumberOfRetriesExceeded')
      }),
      { numRuns: 25 },
    )
  })

  it('bail rejects with the given error untouched and stops retrying', async () => {
    const clock = new ManualClock()
    const retrier = createRetry({ retries: 5 }, { clock, random: new Random(3) })
    const reason = new Error('stop here')
    const { attempts, result } = await runToCompletion(clock, retrier, async ({ retryCount }, bail) => {
      if (retryCount === 2) {
        bail(reason)
        throw retriableError()
      }
      throw retriableError()
    })
    expect(result).toEqual({ status: 'rejected', reason })
    expect((result as PromiseRejectedResult).reason).toBe(reason)
    expect(attempts).toHaveLength(3)
    expect(clock.pendingTimers).toBe(0)
  })

  it('bail without an error rejects with Error("Aborted")', async () => {
    const clock = new ManualClock()
    const retrier = createRetry({}, { clock, random: new Random(3) })
    const { result } = await runToCompletion(clock, retrier, async (_attempt, bail) => bail())
    expect(result.status).toBe('rejected')
    expect(((result as PromiseRejectedResult).reason as Error).message).toBe('Aborted')
  })

  it.each([
    ['retriable: false', () => createErrorFromCode(1)],
    ['a KafkaJSNonRetriableError', () => new KafkaJSNonRetriableError('fatal')],
    ['a TypeError', () => new TypeError('x is not a function')],
    ['a RangeError', () => new RangeError('out of range')],
    ['a ReferenceError', () => new ReferenceError('y is not defined')],
    ['a SyntaxError', () => new SyntaxError('bad')],
  ])('does not retry %s: it rejects at once with a KafkaJSNonRetriableError caused by it', async (_label, make) => {
    const clock = new ManualClock()
    const retrier = createRetry({ retries: 5 }, { clock, random: new Random(3) })
    const thrown = make()
    const { attempts, result } = await runToCompletion(clock, retrier, async () => {
      throw thrown
    })
    expect(attempts).toHaveLength(1)
    const error = (result as PromiseRejectedResult).reason as KafkaJSNonRetriableError
    expect(error.constructor).toBe(KafkaJSNonRetriableError)
    expect(error.message).toBe(thrown.message)
    expect(error.retriable).toBe(false)
    expect(error.cause).toBe(thrown)
  })

  it('a non-retriable error that has a cause passes that cause on, as kafkajs does', async () => {
    const clock = new ManualClock()
    const root = new Error('root')
    const thrown = new KafkaJSNonRetriableError('outer', { cause: root })
    const { result } = await runToCompletion(clock, createRetry({}, { clock, random: new Random(1) }), async () => {
      throw thrown
    })
    expect(((result as PromiseRejectedResult).reason as KafkaJSError).cause).toBe(root)
  })

  it('retries errors with no retriable flag, and plain Errors', async () => {
    expect(isErrorRetriable(new Error('x'))).toBe(true)
    expect(isErrorRetriable(new KafkaJSError('x'))).toBe(true)
    expect(isErrorRetriable({ retriable: undefined })).toBe(true)
    expect(isErrorRetriable('a string')).toBe(true)
    expect(isErrorRetriable({ retriable: false })).toBe(false)
    expect(isErrorRetriable({ name: 'TypeError', retriable: true })).toBe(false)
  })

  it('a synchronous throw counts as a failed attempt', async () => {
    const clock = new ManualClock()
    const retrier = createRetry({ retries: 2, initialRetryTime: 10 }, { clock, random: new Random(1) })
    const { attempts, result } = await runToCompletion(clock, retrier, ({ retryCount }) => {
      if (retryCount === 0) throw retriableError()
      return Promise.resolve(retryCount)
    })
    expect(attempts).toHaveLength(2)
    expect(result).toEqual({ status: 'fulfilled', value: 1 })
  })

  it('with retries: 0 the first retriable failure is final', async () => {
    const clock = new ManualClock()
    const { attempts, result } = await runToCompletion(clock, createRetry({ retries: 0 }, { clock, random: new Random(1) }), async () => {
      throw retriableError()
    })
    expect(attempts).toHaveLength(1)
    const error = (result as PromiseRejectedResult).reason as KafkaJSNumberOfRetriesExceeded
    expect(error).toBeInstanceOf(KafkaJSNumberOfRetriesExceeded)
    expect(error.retryCount).toBe(0)
  })

  it('is reproducible: the same seed gives the same attempt times', async () => {
    const run = async (seed: number): Promise<number[]> => {
      const clock = new ManualClock()
      const { attempts } = await runToCompletion(clock, createRetry({ retries: 6 }, { clock, random: new Random(seed) }), async () => {
        throw retriableError()
      })
      return attempts.map((a) => a.at)
    }
    expect(await run(42)).toEqual(await run(42))
  })
})
