/**
 * FindCoordinator (API key 10) at the request boundary: a key's coordinator is the leader of its
 * __consumer_offsets (or __transaction_state) partition, the same whichever broker is asked.
 */
import { describe, it, expect } from 'vitest'
import fc from 'fast-check'
import { ClusterModel } from '../../../src/cluster/cluster-model.js'
import { ErrorCode } from '../../../src/cluster/error-codes.js'
import { CoordinatorType, type FindCoordinatorResponse } from '../../../src/cluster/api/messages.js'
import { ManualClock } from '../../../src/cluster/clock.js'
import { newCluster } from '../../support/cluster-harness.js'

function findCoordinator(cluster: ClusterModel, key: string, keyType: number = CoordinatorType.GROUP, brokerId = 0): Promise<FindCoordinatorResponse> {
  return cluster.send(brokerId, { api: 'FindCoordinator', key, keyType })
}

describe('FindCoordinator', () => {
  it("answers the coordinator's id and address", async () => {
    const cluster = newCluster({ basePort: 29092 })
    const response = await findCoordinator(cluster, 'orders-app')
    expect(response.errorCode).toBe(ErrorCode.NONE)
    const broker = cluster.broker(response.nodeId)!
    expect(response).toMatchObject({ nodeId: broker.id, host: 'localhost', port: 29092 + broker.id })
    expect(response.nodeId).toBe(cluster.coordinatorFor('orders-app', CoordinatorType.GROUP))
  })

  it('is stable for a key: every broker, every time, gives the same coordinator', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 30 }), fc.constantFrom(CoordinatorType.GROUP, CoordinatorType.TRANSACTION), async (key, keyType) => {
        const cluster = newCluster()
        const answers = await Promise.all([0, 1, 2, 0, 1, 2].map((id) => findCoordinator(cluster, key, keyType, id)))
        for (const a of answers) expect(a).toEqual(answers[0])
        expect(answers[0]!.errorCode).toBe(ErrorCode.NONE)
        expect([0, 1, 2]).toContain(answers[0]!.nodeId)
        // ... and another cluster with the same brokers agrees: it depends on the key alone.
        expect((await findCoordinator(newCluster({ seed: 99 }), key, keyType)).nodeId).toBe(answers[0]!.nodeId)
      }),
      { numRuns: 50 },
    )
  })

  it('spreads groups over the brokers', async () => {
    const cluster = newCluster()
    const coordinators = new Set<number>()
    for (let i = 0; i < 30; i++) coordinators.add((await findCoordinator(cluster, `group-${i}`)).nodeId)
    expect([...coordinators].sort()).toEqual([0, 1, 2])
  })

  describe('when the coordinator\'s broker goes away and comes back', () => {
    const keys = Array.from({ length: 30 }, (_, i) => `group-${i}`)
    const coordinators = (cluster: ClusterModel): (number | undefined)[] => keys.map((k) => cluster.coordinatorFor(k, CoordinatorType.GROUP))

    it('moves only the keys the stopped broker led, and keeps them moved after it returns until the preferred leader election', async () => {
      const clock = new ManualClock(0)
      const cluster = newCluster({ clock })
      const before = coordinators(cluster)
      cluster.stopBroker(1)
      const during = coordinators(cluster)
      keys.forEach((_, i) => (before[i] === 1 ? expect(during[i]).not.toBe(1) : expect(during[i]).toBe(before[i])))
      expect(during).not.toContain(1)
      cluster.startBroker(1)
      await clock.advance(299_000)
      expect(coordinators(cluster)).toEqual(during)
      expect((await findCoordinator(cluster, keys[before.indexOf(1)]!, CoordinatorType.GROUP, 1)).nodeId).toBe(during[before.indexOf(1)])
      // leader.imbalance.check.interval.seconds = 300 after it came back.
      await clock.advance(1_000)
      expect(coordinators(cluster)).toEqual(before)
    })

    it('keeps them moved for good with auto.leader.rebalance.enable=false, until an election is asked for', async () => {
      const clock = new ManualClock(0)
      const cluster = newCluster({ clock, brokerConfig: { 'auto.leader.rebalance.enable': false } })
      const before = coordinators(cluster)
      cluster.stopBroker(2)
      const during = coordinators(cluster)
      cluster.startBroker(2)
      await clock.advance(3_600_000)
      expect(coordinators(cluster)).toEqual(during)
      cluster.electPreferredLeaders()
      expect(coordinators(cluster)).toEqual(before)
    })

    it('answers COORDINATOR_NOT_AVAILABLE with no live broker, and the first broker back leads every key', async () => {
      const cluster = newCluster()
      for (const id of [0, 1, 2]) cluster.stopBroker(id)
      expect(coordinators(cluster).every((c) => c === undefined)).toBe(true)
      cluster.startBroker(2)
      expect(coordinators(cluster).every((c) => c === 2)).toBe(true)
      expect(await findCoordinator(cluster, 'group-0', CoordinatorType.GROUP, 2)).toMatchObject({ errorCode: ErrorCode.NONE, nodeId: 2 })
    })
  })

  it('answers INVALID_REQUEST for an unknown key type', async () => {
    const cluster = newCluster()
    expect(await findCoordinator(cluster, 'g', 7)).toMatchObject({ errorCode: ErrorCode.INVALID_REQUEST, nodeId: -1 })
  })
})
