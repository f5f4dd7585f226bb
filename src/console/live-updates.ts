/**
 * Live updates for open pages, as server-sent events. A page gets the whole cluster once
 * (`snapshot`), then only what changed (`delta`): the topics and groups whose description
 * differs from the last one sent, the brokers, and the timeline events recorded since.
 *
 * Why a ticker and not only the timeline: much of what a learner wants to watch moves without an
 * event (a follower's log end and high watermark as it fetches, a group's lag), so each tick
 * compares the cluster's description with the last one sent, topic by topic. The ticker and the
 * timeline subscription exist only while a page is open: a console nobody looks at costs the
 * cluster nothing.
 */
import type { ServerResponse } from 'node:http'
import { ManualClock } from '../cluster/clock.js'
import type { ClusterDescription, GroupDescription, TopicDescription } from '../cluster/describe.js'
import type { TimelineEvent } from '../cluster/timeline.js'
import type { ConsoleCluster } from './cluster-requests.js'
import { realNow, startTicker, startTimeout, type Ticker } from './refresh-clock.js'

/** At most this many new events go into one delta; the page re-reads the story for the rest. */
const MAX_EVENTS_PER_DELTA = 200
/**
 * After an event, or a tick that found a change, the next tick comes this soon (real ms) rather
 * than at the next periodic tick: a produce is followed within milliseconds by the followers'
 * fetches moving the high watermark, and a page should see both at once. Never closer than
 * MIN_GAP_MS to the previous tick, so that a storm of changes costs at most a steady share of
 * a core (a tick at 1 000 partitions takes about 10 ms).
 */
const SOON_MS = 2
const MIN_GAP_MS = 20
/** A page that reads slower than this much unsent data is dropped (it reconnects and resyncs). */
const MAX_BUFFERED_BYTES = 16 << 20

export interface LiveStats {
  readonly clients: number
  readonly ticks: number
  /** Real ms the last tick took to describe, compare and send. */
  readonly lastTickMs: number
}

export class LiveUpdates {
  private readonly cluster: ConsoleCluster
  private readonly intervalMs: number
  private readonly clients = new Set<ServerResponse>()
  private ticker: Ticker | undefined
  private soon: Ticker | undefined
  private lastTickAt = -Infinity
  private unsubscribe: (() => void) | undefined
  private newEvents: TimelineEvent[] = []
  private droppedEvents = 0
  private sentTopics = new Map<string, string>()
  private sentGroups = new Map<string, string>()
  private sentHead = ''
  private ticks = 0
  private lastTickMs = 0

  constructor(cluster: ConsoleCluster, intervalMs: number) {
    this.cluster = cluster
    this.intervalMs = intervalMs
  }

  get stats(): LiveStats {
    return { clients: this.clients.size, ticks: this.ticks, lastTickMs: this.lastTickMs }
  }

  /** Whether anything runs on the cluster's behalf (a page is open). */
  get active(): boolean {
    return this.ticker !== undefined
  }

  /** A page opened /api/live: it gets a snapshot now, deltas after. */
  add(response: ServerResponse): void {
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' })
    if (this.clients.size === 0) this.begin()
    this.clients.add(response)
    response.on('close', () => this.remove(response))
    const description = this.cluster.describe()
    // A fresh page resyncs everyone's baseline: simpler than one baseline per page, and rare.
    this.remember(description)
    this.newEvents = []
    this.broadcast('snapshot', this.snapshot(description))
  }

  private remove(response: ServerResponse): void {
    if (!this.clients.delete(response)) return
    if (this.clients.size === 0) this.end()
  }

  private begin(): void {
    this.unsubscribe = this.cluster.eventLog.subscribe((event) => {
      if (this.newEvents.length < MAX_EVENTS_PER_DELTA) this.newEvents.push(event)
      else this.droppedEvents++
      this.tickSoon()
    })
    this.ticker = startTicker(this.intervalMs, () => this.tick())
  }

  private tickSoon(): void {
    if (this.soon || !this.ticker) return
    const wait = Math.max(SOON_MS, MIN_GAP_MS - (realNow() - this.lastTickAt))
    this.soon = startTimeout(wait, () => {
      this.soon = undefined
      this.tick()
    })
  }

  private end(): void {
    this.ticker?.stop()
    this.ticker = undefined
    this.soon?.stop()
    this.soon = undefined
    this.unsubscribe?.()
    this.unsubscribe = undefined
    this.newEvents = []
    this.droppedEvents = 0
    this.sentTopics.clear()
    this.sentGroups.clear()
    this.sentHead = ''
  }

  /** Closes every page's stream (the console is closing). */
  closeAll(): void {
    for (const c of [...this.clients]) c.end()
    this.clients.clear()
    this.end()
  }

  private snapshot(description: ClusterDescription): unknown {
    // How each stopped broker went down (a crash or a clean shutdown) is told only by the timeline.
    const crashed: Record<number, boolean> = {}
    const events = this.cluster.eventLog.list()
    for (const e of events) if (e.type === 'brokerStopped') crashed[e.brokerId] = e.crash
    return { ...description, manualClock: this.cluster.clock instanceof ManualClock, eventCount: events.length, crashed }
  }

  private head(d: ClusterDescription): string {
    return JSON.stringify({ time: d.time, controllerId: d.controllerId, brokers: d.brokers, transactions: d.transactions })
  }

  private remember(d: ClusterDescription): void {
    this.sentHead = this.head(d)
    this.sentTopics = new Map(d.topics.map((t) => [t.name, JSON.stringify(t)]))
    this.sentGroups = new Map(d.groups.map((g) => [g.groupId, JSON.stringify(g)]))
  }

  /** One comparison of the cluster with what the pages show; sends a delta when they differ. */
  tick(): void {
    if (this.clients.size === 0 || this.cluster.isClosed) return
    const started = realNow()
    this.lastTickAt = started
    this.ticks++
    const d = this.cluster.describe()
    const topics: TopicDescription[] = []
    const groups: GroupDescription[] = []
    const seenTopics = new Map<string, string>()
    const seenGroups = new Map<string, string>()
    for (const t of d.topics) {
      const json = JSON.stringify(t)
      seenTopics.set(t.name, json)
      if (this.sentTopics.get(t.name) !== json) topics.push(t)
    }
    for (const g of d.groups) {
      const json = JSON.stringify(g)
      seenGroups.set(g.groupId, json)
      if (this.sentGroups.get(g.groupId) !== json) groups.push(g)
    }
    const removedTopics = [...this.sentTopics.keys()].filter((name) => !seenTopics.has(name))
    const removedGroups = [...this.sentGroups.keys()].filter((id) => !seenGroups.has(id))
    const head = this.head(d)
    const changed = head !== this.sentHead || topics.length > 0 || groups.length > 0 || removedTopics.length > 0 || removedGroups.length > 0 || this.newEvents.length > 0
    if (changed) {
      const events = this.newEvents
      const dropped = this.droppedEvents
      this.newEvents = []
      this.droppedEvents = 0
      this.sentHead = head
      this.sentTopics = seenTopics
      this.sentGroups = seenGroups
      this.broadcast('delta', {
        time: d.time,
        controllerId: d.controllerId,
        brokers: d.brokers,
        transactions: d.transactions,
        topics,
        removedTopics,
        groups,
        removedGroups,
        events,
        droppedEvents: dropped,
        topicOrder: d.topics.map((t) => t.name),
        groupOrder: d.groups.map((g) => g.groupId),
      })
      // Where one change is, the next follows (followers fetching): look again soon.
      this.tickSoon()
    }
    this.lastTickMs = realNow() - started
  }

  private broadcast(event: string, data: unknown): void {
    const frame = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`
    for (const c of [...this.clients]) {
      if (c.writableLength > MAX_BUFFERED_BYTES) {
        c.destroy()
        this.remove(c)
        continue
      }
      c.write(frame)
    }
  }
}
