/**
 * cluster.listen(): one listener per broker, the fault API acting on wire clients, and closing
 * that leaves nothing behind.
 */
import { createServer, connect, type AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { Cluster } from '../../../src/client/cluster.js'
import { SystemClock } from '../../../src/cluster/clock.js'
import { RawClient } from './raw-client.js'
import { eventually, serve, type Served } from './harness.js'
import { Mode, probeLog, probeSchema } from './test-api.js'

let served: Served | undefined
afterEach(async () => {
  await served?.close()
  served = undefined
  probeLog.length = 0
})

const probe = (value: string, mode: number = Mode.ANSWER, delayMs = 0) => ({ mode, delayMs, value })

/** Whether a connection to the port is accepted and then kept (a refused one is reset at once). */
async function accepted(port: number): Promise<boolean> {
  const client = await RawClient.connect(port).catch(() => undefined)
  if (!client) return false
  client.sendRequest(probeSchema, 0, 1, probe('ping'))
  const answer = await client.nextFrame()
  await client.close()
  return answer !== undefined
}

/** A free run of `n` consecutive loopback ports (best effort: found by binding them). */
async function freePorts(n: number): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const first = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const port = (s.address() as AddressInfo).port
        s.close(() => resolve(port))
      })
    })
    if (first + n > 65535) continue
    const probes = await Promise.all(
      Array.from({ length: n }, (_, i) => new Promise<boolean>((resolve) => {
        const s = createServer()
        s.once('error', () => resolve(false))
        s.listen(first + i, '127.0.0.1', () => s.close(() => resolve(true)))
      })),
    )
    if (probes.every(Boolean)) return first
  }
  throw new Error('no free port run')
}

describe('cluster.listen()', () => {
  it('gives each broker its own ephemeral port on port 0, and lists them as bootstrap brokers', async () => {
    served = await serve({ brokers: 3 })
    const ports = served.server.brokers.map((b) => b.port)
    expect(new Set(ports).size).toBe(3)
    expect(served.server.brokers.map((b) => b.id)).toEqual([0, 1, 2])
    expect(served.server.bootstrapBrokers).toEqual(ports.map((p) => `127.0.0.1:${p}`))
    for (const port of ports) expect(await accepted(port)).toBe(true)
  })

  it('puts broker i on port + i, advertising the advertised host', async () => {
    const base = await freePorts(3)
    served = await serve({ brokers: 3, listen: { port: base, advertisedHost: 'kafka.example' } })
    expect(served.server.brokers).toEqual([
      { id: 0, host: 'kafka.example', port: base },
      { id: 1, host: 'kafka.example', port: base + 1 },
      { id: 2, host: 'kafka.example', port: base + 2 },
    ])
    expect(served.server.bootstrapBrokers).toEqual([`kafka.example:${base}`, `kafka.example:${base + 1}`, `kafka.example:${base + 2}`])
  })

  it('fails clearly when a port is taken, leaving no listener open', async () => {
    const base = await freePorts(3)
    const blocker = createServer()
    await new Promise<void>((resolve) => blocker.listen(base + 1, '127.0.0.1', resolve))
    const cluster = new Cluster({ brokers: 3, clock: new SystemClock() })
    try {
      await expect(cluster.listen({ port: base, log: () => {} })).rejects.toThrow(`broker 1 cannot listen on 127.0.0.1:${base + 1}: EADDRINUSE`)
      // The ports of brokers 0 and 2 were released.
      const again = new Cluster({ brokers: 1, clock: new SystemClock() })
      const server = await again.listen({ port: base + 2, log: () => {} })
      expect(server.brokers[0]!.port).toBe(base + 2)
      await again.close()
    } finally {
      blocker.close()
      await cluster.close()
    }
  })

  it('refuses an unknown --as-version, listing the known ones', async () => {
    const cluster = new Cluster({ clock: new SystemClock() })
    await expect(cluster.listen({ asVersion: '2.9' })).rejects.toThrow(/Unknown Kafka version "2.9".*0\.11, 1\.0, 1\.1, 2\.0.*3\.7/)
    await cluster.close()
  })
})

describe('faults act on wire clients', () => {
  it('a stopped broker\'s port is closed: a client\'s connect fails with ECONNREFUSED until startBroker opens the same port again', async () => {
    served = await serve({ brokers: 2 })
    const port = served.server.brokers[0]!.port
    const connectError = () =>
      new Promise<string | undefined>((resolve) => {
        const socket = connect(port, '127.0.0.1')
        socket.once('connect', () => {
          socket.destroy()
          resolve(undefined)
        })
        socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code))
      })
    expect(await connectError()).toBeUndefined()
    served.cluster.stopBroker(0)
    expect(await connectError()).toBe('ECONNREFUSED')
    served.cluster.startBroker(0)
    expect(served.server.brokers[0]!.port).toBe(port)
    expect(await accepted(port)).toBe(true)
    // A crash closes it the same way.
    served.cluster.stopBroker(0, { crash: true })
    expect(await connectError()).toBe('ECONNREFUSED')
  })

  it('stopBroker closes the broker\'s sockets and refuses new ones; startBroker accepts again', async () => {
    served = await serve({ brokers: 2 })
    const [b0, b1] = served.server.brokers
    const idle = await served.connect(0)
    const other = await served.connect(1)
    served.cluster.stopBroker(0)
    await idle.closed
    expect(await accepted(b0!.port)).toBe(false)
    // The other broker's connection lives on.
    other.sendRequest(probeSchema, 0, 1, probe('alive'))
    expect((await other.nextResponse(probeSchema, 0))?.body.value).toBe('alive')
    served.cluster.startBroker(0)
    expect(await accepted(b0!.port)).toBe(true)
    expect(await accepted(b1!.port)).toBe(true)
  })

  it('a broker stopped mid-request closes the connection waiting on it', async () => {
    served = await serve({ brokers: 1 })
    const client = await served.connect()
    const release = served.cluster.intercept('Metadata', () => ({ delayMs: 60_000 }))
    client.sendRequest(probeSchema, 0, 1, probe('waits', Mode.CLUSTER))
    await eventually(() => probeLog.length === 1)
    served.cluster.stopBroker(0, { crash: true })
    await client.closed
    release()
  })

  it('isolate closes sockets and refuses connections until heal', async () => {
    served = await serve({ brokers: 2 })
    const client = await served.connect(1)
    served.cluster.isolate(1)
    await client.closed
    expect(await accepted(served.server.brokers[1]!.port)).toBe(false)
    served.cluster.heal()
    expect(await accepted(served.server.brokers[1]!.port)).toBe(true)
  })

  it('intercept sees wire requests with the client id of their header', async () => {
    served = await serve()
    const seen: (string | undefined)[] = []
    served.cluster.intercept('Metadata', ({ clientId }) => void seen.push(clientId))
    const client = await served.connect()
    client.sendRequest(probeSchema, 0, 1, probe('x', Mode.CLUSTER), 'wire-app')
    expect((await client.nextResponse(probeSchema, 0))?.body.value).toBe('1')
    expect(seen).toEqual(['wire-app'])
  })

  it('an intercepted disconnect closes the wire connection', async () => {
    served = await serve()
    served.cluster.intercept('Metadata', () => ({ disconnect: true }), { times: 1 })
    const client = await served.connect()
    client.sendRequest(probeSchema, 0, 1, probe('x', Mode.CLUSTER))
    expect(await client.nextFrame()).toBeUndefined()
    const again = await served.connect()
    again.sendRequest(probeSchema, 0, 2, probe('y', Mode.CLUSTER))
    expect((await again.nextResponse(probeSchema, 0))?.body.value).toBe('1')
  })

  it('pauseClient holds the requests of that client id until resumeClient', async () => {
    served = await serve()
    served.cluster.pauseClient('sleepy')
    const sleepy = await served.connect()
    const awake = await served.connect()
    sleepy.sendRequest(probeSchema, 0, 1, probe('held', Mode.CLUSTER), 'sleepy')
    awake.sendRequest(probeSchema, 0, 1, probe('free', Mode.CLUSTER), 'awake')
    expect((await awake.nextResponse(probeSchema, 0))?.correlationId).toBe(1)
    let answered = false
    const pending = sleepy.nextResponse(probeSchema, 0).then((r) => {
      answered = true
      return r
    })
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(answered).toBe(false)
    served.cluster.resumeClient('sleepy')
    expect((await pending)?.body.value).toBe('1')
  })
})

describe('closing', () => {
  const handles = (): number => process.getActiveResourcesInfo().filter((r) => r === 'TCPServerWrap' || r === 'TCPSocketWrap').length

  it('server.close() ends every connection and frees the ports', async () => {
    const before = handles()
    const cluster = new Cluster({ brokers: 2, clock: new SystemClock() })
    const server = await cluster.listen({ log: () => {} })
    const clients = await Promise.all([RawClient.connect(server.brokers[0]!.port), RawClient.connect(server.brokers[1]!.port)])
    await server.close()
    await Promise.all(clients.map((c) => c.closed))
    await eventually(() => handles() <= before, 2000, 'every socket handle to be released')
    // Each port can be bound again (by its own port: port + i of another listen() could be
    // anybody's ephemeral port by now).
    for (const broker of server.brokers) {
      await new Promise<void>((resolve, reject) => {
        const s = createServer()
        s.once('error', reject)
        s.listen(broker.port, '127.0.0.1', () => s.close(() => resolve()))
      })
    }
    await cluster.close()
    await eventually(() => handles() <= before, 2000, 'every socket handle to be released')
  })

  it('cluster.close() closes its listeners and their connections', async () => {
    const before = handles()
    const cluster = new Cluster({ brokers: 3, clock: new SystemClock() })
    const server = await cluster.listen({ log: () => {} })
    const client = await RawClient.connect(server.brokers[2]!.port)
    await cluster.close()
    await client.closed
    expect(handles()).toBeLessThanOrEqual(before)
    await new Promise<void>((resolve) => {
      const socket = connect({ port: server.brokers[0]!.port, host: '127.0.0.1' })
      socket.on('error', () => resolve())
      socket.on('connect', () => {
        socket.destroy()
        throw new Error('a closed cluster still accepts connections')
      })
    })
  })

  it('listen() on a closed cluster fails', async () => {
    const cluster = new Cluster({ clock: new SystemClock() })
    await cluster.close()
    await expect(cluster.listen()).rejects.toThrow('the cluster is closed')
  })
})

describe('a listening cluster on the self-advancing clock', () => {
  it('holds the clock while a wire client is connected, so time follows the wall clock for it, and lets go when it leaves', async () => {
    const cluster = new Cluster()
    try {
      const server = await cluster.listen()
      const clock = cluster.clock as unknown as { describe(): string }
      expect(clock.describe()).not.toContain('held by')
      const client = await RawClient.connect(server.brokers[0]!.port)
      await eventually(() => clock.describe().includes('held by: a wire client of broker 0'), 2000, 'the hold')
      await client.close()
      await eventually(() => !clock.describe().includes('held by'), 2000, 'the release')
    } finally {
      await cluster.close()
    }
  })
})
