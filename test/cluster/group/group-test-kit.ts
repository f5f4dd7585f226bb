/**
 * Shared helpers for the group coordinator tests: a coordinator on a ManualClock with a seeded
 * Random, its recorded events, and short ways to send the group requests.
 */
import { ManualClock } from '../../../src/cluster/clock.js'
import { ErrorCode } from '../../../src/cluster/error-codes.js'
import { Random } from '../../../src/cluster/random.js'
import { ClusterConfig } from '../../../src/cluster/cluster-config.js'
import { GroupCoordinator } from '../../../src/cluster/group/group-coordinator.js'
import type { GroupEvent } from '../../../src/cluster/group/group-events.js'
import type { GroupCoordinatorConfig } from '../../../src/cluster/group/group-coordinator-config.js'
import type { JoinGroupRequest, JoinGroupResponse, SyncGroupResponse } from '../../../src/cluster/api/messages.js'

/** A cluster's defaults (Kafka's, with group.initial.rebalance.delay.ms 0 as memkafka starts its brokers). */
export const testConfig: GroupCoordinatorConfig = new ClusterConfig({}).groupCoordinatorConfig()

export interface Harness {
  clock: ManualClock
  coordinator: GroupCoordinator
  events: GroupEvent[]
  config: GroupCoordinatorConfig
}

export function harness(overrides: Partial<GroupCoordinatorConfig> = {}, options: { seed?: number; decodeSubscription?: (metadata: Buffer) => string[] | undefined } = {}): Harness {
  const clock = new ManualClock(1_000_000)
  const config: GroupCoordinatorConfig = { ...testConfig, ...overrides }
  const events: GroupEvent[] = []
  const coordinator = new GroupCoordinator({
    clock,
    random: new Random(options.seed ?? 42),
    config: () => config,
    emit: (e) => events.push(e),
    ...(options.decodeSubscription ? { decodeSubscription: options.decodeSubscription } : {}),
  })
  return { clock, coordinator, events, config }
}

export interface JoinOptions {
  groupId?: string
  memberId?: string
  clientId?: string
  sessionTimeoutMs?: number
  rebalanceTimeoutMs?: number
  protocolType?: string
  protocols?: { name: string; metadata: Buffer }[]
  groupInstanceId?: string | null
}

export function joinRequest(options: JoinOptions = {}): JoinGroupRequest {
  const clientId = options.clientId ?? 'app'
  return {
    api: 'JoinGroup',
    groupId: options.groupId ?? 'g',
    sessionTimeoutMs: options.sessionTimeoutMs ?? 10_000,
    rebalanceTimeoutMs: options.rebalanceTimeoutMs ?? 30_000,
    memberId: options.memberId ?? '',
    groupInstanceId: options.groupInstanceId ?? null,
    protocolType: options.protocolType ?? 'consumer',
    protocols: options.protocols ?? [{ name: 'roundrobin', metadata: Buffer.from(`meta:${clientId}`) }],
    clientId,
    clientHost: '/127.0.0.1',
  }
}

/** A promise whose settlement can be inspected synchronously. */
export interface Tracked<T> {
  readonly promise: Promise<T>
  readonly settled: boolean
  readonly value: T | undefined
}

export function track<T>(promise: Promise<T>): Tracked<T> {
  const state = { settled: false, value: undefined as T | undefined }
  void promise.then((v) => {
    state.settled = true
    state.value = v
  })
  return {
    promise,
    get settled() {
      return state.settled
    },
    get value() {
      return state.value
    },
  }
}

/** Lets resolved promises' callbacks run. */
export async function flush(clock: ManualClock): Promise<void> {
  await clock.advance(0)
}

/** The KIP-394 dance: JoinGroup without an id gets MEMBER_ID_REQUIRED and the id to use. */
export async function requestMemberId(coordinator: GroupCoordinator, options: JoinOptions = {}): Promise<string> {
  const first = await coordinator.joinGroup(joinRequest({ ...options, memberId: '' }))
  if (first.errorCode !== ErrorCode.MEMBER_ID_REQUIRED) throw new Error(`expected MEMBER_ID_REQUIRED, got ${first.errorCode}`)
  return first.memberId
}

/** Gets a member id, then sends the real JoinGroup with it (which may park). */
export async function joinAsNewMember(coordinator: GroupCoordinator, options: JoinOptions = {}): Promise<{ memberId: string; join: Tracked<JoinGroupResponse> }> {
  const memberId = await requestMemberId(coordinator, options)
  return { memberId, join: track(coordinator.joinGroup(joinRequest({ ...options, memberId }))) }
}

export function sync(
  coordinator: GroupCoordinator,
  memberId: string,
  generationId: number,
  assignments: { memberId: string; assignment: Buffer }[] = [],
  groupId = 'g',
): Tracked<SyncGroupResponse> {
  return track(coordinator.syncGroup({ api: 'SyncGroup', groupId, generationId, memberId, assignments }))
}

export function heartbeat(coordinator: GroupCoordinator, memberId: string, generationId: number, groupId = 'g'): number {
  return coordinator.heartbeat({ api: 'Heartbeat', groupId, generationId, memberId }).errorCode
}

export function commit(
  coordinator: GroupCoordinator,
  options: { groupId?: string; generationId: number; memberId: string; offsets: { topic: string; partition: number; offset: number; metadata?: string | null }[] },
): number[] {
  const byTopic = new Map<string, { index: number; committedOffset: number; committedMetadata: string | null }[]>()
  for (const o of options.offsets) {
    const list = byTopic.get(o.topic) ?? []
    list.push({ index: o.partition, committedOffset: o.offset, committedMetadata: o.metadata ?? null })
    byTopic.set(o.topic, list)
  }
  const response = coordinator.offsetCommit({
    api: 'OffsetCommit',
    groupId: options.groupId ?? 'g',
    generationId: options.generationId,
    memberId: options.memberId,
    topics: [...byTopic].map(([name, partitions]) => ({ name, partitions })),
  })
  return response.topics.flatMap((t) => t.partitions.map((p) => p.errorCode))
}

/**
 * A one-member Stable group: join, sync with `assignment`. Returns the member id and generation.
 */
export async function stableSingleMember(h: Harness, options: JoinOptions = {}, assignment = Buffer.from('a0')): Promise<{ memberId: string; generationId: number }> {
  const { memberId, join } = await joinAsNewMember(h.coordinator, options)
  await flush(h.clock)
  const joined = join.value!
  const s = sync(h.coordinator, memberId, joined.generationId, [{ memberId, assignment }], options.groupId ?? 'g')
  await flush(h.clock)
  if (s.value?.errorCode !== ErrorCode.NONE) throw new Error('sync failed')
  return { memberId, generationId: joined.generationId }
}
