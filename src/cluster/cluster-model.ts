/**
 * The in-process Kafka cluster: brokers, the controller and its metadata, partition logs, the
 * group coordinator and the timeline, behind the request boundary (`send`). Everything that
 * happens inside is synchronous and atomic per request; only waiting (long polls, group joins)
 * is asynchronous, and every timer runs on the injected Clock.
 *
 * The kafkajs facade (src/client) talks to this class only through `send`; the control API
 * (describe, settle, advance, close, ...) is for tests and learners.
 */
import { AutoClock, ManualClock, describeClock, realTime, resolveClock, settleMicrotasks, type Clock, type ClockName } from './clock.js'
import { Random, entropySeed } from './random.js'
import { BrokerUnreachableError, KafkaError } from './error-codes.js'
import { Broker } from './broker.js'
import { Controller } from './controller.js'
import { Timeline, type TimelineEvent, type TimelineEventType } from './timeline.js'
import { handlers, type Handler } from './api/handlers.js'
import type { BrokerContext } from './api/broker-context.js'
import { CoordinatorType, type ApiName, type RequestOf, type ResponseOf } from './api/messages.js'
import { partitionForKey } from './metadata/java-hash.js'
import { readSubscriptionTopics } from './metadata/consumer-protocol.js'
import { GroupCoordinator } from './group/group-coordinator.js'
import { ClusterConfig, type BrokerConfigInput } from './cluster-config.js'
import { describeCluster, type ClusterDescription } from './describe.js'
import { formatCluster } from './format.js'
import { tellStory, type StoryOptions } from './story.js'
import { ReplicaManager } from './replication/replica-manager.js'
import { TransactionCoordinator } from './txn/transaction-coordinator.js'
import { writeTransactionMarkers } from './txn/transaction-markers.js'
import { BrokerLifecycle } from './broker-lifecycle.js'
import { checkInvariants } from './invariants.js'
import { errorResponse } from './api/error-response.js'
import { errorCodeOf, type InterceptHandler, type InterceptOptions, type Interceptor } from './intercept.js'
import type { Topic } from './metadata/topic.js'
import type { Partition } from './partition/partition.js'
import type { PartitionLog } from './log/partition-log.js'
import { LogMaintenance, type LogCleanupResult } from './log/log-maintenance.js'
import { ClusterSecurity } from './security/cluster-security.js'
import { InFlightRequests, type HeldRequest } from './in-flight-requests.js'
import type { RequestSource } from './request-source.js'

/** Who sends a request; in its own file (see there), exported here for the clients and the wire server. */
export type { RequestSource }

export interface BrokerSpec {
  readonly id?: number
  readonly rack?: string | null
}

export interface ClusterOptions {
  /** A broker count (ids 0..n-1) or one spec per broker. Default 1. */
  readonly brokers?: number | readonly BrokerSpec[]
  /**
   * Default 'auto': virtual time that runs itself (an AutoClock following the wall clock between
   * its jumps; `new AutoClock({ followWallClock: false })` and a seed replay a run exactly).
   * 'manual' or a ManualClock: time moves only through advance(ms) and settle(). 'system' or a
   * SystemClock: the wall clock.
   */
  readonly clock?: Clock | ClockName
  /** Seeds every random choice (replica placement, member ids, partitioner starts). */
  readonly seed?: number
  /** Broker configs under Kafka's names, applied to every broker. */
  readonly brokerConfig?: BrokerConfigInput
  readonly clusterId?: string
  /** The host the brokers advertise. Default 'localhost'. */
  readonly host?: string
  /** The first broker's port; broker i listens on basePort + i. Default 9092. */
  readonly basePort?: number
}

/** Something outside the cluster (a running consumer) that settle() waits for. */
export interface SettleParticipant {
  /**
   * True when it has nothing in flight and nothing it could still do without time passing. A
   * participant of a paused client answers for itself: settled unless it still holds unread
   * partitions that only its session timeout can move away.
   */
  isSettled(): boolean
  /** A short description of what it is still doing, for settle()'s timeout message. */
  describePending?(): string
  readonly clientId?: string
}

export interface SettleOptions {
  /** Give up after this many ms of real time (default 4000, below vitest's and jest's 5 s). */
  readonly timeoutMs?: number
  /** On a ManualClock: the most virtual time settle() may advance (default 600000, 10 minutes). */
  readonly maxVirtualMs?: number
}

/** A client's wait on the cluster's clock (a retry back-off); see ClusterModel.sleep. */
export interface ClusterSleep {
  readonly done: Promise<void>
  /** Ends the wait now (it resolves). */
  wake(): void
}

/** A wait ended by close(): the cluster is gone. */
export class ClusterClosedError extends Error {
  constructor(what: string) {
    super(`the cluster is closed (${what} was waiting)`)
    this.name = 'ClusterClosedError'
  }
}

/** Every 64th awaited request is answered after a macrotask, as a socket read would be. */
const YIELD_EVERY = 64

export class ClusterModel implements BrokerContext {
  readonly clock: Clock
  readonly random: Random
  readonly seed: number
  readonly clusterId: string
  /** Where the cluster records what happens; read it with timeline(). */
  readonly eventLog: Timeline
  readonly controller: Controller
  readonly groups: GroupCoordinator
  readonly replicaManager: ReplicaManager
  readonly transactions: TransactionCoordinator
  readonly lifecycle: BrokerLifecycle
  readonly config: ClusterConfig
  /** Users, ACLs and the authorizer (src/cluster/security). */
  readonly security: ClusterSecurity
  /** Retention and the log cleaner, on the clock (log.retention.check.interval.ms, log.cleaner.backoff.ms). */
  private readonly logMaintenance: LogMaintenance
  private readonly brokerList: Broker[]
  private readonly brokersById = new Map<number, Broker>()
  private readonly closeListeners = new Set<() => void>()
  private readonly participants = new Set<SettleParticipant>()
  private closed = false
  private readonly pausedClients = new Set<string>()
  private pausedRequests: { clientId: string; release: () => void }[] = []
  /** Requests taken and not yet answered: counted by API, held per broker, watched for stalls. */
  private readonly requests: InFlightRequests
  private interceptors: Interceptor[] = []
  /** The self-advancing clock, when that is the clock: told of every request (see poke). */
  private readonly autoClock: AutoClock | undefined
  private readonly detachClock: (() => void) | undefined
  private readonly manualClock: boolean
  /** Client waits on the clock (retry back-offs, restarts): what each waits for, by id. */
  private readonly sleeps = new Map<number, { what: string; work: boolean; end: (error?: Error) => void }>()
  private nextSleepId = 1
  private sendCount = 0
  /** Connected clients: while there is one, the process stays alive (as a socket keeps it). */
  private connectedClients = 0
  private releaseKeepAlive: (() => void) | undefined
  /** Clock holds taken for clients' own code (see holdClockFor), by client id. */
  private readonly clientHolds = new Map<string, Set<{ reason: string; release: (() => void) | undefined }>>()

  constructor(options: ClusterOptions = {}) {
    this.clock = resolveClock(options.clock)
    this.seed = options.seed ?? entropySeed()
    this.random = new Random(this.seed)
    this.eventLog = new Timeline(() => this.clock.now())
    this.config = new ClusterConfig(options.brokerConfig ?? {})
    const host = options.host ?? 'localhost'
    const basePort = options.basePort ?? 9092
    const specs = normalizeBrokers(options.brokers)
    this.brokerList = specs.map((spec, i) => new Broker(spec.id, host, basePort + i, spec.rack ?? this.config.brokerRack()))
    for (const b of this.brokerList) {
      if (this.brokersById.has(b.id)) throw new KafkaError('INVALID_CONFIG', `Duplicate broker id ${b.id}`)
      this.brokersById.set(b.id, b)
    }
    this.clusterId = options.clusterId ?? this.random.uuid().replace(/-/g, '').slice(0, 22)
    for (const b of this.brokerList) this.eventLog.record({ type: 'brokerRegistered', brokerId: b.id, rack: b.rack })

    const random = this.random
    this.controller = new Controller({
      random,
      timeline: this.eventLog,
      now: () => this.clock.now(),
      brokers: () => this.brokerList,
      isBrokerAlive: (id) => this.isBrokerAlive(id),
      defaultPartitions: () => this.config.numPartitions(),
      defaultReplicationFactor: () => this.config.defaultReplicationFactor(),
      validateTopicName: (name, existing) => this.config.validateTopicName(name, existing),
      validateTopicConfigs: (configs) => this.config.validateTopicConfigs(configs),
      resolveTopicSettings: (overrides) => this.config.resolveTopicSettings(overrides),
      assignReplicas: (partitions, rf, first) =>
        this.config.assignReplicas(
          this.liveBrokers().map((b) => ({ id: b.id, rack: b.rack })),
          partitions,
          rf,
          first,
          random,
        ),
      validateManualAssignment: (assignment, rf) => this.config.validateManualAssignment(assignment, rf, [...this.brokersById.keys()]),
      isInternalTopic: (name) => name === '__consumer_offsets' || name === '__transaction_state',
      onTopicDeleted: (topic) => this.groups.onTopicDeleted(topic.name),
      onPartitionsAdded: (topic) => {
        // A subscribed topic's partition count changed: its groups must rebalance.
        for (const groupId of this.groups.groupsSubscribedTo(topic.name)) this.groups.requestRebalance(groupId, `partitions added to ${topic.name}`)
      },
      onLeaderChanged: (partition) => this.replicaManager.reconcileFollowers(partition),
      setIsr: (partition, isr, reason) => this.replicaManager.setIsr(partition, isr, reason),
      coordinatorPartitions: (keyType) => (keyType === CoordinatorType.TRANSACTION ? this.config.transactionStateLogPartitions() : this.config.offsetsTopicPartitions()),
    })
    this.replicaManager = new ReplicaManager({
      clock: this.clock,
      eventLog: this.eventLog,
      isReachable: (id) => this.brokersById.get(id)?.reachable === true,
      isUnfenced: (id) => this.isBrokerAlive(id),
      settingsOf: (topic) => this.controller.topic(topic)?.settings,
      replicaLagTimeMaxMs: () => this.config.replicaLagTimeMaxMs(),
      onIsrExpanded: () => this.lifecycle.schedulePreferredLeaderElection(),
    })
    let nextProducerId = 0
    this.transactions = new TransactionCoordinator({
      clock: this.clock,
      config: () => ({ transactionMaxTimeoutMs: this.config.transactionMaxTimeoutMs(), transactionalIdExpirationMs: this.config.transactionalIdExpirationMs() }),
      emit: (event) => this.eventLog.record(event),
      nextProducerId: () => nextProducerId++,
      partitionExists: (topic, partition) => this.controller.topic(topic)?.partitions[partition] !== undefined,
      writeMarkers: (producerId, producerEpoch, partitions, result) => writeTransactionMarkers(this, producerId, producerEpoch, partitions, result),
      completeGroupOffsets: (producerId, committed) => this.groups.completeTxnOffsetCommit(producerId, committed),
    })
    this.lifecycle = new BrokerLifecycle(this)
    this.groups = new GroupCoordinator({
      clock: this.clock,
      random: random.fork(),
      config: () => this.config.groupCoordinatorConfig(),
      emit: (event) => this.eventLog.record(event),
      decodeSubscription: readSubscriptionTopics,
    })
    this.logMaintenance = new LogMaintenance(this)
    this.requests = new InFlightRequests({
      clock: this.clock,
      onAnswered: () => this.autoClock?.poke(),
      wantsTime: () => this.wantsTime(),
      describeWaiting: () => this.describeWaiting(),
    })
    this.security = new ClusterSecurity(this)
    this.manualClock = this.clock instanceof ManualClock
    if (this.clock instanceof AutoClock) {
      this.autoClock = this.clock
      this.detachClock = this.clock.attach({ wantsTime: () => this.wantsTime(), describeWaiting: () => this.describeWaiting() })
    }
  }

  // -------------------------------------------------------------------------------------------
  // The request boundary

  /**
   * Sends a request to a broker and answers as that broker would. A broker that is down (or
   * unknown) cannot be reached: the promise rejects with BrokerUnreachableError.
   */
  send<K extends ApiName>(brokerId: number, request: RequestOf<K> & { readonly api: K }, from?: RequestSource): Promise<ResponseOf<K>> {
    this.autoClock?.poke()
    const answer = this.dispatch<K>(brokerId, request, from)
    // A socket read is a macrotask: every so often the answer waits for one, so that a loop of
    // awaited sends lets the event loop run (a user's timers, I/O). Counted, not timed, so a
    // seeded run interleaves the same way every time. Not on a ManualClock, whose advance() lets
    // what each timer starts finish within one macrotask.
    if (++this.sendCount % YIELD_EVERY === 0 && !this.manualClock) return answer.then((value) => realTime.yield().then(() => value))
    return answer
  }

  private dispatch<K extends ApiName>(brokerId: number, request: RequestOf<K> & { readonly api: K }, from?: RequestSource): Promise<ResponseOf<K>> {
    if (from && this.pausedClients.has(from.clientId)) {
      // A paused client is a process that hangs: its requests leave only when it resumes.
      return new Promise<void>((resolve) => this.pausedRequests.push({ clientId: from.clientId, release: resolve })).then(() =>
        this.send<K>(brokerId, request, from),
      )
    }
    const broker = this.brokersById.get(brokerId)
    if (!broker) return Promise.reject(new BrokerUnreachableError(brokerId, 'no such broker in the cluster'))
    if (!broker.reachable || this.closed) {
      return Promise.reject(new BrokerUnreachableError(brokerId, this.closed ? 'the cluster is closed' : (broker.unreachableReason ?? 'unreachable')))
    }
    if (this.interceptors.length > 0) return this.requests.counted(request.api, from, this.intercepted<K>(brokerId, request, from))
    return this.handle<K>(brokerId, request, from)
  }

  /** Authorizes the request for its principal (when an authorizer is configured), then runs the handler. */
  private handle<K extends ApiName>(brokerId: number, request: RequestOf<K> & { readonly api: K }, from: RequestSource | undefined): Promise<ResponseOf<K>> {
    // Without an authorizer, or a produce or fetch of allowed topics: straight to the handler,
    // with no closure per request (issues 13 and 15).
    if (this.security.allowsWhole(request, from)) return this.runHandler<K>(brokerId, request, from)
    return this.security.handle<K>(request, from, (allowed) => this.runHandler<K>(brokerId, allowed as RequestOf<K> & { readonly api: K }, from) as Promise<never>)
  }

  /** Runs the broker's handler; a response still pending is lost if the broker goes away. */
  private runHandler<K extends ApiName>(brokerId: number, request: RequestOf<K> & { readonly api: K }, from: RequestSource | undefined): Promise<ResponseOf<K>> {
    const handler = handlers[request.api] as Handler<K>
    let result: ResponseOf<K> | Promise<ResponseOf<K>>
    try {
      result = handler(this, brokerId, request)
    } catch (error) {
      return Promise.reject(error)
    }
    if (!(result instanceof Promise)) return Promise.resolve(result)
    return this.requests.counted(request.api, from, this.requests.held(brokerId, result))
  }

  /** Fails every request a broker has not answered yet: its connections are gone. */
  dropConnections(brokerId: number, reason: string): void {
    this.requests.dropConnections(brokerId, reason)
  }

  holdRequest(brokerId: number, request: HeldRequest, answer: Promise<unknown>): void {
    this.requests.hold(brokerId, request, answer)
  }

  private async intercepted<K extends ApiName>(brokerId: number, request: RequestOf<K> & { readonly api: K }, from?: RequestSource): Promise<ResponseOf<K>> {
    for (const hook of [...this.interceptors]) {
      if (hook.api !== '*' && hook.api !== request.api) continue
      if (hook.options.brokerId !== undefined && hook.options.brokerId !== brokerId) continue
      const seen = hook.seen++
      if (hook.options.times !== undefined && hook.seen >= hook.options.times) this.interceptors = this.interceptors.filter((h) => h !== hook)
      // The hook is the test's own code: the clock does not jump while it runs.
      const release = this.clock.hold?.('a cluster.intercept hook')
      let action: Awaited<ReturnType<typeof hook.handler>>
      try {
        action = await hook.handler({ api: request.api, brokerId, request, clientId: from?.clientId, seen } as never)
      } finally {
        release?.()
      }
      if (!action) continue
      if ('error' in action) return errorResponse<K>(request, errorCodeOf(action.error), action.message ?? null)
      if ('disconnect' in action) throw new BrokerUnreachableError(brokerId, 'the connection was dropped (cluster.intercept)')
      if ('respond' in action) return action.respond as ResponseOf<K>
      if ('delayMs' in action) {
        await this.sleep(action.delayMs, `a ${request.api} request delayed by cluster.intercept`, { uncounted: true }).done
        break
      }
    }
    const broker = this.brokersById.get(brokerId)
    if (!broker?.reachable || this.closed) throw new BrokerUnreachableError(brokerId, 'the broker went away while the request was held')
    // Already counted as pending while it was held: not counted again.
    return this.handle<K>(brokerId, request, { ...from, clientId: from?.clientId ?? '', background: true })
  }

  /**
   * Adds a request hook (see intercept.ts): observe, fail once or repeatedly, delay, drop the
   * connection, or fall through. Returns the function that removes it.
   */
  intercept<K extends ApiName>(api: K | '*', handler: InterceptHandler<K>, options: InterceptOptions = {}): () => void {
    // A hook on an API the cluster does not answer would never run: refuse it rather than accept it silently.
    if (api !== '*' && !Object.prototype.hasOwnProperty.call(handlers, api)) {
      throw new TypeError(`cluster.intercept: no API named ${String(api)} (one of ${Object.keys(handlers).join(', ')}, or '*')`)
    }
    if (typeof handler !== 'function') throw new TypeError(`cluster.intercept: the handler must be a function, got ${typeof handler}`)
    const hook: Interceptor = { api, handler: handler as unknown as InterceptHandler<ApiName>, options, seen: 0 }
    this.interceptors.push(hook)
    return () => {
      this.interceptors = this.interceptors.filter((h) => h !== hook)
    }
  }

  /**
   * Fault hook: every client with this clientId hangs, as a stopped process does. Its requests
   * (heartbeats, fetches, commits) wait until resumeClient, so the group coordinator expels its
   * consumers after their session timeout and their late commits are refused.
   */
  pauseClient(clientId: string): void {
    this.pausedClients.add(clientId)
    // A hung process's handler holds nothing: its session timeout is time worth jumping to.
    for (const hold of this.clientHolds.get(clientId) ?? []) {
      hold.release?.()
      hold.release = undefined
    }
    this.autoClock?.poke()
  }

  /**
   * Holds the clock for a client's own code (a consumer's handler): a self-advancing clock does
   * not jump while it runs, unless the client is paused (a hung process holds nothing).
   */
  holdClockFor(clientId: string, reason: string): () => void {
    const hold: { reason: string; release: (() => void) | undefined } = { reason, release: undefined }
    if (!this.pausedClients.has(clientId)) hold.release = this.clock.hold?.(reason)
    let holds = this.clientHolds.get(clientId)
    if (!holds) this.clientHolds.set(clientId, (holds = new Set()))
    holds.add(hold)
    return () => {
      hold.release?.()
      hold.release = undefined
      holds.delete(hold)
      if (holds.size === 0 && this.clientHolds.get(clientId) === holds) this.clientHolds.delete(clientId)
    }
  }

  isClientPaused(clientId: string): boolean {
    return this.pausedClients.has(clientId)
  }

  /** Lets a paused client's held requests go, in the order they were made. */
  resumeClient(clientId: string): void {
    this.pausedClients.delete(clientId)
    for (const hold of this.clientHolds.get(clientId) ?? []) hold.release ??= this.clock.hold?.(hold.reason)
    const released = this.pausedRequests.filter((r) => r.clientId === clientId)
    this.pausedRequests = this.pausedRequests.filter((r) => r.clientId !== clientId)
    for (const r of released) r.release()
  }

  // -------------------------------------------------------------------------------------------
  // Brokers and coordinators

  get brokers(): readonly Broker[] {
    return this.brokerList
  }

  broker(id: number): Broker | undefined {
    return this.brokersById.get(id)
  }

  isBrokerAlive(id: number): boolean {
    return this.brokersById.get(id)?.alive === true
  }

  /** The brokers the controller counts as live (unfenced): what metadata lists. */
  liveBrokers(): Broker[] {
    return this.brokerList.filter((b) => b.alive)
  }

  /** The brokers a client can connect to now. */
  reachableBrokers(): Broker[] {
    return this.brokerList.filter((b) => b.reachable)
  }

  // -------------------------------------------------------------------------------------------
  // Faults (see broker-lifecycle.ts)

  /**
   * Stops a broker. A clean stop is a controlled shutdown: its leaderships move first. A crash
   * stops it at once and the controller notices after broker.session.timeout.ms; with
   * `loseUnflushed` its replicas also lose what was not yet flushed to disk.
   */
  stopBroker(id: number, options: { crash?: boolean; loseUnflushed?: boolean } = {}): void {
    this.lifecycle.stop(id, options)
  }

  /** Restarts a stopped broker: it registers, its replicas truncate and catch up. */
  startBroker(id: number): void {
    this.lifecycle.start(id)
  }

  /** Cuts a broker off the network: clients and other brokers cannot reach it, nor it them. */
  isolate(id: number): void {
    this.lifecycle.isolate(id)
  }

  /** Ends every network cut. */
  heal(): void {
    this.lifecycle.heal()
  }

  /** Followers on this broker fetch `ms` after each append (0: at once again). */
  delayReplication(brokerId: number, ms: number): void {
    this.lifecycle.requireBroker(brokerId)
    this.replicaManager.delayReplication(brokerId, ms)
  }

  /** Followers on this broker stop fetching until resumeReplication. */
  pauseReplication(brokerId: number): void {
    this.lifecycle.requireBroker(brokerId)
    this.replicaManager.followerStopsFetching(brokerId, this.allPartitions())
    this.replicaManager.pauseReplication(brokerId)
  }

  resumeReplication(brokerId: number): void {
    this.lifecycle.requireBroker(brokerId)
    this.replicaManager.resumeReplication(brokerId, this.allPartitions())
  }

  /** Runs preferred leader election now (the controller also does it on its own schedule). */
  electPreferredLeaders(): void {
    this.controller.electPreferredLeaders()
  }

  allPartitions(): Partition[] {
    return this.controller.allTopics().flatMap((t) => t.partitions)
  }

  /** Kafka's white-box invariants (replicas, high watermarks, epochs, ISR, groups); throws with a precise report when one breaks. */
  checkInvariants(): void {
    checkInvariants(this)
  }

  /** The addresses the cluster answers to, as a kafkajs `brokers` list. */
  get bootstrapBrokers(): string[] {
    return this.brokerList.map((b) => b.address)
  }

  get brokerConfig(): { autoCreateTopicsEnable: boolean; deleteTopicEnable: boolean } {
    return { autoCreateTopicsEnable: this.config.autoCreateTopicsEnable(), deleteTopicEnable: this.config.deleteTopicEnable() }
  }

  /**
   * Partitions and replication factor for a topic created by asking for its metadata: the
   * broker defaults, except for the internal topics, which AutoTopicCreationManager sizes by
   * offsets.topic.* and transaction.state.log.* (capped at the live broker count).
   */
  autoCreateSizing(name: string): { numPartitions: number; replicationFactor: number } {
    const live = Math.max(1, this.liveBrokers().length)
    if (name === '__consumer_offsets') {
      return { numPartitions: this.config.offsetsTopicPartitions(), replicationFactor: Math.min(live, this.config.offsetsTopicReplicationFactor()) }
    }
    if (name === '__transaction_state') {
      return { numPartitions: this.config.transactionStateLogPartitions(), replicationFactor: Math.min(live, this.config.transactionStateLogReplicationFactor()) }
    }
    return { numPartitions: -1, replicationFactor: -1 }
  }

  /**
   * The coordinator broker for a group or transactional id: the leader of the key's partition
   * of __consumer_offsets / __transaction_state. The internal topics are not materialised as
   * logs; their partitions' leaders are spread over the live brokers the way replica placement
   * would put them.
   */
  coordinatorFor(key: string, keyType: number): number | undefined {
    const partitions = keyType === CoordinatorType.TRANSACTION ? this.config.transactionStateLogPartitions() : this.config.offsetsTopicPartitions()
    // The leader of the key's partition of the internal topic (see coordinator-placement.ts).
    return this.controller.coordinators.leaderOf(keyType, partitionForKey(key, partitions))
  }

  /**
   * Every replica log the brokers keep, with its partition, for log maintenance (retention
   * and the cleaner run on each broker's own copy, as Kafka's LogManager does).
   */
  *replicaLogs(): IterableIterator<{ topic: Topic; partition: Partition; brokerId: number; log: PartitionLog; isLeader: boolean }> {
    for (const topic of this.controller.allTopics()) {
      for (const partition of topic.partitions) {
        for (const replica of partition.allReplicas()) {
          // A stopped broker does no maintenance; it resumes when it starts again.
          if (!this.brokersById.get(replica.brokerId)?.running) continue
          yield { topic, partition, brokerId: replica.brokerId, log: replica.log, isLeader: replica.brokerId === partition.leader }
        }
      }
    }
  }

  // -------------------------------------------------------------------------------------------
  // Control API

  /**
   * One retention check and one log-cleaner pass now, on every replica's log: segments past
   * retention.ms / retention.bytes / logStartOffset deleted, compacted topics that are dirty
   * enough (min.cleanable.dirty.ratio, max.compaction.lag.ms) compacted. Returns what each log
   * lost; each deletion and compaction is also on the timeline.
   */
  runCleaner(): LogCleanupResult[] {
    return this.logMaintenance.runCleaner()
  }

  /**
   * A user the brokers authenticate: a PLAIN password and SCRAM-SHA-256/512 credentials
   * (4096 iterations), as a JAAS user_<name> entry plus `kafka-configs --alter --add-config
   * 'SCRAM-SHA-256=[password=...]'` would give. Its principal is User:<name>.
   */
  createUser(name: string, password: string): void {
    this.security.createUser(name, password)
  }

  describe(): ClusterDescription {
    return describeCluster(this)
  }

  format(): string {
    return formatCluster(this.describe())
  }

  /** What happened, oldest first: typed events (produced, leaderElected, rebalanced, ...). */
  timeline(filter?: { types?: readonly TimelineEventType[] }): TimelineEvent[] {
    return this.eventLog.list(filter)
  }

  /**
   * Moves the clock forward by `ms` on purpose, running the timers due on the way in order: a
   * ManualClock, or the self-advancing clock (for a test that wants time to pass).
   */
  async advance(ms: number): Promise<void> {
    if (!(this.clock instanceof ManualClock) && !(this.clock instanceof AutoClock)) {
      throw new TypeError('cluster.advance(ms) needs a virtual clock: the default one or a ManualClock, not the wall clock')
    }
    await this.clock.advance(ms)
  }

  registerParticipant(participant: SettleParticipant): () => void {
    this.participants.add(participant)
    this.autoClock?.poke()
    return () => {
      this.participants.delete(participant)
      this.autoClock?.poke()
    }
  }

  // -------------------------------------------------------------------------------------------
  // Settledness: what settle() and the self-advancing clock wait for

  /**
   * Not settled: a request (not a long poll) or a client's wait (a retry back-off) is pending,
   * a group is rebalancing, or a running consumer has not read everything up to the high
   * watermark (or, read_committed, cannot yet: an open transaction). A settled cluster wants
   * no time: its heartbeats, retention and expiry are not worth jumping to.
   */
  wantsTime(): boolean {
    if (this.closed) return false
    if (this.requests.pending) return true
    for (const sleep of this.sleeps.values()) if (sleep.work) return true
    if (this.groups.rebalancingGroups().length > 0) return true
    for (const p of this.participants) if (!p.isSettled()) return true
    return false
  }

  /** What the cluster still waits for, in a line. */
  describeWaiting(): string {
    const what: string[] = []
    if (this.requests.pending) what.push(`requests in flight: ${this.requests.describe()}`)
    const sleeps = new Map<string, number>()
    for (const sleep of this.sleeps.values()) if (sleep.work) sleeps.set(sleep.what, (sleeps.get(sleep.what) ?? 0) + 1)
    for (const [w, n] of sleeps) what.push(n > 1 ? `${n} x ${w}` : w)
    const rebalancing = this.groups.rebalancingGroups()
    if (rebalancing.length > 0) what.push(`rebalancing: ${rebalancing.map((g) => `group ${g.groupId} (${g.state})`).join(', ')}`)
    for (const p of this.participants) if (!p.isSettled()) what.push(p.describePending?.() ?? 'a consumer')
    return what.length > 0 ? what.join('; ') : 'nothing'
  }

  /**
   * A client's wait on the cluster's clock: a retry back-off, a consumer's restart, a pause
   * between fetches. Unless `idle`, the wait is pending work (settle() and the self-advancing
   * clock wait for it, the latter by jumping to its end). close() ends every wait at once with
   * ClusterClosedError, so no timer outlives the cluster.
   */
  sleep(ms: number, what: string, options: { idle?: boolean; uncounted?: boolean } = {}): ClusterSleep {
    if (this.closed) return { done: Promise.reject(new ClusterClosedError(what)), wake: () => {} }
    const id = this.nextSleepId++
    let timer: ReturnType<Clock['setTimeout']> | undefined
    let settle!: (error?: Error) => void
    const done = new Promise<void>((resolve, reject) => {
      settle = (error) => {
        if (!this.sleeps.delete(id)) return
        this.clock.clearTimeout(timer)
        this.autoClock?.poke()
        if (error) reject(error)
        else resolve()
      }
    })
    // An intercept delay is already counted as its request.
    this.sleeps.set(id, { what, work: options.idle !== true && options.uncounted !== true, end: settle })
    timer = this.clock.setTimeout(() => settle(), ms)
    if (options.idle !== true) this.requests.watchForStall()
    return { done, wake: () => settle() }
  }

  /**
   * Resolves once the cluster is settled (see wantsTime): no request or client wait pending, no
   * rebalance, every running consumer caught up. On the self-advancing clock the clock jumps
   * meanwhile; on a ManualClock settle() advances it from timer to timer (at most maxVirtualMs);
   * on the wall clock it waits. Gives up after timeoutMs of real time (default 4000, below
   * vitest's and jest's 5 s) with a message naming the clock and what is still pending.
   */
  async settle(options: SettleOptions = {}): Promise<void> {
    const timeoutMs = options.timeoutMs ?? 4_000
    const maxVirtualMs = options.maxVirtualMs ?? 600_000
    if (!(timeoutMs >= 0) || !(maxVirtualMs >= 0)) throw new RangeError('settle() needs timeoutMs and maxVirtualMs >= 0')
    const startedAt = realTime.now()
    const virtualStart = this.clock.now()
    let quietRounds = 0
    let busyRounds = 0
    for (;;) {
      const manual = this.clock instanceof ManualClock ? this.clock : undefined
      if (manual) await manual.runDue()
      else await settleMicrotasks()
      if (!this.wantsTime()) {
        // Two quiet rounds in a row: nothing was still on its way between them.
        if (++quietRounds >= 2) return
        continue
      }
      quietRounds = 0
      const fail = (why: string): Error =>
        new Error(`cluster.settle() ${why} on ${describeClock(this.clock)}. Still pending: ${this.describeWaiting()}`)
      if (realTime.now() - startedAt > timeoutMs) throw fail(`gave up after ${timeoutMs} ms of real time`)
      if (manual) {
        const next = manual.nextTimerAt()
        if (next !== undefined) {
          if (next - virtualStart > maxVirtualMs) throw fail(`advanced ${manual.now() - virtualStart} ms of virtual time (maxVirtualMs ${maxVirtualMs}) without settling`)
          await manual.advance(Math.max(0, next - manual.now()))
          continue
        }
      }
      if (++busyRounds > 50) await realTime.sleep(1)
    }
  }

  /**
   * A client connected: like its socket, it keeps the process alive until it disconnects (or
   * the cluster closes). Returns the release.
   */
  clientConnected(): () => void {
    if (this.closed) return () => {}
    if (this.connectedClients++ === 0) this.releaseKeepAlive = realTime.keepAlive()
    let released = false
    return () => {
      if (released) return
      released = true
      if (--this.connectedClients === 0) {
        this.releaseKeepAlive?.()
        this.releaseKeepAlive = undefined
      }
    }
  }

  /** Registers a callback for close(); returns a remover. */
  onClose(listener: () => void): () => void {
    this.closeListeners.add(listener)
    return () => this.closeListeners.delete(listener)
  }

  get isClosed(): boolean {
    return this.closed
  }

  /** Ends every long poll and parked join, cancels the coordinator's timers. */
  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    // Held requests of paused clients go now, and find the cluster closed.
    this.pausedClients.clear()
    const held = this.pausedRequests
    this.pausedRequests = []
    for (const r of held) r.release()
    const listeners = [...this.closeListeners]
    this.closeListeners.clear()
    for (const l of listeners) l()
    // Long polls (parked fetches) answer with what they have.
    this.requests.closeHeld()
    this.groups.close()
    this.transactions.close()
    this.replicaManager.close()
    this.lifecycle.close()
    this.logMaintenance.stop()
    // Every client wait (retry back-offs, restarts, pauses) ends now, with its timer.
    for (const sleep of [...this.sleeps.values()]) sleep.end(new ClusterClosedError(sleep.what))
    this.requests.close()
    this.detachClock?.()
    this.releaseKeepAlive?.()
    this.releaseKeepAlive = undefined
    // Long polls and parked joins were answered above; whatever still waits loses its connection.
    await settleMicrotasks()
    for (const id of this.brokersById.keys()) this.dropConnections(id, 'the cluster is closed')
  }

  /** The timeline told as readable lines ("t=9000  leader of orders-0 moved 0 -> 1 (epoch 1; ...)"); see story.ts. */
  story(options?: StoryOptions): string {
    return tellStory(this.eventLog.list(), options)
  }
}

function normalizeBrokers(brokers: ClusterOptions['brokers']): { id: number; rack?: string | null }[] {
  if (brokers === undefined) return [{ id: 0 }]
  if (typeof brokers === 'number') {
    if (!Number.isInteger(brokers) || brokers < 1) throw new TypeError(`brokers must be a positive integer, got ${brokers}`)
    return Array.from({ length: brokers }, (_, id) => ({ id }))
  }
  if (!Array.isArray(brokers)) throw new TypeError(`brokers must be a positive integer or an array of broker specs, got ${typeof brokers} ${JSON.stringify(brokers)}`)
  if (brokers.length === 0) throw new TypeError('a cluster needs at least one broker')
  return brokers.map((spec, i) => {
    const id = spec?.id ?? i
    // Kafka's node.id: an int32 >= 0 (-1 is "unset", and a broker cannot start without one).
    if (!Number.isInteger(id) || id < 0 || id > 0x7fffffff) throw new KafkaError('INVALID_CONFIG', `Invalid broker id ${String(id)}: node.id must be an integer between 0 and 2147483647`)
    return { id, rack: spec?.rack ?? null }
  })
}
