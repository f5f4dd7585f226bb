/**
 * The highest version of each client-facing API that each Apache Kafka release from 0.11 to 3.7
 * answered, for `memkafka serve --as-version X.Y` (kfake's MaxVersions): the wire server then
 * advertises no more than that release did, and leaves out the APIs it lacked, so a client
 * negotiates what it would against that release.
 *
 * Facts from Kafka's release history (each release's ApiKeys and message JSON, as franz-go's
 * pkg/kversion records them, with the KIPs that bumped them). Written as changes: each release
 * lists the APIs it added or raised, with their new maximum. Inter-broker APIs (LeaderAndIsr,
 * StopReplica, UpdateMetadata, ControlledShutdown, WriteTxnMarkers, AlterPartition, Envelope,
 * AllocateProducerIds) are left out: memkafka answers none of them.
 */

interface Release {
  readonly version: string
  /** API key -> its highest version in this release, for every key added or bumped since the previous release. */
  readonly changes: Readonly<Record<number, number>>
}

const releases: readonly Release[] = [
  {
    // KIP-98 (transactions, idempotence), KIP-107 (DeleteRecords), KIP-124 (throttle times),
    // KIP-133 (configs), KIP-140 (ACLs); the first release whose brokers write record batches v2.
    version: '0.11',
    changes: {
      0: 3, 1: 5, 2: 2, 3: 4, 8: 3, 9: 3, 10: 1, 11: 2, 12: 1, 13: 1, 14: 1, 15: 1, 16: 1, 17: 0, 18: 1, 19: 2, 20: 1,
      21: 0, 22: 0, 23: 0, 24: 0, 25: 0, 26: 0, 28: 0, 29: 0, 30: 0, 31: 0, 32: 0, 33: 0,
    },
  },
  // KIP-112 (JBOD), KIP-152 (SaslAuthenticate), KIP-113 (log dirs), KIP-195 (CreatePartitions).
  { version: '1.0', changes: { 0: 5, 1: 6, 3: 5, 17: 1, 34: 0, 35: 0, 36: 0, 37: 0 } },
  // KIP-48 (delegation tokens), KIP-229 (DeleteGroups), KIP-227 (fetch sessions), KIP-226.
  { version: '1.1', changes: { 1: 7, 32: 1, 38: 0, 39: 0, 40: 0, 41: 0, 42: 0 } },
  // KIP-219 (throttle time before the response) bumped nearly every API; KIP-290, KIP-279.
  {
    version: '2.0',
    changes: {
      0: 6, 1: 8, 2: 3, 3: 6, 8: 4, 9: 4, 10: 2, 11: 3, 12: 2, 13: 2, 14: 2, 15: 2, 16: 2, 18: 2, 19: 3, 20: 2, 21: 1, 22: 1,
      23: 1, 24: 1, 25: 1, 26: 1, 28: 1, 29: 1, 30: 1, 31: 1, 32: 2, 33: 1, 34: 1, 35: 1, 37: 1, 38: 1, 39: 1, 40: 1, 41: 1, 42: 1,
    },
  },
  // KIP-211, KIP-322, KIP-320 (leader epochs in fetches), KIP-110 (zstd).
  { version: '2.1', changes: { 0: 7, 1: 10, 2: 4, 3: 7, 8: 6, 9: 5, 20: 3, 23: 2, 28: 2 } },
  // KIP-207, KIP-394 (MEMBER_ID_REQUIRED), KIP-368, KIP-183 (ElectLeaders).
  { version: '2.2', changes: { 2: 5, 11: 4, 36: 1, 43: 0 } },
  // KIP-430, KIP-392 (fetch from followers), KIP-345 (static membership), KIP-339.
  { version: '2.3', changes: { 1: 11, 3: 8, 8: 7, 11: 5, 12: 3, 14: 3, 15: 3, 23: 3, 44: 0 } },
  // KIP-482: flexible versions, which bumped every API then in the process of it; KIP-455,
  // KIP-496 (OffsetDelete), KIP-464, KIP-460, KIP-467, KIP-511 (ApiVersions v3).
  {
    version: '2.4',
    changes: {
      0: 8, 3: 9, 8: 8, 9: 6, 10: 3, 11: 6, 12: 4, 13: 4, 14: 4, 15: 5, 16: 3, 18: 3, 19: 5, 20: 4, 22: 2, 38: 2, 42: 2, 43: 2, 44: 1,
      45: 0, 46: 0, 47: 0,
    },
  },
  // KIP-360 (producer epoch bumps), KIP-447 (EOS for consumer groups), KIP-559, more of KIP-482.
  { version: '2.5', changes: { 9: 7, 11: 7, 14: 5, 22: 3, 28: 3, 29: 2, 30: 2, 31: 2, 36: 2, 37: 2, 39: 2, 40: 2, 41: 2 } },
  // KIP-546 (client quotas), KIP-518, KIP-569.
  { version: '2.6', changes: { 16: 4, 21: 2, 32: 3, 35: 2, 48: 0, 49: 0 } },
  // KIP-599, KIP-588, KIP-554 (SCRAM credentials), KIP-595 (flexible Fetch), KIP-584 (features).
  { version: '2.7', changes: { 1: 12, 19: 6, 20: 5, 22: 4, 24: 2, 25: 2, 26: 2, 37: 3, 50: 0, 51: 0, 57: 0 } },
  // KIP-482 for the rest, KIP-516 (topic ids), KIP-700 (DescribeCluster), KIP-664.
  {
    version: '2.8',
    changes: { 0: 9, 2: 6, 3: 11, 19: 7, 20: 6, 23: 4, 24: 3, 25: 3, 26: 3, 32: 4, 33: 2, 34: 2, 48: 1, 49: 1, 60: 0, 61: 0 },
  },
  // KIP-664 (Describe/ListTransactions), KIP-734, KIP-699 (batched FindCoordinator), KIP-709.
  { version: '3.0', changes: { 2: 7, 9: 8, 10: 4, 65: 0, 66: 0 } },
  // KIP-516: fetch and metadata by topic id.
  { version: '3.1', changes: { 1: 13, 3: 12 } },
  // KIP-800 (join/leave reasons), KIP-784, KIP-814.
  { version: '3.2', changes: { 11: 9, 13: 5, 35: 3 } },
  // KIP-778, KIP-827, KIP-373.
  { version: '3.3', changes: { 29: 3, 30: 3, 31: 3, 35: 4, 38: 3, 41: 3, 57: 1 } },
  // Only inter-broker APIs changed.
  { version: '3.4', changes: {} },
  // KIP-405 (tiered storage), KIP-903.
  { version: '3.5', changes: { 1: 15, 2: 8 } },
  // KIP-890 (part 1).
  { version: '3.6', changes: { 24: 4 } },
  // KIP-951 (leader discovery), KIP-848 (the new consumer protocol, early access), KIP-919.
  { version: '3.7', changes: { 0: 10, 1: 16, 8: 9, 9: 9, 60: 1, 68: 0 } },
]

/** The releases known to --as-version, oldest first ("0.11", "1.0", ..., "3.7"). */
export const knownKafkaVersions: readonly string[] = releases.map((r) => r.version)

/** Every release's full table, built from the changes on first use (only --as-version needs them). */
let tables: ReadonlyMap<string, ReadonlyMap<number, number>> | undefined

function releaseTables(): ReadonlyMap<string, ReadonlyMap<number, number>> {
  if (tables !== undefined) return tables
  const out = new Map<string, ReadonlyMap<number, number>>()
  let current = new Map<number, number>()
  for (const release of releases) {
    current = new Map(current)
    for (const [key, max] of Object.entries(release.changes)) current.set(Number(key), max)
    out.set(release.version, current)
  }
  tables = out
  return out
}

export class UnknownKafkaVersionError extends Error {
  constructor(asked: string) {
    super(`Unknown Kafka version "${asked}" for --as-version; known versions: ${knownKafkaVersions.join(', ')}`)
    this.name = 'UnknownKafkaVersionError'
  }
}

/**
 * The release named by "X.Y" (a patch level, "2.4.1", is accepted and ignored: patch releases
 * do not change API versions).
 */
export function kafkaRelease(asked: string): string {
  const match = /^(\d+)\.(\d+)(?:\.\d+)?$/.exec(asked.trim())
  const version = match ? `${Number(match[1])}.${Number(match[2])}` : undefined
  if (version === undefined || !releaseTables().has(version)) throw new UnknownKafkaVersionError(asked)
  return version
}

/** API key -> highest version in that release; a key missing from the map did not exist in it. */
export function maxVersionsOf(asked: string): ReadonlyMap<number, number> {
  return releaseTables().get(kafkaRelease(asked))!
}
