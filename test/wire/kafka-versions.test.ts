import { describe, expect, it } from 'vitest'
import { kafkaRelease, knownKafkaVersions, maxVersionsOf } from '../../src/wire/kafka-versions.js'

describe('Kafka release tables (--as-version)', () => {
  it('knows every release from 0.11 to 3.7', () => {
    expect(knownKafkaVersions).toEqual(['0.11', '1.0', '1.1', '2.0', '2.1', '2.2', '2.3', '2.4', '2.5', '2.6', '2.7', '2.8', '3.0', '3.1', '3.2', '3.3', '3.4', '3.5', '3.6', '3.7'])
  })

  it('accepts X.Y and X.Y.Z, refusing anything else with the list of known releases', () => {
    expect(kafkaRelease('2.4')).toBe('2.4')
    expect(kafkaRelease('2.4.1')).toBe('2.4')
    expect(kafkaRelease('0.11.0')).toBe('0.11')
    for (const bad of ['0.10', '3.8', '4.0', 'latest', '2', '']) expect(() => kafkaRelease(bad)).toThrow(/known versions: 0\.11, .*3\.7/)
  })

  it('never lowers a version or drops an API from one release to the next', () => {
    for (let i = 1; i < knownKafkaVersions.length; i++) {
      const before = maxVersionsOf(knownKafkaVersions[i - 1]!)
      const after = maxVersionsOf(knownKafkaVersions[i]!)
      for (const [key, max] of before) expect(after.get(key), `key ${key} in ${knownKafkaVersions[i]}`).toBeGreaterThanOrEqual(max)
    }
  })

  it('has the versions clients key on', () => {
    const v = (release: string, key: number) => maxVersionsOf(release).get(key)
    // 0.11 introduced record batches v2: Produce v3, Fetch v4+ (kafka-python infers its version from these).
    expect([v('0.11', 0), v('0.11', 1), v('0.11', 18)]).toEqual([3, 5, 1])
    // 2.4 introduced flexible versions: Metadata v9, ApiVersions v3, Produce v8.
    expect([v('2.4', 3), v('2.4', 18), v('2.4', 0)]).toEqual([9, 3, 8])
    expect(v('2.3', 11)).toBe(5)
    // Kafka 3.7: Produce 10, Fetch 16, Metadata 12, OffsetCommit/OffsetFetch 9, DescribeCluster 1.
    expect([0, 1, 3, 8, 9, 60, 18].map((k) => v('3.7', k))).toEqual([10, 16, 12, 9, 9, 1, 3])
    // APIs a release lacked are absent: IncrementalAlterConfigs came in 2.3, DescribeCluster in 2.8.
    expect(maxVersionsOf('2.2').has(44)).toBe(false)
    expect(maxVersionsOf('2.7').has(60)).toBe(false)
  })
})
