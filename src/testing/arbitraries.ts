/**
 * fast-check arbitraries for simulations: topic configurations, producers, keyed send
 * workloads, consumer-group memberships and fault schedules, and whole scenarios. Every one is
 * built from fast-check's records, arrays and integers, so a failing scenario shrinks on its
 * own: steps disappear, counts and delays fall toward their minimum, faults fall away, until
 * only what the failure needs is left.
 *
 *   fc.assert(fc.asyncProperty(scenarioArbitrary({ ... }), async (scenario) => {
 *     const history = await simulate(scenario)
 *     return checkHistory(history).valid
 *   }))
 */
import { createRequire } from 'node:module'
import type * as fc from 'fast-check'
import type { ErrorName } from 'memkafka'
import type {
  AdvanceStep,
  ClientRef,
  FaultApi,
  FaultStep,
  GroupSpec,
  MembershipStep,
  ProducerSpec,
  RequestFaultEffect,
  Scenario,
  SendStep,
  TopicSpec,
  Workload,
  WorkloadStep,
} from './scenario.js'

/** A value or an arbitrary of it. */
type Or<T> = T | fc.Arbitrary<T>

/**
 * fast-check, loaded on first use: memkafka/testing's other tools (simulate, checkHistory,
 * HistoryRecorder, Nemesis) work without it, and fast-check stays an optional peer dependency.
 * Loaded with require, so it is found from this file whether memkafka runs as ESM or CJS; the
 * arbitraries it makes work with the user's fast-check whichever build that loaded, because
 * fast-check recognizes an arbitrary by its shape, not its class.
 */
let fastCheckModule: typeof fc | undefined

function fastCheck(): typeof fc {
  if (fastCheckModule) return fastCheckModule
  try {
    fastCheckModule = createRequire(import.meta.url)('fast-check') as typeof fc
  } catch (e) {
    if ((e as { code?: unknown }).code !== 'MODULE_NOT_FOUND') throw e
    throw new Error("memkafka/testing's arbitraries (scenarioArbitrary, workloadArbitrary, ...) need fast-check, an optional peer dependency of memkafka: npm i -D fast-check", { cause: e })
  }
  return fastCheckModule
}

/** fast-check's own test (an arbitrary from any copy of fast-check passes, unlike instanceof). */
function isArbitrary<T>(value: Or<T>): value is fc.Arbitrary<T> {
  return typeof value === 'object' && value !== null && 'generate' in value && 'shrink' in value && 'canShrinkWithoutContext' in value
}

const lift = <T>(value: Or<T>): fc.Arbitrary<T> => (isArbitrary(value) ? value : fastCheck().constant(value))

const advance = (maxMs: number): fc.Arbitrary<AdvanceStep> => fastCheck().record({ kind: fastCheck().constant('advance' as const), ms: fastCheck().integer({ min: 0, max: maxMs }) })

// ---------------------------------------------------------------------------------------------
// Topics

export interface TopicOptions {
  /** The topic's name (default 't<i>' in a workload). */
  readonly name?: string
  /** The cluster's broker count: the replication factor never exceeds it. Default 3. */
  readonly brokers?: number
  /** Default: 1 to 3. */
  readonly partitions?: Or<number>
  /** Default: 1 to `brokers`. */
  readonly replicationFactor?: Or<number>
  /** Default: 1 to the replication factor. */
  readonly minInsyncReplicas?: Or<number>
  /** unclean.leader.election.enable. Default false. */
  readonly uncleanLeaderElection?: Or<boolean>
  /** cleanup.policy. Default 'delete'. */
  readonly cleanupPolicy?: Or<'delete' | 'compact' | 'compact,delete'>
}

/** A topic: partitions, replication factor, min.insync.replicas, unclean election, cleanup policy. */
export function topicArbitrary(options: TopicOptions = {}): fc.Arbitrary<TopicSpec> {
  const brokers = options.brokers ?? 3
  const rf = lift(options.replicationFactor ?? fastCheck().integer({ min: 1, max: brokers })).map((n) => Math.max(1, Math.min(n, brokers)))
  return fastCheck()
    .record({
      partitions: lift(options.partitions ?? fastCheck().integer({ min: 1, max: 3 })),
      replicationFactor: rf,
      minIsr: lift(options.minInsyncReplicas ?? fastCheck().integer({ min: 1, max: brokers })),
      unclean: lift(options.uncleanLeaderElection ?? false),
      cleanup: lift<'delete' | 'compact' | 'compact,delete'>(options.cleanupPolicy ?? 'delete'),
    })
    .map(({ partitions, replicationFactor, minIsr, unclean, cleanup }) => ({
      name: options.name ?? 't0',
      partitions: Math.max(1, partitions),
      replicationFactor,
      configs: {
        'min.insync.replicas': String(Math.max(1, Math.min(minIsr, replicationFactor))),
        'unclean.leader.election.enable': String(unclean),
        'cleanup.policy': cleanup,
      },
    }))
}

// ---------------------------------------------------------------------------------------------
// Producers and sends

export interface ProducerOptions {
  /** Default: -1 or 1. */
  readonly acks?: Or<-1 | 0 | 1>
  /** Default false. */
  readonly idempotent?: Or<boolean>
  /** Default false. */
  readonly transactional?: Or<boolean>
}

export function producerArbitrary(options: ProducerOptions = {}): fc.Arbitrary<ProducerSpec> {
  return fastCheck()
    .record({
      acks: lift(options.acks ?? fastCheck().constantFrom<-1 | 0 | 1>(-1, 1)),
      idempotent: lift(options.idempotent ?? false),
      transactional: lift(options.transactional ?? false),
    })
    .map((p) => (p.idempotent || p.transactional ? { ...p, acks: -1 as const } : p))
}

export interface SendStepsOptions {
  /** How many producers and topics the steps choose among (indexes wrap around anyway). */
  readonly producers?: number
  readonly topics?: number
  /** Keys are k0..k<keys-1>. Default 8. */
  readonly keys?: number
  /** Messages per send, at most. Default 3. */
  readonly maxCount?: number
  /** Steps, at most (sends and advances). Default 40. */
  readonly maxSteps?: number
  /** The longest pause between sends. Default 1000 ms. */
  readonly maxAdvanceMs?: number
  /** How often a transaction is aborted on purpose (0..1). Default 0.2. */
  readonly abortRate?: number
}

/** A keyed workload: sends of one to `maxCount` messages with one key, with pauses between them. */
export function sendStepsArbitrary(options: SendStepsOptions = {}): fc.Arbitrary<WorkloadStep[]> {
  const abortWeight = Math.round((options.abortRate ?? 0.2) * 100)
  const send: fc.Arbitrary<SendStep> = fastCheck().record({
    kind: fastCheck().constant('send' as const),
    producer: fastCheck().nat({ max: Math.max(0, (options.producers ?? 1) - 1) }),
    topic: fastCheck().nat({ max: Math.max(0, (options.topics ?? 1) - 1) }),
    key: fastCheck().nat({ max: Math.max(0, (options.keys ?? 8) - 1) }),
    count: fastCheck().integer({ min: 1, max: Math.max(1, options.maxCount ?? 3) }),
    abort: fastCheck().oneof({ weight: 100 - abortWeight, arbitrary: fastCheck().constant(false) }, { weight: abortWeight, arbitrary: fastCheck().constant(true) }),
  })
  const step = fastCheck().oneof({ weight: 3, arbitrary: send }, { weight: 1, arbitrary: advance(options.maxAdvanceMs ?? 1_000) })
  return fastCheck().array(step, { maxLength: options.maxSteps ?? 40, size: 'max' })
}

// ---------------------------------------------------------------------------------------------
// Consumer groups

export interface MembershipOptions {
  /** How many topics the workload has: the group subscribes to a non-empty subset. Default 1. */
  readonly topics?: number
  /** Steps, at most. Default 8. */
  readonly maxSteps?: number
  /** The longest pause between joins and leaves. Default 5000 ms. */
  readonly maxAdvanceMs?: number
  readonly handler?: Or<'eachMessage' | 'eachBatch'>
}

/** A consumer group: members join (always one at the start) and leave over time. */
export function membershipArbitrary(options: MembershipOptions = {}): fc.Arbitrary<GroupSpec> {
  const topicCount = Math.max(1, options.topics ?? 1)
  const step: fc.Arbitrary<MembershipStep> = fastCheck().oneof(
    { weight: 2, arbitrary: fastCheck().constant({ kind: 'join' as const }) },
    { weight: 1, arbitrary: fastCheck().record({ kind: fastCheck().constant('leave' as const), member: fastCheck().nat({ max: 7 }) }) },
    { weight: 3, arbitrary: advance(options.maxAdvanceMs ?? 5_000) },
  )
  return fastCheck()
    .record({
      topics: fastCheck().uniqueArray(fastCheck().nat({ max: topicCount - 1 }), { minLength: 1, maxLength: topicCount }),
      handler: lift(options.handler ?? fastCheck().constantFrom<'eachMessage' | 'eachBatch'>('eachMessage', 'eachBatch')),
      steps: fastCheck().array(step, { maxLength: options.maxSteps ?? 8, size: 'max' }),
    })
    .map((g) => ({ ...g, topics: [...g.topics].sort((a, b) => a - b), steps: [{ kind: 'join' as const }, ...g.steps] }))
}

// ---------------------------------------------------------------------------------------------
// Workloads

export interface WorkloadOptions {
  readonly brokers?: number
  /** Topics: default one topic from topicArbitrary({ brokers }). Several are named t0, t1, ... */
  readonly topics?: fc.Arbitrary<TopicSpec[]>
  /** Producers: default 1 to 2 from producerArbitrary(). */
  readonly producers?: fc.Arbitrary<ProducerSpec[]>
  /** How many topics and producers the steps choose among, at most (indexes wrap around the real counts). Default 3. */
  readonly maxTopics?: number
  readonly maxProducers?: number
  readonly sends?: Omit<SendStepsOptions, 'producers' | 'topics'>
  /** Consumer groups, at most. Default 1. */
  readonly maxGroups?: number
  readonly membership?: Omit<MembershipOptions, 'topics'>
}

/**
 * A workload. Steps name producers and topics by index, wrapping around the lists, so that
 * each part shrinks on its own (fewer producers leave the steps valid).
 */
export function workloadArbitrary(options: WorkloadOptions = {}): fc.Arbitrary<Workload> {
  const brokers = options.brokers ?? 3
  const topics = (options.topics ?? fastCheck().tuple(topicArbitrary({ brokers }))).map((list) => list.map((t, i) => ({ ...t, name: list.length === 1 ? t.name : `t${i}` })))
  return fastCheck().record({
    topics,
    producers: options.producers ?? fastCheck().array(producerArbitrary(), { minLength: 1, maxLength: 2 }),
    steps: sendStepsArbitrary({ ...options.sends, producers: options.maxProducers ?? 3, topics: options.maxTopics ?? 3 }),
    groups: fastCheck().array(membershipArbitrary({ ...options.membership, topics: options.maxTopics ?? 3 }), { maxLength: options.maxGroups ?? 1 }),
  })
}

// ---------------------------------------------------------------------------------------------
// Faults

export type FaultKind = Exclude<FaultStep['kind'], 'advance'>

export const FAULT_KINDS: readonly FaultKind[] = [
  'stopBroker',
  'startBroker',
  'isolate',
  'heal',
  'slowFollower',
  'pauseReplication',
  'resumeReplication',
  'failRequests',
  'pauseClient',
  'resumeClient',
  'electPreferredLeaders',
]

export interface FaultOptions {
  readonly brokers?: number
  /** Which faults may appear (default all). */
  readonly kinds?: readonly FaultKind[]
  /** Crashes may lose what was not flushed (loseUnflushed): acknowledged data may then be lost even with acks=all. Default false. */
  readonly loseUnflushed?: boolean
  /** Broker stops are crashes this often (0..1). Default 0.5. */
  readonly crashRate?: number
  /** Steps, at most (faults and advances). Default 20. */
  readonly maxSteps?: number
  /** The longest pause between faults. Default 1500 ms. */
  readonly maxAdvanceMs?: number
  /** How many producers and consumers client faults choose among (indexes wrap around anyway). */
  readonly producers?: number
  readonly consumers?: number
  /** The APIs request faults hit. */
  readonly apis?: readonly FaultApi[]
  /** The errors request faults answer with (retriable ones by default: kafkajs retries through them). */
  readonly errors?: readonly ErrorName[]
}

const DEFAULT_APIS: readonly FaultApi[] = [
  'Produce',
  'Fetch',
  'Metadata',
  'ListOffsets',
  'FindCoordinator',
  'JoinGroup',
  'SyncGroup',
  'Heartbeat',
  'OffsetCommit',
  'OffsetFetch',
  'InitProducerId',
  'AddPartitionsToTxn',
  'EndTxn',
]
const DEFAULT_ERRORS: readonly ErrorName[] = ['NOT_LEADER_OR_FOLLOWER', 'REQUEST_TIMED_OUT', 'NOT_ENOUGH_REPLICAS', 'COORDINATOR_NOT_AVAILABLE', 'NETWORK_EXCEPTION']

/** A fault schedule: faults of the chosen kinds with pauses between them. */
export function faultScheduleArbitrary(options: FaultOptions = {}): fc.Arbitrary<FaultStep[]> {
  const kinds = new Set(options.kinds ?? FAULT_KINDS)
  const broker = fastCheck().nat({ max: Math.max(0, (options.brokers ?? 3) - 1) })
  const crashWeight = Math.round((options.crashRate ?? 0.5) * 100)
  const client: fc.Arbitrary<ClientRef> = fastCheck().record({
    role: fastCheck().constantFrom<'producer' | 'consumer'>('producer', 'consumer'),
    index: fastCheck().nat({ max: Math.max(0, Math.max(options.producers ?? 2, options.consumers ?? 2) - 1) }),
  })
  const effect: fc.Arbitrary<RequestFaultEffect> = fastCheck().oneof(
    { weight: 3, arbitrary: fastCheck().record({ error: fastCheck().constantFrom(...(options.errors ?? DEFAULT_ERRORS)) }) },
    { weight: 2, arbitrary: fastCheck().constant({ disconnect: true as const }) },
    { weight: 1, arbitrary: fastCheck().record({ delayMs: fastCheck().integer({ min: 1, max: 2_000 }) }) },
  )
  const choices: { weight: number; arbitrary: fc.Arbitrary<FaultStep> }[] = [{ weight: 6, arbitrary: advance(options.maxAdvanceMs ?? 1_500) }]
  const add = (kind: FaultKind, weight: number, arbitrary: fc.Arbitrary<FaultStep>): void => {
    if (kinds.has(kind)) choices.push({ weight, arbitrary })
  }
  add(
    'stopBroker',
    3,
    fastCheck().record({
      kind: fastCheck().constant('stopBroker' as const),
      broker,
      crash: fastCheck().oneof({ weight: 100 - crashWeight, arbitrary: fastCheck().constant(false) }, { weight: crashWeight, arbitrary: fastCheck().constant(true) }),
      loseUnflushed: options.loseUnflushed ? fastCheck().boolean() : fastCheck().constant(false),
    }),
  )
  add('startBroker', 3, fastCheck().record({ kind: fastCheck().constant('startBroker' as const), broker }))
  add('isolate', 1, fastCheck().record({ kind: fastCheck().constant('isolate' as const), broker }))
  add('heal', 1, fastCheck().constant({ kind: 'heal' as const }))
  add('slowFollower', 1, fastCheck().record({ kind: fastCheck().constant('slowFollower' as const), broker, ms: fastCheck().constantFrom(0, 50, 500, 2_500) }))
  add('pauseReplication', 1, fastCheck().record({ kind: fastCheck().constant('pauseReplication' as const), broker }))
  add('resumeReplication', 1, fastCheck().record({ kind: fastCheck().constant('resumeReplication' as const), broker }))
  add(
    'failRequests',
    2,
    fastCheck().record({
      kind: fastCheck().constant('failRequests' as const),
      api: fastCheck().constantFrom(...(options.apis ?? DEFAULT_APIS)),
      broker: fastCheck().option(broker, { nil: null }),
      effect,
      times: fastCheck().integer({ min: 1, max: 3 }),
    }),
  )
  add('pauseClient', 1, fastCheck().record({ kind: fastCheck().constant('pauseClient' as const), client }))
  add('resumeClient', 1, fastCheck().record({ kind: fastCheck().constant('resumeClient' as const), client }))
  add('electPreferredLeaders', 1, fastCheck().constant({ kind: 'electPreferredLeaders' as const }))
  return fastCheck().array(fastCheck().oneof(...choices), { maxLength: options.maxSteps ?? 20, size: 'max' })
}

// ---------------------------------------------------------------------------------------------
// Scenarios

export interface ScenarioOptions {
  readonly brokers?: number
  readonly workload?: WorkloadOptions
  readonly faults?: FaultOptions
}

/** A whole simulation input: the cluster's seed, a workload and a fault schedule. */
export function scenarioArbitrary(options: ScenarioOptions = {}): fc.Arbitrary<Scenario> {
  const brokers = options.brokers ?? 3
  return fastCheck().record({
    seed: fastCheck().integer({ min: 0, max: 2 ** 31 - 1 }),
    workload: workloadArbitrary({ brokers, ...options.workload }),
    faults: faultScheduleArbitrary({ brokers, ...options.faults }),
  })
}
