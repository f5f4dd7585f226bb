/**
 * cluster.story(): the timeline told as sentences, one line per thing that happened, for people
 * learning what Kafka does ("t=9000 leader of orders-0 moved 0 -> 1 (epoch 1; leader 0 fenced)").
 *
 * The events themselves say only what changed; the story keeps a little state while it reads
 * them (each partition's leader and ISR size, every member id it has met) so it can say where a
 * leader moved from, whether an ISR shrank or grew, and name members briefly. Runs of events
 * that say one thing are told once: consecutive appends to one partition, and the same segment
 * deletion or compaction done by every replica's log at one instant.
 */
import type { TimelineEvent, TimelineEventType } from './timeline.js'
import { shortMemberIds } from './format.js'

export interface StoryOptions {
  /** Only events at or after this time (the clock's, not relative to the origin). */
  readonly since?: number
  /** Only events of these types. */
  readonly types?: readonly TimelineEventType[]
  /** Leave out events of these types. */
  readonly exclude?: readonly TimelineEventType[]
  /**
   * Times are told relative to this instant. Default: the time of the first event kept, which
   * is the cluster's creation (its brokers registering) unless the timeline ring has wrapped.
   */
  readonly origin?: number
}

/** One told line before merging: its text, and what identical-but-for-the-broker lines share. */
interface Entry {
  readonly time: number
  text: string
  /** Lines with the same key at the same time merge into one (replica-by-replica work). */
  readonly mergeKey?: string
  readonly brokers?: number[]
  readonly render?: (brokers: number[]) => string
  /** A run of appends to one partition: extended while the next append follows on. */
  produced?: { topic: string; partition: number; baseOffset: number; count: number; acks: number }
}

const topicPartition = (topic: string, partition: number): string => `${topic}-${partition}`
const ids = (list: readonly number[]): string => (list.length === 0 ? 'none' : list.join(','))
const acksName = (acks: number): string => (acks === -1 ? 'all' : String(acks))
const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`

/** The story as lines, oldest first: `t=<ms since origin> <what happened>`. */
export function storyLines(events: readonly TimelineEvent[], options: StoryOptions = {}): string[] {
  const origin = options.origin ?? events[0]?.time ?? 0
  const only = options.types ? new Set(options.types) : undefined
  const exclude = new Set(options.exclude ?? [])
  const shown = (e: TimelineEvent): boolean => (options.since === undefined || e.time >= options.since) && (!only || only.has(e.type)) && !exclude.has(e.type)

  // Members are named by client id where that is unambiguous over the whole timeline.
  const memberIds: string[] = []
  for (const e of events) {
    if (e.type === 'memberJoined' || e.type === 'memberRemoved') memberIds.push(e.memberId)
    else if (e.type === 'rebalanced') memberIds.push(e.leaderId, ...e.members)
  }
  const names = shortMemberIds(memberIds)
  const member = (id: string): string => names.get(id) ?? id

  // What the story remembers while it reads: leaders, ISR sizes, replication factors.
  const leaders = new Map<string, number>()
  const isrSizes = new Map<string, number>()
  const replicationFactors = new Map<string, number>()

  const entries: Entry[] = []
  const add = (e: TimelineEvent, text: string): void => {
    if (shown(e)) entries.push({ time: e.time, text })
  }
  /** A line that every replica's log tells at the same instant: told once, naming the brokers. */
  const addPerReplica = (e: TimelineEvent & { brokerId: number }, mergeKey: string, render: (brokers: number[]) => string): void => {
    if (!shown(e)) return
    for (let i = entries.length - 1; i >= 0 && entries[i]!.time === e.time; i--) {
      const entry = entries[i]!
      if (entry.mergeKey === mergeKey && entry.brokers && entry.render) {
        entry.brokers.push(e.brokerId)
        entry.text = entry.render(entry.brokers)
        return
      }
    }
    const brokers = [e.brokerId]
    entries.push({ time: e.time, text: render(brokers), mergeKey, brokers, render })
  }

  for (const e of events) {
    switch (e.type) {
      case 'brokerRegistered':
        add(e, `broker ${e.brokerId} registered${e.rack === null ? '' : ` (rack ${e.rack})`}`)
        break
      case 'topicCreated': {
        replicationFactors.set(e.topic, e.replicationFactor)
        const configs = Object.entries(e.configs).map(([k, v]) => `${k}=${v}`)
        add(e, `created topic ${e.topic}: ${plural(e.partitions, 'partition')}, replication factor ${e.replicationFactor}${configs.length > 0 ? ` (${configs.join(', ')})` : ''}`)
        break
      }
      case 'topicDeleted':
        add(e, `deleted topic ${e.topic}`)
        break
      case 'partitionsCreated':
        add(e, `${e.topic} grew from ${e.from} to ${plural(e.to, 'partition')}`)
        break
      case 'configsAltered': {
        const changes = Object.entries(e.configs).map(([k, v]) => (v === null ? `${k} back to its default` : `${k}=${v}`))
        add(e, `${e.resourceType} ${e.resourceName} configs altered: ${changes.join(', ')}`)
        break
      }
      case 'leaderElected': {
        const tp = topicPartition(e.topic, e.partition)
        const before = leaders.get(tp)
        leaders.set(tp, e.leader)
        const why = `epoch ${e.leaderEpoch}; ${e.reason}`
        if (before === undefined) add(e, `${tp} is led by broker ${e.leader} (${why})`)
        else if (before === -1) add(e, `${tp} is back online, led by broker ${e.leader} (${why})`)
        else if (before === e.leader) add(e, `broker ${e.leader} leads ${tp} again (${why})`)
        else add(e, `leader of ${tp} moved ${before} -> ${e.leader} (${why})`)
        break
      }
      case 'partitionOffline':
        leaders.set(topicPartition(e.topic, e.partition), -1)
        add(e, `${topicPartition(e.topic, e.partition)} is offline: no leader (ISR ${ids(e.isr)}; ${e.reason})`)
        break
      case 'isrChanged': {
        const tp = topicPartition(e.topic, e.partition)
        // Every ISR starts as the whole replica set: its size is the replication factor.
        const before = isrSizes.get(tp) ?? replicationFactors.get(e.topic)
        isrSizes.set(tp, e.isr.length)
        const how = before === undefined || before === e.isr.length ? 'changed' : e.isr.length < before ? 'shrank' : 'expanded'
        add(e, `ISR of ${tp} ${how} to ${ids(e.isr)} (${e.reason})`)
        break
      }
      case 'truncated':
        add(e, `broker ${e.brokerId} truncated its ${topicPartition(e.topic, e.partition)} from ${e.from} to ${e.to}: ${plural(e.from - e.to, 'record')} only it had, gone`)
        break
      case 'brokerStopped':
        add(e, `broker ${e.brokerId} ${e.crash ? 'crashed' : 'shut down'}${e.lostUnflushed ? ', losing what it had not flushed' : ''}`)
        break
      case 'brokerStarted':
        add(e, `broker ${e.brokerId} started`)
        break
      case 'brokerFenced':
        add(e, `controller fenced broker ${e.brokerId} (${e.reason})`)
        break
      case 'brokerUnfenced':
        add(e, `controller unfenced broker ${e.brokerId}: it is live again`)
        break
      case 'brokerIsolated':
        add(e, `broker ${e.brokerId} is cut off the network`)
        break
      case 'networkHealed':
        add(e, `network healed${e.brokerIds.length > 0 ? ` (brokers ${ids(e.brokerIds)} reachable again)` : ''}`)
        break
      case 'produced': {
        if (!shown(e)) break
        const last = entries.at(-1)
        const run = last?.produced
        if (run && last.time === e.time && run.topic === e.topic && run.partition === e.partition && run.acks === e.acks && run.baseOffset + run.count === e.baseOffset) {
          run.count += e.count
          last.text = producedText(run)
        } else {
          const produced = { topic: e.topic, partition: e.partition, baseOffset: e.baseOffset, count: e.count, acks: e.acks }
          entries.push({ time: e.time, text: producedText(produced), produced })
        }
        break
      }
      case 'recordsDeleted':
        add(e, `records of ${topicPartition(e.topic, e.partition)} deleted below offset ${e.logStartOffset} (log start offset ${e.logStartOffset})`)
        break
      case 'segmentsDeleted': {
        const tp = topicPartition(e.topic, e.partition)
        const what = `${e.reason === 'logStartOffset' ? 'log start offset' : e.reason} deleted ${plural(e.baseOffsets.length, 'segment')} of ${tp}`
        addPerReplica(e, `segments ${tp} ${e.reason} ${e.baseOffsets.join(',')} ${e.logStartOffset}`, (brokers) => `${what} on ${brokersText(brokers)}: log start offset now ${e.logStartOffset}`)
        break
      }
      case 'logCompacted': {
        const tp = topicPartition(e.topic, e.partition)
        const removed = `removed ${plural(e.removedRecords, 'record')}${e.removedTombstones > 0 ? ` and ${plural(e.removedTombstones, 'tombstone')}` : ''}`
        addPerReplica(
          e,
          `compacted ${tp} ${e.firstDirtyOffset} ${e.cleanedUpTo} ${e.removedRecords} ${e.removedTombstones}`,
          (brokers) => `compacted ${tp} on ${brokersText(brokers)}: ${removed} below offset ${e.cleanedUpTo}`,
        )
        break
      }
      case 'groupStateChanged':
        add(e, `group ${e.groupId}: ${e.from} -> ${e.to}`)
        break
      case 'memberJoined':
        add(e, `group ${e.groupId}: ${member(e.memberId)} joined`)
        break
      case 'memberRemoved':
        add(e, `group ${e.groupId}: ${member(e.memberId)} ${memberRemoval(e.reason)}`)
        break
      case 'rebalanced':
        add(e, `group ${e.groupId} rebalanced: generation ${e.generationId}, members ${e.members.map(member).join(',') || 'none'} (leader ${member(e.leaderId)})`)
        break
      case 'offsetsCommitted': {
        const offsets = e.offsets.map((o) => `${topicPartition(o.topic, o.partition)} @ ${o.offset}`)
        add(e, `group ${e.groupId} committed ${offsets.join(', ')}`)
        break
      }
      case 'groupDeleted':
        add(e, `group ${e.groupId} deleted`)
        break
      case 'txnBegun':
        add(e, `transaction ${e.transactionalId} began (producer ${e.producerId}, epoch ${e.producerEpoch})`)
        break
      case 'txnEnded': {
        const partitions = e.partitions.map((p) => topicPartition(p.topic, p.partition)).join(', ') || 'no partitions'
        add(e, `transaction ${e.transactionalId} ${e.result === 'commit' ? 'committed' : 'aborted'}: ${partitions} (${e.reason})`)
        break
      }
      case 'producerFenced':
        add(e, `transactional id ${e.transactionalId} fenced its older producers: now producer ${e.producerId}, epoch ${e.producerEpoch} (${e.reason})`)
        break
      case 'authorizationDenied':
        add(e, `${e.principal} (from ${e.host}) was denied ${e.operation} on ${e.resourceType} ${e.resourceName} (${e.api})`)
        break
      case 'authenticationFailed':
        add(e, `broker ${e.brokerId}: failed authentication from ${e.host} with ${e.mechanism} (${e.reason})`)
        break
      case 'aclsChanged':
        add(e, `ACLs changed: ${e.created} created, ${e.deleted} deleted`)
        break
      case 'userChanged':
        add(e, `user ${e.user}: ${e.change}`)
        break
      default: {
        // A new event type must be told here; until then the story says it raw rather than hiding it.
        const unknown: never = e
        const { type, time: _time, ...rest } = unknown as { type: string; time: number }
        add(unknown, `${type} ${JSON.stringify(rest)}`)
      }
    }
  }

  const times = entries.map((entry) => `t=${entry.time - origin}`)
  const width = Math.max(0, ...times.map((t) => t.length))
  return entries.map((entry, i) => `${times[i]!.padEnd(width)}  ${entry.text}`)
}

/** The story as one text, a line per event. */
export function tellStory(events: readonly TimelineEvent[], options: StoryOptions = {}): string {
  return storyLines(events, options).join('\n')
}

function producedText(run: { topic: string; partition: number; baseOffset: number; count: number; acks: number }): string {
  const where = run.count === 1 ? `@ ${run.baseOffset}` : `@ ${run.baseOffset}..${run.baseOffset + run.count - 1}`
  return `produced ${plural(run.count, 'record')} to ${topicPartition(run.topic, run.partition)} ${where} (acks=${acksName(run.acks)})`
}

function brokersText(brokers: readonly number[]): string {
  const sorted = [...brokers].sort((a, b) => a - b)
  return `${sorted.length === 1 ? 'broker' : 'brokers'} ${sorted.join(',')}`
}

function memberRemoval(reason: string): string {
  switch (reason) {
    case 'left':
      return 'left'
    case 'sessionTimeout':
      return 'was removed: its session timed out'
    case 'rebalanceTimeout':
      return 'was removed: it did not rejoin within the rebalance timeout'
    case 'replaced':
      return 'was replaced by a new instance (static membership)'
    case 'groupMaxSize':
      return 'was removed: the group is over group.max.size'
    default:
      return `was removed (${reason})`
  }
}
