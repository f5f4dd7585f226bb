import { describe, expect, it } from 'vitest'
import { ClusterModel } from '../../src/cluster/cluster-model.js'
import { ManualClock } from '../../src/cluster/clock.js'
import { eventTeller } from '../../src/bin/event-teller.js'

describe("memkafka serve's log lines", () => {
  it('tells leader moves and ISR changes from what came before, one line per event, leaving out the noisy ones', async () => {
    const cluster = new ClusterModel({ brokers: 3, clock: new ManualClock(), seed: 4 })
    const lines: string[] = []
    const origin = cluster.clock.now()
    cluster.eventLog.subscribe(eventTeller(origin, (line) => lines.push(line)))
    await cluster.send(0, { api: 'CreateTopics', topics: [{ name: 'orders', numPartitions: 1, replicationFactor: 3, assignments: [], configs: [] }], timeoutMs: 1000, validateOnly: false })
    const leader = cluster.describe().topics[0]!.partitions[0]!.leader
    await cluster.send(leader, { api: 'Produce', acks: 1, timeoutMs: 1000, topics: [{ name: 'orders', partitions: [{ index: 0, records: [{ key: null, value: Buffer.from('v') }] }] }] })
    cluster.stopBroker(leader)
    await cluster.advance(60_000)
    const text = lines.join('\n')
    expect(text).toContain('created topic orders: 1 partition, replication factor 3')
    expect(text).toMatch(new RegExp(`leader of orders-0 moved ${leader} -> \\d`))
    expect(text).toMatch(/ISR of orders-0 shrank to/)
    expect(text).not.toContain('produced')
    expect(lines.every((l) => /^t=\d+\s+\S/.test(l) && !l.includes('\n'))).toBe(true)
    await cluster.close()
  })
})
