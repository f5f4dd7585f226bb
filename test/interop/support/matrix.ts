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

const SERVER = 'the wire server (src/wire) does not answer this client yet'
const MAGIC1 = 'kafka-go 0.2.1 writes and reads only message format v1 (Produce v2, Fetch v2); memkafka serves RecordBatch v2 only'

export const MATRIX: Record<Client, Record<Scenario, Status>> = {
  kafkajs: {
    'produce-consume': notYet(SERVER),
    group: notYet(SERVER),
    transactions: notYet(SERVER),
    admin: notYet(SERVER),
    compaction: notYet(SERVER),
    idempotent: notYet(SERVER),
    'broker-failure': notYet(SERVER),
  },
  platformatic: {
    'produce-consume': notYet(SERVER + ' (1.35.0 needs ApiVersions v3 and flexible versions)'),
    group: notYet(SERVER),
    transactions: notYet(SERVER),
    admin: notYet(SERVER),
    compaction: notYet(SERVER),
    idempotent: notYet(SERVER),
    'broker-failure': notYet(SERVER),
  },
  kcat: {
    'produce-consume': notYet(SERVER),
    group: notYet(SERVER),
    transactions: notYet(SERVER),
    admin: cannot('kcat has no admin commands (only -L metadata listing)'),
    compaction: notYet(SERVER),
    idempotent: notYet(SERVER),
    'broker-failure': notYet(SERVER),
  },
  'confluent-kafka-python': {
    'produce-consume': notYet(SERVER),
    group: notYet(SERVER),
    transactions: notYet(SERVER),
    admin: notYet(SERVER),
    compaction: notYet(SERVER),
    idempotent: notYet(SERVER),
    'broker-failure': notYet(SERVER),
  },
  'kafka-python': {
    'produce-consume': notYet(SERVER),
    group: notYet(SERVER),
    transactions: cannot('kafka-python 2.0.2 has no transactional producer'),
    admin: notYet(SERVER),
    compaction: notYet(SERVER),
    idempotent: cannot('kafka-python 2.0.2 has no idempotent producer'),
    'broker-failure': notYet(SERVER),
  },
  'confluent-kafka-go': {
    'produce-consume': notYet(SERVER),
    group: noDriver("the seeds' programs are one producer and one consumer; librdkafka's groups are driven through kcat and Python"),
    transactions: cannot('confluent-kafka-go 0.11.6 predates the transactional API (the seed transaction snippet does not compile)'),
    admin: noDriver("the seeds have no admin program; librdkafka's admin API is driven through Python"),
    compaction: noDriver("the seeds have no compaction program; the same librdkafka is driven through kcat and Python"),
    idempotent: noDriver("the seeds have no idempotent producer; the same librdkafka is driven through kcat and Python"),
    'broker-failure': noDriver("the seeds have no failover program; the same librdkafka is driven through kcat and Python"),
  },
  sarama: {
    'produce-consume': notYet(SERVER),
    group: notYet(SERVER),
    transactions: cannot('sarama 1.22.1 has no transactional producer'),
    admin: notYet(SERVER),
    compaction: notYet(SERVER),
    idempotent: notYet(SERVER),
    'broker-failure': notYet(SERVER),
  },
  'kafka-go': {
    'produce-consume': notYet(MAGIC1),
    group: notYet(MAGIC1),
    transactions: cannot('kafka-go 0.2.1 has no transactional producer'),
    admin: cannot('kafka-go 0.2.1 can create and delete topics only through a raw Conn; it has no configs, partitions or groups admin'),
    compaction: notYet(MAGIC1),
    idempotent: cannot('kafka-go 0.2.1 has no idempotent producer'),
    'broker-failure': notYet(MAGIC1),
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
