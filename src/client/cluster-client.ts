/**
 * A client's view of the cluster (kafkajs's src/cluster): the metadata it has learned, the
 * topics it targets, the lookups of brokers, coordinators and offsets that producer, consumer
 * and admin share, and the one way it talks to brokers, `request`, which crosses the request
 * boundary into the in-process cluster. Broker-level failures become kafkajs connection errors;
 * protocol-level errors stay in the responses for the caller to read, as kafkajs's decoders do.
 */
import type { ClusterModel } from '../cluster/cluster-model.js'
import { BrokerUnreachableError } from '../cluster/error-codes.js'
import type { ApiName, MetadataResponse, PartitionMetadata as WirePartitionMetadata, RequestOf, ResponseOf } from '../cluster/api/messages.js'
import { CoordinatorType, IsolationLevel } from '../cluster/api/messages.js'
import type { Random } from '../cluster/random.js'
import { KafkaJSBrokerNotFound, KafkaJSConnectionError, KafkaJSGroupCoordinatorNotFound, KafkaJSNonRetriableError, KafkaJSTopicMetadataNotLoaded } from './errors.js'
import { createErrorFromCode } from './protocol-error-table.js'
import type { Logger } from './logger.js'
import { createRetry, type Retrier, type RetryOptions } from './retry.js'
import { InProcessSession } from './sasl-authentication.js'
import { settled } from './producer/partitioners/led-partitions.js'
import type { PartitionMetadata } from './producer/partitioners/partitioner-types.js'

/** kafkajs's PartitionMetadata shape (what partitioners and assigners see). */
export type { PartitionMetadata }

export interface ClusterClientOptions {
  readonly model: ClusterModel
  readonly clientId: string
  readonly logger: Logger
  readonly retry?: RetryOptions | undefined
  readonly random: Random
  readonly metadataMaxAge?: number | undefined
  readonly allowAutoTopicCreation?: boolean | undefined
  /** kafkajs's `ssl` and `sasl` options (see sasl-authentication.ts). */
  readonly ssl?: unknown
  readonly sasl?: unknown
  /** kafkajs's reauthenticationThreshold (ms before the session lifetime ends). */
  readonly reauthenticationThreshold?: number | undefined
}

/** The key fetchTopicsOffset's answers (and the consumer's per-partition tables) are kept under. */
export const topicPartitionKey = (topic: string, partition: number): string => `${topic}\u0000${partition}`

export class ClusterClient {
  readonly model: ClusterModel
  readonly clientId: string
  readonly logger: Logger
  readonly random: Random
  readonly retrier: Retrier
  readonly retryOptions: RetryOptions | undefined
  private readonly metadataMaxAge: number
  private readonly allowAutoTopicCreation: boolean
  private cachedMetadata: MetadataResponse | undefined
  /**
   * Each known topic's partitions as the last Metadata response described them: what the client
   * knows of a topic. The broker hands the same (frozen) list again while a topic is unchanged,
   * and then there is nothing to compare (issue 15: a refresh of 1 000 target topics).
   */
  private readonly checkedAgainst = new Map<string, readonly WirePartitionMetadata[]>()
  /**
   * The client's own copies of them, in kafkajs's shape (findTopicPartitionMetadata), made when
   * first asked for: most clients never ask (a consumer that does not lead its group reads its
   * leaders from the shared columns), and a copy of a 1 000-partition topic per client was a
   * quarter of a megabyte that a new consumer brought to its first join, where the young
   * generation's collections copied it (issue 15). A copy is kept while the description reads
   * the same, so its readers keep getting the same array, as when it was made at each refresh.
   */
  private readonly topicMetadata = new Map<string, PartitionMetadata[]>()
  private metadataAt = -Infinity
  readonly targetTopics = new Set<string>()
  /** The last change of targetTopics in progress (see changingTargets). */
  private targetsChanged: Promise<void> = Promise.resolve()
  private connected = false
  private source: { readonly clientId: string; readonly principal?: string }
  private backgroundSource: { readonly clientId: string; readonly principal?: string; readonly background: true }
  private releaseConnection: (() => void) | undefined
  private readonly session: InProcessSession

  constructor(options: ClusterClientOptions) {
    this.model = options.model
    this.clientId = options.clientId
    this.logger = options.logger
    this.random = options.random
    this.retryOptions = options.retry
    this.retrier = createRetry(options.retry ?? {}, {
      clock: options.model.clock,
      random: options.random,
      sleep: (ms) => this.sleep(ms, `a retry back-off of client ${options.clientId}`),
    })
    this.metadataMaxAge = options.metadataMaxAge ?? 300_000
    this.allowAutoTopicCreation = options.allowAutoTopicCreation ?? true
    this.source = { clientId: options.clientId }
    this.backgroundSource = { clientId: options.clientId, background: true }
    this.session = new InProcessSession(options.model, () => this.anyBrokerId(), options.ssl, options.sasl, options.reauthenticationThreshold)
  }

  /**
   * Waits on the cluster's clock as a client would on its own timer (a back-off): pending work
   * for settle() and the self-advancing clock, unless `idle`. Rejects with a
   * KafkaJSConnectionError when the cluster closes meanwhile.
   */
  sleep(ms: number, what: string, options: { idle?: boolean } = {}): Promise<void> {
    return this.sleeper(ms, what, options).done
  }

  /** A sleep that can also be ended early (wake()). */
  sleeper(ms: number, what: string, options: { idle?: boolean } = {}): { done: Promise<void>; wake(): void } {
    const sleep = this.model.sleep(ms, what, options)
    return {
      done: sleep.done.catch((error: Error) => {
        throw new KafkaJSConnectionError(`Connection error: ${error.message}`)
      }),
      wake: sleep.wake,
    }
  }

  get clock() {
    return this.model.clock
  }

  isConnected(): boolean {
    return this.connected
  }

  /** Connects to a seed broker and loads the cluster's metadata. */
  async connect(): Promise<void> {
    // Each connection authenticates before its first request; the principal goes with every request.
    await this.session.authenticate()
    const principal = this.session.principal
    this.source = principal === undefined ? { clientId: this.clientId } : { clientId: this.clientId, principal }
    this.backgroundSource = { ...this.source, background: true }
    await this.refreshMetadata()
    this.connected = true
    // A connected client keeps the process alive, as kafkajs's open sockets do.
    this.releaseConnection ??= this.model.clientConnected()
  }

  disconnect(): void {
    this.connected = false
    this.releaseConnection?.()
    this.releaseConnection = undefined
  }

  /** Sends a request to a broker. An unreachable broker is a KafkaJSConnectionError. */
  request<K extends ApiName>(brokerId: number, request: RequestOf<K> & { readonly api: K }, options?: { background?: boolean }): Promise<ResponseOf<K>> {
    // The model's promise itself, with one handler for a failure: no async frame of its own (it
    // is on every request's path). The handlers are written in place rather than as named
    // constants: a transform that keeps function names (tsx, which the benchmarks use) renames
    // each named closure as it is made, twice per request (issue 15).
    try {
      // KIP-368: kafkajs re-authenticates before a request once the session is near its end.
      const reauthentication = this.session.reauthenticateIfDue()
      // A consumer's long poll is background: the consumer itself tells settle() what it waits for.
      const answer = reauthentication
        ? reauthentication.then(() => this.model.send<K>(brokerId, request, options?.background ? this.backgroundSource : this.source))
        : this.model.send<K>(brokerId, request, options?.background ? this.backgroundSource : this.source)
      return answer.then(undefined, (error: unknown) => this.unreachable(error, brokerId))
    } catch (error) {
      return Promise.reject(error).then(undefined, (e: unknown) => this.unreachable(e, brokerId))
    }
  }

  /** requestFailure's answer, thrown. */
  private unreachable(error: unknown, brokerId: number): never {
    throw this.requestFailure(error, brokerId)
  }

  /**
   * request() without its failure handler, for a caller that attaches its own handlers to the
   * answer (the producer's send: one promise fewer on the path of every awaited send). It
   * rejects with the cluster's own error: the caller hands it to requestFailure() first.
   */
  requestUnmapped<K extends ApiName>(brokerId: number, request: RequestOf<K> & { readonly api: K }, options?: { background?: boolean }): Promise<ResponseOf<K>> {
    try {
      const reauthentication = this.session.reauthenticateIfDue()
      const source = options?.background ? this.backgroundSource : this.source
      return reauthentication
        ? reauthentication.then(() => this.model.send<K>(brokerId, request, source))
        : this.model.send<K>(brokerId, request, source)
    } catch (error) {
      return Promise.reject(error)
    }
  }

  /** A request's failure as kafkajs reports it: an unreachable broker is a KafkaJSConnectionError. */
  requestFailure(error: unknown, brokerId: number): unknown {
    if (error instanceof BrokerUnreachableError) {
      const broker = this.model.broker(brokerId)
      return new KafkaJSConnectionError(`Connection error: ${error.message}`, {
        broker: broker ? broker.address : `${brokerId}`,
      })
    }
    return error
  }

  /**
   * True when addTargetTopics(topics) would have nothing to do: every topic is targeted and
   * known, and the metadata is younger than metadataMaxAge. A send checks this first, so the
   * usual one waits for no promise.
   */
  hasFreshTargets(topics: readonly string[], now: number = this.clock.now()): boolean {
    if (!this.cachedMetadata || now - this.metadataAt >= this.metadataMaxAge) return false
    for (const t of topics) if (!this.targetTopics.has(t) || !this.checkedAgainst.has(t)) return false
    return true
  }

  /** A live broker to send cluster-wide requests to (kafkajs picks any connected broker). */
  anyBrokerId(): number {
    // kafkajs tries the brokers it knows until a connection works.
    const live = this.model.reachableBrokers()
    if (live.length === 0) throw new KafkaJSConnectionError('Connection error: no broker of the cluster is reachable')
    return live[0]!.id
  }

  get controllerId(): number {
    return this.cachedMetadata?.controllerId ?? this.anyBrokerId()
  }

  get clusterId(): string {
    return this.cachedMetadata?.clusterId ?? this.model.clusterId
  }

  brokers(): MetadataResponse['brokers'] {
    return this.cachedMetadata?.brokers ?? []
  }

  /**
   * Adds topics to the ones this client keeps metadata for, and loads it. As kafkajs does, a
   * topic whose metadata cannot be had (unknown, invalid name) is taken out of the set again,
   * so one bad topic does not poison every later request of the client.
   */
  async addTargetTopics(topics: readonly string[]): Promise<void> {
    // The usual call names topics already targeted and known: nothing is copied for it (this
    // runs on every send).
    if (topics.every((t) => this.targetTopics.has(t) && this.checkedAgainst.has(t))) return this.refreshMetadataIfNecessary()
    return this.changingTargets(() => {
      if (topics.every((t) => this.targetTopics.has(t) && this.checkedAgainst.has(t))) return this.refreshMetadataIfNecessary()
      const previous = new Set(this.targetTopics)
      return this.refreshWithTargets(topics, () => {
        this.targetTopics.clear()
        for (const t of previous) this.targetTopics.add(t)
      })
    })
  }

  /**
   * Changes of the target set run one at a time, as under kafkajs's mutatingTargetTopics lock:
   * two overlapping sends, one to a topic the broker refuses, must not restore each other's
   * copies of the set and leave the refused topic in it for ever.
   */
  private changingTargets(change: () => Promise<void>): Promise<void> {
    const run = this.targetsChanged.then(change, change)
    this.targetsChanged = run.catch(() => {})
    return run
  }

  /**
   * kafkajs's cluster.addTargetTopic, as the admin uses it: a topic already targeted and known
   * is left as it is, however old its metadata; a refused topic is taken out again if this
   * call put it in.
   */
  async addTargetTopic(topic: string): Promise<void> {
    if (this.targetTopics.has(topic) && this.checkedAgainst.has(topic)) return
    return this.changingTargets(async () => {
      const added = !this.targetTopics.has(topic)
      if (!added && this.checkedAgainst.has(topic)) return
      return this.refreshWithTargets([topic], () => {
        if (added) this.targetTopics.delete(topic)
      })
    })
  }

  /**
   * Targets the topics and loads the metadata; when the broker refuses a topic (unknown,
   * invalid, not authorized), `untarget` undoes the change before the error is thrown.
   */
  private async refreshWithTargets(topics: readonly string[], untarget: () => void): Promise<void> {
    for (const t of topics) this.targetTopics.add(t)
    try {
      await this.refreshMetadata()
    } catch (error) {
      const type = (error as { type?: string }).type
      if (type === 'UNKNOWN_TOPIC_OR_PARTITION' || type === 'INVALID_TOPIC_EXCEPTION' || type === 'TOPIC_AUTHORIZATION_FAILED') untarget()
      throw error
    }
  }

  /**
   * Loads metadata for the target topics (kafkajs's refreshMetadata). A topic-level error in
   * the response is thrown as the protocol error kafkajs's decoder would throw.
   */
  async refreshMetadata(extraTopics: readonly string[] = [], allowAutoTopicCreation = this.allowAutoTopicCreation): Promise<void> {
    const topics = extraTopics.length === 0 ? [...this.targetTopics] : [...new Set([...this.targetTopics, ...extraTopics])]
    const response = await this.request(this.anyBrokerId(), { api: 'Metadata', topics, allowAutoTopicCreation })
    for (const t of response.topics) {
      if (t.errorCode !== 0) throw createErrorFromCode(t.errorCode)
    }
    this.applyMetadata(response)
  }

  private applyMetadata(response: MetadataResponse): void {
    this.cachedMetadata = response
    this.metadataAt = this.clock.now()
    for (const t of response.topics) {
      // The usual refresh asks again for every target topic and is handed the same lists.
      if (this.checkedAgainst.get(t.name) === t.partitions) continue
      // A copy whose partitions read as the new description's is kept (issue 15, 1 000 topics);
      // any other is dropped, and the next reader gets a new one.
      const known = this.topicMetadata.get(t.name)
      if (known !== undefined && !sameAsKnown(known, t.partitions)) this.topicMetadata.delete(t.name)
      this.checkedAgainst.set(t.name, t.partitions)
    }
  }

  async refreshMetadataIfNecessary(): Promise<void> {
    if (!this.cachedMetadata || this.clock.now() - this.metadataAt >= this.metadataMaxAge) await this.refreshMetadata()
  }

  /** Metadata for every topic in the cluster (admin's listTopics / fetchTopicMetadata). */
  async fetchAllMetadata(): Promise<MetadataResponse> {
    const response = await this.request(this.anyBrokerId(), { api: 'Metadata', topics: null, allowAutoTopicCreation: false })
    return response
  }

  /**
   * kafkajs's cluster.metadata(): one Metadata request under the client's retrier, which
   * retries a topic whose leader is being elected and hands back any other topic error.
   * `null`: every topic; `[]`: none (brokers and controller only). The cached metadata is left
   * as it is.
   */
  async metadata(topics: readonly string[] | null): Promise<MetadataResponse> {
    return this.retrier(async (bail) => {
      try {
        const response = await this.request(this.anyBrokerId(), { api: 'Metadata', topics, allowAutoTopicCreation: false })
        const failed = response.topics.find((t) => t.errorCode !== 0)
        if (failed) throw createErrorFromCode(failed.errorCode)
        return response
      } catch (e) {
        if ((e as { type?: string }).type === 'LEADER_NOT_AVAILABLE') throw e
        bail(e)
        throw e
      }
    })
  }

  findTopicPartitionMetadata(topic: string): PartitionMetadata[] {
    const known = this.topicMetadata.get(topic)
    if (known !== undefined) return known
    const described = this.checkedAgainst.get(topic)
    if (described === undefined) return []
    // settled(): never changed after this (a change of the description drops it, and a new one
    // is made), so the partitioner may compute its list of led partitions once per array.
    const copy = settled(described.map(toKafkaJsPartition))
    this.topicMetadata.set(topic, copy)
    return copy
  }

  /**
   * The partition ids findTopicPartitionMetadata(topic) lists, in its order, without making the
   * client's copy of the metadata for them (the built-in assigners need only the ids: the
   * leader of a new group of a 10 000-partition topic made its copy inside its first join).
   * Read from the description (one list shared by every client of it) unless the client already
   * has its copy. Only read, never changed, by its callers.
   */
  partitionIdsOf(topic: string): readonly number[] {
    const known = this.topicMetadata.get(topic)
    if (known !== undefined) return known.map((m) => m.partitionId)
    const described = this.checkedAgainst.get(topic)
    if (described === undefined) return []
    let ids = partitionIdLists.get(described)
    if (ids === undefined) {
      ids = described.map((p) => p.partitionIndex)
      partitionIdLists.set(described, ids)
    }
    return ids
  }

  hasTopicMetadata(topic: string): boolean {
    return this.checkedAgainst.has(topic)
  }

  forgetTopic(topic: string): void {
    this.topicMetadata.delete(topic)
    this.checkedAgainst.delete(topic)
    this.targetTopics.delete(topic)
  }

  leaderFor(topic: string, partition: number): number {
    // The usual answer from the description's shared column (see leaderColumnOf); anything else
    // (no leader, an id the metadata lacks, a partition that is not a number) as before.
    const described = this.checkedAgainst.get(topic)
    if (described !== undefined && typeof partition === 'number') {
      const leader = leaderColumnOf(described)[partition]
      if (leader !== undefined && leader >= 0) return leader
    }
    if (!this.checkedAgainst.has(topic)) throw new KafkaJSTopicMetadataNotLoaded('Topic metadata not loaded', { topic } as never)
    const metadata = this.findTopicPartitionMetadata(topic)
    // Metadata lists partitions by index; fall back to a search for a sparse list.
    const p = metadata[partition]?.partitionId === partition ? metadata[partition] : metadata.find((m) => m.partitionId === partition)
    if (!p) throw createErrorFromCode(3)
    if (p.leader < 0) throw createErrorFromCode(5)
    return p.leader
  }

  /** Whether the topic's metadata lists the partition (an entry with that partitionId). */
  listsPartition(topic: string, partition: number): boolean {
    const described = this.checkedAgainst.get(topic)
    if (described !== undefined && Number.isInteger(partition) && partition >= 0) {
      const leader = leaderColumnOf(described)[partition]
      return leader !== undefined && leader !== UNLISTED
    }
    return this.findTopicPartitionMetadata(topic).some((m) => m.partitionId === partition)
  }

  /** kafkajs's cluster.findBroker: a broker known to the metadata, by its node id as a string. */
  async findBroker(nodeId: string): Promise<number> {
    const broker = this.brokers().find((b) => String(b.nodeId) === nodeId)
    if (broker) return broker.nodeId
    // The client probably has stale metadata (kafkajs refreshes before rethrowing).
    await this.refreshMetadata()
    throw new KafkaJSBrokerNotFound(`Broker ${nodeId} not found in the cached metadata`)
  }

  /** Finds the group coordinator, retrying while it is not available (kafkajs findGroupCoordinator). */
  async findCoordinator(key: string, keyType: number = CoordinatorType.GROUP): Promise<number> {
    return this.retrier(async (bail) => {
      const response = await this.request(this.anyBrokerId(), { api: 'FindCoordinator', key, keyType })
      if (response.errorCode === 0) return response.nodeId
      const error = createErrorFromCode(response.errorCode)
      if (!error.retriable) bail(error)
      throw error
    }).catch((error: unknown) => {
      if (error instanceof KafkaJSNonRetriableError || (error as { name?: string }).name === 'KafkaJSNumberOfRetriesExceeded') {
        throw new KafkaJSGroupCoordinatorNotFound(`Failed to find group coordinator: ${(error as Error).message}`, { cause: error })
      }
      throw error
    })
  }

  /**
   * kafkajs's cluster.fetchTopicsOffset: one ListOffsets per leader (in leader order), sent
   * together, each partition's answer keyed by topic and partition with its error code; the
   * callers decide which error to throw. A partition without a known leader throws
   * (leaderFor) before anything is sent.
   */
  async fetchTopicsOffset(
    partitions: readonly { readonly topic: string; readonly partition: number; readonly timestamp: number }[],
    isolationLevel: number,
    replicaId?: number,
  ): Promise<Map<string, { errorCode: number; offset: number }>> {
    const answers = new Map<string, { errorCode: number; offset: number }>()
    for (const response of await this.listOffsetsByLeader(partitions, undefined, isolationLevel, replicaId)) {
      for (const t of response.topics) for (const p of t.partitions) answers.set(topicPartitionKey(t.name, p.index), p)
    }
    return answers
  }

  /**
   * fetchTopicsOffset's answers in the order asked (undefined where a response left a partition
   * out): the consumer's reset of a whole assignment reads 10 000 of them. Each answer is found
   * at the place its partition took in its leader's request, without a table keyed by topic and
   * partition (issue 15). The same requests as fetchTopicsOffset's; `timestampOf` gives each
   * topic's offset spec.
   */
  async fetchTopicsOffsetInOrder(
    partitions: readonly { readonly topic: string; readonly partition: number }[],
    timestampOf: (topic: string) => number,
    isolationLevel: number,
  ): Promise<({ readonly errorCode: number; readonly offset: number } | undefined)[]> {
    const requests = this.listOffsetsInOrder(partitions, timestampOf)
    if (requests === undefined) return this.fetchTopicsOffsetPlaced(partitions, timestampOf, isolationLevel)
    const { leaders, topicsOf, slotOf, topicAt, partitionAt } = requests
    // One request per leader, in leader order (as fetchTopicsOffset sends them).
    const order = leaders.length === 1 ? ZERO_ONLY : leaderOrder(leaders)
    const sent: Promise<ResponseOf<'ListOffsets'>>[] = new Array(order.length)
    for (let r = 0; r < order.length; r++) sent[r] = this.request(leaders[order[r]!]!, { api: 'ListOffsets', isolationLevel, topics: topicsOf[order[r]!]! })
    const responses = await Promise.all(sent)
    // The response of each leader slot.
    const bySlot: ResponseOf<'ListOffsets'>[] = new Array(leaders.length)
    for (let r = 0; r < order.length; r++) bySlot[order[r]!] = responses[r]!
    const answers: ({ readonly errorCode: number; readonly offset: number } | undefined)[] = new Array(partitions.length)
    for (let i = 0; i < partitions.length; i++) {
      const topic = bySlot[slotOf[i]!]!.topics[topicAt[i]!]
      const partition = partitions[i]!.partition
      const answer = topic?.partitions[partitionAt[i]!]
      // A broker answers in the order asked; any other order is searched.
      answers[i] = answer !== undefined && answer.index === partition ? answer : topic?.partitions.find((p) => p.index === partition)
    }
    return answers
  }

  /**
   * fetchTopicsOffsetInOrder's requests when the partitions come topic by topic (a consumer's
   * assignment does): built in one walk, without a table per leader and per topic (issue 15:
   * every member resets its partitions at every rebalance). Each partition's leader slot (in
   * the order leaders were met) and its place in that leader's request are noted. Undefined
   * when a topic comes back after another one: the general walk below handles that.
   */
  private listOffsetsInOrder(
    partitions: readonly { readonly topic: string; readonly partition: number }[],
    timestampOf: (topic: string) => number,
  ): InOrderListOffsets | undefined {
    const leaders: number[] = []
    const topicsOf: { name: string; partitions: { index: number; timestamp: number }[] }[][] = []
    // Each leader slot's entry for the topic at hand.
    const current: ({ name: string; partitions: { index: number; timestamp: number }[] } | undefined)[] = []
    const n = partitions.length
    const slotOf: number[] = new Array(n)
    const topicAt: number[] = new Array(n)
    const partitionAt: number[] = new Array(n)
    let topic: string | undefined
    let timestamp = 0
    let done: Set<string> | undefined
    // The topic's leader column (see leaderColumnOf): one number per partition, not the metadata
    // entry of each (a member's partitions are far apart in a large topic: issue 15).
    let column: Int32Array | undefined
    for (let i = 0; i < n; i++) {
      const asked = partitions[i]!
      if (asked.topic !== topic) {
        if (topic !== undefined) {
          done ??= new Set()
          done.add(topic)
          if (done.has(asked.topic)) return undefined
          for (let s = 0; s < current.length; s++) current[s] = undefined
        }
        topic = asked.topic
        timestamp = timestampOf(topic)
        const described = this.checkedAgainst.get(topic)
        column = described === undefined ? undefined : leaderColumnOf(described)
      }
      const partition = asked.partition
      const known = column !== undefined && partition < column.length ? column[partition]! : -1
      const leader = known >= 0 ? known : this.leaderFor(topic, partition)
      let slot = leaders.indexOf(leader)
      if (slot < 0) {
        slot = leaders.length
        leaders.push(leader)
        topicsOf.push([])
        current.push(undefined)
      }
      let entry = current[slot]
      if (entry === undefined) {
        entry = { name: topic, partitions: [] }
        current[slot] = entry
        topicsOf[slot]!.push(entry)
      }
      slotOf[i] = slot
      topicAt[i] = topicsOf[slot]!.length - 1
      partitionAt[i] = entry.partitions.length
      entry.partitions.push({ index: asked.partition, timestamp })
    }
    return { leaders, topicsOf, slotOf, topicAt, partitionAt }
  }

  /** fetchTopicsOffsetInOrder for partitions in any order: placed by the general walk. */
  private async fetchTopicsOffsetPlaced(
    partitions: readonly { readonly topic: string; readonly partition: number }[],
    timestampOf: (topic: string) => number,
    isolationLevel: number,
  ): Promise<({ readonly errorCode: number; readonly offset: number } | undefined)[]> {
    const placed = new Int32Array(partitions.length * 3)
    const responses = await this.listOffsetsByLeader(partitions, timestampOf, isolationLevel, undefined, placed)
    const answers: ({ readonly errorCode: number; readonly offset: number } | undefined)[] = new Array(partitions.length)
    for (let i = 0; i < partitions.length; i++) {
      const topic = responses[placed[i * 3]!]!.topics[placed[i * 3 + 1]!]
      const partition = partitions[i]!.partition
      const answer = topic?.partitions[placed[i * 3 + 2]!]
      answers[i] = answer !== undefined && answer.index === partition ? answer : topic?.partitions.find((p) => p.index === partition)
    }
    return answers
  }

  /**
   * The ListOffsets requests behind fetchTopicsOffset, one per leader in leader order, sent
   * together. With `placed`, each partition's place in them is written there, three numbers per
   * partition: the response (by leader order), the topic in it, the partition in that topic.
   */
  private async listOffsetsByLeader(
    partitions: readonly { readonly topic: string; readonly partition: number; readonly timestamp?: number }[],
    timestampOf: ((topic: string) => number) | undefined,
    isolationLevel: number,
    replicaId: number | undefined,
    placed?: Int32Array,
  ): Promise<ResponseOf<'ListOffsets'>[]> {
    type Topic = { readonly name: string; readonly partitions: { index: number; timestamp: number }[]; readonly at: number }
    const byLeader = new Map<number, Map<string, Topic>>()
    // Where each partition went: its leader, and its place in that leader's topic and list.
    const leaders = placed ? new Int32Array(partitions.length) : undefined
    for (let i = 0; i < partitions.length; i++) {
      const { topic, partition } = partitions[i]!
      const leader = this.leaderFor(topic, partition)
      let topics = byLeader.get(leader)
      if (!topics) byLeader.set(leader, (topics = new Map()))
      let entry = topics.get(topic)
      if (!entry) topics.set(topic, (entry = { name: topic, partitions: [], at: topics.size }))
      if (placed && leaders) {
        leaders[i] = leader
        placed[i * 3 + 1] = entry.at
        placed[i * 3 + 2] = entry.partitions.length
      }
      entry.partitions.push({ index: partition, timestamp: timestampOf ? timestampOf(topic) : partitions[i]!.timestamp! })
    }
    const ordered = [...byLeader].sort(([a], [b]) => a - b)
    if (placed && leaders) {
      const slot = new Map<number, number>()
      ordered.forEach(([leader], at) => slot.set(leader, at))
      for (let i = 0; i < partitions.length; i++) placed[i * 3] = slot.get(leaders[i]!)!
    }
    return Promise.all(
      ordered.map(([leader, topics]) =>
        this.request(leader, {
          api: 'ListOffsets',
          ...(replicaId === undefined ? {} : { replicaId }),
          isolationLevel,
          topics: [...topics.values()].map(({ name, partitions: list }) => ({ name, partitions: list })),
        }),
      ),
    )
  }


  /**
   * The admin's offset lookups (fetchTopicOffsets, fetchTopicOffsetsByTimestamp): the offsets of
   * a topic's partitions at `timestamp` (or EARLIEST/LATEST), read_committed as kafkajs's admin
   * asks; partitions unknown to the metadata are left out, and the first failed partition (in
   * leader order) throws its error.
   */
  async listOffsets(topic: string, partitions: readonly number[], timestamp: number): Promise<Array<{ partition: number; offset: string }>> {
    const metadata = this.findTopicPartitionMetadata(topic)
    const listed = new Set(metadata.map((m) => m.partitionId))
    const known = partitions.filter((partition) => listed.has(partition))
    const answers = await this.fetchTopicsOffset(
      known.map((partition) => ({ topic, partition, timestamp })),
      IsolationLevel.READ_COMMITTED,
      -1,
    )
    const all = [...answers.values()]
    const failed = all.find((p) => p.errorCode !== 0)
    if (failed) throw createErrorFromCode(failed.errorCode)
    return [...answers].map(([key, p]) => ({ partition: Number(key.slice(key.indexOf('\u0000') + 1)), offset: String(p.offset) }))
  }
}

/** Whether `known` (the client's converted metadata) says what `partitions` says, field for field. */
function sameAsKnown(known: readonly PartitionMetadata[], partitions: readonly WirePartitionMetadata[]): boolean {
  if (known.length !== partitions.length) return false
  for (let i = 0; i < partitions.length; i++) {
    const k = known[i]!
    const p = partitions[i]!
    if (k.partitionErrorCode !== p.errorCode || k.partitionId !== p.partitionIndex || k.leader !== p.leaderId) return false
    if (!sameIds(k.replicas, p.replicaNodes) || !sameIds(k.isr, p.isrNodes) || !sameIds(k.offlineReplicas, p.offlineReplicas)) return false
  }
  return true
}

function sameIds(a: readonly number[] | undefined, b: readonly number[]): boolean {
  if (a === undefined || a.length !== b.length) return false
  for (let i = 0; i < b.length; i++) if (a[i] !== b[i]) return false
  return true
}

/** A leader column's entry for a partition id the description does not list. */
const UNLISTED = -0x80000000

const leaderColumns = new WeakMap<readonly WirePartitionMetadata[], Int32Array>()
/** Each description's partition ids, in its order (see partitionIdsOf). */
const partitionIdLists = new WeakMap<readonly WirePartitionMetadata[], readonly number[]>()

/**
 * Each partition id's leader in a topic's description as the broker handed it out (-1 for none,
 * UNLISTED for an id it does not list), found as leaderFor finds an id: the entry at its index
 * when that entry has it, else the first entry with it. The broker hands every client the same
 * frozen description while the topic is unchanged, and each client's own metadata says the same
 * (applyMetadata keeps the description each topic was last checked against), so one column
 * serves every client: each member of a large group read its leaders and listed partitions from
 * its own copy of the topic's metadata, objects rarely in the CPU's cache, at every rebalance
 * (issue 15: 200 clients of one 1 000-partition topic).
 */
function leaderColumnOf(partitions: readonly WirePartitionMetadata[]): Int32Array {
  let column = leaderColumns.get(partitions)
  if (column !== undefined) return column
  let highest = -1
  for (let i = 0; i < partitions.length; i++) if (partitions[i]!.partitionIndex > highest) highest = partitions[i]!.partitionIndex
  column = new Int32Array(highest + 1).fill(UNLISTED)
  for (let i = partitions.length - 1; i >= 0; i--) {
    const p = partitions[i]!
    if (Number.isInteger(p.partitionIndex) && p.partitionIndex >= 0) column[p.partitionIndex] = p.leaderId
  }
  for (let i = 0; i < partitions.length && i < column.length; i++) if (partitions[i]!.partitionIndex === i) column[i] = partitions[i]!.leaderId
  leaderColumns.set(partitions, column)
  return column
}

function toKafkaJsPartition(p: WirePartitionMetadata): PartitionMetadata {
  return {
    partitionErrorCode: p.errorCode,
    partitionId: p.partitionIndex,
    leader: p.leaderId,
    // Copies: the broker's description is shared and frozen; these are the client's own, as
    // kafkajs's decoded metadata is (a custom partitioner or assigner may change them).
    replicas: p.replicaNodes.slice(),
    isr: p.isrNodes.slice(),
    offlineReplicas: p.offlineReplicas.slice(),
  }
}

/** fetchTopicsOffsetInOrder's requests, built in one walk (see listOffsetsInOrder). */
interface InOrderListOffsets {
  /** The leaders, in the order first met. */
  readonly leaders: number[]
  /** Each leader's topics, for its request. */
  readonly topicsOf: { name: string; partitions: { index: number; timestamp: number }[] }[][]
  /** For each partition asked: its leader's slot, and its place in that leader's request. */
  readonly slotOf: number[]
  readonly topicAt: number[]
  readonly partitionAt: number[]
}

const ZERO_ONLY: readonly number[] = [0]

/** The slots of `leaders` ordered by leader id (insertion sort: a few brokers, no sort's work area). */
function leaderOrder(leaders: readonly number[]): number[] {
  const order: number[] = new Array(leaders.length)
  for (let i = 0; i < leaders.length; i++) {
    let j = i
    while (j > 0 && leaders[order[j - 1]!]! > leaders[i]!) {
      order[j] = order[j - 1]!
      j--
    }
    order[j] = i
  }
  return order
}
