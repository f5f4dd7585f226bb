/**
 * The timeline as the console shows it: the story's lines (cluster/story.ts), for the events of
 * one topic, one group or one broker when asked, and the same story cut into instants for
 * playback, each instant with the events that happened at it (the page replays them to redraw
 * brokers, leaders, epochs and ISRs as they were).
 */
import type { TimelineEvent } from '../cluster/timeline.js'
import { storyLines } from '../cluster/story.js'
import type { ConsoleCluster } from './cluster-requests.js'
import { optionalInteger, optionalString, type Fields } from './request-fields.js'

export interface StoryFilter {
  readonly topic: string | null
  readonly group: string | null
  readonly broker: number | null
}

export interface StoryLine {
  readonly time: number
  readonly text: string
}

export function readStoryFilter(fields: Fields): StoryFilter {
  return { topic: optionalString(fields, 'topic') || null, group: optionalString(fields, 'group') || null, broker: optionalInteger(fields, 'broker') }
}

function concernsTopic(e: TimelineEvent, topic: string): boolean {
  if ('topic' in e) return e.topic === topic
  if (e.type === 'offsetsCommitted') return e.offsets.some((o) => o.topic === topic)
  if (e.type === 'txnEnded') return e.partitions.some((p) => p.topic === topic)
  if (e.type === 'configsAltered') return e.resourceType === 'topic' && e.resourceName === topic
  return false
}

function concernsBroker(e: TimelineEvent, broker: number): boolean {
  if ('brokerId' in e) return e.brokerId === broker
  if (e.type === 'leaderElected') return e.leader === broker
  if (e.type === 'isrChanged' || e.type === 'partitionOffline') return e.isr.includes(broker) || new RegExp(`\\bbroker ${broker}\\b`).test(e.reason)
  if (e.type === 'networkHealed') return e.brokerIds.includes(broker)
  if (e.type === 'configsAltered') return e.resourceType === 'broker' && e.resourceName === String(broker)
  return false
}

/** Whether an event belongs to the story of this topic, group and broker (each when given). */
export function concerns(e: TimelineEvent, filter: StoryFilter): boolean {
  if (filter.topic !== null && !concernsTopic(e, filter.topic)) return false
  if (filter.group !== null && !('groupId' in e && e.groupId === filter.group)) return false
  if (filter.broker !== null && !concernsBroker(e, filter.broker)) return false
  return true
}

/** The story's lines for the filtered events; times are ms since the cluster's first event. */
export function storyOf(cluster: ConsoleCluster, filter: StoryFilter): { origin: number; lines: StoryLine[] } {
  const all = cluster.eventLog.list()
  const origin = all[0]?.time ?? cluster.clock.now()
  return { origin, lines: toLines(all.filter((e) => concerns(e, filter)), origin) }
}

/** The story's lines with their instants (story.ts writes them as `t=<ms since origin>`). */
function toLines(events: readonly TimelineEvent[], origin: number): StoryLine[] {
  return storyLines(events, { origin }).map((line) => {
    const match = /^t=(-?\d+)\s+/.exec(line)
    return match ? { time: origin + Number(match[1]), text: line.slice(match[0].length) } : { time: origin, text: line }
  })
}

/** Events about a broker itself: a failure's playback needs them whatever topic or group it follows. */
const BROKER_EVENTS = new Set(['brokerRegistered', 'brokerStopped', 'brokerStarted', 'brokerFenced', 'brokerUnfenced', 'brokerIsolated', 'networkHealed'])

/**
 * The story cut into instants: each with its lines and the raw events the page replays. Unlike
 * the timeline view, playback of a topic or a group keeps the brokers' own events (stops,
 * crashes, fencing, isolation), since they are what moves the leaders and ISRs it shows.
 */
export function playbackOf(cluster: ConsoleCluster, filter: StoryFilter): { origin: number; steps: { time: number; lines: string[]; events: TimelineEvent[] }[] } {
  const all = cluster.eventLog.list()
  const origin = all[0]?.time ?? cluster.clock.now()
  const kept = (e: TimelineEvent): boolean => concerns(e, filter) || (filter.broker === null && BROKER_EVENTS.has(e.type))
  const events = all.filter(kept)
  const lines = toLines(events, origin)
  const steps = new Map<number, { time: number; lines: string[]; events: TimelineEvent[] }>()
  const step = (time: number) => {
    let s = steps.get(time)
    if (!s) steps.set(time, (s = { time, lines: [], events: [] }))
    return s
  }
  for (const e of events) step(e.time).events.push(e)
  for (const line of lines) step(line.time).lines.push(line.text)
  return { origin, steps: [...steps.values()].sort((a, b) => a.time - b.time) }
}
