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
  for (const g of d.groups) {
    out.push('')
    out.push(`Group ${g.groupId}  state: ${g.state}  generation: ${g.generationId}  protocol: ${g.protocol ?? '-'}  members: ${g.members.length}`)
    const owner = new Map<string, string>()
    for (const m of g.members) {
      for (const [topic, partitions] of Object.entries(m.assignment)) for (const p of partitions) owner.set(`${topic}/${p}`, m.memberId)
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
      if (!g.offsets.some((o) => o.topic === topic && o.partition === partition)) rows.push([topic, partition, '-', '-', '-', member])
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
  return out.join('\n')
}
