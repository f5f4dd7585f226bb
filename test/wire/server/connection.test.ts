/**
 * One connection's behaviour: framing, request order, responses that never come, and every
 * kind of bad input closing that connection alone.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { javaHostAddress } from '../../../src/wire/connection.js'
import { encodeRequest, RawClient } from './raw-client.js'
import { eventually, serve, warnings, type Served } from './harness.js'
import { Mode, probeLog, probeSchema } from './test-api.js'

let served: Served

beforeEach(async () => {
  probeLog.length = 0
  served = await serve({ listen: { maxRequestBytes: 4096 } })
})
afterEach(async () => {
  await served.close()
})

const probe = (value: string, mode: number = Mode.ANSWER, delayMs = 0) => ({ mode, delayMs, value })

describe('a connection', () => {
  it('answers a request with its correlation id, the client id and the client host as Kafka shows it', async () => {
    const client = await served.connect()
    client.sendRequest(probeSchema, 1, 77, probe('hello'), 'my-app')
    const response = await client.nextResponse(probeSchema, 1)
    expect(response).toEqual({ correlationId: 77, body: { value: 'hello', clientId: 'my-app', clientHost: '/127.0.0.1' } })
  })

  it('answers flexible versions with a flexible response header', async () => {
    const client = await served.connect()
    client.sendRequest(probeSchema, 2, 5, probe('flex'), null)
    expect(await client.nextResponse(probeSchema, 2)).toEqual({ correlationId: 5, body: { value: 'flex', clientId: null, clientHost: '/127.0.0.1' } })
  })

  it('reads frames however the bytes are split: one byte at a time, or many frames in one write', async () => {
    const client = await served.connect()
    const frames = [0, 1, 2].map((i) => {
      const body = encodeRequest(probeSchema, 0, i, probe(`v${i}`))
      const size = Buffer.alloc(4)
      size.writeInt32BE(body.length)
      return Buffer.concat([size, body])
    })
    for (const byte of frames[0]!) {
      client.writeRaw(Buffer.from([byte]))
      await new Promise((resolve) => setImmediate(resolve))
    }
    client.writeRaw(Buffer.concat([frames[1]!, frames[2]!]))
    const answers = [await client.nextResponse(probeSchema, 0), await client.nextResponse(probeSchema, 0), await client.nextResponse(probeSchema, 0)]
    expect(answers.map((a) => [a?.correlationId, a?.body.value])).toEqual([
      [0, 'v0'],
      [1, 'v1'],
      [2, 'v2'],
    ])
  })

  it('answers pipelined requests in request order: a long poll delays the quick request behind it', async () => {
    const client = await served.connect()
    client.sendRequest(probeSchema, 0, 1, probe('slow', Mode.ANSWER, 300))
    client.sendRequest(probeSchema, 0, 2, probe('quick'))
    const first = await client.nextResponse(probeSchema, 0)
    const second = await client.nextResponse(probeSchema, 0)
    expect([first?.correlationId, second?.correlationId]).toEqual([1, 2])
    // As Kafka mutes a channel while its request is handled, the quick one was not even started first.
    expect(probeLog.map((e) => e.value)).toEqual(['slow', 'quick'])
  })

  it('sends nothing for a request that has no response (acks=0) and keeps the order of the rest', async () => {
    const client = await served.connect()
    client.sendRequest(probeSchema, 0, 1, probe('a', Mode.ANSWER, 50))
    client.sendRequest(probeSchema, 0, 2, probe('silent', Mode.SILENT))
    client.sendRequest(probeSchema, 0, 3, probe('c'))
    expect((await client.nextResponse(probeSchema, 0))?.correlationId).toBe(1)
    expect((await client.nextResponse(probeSchema, 0))?.correlationId).toBe(3)
    expect(probeLog.map((e) => e.value)).toEqual(['a', 'silent', 'c'])
    await client.close()
  })

  it('serves many connections at once, each in its own order', async () => {
    const clients = await Promise.all(Array.from({ length: 40 }, () => served.connect()))
    const results = await Promise.all(
      clients.map(async (client, c) => {
        for (let i = 0; i < 20; i++) client.sendRequest(probeSchema, i % 3, i, probe(`${c}-${i}`, Mode.ANSWER, i % 5 === 0 ? 5 : 0))
        const got: string[] = []
        for (let i = 0; i < 20; i++) {
          const r = await client.nextResponse(probeSchema, i % 3)
          got.push(`${r?.correlationId}:${String(r?.body.value)}`)
        }
        return got
      }),
    )
    results.forEach((got, c) => expect(got).toEqual(Array.from({ length: 20 }, (_, i) => `${i}:${c}-${i}`)))
  })

  it('closes the connection when a handler never finishes and the client goes away, aborting the handler', async () => {
    const client = await served.connect()
    client.sendRequest(probeSchema, 0, 1, probe('hang', Mode.HANG))
    await eventually(() => probeLog.length === 1)
    await client.close()
    await eventually(() => probeLog[0]!.aborted, 2000, 'the handler to see the abort')
  })
})

describe('bad input closes that connection, logged, and nothing else', () => {
  async function expectClosedAndOthersServed(client: RawClient, reason: RegExp): Promise<void> {
    await client.closed
    await eventually(() => warnings(served.logs).some((m) => reason.test(m)), 2000, `a warning matching ${reason}`)
    const other = await served.connect()
    other.sendRequest(probeSchema, 0, 9, probe('still here'))
    expect((await other.nextResponse(probeSchema, 0))?.body.value).toBe('still here')
  }

  it('a frame larger than socket.request.max.bytes, refused before its bytes arrive', async () => {
    const client = await served.connect()
    const size = Buffer.alloc(4)
    size.writeInt32BE(4097)
    client.writeRaw(size)
    await expectClosedAndOthersServed(client, /Invalid receive \(size = 4097 larger than 4096\)/)
  })

  it('a negative frame size', async () => {
    const client = await served.connect()
    client.writeRaw(Buffer.from([0xff, 0xff, 0xff, 0xfe]))
    await expectClosedAndOthersServed(client, /Invalid receive \(size = -2\)/)
  })

  it('a frame shorter than a request header', async () => {
    const client = await served.connect()
    client.writeFrame(Buffer.from([0, 1, 0]))
    await expectClosedAndOthersServed(client, /shorter than a request header/)
  })

  it('an API key the server does not serve (kafka-python probes with this)', async () => {
    const client = await served.connect()
    const body = Buffer.alloc(10)
    body.writeInt16BE(32000, 0)
    client.writeFrame(body)
    await expectClosedAndOthersServed(client, /unknown or unsupported API key 32000/)
  })

  it('a version outside the advertised range', async () => {
    const client = await served.connect()
    const body = encodeRequest(probeSchema, 2, 1, probe('x'))
    body.writeInt16BE(3, 2)
    client.writeFrame(body)
    await expectClosedAndOthersServed(client, /Probe v3 is not supported \(this server answers v0-2\)/)
  })

  it('a truncated request body', async () => {
    const client = await served.connect()
    const body = encodeRequest(probeSchema, 1, 1, probe('truncated'))
    client.writeFrame(body.subarray(0, body.length - 3))
    await expectClosedAndOthersServed(client, /malformed Probe v1 request/)
  })

  it('a handler that throws (logged as an error with its stack)', async () => {
    const client = await served.connect()
    client.sendRequest(probeSchema, 0, 1, probe('boom', Mode.THROW))
    await expectClosedAndOthersServed(client, /Probe v0 failed: Error: probe boom failed on purpose/)
    expect(served.logs.find((l) => l.level === 'error')?.message).toContain('client id "raw-client"')
  })

  it('a response the schema cannot carry', async () => {
    const client = await served.connect()
    client.sendRequest(probeSchema, 0, 1, probe('x', Mode.UNENCODABLE))
    await expectClosedAndOthersServed(client, /could not encode the Probe v0 response/)
  })

  it('responses already queued behind a closing request are not sent', async () => {
    const client = await served.connect()
    client.sendRequest(probeSchema, 0, 1, probe('ok'))
    client.sendRequest(probeSchema, 0, 2, probe('boom', Mode.THROW))
    client.sendRequest(probeSchema, 0, 3, probe('never'))
    expect((await client.nextResponse(probeSchema, 0))?.correlationId).toBe(1)
    expect(await client.nextFrame()).toBeUndefined()
    expect(probeLog.map((e) => e.value)).toEqual(['ok', 'boom'])
  })
})

describe('javaHostAddress', () => {
  it('writes addresses as Java does', () => {
    expect(javaHostAddress('127.0.0.1')).toBe('127.0.0.1')
    expect(javaHostAddress('::ffff:10.0.0.7')).toBe('10.0.0.7')
    expect(javaHostAddress('::1')).toBe('0:0:0:0:0:0:0:1')
    expect(javaHostAddress('fe80::a:00b0')).toBe('fe80:0:0:0:0:0:a:b0')
  })
})
