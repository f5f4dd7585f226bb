/**
 * The flexible versions (KIP-482) of the producing, consuming and group APIs, judged by
 * @platformatic/kafka 1.35's own per-version encoders and decoders (the versions it sends on
 * Node 20): its createRequest writes the request body, our codec decodes it, the mapping
 * answers it against a real cluster, our codec encodes the response and its parseResponse
 * reads it (throwing its ResponseError when a response carries an error code).
 */
import * as platformatic from '@platformatic/kafka'
import { describe, it, expect } from 'vitest'
import { ErrorCode } from '../../../src/cluster/error-codes.js'
import { decodeMessage, encodeMessageToBuffer } from '../../../src/wire/protocol/codec.js'
import { Reader } from '../../../src/wire/protocol/reader.js'
import { apiOf, contextFor, createTopic, groupCoordinator, newCluster, subscription, assignment } from './oracle.js'

type Cluster = ReturnType<typeof newCluster>

interface Exchange {
  readonly response: any
  readonly error: any
}

/** One exchange through platformatic's module `name` ("joinGroupV9"), called with `args`. */
async function viaPlatformatic(key: number, name: string, version: number, args: unknown[], cluster: Cluster, brokerId = 0): Promise<Exchange> {
  const module = (platformatic as any)[name]
  const body: Buffer = module.createRequest(...args).buffer
  const { api, schema } = apiOf(key)
  const reader = new Reader(body)
  const decoded = decodeMessage(schema.request, version, reader)
  expect(reader.remaining(), `${name}: request bytes left after decoding`).toBe(0)
  const answer = await api.handle(decoded, contextFor(cluster, version, brokerId))
  const bytes = encodeMessageToBuffer(schema.response, version, answer!)
  try {
    return { response: module.parseResponse(1, key, version, platformatic.Reader.from(bytes)), error: undefined }
  } catch (error) {
    return { response: (error as any).response, error }
  }
}

function errorCodes(error: any): number[] {
  return (error?.errors ?? []).map((e: any) => e.apiCode ?? e.errorCode ?? e.code)
}

describe('@platformatic/kafka 1.35 encoders and decoders at the flexible versions', () => {
  // Not v11: platformatic 1.35 still writes IncludeClusterAuthorizedOperations there, which
  // Kafka dropped at v11 (it never sends v11 to a broker that has v12).
  for (const version of [9, 10, 12]) {
    it(`Metadata v${version}: brokers, topic ids${version >= 10 ? '' : ' (none below v10)'}, leaders`, async () => {
      const cluster = newCluster()
      await createTopic(cluster, 'm', { partitions: 2, replicationFactor: 3 })
      const args = [['m'], false, true]
      const { response, error } = await viaPlatformatic(3, `metadataV${version}`, version, args, cluster)
      expect(error).toBeUndefined()
      expect(response.brokers.map((b: any) => [b.nodeId, b.host, b.port])).toEqual([0, 1, 2].map((id) => [id, 'localhost', 19092 + id]))
      const topic = response.topics[0]
      expect(topic.name).toBe('m')
      if (version >= 10) expect(topic.topicId).toBe(cluster.controller.topic('m')!.topicId)
      expect(topic.partitions.map((p: any) => p.leaderId)).toEqual(cluster.controller.topic('m')!.partitions.map((p) => p.leader))
    })
  }

  it('Produce v9-10 then Fetch v12-16 by topic id: the records come back with keys, values, headers and timestamps', async () => {
    const cluster = newCluster({ brokers: 1 })
    await createTopic(cluster, 'p')
    for (const version of [9, 10]) {
      const messages = [0, 1].map((i) => ({ topic: 'p', partition: 0, key: Buffer.from(`k${i}`), value: Buffer.from(`v${version}-${i}`), headers: new Map([[Buffer.from('h'), Buffer.from(`x${i}`)]]), timestamp: 1_700_000_000_000n + BigInt(i) }))
      const { response, error } = await viaPlatformatic(0, `produceV${version}`, version, [-1, 1000, messages], cluster)
      expect(error).toBeUndefined()
      expect(response.responses[0].partitionResponses[0]).toMatchObject({ index: 0, errorCode: 0, baseOffset: version === 9 ? 0n : 2n })
    }
    const topicId = cluster.controller.topic('p')!.topicId
    for (const version of [12, 13, 14, 15, 16]) {
      // platformatic's v12 encoder writes the topic name from the topicId property.
      const topics = [{ topicId: version >= 13 ? topicId : 'p', partitions: [{ partition: 0, currentLeaderEpoch: -1, fetchOffset: 0n, lastFetchedEpoch: -1, partitionMaxBytes: 1 << 20 }] }]
      const args = [0, 1, 1 << 20, 1, 0, -1, topics, [], '']
      const { response, error } = await viaPlatformatic(1, `fetchV${version}`, version, args, cluster)
      expect(error, `fetch v${version}`).toBeUndefined()
      const p = response.responses[0].partitions[0]
      expect(p.highWatermark).toBe(4n)
      const records = p.records.flatMap((batch: any) => batch.records.map((r: any) => [batch.firstOffset + BigInt(r.offsetDelta), r.key.toString(), r.value.toString(), r.headers[0][1].toString(), batch.firstTimestamp + r.timestampDelta]))
      expect(records).toEqual([
        [0n, 'k0', 'v9-0', 'x0', 1_700_000_000_000n],
        [1n, 'k1', 'v9-1', 'x1', 1_700_000_000_001n],
        [2n, 'k0', 'v10-0', 'x0', 1_700_000_000_000n],
        [3n, 'k1', 'v10-1', 'x1', 1_700_000_000_001n],
      ])
    }
  })

  for (const version of [6, 7, 8]) {
    it(`ListOffsets v${version}: latest, earliest and by timestamp, with the leader epoch`, async () => {
      const cluster = newCluster({ brokers: 1 })
      await createTopic(cluster, 'l')
      await cluster.send(0, { api: 'Produce', acks: 1, timeoutMs: 1000, topics: [{ name: 'l', partitions: [{ index: 0, records: [10, 20, 30].map((timestamp) => ({ key: null, value: Buffer.from('x'), timestamp })) }] }] })
      const topics = [{ name: 'l', partitions: [-1n, -2n, 15n].map((timestamp) => ({ partitionIndex: 0, currentLeaderEpoch: -1, timestamp })) }]
      const { response, error } = await viaPlatformatic(2, `listOffsetsV${version}`, version, [-1, 0, topics], cluster)
      expect(error).toBeUndefined()
      expect(response.topics[0].partitions.map((p: any) => [p.offset, p.timestamp])).toEqual([
        [3n, -1n],
        [0n, -1n],
        [1n, 20n],
      ])
      expect(response.topics[0].partitions[0].leaderEpoch).toBe(cluster.controller.topic('l')!.partitions[0]!.leaderEpoch)
    })
  }

  it('FindCoordinator v4, JoinGroup v6-9, SyncGroup v4-5, Heartbeat v4, OffsetCommit v8-9, OffsetFetch v8-9, DescribeGroups v5, ListGroups v4, LeaveGroup v4-5', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 'g', { partitions: 2, replicationFactor: 3 })
    const found = await viaPlatformatic(10, 'findCoordinatorV4', 4, [0, ['grp']], cluster)
    expect(found.error).toBeUndefined()
    const coordinator = groupCoordinator(cluster, 'grp')
    expect(found.response.coordinators).toEqual([expect.objectContaining({ key: 'grp', nodeId: coordinator, host: 'localhost', port: 19092 + coordinator, errorCode: 0 })])

    let generation = 0
    let memberId = ''
    for (const version of [6, 7, 8, 9]) {
      const join = (id: string) => viaPlatformatic(11, `joinGroupV${version}`, version, ['grp', 10_000, 30_000, id, null, 'consumer', [{ name: 'range', metadata: subscription(['g']) }], 'test'], cluster, coordinator)
      let joined = await join(memberId)
      if (memberId === '') {
        expect(errorCodes(joined.error)).toEqual([ErrorCode.MEMBER_ID_REQUIRED])
        memberId = joined.response.memberId
        joined = await join(memberId)
      }
      expect(joined.error).toBeUndefined()
      generation = joined.response.generationId
      expect(joined.response).toMatchObject({ leader: memberId, memberId, protocolName: 'range' })
      if (version >= 7) expect(joined.response.protocolType).toBe('consumer')
      const syncVersion = version >= 8 ? 5 : 4
      const synced = await viaPlatformatic(14, `syncGroupV${syncVersion}`, syncVersion, ['grp', generation, memberId, null, 'consumer', 'range', [{ memberId, assignment: assignment({ g: [0, 1] }) }]], cluster, coordinator)
      expect(synced.error).toBeUndefined()
      expect(Buffer.from(synced.response.assignment)).toEqual(assignment({ g: [0, 1] }))
    }
    expect((await viaPlatformatic(12, 'heartbeatV4', 4, ['grp', generation, memberId, null], cluster, coordinator)).error).toBeUndefined()
    const stale = await viaPlatformatic(12, 'heartbeatV4', 4, ['grp', generation - 1, memberId, null], cluster, coordinator)
    expect(errorCodes(stale.error)).toEqual([ErrorCode.ILLEGAL_GENERATION])

    for (const version of [8, 9]) {
      const committed = await viaPlatformatic(8, `offsetCommitV${version}`, version, ['grp', generation, memberId, null, [{ name: 'g', partitions: [{ partitionIndex: 0, committedOffset: BigInt(version * 10), committedLeaderEpoch: -1, committedMetadata: `m${version}` }] }]], cluster, coordinator)
      expect(committed.error).toBeUndefined()
      const groups = version === 9 ? [{ groupId: 'grp', memberId, memberEpoch: generation, topics: [{ name: 'g', partitionIndexes: [0, 1] }] }] : [{ groupId: 'grp', topics: [{ name: 'g', partitionIndexes: [0, 1] }] }]
      const fetched = await viaPlatformatic(9, `offsetFetchV${version}`, version, [groups, true], cluster, coordinator)
      expect(fetched.error).toBeUndefined()
      expect(fetched.response.groups[0].topics[0].partitions.map((p: any) => [p.partitionIndex, p.committedOffset, p.metadata])).toEqual([
        [0, BigInt(version * 10), `m${version}`],
        [1, -1n, ''],
      ])
    }

    const described = await viaPlatformatic(15, 'describeGroupsV5', 5, [['grp'], false], cluster, coordinator)
    expect(described.error).toBeUndefined()
    expect(described.response.groups[0]).toMatchObject({ groupId: 'grp', groupState: 'Stable', protocolType: 'consumer', protocolData: 'range', authorizedOperations: -2147483648 })
    expect(described.response.groups[0].members[0]).toMatchObject({ memberId, clientId: 'oracle', clientHost: '/127.0.0.1' })
    const listed = await viaPlatformatic(16, 'listGroupsV4', 4, [['Stable']], cluster, coordinator)
    expect(listed.response.groups).toEqual([{ groupId: 'grp', protocolType: 'consumer', groupState: 'Stable' }])

    const left = await viaPlatformatic(13, 'leaveGroupV5', 5, ['grp', [{ memberId, groupInstanceId: null, reason: 'done' }]], cluster, coordinator)
    expect(left.error).toBeUndefined()
    expect(left.response.members).toEqual([{ memberId, groupInstanceId: null, errorCode: 0 }])
    const leftAgain = await viaPlatformatic(13, 'leaveGroupV4', 4, ['grp', [{ memberId, groupInstanceId: null }]], cluster, coordinator)
    expect(errorCodes(leftAgain.error)).toEqual([ErrorCode.UNKNOWN_MEMBER_ID])
  })

  it('OffsetForLeaderEpoch v4: the current epoch ends at the log end', async () => {
    const cluster = newCluster({ brokers: 1 })
    await createTopic(cluster, 'e')
    await cluster.send(0, { api: 'Produce', acks: 1, timeoutMs: 1000, topics: [{ name: 'e', partitions: [{ index: 0, records: [{ key: null, value: Buffer.from('x') }] }] }] })
    const epoch = cluster.controller.topic('e')!.partitions[0]!.leaderEpoch
    const { response, error } = await viaPlatformatic(23, 'offsetForLeaderEpochV4', 4, [-1, [{ name: 'e', partitions: [{ partitionIndex: 0, currentLeaderEpoch: epoch, leaderEpoch: epoch }] }]], cluster)
    expect(error).toBeUndefined()
    expect(response.topics[0].partitions[0]).toMatchObject({ errorCode: 0, leaderEpoch: epoch, endOffset: 1n })
  })
})
