/**
 * Process lifetime like a socket's: a plain Node script stays alive while a client is connected
 * (a running consumer, a send in its retry back-off) and exits by itself once every client has
 * disconnected, whatever timers the cluster still has. Each case runs a child process.
 */
import { describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const entry = resolve('src/index.ts')

function runScript(body: string): { status: number | null; stdout: string; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), 'memkafka-lifetime-'))
  const file = join(dir, 'script.mts')
  writeFileSync(file, `import { Cluster, logLevel } from ${JSON.stringify(entry)}\n${body}\n`)
  const result = spawnSync(process.execPath, ['--import', 'tsx', file], { cwd: resolve('.'), encoding: 'utf8', timeout: 25_000 })
  return { status: result.status, stdout: result.stdout, stderr: result.stderr }
}

describe('process lifetime', () => {
  it('a running consumer keeps a script alive; once it disconnects the script exits with nothing else to do', { timeout: 30_000 }, () => {
    const { status, stdout, stderr } = runScript(`
      const cluster = new Cluster({ clock: 'system' })
      const kafka = cluster.kafka({ logLevel: logLevel.NOTHING })
      const consumer = kafka.consumer({ groupId: 'g' })
      await consumer.connect()
      await consumer.subscribe({ topic: 't' })
      await consumer.run({ eachMessage: async () => {} })
      // An unref'd timer fires only if something else keeps the process alive: the consumer.
      setTimeout(() => {
        console.log('still running')
        consumer.disconnect().then(() => console.log('disconnected'))
      }, 300).unref()
    `)
    expect(stderr).toBe('')
    expect(stdout).toBe('still running\ndisconnected\n')
    expect(status).toBe(0)
  })

  it('a send in its retry back-off on the wall clock finishes before the script exits', { timeout: 30_000 }, () => {
    const { status, stdout } = runScript(`
      const cluster = new Cluster({ clock: 'system', brokers: 2 })
      const kafka = cluster.kafka({ logLevel: logLevel.NOTHING })
      const admin = kafka.admin()
      await admin.connect()
      await admin.createTopics({ topics: [{ topic: 't', numPartitions: 1, replicationFactor: 1 }] })
      await admin.disconnect()
      const producer = kafka.producer({ retry: { retries: 3, initialRetryTime: 100 } })
      await producer.connect()
      const leader = cluster.describe().topics.find((t) => t.name === 't').partitions[0].leader
      cluster.isolate(leader)
      setTimeout(() => cluster.heal(), 150).unref()
      // Not awaited: the main module ends here, with the send waiting in its back-off.
      producer.send({ topic: 't', messages: [{ value: 'x' }] }).then(
        () => console.log('sent'),
        (e) => console.log('failed', e.name),
      ).finally(() => producer.disconnect())
    `)
    expect(stdout).toBe('sent\n')
    expect(status).toBe(0)
  })

  it('a cluster whose clients all disconnected keeps nothing alive (its own timers do not count)', { timeout: 30_000 }, () => {
    const { status, stdout } = runScript(`
      const cluster = new Cluster({ brokers: 3 })
      const kafka = cluster.kafka({ logLevel: logLevel.NOTHING })
      const producer = kafka.producer()
      await producer.connect()
      await producer.send({ topic: 't', acks: -1, messages: [{ value: 'x' }] })
      await producer.disconnect()
      cluster.stopBroker(1, { crash: true })
      console.log('done')
    `)
    expect(stdout).toBe('done\n')
    expect(status).toBe(0)
  })
})
