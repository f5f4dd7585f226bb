/**
 * Transactional throughput (issue 5): transactions of 100 records of 100 B, each begun, sent
 * and committed by one transactional producer (RF 3, acks=all), counted per second. DESIGN.md
 * sets no target; the figure is reported with a raw-JS baseline doing the same appends.
 */
import { Bench } from 'tinybench'
import { Cluster, logLevel, type Producer } from '../src/index.js'
import { RawLog } from './baseline.js'
import { messages } from './fixtures.js'
import { completed, type BenchResult } from './result.js'

const perTransaction = 100
const transactionsPerCluster = 2_000

async function transactionalProducer(): Promise<{ cluster: Cluster; producer: Producer }> {
  const cluster = new Cluster({ brokers: 3, seed: 1 })
  const kafka = cluster.kafka({ clientId: 'bench', logLevel: logLevel.NOTHING })
  const admin = kafka.admin()
  await admin.createTopics({ topics: [{ topic: 'txn', numPartitions: 1, replicationFactor: 3 }] })
  const producer = kafka.producer({ transactionalId: 'bench-txn', idempotent: true, maxInFlightRequests: 1 })
  await producer.connect()
  return { cluster, producer }
}

export async function benchTransactions(): Promise<BenchResult[]> {
  const batch = messages(perTransaction)
  let fixture = await transactionalProducer()
  let committed = 0
  const raw = new RawLog()
  const bench = new Bench({ time: 1500, warmupTime: 300 })
  bench.add(
    'memkafka',
    async () => {
      const transaction = await fixture.producer.transaction()
      await transaction.send({ topic: 'txn', messages: batch })
      await transaction.commit()
      committed++
    },
    {
      beforeEach: async () => {
        if (committed < transactionsPerCluster) return
        await fixture.producer.disconnect()
        await fixture.cluster.close()
        fixture = await transactionalProducer()
        committed = 0
      },
    },
  )
  bench.add('baseline', async () => {
    await raw.append(batch)
  }, { beforeEach: () => void (raw.records.length >= transactionsPerCluster * perTransaction && raw.clear()) })
  await bench.run()
  await fixture.producer.disconnect()
  await fixture.cluster.close()
  const perSecond = (name: string): number => 1000 / completed(bench, name).latency.mean
  return [
    {
      name: `transactions of ${perTransaction} x 100 B committed, RF=3`,
      value: perSecond('memkafka'),
      unit: 'txns/s',
      target: undefined,
      better: 'higher',
      baseline: perSecond('baseline'),
    },
  ]
}
