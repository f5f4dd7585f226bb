import { describe, expect, it } from 'vitest'
import { ErrorCode } from '../../../src/cluster/error-codes.js'
import { NEW_MEMBER_JOIN_TIMEOUT_MS } from '../../../src/cluster/group/group-metadata-manager.js'
import {
  commit,
  flush,
  harness,
  heartbeat,
  joinAsNewMember,
  joinRequest,
  requestMemberId,
  stableSingleMember,
  sync,
  track,
} from './group-test-kit.js'
import type { Harness } from './group-test-kit.js'

const uuidSuffix = /-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

function stateOf(h: Harness, groupId = 'g'): string | undefined {
  return h.coordinator.snapshot().find((g) => g.groupId === groupId)?.state
}

/** Two members, A (leader) and B, Stable at generation 2 with assignments 'A' and 'B'. */
async function stableTwoMembers(h: Harness) {
  const a = await stableSingleMember(h, { clientId: 'a' }, Buffer.from('A-alone'))
  const b = await joinAsNewMember(h.coordinator, { clientId: 'b' })
  const aRejoin = track(h.coordinator.joinGroup(joinRequest({ clientId: 'a', memberId: a.memberId })))
  await flush(h.clock)
  const generationId = aRejoin.value!.generationId
  const sb = sync(h.coordinator, b.memberId, generationId)
  const sa = sync(h.coordinator, a.memberId, generationId, [
    { memberId: a.memberId, assignment: Buffer.from('A') },
    { memberId: b.memberId, assignment: Buffer.from('B') },
  ])
  await flush(h.clock)
  expect(sa.value?.errorCode).toBe(ErrorCode.NONE)
  expect(sb.value?.errorCode).toBe(ErrorCode.NONE)
  return { a: a.memberId, b: b.memberId, generationId }
}

describe('JoinGroup', () => {
  it('answers a first join without a member id with MEMBER_ID_REQUIRED and a clientId-uuid id, then accepts the rejoin', async () => {
    const h = harness()
    const first = await h.coordinator.joinGroup(joinRequest({ clientId: 'orders' }))
    expect(first.errorCode).toBe(ErrorCode.MEMBER_ID_REQUIRED)
    expect(first.memberId).toMatch(/^orders-/)
    expect(first.memberId).toMatch(uuidSuffix)
    expect(first.generationId).toBe(-1)

    const joined = await h.coordinator.joinGroup(joinRequest({ clientId: 'orders', memberId: first.memberId }))
    expect(joined).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 1, memberId: first.memberId, leader: first.memberId, protocolName: 'roundrobin', protocolType: 'consumer' })
    expect(joined.members).toEqual([{ memberId: first.memberId, groupInstanceId: null, metadata: Buffer.from('meta:orders') }])
    expect(stateOf(h)).toBe('CompletingRebalance')
  })

  it('draws member ids from the seeded random source, so a seed replays them', async () => {
    const ids = async (seed: number) => {
      const h = harness({}, { seed })
      return [await requestMemberId(h.coordinator), await requestMemberId(h.coordinator)]
    }
    expect(await ids(7)).toEqual(await ids(7))
    expect(await ids(7)).not.toEqual(await ids(8))
  })

  it('rejects a join with an id the group does not know, and a known id for a group that does not exist', async () => {
    const h = harness()
    expect((await h.coordinator.joinGroup(joinRequest({ memberId: 'ghost' }))).errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID)
    await stableSingleMember(h)
    expect((await h.coordinator.joinGroup(joinRequest({ memberId: 'ghost' }))).errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID)
  })

  it('validates the group id, the session timeout bounds and the group size', async () => {
    const h = harness({ groupMaxSize: 1 })
    expect((await h.coordinator.joinGroup(joinRequest({ groupId: '' }))).errorCode).toBe(ErrorCode.INVALID_GROUP_ID)
    expect((await h.coordinator.joinGroup(joinRequest({ sessionTimeoutMs: 5999 }))).errorCode).toBe(ErrorCode.INVALID_SESSION_TIMEOUT)
    expect((await h.coordinator.joinGroup(joinRequest({ sessionTimeoutMs: 1_800_001 }))).errorCode).toBe(ErrorCode.INVALID_SESSION_TIMEOUT)
    await stableSingleMember(h)
    const full = await h.coordinator.joinGroup(joinRequest({ clientId: 'second' }))
    expect(full).toMatchObject({ errorCode: ErrorCode.GROUP_MAX_SIZE_REACHED, memberId: '' })
  })

  it('answers INCONSISTENT_GROUP_PROTOCOL for no protocols, another protocol type, or no protocol in common', async () => {
    const h = harness()
    expect((await h.coordinator.joinGroup(joinRequest({ protocols: [] }))).errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL)
    expect((await h.coordinator.joinGroup(joinRequest({ protocolType: '' }))).errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL)
    await stableSingleMember(h, { protocols: [{ name: 'range', metadata: Buffer.from('r') }] })
    expect((await h.coordinator.joinGroup(joinRequest({ protocolType: 'connect' }))).errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL)
    expect((await h.coordinator.joinGroup(joinRequest({ protocols: [{ name: 'sticky', metadata: Buffer.from('s') }] }))).errorCode).toBe(
      ErrorCode.INCONSISTENT_GROUP_PROTOCOL,
    )
    // A joiner that supports the group's protocol among others is welcome.
    const ok = await h.coordinator.joinGroup(joinRequest({ protocols: [{ name: 'sticky', metadata: Buffer.from('s') }, { name: 'range', metadata: Buffer.from('r') }] }))
    expect(ok.errorCode).toBe(ErrorCode.MEMBER_ID_REQUIRED)
  })

  it('selects the protocol most members prefer among those all support', async () => {
    const h = harness({ groupInitialRebalanceDelayMs: 1000 })
    const p = (...names: string[]) => names.map((name) => ({ name, metadata: Buffer.from(name) }))
    const a = await joinAsNewMember(h.coordinator, { clientId: 'a', protocols: p('x', 'y', 'z') })
    const b = await joinAsNewMember(h.coordinator, { clientId: 'b', protocols: p('y', 'x') })
    const c = await joinAsNewMember(h.coordinator, { clientId: 'c', protocols: p('y', 'x', 'z') })
    await h.clock.advance(2000)
    // z is not supported by b; of x and y, b and c prefer y.
    expect([a, b, c].map((m) => m.join.value?.protocolName)).toEqual(['y', 'y', 'y'])
    // The leader receives each member's metadata for the selected protocol.
    expect(a.join.value!.members.map((m) => m.metadata.toString())).toEqual(['y', 'y', 'y'])
  })

  it('parks both members until both have joined; only the leader gets the member list', async () => {
    const h = harness()
    const a = await stableSingleMember(h, { clientId: 'a' })
    const b = await joinAsNewMember(h.coordinator, { clientId: 'b' })
    await flush(h.clock)
    expect(b.join.settled).toBe(false)
    expect(stateOf(h)).toBe('PreparingRebalance')

    const aJoin = track(h.coordinator.joinGroup(joinRequest({ clientId: 'a', memberId: a.memberId })))
    await flush(h.clock)
    expect(aJoin.value).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 2, leader: a.memberId })
    expect(b.join.value).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 2, leader: a.memberId, members: [] })
    expect(aJoin.value!.members.map((m) => m.memberId).sort()).toEqual([a.memberId, b.memberId].sort())
  })

  it('returns the current generation to a follower rejoining a Stable group with unchanged metadata, without a rebalance', async () => {
    const h = harness()
    const { b, generationId } = await stableTwoMembers(h)
    const again = await h.coordinator.joinGroup(joinRequest({ clientId: 'b', memberId: b }))
    expect(again).toMatchObject({ errorCode: ErrorCode.NONE, generationId, members: [] })
    expect(stateOf(h)).toBe('Stable')
    // Changed metadata does rebalance.
    const changed = track(h.coordinator.joinGroup(joinRequest({ clientId: 'b', memberId: b, protocols: [{ name: 'roundrobin', metadata: Buffer.from('new') }] })))
    await flush(h.clock)
    expect(changed.settled).toBe(false)
    expect(stateOf(h)).toBe('PreparingRebalance')
  })

  it('answers a superseded parked JoinGroup with REBALANCE_IN_PROGRESS rather than leaving it hanging', async () => {
    const h = harness()
    const { a } = await stableTwoMembers(h)
    const first = track(h.coordinator.joinGroup(joinRequest({ clientId: 'a', memberId: a })))
    const second = track(h.coordinator.joinGroup(joinRequest({ clientId: 'a', memberId: a })))
    await flush(h.clock)
    expect(first.value?.errorCode).toBe(ErrorCode.REBALANCE_IN_PROGRESS)
    expect(second.settled).toBe(false)
  })
})

describe('initial rebalance delay (group.initial.rebalance.delay.ms)', () => {
  it('holds the first join of an empty group for the delay', async () => {
    const h = harness({ groupInitialRebalanceDelayMs: 3000 })
    const a = await joinAsNewMember(h.coordinator, { rebalanceTimeoutMs: 10_000 })
    await h.clock.advance(2999)
    expect(a.join.settled).toBe(false)
    await h.clock.advance(1)
    expect(a.join.value).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 1 })
  })

  it('extends the delay while members keep arriving, and brings them all into generation 1', async () => {
    const h = harness({ groupInitialRebalanceDelayMs: 3000 })
    const a = await joinAsNewMember(h.coordinator, { clientId: 'a', rebalanceTimeoutMs: 10_000 })
    await h.clock.advance(1000)
    const b = await joinAsNewMember(h.coordinator, { clientId: 'b', rebalanceTimeoutMs: 10_000 })
    await h.clock.advance(2000) // t=3000: b arrived, so wait another 3000
    expect(a.join.settled).toBe(false)
    await h.clock.advance(2999)
    expect(a.join.settled).toBe(false)
    await h.clock.advance(1) // t=6000
    expect(a.join.value?.generationId).toBe(1)
    expect(b.join.value?.generationId).toBe(1)
    expect(a.join.value!.members).toHaveLength(2)
  })

  it('never extends past the rebalance timeout', async () => {
    const h = harness({ groupInitialRebalanceDelayMs: 3000 })
    const a = await joinAsNewMember(h.coordinator, { clientId: 'a', rebalanceTimeoutMs: 4000 })
    await h.clock.advance(1000)
    await joinAsNewMember(h.coordinator, { clientId: 'b', rebalanceTimeoutMs: 4000 })
    await h.clock.advance(2500) // t=3500, after the first extension (1000 ms left)
    await joinAsNewMember(h.coordinator, { clientId: 'c', rebalanceTimeoutMs: 4000 })
    await h.clock.advance(499)
    expect(a.join.settled).toBe(false)
    await h.clock.advance(1) // t=4000: no time remains, so c does not extend it again
    expect(a.join.value?.members).toHaveLength(3)
  })
})

describe('SyncGroup', () => {
  it('parks the follower until the leader syncs, then delivers each member its assignment', async () => {
    const h = harness()
    const a = await stableSingleMember(h, { clientId: 'a' })
    const b = await joinAsNewMember(h.coordinator, { clientId: 'b' })
    const aJoin = track(h.coordinator.joinGroup(joinRequest({ clientId: 'a', memberId: a.memberId })))
    await flush(h.clock)
    const generationId = aJoin.value!.generationId

    const follower = sync(h.coordinator, b.memberId, generationId)
    await flush(h.clock)
    expect(follower.settled).toBe(false)
    expect(heartbeat(h.coordinator, b.memberId, generationId)).toBe(ErrorCode.NONE) // accepted during CompletingRebalance

    const leader = sync(h.coordinator, a.memberId, generationId, [{ memberId: b.memberId, assignment: Buffer.from('for-b') }])
    await flush(h.clock)
    expect(follower.value).toEqual({ errorCode: ErrorCode.NONE, protocolType: 'consumer', protocolName: 'roundrobin', assignment: Buffer.from('for-b') })
    // The leader left itself out: it gets an empty assignment.
    expect(leader.value?.assignment).toEqual(Buffer.alloc(0))
    expect(stateOf(h)).toBe('Stable')
    // In Stable a SyncGroup is answered with the current assignment.
    expect((await h.coordinator.syncGroup({ api: 'SyncGroup', groupId: 'g', generationId, memberId: b.memberId, assignments: [] })).assignment.toString()).toBe('for-b')
  })

  it('answers UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION, REBALANCE_IN_PROGRESS and INCONSISTENT_GROUP_PROTOCOL', async () => {
    const h = harness()
    const { a, generationId } = await stableTwoMembers(h)
    const ask = (memberId: string, gen: number, extra: object = {}) =>
      h.coordinator.syncGroup({ api: 'SyncGroup', groupId: 'g', generationId: gen, memberId, assignments: [], ...extra }).then((r) => r.errorCode)
    expect(await ask('ghost', generationId)).toBe(ErrorCode.UNKNOWN_MEMBER_ID)
    expect(await h.coordinator.syncGroup({ api: 'SyncGroup', groupId: 'nope', generationId: 1, memberId: a, assignments: [] }).then((r) => r.errorCode)).toBe(
      ErrorCode.UNKNOWN_MEMBER_ID,
    )
    expect(await ask(a, generationId - 1)).toBe(ErrorCode.ILLEGAL_GENERATION)
    expect(await ask(a, generationId, { protocolName: 'range' })).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL)
    h.coordinator.requestRebalance('g', 'test')
    expect(await ask(a, generationId)).toBe(ErrorCode.REBALANCE_IN_PROGRESS)
  })

  it('answers parked followers REBALANCE_IN_PROGRESS when a rebalance starts before the leader syncs', async () => {
    const h = harness()
    const a = await stableSingleMember(h, { clientId: 'a' })
    const b = await joinAsNewMember(h.coordinator, { clientId: 'b' })
    const aJoin = track(h.coordinator.joinGroup(joinRequest({ clientId: 'a', memberId: a.memberId })))
    await flush(h.clock)
    const follower = sync(h.coordinator, b.memberId, aJoin.value!.generationId)
    await joinAsNewMember(h.coordinator, { clientId: 'c' })
    await flush(h.clock)
    expect(follower.value).toMatchObject({ errorCode: ErrorCode.REBALANCE_IN_PROGRESS, protocolName: null })
    expect(stateOf(h)).toBe('PreparingRebalance')
  })

  it('removes members that never send SyncGroup within the rebalance timeout, and rebalances', async () => {
    const h = harness()
    const a = await stableSingleMember(h, { clientId: 'a', rebalanceTimeoutMs: 20_000, sessionTimeoutMs: 30_000 })
    const b = await joinAsNewMember(h.coordinator, { clientId: 'b', rebalanceTimeoutMs: 20_000, sessionTimeoutMs: 30_000 })
    const aJoin = track(h.coordinator.joinGroup(joinRequest({ clientId: 'a', memberId: a.memberId, rebalanceTimeoutMs: 20_000, sessionTimeoutMs: 30_000 })))
    await flush(h.clock)
    const generationId = aJoin.value!.generationId
    sync(h.coordinator, a.memberId, generationId, [])
    await h.clock.advance(5000)
    expect(heartbeat(h.coordinator, a.memberId, generationId)).toBe(ErrorCode.NONE)
    expect(heartbeat(h.coordinator, b.memberId, generationId)).toBe(ErrorCode.NONE) // alive, but never syncs
    await h.clock.advance(15_000)
    expect(h.events).toContainEqual({ type: 'memberRemoved', groupId: 'g', memberId: b.memberId, reason: 'rebalanceTimeout' })
    expect(stateOf(h)).toBe('PreparingRebalance')
    expect(heartbeat(h.coordinator, a.memberId, generationId)).toBe(ErrorCode.REBALANCE_IN_PROGRESS)
  })
})

describe('Heartbeat and session expiry', () => {
  it('answers by membership, generation and state', async () => {
    const h = harness()
    expect(heartbeat(h.coordinator, 'x', 1, 'unknown-group')).toBe(ErrorCode.UNKNOWN_MEMBER_ID)
    expect(heartbeat(h.coordinator, 'x', 1, '')).toBe(ErrorCode.INVALID_GROUP_ID)
    const { a, b, generationId } = await stableTwoMembers(h)
    expect(heartbeat(h.coordinator, a, generationId)).toBe(ErrorCode.NONE)
    expect(heartbeat(h.coordinator, 'ghost', generationId)).toBe(ErrorCode.UNKNOWN_MEMBER_ID)
    expect(heartbeat(h.coordinator, a, generationId - 1)).toBe(ErrorCode.ILLEGAL_GENERATION)

    // Another member joins: the others learn of the rebalance from their heartbeats.
    await joinAsNewMember(h.coordinator, { clientId: 'c' })
    expect(heartbeat(h.coordinator, b, generationId)).toBe(ErrorCode.REBALANCE_IN_PROGRESS)
  })

  it('keeps a heartbeating member across many session timeouts', async () => {
    const h = harness()
    const { memberId, generationId } = await stableSingleMember(h, { sessionTimeoutMs: 10_000 })
    for (let i = 0; i < 10; i++) {
      await h.clock.advance(9000)
      expect(heartbeat(h.coordinator, memberId, generationId)).toBe(ErrorCode.NONE)
    }
    expect(stateOf(h)).toBe('Stable')
  })

  it('removes a member whose session expires and rebalances the rest into a new generation', async () => {
    const h = harness()
    const { a, b, generationId } = await stableTwoMembers(h)
    await h.clock.advance(6000)
    expect(heartbeat(h.coordinator, a, generationId)).toBe(ErrorCode.NONE)
    await h.clock.advance(4000) // b's 10 s session has run out
    expect(h.events).toContainEqual({ type: 'memberRemoved', groupId: 'g', memberId: b, reason: 'sessionTimeout' })
    expect(heartbeat(h.coordinator, b, generationId)).toBe(ErrorCode.UNKNOWN_MEMBER_ID)
    expect(heartbeat(h.coordinator, a, generationId)).toBe(ErrorCode.REBALANCE_IN_PROGRESS)
    const rejoin = await h.coordinator.joinGroup(joinRequest({ clientId: 'a', memberId: a }))
    expect(rejoin).toMatchObject({ generationId: generationId + 1, leader: a })
    expect(rejoin.members.map((m) => m.memberId)).toEqual([a])
  })

  it('empties the group, bumping the generation, when its last member expires', async () => {
    const h = harness()
    const { generationId } = await stableSingleMember(h)
    await h.clock.advance(10_000)
    const [group] = h.coordinator.snapshot()
    expect(group).toMatchObject({ state: 'Empty', generationId: generationId + 1, members: [], protocolName: null, leaderId: null })
  })

  it('bounds a new member\'s first parked join by the new-member join timeout', async () => {
    const h = harness()
    const { a, b, generationId } = await stableTwoMembers(h)
    // a rejoins with a huge rebalance timeout; b stays alive but never rejoins; c is new and parked.
    track(h.coordinator.joinGroup(joinRequest({ clientId: 'a', memberId: a, rebalanceTimeoutMs: 1_000_000 })))
    const c = await joinAsNewMember(h.coordinator, { clientId: 'c', rebalanceTimeoutMs: 1_000_000, sessionTimeoutMs: 1_800_000 })
    for (let t = 5000; t < NEW_MEMBER_JOIN_TIMEOUT_MS; t += 5000) {
      await h.clock.advance(5000)
      expect(heartbeat(h.coordinator, b, generationId)).toBe(ErrorCode.REBALANCE_IN_PROGRESS)
    }
    expect(c.join.settled).toBe(false)
    await h.clock.advance(5000)
    expect(c.join.value).toMatchObject({ errorCode: ErrorCode.UNKNOWN_MEMBER_ID, memberId: '' })
    expect(h.events).toContainEqual({ type: 'memberRemoved', groupId: 'g', memberId: c.memberId, reason: 'sessionTimeout' })
  })
})

describe('rebalance timeout', () => {
  it('drops members that do not rejoin in time, even if they keep heartbeating', async () => {
    const h = harness()
    const { a, b, generationId } = await stableTwoMembers(h)
    const c = await joinAsNewMember(h.coordinator, { clientId: 'c' })
    const aJoin = track(h.coordinator.joinGroup(joinRequest({ clientId: 'a', memberId: a })))
    for (let t = 0; t < 30_000; t += 5000) {
      await h.clock.advance(5000)
      if (t + 5000 < 30_000) expect(heartbeat(h.coordinator, b, generationId)).toBe(ErrorCode.REBALANCE_IN_PROGRESS)
    }
    expect(h.events).toContainEqual({ type: 'memberRemoved', groupId: 'g', memberId: b, reason: 'rebalanceTimeout' })
    expect(aJoin.value).toMatchObject({ errorCode: ErrorCode.NONE, generationId: generationId + 1 })
    expect(aJoin.value!.members.map((m) => m.memberId).sort()).toEqual([a, c.memberId].sort())
    expect(c.join.value?.generationId).toBe(generationId + 1)
  })

  it('waits for a MEMBER_ID_REQUIRED id to rejoin, until it expires after its session timeout', async () => {
    const h = harness()
    const { memberId } = await stableSingleMember(h, { clientId: 'a' })
    await requestMemberId(h.coordinator, { clientId: 'late', sessionTimeoutMs: 8000 })
    const leaderJoin = track(h.coordinator.joinGroup(joinRequest({ clientId: 'a', memberId })))
    await h.clock.advance(7999)
    expect(leaderJoin.settled).toBe(false)
    await h.clock.advance(1)
    expect(leaderJoin.value?.members.map((m) => m.memberId)).toEqual([memberId])
  })

  it('makes the first rejoined member leader when the leader is gone', async () => {
    const h = harness()
    const { a, b, generationId } = await stableTwoMembers(h)
    h.coordinator.leaveGroup({ api: 'LeaveGroup', groupId: 'g', members: [{ memberId: a }] })
    const bJoin = await h.coordinator.joinGroup(joinRequest({ clientId: 'b', memberId: b }))
    expect(bJoin).toMatchObject({ leader: b, generationId: generationId + 1 })
  })
})

describe('LeaveGroup', () => {
  it('removes the member, rebalances, and reports unknown members per member', async () => {
    const h = harness()
    const { a, b, generationId } = await stableTwoMembers(h)
    const response = h.coordinator.leaveGroup({ api: 'LeaveGroup', groupId: 'g', members: [{ memberId: b }, { memberId: 'ghost' }] })
    expect(response).toEqual({
      errorCode: ErrorCode.NONE,
      members: [
        { memberId: b, errorCode: ErrorCode.NONE },
        { memberId: 'ghost', errorCode: ErrorCode.UNKNOWN_MEMBER_ID },
      ],
    })
    expect(h.events).toContainEqual({ type: 'memberRemoved', groupId: 'g', memberId: b, reason: 'left' })
    expect(heartbeat(h.coordinator, a, generationId)).toBe(ErrorCode.REBALANCE_IN_PROGRESS)
    expect(h.coordinator.leaveGroup({ api: 'LeaveGroup', groupId: 'nope', members: [{ memberId: a }] }).members).toEqual([
      { memberId: a, errorCode: ErrorCode.UNKNOWN_MEMBER_ID },
    ])
  })

  it('answers the parked join of a leaving member, and completes the join phase without it', async () => {
    const h = harness()
    const { a, b, generationId } = await stableTwoMembers(h)
    const c = await joinAsNewMember(h.coordinator, { clientId: 'c' })
    const aJoin = track(h.coordinator.joinGroup(joinRequest({ clientId: 'a', memberId: a })))
    h.coordinator.leaveGroup({ api: 'LeaveGroup', groupId: 'g', members: [{ memberId: c.memberId }] })
    await flush(h.clock)
    expect(c.join.value).toMatchObject({ errorCode: ErrorCode.UNKNOWN_MEMBER_ID, memberId: '' })
    expect(aJoin.settled).toBe(false) // still waiting for b
    const bJoin = track(h.coordinator.joinGroup(joinRequest({ clientId: 'b', memberId: b })))
    await flush(h.clock)
    expect(aJoin.value?.generationId).toBe(generationId + 1)
    expect(bJoin.value?.generationId).toBe(generationId + 1)
    expect(aJoin.value!.members.map((m) => m.memberId).sort()).toEqual([a, b].sort())
  })

  it('empties the group with a generation bump when the last member leaves', async () => {
    const h = harness()
    const { memberId, generationId } = await stableSingleMember(h)
    h.coordinator.leaveGroup({ api: 'LeaveGroup', groupId: 'g', members: [{ memberId }] })
    expect(h.coordinator.snapshot()[0]).toMatchObject({ state: 'Empty', generationId: generationId + 1 })
    const transitions = h.events.filter((e) => e.type === 'groupStateChanged').map((e) => (e.type === 'groupStateChanged' ? `${e.from}->${e.to}` : ''))
    expect(transitions).toEqual(['Empty->PreparingRebalance', 'PreparingRebalance->CompletingRebalance', 'CompletingRebalance->Stable', 'Stable->PreparingRebalance', 'PreparingRebalance->Empty'])
  })
})

describe('OffsetCommit and OffsetFetch', () => {
  it('stores offsets with metadata from a member of the current generation and fetches them back', async () => {
    const h = harness()
    const { memberId, generationId } = await stableSingleMember(h)
    expect(commit(h.coordinator, { generationId, memberId, offsets: [{ topic: 't', partition: 0, offset: 5, metadata: 'm' }, { topic: 't', partition: 1, offset: 7 }] })).toEqual([0, 0])
    expect(h.coordinator.committedOffset('g', 't', 0)).toBe(5)
    const fetched = h.coordinator.offsetFetch({ api: 'OffsetFetch', groupId: 'g', topics: [{ name: 't', partitionIndexes: [0, 1, 2] }] })
    expect(fetched).toEqual({
      errorCode: 0,
      topics: [
        {
          name: 't',
          partitions: [
            { index: 0, committedOffset: 5, metadata: 'm', errorCode: 0 },
            { index: 1, committedOffset: 7, metadata: '', errorCode: 0 },
            { index: 2, committedOffset: -1, metadata: '', errorCode: 0 },
          ],
        },
      ],
    })
    const all = h.coordinator.offsetFetch({ api: 'OffsetFetch', groupId: 'g', topics: null })
    expect(all.topics).toEqual([{ name: 't', partitions: [expect.objectContaining({ index: 0, committedOffset: 5 }), expect.objectContaining({ index: 1, committedOffset: 7 })] }])
    expect(h.events.at(-1)).toEqual({ type: 'offsetsCommitted', groupId: 'g', generationId, offsets: [{ topic: 't', partition: 0, offset: 5 }, { topic: 't', partition: 1, offset: 7 }] })
  })

  it('answers a fetch for an unknown group with -1 offsets and no error', () => {
    const h = harness()
    expect(h.coordinator.offsetFetch({ api: 'OffsetFetch', groupId: 'none', topics: null })).toEqual({ errorCode: 0, topics: [] })
    expect(h.coordinator.offsetFetch({ api: 'OffsetFetch', groupId: 'none', topics: [{ name: 't', partitionIndexes: [0] }] }).topics[0]!.partitions[0]).toEqual({
      index: 0,
      committedOffset: -1,
      metadata: '',
      errorCode: 0,
    })
    expect(h.coordinator.committedOffset('none', 't', 0)).toBeUndefined()
  })

  it('checks the member and generation of a commit', async () => {
    const h = harness()
    const { a, generationId } = await stableTwoMembers(h)
    const one = [{ topic: 't', partition: 0, offset: 1 }]
    expect(commit(h.coordinator, { generationId: generationId - 1, memberId: a, offsets: one })).toEqual([ErrorCode.ILLEGAL_GENERATION])
    expect(commit(h.coordinator, { generationId, memberId: 'ghost', offsets: one })).toEqual([ErrorCode.UNKNOWN_MEMBER_ID])
    // generation -1 is for groups nobody is in.
    expect(commit(h.coordinator, { generationId: -1, memberId: '', offsets: one })).toEqual([ErrorCode.UNKNOWN_MEMBER_ID])
    // A group that does not exist: generation -1 creates it, anything else is an older generation.
    expect(commit(h.coordinator, { groupId: 'other', generationId: 3, memberId: 'm', offsets: one })).toEqual([ErrorCode.ILLEGAL_GENERATION])
    expect(commit(h.coordinator, { groupId: 'admin', generationId: -1, memberId: '', offsets: one })).toEqual([ErrorCode.NONE])
    expect(h.coordinator.snapshot().find((g) => g.groupId === 'admin')).toMatchObject({ state: 'Empty', protocolType: null, generationId: 0 })
  })

  it('accepts the current generation while PreparingRebalance and refuses while CompletingRebalance', async () => {
    const h = harness()
    const { a, b, generationId } = await stableTwoMembers(h)
    const one = [{ topic: 't', partition: 0, offset: 1 }]
    const c = await joinAsNewMember(h.coordinator, { clientId: 'c' })
    expect(stateOf(h)).toBe('PreparingRebalance')
    expect(commit(h.coordinator, { generationId, memberId: b, offsets: one })).toEqual([ErrorCode.NONE])
    h.coordinator.joinGroup(joinRequest({ clientId: 'a', memberId: a }))
    h.coordinator.joinGroup(joinRequest({ clientId: 'b', memberId: b }))
    await flush(h.clock)
    expect(c.join.value?.errorCode).toBe(ErrorCode.NONE)
    expect(stateOf(h)).toBe('CompletingRebalance')
    expect(commit(h.coordinator, { generationId: generationId + 1, memberId: b, offsets: one })).toEqual([ErrorCode.REBALANCE_IN_PROGRESS])
  })

  it('refuses metadata over offset.metadata.max.bytes per partition and stores the rest', async () => {
    const h = harness()
    const { memberId, generationId } = await stableSingleMember(h)
    const errors = commit(h.coordinator, {
      generationId,
      memberId,
      offsets: [
        { topic: 't', partition: 0, offset: 1, metadata: 'x'.repeat(4097) },
        { topic: 't', partition: 1, offset: 2, metadata: 'x'.repeat(4096) },
      ],
    })
    expect(errors).toEqual([ErrorCode.OFFSET_METADATA_TOO_LARGE, ErrorCode.NONE])
    expect(h.coordinator.committedOffset('g', 't', 0)).toBeUndefined()
    expect(h.coordinator.committedOffset('g', 't', 1)).toBe(2)
  })

  it('answers refused metadata at its place over several topics, stores and reports only the rest, and nothing when all are refused', async () => {
    const h = harness()
    const { memberId, generationId } = await stableSingleMember(h)
    const big = 'x'.repeat(4097)
    const eventsBefore = h.events.length
    const errors = commit(h.coordinator, {
      generationId,
      memberId,
      offsets: [
        { topic: 'a', partition: 0, offset: 1 },
        { topic: 'a', partition: 1, offset: 2, metadata: big },
        { topic: 'b', partition: 0, offset: 3, metadata: 'm' },
        { topic: 'b', partition: 1, offset: 4, metadata: big },
      ],
    })
    expect(errors).toEqual([ErrorCode.NONE, ErrorCode.OFFSET_METADATA_TOO_LARGE, ErrorCode.NONE, ErrorCode.OFFSET_METADATA_TOO_LARGE])
    expect([h.coordinator.committedOffset('g', 'a', 0), h.coordinator.committedOffset('g', 'a', 1), h.coordinator.committedOffset('g', 'b', 0), h.coordinator.committedOffset('g', 'b', 1)]).toEqual([1, undefined, 3, undefined])
    const reported = h.events.slice(eventsBefore).filter((e) => e.type === 'offsetsCommitted')
    expect(reported.map((e) => (e as { offsets: unknown }).offsets)).toEqual([
      [
        { topic: 'a', partition: 0, offset: 1 },
        { topic: 'b', partition: 0, offset: 3 },
      ],
    ])
    const afterFirst = h.events.length
    expect(commit(h.coordinator, { generationId, memberId, offsets: [{ topic: 'c', partition: 0, offset: 1, metadata: big }] })).toEqual([ErrorCode.OFFSET_METADATA_TOO_LARGE])
    expect(h.coordinator.committedOffset('g', 'c', 0)).toBeUndefined()
    expect(h.events.slice(afterFirst).filter((e) => e.type === 'offsetsCommitted')).toEqual([])
  })

  it('keeps transactional offsets invisible until the transaction commits', async () => {
    const h = harness()
    const { memberId, generationId } = await stableSingleMember(h)
    const txn = (offset: number, gen = generationId) =>
      h.coordinator.txnOffsetCommit({ groupId: 'g', producerId: 9, generationId: gen, memberId, topics: [{ name: 't', partitions: [{ index: 0, committedOffset: offset, committedMetadata: null }] }] })
    expect(txn(10, generationId + 5).topics[0]!.partitions[0]!.errorCode).toBe(ErrorCode.ILLEGAL_GENERATION)
    expect(txn(10).topics[0]!.partitions[0]!.errorCode).toBe(ErrorCode.NONE)
    expect(h.coordinator.committedOffset('g', 't', 0)).toBeUndefined()
    const stable = h.coordinator.offsetFetch({ api: 'OffsetFetch', groupId: 'g', topics: [{ name: 't', partitionIndexes: [0] }], requireStable: true })
    expect(stable.topics[0]!.partitions[0]!.errorCode).toBe(ErrorCode.UNSTABLE_OFFSET_COMMIT)
    h.coordinator.completeTxnOffsetCommit(9, true)
    expect(h.coordinator.committedOffset('g', 't', 0)).toBe(10)

    txn(20)
    h.coordinator.completeTxnOffsetCommit(9, false)
    expect(h.coordinator.committedOffset('g', 't', 0)).toBe(10)

    // A plain commit made after the transactional one wins when the transaction commits later.
    txn(30)
    commit(h.coordinator, { generationId, memberId, offsets: [{ topic: 't', partition: 0, offset: 31 }] })
    h.coordinator.completeTxnOffsetCommit(9, true)
    expect(h.coordinator.committedOffset('g', 't', 0)).toBe(31)
  })
})

describe('offset retention (offsets.retention.minutes, KIP-211)', () => {
  const retention = { offsetsRetentionMs: 60_000, offsetsRetentionCheckIntervalMs: 10_000 }

  it('expires an Empty group\'s offsets retention after it became empty, then removes the group', async () => {
    const h = harness(retention)
    const { memberId, generationId } = await stableSingleMember(h)
    commit(h.coordinator, { generationId, memberId, offsets: [{ topic: 't', partition: 0, offset: 3 }] })
    // The member stays for longer than the retention: its offsets do not age meanwhile.
    for (let i = 0; i < 20; i++) {
      await h.clock.advance(5000)
      heartbeat(h.coordinator, memberId, generationId)
    }
    h.coordinator.leaveGroup({ api: 'LeaveGroup', groupId: 'g', members: [{ memberId }] })
    await h.clock.advance(50_000)
    expect(h.coordinator.committedOffset('g', 't', 0)).toBe(3)
    await h.clock.advance(20_000)
    expect(h.coordinator.committedOffset('g', 't', 0)).toBeUndefined()
    expect(h.coordinator.listGroups({ api: 'ListGroups' }).groups).toEqual([])
    expect(h.events.at(-1)).toEqual({ type: 'groupStateChanged', groupId: 'g', from: 'Empty', to: 'Dead' })
  })

  it('expires each offset of a group used only for storage retention after its commit', async () => {
    const h = harness(retention)
    commit(h.coordinator, { generationId: -1, memberId: '', offsets: [{ topic: 't', partition: 0, offset: 1 }] })
    await h.clock.advance(30_000)
    commit(h.coordinator, { generationId: -1, memberId: '', offsets: [{ topic: 't', partition: 1, offset: 2 }] })
    await h.clock.advance(40_000) // 70 s after the first commit, 40 s after the second
    expect(h.coordinator.committedOffset('g', 't', 0)).toBeUndefined()
    expect(h.coordinator.committedOffset('g', 't', 1)).toBe(2)
    await h.clock.advance(30_000)
    expect(h.coordinator.snapshot()).toEqual([])
  })

  it('expires, in a Stable consumer group, only the offsets of topics nobody subscribes to', async () => {
    const h = harness(retention, { decodeSubscription: (m) => m.toString().split(',') })
    const { memberId, generationId } = await stableSingleMember(h, { protocols: [{ name: 'rr', metadata: Buffer.from('orders') }], sessionTimeoutMs: 1_800_000 })
    commit(h.coordinator, { generationId, memberId, offsets: [{ topic: 'orders', partition: 0, offset: 1 }, { topic: 'old', partition: 0, offset: 1 }] })
    await h.clock.advance(80_000)
    expect(h.coordinator.committedOffset('g', 'orders', 0)).toBe(1)
    expect(h.coordinator.committedOffset('g', 'old', 0)).toBeUndefined()
  })

  it('holds no timer while there are no groups', () => {
    const h = harness(retention)
    expect(h.clock.pendingTimers).toBe(0)
  })
})

describe('DeleteGroups', () => {
  it('deletes only Empty groups, with their offsets', async () => {
    const h = harness()
    await stableSingleMember(h)
    commit(h.coordinator, { groupId: 'idle', generationId: -1, memberId: '', offsets: [{ topic: 't', partition: 0, offset: 4 }] })
    const response = h.coordinator.deleteGroups({ api: 'DeleteGroups', groupsNames: ['g', 'idle', 'missing'] })
    expect(response.results).toEqual([
      { groupId: 'g', errorCode: ErrorCode.NON_EMPTY_GROUP },
      { groupId: 'idle', errorCode: ErrorCode.NONE },
      { groupId: 'missing', errorCode: ErrorCode.GROUP_ID_NOT_FOUND },
    ])
    expect(h.coordinator.committedOffset('idle', 't', 0)).toBeUndefined()
    expect(h.coordinator.deleteGroups({ api: 'DeleteGroups', groupsNames: ['idle'] }).results[0]!.errorCode).toBe(ErrorCode.GROUP_ID_NOT_FOUND)
    expect(h.events).toContainEqual({ type: 'groupStateChanged', groupId: 'idle', from: 'Empty', to: 'Dead' })
  })
})

describe('ListGroups and DescribeGroups', () => {
  it('lists every live group with its state, honouring the states filter', async () => {
    const h = harness()
    await stableSingleMember(h)
    commit(h.coordinator, { groupId: 'idle', generationId: -1, memberId: '', offsets: [{ topic: 't', partition: 0, offset: 4 }] })
    expect(h.coordinator.listGroups({ api: 'ListGroups' })).toEqual({
      errorCode: 0,
      groups: [
        { groupId: 'g', protocolType: 'consumer', groupState: 'Stable' },
        { groupId: 'idle', protocolType: '', groupState: 'Empty' },
      ],
    })
    expect(h.coordinator.listGroups({ api: 'ListGroups', statesFilter: ['Empty'] }).groups.map((g) => g.groupId)).toEqual(['idle'])
  })

  it('describes a Stable group with metadata and assignments, other states without, and an unknown group as Dead', async () => {
    const h = harness()
    const { a, b } = await stableTwoMembers(h)
    const [described] = h.coordinator.describeGroups({ api: 'DescribeGroups', groups: ['g'] }).groups
    expect(described).toEqual({
      errorCode: 0,
      groupId: 'g',
      groupState: 'Stable',
      protocolType: 'consumer',
      protocolData: 'roundrobin',
      members: [
        { memberId: a, groupInstanceId: null, clientId: 'a', clientHost: '/127.0.0.1', memberMetadata: Buffer.from('meta:a'), memberAssignment: Buffer.from('A') },
        { memberId: b, groupInstanceId: null, clientId: 'b', clientHost: '/127.0.0.1', memberMetadata: Buffer.from('meta:b'), memberAssignment: Buffer.from('B') },
      ],
    })
    h.coordinator.requestRebalance('g', 'test')
    const [rebalancing] = h.coordinator.describeGroups({ api: 'DescribeGroups', groups: ['g'] }).groups
    expect(rebalancing).toMatchObject({ groupState: 'PreparingRebalance', protocolData: '' })
    expect(rebalancing!.members[0]!.memberMetadata).toEqual(Buffer.alloc(0))
    expect(h.coordinator.describeGroups({ api: 'DescribeGroups', groups: ['missing'] }).groups).toEqual([
      { errorCode: 0, groupId: 'missing', groupState: 'Dead', protocolType: '', protocolData: '', members: [] },
    ])
  })

  it('snapshots groups as plain data', async () => {
    const h = harness()
    const { memberId, generationId } = await stableSingleMember(h, { clientId: 'app' }, Buffer.from('asg'))
    commit(h.coordinator, { generationId, memberId, offsets: [{ topic: 't', partition: 0, offset: 9, metadata: 'md' }] })
    expect(h.coordinator.snapshot()).toEqual([
      {
        groupId: 'g',
        state: 'Stable',
        generationId: 1,
        protocolType: 'consumer',
        protocolName: 'roundrobin',
        leaderId: memberId,
        members: [{ memberId, groupInstanceId: null, clientId: 'app', clientHost: '/127.0.0.1', assignment: Buffer.from('asg'), sessionTimeoutMs: 10_000 }],
        offsets: [{ topic: 't', partition: 0, offset: 9, metadata: 'md' }],
      },
    ])
  })
})

describe('signals from the cluster', () => {
  const decode = (m: Buffer) => m.toString().split(',')

  it('drops a deleted topic\'s offsets, removes groups left with nothing, and rebalances subscribers', async () => {
    const h = harness({}, { decodeSubscription: decode })
    const { memberId, generationId } = await stableSingleMember(h, { protocols: [{ name: 'rr', metadata: Buffer.from('orders,audit') }] })
    await stableSingleMember(h, { groupId: 'other', protocols: [{ name: 'rr', metadata: Buffer.from('payments') }] })
    commit(h.coordinator, { generationId, memberId, offsets: [{ topic: 'orders', partition: 0, offset: 1 }, { topic: 'payments', partition: 0, offset: 1 }] })
    commit(h.coordinator, { groupId: 'only-orders', generationId: -1, memberId: '', offsets: [{ topic: 'orders', partition: 0, offset: 1 }] })
    expect(h.coordinator.groupsSubscribedTo('orders')).toEqual(['g'])

    h.coordinator.onTopicDeleted('orders')
    expect(h.coordinator.committedOffset('g', 'orders', 0)).toBeUndefined()
    expect(h.coordinator.committedOffset('g', 'payments', 0)).toBe(1)
    expect(stateOf(h, 'g')).toBe('PreparingRebalance')
    expect(stateOf(h, 'other')).toBe('Stable')
    expect(stateOf(h, 'only-orders')).toBeUndefined()
  })

  it('starts a requested rebalance only for a group with members that is not already rebalancing', async () => {
    const h = harness()
    const { memberId, generationId } = await stableSingleMember(h)
    expect(h.coordinator.requestRebalance('g', 'partitions added')).toBe(true)
    expect(heartbeat(h.coordinator, memberId, generationId)).toBe(ErrorCode.REBALANCE_IN_PROGRESS)
    expect(h.coordinator.requestRebalance('g', 'again')).toBe(false)
    expect(h.coordinator.requestRebalance('missing', 'x')).toBe(false)
  })
})

describe('static membership (KIP-345)', () => {
  it('joins without MEMBER_ID_REQUIRED and, on rejoin with a new id, fences the old id without a rebalance', async () => {
    const h = harness()
    const first = await h.coordinator.joinGroup(joinRequest({ clientId: 'app', groupInstanceId: 'pod-1' }))
    expect(first).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 1 })
    expect(first.memberId).toMatch(/^pod-1-/)
    await h.coordinator.syncGroup({ api: 'SyncGroup', groupId: 'g', generationId: 1, memberId: first.memberId, groupInstanceId: 'pod-1', assignments: [{ memberId: first.memberId, assignment: Buffer.from('x') }] })

    const restarted = await h.coordinator.joinGroup(joinRequest({ clientId: 'app', groupInstanceId: 'pod-1' }))
    expect(restarted).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 1, leader: first.memberId })
    expect(restarted.memberId).not.toBe(first.memberId)
    expect(stateOf(h)).toBe('Stable')
    expect(h.coordinator.heartbeat({ api: 'Heartbeat', groupId: 'g', generationId: 1, memberId: first.memberId, groupInstanceId: 'pod-1' }).errorCode).toBe(ErrorCode.FENCED_INSTANCE_ID)
    expect(h.coordinator.heartbeat({ api: 'Heartbeat', groupId: 'g', generationId: 1, memberId: restarted.memberId, groupInstanceId: 'pod-1' }).errorCode).toBe(ErrorCode.NONE)
  })
})

describe('close()', () => {
  it('cancels every timer and answers every parked request COORDINATOR_NOT_AVAILABLE', async () => {
    const h = harness()
    const a = await stableSingleMember(h, { clientId: 'a' })
    h.config.groupInitialRebalanceDelayMs = 3000 // read afresh by the coordinator
    const b = await joinAsNewMember(h.coordinator, { clientId: 'b' }) // parked join
    await requestMemberId(h.coordinator, { clientId: 'pending' }) // a pending member id
    const starting = await joinAsNewMember(h.coordinator, { groupId: 'new', clientId: 'n' }) // initial delay running
    commit(h.coordinator, { groupId: 'stored', generationId: -1, memberId: '', offsets: [{ topic: 't', partition: 0, offset: 1 }] })
    expect(h.clock.pendingTimers).toBeGreaterThan(0)

    h.coordinator.close()
    await flush(h.clock)
    expect(h.clock.pendingTimers).toBe(0)
    expect(b.join.value?.errorCode).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE)
    expect(starting.join.value?.errorCode).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE)
    expect(heartbeat(h.coordinator, a.memberId, a.generationId)).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE)
    expect((await h.coordinator.joinGroup(joinRequest())).errorCode).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE)
    expect(h.clock.pendingTimers).toBe(0)
  })

  it('answers a parked SyncGroup too', async () => {
    const h = harness()
    const a = await stableSingleMember(h, { clientId: 'a' })
    const b = await joinAsNewMember(h.coordinator, { clientId: 'b' })
    const aJoin = track(h.coordinator.joinGroup(joinRequest({ clientId: 'a', memberId: a.memberId })))
    await flush(h.clock)
    const parked = sync(h.coordinator, b.memberId, aJoin.value!.generationId)
    h.coordinator.close()
    await flush(h.clock)
    expect(parked.value?.errorCode).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE)
    expect(h.clock.pendingTimers).toBe(0)
  })
})

describe('rejoins with the same protocols (issue 15: kept rather than copied and recounted)', () => {
  /** Every member of the group rejoins with `protocols`; the leader then syncs. Returns the new generation's protocol. */
  async function everyoneRejoins(h: Harness, members: readonly string[], protocols: () => { name: string; metadata: Buffer }[]): Promise<string | null> {
    const joins = members.map((memberId, i) => track(h.coordinator.joinGroup(joinRequest({ clientId: `m${i}`, memberId, protocols: protocols() }))))
    await flush(h.clock)
    const answers = joins.map((j) => j.value!)
    for (const a of answers) expect(a.errorCode).toBe(ErrorCode.NONE)
    const leader = answers.find((a) => a.leader === a.memberId)!
    const syncs = answers.map((a) => sync(h.coordinator, a.memberId, a.generationId, a === leader ? answers.map((m) => ({ memberId: m.memberId, assignment: Buffer.from('x') })) : []))
    await flush(h.clock)
    for (const s of syncs) expect(s.value?.errorCode).toBe(ErrorCode.NONE)
    return leader.protocolName
  }

  it('keeps the protocol counts right across rejoins with equal bytes in new buffers, and recounts a change', async () => {
    const h = harness()
    const { a, b } = await stableTwoMembers(h)
    const roundRobinOnly = () => [{ name: 'roundrobin', metadata: Buffer.from('same bytes') }]
    // The first rejoin changes the metadata (recounted); the next two bring the same bytes again.
    for (let i = 0; i < 3; i++) expect(await everyoneRejoins(h, [a, b], roundRobinOnly)).toBe('roundrobin')
    // Nobody supports range yet: a member offering only range cannot join.
    const rangeOnly = [{ name: 'range', metadata: Buffer.from('r') }]
    expect((await h.coordinator.joinGroup(joinRequest({ clientId: 'c', protocols: rangeOnly }))).errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL)
    // Both now prefer range: recounted, so the group selects it and a range-only member may join.
    const both = () => [
      { name: 'range', metadata: Buffer.from('r') },
      { name: 'roundrobin', metadata: Buffer.from('same bytes') },
    ]
    expect(await everyoneRejoins(h, [a, b], both)).toBe('range')
    expect(await everyoneRejoins(h, [a, b], both)).toBe('range')
    const c = await requestMemberId(h.coordinator, { clientId: 'c', protocols: rangeOnly })
    expect(c).toMatch(uuidSuffix)
    // (Its pending id leaves again, so that the next join phase need not wait for it.)
    h.coordinator.leaveGroup({ api: 'LeaveGroup', groupId: 'g', members: [{ memberId: c }] })
    // And back to round robin only: range is no longer supported by every member.
    expect(await everyoneRejoins(h, [a, b], roundRobinOnly)).toBe('roundrobin')
    expect((await h.coordinator.joinGroup(joinRequest({ clientId: 'd', protocols: rangeOnly }))).errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL)
  })

  it('reads the subscription a member rejoins with, whether its bytes changed or not', async () => {
    const decoded: string[] = []
    const h = harness({}, { decodeSubscription: (metadata) => (decoded.push(metadata.toString()), metadata.toString().split(',')) })
    const subscribing = (topics: string) => () => [{ name: 'roundrobin', metadata: Buffer.from(topics) }]
    const { memberId } = await stableSingleMember(h, { clientId: 'a', protocols: subscribing('t1')() })
    const subscribed = (topic: string) => h.coordinator.deleteOffsets('g', [{ topic, partition: 0 }]).partitionErrors.get(`${topic}\u00000`)
    expect(subscribed('t1')).toBe(ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC)
    expect(subscribed('t2')).toBe(ErrorCode.NONE)

    await everyoneRejoins(h, [memberId], subscribing('t2,t3'))
    expect([subscribed('t1'), subscribed('t2'), subscribed('t3')]).toEqual([ErrorCode.NONE, ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC, ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC])
    // The same bytes again (in a new buffer): the same subscription, decoded once.
    const decodes = decoded.length
    await everyoneRejoins(h, [memberId], subscribing('t2,t3'))
    expect(decoded.length).toBe(decodes)
    expect([subscribed('t1'), subscribed('t2')]).toEqual([ErrorCode.NONE, ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC])
    await everyoneRejoins(h, [memberId], subscribing('t1'))
    expect([subscribed('t1'), subscribed('t2')]).toEqual([ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC, ErrorCode.NONE])
  })
})
