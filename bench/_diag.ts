import { messages, topicFixture } from './fixtures.js'
const total = 100_000
const f = await topicFixture({ partitions: 3 })
const batch = messages(1000)
for (let s = 0; s < total; s += 1000) await f.producer.sendBatch({ topicMessages: [{ topic: f.topic, messages: batch }], acks: -1 })
for (let i = 0; i < 25; i++) {
  const c = f.kafka.consumer({ groupId: 'g' + i })
  await c.connect()
  let seen = 0, batches = 0, first = 0
  let done!: () => void
  const p = new Promise<void>(r => (done = r))
  const t0 = performance.now()
  await c.subscribe({ topics: [f.topic], fromBeginning: true })
  await c.run({ eachBatch: async ({ batch }) => { if (!first) first = performance.now() - t0; batches++; for (const _m of batch.messages) seen++; if (seen >= total) done() } })
  await p
  const ms = performance.now() - t0
  const d0 = performance.now()
  await c.disconnect()
  const heap = process.memoryUsage().heapUsed / 1e6
  console.log(i, ms.toFixed(1), 'ms; first batch', first.toFixed(1), 'ms; batches', batches, 'disconnect', (performance.now() - d0).toFixed(1), 'ms heap', heap.toFixed(0), 'MB')
}
await f.close()
