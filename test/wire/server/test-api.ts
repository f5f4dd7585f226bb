/**
 * A made-up API for the server's own tests (key 9000, "Probe", v0-2, flexible from v2): its
 * request says what the handler should do, so a test can make a request slow, silent, failing
 * or unencodable without depending on any real Kafka API's mapping.
 */
import type { WireApi, WireContext } from '../../../src/wire/api.js'
import type { ApiSchema, WireMessage } from '../../../src/wire/protocol/schema.js'

export const PROBE_KEY = 9000

export const Mode = {
  /** Answer `value` after `delayMs` (a long poll; ends early, unanswered, if the connection closes). */
  ANSWER: 0,
  /** Send no response (as Produce with acks=0). */
  SILENT: 1,
  /** Throw an ordinary error. */
  THROW: 2,
  /** Send a request to the cluster (Metadata) and answer with the broker count it lists. */
  CLUSTER: 3,
  /** Answer with a message the response schema cannot carry (a null in a non-nullable string). */
  UNENCODABLE: 4,
  /** Wait until the connection closes; never answer. */
  HANG: 5,
} as const

export const probeSchema: ApiSchema = {
  apiKey: PROBE_KEY,
  name: 'Probe',
  request: {
    apiKey: PROBE_KEY,
    name: 'ProbeRequest',
    type: 'request',
    validVersions: '0-2',
    flexibleVersions: '2+',
    fields: [
      { name: 'Mode', type: 'int8', versions: '0+' },
      { name: 'DelayMs', type: 'int32', versions: '0+' },
      { name: 'Value', type: 'string', versions: '0+' },
    ],
  },
  response: {
    apiKey: PROBE_KEY,
    name: 'ProbeResponse',
    type: 'response',
    validVersions: '0-2',
    flexibleVersions: '2+',
    fields: [
      { name: 'Value', type: 'string', versions: '0+' },
      { name: 'ClientId', type: 'string', versions: '0+', nullableVersions: '0+' },
      { name: 'ClientHost', type: 'string', versions: '0+' },
    ],
  },
}

/** What the probe handler saw, newest last. */
export const probeLog: { mode: number; value: string; clientId: string | null; aborted: boolean }[] = []

export const probeApi: WireApi = {
  apiKey: PROBE_KEY,
  name: 'Probe',
  minVersion: 0,
  maxVersion: 2,
  async handle(request: WireMessage, ctx: WireContext): Promise<WireMessage | undefined> {
    const mode = request.mode as number
    const value = request.value as string
    const entry = { mode, value, clientId: ctx.clientId, aborted: false }
    probeLog.push(entry)
    const answer = { value, clientId: ctx.clientId, clientHost: ctx.clientHost }
    switch (mode) {
      case Mode.ANSWER: {
        const delayMs = request.delayMs as number
        if (delayMs > 0) {
          const finished = await new Promise<boolean>((resolve) => {
            const timer = setTimeout(() => resolve(true), delayMs)
            ctx.signal.addEventListener('abort', () => {
              clearTimeout(timer)
              resolve(false)
            })
          })
          if (!finished) {
            entry.aborted = true
            return undefined
          }
        }
        return answer
      }
      case Mode.SILENT:
        return undefined
      case Mode.THROW:
        throw new Error(`probe ${value} failed on purpose`)
      case Mode.CLUSTER: {
        const metadata = await ctx.cluster.send(ctx.brokerId, { api: 'Metadata', topics: [], allowAutoTopicCreation: false }, ctx.source)
        return { ...answer, value: String(metadata.brokers.length) }
      }
      case Mode.UNENCODABLE:
        return { value: null, clientId: null, clientHost: ctx.clientHost }
      case Mode.HANG:
        await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve()))
        entry.aborted = true
        return undefined
      default:
        throw new Error(`unknown probe mode ${mode}`)
    }
  },
}
