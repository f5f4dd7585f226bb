/**
 * ManualClock.advance queues the macrotask turns of the timers due at one instant together
 * (issue 15). These tests hold it to what it did when each timer's turn was queued only after
 * the timer had run: the same timers run, in the same order, each seeing the same work settled
 * before it, and a cluster driven by it sends the same requests and records the same events.
 * The reference is that earlier loop, run over ManualClock's own timers.
 */
import { describe, it, expect } from 'vitest'
import fc from 'fast-check'
import { ManualClock } from '../../src/cluster/clock.js'
import { Cluster, logLevel, type Consumer } from '../../src/index.js'

interface Internals {
  current: number
  advances: number
  readonly timers: { peek(): { due: number; release(): () => void } | undefined; take(): unknown }
}

const oneTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

/** ManualClock with advance as it was: a timer, then a fresh macrotask turn, then the next timer. */
class OneTurnPerTimerClock extends ManualClock {
  override async advance(ms: number): Promise<void> {
    const self = this as unknown as Internals
    self.advances++
    const target = self.current + ms
    await oneTurn()
    for (;;) {
      const next = self.timers.peek()
      if (!next || next.due > target) break
      self.timers.take()
      self.current = Math.max(self.current, next.due)
      next.release()()
      await oneTurn()
    }
    self.current = target
    await oneTurn()
  }
}

/** ManualClock, counting the timers scheduled for each instant. */
class DueCountingClock extends ManualClock {
  readonly timersAt = new Map<number, number>()
  override setTimeout(callback: () => void, ms: number): ReturnType<ManualClock['setTimeout']> {
    const due = this.now() + Math.max(0, ms)
    this.timersAt.set(due, (this.timersAt.get(due) ?? 0) + 1)
    return super.setTimeout(callback, ms)
  }
}

/** What a timer of the generated programs does when it runs. */
interface Step {
  readonly delay: number
  /** Timers (by index, modulo how many there are) this one cancels when it runs. */
  readonly cancels: readonly number[]
  /** A timer it schedules when it runs, with this delay (0: the same instant). */
  readonly schedules: number | null
  /** Promise hops before its continuation logs, and whether it also queues a nextTick. */
  readonly hops: number
  readonly nextTick: boolean
}

const step = fc.record({
  delay: fc.integer({ min: 0, max: 3 }),
  cancels: fc.array(fc.nat(), { maxLength: 2 }),
  schedules: fc.option(fc.integer({ min: 0, max: 2 })),
  hops: fc.integer({ min: 0, max: 4 }),
  nextTick: fc.boolean(),
})

/** Runs the program on `clock`: what ran, when, and in which order its work settled. */
async function runProgram(clock: ManualClock, steps: readonly Step[], advances: readonly number[]): Promise<string[]> {
  const log: string[] = []
  const handles: ReturnType<ManualClock['setTimeout']>[] = []
  const schedule = (name: string, s: Step): void => {
    handles.push(
      clock.setTimeout(() => {
        log.push(`${name} at ${clock.now()}`)
        for (const c of s.cancels) if (handles.length > 0) clock.clearTimeout(handles[c % handles.length])
        if (s.schedules !== null) schedule(`${name}'`, { ...s, schedules: null, delay: s.schedules })
        if (s.nextTick) process.nextTick(() => log.push(`${name} tick`))
        void (async () => {
          for (let h = 0; h < s.hops; h++) await Promise.resolve()
          log.push(`${name} settled`)
        })()
      }, s.delay),
    )
  }
  steps.forEach((s, i) => schedule(`t${i}`, s))
  for (const ms of advances) {
    await clock.advance(ms)
    log.push(`advanced to ${clock.now()}`)
  }
  return log
}

describe('ManualClock: the turns of the timers due at one instant, queued together', () => {
  it('run the same timers in the same order as one turn per timer, with their work settled alike', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 40 }), fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 4 }), async (steps, advances) => {
        const expected = await runProgram(new OneTurnPerTimerClock(0), steps, advances)
        expect(await runProgram(new ManualClock(0), steps, advances)).toEqual(expected)
      }),
    )
  })

  it('give a group of consumers joining one by one the same requests, events and timeline', async () => {
    const run = async (clock: ManualClock): Promise<{ requests: string[]; events: string[]; timeline: unknown; consumed: string[] }> => {
      const cluster = new Cluster({ brokers: 3, clock, seed: 3 })
      const requests: string[] = []
      cluster.intercept('*', ({ api, brokerId, clientId, request }) => {
        const r = request as { memberId?: string; generationId?: number }
        requests.push(`${clock.now()} ${api} ${brokerId} ${clientId} ${r.memberId ?? ''} ${r.generationId ?? ''}`)
      })
      const kafka = cluster.kafka({ clientId: 'turns', logLevel: logLevel.NOTHING })
      const admin = kafka.admin()
      await admin.connect()
      await admin.createTopics({ topics: [{ topic: 't', numPartitions: 12, replicationFactor: 3 }] })
      await admin.disconnect()
      const producer = kafka.producer()
      await producer.connect()
      const events: string[] = []
      const consumed: string[] = []
      const members: Consumer[] = []
      for (let i = 0; i < 6; i++) {
        const consumer = kafka.consumer({ groupId: 'g', heartbeatInterval: 1000, sessionTimeout: 30_000 })
        for (const e of [consumer.events.GROUP_JOIN, consumer.events.REBALANCING, consumer.events.HEARTBEAT, consumer.events.COMMIT_OFFSETS, consumer.events.FETCH_START]) {
          consumer.on(e, (event) => void events.push(`${clock.now()} ${i} ${event.type}`))
        }
        await consumer.connect()
        await consumer.subscribe({ topics: ['t'], fromBeginning: true })
        members.push(consumer)
        const joined = consumer.run({ eachMessage: async ({ partition, message }) => void consumed.push(`${clock.now()} ${i} ${partition}:${message.offset}`) })
        const next = clock.nextTimerAt()
        if (next !== undefined) await cluster.advance(next - clock.now())
        await joined
        await producer.send({ topic: 't', messages: Array.from({ length: 8 }, (_, m) => ({ value: `${i}-${m}` })) })
        await cluster.settle()
      }
      await cluster.advance(5_000)
      for (const c of members) await c.disconnect()
      await producer.disconnect()
      const timeline = cluster.timeline()
      await cluster.close()
      return { requests, events, timeline, consumed }
    }
    const expected = await run(new OneTurnPerTimerClock(0))
    const batchedClock = new DueCountingClock(0)
    const batched = await run(batchedClock)
    expect(batched.requests).toEqual(expected.requests)
    expect(batched.events).toEqual(expected.events)
    expect(batched.consumed).toEqual(expected.consumed)
    expect(batched.timeline).toEqual(expected.timeline)
    // The scenario has instants with many due timers (the members' parked fetches expire together).
    expect(Math.max(...batchedClock.timersAt.values())).toBeGreaterThanOrEqual(10)
  })
})
