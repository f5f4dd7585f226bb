/** kcat 1.7.1 (librdkafka 2.0.2, from Debian) against memkafka over TCP. */
import { expect } from 'vitest'
import { eventsOf, runDriver } from './support/driver.js'
import { freshNames } from './support/server.js'
import { describeClient, server } from './support/scenarios.js'

const command = ['bash', 'test/interop/drivers/kcat.sh']

describeClient('kcat', {
  command,
  headers: true,
  overrides: {
    // kcat commits one transaction per run (see kcat.sh): two committed transactions, read_committed.
    async transactions() {
      const mk = await server()
      const names = freshNames('kcat', 'txn')
      await mk.createTopic(names.topic)
      const run = await runDriver(command, {
        env: { BOOTSTRAP: mk.bootstrap, SCENARIO: 'transactions', TOPIC: names.topic, GROUP: names.group, TXN_ID: names.txnId },
        timeoutMs: 60_000,
      })
      expect(eventsOf(run, 'consumed').map((e) => e['value'])).toEqual(['c0', 'c1', 'c2', 'c3', 'c4'])
      const d = mk.cluster.describe()
      // 3 records + COMMIT marker + 2 records + COMMIT marker.
      expect(d.topics.find((t) => t.name === names.topic)!.partitions[0]).toMatchObject({ highWatermark: 7, lastStableOffset: 7, openTransactions: [] })
      expect(d.transactions.find((t) => t.transactionalId === names.txnId)).toMatchObject({ state: 'CompleteCommit' })
      mk.cluster.checkInvariants()
    },
  },
})
