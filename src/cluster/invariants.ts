/**
 * cluster.checkInvariants(): the white-box invariants of KAFKA-SEMANTICS.md, checked on the
 * whole cluster at once. Each broken one is reported with the partition, the replicas and the
 * offsets that show it; all are collected before throwing so one report tells everything.
 *
 *   1. The leader is in the ISR.
 *   2. Every ISR member holds the same records (offset, leader epoch) below the high watermark.
 *   3. Any two replicas agree below the smaller of their high watermarks (log matching).
 *   4. The committed high watermark never decreases (except through an unclean election, or a
 *      crash that lost unflushed records the leader had committed: stopBroker loseUnflushed).
 *   5. logStartOffset <= LSO <= HW <= LEO on the leader (a crashed one's log may end below the HW
 *      it had: it restarts from its log end).
 *   6. No partition is assigned to two members of one group in one generation.
 */
import type { Broker } from './broker.js'
import type { GroupCoordinator } from './group/group-coordinator.js'
import type { PartitionLog } from './log/partition-log.js'
import type { Partition } from './partition/partition.js'
import { readAssignment } from './metadata/consumer-protocol.js'
import { shareClassIdentity } from './shared-identity.js'

/**
 * What the invariant check reads of the cluster: every partition, whether each broker runs, and
 * the groups. ClusterModel provides it; the check does not depend on ClusterModel itself.
 */
export interface InvariantSource {
  readonly groups: Pick<GroupCoordinator, 'snapshot'>
  broker(id: number): Broker | undefined
  allPartitions(): Partition[]
}

export class InvariantViolation extends Error {
  readonly violations: string[]

  constructor(violations: string[]) {
    super(`${violations.length} invariant violation(s):\n- ${violations.join('\n- ')}`)
    this.name = 'InvariantViolation'
    this.violations = violations
  }
}

shareClassIdentity({ InvariantViolation })

interface BatchSpan {
  readonly baseOffset: number
  readonly lastOffset: number
  readonly epoch: number
}

/** The offset span and leader epoch of each batch ending below `limit`, from the log start. */
function spansBelow(log: PartitionLog, limit: number): BatchSpan[] {
  const out: BatchSpan[] = []
  for (const segment of log.allSegments) {
    for (const b of segment.batches) {
      if (b.lastOffset >= limit) return out
      if (b.lastOffset < log.logStartOffset) continue
      out.push({ baseOffset: b.baseOffset, lastOffset: b.lastOffset, epoch: b.partitionLeaderEpoch })
    }
  }
  return out
}

/**
 * Where two replicas' logs disagree: a pair of batches covering a common offset with different
 * leader epochs, or batch boundaries that cross. Each replica compacts and deletes on its own,
 * so a batch one side no longer has is not a disagreement (offsets never move).
 */
function disagreement(a: BatchSpan[], b: BatchSpan[]): string | undefined {
  let j = 0
  for (const x of a) {
    while (j < b.length && b[j]!.lastOffset < x.baseOffset) j++
    for (let k = j; k < b.length && b[k]!.baseOffset <= x.lastOffset; k++) {
      const y = b[k]!
      if (x.epoch !== y.epoch) return `offsets ${Math.max(x.baseOffset, y.baseOffset)}..${Math.min(x.lastOffset, y.lastOffset)} were written in leader epoch ${x.epoch} on one and ${y.epoch} on the other`
      if (x.baseOffset !== y.baseOffset || x.lastOffset !== y.lastOffset) return `batch ${x.baseOffset}-${x.lastOffset} on one overlaps batch ${y.baseOffset}-${y.lastOffset} on the other`
    }
  }
  return undefined
}

function checkPartition(cluster: InvariantSource, p: Partition, violations: string[]): void {
  const name = `${p.topic}-${p.index}`
  if (p.leader !== -1 && !p.isr.includes(p.leader)) violations.push(`(1) ${name}: leader ${p.leader} is not in the ISR [${p.isr}]`)
  if (p.leader !== -1) {
    const leaderLog = p.log
    const hw = p.highWatermark
    const expected = spansBelow(leaderLog, hw)
    for (const id of p.isr) {
      if (id === p.leader) continue
      const replica = p.replica(id)
      // A stopped broker is still listed in the ISR until the controller fences it; what it
      // lost in a crash is not served to anyone and is repaired when it returns (a restarted one
      // serves nothing either while it waits out its old session).
      const broker = cluster.broker(id)
      if (!replica || !broker?.running || broker.registering) continue
      const diff = disagreement(expected, spansBelow(replica.log, hw))
      if (replica.logEndOffset < hw) violations.push(`(2) ${name}: ISR member ${id} ends at ${replica.logEndOffset}, below the high watermark ${hw}`)
      else if (diff) violations.push(`(2) ${name}: ISR member ${id} differs from leader ${p.leader} below HW ${hw}: ${diff}`)
    }
  }
  const replicas = p.allReplicas()
  for (let i = 0; i < replicas.length; i++) {
    for (let j = i + 1; j < replicas.length; j++) {
      const a = replicas[i]!
      const b = replicas[j]!
      // After an unclean election (or a crash that lost committed records) an out-of-sync
      // replica's divergent records are the documented loss; it truncates them when it returns.
      if ((p.uncleanElections > 0 || p.committedLosses > 0) && (!p.isr.includes(a.brokerId) || !p.isr.includes(b.brokerId))) continue
      const limit = Math.min(a.highWatermark, b.highWatermark, a.logEndOffset, b.logEndOffset)
      const diff = disagreement(spansBelow(a.log, limit), spansBelow(b.log, limit))
      if (diff) violations.push(`(3) ${name}: replicas ${a.brokerId} and ${b.brokerId} disagree below ${limit}: ${diff}`)
    }
  }
  if (p.uncleanElections === 0 && p.committedLosses === 0 && p.highWatermark < p.maxHighWatermark) {
    violations.push(`(4) ${name}: the high watermark went back from ${p.maxHighWatermark} to ${p.highWatermark} without an unclean election or a crash losing unflushed records`)
  }
  const { logStartOffset, lastStableOffset, highWatermark, logEndOffset } = p
  // The offsets as the leader serves them: a leader that crashed (or is offline) serves nothing,
  // and one that lost unflushed records restarts from its log end (Partition.setLeader).
  const leaderBroker = cluster.broker(p.leader)
  const serving = leaderBroker !== undefined && leaderBroker.running && !leaderBroker.registering
  const lostInCrash = !serving && highWatermark > logEndOffset
  if (!lostInCrash && !(logStartOffset <= lastStableOffset && lastStableOffset <= highWatermark && highWatermark <= logEndOffset)) {
    violations.push(`(5) ${name}: logStartOffset ${logStartOffset} <= LSO ${lastStableOffset} <= HW ${highWatermark} <= LEO ${logEndOffset} does not hold`)
  }
}

export function collectViolations(cluster: InvariantSource): string[] {
  const violations: string[] = []
  for (const p of cluster.allPartitions()) checkPartition(cluster, p, violations)
  for (const g of cluster.groups.snapshot()) {
    if (g.state !== 'Stable' && g.state !== 'CompletingRebalance') continue
    const owner = new Map<string, string>()
    for (const m of g.members) {
      for (const [topic, partitions] of Object.entries(readAssignment(m.assignment))) {
        for (const partition of partitions) {
          const key = `${topic}-${partition}`
          const other = owner.get(key)
          if (other) violations.push(`(6) group ${g.groupId} generation ${g.generationId}: ${key} is assigned to both ${other} and ${m.memberId}`)
          else owner.set(key, m.memberId)
        }
      }
    }
  }
  return violations
}

export function checkInvariants(cluster: InvariantSource): void {
  const violations = collectViolations(cluster)
  if (violations.length > 0) throw new InvariantViolation(violations)
}
