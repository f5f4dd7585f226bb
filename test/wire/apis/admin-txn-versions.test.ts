/**
 * The versions the wire server advertises for the admin and transaction APIs: min 0 and Kafka
 * 3.7's maxima, as the brief and librdkafka's range checks require (section 2 of WIRE.md).
 */
import { describe, it, expect } from 'vitest'
import { wireApis } from '../../../src/wire/apis/index.js'
import { schemas } from '../../../src/wire/messages/index.js'
import { servedApis } from '../../../src/wire/served-apis.js'

// Kafka 3.7's ApiVersions answer for these keys (its ApiKeys latest versions).
const KAFKA_3_7: Record<number, [string, number]> = {
  19: ['CreateTopics', 7],
  20: ['DeleteTopics', 6],
  21: ['DeleteRecords', 2],
  22: ['InitProducerId', 4],
  24: ['AddPartitionsToTxn', 4],
  25: ['AddOffsetsToTxn', 3],
  26: ['EndTxn', 3],
  28: ['TxnOffsetCommit', 3],
  32: ['DescribeConfigs', 4],
  33: ['AlterConfigs', 2],
  37: ['CreatePartitions', 3],
  42: ['DeleteGroups', 2],
  44: ['IncrementalAlterConfigs', 1],
  47: ['OffsetDelete', 0],
  60: ['DescribeCluster', 1],
  61: ['DescribeProducers', 0],
  65: ['DescribeTransactions', 0],
  66: ['ListTransactions', 0],
}

describe('advertised versions of the admin and transaction APIs', () => {
  const served = servedApis(wireApis, schemas)
  for (const [key, [name, max]] of Object.entries(KAFKA_3_7)) {
    it(`${name} (${key}): 0-${max}`, () => {
      const api = served.get(Number(key))
      expect(api?.api.name).toBe(name)
      expect([api?.minVersion, api?.maxVersion]).toEqual([0, max])
      expect(api?.schema.request.validVersions).toBe(max === 0 ? '0' : `0-${max}`)
    })
  }
})
