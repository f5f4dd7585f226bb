/**
 * memkafka/testing given input it must refuse: a TypeError naming the field, before anything
 * runs, instead of an internal crash mid-run. (Indexes of producers, topics and brokers wrap
 * around the real counts by design, so only negative or fractional ones are refused.)
 */
import { describe, expect, it } from 'vitest'
import { Cluster, ManualClock } from '../../src/index.js'
import { checkHistory, Nemesis, runUntil, simulate, type SimulationOptions } from '../../src/testing/index.js'

const valid = (): SimulationOptions => ({
  seed: 1,
  workload: {
    topics: [{ name: 't', partitions: 1, replicationFactor: 3, configs: {} }],
    producers: [{ acks: -1, idempotent: true, transactional: false }],
    steps: [{ kind: 'send', producer: 0, topic: 0, key: 1, count: 2, abort: false }],
    groups: [{ topics: [0], handler: 'eachMessage', steps: [{ kind: 'join' }] }],
  },
  faults: [{ kind: 'stopBroker', broker: 2, crash: true, loseUnflushed: false }],
})

type Edit = (s: any) => void

describe('simulate', () => {
  const cases: [string, Edit, RegExp][] = [
    ['a missing workload', (s) => delete s.workload, /workload must be an object/],
    ['a seed that is not an integer', (s) => (s.seed = 'x'), /seed must be an integer/],
    ['a topic name that is a number', (s) => (s.workload.topics[0].name = 5), /workload\.topics\[0\]\.name must be a topic name, got 5/],
    ['a replication factor above the broker count', (s) => (s.workload.topics[0].replicationFactor = 4), /replicationFactor must be an integer from 1 to 3/],
    ['a config value that is not a string', (s) => (s.workload.topics[0].configs = { 'min.insync.replicas': 2 }), /configs\['min.insync.replicas'\] must be a string/],
    ['acks 2', (s) => (s.workload.producers[0].acks = 2), /acks must be one of -1, 0, 1, got 2/],
    ['a send by producer -1', (s) => (s.workload.steps[0].producer = -1), /steps\[0\]\.producer must be an integer from 0, got -1/],
    ['a send with no producers at all', (s) => (s.workload.producers = []), /steps\[0\]\.producer must be an index of an existing entry, and there is none/],
    ['a send of 0 messages', (s) => (s.workload.steps[0].count = 0), /count must be an integer from 1/],
    ['a group on topic 1.5', (s) => (s.workload.groups[0].topics = [1.5]), /groups\[0\]\.topics\[0\] must be an integer from 0/],
    ['an unknown fault kind', (s) => (s.faults = [{ kind: 'bogus' }]), /faults\[0\]\.kind must be one of/],
    ['a fault on broker "1"', (s) => (s.faults[0].broker = '1'), /faults\[0\]\.broker must be an integer from 0, got '1'/],
    ['a topic with no partitions', (s) => (s.workload.topics[0].partitions = 0), /partitions must be an integer from 1/],
    ['a negative advance', (s) => (s.faults = [{ kind: 'advance', ms: -5 }]), /faults\[0\]\.ms must be an integer from 0/],
  ]
  for (const [label, edit, message] of cases) {
    it(`refuses ${label}`, async () => {
      const scenario = valid()
      edit(scenario)
      const error = await simulate(scenario).then(() => undefined, (e: unknown) => e)
      expect(error).toBeInstanceOf(TypeError)
      expect((error as Error).message).toMatch(message)
    })
  }

  it('refuses no scenario at all', async () => {
    await expect(simulate(undefined as never)).rejects.toThrow(/the scenario must be an object/)
  })

  it('runs the valid scenario these cases start from (so each refusal is the edit’s doing)', async () => {
    const history = await simulate(valid())
    expect(checkHistory(history).valid).toBe(true)
  })
})

describe('the other tools', () => {
  it('checkHistory refuses what is not a history', () => {
    for (const bad of [undefined, null, {}, { ops: 'x', topics: [] }, { ops: [] }]) expect(() => checkHistory(bad as never)).toThrow(/checkHistory needs a History/)
  })

  it('new Nemesis refuses what is not a cluster', () => {
    expect(() => new Nemesis(undefined as never)).toThrow(/a memkafka Cluster is needed/)
  })

  it('runUntil refuses a missing condition', async () => {
    const cluster = new Cluster({ clock: new ManualClock(), basePort: 45000 })
    try {
      await expect(runUntil(cluster, undefined as never)).rejects.toThrow(/runUntil needs a condition function/)
    } finally {
      await cluster.close()
    }
  })
})
