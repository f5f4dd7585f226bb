/**
 * Log lines as kafkajs writes them, so that assertions written against kafkajs's logs (a
 * logCreator that collects entries) keep working: the same namespace, level, message and
 * fields, in kafkajs's field order (src/consumer/consumerGroup.js, src/producer/sendMessages.js).
 */
import { afterEach, describe, expect, it } from 'vitest'
import { Cluster, ManualClock, logLevel, type LogEntry } from '../../src/index.js'

afterEach(async () => {
  await Cluster.resetAll()
})

function collecting() {
  const entries: LogEntry[] = []
  const cluster = new Cluster({ brokers: 3, seed: 5, clock: new ManualClock(0) })
  const kafka = cluster.kafka({ clientId: 'logs', logLevel: logLevel.INFO, logCreator: () => (entry) => void entries.push(entry) })
  return { cluster, kafka, entries }
}

const find = (entries: LogEntry[], message: string | RegExp) => entries.filter((e) => (typeof message === 'string' ? e.log.message === message : message.test(e.log.message)))

describe('log lines as kafkajs writes them', () => {
  it("'Consumer has joined the group' (ConsumerGroup, INFO) with kafkajs's fields", async () => {
    const { cluster, kafka, entries } = collecting()
    const admin = kafka.admin()
    await admin.connect()
    await admin.createTopics({ topics: [{ topic: 't', numPartitions: 2, replicationFactor: 3 }] })
    await admin.disconnect()
    const consumer = kafka.consumer({ groupId: 'g' })
    await consumer.connect()
    await consumer.subscribe({ topics: ['t'] })
    await consumer.run({ eachMessage: async () => {} })
    while (find(entries, 'Consumer has joined the group').length === 0) await cluster.advance(100)
    const [joined] = find(entries, 'Consumer has joined the group')
    expect(joined!.namespace).toBe('ConsumerGroup')
    expect(joined!.label).toBe('INFO')
    expect(Object.keys(joined!.log)).toEqual(['timestamp', 'logger', 'message', 'groupId', 'memberId', 'leaderId', 'isLeader', 'memberAssignment', 'groupProtocol', 'duration'])
    expect(joined!.log).toMatchObject({ logger: 'kafkajs', groupId: 'g', isLeader: true, memberAssignment: { t: [0, 1] }, groupProtocol: 'RoundRobinAssigner' })
    expect(joined!.log.leaderId).toBe(joined!.log.memberId)
    expect(typeof joined!.log.duration).toBe('number')

    consumer.pause([{ topic: 't' }])
    consumer.resume([{ topic: 't' }])
    expect(find(entries, 'Pausing fetching from 1 topics')[0]?.log).toMatchObject({ topicPartitions: [{ topic: 't' }] })
    expect(find(entries, 'Resuming fetching from 1 topics')[0]?.log).toMatchObject({ topicPartitions: [{ topic: 't' }] })
    await consumer.disconnect()
  })

  it("a member told of a rebalance by its heartbeat logs 'The group is rebalancing, re-joining' with the error's message, once", async () => {
    const { cluster, kafka, entries } = collecting()
    const admin = kafka.admin()
    await admin.connect()
    await admin.createTopics({ topics: [{ topic: 't', numPartitions: 2, replicationFactor: 3 }] })
    await admin.disconnect()
    const rebalancing: unknown[] = []
    const members = [kafka.consumer({ groupId: 'g', heartbeatInterval: 100 }), kafka.consumer({ groupId: 'g', heartbeatInterval: 100 })]
    members[0]!.on(members[0]!.events.REBALANCING, (e) => void rebalancing.push(e.payload))
    for (const member of members) {
      await member.connect()
      await member.subscribe({ topics: ['t'] })
      // The second one's join completes once the first rejoins, which its next heartbeat, in
      // virtual time, brings about.
      const running = member.run({ eachMessage: async () => {} })
      await cluster.settle()
      await running
    }
    const lines = find(entries, 'The group is rebalancing, re-joining')
    expect(lines).toHaveLength(1)
    expect(lines[0]!.label).toBe('WARN')
    expect(Object.keys(lines[0]!.log)).toEqual(['timestamp', 'logger', 'message', 'groupId', 'memberId', 'error'])
    expect(lines[0]!.log).toMatchObject({ groupId: 'g', error: 'The group is rebalancing, so a rejoin is needed' })
    expect(rebalancing).toEqual([{ groupId: 'g', memberId: lines[0]!.log.memberId }])
    for (const member of members) await member.disconnect()
  })

  it("a failed send logs 'Failed to send messages: ...' (Producer, ERROR) with retryCount and retryTime", async () => {
    const { cluster, kafka, entries } = collecting()
    const producer = kafka.producer({ retry: { initialRetryTime: 10 } })
    await producer.connect()
    await producer.send({ topic: 't', messages: [{ value: 'first' }] })
    cluster.intercept('Produce', () => ({ error: 'NOT_LEADER_OR_FOLLOWER' }), { times: 1 })
    const sent = producer.send({ topic: 't', messages: [{ value: 'second' }] })
    await cluster.advance(1_000)
    await sent
    const [failed] = find(entries, /^Failed to send messages: /)
    expect(failed!.namespace).toBe('Producer')
    expect(failed!.label).toBe('ERROR')
    expect(Object.keys(failed!.log)).toEqual(['timestamp', 'logger', 'message', 'retryCount', 'retryTime'])
    expect(failed!.log).toMatchObject({ retryCount: 0 })
    expect(typeof failed!.log.retryTime).toBe('number')
    await producer.disconnect()
  })
})
