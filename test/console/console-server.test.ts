/**
 * The console's HTTP side, as a script or a page uses it: live updates, every action going
 * through the cluster's own requests and answering Kafka's errors, the message browser showing
 * transaction markers and aborted records, and malformed requests refused with the cluster left
 * exactly as it was. (test/console/browser drives the page itself in Chromium.)
 */
import { get as httpGet } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { Cluster, ManualClock, type WebConsole } from '../../src/index.js'
import type { ClusterDescription } from '../../src/cluster/describe.js'

const open: { cluster: Cluster; ui: WebConsole }[] = []
afterEach(async () => {
  for (const { cluster, ui } of open.splice(0)) {
    await ui.close()
    await cluster.close()
  }
})

async function start(options: ConstructorParameters<typeof Cluster>[0] = { brokers: 3 }) {
  const cluster = new Cluster(options)
  const ui = await cluster.console()
  open.push({ cluster, ui })
  return { cluster, ui }
}

async function post(ui: WebConsole, action: string, body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) {
  const response = await fetch(new URL(`api/actions/${action}`, ui.url), { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) })
  return { status: response.status, body: (await response.json()) as { ok: boolean; result?: any; error?: string; message?: string } }
}

async function get(ui: WebConsole, path: string) {
  const response = await fetch(new URL(path, ui.url))
  return { status: response.status, body: (await response.json()) as any }
}

/** The cluster as describe() tells it, without the time (which moves on the wall clock). */
function stateOf(cluster: Cluster): Omit<ClusterDescription, 'time'> {
  const { time: _time, ...rest } = cluster.describe()
  return rest
}

/** Reads /api/live's server-sent events until `until` accepts one (or fails after `ms`). */
async function watchLive(ui: WebConsole, until: (event: string, data: any) => boolean, ms = 2000): Promise<{ event: string; data: any }[]> {
  const controller = new AbortController()
  const response = await fetch(new URL('api/live', ui.url), { signal: controller.signal })
  const reader = response.body!.getReader()
  const seen: { event: string; data: any }[] = []
  let buffer = ''
  const deadline = setTimeout(() => controller.abort(), ms)
  try {
    for (;;) {
      const { value, done } = await reader.read()
      if (done) break
      buffer += Buffer.from(value).toString('utf8')
      let end: number
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const frame = buffer.slice(0, end)
        buffer = buffer.slice(end + 2)
        const event = /^event: (.*)$/m.exec(frame)![1]!
        const data = JSON.parse(/^data: (.*)$/m.exec(frame)![1]!)
        seen.push({ event, data })
        if (until(event, data)) return seen
      }
    }
  } catch (error) {
    if (!controller.signal.aborted) throw error
  } finally {
    clearTimeout(deadline)
    controller.abort()
  }
  throw new Error(`no matching live event within ${ms} ms; saw ${seen.map((s) => s.event).join(', ')}`)
}

describe('the web console server', () => {
  it('binds to localhost by default and serves the page, its script and its style', async () => {
    const { ui } = await start()
    expect(ui.url).toMatch(/^http:\/\/localhost:\d+\/$/)
    const page = await fetch(ui.url)
    expect(page.headers.get('content-type')).toContain('text/html')
    expect(await page.text()).toContain('/console.js')
    expect((await fetch(new URL('console.js', ui.url))).status).toBe(200)
    expect((await fetch(new URL('console.css', ui.url))).status).toBe(200)
    expect((await get(ui, 'nowhere')).status).toBe(404)
  })

  it('costs the cluster nothing while no page is open, and stops when the last page goes', async () => {
    const { cluster, ui } = await start()
    const admin = cluster.kafka().admin()
    await admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 2 }] })
    expect(ui.stats).toEqual({ clients: 0, ticks: 0, lastTickMs: 0 })
    await watchLive(ui, (event) => event === 'snapshot')
    // The page closed: its stream ends and the ticker with it.
    await new Promise((r) => setTimeout(r, 100))
    const after = ui.stats.ticks
    expect(ui.stats.clients).toBe(0)
    await new Promise((r) => setTimeout(r, 150))
    expect(ui.stats.ticks).toBe(after)
  })

  it('sends a snapshot, then the high watermark moving after a produce', async () => {
    const { cluster, ui } = await start()
    const kafka = cluster.kafka()
    await kafka.admin().createTopics({ topics: [{ topic: 'orders', numPartitions: 1, replicationFactor: 3 }] })
    const producer = kafka.producer()
    await producer.connect()
    let sent = false
    const seen = await watchLive(ui, (event, data) => {
      if (event === 'snapshot') {
        expect(data.topics.map((t: any) => t.name)).toEqual(['orders'])
        if (!sent) {
          sent = true
          void producer.send({ topic: 'orders', messages: [{ value: 'a' }, { value: 'b' }] })
        }
        return false
      }
      const orders = data.topics.find((t: any) => t.name === 'orders')
      return orders?.partitions[0].highWatermark === 2 && orders.partitions[0].replicaStates.every((r: any) => r.logEndOffset === 2)
    })
    const delta = seen.at(-1)!.data
    expect(delta.events.some((e: any) => e.type === 'produced')).toBe(true)
    await producer.disconnect()
  })

  it('follows a ManualClock cluster, and steps its time', async () => {
    const { cluster, ui } = await start({ brokers: 1, clock: new ManualClock(1000) })
    // The step is sent once the page's stream has its snapshot, so the delta must carry it.
    let stepped: ReturnType<typeof post> | undefined
    await watchLive(ui, (event, data) => {
      if (event === 'snapshot') stepped ??= post(ui, 'advance', { ms: 250 })
      return event === 'delta' && data.time === 1250
    }, 10_000)
    expect((await stepped!).body.result).toEqual({ time: 1250 })
    expect(cluster.clock.now()).toBe(1250)
  })

  it('refuses to step real time', async () => {
    const { ui } = await start()
    const answer = await post(ui, 'advance', { ms: 10 })
    expect(answer.status).toBe(409)
    expect(answer.body.message).toContain('ManualClock')
  })
})

describe('console actions', () => {
  it('creates and deletes topics through CreateTopics and DeleteTopics, answering Kafka errors', async () => {
    const { cluster, ui } = await start()
    const created = await post(ui, 'create-topic', { name: 'payments', partitions: 4, replicationFactor: 2, configs: { 'cleanup.policy': 'compact' } })
    expect(created.body).toEqual({ ok: true, result: { topic: 'payments', partitions: 4, replicationFactor: 2 } })
    const topic = cluster.describe().topics.find((t) => t.name === 'payments')!
    expect(topic.partitions).toHaveLength(4)
    expect(topic.configs).toEqual({ 'cleanup.policy': 'compact' })
    expect(cluster.timeline({ types: ['topicCreated'] })).toHaveLength(1)

    const again = await post(ui, 'create-topic', { name: 'payments' })
    expect(again.status).toBe(422)
    expect(again.body.error).toBe('TOPIC_ALREADY_EXISTS')
    const badConfig = await post(ui, 'create-topic', { name: 'x', configs: { 'cleanup.policy': 'sometimes' } })
    expect(badConfig.body.error).toBe('INVALID_CONFIG')
    const badName = await post(ui, 'create-topic', { name: 'no/slashes' })
    expect(badName.body.error).toBe('INVALID_TOPIC_EXCEPTION')

    expect((await post(ui, 'delete-topic', { name: 'payments' })).body.ok).toBe(true)
    expect(cluster.describe().topics).toEqual([])
    expect((await post(ui, 'delete-topic', { name: 'payments' })).body.error).toBe('UNKNOWN_TOPIC_OR_PARTITION')
  })

  it('produces a record with key, value and headers, as text or hex, to the leader', async () => {
    const { cluster, ui } = await start()
    await post(ui, 'create-topic', { name: 'orders', partitions: 2, replicationFactor: 3 })
    const text = await post(ui, 'produce', { topic: 'orders', partition: 1, key: 'order-1', value: '{"total":3}', headers: { source: 'console' } })
    expect(text.body.result).toEqual({ topic: 'orders', partition: 1, offset: 0 })
    const bytes = await post(ui, 'produce', { topic: 'orders', partition: 1, key: null, value: 'ff 00 10', encoding: 'hex' })
    expect(bytes.body.result.offset).toBe(1)
    expect(cluster.describe().topics[0]!.partitions[1]!.highWatermark).toBe(2)

    const page = await get(ui, 'api/messages?topic=orders&partition=1')
    expect(page.body.records.map((r: any) => [r.offset, r.key, r.value, r.headers])).toEqual([
      [0, Buffer.from('order-1').toString('hex'), Buffer.from('{"total":3}').toString('hex'), [{ key: 'source', value: Buffer.from('console').toString('hex') }]],
      [1, null, 'ff0010', []],
    ])
    expect((await post(ui, 'produce', { topic: 'orders', partition: 5, value: 'x' })).body.error).toBe('UNKNOWN_TOPIC_OR_PARTITION')
    expect((await post(ui, 'produce', { topic: 'orders', partition: 0, value: 'zz', encoding: 'hex' })).status).toBe(400)
  })

  it('stops, crashes, starts, isolates and heals brokers through the control API', async () => {
    const { cluster, ui } = await start()
    await post(ui, 'create-topic', { name: 'orders', partitions: 1, replicationFactor: 3 })
    const leader = cluster.describe().topics[0]!.partitions[0]!.leader
    expect((await post(ui, 'stop-broker', { brokerId: leader })).body.ok).toBe(true)
    const moved = cluster.describe().topics[0]!.partitions[0]!
    expect(moved.leader).not.toBe(leader)
    expect(moved.leaderEpoch).toBe(1)
    expect((await post(ui, 'start-broker', { brokerId: leader })).body.ok).toBe(true)
    expect(cluster.describe().brokers.find((b) => b.id === leader)!.running).toBe(true)

    expect((await post(ui, 'crash-broker', { brokerId: moved.leader })).body.ok).toBe(true)
    expect(cluster.timeline({ types: ['brokerStopped'] }).at(-1)).toMatchObject({ brokerId: moved.leader, crash: true })
    expect((await post(ui, 'isolate-broker', { brokerId: leader })).body.ok).toBe(true)
    expect(cluster.describe().brokers.find((b) => b.id === leader)!.isolated).toBe(true)
    expect((await post(ui, 'heal', {})).body.ok).toBe(true)
    expect(cluster.describe().brokers.find((b) => b.id === leader)!.isolated).toBe(false)

    const unknown = await post(ui, 'stop-broker', { brokerId: 7 })
    expect(unknown.status).toBe(422)
    expect(unknown.body.error).toBe('BROKER_NOT_AVAILABLE')
  })

  it('runs the cleaner and deletes records below an offset', async () => {
    const { cluster, ui } = await start({ brokers: 1 })
    await post(ui, 'create-topic', { name: 'events', partitions: 1 })
    for (const value of ['a', 'b', 'c']) await post(ui, 'produce', { topic: 'events', partition: 0, value })
    const cleaned = await post(ui, 'run-cleaner', {})
    expect(cleaned.body.ok).toBe(true)
    const deleted = await post(ui, 'delete-records', { topic: 'events', partition: 0, offset: 2 })
    expect(deleted.body.result).toEqual({ topic: 'events', partition: 0, lowWatermark: 2 })
    expect(cluster.describe().topics[0]!.partitions[0]!.logStartOffset).toBe(2)
    const beyond = await post(ui, 'delete-records', { topic: 'events', partition: 0, offset: 10 })
    expect(beyond.body.error).toBe('OFFSET_OUT_OF_RANGE')
    expect((await get(ui, 'api/messages?topic=events&partition=0&offset=0')).body.error).toBe('OFFSET_OUT_OF_RANGE')
  })

  it('resets a group offsets as kafka-consumer-groups does: a preview, then a commit, never on an active group', async () => {
    const { cluster, ui } = await start({ brokers: 1 })
    await post(ui, 'create-topic', { name: 'orders', partitions: 2 })
    for (let i = 0; i < 5; i++) await post(ui, 'produce', { topic: 'orders', partition: i % 2, value: String(i) })
    const kafka = cluster.kafka()
    const consumer = kafka.consumer({ groupId: 'billing' })
    await consumer.connect()
    await consumer.subscribe({ topic: 'orders', fromBeginning: true })
    await consumer.run({ eachMessage: async () => {} })
    await cluster.settle()

    const active = await post(ui, 'reset-offsets', { groupId: 'billing', topic: 'orders', to: 'earliest' })
    expect(active.status).toBe(422)
    expect(active.body.error).toBe('NON_EMPTY_GROUP')
    expect(active.body.message).toContain('inactive')
    await consumer.disconnect()

    const preview = await post(ui, 'reset-offsets', { groupId: 'billing', topic: 'orders', to: 'earliest' })
    expect(preview.body.result).toEqual({
      groupId: 'billing',
      executed: false,
      plan: [
        { topic: 'orders', partition: 0, currentOffset: 3, newOffset: 0 },
        { topic: 'orders', partition: 1, currentOffset: 2, newOffset: 0 },
      ],
    })
    expect(cluster.describe().groups[0]!.offsets.map((o) => o.committedOffset)).toEqual([3, 2])

    const clamped = await post(ui, 'reset-offsets', { groupId: 'billing', topic: 'orders', partition: 0, to: 'offset', value: 99, execute: true })
    expect(clamped.body.result.plan).toEqual([{ topic: 'orders', partition: 0, currentOffset: 3, newOffset: 3 }])
    const shifted = await post(ui, 'reset-offsets', { groupId: 'billing', topic: 'orders', to: 'shift', value: -1, execute: true })
    expect(shifted.body.result.executed).toBe(true)
    expect(cluster.describe().groups[0]!.offsets.map((o) => [o.partition, o.committedOffset, o.lag])).toEqual([
      [0, 2, 1],
      [1, 1, 1],
    ])
    expect((await post(ui, 'reset-offsets', { groupId: 'billing', topic: 'nope', to: 'latest' })).body.error).toBe('UNKNOWN_TOPIC_OR_PARTITION')
  })
})

describe('the message browser', () => {
  it('shows transaction markers and aborted records as such', async () => {
    const { cluster, ui } = await start({ brokers: 1 })
    const kafka = cluster.kafka()
    await kafka.admin().createTopics({ topics: [{ topic: 'ledger', numPartitions: 1 }] })
    const producer = kafka.producer({ transactionalId: 'ledger-writer', idempotent: true, maxInFlightRequests: 1 })
    await producer.connect()
    const committed = await producer.transaction()
    await committed.send({ topic: 'ledger', messages: [{ key: 'a', value: 'kept' }] })
    await committed.commit()
    const aborted = await producer.transaction()
    await aborted.send({ topic: 'ledger', messages: [{ key: 'b', value: 'thrown away' }] })
    await aborted.abort()
    const open = await producer.transaction()
    await open.send({ topic: 'ledger', messages: [{ key: 'c', value: 'pending' }] })

    const page = (await get(ui, 'api/messages?topic=ledger&partition=0')).body
    expect(page.records.map((r: any) => [r.offset, r.control, r.transaction])).toEqual([
      [0, null, 'committed'],
      [1, 'COMMIT', null],
      [2, null, 'aborted'],
      [3, 'ABORT', null],
      [4, null, 'open'],
    ])
    expect(page.lastStableOffset).toBe(4)
    await open.abort()
    await producer.disconnect()
  })

  it('reads from a time', async () => {
    const clock = new ManualClock(10_000)
    const { ui } = await start({ brokers: 1, clock })
    await post(ui, 'create-topic', { name: 'ticks', partitions: 1 })
    for (let i = 0; i < 4; i++) {
      await post(ui, 'produce', { topic: 'ticks', partition: 0, value: `t${i}`, acks: 1 })
      await clock.advance(1000)
    }
    const page = (await get(ui, 'api/messages?topic=ticks&partition=0&timestamp=12000')).body
    expect(page.records.map((r: any) => [r.offset, r.timestamp])).toEqual([
      [2, 12_000],
      [3, 13_000],
    ])
  })
})

describe('the timeline', () => {
  it('tells the story of one topic, one group or one broker', async () => {
    const { ui } = await start()
    await post(ui, 'create-topic', { name: 'a', partitions: 1, replicationFactor: 3 })
    await post(ui, 'create-topic', { name: 'b', partitions: 1, replicationFactor: 1 })
    const onlyA = (await get(ui, 'api/story?topic=a')).body.lines.map((l: any) => l.text)
    expect(onlyA[0]).toBe('created topic a: 1 partition, replication factor 3')
    expect(onlyA.every((line: string) => !line.includes('topic b') && !line.startsWith('b-'))).toBe(true)
    const broker0 = (await get(ui, 'api/story?broker=0')).body.lines.map((l: any) => l.text)
    expect(broker0[0]).toBe('broker 0 registered')
    expect(broker0.some((line: string) => line.includes('broker 1 registered'))).toBe(false)
    await post(ui, 'stop-broker', { brokerId: 2 })
    const broker2 = (await get(ui, 'api/story?broker=2')).body.lines.map((l: any) => l.text)
    expect(broker2).toContain('broker 2 shut down')
    const broker1 = (await get(ui, 'api/story?broker=1')).body.lines.map((l: any) => l.text)
    expect(broker1.some((line: string) => line.includes('broker 2 shut down'))).toBe(false)
    const playback = (await get(ui, 'api/playback')).body
    expect(playback.steps.length).toBeGreaterThan(0)
    expect(playback.steps.flatMap((s: any) => s.events).length).toBe(playback.steps.flatMap((s: any) => s.events.map((e: any) => e.type)).length)
  })
})

describe('bad input', () => {
  it('answers malformed requests with a 4xx and a message, leaving the cluster unchanged', async () => {
    const { cluster, ui } = await start()
    await post(ui, 'create-topic', { name: 'orders', partitions: 2, replicationFactor: 2 })
    const before = stateOf(cluster)
    const cases: [string, unknown, number][] = [
      ['create-topic', '{ not json', 400],
      ['create-topic', '[1,2]', 400],
      ['create-topic', { name: 42 }, 400],
      ['create-topic', { name: 'x', partitions: 'many' }, 400],
      ['create-topic', { name: 'x', partitions: 1.5 }, 400],
      ['create-topic', { name: 'x', replicationFactor: 9 }, 422],
      ['create-topic', { name: 'x', partitions: 0 }, 422],
      ['create-topic', { name: 'x', configs: { 'retention.ms': 5 } }, 400],
      ['produce', { topic: 'orders' }, 400],
      ['produce', { topic: 'orders', partition: -1, value: 'v' }, 400],
      ['produce', { topic: 'orders', partition: 0, value: 'v', acks: 0 }, 400],
      ['produce', { topic: 'orders', partition: 0, value: 'v', headers: { h: 1 } }, 400],
      ['delete-records', { topic: 'orders', partition: 0, offset: 5 }, 422],
      ['stop-broker', {}, 400],
      ['reset-offsets', { groupId: 'g', topic: 'orders', to: 'yesterday' }, 400],
      ['reset-offsets', { groupId: 'g', topic: 'orders', to: 'offset' }, 400],
      ['advance', { ms: -5 }, 400],
      ['no-such-action', {}, 404],
    ]
    for (const [action, body, status] of cases) {
      const answer = await post(ui, action, body)
      expect({ action, body, status: answer.status }).toEqual({ action, body, status })
      expect(answer.body.ok).toBe(false)
      expect(answer.body.message).toBeTruthy()
    }
    expect((await post(ui, 'create-topic', 'name=x', { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(415)
    expect((await post(ui, 'create-topic', { name: 'x' }, { 'content-type': 'application/json', origin: 'http://evil.example' })).status).toBe(403)
    expect((await fetch(new URL('api/actions/heal', ui.url))).status).toBe(405)
    // DNS rebinding: a page of another name resolved to 127.0.0.1 is not answered.
    const rebound = await new Promise<number>((resolve, reject) => {
      const request = httpGet(new URL('api/state', ui.url), { headers: { host: `attacker.example:${ui.port}` } }, (response) => {
        response.resume()
        resolve(response.statusCode!)
      })
      request.on('error', reject)
    })
    expect(rebound).toBe(403)
    expect((await fetch(new URL('api/state', ui.url), { method: 'DELETE' })).status).toBe(405)
    expect((await get(ui, 'api/messages?topic=orders&partition=x')).status).toBe(400)
    expect((await get(ui, 'api/messages?topic=nope&partition=0')).status).toBe(422)
    expect((await get(ui, 'api/story?broker=zero')).status).toBe(400)
    expect(stateOf(cluster)).toEqual(before)
  })
})
