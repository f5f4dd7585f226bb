/**
 * The control API (new Cluster, cluster.intercept, the fault hooks) given input it must refuse:
 * a clear error of a class the package exports, and the cluster as it was. Broker ids follow
 * Kafka's node.id rule (an int32 >= 0; -1 means unset).
 */
import { afterEach, describe, expect, it } from 'vitest'
import { Cluster, KafkaError, ManualClock, logLevel } from '../../src/index.js'

afterEach(async () => {
  await Cluster.resetAll()
})

function snapshot(cluster: Cluster): unknown {
  const { time: _time, ...rest } = cluster.describe()
  return rest
}

describe('new Cluster', () => {
  for (const brokers of ['3', 0, -1, 1.5, {}]) {
    it(`refuses a broker count of ${JSON.stringify(brokers)} with a TypeError naming it`, () => {
      expect(() => new Cluster({ brokers: brokers as never })).toThrow(TypeError)
      expect(() => new Cluster({ brokers: brokers as never })).toThrow(/brokers/)
    })
  }

  for (const id of [-1, 1.5, 2 ** 31, '1']) {
    it(`refuses broker id ${JSON.stringify(id)}: INVALID_CONFIG (node.id is an int32 >= 0)`, () => {
      let error: unknown
      try {
        new Cluster({ brokers: [{ id: id as never }] })
      } catch (e) {
        error = e
      }
      expect(error).toBeInstanceOf(KafkaError)
      expect((error as KafkaError).errorName).toBe('INVALID_CONFIG')
    })
  }

  it('refuses duplicate broker ids with the exported KafkaError', () => {
    expect(() => new Cluster({ brokers: [{ id: 1 }, { id: 1 }] })).toThrow(KafkaError)
  })
})

describe('the control API on a running cluster', () => {
  async function start() {
    const cluster = new Cluster({ brokers: 3, seed: 4, clock: new ManualClock(0) })
    const producer = cluster.kafka({ logLevel: logLevel.NOTHING }).producer()
    await producer.connect()
    await producer.send({ topic: 't', messages: [{ value: 'v' }] })
    await producer.disconnect()
    return cluster
  }

  it("intercept on an API the cluster does not have: TypeError, and no hook is installed", async () => {
    const cluster = await start()
    expect(() => cluster.intercept('Bogus' as never, () => undefined)).toThrow(/no API named Bogus/)
    expect(() => cluster.intercept('Produce', 'not a function' as never)).toThrow(TypeError)
    const producer = cluster.kafka({ logLevel: logLevel.NOTHING }).producer()
    await producer.connect()
    const [meta] = await producer.send({ topic: 't', messages: [{ value: 'v' }] })
    await producer.disconnect()
    expect(meta!.errorCode).toBe(0)
  })

  for (const [label, act] of [
    ['stopBroker(9)', (c: Cluster) => c.stopBroker(9)],
    ["stopBroker('1')", (c: Cluster) => c.stopBroker('1' as never)],
    ['startBroker(-1)', (c: Cluster) => c.startBroker(-1)],
    ['isolate(7)', (c: Cluster) => c.isolate(7)],
    ['delayReplication(5, 10)', (c: Cluster) => c.delayReplication(5, 10)],
  ] as const) {
    it(`${label}: the exported KafkaError, nothing changed`, async () => {
      const cluster = await start()
      const before = snapshot(cluster)
      expect(() => act(cluster)).toThrow(KafkaError)
      expect(snapshot(cluster)).toEqual(before)
    })
  }
})
