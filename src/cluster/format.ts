/**
 * cluster.format(): the snapshot of describe() as text tables, for people.
 */
import type { ClusterDescription } from './describe.js'

function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map(String))]
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)))
  const line = (r: string[]): string => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()
  return [line(cells[0]!), line(widths.map((w) => '-'.repeat(w))), ...cells.slice(1).map(line)].join('\n')
}

const list = (ids: number[]): string => (ids.length === 0 ? '-' : ids.join(','))

// kafkajs member ids are `${clientId}-${uuid}` (GroupCoordinator: groupInstanceId or clientId, a dash, a UUID).
const MEMBER_ID = /^(.*)-([0-9a-f]{8})-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/**
 * Readable names for member ids: the client id alone when no other id in `ids` has the same
 * one, else the client id and the UUID's first 8 digits (a consumer that restarted under the
 * same client id is a new member). Ids of another shape are kept whole.
 */
export function shortMemberIds(ids: Iterable<string>): Map<string, string> {
  const unique = [...new Set(ids)]
  const prefixCount = new Map<string, number>()
  for (const id of unique) {
    const prefix = MEMBER_ID.exec(id)?.[1]
    if (prefix !== undefined) prefixCount.set(prefix, (prefixCount.get(prefix) ?? 0) + 1)
  }
  const names = new Map<string, string>()
  for (const id of unique) {
    const match = MEMBER_ID.exec(id)
    if (!match) names.set(id, id)
    else names.set(id, prefixCount.get(match[1]!) === 1 && match[1] !== '' ? match[1]! : `${match[1]}-${match[2]}`)
  }
  return names
}

export function formatCluster(d: ClusterDescription): string {
  const out: string[] = []
  out.push(`Cluster ${d.clusterId}  controller: broker ${d.controllerId}`)
  out.push('')
  out.push(
    table(
      ['BROKER', 'ADDRESS', 'RACK', 'STATUS'],
      d.brokers.map((b) => [
        b.id,
        `${b.host}:${b.port}`,
        b.rack ?? '-',
        (!b.running ? 'stopped' : b.isolated ? 'isolated' : 'up') + (b.running && !b.alive ? ', fenced' : '') + (b.isController ? ' (controller)' : ''),
      ]),
    ),
  )
  out.push('')
  if (d.topics.length === 0) {
    out.push('No topics.')
  } else {
    const rows: (string | number)[][] = []
    for (const t of d.topics) {
      for (const p of t.partitions) {
        rows.push([
          t.name,
          p.partition,
          p.leader === -1 ? 'none' : p.leader,
          p.leaderEpoch,
          list(p.replicas),
          list(p.isr),
          p.logStartOffset,
          p.lastStableOffset,
          p.highWatermark,
          p.logEndOffset,
          p.replicaStates.map((r) => `${r.brokerId}:${r.logEndOffset}${r.inSync ? '' : '*'}`).join(' '),
        ])
      }
    }
    out.push(table(['TOPIC', 'PARTITION', 'LEADER', 'EPOCH', 'REPLICAS', 'ISR', 'LOG-START', 'LSO', 'HW', 'LEO', 'REPLICA-LEOS'], rows))
  }
  const highWatermarks = new Map<string, number>()
  for (const t of d.topics) for (const p of t.partitions) highWatermarks.set(`${t.name}/${p.partition}`, p.highWatermark)
  for (const g of d.groups) {
    out.push('')
    out.push(`Group ${g.groupId}  state: ${g.state}  generation: ${g.generationId}  protocol: ${g.protocol ?? '-'}  members: ${g.members.length}`)
    const names = shortMemberIds(g.members.map((m) => m.memberId))
    const nameOf = (memberId: string): string => names.get(memberId) ?? memberId
    // Who owns what, member by member: a member beyond the partition count owns nothing and
    // sits idle, which the per-partition rows below cannot show.
    if (g.members.length > 0) {
      out.push(
        table(
          ['MEMBER', 'CLIENT-ID', 'ASSIGNMENT'],
          g.members.map((m) => {
            const owned = Object.entries(m.assignment).filter(([, partitions]) => partitions.length > 0)
            const assignment = owned.map(([topic, partitions]) => `${topic}: ${[...partitions].sort((a, b) => a - b).join(',')}`).join('; ')
            return [nameOf(m.memberId) + (m.memberId === g.leader ? ' (leader)' : ''), m.clientId, assignment || '- (idle)']
          }),
        ),
      )
    }
    const owner = new Map<string, string>()
    for (const m of g.members) {
      for (const [topic, partitions] of Object.entries(m.assignment)) for (const p of partitions) owner.set(`${topic}/${p}`, nameOf(m.memberId))
    }
    const rows: (string | number)[][] = g.offsets.map((o) => [
      o.topic,
      o.partition,
      o.committedOffset,
      o.highWatermark,
      o.lag ?? '-',
      owner.get(`${o.topic}/${o.partition}`) ?? '-',
    ])
    for (const [key, member] of owner) {
      const [topic, partition] = [key.slice(0, key.lastIndexOf('/')), Number(key.slice(key.lastIndexOf('/') + 1))]
      // Owned but never committed: the log's high watermark is known, the lag is not (the
      // position is the member's own, until it commits), as kafka-consumer-groups.sh shows it.
      if (!g.offsets.some((o) => o.topic === topic && o.partition === partition)) rows.push([topic, partition, '-', highWatermarks.get(key) ?? '-', '-', member])
    }
    rows.sort((a, b) => String(a[0]).localeCompare(String(b[0])) || Number(a[1]) - Number(b[1]))
    if (rows.length > 0) out.push(table(['TOPIC', 'PARTITION', 'COMMITTED', 'HW', 'LAG', 'MEMBER'], rows))
  }
  if (d.transactions.length > 0) {
    out.push('')
    out.push(
      table(
        ['TRANSACTIONAL-ID', 'PRODUCER', 'EPOCH', 'STATE', 'PARTITIONS', 'GROUPS'],
        d.transactions.map((t) => [
          t.transactionalId,
          t.producerId,
          t.producerEpoch,
          t.state,
          t.partitions.map((p) => `${p.topic}-${p.partition}`).join(',') || '-',
          t.groups.join(',') || '-',
        ]),
      ),
    )
  }
  if (d.security) {
    const sec = d.security
    out.push('')
    out.push(`Security: listeners ${sec.listeners.map((l) => `${l.name} (${l.securityProtocol})`).join(', ')}; SASL ${sec.saslMechanisms.join(', ')}; authorizer ${sec.authorizer ? 'on' : 'off'}${sec.superUsers.length > 0 ? `; super users ${sec.superUsers.join(', ')}` : ''}`)
    if (sec.users.length > 0) {
      out.push(table(['USER', 'PLAIN', 'SCRAM'], sec.users.map((u) => [u.name, u.plain ? 'yes' : 'no', u.scram.map((c) => `${c.mechanism} (${c.iterations})`).join(', ') || '-'])))
    }
    out.push(sec.acls.length > 0 ? ['ACLs:', ...sec.acls.map((a) => `  ${a}`)].join('\n') : 'No ACLs.')
  }
  return out.join('\n')
}
