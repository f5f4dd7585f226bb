/**
 * The nemesis (Jepsen's name for the fault injector): applies the faults of a schedule to a
 * cluster, records each in a history, and lifts them all at the end. simulate() uses it for its
 * own workload; a test uses it to put its own service under a generated fault schedule:
 *
 *   const nemesis = new Nemesis(cluster, { recorder })
 *   await nemesis.play(schedule)      // each fault at its virtual time
 *   await nemesis.recover()           // heal, start every broker, resume everything
 */
import type { Cluster } from 'memkafka'
import type { ClientRef, Fault, FaultStep } from './scenario.js'
import type { HistoryRecorder } from './recorder.js'
import { runUntil } from './drive.js'

export interface NemesisOptions {
  /** Where faults are recorded (as FaultOps), if anywhere. */
  readonly recorder?: HistoryRecorder
  /**
   * The client ids a ClientRef can name, in a stable order (a pauseClient fault takes the one at
   * `index` modulo their number). Default: none, so client faults do nothing.
   */
  readonly clients?: (role: ClientRef['role']) => readonly string[]
  /** Runs cluster.checkInvariants() after every step of play(). Default false. */
  readonly checkInvariants?: boolean
}

export class Nemesis {
  private readonly cluster: Cluster
  private readonly options: NemesisOptions
  private readonly brokerIds: number[]
  private readonly interceptors: (() => void)[] = []
  private readonly paused = new Set<string>()

  constructor(cluster: Cluster, options: NemesisOptions = {}) {
    if (typeof cluster?.stopBroker !== 'function') throw new TypeError('new Nemesis(cluster): a memkafka Cluster is needed')
    this.cluster = cluster
    this.options = options
    this.brokerIds = cluster.brokers.map((b) => b.id)
  }

  /**
   * Plays a schedule: lets each `advance` step's time pass on the cluster's ManualClock, applies
   * each fault at its turn. Resolves at the schedule's end (faults still in force).
   */
  async play(schedule: readonly FaultStep[]): Promise<void> {
    for (const step of schedule) {
      if (step.kind === 'advance') {
        await this.cluster.advance(Math.max(0, step.ms))
        continue
      }
      this.apply(step)
      await this.cluster.advance(0)
      if (this.options.checkInvariants) this.cluster.checkInvariants()
    }
  }

  /** Applies one fault now. Broker numbers wrap around the cluster's brokers. */
  apply(fault: Fault): void {
    const cluster = this.cluster
    const broker = (n: number): number => this.brokerIds[((n % this.brokerIds.length) + this.brokerIds.length) % this.brokerIds.length]!
    switch (fault.kind) {
      case 'stopBroker': {
        const loseUnflushed = fault.loseUnflushed && fault.crash
        this.note(fault, { broker: broker(fault.broker), crash: fault.crash, loseUnflushed })
        return cluster.stopBroker(broker(fault.broker), { crash: fault.crash, loseUnflushed })
      }
      case 'startBroker':
        this.note(fault, { broker: broker(fault.broker) })
        return cluster.startBroker(broker(fault.broker))
      case 'isolate':
        this.note(fault, { broker: broker(fault.broker) })
        return cluster.isolate(broker(fault.broker))
      case 'heal':
        this.note(fault, {})
        return cluster.heal()
      case 'slowFollower':
        this.note(fault, { broker: broker(fault.broker), ms: fault.ms })
        return cluster.delayReplication(broker(fault.broker), fault.ms)
      case 'pauseReplication':
        this.note(fault, { broker: broker(fault.broker) })
        return cluster.pauseReplication(broker(fault.broker))
      case 'resumeReplication':
        this.note(fault, { broker: broker(fault.broker) })
        return cluster.resumeReplication(broker(fault.broker))
      case 'failRequests': {
        const brokerId = fault.broker === null ? null : broker(fault.broker)
        const effect = fault.effect
        this.note(fault, {
          api: fault.api,
          broker: brokerId,
          times: fault.times,
          ...('error' in effect ? { error: effect.error } : 'disconnect' in effect ? { disconnect: true } : { delayMs: effect.delayMs }),
        })
        this.interceptors.push(cluster.intercept(fault.api, () => effect, { times: Math.max(1, fault.times), ...(brokerId === null ? {} : { brokerId }) }))
        return
      }
      case 'pauseClient': {
        const clientId = this.client(fault.client)
        this.note(fault, { client: clientId })
        if (clientId === null) return
        this.paused.add(clientId)
        return cluster.pauseClient(clientId)
      }
      case 'resumeClient': {
        const clientId = this.client(fault.client)
        this.note(fault, { client: clientId })
        if (clientId === null) return
        this.paused.delete(clientId)
        return cluster.resumeClient(clientId)
      }
      case 'electPreferredLeaders':
        this.note(fault, {})
        return cluster.electPreferredLeaders()
    }
  }

  /** Lifts every fault at once: heals the network, starts every broker, resumes replication and paused clients, removes request hooks. */
  liftAll(): void {
    const cluster = this.cluster
    this.options.recorder?.fault({ kind: 'recover' })
    cluster.heal()
    for (const id of this.brokerIds) {
      cluster.startBroker(id)
      cluster.resumeReplication(id)
      cluster.delayReplication(id, 0)
    }
    for (const dispose of this.interceptors.splice(0)) dispose()
    for (const clientId of this.paused) cluster.resumeClient(clientId)
    this.paused.clear()
  }

  /**
   * Lifts every fault, then lets virtual time pass until every broker serves again and every
   * partition has a leader (a crashed broker comes back once its old session has expired).
   */
  async recover(maxMs = 120_000): Promise<void> {
    this.liftAll()
    await runUntil(this.cluster, () => this.healthy(), { maxMs, what: 'every broker serving and every partition led' })
  }

  /** Every broker reachable and registered, every partition led. */
  healthy(): boolean {
    if (this.cluster.reachableBrokers().length < this.brokerIds.length) return false
    const d = this.cluster.describe()
    return d.brokers.every((b) => b.alive) && d.topics.every((t) => t.partitions.every((p) => p.leader >= 0))
  }

  /** The clients paused by this nemesis and not resumed yet. */
  get pausedClients(): readonly string[] {
    return [...this.paused]
  }

  private client(ref: ClientRef): string | null {
    const ids = this.options.clients?.(ref.role) ?? []
    return ids.length === 0 ? null : ids[((ref.index % ids.length) + ids.length) % ids.length]!
  }

  private note(fault: Fault, fields: Record<string, string | number | boolean | null>): void {
    this.options.recorder?.fault({ kind: fault.kind, ...fields })
  }
}
