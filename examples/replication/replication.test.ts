/**
 * Concept 4, checked: the HW is the ISR's common log end, acks=all waits for the ISR (and a
 * stalled follower is dropped after replica.lag.time.max.ms), a crashed leader is replaced by
 * an ISR member with every acknowledged write, min.insync.replicas refuses writes it cannot
 * protect, and an acks=1 write acknowledged by a leader that then crashes is lost (its old
 * leader truncates it away).
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

describe('replication', () => {
  it('starts with every replica in sync and the HW at the log end', () => {
    expect(result.initial).toEqual({ leader: 0, leaderEpoch: 0, isr: [0, 1, 2], highWatermark: 3, logEndOffset: 3 })
  })

  it('holds an acks=all write until the stalled follower leaves the ISR, then acknowledges it', () => {
    expect(result.ackWaitedMs).toBeGreaterThan(2_000)
    expect(result.afterShrink).toEqual({ leader: 0, leaderEpoch: 0, isr: [0, 1], highWatermark: 5, logEndOffset: 5 })
  })

  it('elects the surviving ISR member, in a new epoch, with every acknowledged payment', () => {
    expect(result.afterFailover).toMatchObject({ leader: 1, leaderEpoch: 1, isr: [1] })
    expect(result.paymentsRead).toEqual(result.paymentsAcknowledged.slice(0, 5))
  })

  it('refuses acks=all writes while the ISR is smaller than min.insync.replicas', () => {
    expect(result.notEnoughReplicasError).toBe('NOT_ENOUGH_REPLICAS')
    expect(result.afterRecovery.isr).toEqual([0, 1, 2])
    expect(result.afterRecovery.highWatermark).toBe(6)
  })

  it('loses an acks=1 write when the leader crashes before a follower has it', () => {
    expect(result.clicksAcknowledged).toEqual(['click-1', 'click-2', 'click-3', 'click-4'])
    expect(result.clicksRead).toEqual(['click-1', 'click-2', 'click-4'])
    expect(result.truncations).toEqual([{ brokerId: expect.any(Number), from: 3, to: 2 }])
  })

  it('tells the failovers in the story', () => {
    expect(run.text).toMatch(/leader of payments-0 moved 0 -> 1 \(epoch 1; leader 0 fenced\)/)
    expect(run.text).toMatch(/ISR of payments-0 shrank to 0,1 \(lagged more than replica\.lag\.time\.max\.ms: 2\)/)
    expect(run.text).toMatch(/truncated its clicks-0 from 3 to 2/)
  })

  it('prints the same text on every run', async () => {
    expect((await runExample(example)).text).toBe(run.text)
  })
})
