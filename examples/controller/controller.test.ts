/**
 * Concept 5, checked: metadata names each partition's leader and only the leader takes writes;
 * a crashed leader keeps being named (and sends keep failing) until the controller's session
 * timeout fences it and elects an ISR member; a retry budget shorter than that runs out; a
 * partition whose whole ISR is down is offline (LEADER_NOT_AVAILABLE) until an ISR member
 * returns, and an out-of-sync replica may not lead it.
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
const SESSION_TIMEOUT = 9_000

describe('the controller', () => {
  it('describes the brokers and the controller, and a follower refuses writes', () => {
    expect(result.brokers).toEqual([0, 1, 2])
    expect(result.controllerId).toBe(0)
    expect(result.followerAnswer).toBe('NOT_LEADER_OR_FOLLOWER')
  })

  it('keeps naming the crashed leader until the session timeout, then names an ISR member in a new epoch', () => {
    for (const p of result.probes) {
      const elected = p.time >= result.crashedAt + SESSION_TIMEOUT
      expect(p.leader, `t=${p.time}`).toBe(elected ? 0 : 2)
      expect(p.leaderEpoch, `t=${p.time}`).toBe(elected ? 1 : 0)
    }
    expect(result.probes[0]!.send).toBe('ok')
    expect(result.probes.filter((p) => p.time > result.crashedAt && p.time < result.crashedAt + SESSION_TIMEOUT).every((p) => p.send.startsWith('failed'))).toBe(true)
    expect(result.probes.at(-1)!.send).toBe('ok')
  })

  it('lets a short retry budget run out on the stale leader, and a longer one succeed after the election', () => {
    expect(result.patient.result).toBe('gave up: KafkaJSNumberOfRetriesExceeded')
    expect(result.persistent.result).toBe('acknowledged')
    expect(result.persistent.at).toBeGreaterThanOrEqual(result.crashedAt + SESSION_TIMEOUT)
  })

  it('takes a partition offline when its whole ISR is down, and only an ISR member brings it back', () => {
    expect(result.offline).toMatchObject({ leader: -1, metadataError: 'LEADER_NOT_AVAILABLE', isr: [2] })
    expect(result.offline.sendError).toBe('KafkaJSNumberOfRetriesExceeded (LEADER_NOT_AVAILABLE)')
    expect(run.text).toContain('audit-0 stays offline')
    expect(result.recovered).toEqual({ leader: 2, isr: [1, 2] })
  })

  it('prints the same text on every run', async () => {
    expect((await runExample(example)).text).toBe(run.text)
  })
})
