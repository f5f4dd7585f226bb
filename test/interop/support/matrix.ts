/**
 * The interop matrix: every client the suite drives against memkafka's wire server, every scenario,
 * and for each pair whether the suite runs it. This table is the single source of truth: the test
 * files read it to decide between `it` (runs), `it.todo` (memkafka does not do it yet) and a
 * `describe` entry naming why a client cannot (a skip with its reason, counted as skipped), and
 * docs/any-language.md carries the table rendered from it (test/interop/docs-table.interop.ts
 * checks that the two agree). Nothing is left out silently.
 */

export const SCENARIOS = {
  'produce-consume': 'produce and consume with keys and headers',
  group: 'consumer group: two members, a rebalance, committed offsets',
  transactions: 'transactions: a committed and an aborted one, read_committed consumer',
  admin: 'admin: create/describe/delete topics, configs, partitions, groups',
  compaction: 'compaction: keyed records and tombstones on a compacted topic',
  idempotent: 'idempotent produce under an injected retriable error',
  'broker-failure': 'acks=all produce while the partition leader fails',
} as const
export type Scenario = keyof typeof SCENARIOS

export const CLIENTS = {
  kafkajs: 'kafkajs 2.2.4 (Node)',
  platformatic: '@platformatic/kafka 1.35.0 (Node)',
  kcat: 'kcat 1.7.1 (librdkafka 2.0.2)',
  'confluent-kafka-python': 'python3-confluent-kafka 1.7.0 (librdkafka 2.0.2)',
  'kafka-python': 'python3-kafka (kafka-python) 2.0.2',
  'confluent-kafka-go': "confluent-kafka-go 0.11.6: the seeds' producer and consumer",
  sarama: 'sarama 1.22.1 (Go)',
  'kafka-go': 'segmentio kafka-go 0.2.1 (Go)',
} as const
export type Client = keyof typeof CLIENTS

/**
 * runs: in the CI suite. cannot: the client has no way to do it (the reason says what it lacks).
 * not-yet: the driver exists but memkafka's wire server does not serve what it needs yet (the
 * reason names the API/version); it is an it.todo until it works. no-driver: the suite has no
 * driver for it (the reason says why the gap is acceptable or what is missing).
 */
export type Status =
  | { readonly status: 'runs'; readonly note?: string }
  | { readonly status: 'cannot'; readonly reason: string }
  | { readonly status: 'not-yet'; readonly reason: string }
  | { readonly status: 'no-driver'; readonly reason: string }

const runs: Status = { status: 'runs' }
/** Runs, with a limit the docs table states. */
const runsBut = (note: string): Status => ({ status: 'runs', note })
const cannot = (reason: string): Status => ({ status: 'cannot', reason })
const notYet = (reason: string): Status => ({ status: 'not-yet', reason })
const noDriver = (reason: string): Status => ({ status: 'no-driver', reason })

export const MATRIX: Record<Client, Record<Scenario, Status>> = {
  kafkajs: {
    'produce-consume': runs,
    group: runs,
    transactions: runs,
    admin: runs,
    compaction: runs,
    idempotent: runs,
    'broker-failure': runs,
  },
  platformatic: {
    'produce-consume': runs,
    group: runs,
    transactions: runs,
    admin: runs,
    compaction: runs,
    idempotent: runs,
    'broker-failure': runsBut(
      'platformatic 1.35.0 retries a failed send on the leader its cached metadata names and refreshes metadata only after a Kafka stale-metadata error, not after connection errors; the driver catches the failed send, calls clearMetadata() and sends again, as an application using it must',
    ),
  },
  kcat: {
    'produce-consume': runs,
    group: runs,
    transactions: runsBut(
      'commits only: a kcat run with transactional.id is one transaction committed at end of input; it aborts only when killed, and a run killed before its input ends had not sent its records, so the aborted transaction is not driven',
    ),
    admin: cannot('kcat has no admin commands (only -L metadata listing)'),
    compaction: runs,
    idempotent: runs,
    'broker-failure': runs,
  },
  'confluent-kafka-python': {
    'produce-consume': runsBut(
      'also over SASL_SSL with PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512 (a wrong password refused; a SCRAM user made with AlterUserScramCredentials) and over SASL_PLAINTEXT with OAUTHBEARER unsecured JWTs (confluent-kafka-python-sasl.interop.ts)',
    ),
    group: runs,
    transactions: runs,
    admin: runsBut('without group deletion: the AdminClient of confluent-kafka-python 1.7.0 has no delete_groups (it came in 1.8)'),
    compaction: runs,
    idempotent: runs,
    'broker-failure': runs,
  },
  'kafka-python': {
    'produce-consume': runs,
    group: runs,
    transactions: cannot('kafka-python 2.0.2 has no transactional producer'),
    admin: runs,
    compaction: runs,
    idempotent: cannot('kafka-python 2.0.2 has no idempotent producer'),
    'broker-failure': runsBut(
      'the consumer started after the failure is given api_version: kafka-python 2.0.2 probes versions on connect and that probe can fail with "ValueError: Invalid file object: None" when a bootstrap broker refuses the connection (dpkp/kafka-python#2450)',
    ),
  },
  'confluent-kafka-go': {
    'produce-consume': runsBut("the seed's producer and consumer programs as written (value only: no keys or headers), on localhost:9092; seed 003's SASL_SSL producer and consumer against memkafka serve --security-protocol SASL_SSL"),
    group: noDriver("the seeds' programs are one producer and one consumer; librdkafka's groups are driven through kcat and Python"),
    transactions: cannot('confluent-kafka-go 0.11.6 predates the transactional API (the seed transaction snippet does not compile)'),
    admin: noDriver("the seeds have no admin program; librdkafka's admin API is driven through Python"),
    compaction: noDriver('the seeds have no compaction program; the same librdkafka is driven through kcat and Python'),
    idempotent: noDriver('the seeds have no idempotent producer; the same librdkafka is driven through kcat and Python'),
    'broker-failure': noDriver('the seeds have no failover program; the same librdkafka is driven through kcat and Python'),
  },
  sarama: {
    'produce-consume': runs,
    group: runs,
    transactions: cannot('sarama 1.22.1 has no transactional producer'),
    admin: runsBut('without group deletion: sarama 1.22.1 has no DeleteGroups call'),
    compaction: runs,
    idempotent: runs,
    'broker-failure': runs,
  },
  'kafka-go': {
    'produce-consume': runsBut('keys, no headers: kafka-go 0.2.1 writes and reads message format v1 only (Produce v2, Fetch v2; memkafka down-converts)'),
    group: runsBut('kafka-go 0.2.1 has no assignment callback: the harness waits until the group is stable with both members before more records are written'),
    transactions: cannot('kafka-go 0.2.1 has no transactional producer'),
    admin: cannot('kafka-go 0.2.1 can create and delete topics only through a raw Conn; it has no configs, partitions or groups admin'),
    compaction: runs,
    idempotent: cannot('kafka-go 0.2.1 has no idempotent producer'),
    'broker-failure': runs,
  },
}

const MARK = { runs: 'yes', cannot: 'cannot', 'not-yet': 'not yet', 'no-driver': 'no driver' } as const

/** The markdown table docs/any-language.md carries, between its interop-matrix markers. */
export function renderMatrix(): string {
  const scenarios = Object.keys(SCENARIOS) as Scenario[]
  const notes: string[] = []
  const noteOf = new Map<string, number>()
  const cell = (s: Status): string => {
    const text = s.status === 'runs' ? s.note : s.reason
    if (text === undefined) return MARK.runs
    let n = noteOf.get(text)
    if (n === undefined) {
      notes.push(text)
      n = notes.length
      noteOf.set(text, n)
    }
    return `${MARK[s.status]} [${n}]`
  }
  const lines = [`| client | ${scenarios.join(' | ')} |`, `|---|${scenarios.map(() => '---').join('|')}|`]
  for (const client of Object.keys(CLIENTS) as Client[]) {
    lines.push(`| ${CLIENTS[client]} | ${scenarios.map((s) => cell(MATRIX[client][s])).join(' | ')} |`)
  }
  lines.push('', ...scenarios.map((s) => `- **${s}**: ${SCENARIOS[s]}`), '', ...notes.map((n, i) => `[${i + 1}] ${n}`))
  return lines.join('\n')
}
