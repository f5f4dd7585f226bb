/**
 * Random schedules of up to 6 clients joining, syncing, heartbeating, committing, leaving and
 * letting time pass. Each client behaves like a real one (it rejoins with the id it was given,
 * resets on UNKNOWN_MEMBER_ID, and its leader deals a toy assignment of 8 partitions over the
 * members it was told about). After every step:
 * - within one generation no two members were handed overlapping partitions;
 * - a Stable group's members hold exactly the 8 partitions between them, each once;
 * - the group only moved along Kafka's allowed transitions;
 * - the generation never went down while the group lived;
 * - a JoinGroup is parked only while PreparingRebalance, a SyncGroup only while its own
 *   generation is CompletingRebalance.
 * At the end, close() answers everything still parked and leaves no timer behind.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ErrorCode } from '../../../src/cluster/error-codes.js'
import type { GroupCoordinator } from '../../../src/cluster/group/group-coordinator.js'
import { flush, harness } from './group-test-kit.js'

const PARTITIONS = 8
const CLIENTS = 6

const allowedTransitions = new Set([
  'Empty->PreparingRebalance',
  'Stable->PreparingRebalance',
  'CompletingRebalance->PreparingRebalance',
  'PreparingRebalance->CompletingRebalance',
  'PreparingRebalance->Empty',
  'CompletingRebalance->Stable',
  'Empty->Dead',
  'PreparingRebalance->Dead',
  'CompletingRebalance->Dead',
  'Stable->Dead',
  'Dead->Dead',
])

type Command =
  | { kind: 'poll' | 'join' | 'sync' | 'heartbeat' | 'leave' | 'commit'; client: number }
  | { kind: 'advance'; ms: number }

const clientArb = fc.integer({ min: 0, max: CLIENTS - 1 })
const commandArb: fc.Arbitrary<Command> = fc.oneof(
  // What a consumer's loop would do next; the other commands are the chaos around it.
  { weight: 12, arbitrary: clientArb.map((client) => ({ kind: 'poll' as const, client })) },
  { weight: 1, arbitrary: clientArb.map((client) => ({ kind: 'join' as const, client })) },
  { weight: 1, arbitrary: clientArb.map((client) => ({ kind: 'sync' as const, client })) },
  { weight: 1, arbitrary: clientArb.map((client) => ({ kind: 'heartbeat' as const, client })) },
  { weight: 1, arbitrary: clientArb.map((client) => ({ kind: 'leave' as const, client })) },
  { weight: 1, arbitrary: clientArb.map((client) => ({ kind: 'commit' as const, client })) },
  { weight: 4, arbitrary: fc.constantFrom(100, 1000, 3000, 6000, 11_000, 25_000).map((ms) => ({ kind: 'advance' as const, ms })) },
)

interface Client {
  clientId: string
  sessionTimeoutMs: number
  memberId: string
  generationId: number
  isLeader: boolean
  /** The member list the leader got with its last successful join. */
  joinedMembers: string[]
  needsSync: boolean
  joinInFlight: boolean
  syncInFlight: boolean
  /** The generation the in-flight SyncGroup was sent for. */
  syncGeneration: number
}

/** The leader's toy assignor: partition p goes to the (p mod n)-th member id in sorted order. */
function toyAssignment(memberIds: readonly string[]): { memberId: string; assignment: Buffer }[] {
  const sorted = [...memberIds].sort()
  return sorted.map((memberId, i) => {
    const partitions: number[] = []
    for (let p = i; p < PARTITIONS; p += sorted.length) partitions.push(p)
    return { memberId, assignment: Buffer.from(JSON.stringify(partitions)) }
  })
}

function decode(assignment: Buffer): number[] {
  return assignment.length === 0 ? [] : (JSON.parse(assignment.toString()) as number[])
}

class World {
  readonly clients: Client[]
  /** generation -> member id -> partitions received from SyncGroup. */
  readonly received = new Map<number, Map<string, number[]>>()
  readonly inFlight = new Set<Promise<unknown>>()

  constructor(readonly coordinator: GroupCoordinator) {
    this.clients = Array.from({ length: CLIENTS }, (_, i) => ({
      clientId: `c${i}`,
      sessionTimeoutMs: i % 2 === 0 ? 10_000 : 30_000,
      memberId: '',
      generationId: -1,
      isLeader: false,
      joinedMembers: [],
      needsSync: false,
      joinInFlight: false,
      syncInFlight: false,
      syncGeneration: -1,
    }))
  }

  private reset(c: Client): void {
    c.memberId = ''
    c.generationId = -1
    c.isLeader = false
    c.needsSync = false
  }

  private watch<T>(promise: Promise<T>): Promise<T> {
    this.inFlight.add(promise)
    void promise.then(() => this.inFlight.delete(promise))
    return promise
  }

  join(c: Client): void {
    if (c.joinInFlight) return
    c.joinInFlight = true
    void this.watch(
      this.coordinator.joinGroup({
        api: 'JoinGroup',
        groupId: 'g',
        // Half the clients outlive a rebalance timeout without heartbeating, half do not.
        sessionTimeoutMs: c.sessionTimeoutMs,
        rebalanceTimeoutMs: 20_000,
        memberId: c.memberId,
        protocolType: 'consumer',
        protocols: [{ name: 'toy', metadata: Buffer.from('toy') }],
        clientId: c.clientId,
        clientHost: '/127.0.0.1',
      }),
    ).then((r) => {
      c.joinInFlight = false
      if (r.errorCode === ErrorCode.NONE) {
        c.memberId = r.memberId
        c.generationId = r.generationId
        c.isLeader = r.leader === r.memberId
        c.joinedMembers = r.members.map((m) => m.memberId)
        c.needsSync = true
      } else if (r.errorCode === ErrorCode.MEMBER_ID_REQUIRED) {
        c.memberId = r.memberId
      } else if (r.errorCode === ErrorCode.UNKNOWN_MEMBER_ID) {
        this.reset(c)
      }
    })
  }

  sync(c: Client): void {
    if (!c.needsSync || c.syncInFlight) return
    c.needsSync = false
    c.syncInFlight = true
    c.syncGeneration = c.generationId
    const generationId = c.generationId
    const memberId = c.memberId
    const assignments = c.isLeader ? toyAssignment(c.joinedMembers) : []
    void this.watch(this.coordinator.syncGroup({ api: 'SyncGroup', groupId: 'g', generationId, memberId, assignments })).then((r) => {
      c.syncInFlight = false
      if (r.errorCode === ErrorCode.NONE) {
        let byMember = this.received.get(generationId)
        if (!byMember) this.received.set(generationId, (byMember = new Map()))
        byMember.set(memberId, decode(r.assignment))
      } else if (r.errorCode === ErrorCode.UNKNOWN_MEMBER_ID && c.memberId === memberId) {
        this.reset(c)
      }
    })
  }

  /** Returns the heartbeat's error code (UNKNOWN_MEMBER_ID when the client has no id). */
  heartbeat(c: Client): number {
    if (c.memberId === '') return ErrorCode.UNKNOWN_MEMBER_ID
    const { errorCode } = this.coordinator.heartbeat({ api: 'Heartbeat', groupId: 'g', generationId: c.generationId, memberId: c.memberId })
    expect([ErrorCode.NONE, ErrorCode.REBALANCE_IN_PROGRESS, ErrorCode.ILLEGAL_GENERATION, ErrorCode.UNKNOWN_MEMBER_ID]).toContain(errorCode)
    if (errorCode === ErrorCode.UNKNOWN_MEMBER_ID) this.reset(c)
    return errorCode
  }

  /** The client's next natural step: get into the current generation, sync, or heartbeat. */
  poll(c: Client): void {
    if (c.joinInFlight || c.syncInFlight) return
    if (c.generationId === -1) return this.join(c)
    if (c.needsSync) return this.sync(c)
    const errorCode = this.heartbeat(c)
    if (errorCode !== ErrorCode.NONE) this.join(c)
  }

  leave(c: Client): void {
    if (c.memberId === '') return
    this.coordinator.leaveGroup({ api: 'LeaveGroup', groupId: 'g', members: [{ memberId: c.memberId }] })
    this.reset(c)
  }

  commit(c: Client): void {
    if (c.memberId === '') return
    const response = this.coordinator.offsetCommit({
      api: 'OffsetCommit',
      groupId: 'g',
      generationId: c.generationId,
      memberId: c.memberId,
      topics: [{ name: 't', partitions: [{ index: 0, committedOffset: 1, committedMetadata: null }] }],
    })
    const code = response.topics[0]!.partitions[0]!.errorCode
    expect([ErrorCode.NONE, ErrorCode.REBALANCE_IN_PROGRESS, ErrorCode.ILLEGAL_GENERATION, ErrorCode.UNKNOWN_MEMBER_ID]).toContain(code)
  }
}

describe('GroupCoordinator under random schedules', () => {
  it('keeps assignments disjoint per generation, follows the state table, and never lowers the generation', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(commandArb, { minLength: 1, maxLength: 120, size: 'max' }), fc.constantFrom(0, 3000), async (commands, initialDelay) => {
        const h = harness({ groupInitialRebalanceDelayMs: initialDelay })
        const world = new World(h.coordinator)
        let checkedEvents = 0
        let lastGeneration = -1

        for (const command of commands) {
          if (command.kind === 'advance') await h.clock.advance(command.ms)
          else if (command.kind === 'heartbeat') world.heartbeat(world.clients[command.client]!)
          else world[command.kind](world.clients[command.client]!)
          await flush(h.clock)

          // Transitions follow the table; a Dead group starts over at generation 0.
          for (const event of h.events.slice(checkedEvents)) {
            if (event.type === 'groupStateChanged') {
              expect(allowedTransitions.has(`${event.from}->${event.to}`), `${event.from}->${event.to}`).toBe(true)
              if (event.to === 'Dead') lastGeneration = -1
            }
          }
          checkedEvents = h.events.length

          const group = h.coordinator.snapshot().find((g) => g.groupId === 'g')
          if (group) {
            expect(group.generationId).toBeGreaterThanOrEqual(lastGeneration)
            lastGeneration = group.generationId
            if (group.state === 'Stable') {
              const held = group.members.flatMap((m) => decode(m.assignment)).sort((a, b) => a - b)
              expect(held).toEqual(Array.from({ length: PARTITIONS }, (_, p) => p))
            }
          }

          // A request stays parked only during its own phase.
          for (const c of world.clients) {
            if (c.joinInFlight) expect(group?.state).toBe('PreparingRebalance')
            if (c.syncInFlight) {
              expect(group?.state).toBe('CompletingRebalance')
              expect(group?.generationId).toBe(c.syncGeneration)
            }
          }

          for (const byMember of world.received.values()) {
            const owners = new Map<number, string>()
            for (const [memberId, partitions] of byMember) {
              for (const p of partitions) {
                expect(owners.get(p) ?? memberId, `partition ${p} given twice in one generation`).toBe(memberId)
                owners.set(p, memberId)
              }
            }
          }
        }

        h.coordinator.close()
        await flush(h.clock)
        expect(world.inFlight.size).toBe(0)
        expect(h.clock.pendingTimers).toBe(0)
      }),
      { numRuns: 200 },
    )
  })

  it('eventually forms one Stable generation holding every partition when clients cooperate', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: CLIENTS }), fc.constantFrom(0, 3000), async (n, initialDelay) => {
        const h = harness({ groupInitialRebalanceDelayMs: initialDelay })
        const world = new World(h.coordinator)
        const clients = world.clients.slice(0, n)
        // Well-behaved clients: join whenever not in the current generation, sync, heartbeat.
        for (let round = 0; round < 40; round++) {
          for (const c of clients) world.poll(c)
          await h.clock.advance(1000)
        }
        const group = h.coordinator.snapshot()[0]!
        expect(group.state).toBe('Stable')
        expect(group.members).toHaveLength(n)
        h.coordinator.close()
        expect(h.clock.pendingTimers).toBe(0)
      }),
      { numRuns: 30 },
    )
  })
})
