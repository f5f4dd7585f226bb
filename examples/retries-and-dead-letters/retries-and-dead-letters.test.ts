/**
 * Concept 10, checked: a failing payment never holds up the ones behind it, is retried after
 * the back-off up to the attempt limit, and lands in the dead-letter topic with its error when
 * it keeps failing; every payment is either charged once or dead-lettered. Priority: once high
 * tasks are waiting, no low task starts until they are all done.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { runExample, type ExampleRun } from '../kit/example.js'
import example from './main.js'

// One run of the example; every check below reads it (and the last one runs it again).
let run!: ExampleRun<Awaited<ReturnType<typeof example.run>>>
let result!: Awaited<ReturnType<typeof example.run>>
beforeAll(async () => {
  run = await runExample(example)
  result = run.result
})

describe('retries and dead letters', () => {
  it('charges every payment that eventually succeeds exactly once, and dead-letters the rest', () => {
    expect([...result.charged].sort()).toEqual(['pay-1', 'pay-2', 'pay-4', 'pay-5'])
    expect(result.deadLetters).toEqual([{ payment: 'pay-3', headers: { attempts: '3', error: 'card number invalid', 'original-topic': 'payments' } }])
  })

  it('does not hold up the payments behind a failing one', () => {
    const firstPass = result.attempts.filter((a) => a.topic === 'payments')
    expect(firstPass.map((a) => a.payment)).toEqual(['pay-1', 'pay-2', 'pay-3', 'pay-4', 'pay-5'])
    expect(new Set(firstPass.map((a) => a.time)).size).toBe(1)
    expect(result.charged.indexOf('pay-4')).toBeLessThan(result.charged.indexOf('pay-2'))
  })

  it('retries after the back-off, at most three attempts per payment', () => {
    for (const payment of ['pay-2', 'pay-3', 'pay-5']) {
      const tries = result.attempts.filter((a) => a.payment === payment)
      expect(tries.map((a) => a.attempt)).toEqual(tries.map((_, i) => i + 1))
      expect(tries.length).toBeLessThanOrEqual(3)
      for (let i = 1; i < tries.length; i++) expect(tries[i]!.time - tries[i - 1]!.time).toBeGreaterThanOrEqual(1_000)
    }
  })

  it('starts no low-priority task while high-priority tasks wait', () => {
    const order = result.tasks.map((t) => t.task)
    expect(order.filter((t) => t.startsWith('high'))).toEqual(['high-1', 'high-2', 'high-3'])
    expect(order.filter((t) => t.startsWith('low'))).toEqual(['low-1', 'low-2', 'low-3', 'low-4', 'low-5', 'low-6'])
    const lastHigh = Math.max(...result.tasks.filter((t) => t.task.startsWith('high')).map((t) => t.time))
    const lowStartedWhileWaiting = result.tasks.filter((t) => t.task.startsWith('low') && t.time > result.highArrivedAt && t.time < lastHigh)
    expect(lowStartedWhileWaiting).toEqual([])
    // One task at a time, each taking its 100 ms.
    const times = result.tasks.map((t) => t.time)
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(100)
  })

  it('prints the same text on every run', async () => {
    expect((await runExample(example)).text).toBe(run.text)
  })
})
