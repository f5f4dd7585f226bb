/**
 * What a simulation is asked to do, as plain data: the workload (topics, producers, their sends,
 * consumer groups and their members coming and going) and the fault schedule (Jepsen's
 * nemesis). The arbitraries generate these; simulate() plays them; fast-check shrinks them.
 *
 * Each of the three timelines (sends, each group's membership, faults) is a list of steps; an
 * `advance` step lets virtual time pass before the next one. The timelines run side by side:
 * a step happens at the sum of the advances before it in its own list.
 */
import type { ErrorName } from 'memkafka'

/** Lets `ms` of virtual time pass before the next step of the same list. */
export interface AdvanceStep {
  readonly kind: 'advance'
  readonly ms: number
}

export interface TopicSpec {
  readonly name: string
  readonly partitions: number
  readonly replicationFactor: number
  /** Topic configs under Kafka's names (min.insync.replicas, unclean.leader.election.enable, cleanup.policy, ...). */
  readonly configs: Readonly<Record<string, string>>
}

export interface ProducerSpec {
  /** -1 (all), 1 (leader only) or 0 (no answer). Idempotent and transactional producers always use -1. */
  readonly acks: -1 | 0 | 1
  readonly idempotent: boolean
  /** Each of its sends is a transaction of its own (committed, or aborted when the step says so). */
  readonly transactional: boolean
}

/** One producer sends `count` messages with one key to one topic (one send() call, or one transaction). */
export interface SendStep {
  readonly kind: 'send'
  /** Index into Workload.producers. */
  readonly producer: number
  /** Index into Workload.topics. */
  readonly topic: number
  /** The messages' key is `k<key>`: one key keeps them in one partition, in order. */
  readonly key: number
  readonly count: number
  /** A transactional producer aborts this transaction instead of committing it. */
  readonly abort: boolean
}

export type WorkloadStep = SendStep | AdvanceStep

/** A member joins the group (a new consumer, subscribed to the group's topics from the beginning). */
export interface JoinStep {
  readonly kind: 'join'
}

/** A member leaves (consumer.disconnect()): the live member at `member` modulo their number. */
export interface LeaveStep {
  readonly kind: 'leave'
  readonly member: number
}

export type MembershipStep = JoinStep | LeaveStep | AdvanceStep

export interface GroupSpec {
  /** Indexes into Workload.topics. */
  readonly topics: readonly number[]
  readonly handler: 'eachMessage' | 'eachBatch'
  readonly steps: readonly MembershipStep[]
}

export interface Workload {
  readonly topics: readonly TopicSpec[]
  readonly producers: readonly ProducerSpec[]
  readonly steps: readonly WorkloadStep[]
  readonly groups: readonly GroupSpec[]
}

/** A client a fault acts on: the producer at `index`, or the live consumer at `index` (modulo their number). */
export interface ClientRef {
  readonly role: 'producer' | 'consumer'
  readonly index: number
}

/** The APIs request faults may hit. */
export type FaultApi =
  | 'Produce'
  | 'Fetch'
  | 'Metadata'
  | 'ListOffsets'
  | 'FindCoordinator'
  | 'JoinGroup'
  | 'SyncGroup'
  | 'Heartbeat'
  | 'LeaveGroup'
  | 'OffsetCommit'
  | 'OffsetFetch'
  | 'InitProducerId'
  | 'AddPartitionsToTxn'
  | 'AddOffsetsToTxn'
  | 'EndTxn'
  | 'TxnOffsetCommit'

/** What a request fault does to the requests it catches (cluster.intercept's actions). */
export type RequestFaultEffect = { readonly error: ErrorName } | { readonly disconnect: true } | { readonly delayMs: number }

export type Fault =
  /** cluster.stopBroker: a controlled shutdown, or a crash (optionally losing what was not flushed). */
  | { readonly kind: 'stopBroker'; readonly broker: number; readonly crash: boolean; readonly loseUnflushed: boolean }
  | { readonly kind: 'startBroker'; readonly broker: number }
  /** cluster.isolate: the broker is cut off from everyone until the next heal. */
  | { readonly kind: 'isolate'; readonly broker: number }
  | { readonly kind: 'heal' }
  /** cluster.delayReplication: the broker's followers fetch `ms` late (0 ends it). */
  | { readonly kind: 'slowFollower'; readonly broker: number; readonly ms: number }
  | { readonly kind: 'pauseReplication'; readonly broker: number }
  | { readonly kind: 'resumeReplication'; readonly broker: number }
  /** cluster.intercept: the next `times` requests of `api` (to `broker`, or any) meet `effect`. */
  | { readonly kind: 'failRequests'; readonly api: FaultApi; readonly broker: number | null; readonly effect: RequestFaultEffect; readonly times: number }
  /** cluster.pauseClient: the client's process hangs (its requests wait) until resumeClient. */
  | { readonly kind: 'pauseClient'; readonly client: ClientRef }
  | { readonly kind: 'resumeClient'; readonly client: ClientRef }
  | { readonly kind: 'electPreferredLeaders' }

export type FaultStep = Fault | AdvanceStep

/** Everything one simulated run needs. */
export interface Scenario {
  /** Seeds the cluster (replica placement, member ids, partitioner starts, retry jitter). */
  readonly seed: number
  readonly workload: Workload
  readonly faults: readonly FaultStep[]
}
