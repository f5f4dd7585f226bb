import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { metadata } from '../../../src/wire/messages/03-metadata.js'
import { decodeMessage, encodeMessageToBuffer } from '../../../src/wire/protocol/codec.js'
import { Reader } from '../../../src/wire/protocol/reader.js'
import { messageArbitrary } from '../protocol/arbitrary-message.js'
import { decodeKafkajsRequest, kafkajsDecodesResponse, kafkajsRequest } from './kafkajs-oracle.js'

describe('MetadataRequest v0-6 from kafkajs', () => {
  for (let version = 0; version <= 6; version++) {
    it(`v${version}: decodes byte for byte`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(fc.string({ minLength: 1, maxLength: 12 }), { maxLength: 4 }), fc.boolean(), async (topics, allowAutoTopicCreation) => {
          const { body } = await decodeKafkajsRequest(metadata, kafkajsRequest('metadata', version)({ topics, allowAutoTopicCreation }))
          // kafkajs writes an empty list as null from v1 on: "all topics".
          if (version >= 1 && topics.length === 0) expect(body.topics).toBeNull()
          else expect((body.topics as { name: string }[]).map((t) => t.name)).toEqual(topics)
          expect(body.allowAutoTopicCreation).toBe(version >= 4 ? allowAutoTopicCreation : true)
        }),
        { numRuns: 15 },
      )
    })
  }

  it('reads a null topic list (all topics) from v1 on, and refuses one at v0', () => {
    expect(decodeMessage(metadata.request, 1, new Reader(Buffer.from('ffffffff', 'hex'))).topics).toBeNull()
    expect(() => decodeMessage(metadata.request, 0, new Reader(Buffer.from('ffffffff', 'hex')))).toThrow()
    // v9+ (flexible): a compact null array is a single 0 byte, then the booleans and tags.
    const v9 = decodeMessage(metadata.request, 9, new Reader(Buffer.from('00' + '01' + '00' + '00' + '00', 'hex')))
    expect(v9).toMatchObject({ topics: null, allowAutoTopicCreation: true, includeClusterAuthorizedOperations: false, includeTopicAuthorizedOperations: false })
    // v12: topics by id with a null name.
    const v12 = encodeMessageToBuffer(metadata.request, 12, { topics: [{ topicId: '01234567-89ab-cdef-0123-456789abcdef', name: null }], allowAutoTopicCreation: false, includeTopicAuthorizedOperations: false })
    expect(v12.toString('hex')).toBe('02' + '0123456789abcdef0123456789abcdef' + '00' + '00' + '00' + '00' + '00')
  })
})

describe('MetadataResponse v0-6 read by kafkajs', () => {
  for (let version = 0; version <= 6; version++) {
    it(`v${version}: kafkajs reads brokers, cluster and controller ids, topics and partitions`, async () => {
      await fc.assert(
        fc.asyncProperty(messageArbitrary(metadata.response, version), async (m) => {
          const theirs = await kafkajsDecodesResponse(metadata, 'metadata', version, m)
          type Broker = { nodeId: number; host: string; port: number; rack: string | null }
          type Partition = { errorCode: number; partitionIndex: number; leaderId: number; replicaNodes: number[]; isrNodes: number[]; offlineReplicas: number[] }
          type Topic = { errorCode: number; name: string; isInternal: boolean; partitions: Partition[] }
          expect(theirs.brokers).toEqual((m.brokers as Broker[]).map((b) => ({ nodeId: b.nodeId, host: b.host, port: b.port, ...(version >= 1 ? { rack: b.rack } : {}) })))
          if (version >= 1) expect(theirs.controllerId).toBe(m.controllerId)
          if (version >= 2) expect(theirs.clusterId).toBe(m.clusterId)
          if (version >= 3) expect(version >= 6 ? theirs.clientSideThrottleTime : theirs.throttleTime).toBe(m.throttleTimeMs)
          expect(theirs.topicMetadata).toEqual(
            (m.topics as Topic[]).map((t) => ({
              topicErrorCode: t.errorCode,
              topic: t.name,
              ...(version >= 1 ? { isInternal: t.isInternal } : {}),
              partitionMetadata: t.partitions.map((p) => ({
                partitionErrorCode: p.errorCode,
                partitionId: p.partitionIndex,
                leader: p.leaderId,
                replicas: p.replicaNodes,
                isr: p.isrNodes,
                ...(version >= 5 ? { offlineReplicas: p.offlineReplicas } : {}),
              })),
            })),
          )
        }),
        { numRuns: 20 },
      )
    })
  }
})
