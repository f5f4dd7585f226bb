/**
 * Concept 5: the controller.
 *
 * One component keeps the cluster's metadata: which brokers are alive, which topics exist, and
 * for every partition its replicas, its ISR and its leader. ZooKeeper played that part; since
 * KRaft a quorum of controller nodes does. Brokers heartbeat to the controller; one that stays
 * silent for broker.session.timeout.ms is fenced, and every partition it led gets a new leader
 * from its ISR. Clients never ask the controller directly: any broker answers Metadata from the
 * controller's view, so until the controller notices a crash, clients keep trying the dead
 * leader. A partition whose ISR is all gone has no leader at all (offline) until one returns.
 *
 *   npm run example -- controller
 */
import type { Admin, Producer } from 'kafkajs'
import type { Cluster } from '../../src/index.js'
import { errorName } from '../../src/cluster/error-codes.js'
import { defineExample } from '../kit/example.js'
import { runIfMain } from '../kit/cli.js'

export interface Probe {
  readonly time: number
  /** The leader (and epoch) Metadata named for orders-2. */
  readonly leader: number
  readonly leaderEpoch: number
  /** 'ok' or the error a send with no retries got. */
  readonly send: string
}

export interface ControllerResult {
  readonly controllerId: number
  readonly brokers: number[]
  readonly crashedAt: number
  readonly probes: Probe[]
  /** Producers sending at the crash: kafkajs's default retries, and 10 retries. */
  readonly patient: { at: number; result: string }
  readonly persistent: { at: number; result: string }
  /** NOT_LEADER_OR_FOLLOWER: a produce sent to a follower. */
  readonly followerAnswer: string
  /** audit-0 with its whole ISR down. */
  readonly offline: { leader: number; isr: number[]; metadataError: string; sendError: string }
  readonly recovered: { leader: number; isr: number[] }
}

const example = defineExample<ControllerResult>({
  name: 'controller',
  title: 'The controller: metadata, elections, and a partition with no leader',
  async run(ctx) {
    const cluster = ctx.cluster({ brokers: 3, seed: 5 })
    const kafka = ctx.kafka(cluster, 'ops')
    const admin = kafka.admin()
    await admin.connect()
    ctx.defer(() => admin.disconnect())
    await admin.createTopics({
      topics: [
        {
          topic: 'orders',
          replicaAssignment: [
            { partition: 0, replicas: [0, 1, 2] },
            { partition: 1, replicas: [1, 2, 0] },
            { partition: 2, replicas: [2, 0, 1] },
          ],
        },
        { topic: 'audit', replicaAssignment: [{ partition: 0, replicas: [1, 2] }] },
      ],
    })

    // --- Metadata -------------------------------------------------------------------------------
    ctx.part('metadata', 'The metadata the controller keeps, as any broker serves it')
    const described = await admin.describeCluster()
    ctx.log(`describeCluster: brokers ${described.brokers.map((b) => b.nodeId).sort().join(', ')}; controller ${described.controller}`)
    ctx.log('fetchTopicMetadata(orders):')
    for (const p of await partitionsOf(admin, 'orders')) ctx.log(`  orders-${p.partitionId}  leader ${p.leader}  replicas ${p.replicas.join(',')}  isr ${p.isr.join(',')}`)
    // The request boundary, as a broker answers it: only the leader takes writes.
    const toFollower = await cluster.send(1, { api: 'Produce', acks: -1, timeoutMs: 1_000, topics: [{ name: 'orders', partitions: [{ index: 0, records: [{ key: null, value: Buffer.from('x') }] }] }] })
    const followerAnswer = errorName(toFollower.topics[0]!.partitions[0]!.errorCode)
    ctx.log(`A produce for orders-0 sent to broker 1 (a follower) is answered ${followerAnswer}:`)
    ctx.log('the client then refreshes its metadata and sends to the leader.')

    // --- An election ------------------------------------------------------------------------------
    ctx.part('election', 'A leader crashes: what clients see until the controller acts')
    const probe = ctx.kafka(cluster, 'probe', { retry: { retries: 0 } }).producer()
    // kafkajs's default budget: 5 retries, from 300 ms, doubling (about 9 s in all, randomised).
    const patient = ctx.kafka(cluster, 'patient').producer()
    const persistent = ctx.kafka(cluster, 'persistent', { retry: { retries: 10 } }).producer()
    for (const p of [probe, patient, persistent]) {
      await p.connect()
      ctx.defer(() => p.disconnect())
    }
    const probes: Probe[] = []
    const look = async (): Promise<Probe> => {
      const [meta] = await partitionsOf(admin, 'orders').then((ps) => ps.filter((p) => p.partitionId === 2))
      let send = 'ok'
      try {
        await probe.send({ topic: 'orders', messages: [{ value: `probe at ${cluster.clock.now()}`, partition: 2 }] })
      } catch (error) {
        send = `failed (${errorType(error)})`
      }
      const epoch = cluster.describe().topics.find((t) => t.name === 'orders')!.partitions[2]!.leaderEpoch
      const p = { time: cluster.clock.now(), leader: meta!.leader, leaderEpoch: epoch, send }
      probes.push(p)
      return p
    }
    await look()
    const crashedAt = cluster.clock.now()
    cluster.stopBroker(2, { crash: true })
    // Two producers send to orders-2 at the crash and keep retrying, each on its own budget.
    const outcome = (producer: Producer) =>
      producer.send({ topic: 'orders', messages: [{ value: 'at the crash', partition: 2 }] }).then(
        () => ({ at: cluster.clock.now(), result: 'acknowledged' }),
        (error: unknown) => ({ at: cluster.clock.now(), result: `gave up: ${(error as Error).name}` }),
      )
    const patientOutcome = outcome(patient)
    const persistentOutcome = outcome(persistent)
    for (let t = 1_000; t <= 10_000; t += 1_000) {
      await cluster.advance(1_000)
      await look()
    }
    const patientResult = await ctx.drive(cluster, patientOutcome, 'the patient send ends')
    const persistentResult = await ctx.drive(cluster, persistentOutcome, 'the persistent send ends')
    ctx.log(`Broker 2, leader of orders-2, crashes at t=${crashedAt}. Every second a client asks for metadata and`)
    ctx.log('sends one record to orders-2 without retrying:')
    ctx.log()
    ctx.log('  time     metadata says        send')
    for (const p of probes) ctx.log(`  t=${String(p.time).padEnd(6)} leader ${p.leader} (epoch ${p.leaderEpoch})   ${p.send}`)
    ctx.log()
    ctx.log('For broker.session.timeout.ms (9 s) the controller still counts broker 2 alive, so metadata')
    ctx.log('names it and sends fail. Then it fences broker 2 and elects broker 0 from the ISR in a new epoch.')
    ctx.log('(At t=9000 the send still failed: the producer used the metadata it had cached; the failure')
    ctx.log('made it refresh, and the next send found the new leader.)')
    ctx.log()
    ctx.log('Two producers sent to orders-2 at the crash and retried:')
    ctx.log(`  kafkajs defaults (5 retries):  ${patientResult.result} at t=${patientResult.at}`)
    ctx.log(`  retries: 10:                   ${persistentResult.result} at t=${persistentResult.at}`)
    ctx.log('kafkajs refreshes metadata right after a failure, then backs off: a retry budget shorter')
    ctx.log('than the time the controller takes to notice a crash runs out on a stale leader.')
    cluster.startBroker(2)
    await cluster.advance(1_000)

    // --- No leader at all ------------------------------------------------------------------------------
    ctx.part('offline', 'The whole ISR is down: the partition has no leader')
    ctx.log(`audit-0 has two replicas, on brokers 1 and 2. Both crash at t=${cluster.clock.now()}.`)
    cluster.stopBroker(1, { crash: true })
    cluster.stopBroker(2, { crash: true })
    await ctx.until(cluster, () => cluster.describe().topics.find((t) => t.name === 'audit')!.partitions[0]!.leader === -1, 'audit-0 offline')
    const metadata = await ctx.drive(cluster, admin.fetchTopicMetadata({ topics: ['audit'] }), 'audit metadata')
    const audit = metadata.topics[0]!.partitions[0]!
    const offlineState = cluster.describe().topics.find((t) => t.name === 'audit')!.partitions[0]!
    const strict = ctx.kafka(cluster, 'auditor', { retry: { retries: 2 } }).producer()
    await strict.connect()
    ctx.defer(() => strict.disconnect())
    const sendError = await sendFails(ctx, cluster, strict)
    const offline = { leader: audit.leader, isr: offlineState.isr, metadataError: errorName(audit.partitionErrorCode), sendError }
    ctx.log(`t=${cluster.clock.now()}: metadata for audit-0 says leader ${audit.leader}, error ${offline.metadataError}; the ISR the`)
    ctx.log(`controller keeps is ${offline.isr.join(',')}: the last member to leave, the only one that may lead cleanly.`)
    ctx.log(`A producer with 2 retries gives up: ${sendError}.`)
    ctx.log('Consumers of audit-0 get nothing either: with no leader there is no one to read from.')
    const lastIsr = offline.isr[0]!
    cluster.startBroker(lastIsr === 1 ? 2 : 1)
    await cluster.advance(1_000)
    const stillOffline = cluster.describe().topics.find((t) => t.name === 'audit')!.partitions[0]!.leader === -1
    ctx.log(`Broker ${lastIsr === 1 ? 2 : 1} (out of the ISR) returns: audit-0 ${stillOffline ? 'stays offline' : 'gets a leader'}, since`)
    ctx.log('unclean.leader.election.enable is false: a replica that missed committed records may not lead.')
    cluster.startBroker(lastIsr)
    await cluster.advance(1_000)
    const back = cluster.describe().topics.find((t) => t.name === 'audit')!.partitions[0]!
    const recovered = { leader: back.leader, isr: back.isr }
    ctx.log(`Broker ${lastIsr} returns: it leads audit-0 again (ISR ${back.isr.join(',')}), with nothing lost.`)

    ctx.part('story', "The controller's decisions, from the timeline")
    ctx.story(cluster, { since: crashedAt, types: ['brokerStopped', 'brokerStarted', 'brokerFenced', 'brokerUnfenced', 'leaderElected', 'partitionOffline'] })

    return {
      controllerId: described.controller ?? -1,
      brokers: described.brokers.map((b) => b.nodeId).sort(),
      crashedAt,
      probes,
      patient: patientResult,
      persistent: persistentResult,
      followerAnswer,
      offline,
      recovered,
    }
  },
})

async function partitionsOf(admin: Admin, topic: string) {
  const { topics } = await admin.fetchTopicMetadata({ topics: [topic] })
  return [...topics[0]!.partitions].sort((a, b) => a.partitionId - b.partitionId)
}

async function sendFails(ctx: Parameters<typeof example.run>[0], cluster: Cluster, producer: Producer): Promise<string> {
  try {
    await ctx.drive(cluster, producer.send({ topic: 'audit', messages: [{ value: 'lost?' }] }), 'the audit send fails')
    return 'no error'
  } catch (error) {
    return `${(error as Error).name} (${errorType(error)})`
  }
}

/** The Kafka error type at the bottom of a kafkajs error's cause chain, else its name. */
function errorType(error: unknown): string {
  const e = error as { name?: string; type?: string; cause?: unknown }
  return e.type ?? (e.cause ? errorType(e.cause) : (e.name ?? String(error)))
}

export default example

await runIfMain(import.meta.url, example)
