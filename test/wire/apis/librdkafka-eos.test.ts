/**
 * librdkafka 2.0.2 (python3-confluent-kafka 1.7.0 under Debian's /usr/bin/python3) runs a
 * consume-transform-produce loop against memkafka's wire server: InitProducerId v4,
 * AddPartitionsToTxn, AddOffsetsToTxn, TxnOffsetCommit v3 carrying the consumer's generation
 * and member id (KIP-447), EndTxn commit and abort. Skipped where the client is not installed.
 */
import { execFile, execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, it, expect } from 'vitest'
import { ClusterModel } from '../../../src/cluster/cluster-model.js'
import { listen } from '../../../src/wire/server.js'

const PYTHON = '/usr/bin/python3'
const driver = fileURLToPath(new URL('./drivers/librdkafka_eos.py', import.meta.url))

function hasConfluentKafka(): boolean {
  if (!existsSync(PYTHON)) return false
  try {
    execFileSync(PYTHON, ['-c', 'import confluent_kafka'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

function run(bootstrap: string): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(PYTHON, [driver, bootstrap], { timeout: 60_000 }, (error, stdout, stderr) => (error ? reject(Object.assign(error, { stdout, stderr })) : resolve({ stdout, stderr })))
  })
}

describe.skipIf(!hasConfluentKafka())('librdkafka transactions with consumer offsets over the wire', () => {
  it('commits the transformed records with the consumer group offsets; the aborted transaction leaves neither', async () => {
    const cluster = new ClusterModel({ brokers: 3, seed: 11 })
    const server = await listen(cluster, { log: () => {} })
    try {
      for (const name of ['eos-in', 'eos-out']) {
        const created = await cluster.send(0, { api: 'CreateTopics', topics: [{ name, numPartitions: 1, replicationFactor: 3, assignments: [], configs: [] }], timeoutMs: 1000, validateOnly: false })
        expect(created.topics[0]!.errorCode).toBe(0)
      }
      const leader = cluster.controller.topic('eos-in')!.partitions[0]!.leader
      const produced = await cluster.send(leader, { api: 'Produce', acks: -1, timeoutMs: 1000, topics: [{ name: 'eos-in', partitions: [{ index: 0, records: ['a', 'b', 'c'].map((v) => ({ key: null, value: Buffer.from(v), headers: [] })) }] }] })
      expect(produced.topics[0]!.partitions[0]!.errorCode).toBe(0)

      // What librdkafka's TxnOffsetCommit carried (v3: the consumer's generation and member id).
      const offsetCommits: { generationId: number; memberId: string }[] = []
      cluster.intercept('TxnOffsetCommit', ({ request }) => {
        offsetCommits.push({ generationId: request.generationId, memberId: request.memberId })
      })
      const { stdout } = await run(server.bootstrapBrokers.join(','))
      expect(JSON.parse(stdout.trim().split('\n').at(-1)!)).toEqual({ consumed: ['a', 'b', 'c'] })

      const group = (await cluster.send(cluster.coordinatorFor('eos-g', 0)!, { api: 'DescribeGroups', groups: ['eos-g'] })).groups[0]!
      expect(offsetCommits.length).toBe(2)
      for (const c of offsetCommits) {
        expect(c.generationId).toBeGreaterThanOrEqual(1)
        expect(c.memberId).toMatch(/^rdkafka-/)
      }
      expect(group.groupState).toBe('Empty') // the consumer closed
      // The group's offset is the committed transaction's, not the aborted one's.
      const coordinator = cluster.coordinatorFor('eos-g', 0)!
      const fetched = await cluster.send(coordinator, { api: 'OffsetFetch', groupId: 'eos-g', topics: [{ name: 'eos-in', partitionIndexes: [0] }], requireStable: true })
      expect(fetched.topics[0]!.partitions[0]!.committedOffset).toBe(3)
      // read_committed sees the three transformed records and not the aborted one.
      const outLeader = cluster.controller.topic('eos-out')!.partitions[0]!.leader
      const fetchOut = () => cluster.send(outLeader, { api: 'Fetch', maxWaitMs: 0, minBytes: 0, maxBytes: 1 << 20, isolationLevel: 1, topics: [{ name: 'eos-out', partitions: [{ index: 0, fetchOffset: 0, partitionMaxBytes: 1 << 20 }] }] })
      // The markers are written after EndTxn is answered; wait (real time) until the abort is
      // complete and the partition stable. librdkafka may purge the aborted record before
      // sending it (then only the ABORT marker follows the COMMIT marker at 3, or nothing does
      // when the partition was never added).
      const state = () => cluster.transactions.snapshot().find((t) => t.transactionalId === 'eos-py')?.state
      let p = (await fetchOut()).topics[0]!.partitions[0]!
      for (let tries = 0; tries < 250 && !(state() === 'CompleteAbort' && p.highWatermark >= 4 && p.lastStableOffset === p.highWatermark); tries++) {
        await new Promise((resolve) => globalThis.setTimeout(resolve, 20))
        p = (await fetchOut()).topics[0]!.partitions[0]!
      }
      expect(p.lastStableOffset).toBe(p.highWatermark)
      expect(p.highWatermark).toBeGreaterThanOrEqual(4)
      // As a read_committed consumer does: a producer's batches from an aborted transaction's first offset on are dropped.
      const abortedFrom = (b: { producerId: number; baseOffset: number }) => (p.abortedTransactions ?? []).some((a) => a.producerId === b.producerId && a.firstOffset <= b.baseOffset)
      const values = p.batches
        .filter((b) => !b.isControl && !(b.isTransactional && abortedFrom(b)))
        .flatMap((b) => Array.from({ length: b.count }, (_, i) => b.valueAt(i)!.toString()))
      expect(values).toEqual(['A', 'B', 'C'])
    } finally {
      await server.close()
      cluster.close()
    }
  }, 90_000)
})
