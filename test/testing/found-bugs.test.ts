/**
 * Bugs the simulation found in src/client and src/cluster, each as a minimal repro. One that is
 * still there is an `it.fails` (when it is fixed the test starts passing, `it.fails` reports it,
 * and it becomes a plain `it`); a fixed one stays as a regression test.
 */
import { describe, expect, it } from 'vitest'
import { Cluster, ManualClock, logLevel } from '../../src/index.js'

/** A ManualClock that notices a livelock (thousands of timers at one instant) and stops the cluster so the loop ends. */
class LivelockClock extends ManualClock {
  private instant = -1
  private scheduled = 0
  livelock: string | undefined
  onLivelock: () => void = () => {}

  override setTimeout(callback: () => void, ms: number) {
    if (this.now() !== this.instant) {
      this.instant = this.now()
      this.scheduled = 0
    }
    if (++this.scheduled > 5_000 && this.livelock === undefined) {
      this.livelock = `more than 5000 timers at t=${this.now()} ms`
      queueMicrotask(this.onLivelock)
    }
    return this.livelock === undefined ? super.setTimeout(callback, ms) : super.setTimeout(() => {}, Number.MAX_SAFE_INTEGER)
  }
}

/** One broker on a ManualClock, with topic `t`. */
async function oneBrokerWithTopic() {
  const cluster = new Cluster({ brokers: 1, clock: new ManualClock(0), seed: 1 })
  const kafka = cluster.kafka({ clientId: 'p', logLevel: logLevel.NOTHING })
  const admin = kafka.admin()
  await admin.connect()
  await admin.createTopics({ topics: [{ topic: 't' }] })
  await admin.disconnect()
  return { cluster, kafka }
}

describe('bugs found by the simulation', () => {
  // BUG: src/client/consumer/runner.ts:185-190 — a fetch that fails with a stale-metadata error
  // (here NOT_LEADER_OR_FOLLOWER for a partition with no leader) refreshes the metadata and
  // rejoins the group "at once, no back-off", then fetches again: while the partition stays
  // offline the consumer loops Fetch -> Metadata -> JoinGroup -> SyncGroup -> OffsetFetch with no
  // virtual time passing, so a ManualClock's advance() never returns (the partition cannot come
  // back, since time does not move). kafkajs's recoverFromFetch rejoins and then rethrows, and its
  // runner's retrier backs off before fetching again. Found by simulate(): consumers in a group,
  // every broker stopped, then restarted while the last ISR member waits out its session.
  it('a consumer whose partition has no leader backs off instead of spinning at one instant', async () => {
    const clock = new LivelockClock(0)
    const cluster = new Cluster({ brokers: 2, clock, seed: 1 })
    clock.onLivelock = () => void cluster.close()
    const kafka = cluster.kafka({ clientId: 'c', logLevel: logLevel.NOTHING })
    const admin = kafka.admin()
    await admin.connect()
    // The partition lives on broker 0 alone; the group's coordinator is elsewhere (broker 1).
    await admin.createTopics({ topics: [{ topic: 't', replicaAssignment: [{ partition: 0, replicas: [0] }] }] })
    await admin.disconnect()
    const consumer = kafka.consumer({ groupId: 'g', heartbeatInterval: 500, sessionTimeout: 6_000 })
    await consumer.connect()
    await consumer.subscribe({ topics: ['t'], fromBeginning: true })
    void consumer.run({ eachMessage: async () => {} }).catch(() => {})
    await cluster.advance(100)
    expect(cluster.describe().groups[0]!.coordinator).toBe(1)

    cluster.stopBroker(0) // a controlled shutdown: t-0 is offline at once
    await cluster.advance(1_000)
    const livelock = clock.livelock
    await consumer.disconnect().catch(() => {})
    await cluster.close()
    expect(livelock).toBeUndefined()
  })

  // FIXED: src/cluster/api/error-response.ts had no case for the transaction APIs
  // (InitProducerId, AddPartitionsToTxn, AddOffsetsToTxn, EndTxn, TxnOffsetCommit), so
  // `cluster.intercept('EndTxn', () => ({ error: ... }))` answered `undefined` and the producer
  // failed with "TypeError: Cannot read properties of undefined (reading 'errorCode')". Now the
  // switch is exhaustive (a new API without a case does not compile). kafkajs does not retry
  // EndTxn: the commit rejects with the Kafka error (code 15, which kafkajs's table names
  // GROUP_COORDINATOR_NOT_AVAILABLE), and the transaction stays open on the
  // coordinator until it times out and is aborted.
  // BUG: a consumer with nothing to fetch (no partition assigned, or all paused) waits out its
  // fetch interval with a sleep that fails only when the cluster closes; the runner swallowed that
  // failure and looped at once, so an idle member left running when its cluster closed spun in
  // microtasks forever (no timer, so no GuardedClock storm either). Found by test:long (durable
  // configuration, seed 11): a member's disconnect during its crash handling let kafkajs's
  // restart bring it back, and the simulation then closed the cluster under it.
  it('an idle consumer whose cluster closes fails like any connection, instead of spinning', async () => {
    const cluster = new Cluster({ brokers: 1, clock: new ManualClock(0), seed: 1 })
    const kafka = cluster.kafka({ clientId: 'c', logLevel: logLevel.NOTHING })
    const admin = kafka.admin()
    await admin.connect()
    await admin.createTopics({ topics: [{ topic: 't', numPartitions: 1 }] })
    await admin.disconnect()
    const consumers = ['a', 'b'].map(() => kafka.consumer({ groupId: 'g', heartbeatInterval: 500, sessionTimeout: 6_000, retry: { retries: 2, initialRetryTime: 100 } }))
    const crashes: string[] = []
    for (const consumer of consumers) {
      await consumer.connect()
      await consumer.subscribe({ topics: ['t'] })
      consumer.on(consumer.events.CRASH, (e) => { crashes.push(e.payload.error.name) })
      void consumer.run({ eachMessage: async () => {} })
    }
    await cluster.settle()
    // One member has the only partition; the other idles in its fetch interval.
    expect(cluster.describe().groups[0]!.members.map((m) => (m.assignment.t ?? []).length).sort()).toEqual([0, 1])

    // Not awaited: close() would wait for a macrotask that a runner spinning in microtasks never
    // lets run. This loop sees the crashes or gives up, and stop() ends a spin, so a regression
    // fails here instead of hanging the suite.
    const closed = cluster.close()
    for (let i = 0; i < 10_000 && crashes.length < 2; i++) await Promise.resolve()
    for (const consumer of consumers) await consumer.disconnect().catch(() => {})
    await closed
    expect(crashes).toEqual(['KafkaJSNumberOfRetriesExceeded', 'KafkaJSNumberOfRetriesExceeded'])
  })

  it('an EndTxn failed by cluster.intercept answers the Kafka error, and the transaction stays open', async () => {
    const { cluster, kafka } = await oneBrokerWithTopic()
    const producer = kafka.producer({ transactionalId: 'tx', idempotent: true, transactionTimeout: 10_000 })
    await producer.connect()
    const txn = await producer.transaction()
    await txn.send({ topic: 't', messages: [{ value: 'v' }] })
    cluster.intercept('EndTxn', () => ({ error: 'COORDINATOR_NOT_AVAILABLE' }), { times: 1 })
    const commit = txn.commit()
    commit.catch(() => {})
    await cluster.advance(100)
    await expect(commit).rejects.toMatchObject({ name: 'KafkaJSProtocolError', type: 'GROUP_COORDINATOR_NOT_AVAILABLE', retriable: true })
    expect(cluster.describe().transactions.map((t) => t.state)).toEqual(['Ongoing'])
    expect(cluster.describe().topics[0]!.partitions[0]!.openTransactions).toHaveLength(1)

    await cluster.advance(10_000 + 60_000) // past the timeout and the coordinator's abort check
    expect(cluster.describe().transactions.map((t) => t.state)).toEqual(['CompleteAbort'])
    expect(cluster.describe().topics[0]!.partitions[0]!.openTransactions).toHaveLength(0)
    await producer.disconnect()
    await cluster.close()
  })

  for (const [api, error] of [
    ['InitProducerId', 'COORDINATOR_LOAD_IN_PROGRESS'],
    ['AddPartitionsToTxn', 'CONCURRENT_TRANSACTIONS'],
  ] as const) {
    it(`a ${api} failed once by cluster.intercept with ${error} is retried by the producer`, async () => {
      const { cluster, kafka } = await oneBrokerWithTopic()
      const producer = kafka.producer({ transactionalId: 'tx', idempotent: true })
      let seen = 0
      cluster.intercept(api, () => (seen++, { error }), { times: 1 })
      const work = (async () => {
        await producer.connect()
        const txn = await producer.transaction()
        await txn.send({ topic: 't', messages: [{ value: 'v' }] })
        await txn.commit()
      })()
      work.catch(() => {})
      await cluster.advance(5_000)
      await expect(work).resolves.toBeUndefined()
      expect(seen).toBe(1)
      expect(cluster.describe().transactions.map((t) => t.state)).toEqual(['CompleteCommit'])
      await producer.disconnect()
      await cluster.close()
    })
  }
})
