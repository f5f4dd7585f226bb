/**
 * The scenarios every client is judged on, written once: each sets up a fresh memkafka, runs the
 * client's driver, and asserts first on what the client saw (its events) and then on what the
 * cluster holds (describe(), checkInvariants()). describeClient() turns a client's row of the
 * matrix (matrix.ts) into tests: `it` for the scenarios that run, `it.todo` for "not yet", and a
 * skipped `it` whose name carries the reason for "cannot" and "no driver".
 */
import { afterEach, describe, expect, it } from 'vitest'
import { MATRIX, SCENARIOS, type Client, type Scenario } from './matrix.js'
import { eventsOf, runDriver, type DriverEvent, type DriverRun } from './driver.js'
import { freshNames, startMemkafka, type Memkafka } from './server.js'

export interface ClientProfile {
  /** The driver command line; it reads the scenario from env SCENARIO. */
  readonly command: readonly string[]
  /** The client sends and receives record headers (message format v2). */
  readonly headers: boolean
  /** Extra env for the driver. */
  readonly env?: Record<string, string>
  /** The admin scenario without group deletion, for a client that has no DeleteGroups call. */
  readonly cannotDeleteGroups?: boolean
  /** Scenarios this client runs its own way (the seeds' fixed programs). */
  readonly overrides?: Partial<Record<Scenario, () => Promise<void>>>
}

/** Real-time budget of one driver run: generous (2 shared cores, cold JVM-less clients), bounded. */
const DRIVER_TIMEOUT_MS = 60_000
const TEST_TIMEOUT_MS = 90_000

interface Consumed {
  member?: string
  partition: number
  offset: number
  key: string | null
  value: string | null
  headers?: Record<string, string | null>
}

const consumedOf = (run: DriverRun) => eventsOf(run, 'consumed') as unknown as (DriverEvent & Consumed)[]

let open: Memkafka | undefined
afterEach(async () => {
  await open?.close()
  open = undefined
})

export async function server(brokers = 1, port = 0): Promise<Memkafka> {
  open = await startMemkafka({ brokers, port })
  return open
}

function driverEnv(mk: Memkafka, scenario: Scenario, names: ReturnType<typeof freshNames>, count: number, profile: ClientProfile) {
  return { BOOTSTRAP: mk.bootstrap, SCENARIO: scenario, TOPIC: names.topic, GROUP: names.group, TXN_ID: names.txnId, COUNT: String(count), ...profile.env }
}

/** Polls the cluster's state (real time, bounded) until it holds. */
async function waitFor(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

type ScenarioTest = (client: Client, profile: ClientProfile) => Promise<void>

const scenarioTests: Record<Scenario, ScenarioTest> = {
  async 'produce-consume'(client, profile) {
    const mk = await server()
    const names = freshNames(client, 'pc')
    await mk.createTopic(names.topic)
    const run = await runDriver(profile.command, { env: driverEnv(mk, 'produce-consume', names, 10, profile), timeoutMs: DRIVER_TIMEOUT_MS })
    const consumed = consumedOf(run)
    expect(consumed.map((r) => [r.offset, r.key, r.value])).toEqual(Array.from({ length: 10 }, (_, i) => [i, `k${i}`, `v${i}`]))
    if (profile.headers) expect(consumed.map((r) => r.headers)).toEqual(Array.from({ length: 10 }, (_, i) => ({ h: `${i}` })))
    const topic = mk.cluster.describe().topics.find((t) => t.name === names.topic)!
    expect(topic.partitions[0]).toMatchObject({ highWatermark: 10, logEndOffset: 10 })
    mk.cluster.checkInvariants()
  },

  async group(client, profile) {
    const mk = await server()
    const names = freshNames(client, 'group')
    await mk.createTopic(names.topic, { partitions: 2 })
    const run = await runDriver(profile.command, {
      env: driverEnv(mk, 'group', names, 10, profile),
      timeoutMs: DRIVER_TIMEOUT_MS,
      // A client without rebalance callbacks (kafka-go) asks the harness to wait for the rebalance.
      onPause: () => waitFor(() => {
        const g = mk.cluster.describe().groups.find((x) => x.groupId === names.group)
        return g?.state === 'Stable' && g.members.length === 2
      }, 'both members in a stable group'),
    })
    // Member a owned both partitions alone; after b joined, each owned one. (What the members
    // own after the rebalanced event is not asserted: when the first leaves, the other takes over.)
    const rebalancedAt = run.events.findIndex((e) => e.event === 'rebalanced')
    expect(rebalancedAt).toBeGreaterThan(0)
    const assigned = run.events.slice(0, rebalancedAt).filter((e) => e.event === 'assigned') as unknown as { member: string; partitions: number[] }[]
    expect(assigned[0]).toEqual({ event: 'assigned', member: 'a', partitions: [0, 1] })
    const last = (m: string) => assigned.filter((a) => a.member === m).at(-1)?.partitions
    expect([last('a'), last('b')].map((p) => p?.length)).toEqual([1, 1])
    expect(new Set([...last('a')!, ...last('b')!])).toEqual(new Set([0, 1]))
    expect(eventsOf(run, 'rebalanced')).toHaveLength(1)
    const values = new Set(consumedOf(run).map((r) => r.value))
    expect([...values].sort()).toEqual(Array.from({ length: 20 }, (_, i) => `v${i}`).sort())
    // After the second batch, b consumed records from its partition.
    expect(consumedOf(run).some((r) => r.member === 'b')).toBe(true)
    // Both members committed through the end of each partition.
    const group = mk.cluster.describe().groups.find((g) => g.groupId === names.group)!
    expect(group.offsets.filter((o) => o.topic === names.topic).map((o) => [o.partition, o.committedOffset]).sort()).toEqual([
      [0, 10],
      [1, 10],
    ])
    mk.cluster.checkInvariants()
  },

  async transactions(client, profile) {
    const mk = await server()
    const names = freshNames(client, 'txn')
    await mk.createTopic(names.topic)
    const run = await runDriver(profile.command, { env: driverEnv(mk, 'transactions', names, 0, profile), timeoutMs: DRIVER_TIMEOUT_MS })
    // The read_committed consumer sees the two committed transactions and nothing of the aborted one.
    expect(consumedOf(run).map((r) => r.value)).toEqual(['c0', 'c1', 'c2', 'c3', 'c4'])
    const d = mk.cluster.describe()
    const p = d.topics.find((t) => t.name === names.topic)!.partitions[0]!
    // 3 + marker + 2 aborted + marker + 2 + marker.
    expect(p).toMatchObject({ highWatermark: 10, lastStableOffset: 10, openTransactions: [] })
    expect(d.transactions.find((t) => t.transactionalId === names.txnId)).toMatchObject({ state: 'CompleteCommit' })
    mk.cluster.checkInvariants()
  },

  async admin(client, profile) {
    const mk = await server()
    const names = freshNames(client, 'admin')
    const run = await runDriver(profile.command, { env: driverEnv(mk, 'admin', names, 0, profile), timeoutMs: DRIVER_TIMEOUT_MS })
    const ops = Object.fromEntries(eventsOf(run, 'admin').map((e) => [e['op'] as string, e]))
    expect(ops['partitions']).toMatchObject({ partitions: 3 })
    expect(ops['describeConfigs']).toMatchObject({ configs: { 'cleanup.policy': 'compact', 'retention.ms': '3600000' } })
    expect(ops['listTopics']).toMatchObject({ topics: [names.topic] })
    expect(ops['fetchOffsets']).toMatchObject({ offsets: expect.arrayContaining([{ partition: 0, offset: 1 }]) })
    expect(ops['listGroups']).toMatchObject({ groups: [names.group] })
    if (!profile.cannotDeleteGroups) expect(ops['deleteGroups']).toMatchObject({ groups: [] })
    const d = mk.cluster.describe()
    const topic = d.topics.find((t) => t.name === names.topic)!
    expect(topic.partitions).toHaveLength(3)
    expect(topic.configs).toMatchObject({ 'cleanup.policy': 'compact', 'retention.ms': '3600000' })
    expect(d.topics.some((t) => t.name === `${names.topic}-extra`)).toBe(false)
    expect(d.groups.some((g) => g.groupId === names.group)).toBe(!!profile.cannotDeleteGroups)
    mk.cluster.checkInvariants()
  },

  async compaction(client, profile) {
    const mk = await server()
    const names = freshNames(client, 'compact')
    // Every batch rolls its own segment, so all but the last are cleanable at once.
    await mk.createTopic(names.topic, { configs: { 'cleanup.policy': 'compact', 'segment.bytes': '100', 'min.cleanable.dirty.ratio': '0.01' } })
    let compacted = 0
    const run = await runDriver(profile.command, {
      env: driverEnv(mk, 'compaction', names, 0, profile),
      timeoutMs: DRIVER_TIMEOUT_MS,
      onPause: () => {
        compacted = mk.cluster.runCleaner().reduce((n, r) => n + r.compactedRecords, 0)
      },
    })
    expect(compacted).toBeGreaterThan(0)
    const consumed = consumedOf(run)
    const offsets = consumed.map((r) => r.offset)
    expect(offsets).toEqual([...offsets].sort((a, b) => a - b))
    // Superseded values are gone; each key's last write survives (b's as a tombstone).
    const values = consumed.map((r) => r.value)
    for (const gone of ['a1', 'a2', 'b1', 'b2']) expect(values).not.toContain(gone)
    const lastOf = new Map(consumed.map((r) => [r.key, r.value]))
    expect(Object.fromEntries(lastOf)).toEqual({ a: 'a3', b: null, c: 'c2' })
    mk.cluster.checkInvariants()
  },

  async idempotent(client, profile) {
    const mk = await server()
    const names = freshNames(client, 'idem')
    await mk.createTopic(names.topic)
    // The first Produce fails with a retriable error: the client retries the same batch with the
    // same producer id and sequence, and the log holds each record once.
    let produces = 0
    mk.cluster.intercept('Produce', () => {
      produces++
    })
    mk.cluster.intercept('Produce', () => ({ error: 'NOT_ENOUGH_REPLICAS' }), { times: 1 })
    const run = await runDriver(profile.command, { env: driverEnv(mk, 'idempotent', names, 10, profile), timeoutMs: DRIVER_TIMEOUT_MS })
    expect(produces).toBeGreaterThan(1)
    expect(consumedOf(run).map((r) => [r.offset, r.value])).toEqual(Array.from({ length: 10 }, (_, i) => [i, `v${i}`]))
    const p = mk.cluster.describe().topics.find((t) => t.name === names.topic)!.partitions[0]!
    expect(p.highWatermark).toBe(10)
    mk.cluster.checkInvariants()
  },

  async 'broker-failure'(client, profile) {
    const mk = await server(3)
    const names = freshNames(client, 'failover')
    await mk.createTopic(names.topic, { replicationFactor: 3, configs: { 'min.insync.replicas': '2' } })
    let stopped = -1
    const run = await runDriver(profile.command, {
      env: driverEnv(mk, 'broker-failure', names, 10, profile),
      timeoutMs: DRIVER_TIMEOUT_MS,
      onPause: () => {
        stopped = mk.cluster.describe().topics.find((t) => t.name === names.topic)!.partitions[0]!.leader
        mk.cluster.stopBroker(stopped)
      },
    })
    expect(stopped).toBeGreaterThanOrEqual(0)
    // Every acknowledged acks=all write survived the leader's failure and was read back.
    expect(eventsOf(run, 'produced').map((e) => e['value'])).toEqual(Array.from({ length: 10 }, (_, i) => `v${i}`))
    expect([...new Set(consumedOf(run).map((r) => r.value))].sort()).toEqual(Array.from({ length: 10 }, (_, i) => `v${i}`).sort())
    const p = mk.cluster.describe().topics.find((t) => t.name === names.topic)!.partitions[0]!
    expect(p.leader).not.toBe(stopped)
    mk.cluster.checkInvariants()
  },
}

/**
 * INTEROP_TRY_NOT_YET=1 runs the "not yet" cells too, to find out what starts working as the wire
 * server grows (never set in CI: the matrix decides what CI runs).
 */
const TRY_NOT_YET = process.env['INTEROP_TRY_NOT_YET'] === '1'

/** The tests of one client: its matrix row, nothing left out silently. */
export function describeClient(client: Client, profile: ClientProfile): void {
  describe(client, () => {
    for (const scenario of Object.keys(SCENARIOS) as Scenario[]) {
      const cell = MATRIX[client][scenario]
      const name = `${scenario}: ${SCENARIOS[scenario]}`
      if (cell.status === 'runs' || (cell.status === 'not-yet' && TRY_NOT_YET)) it(name, () => (profile.overrides?.[scenario] ?? (() => scenarioTests[scenario](client, profile)))(), TEST_TIMEOUT_MS)
      else if (cell.status === 'not-yet') it.todo(`${name} -- not yet: ${cell.reason}`)
      else it.skip(`${name} -- ${cell.status === 'cannot' ? 'cannot' : 'no driver'}: ${cell.reason}`)
    }
  })
}
