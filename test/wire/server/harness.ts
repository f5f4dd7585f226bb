/**
 * A served cluster for the server tests: a Cluster on the wall clock, its listeners on
 * ephemeral loopback ports, the made-up Probe API (test-api.ts) served beside the real ones,
 * and every log line collected instead of printed.
 */
import { Cluster } from '../../../src/client/cluster.js'
import { SystemClock } from '../../../src/cluster/clock.js'
import { wireApis } from '../../../src/wire/apis/index.js'
import { schemas } from '../../../src/wire/messages/index.js'
import type { WireApi } from '../../../src/wire/api.js'
import type { ApiSchema } from '../../../src/wire/protocol/schema.js'
import type { ListenOptions, WireServer } from '../../../src/wire/server.js'
import type { WireLogEntry } from '../../../src/wire/wire-log.js'
import { RawClient } from './raw-client.js'
import { probeApi, probeSchema } from './test-api.js'

export interface Served {
  readonly cluster: Cluster
  readonly server: WireServer
  readonly logs: WireLogEntry[]
  /** A raw client connected to broker `index` (default the first). */
  connect(index?: number): Promise<RawClient>
  close(): Promise<void>
}

export async function serve(options: { brokers?: number; listen?: ListenOptions } = {}): Promise<Served> {
  const cluster = new Cluster({ brokers: options.brokers ?? 1, clock: new SystemClock(), seed: 1 })
  const logs: WireLogEntry[] = []
  const apis = new Map<number, WireApi>([...wireApis, [probeApi.apiKey, probeApi]])
  const allSchemas = new Map<number, ApiSchema>([...schemas, [probeSchema.apiKey, probeSchema]])
  const server = await cluster.listen({ apis, schemas: allSchemas, log: (entry) => logs.push(entry), ...options.listen })
  const clients: RawClient[] = []
  return {
    cluster,
    server,
    logs,
    async connect(index = 0) {
      const client = await RawClient.connect(server.brokers[index]!.port)
      clients.push(client)
      return client
    },
    async close() {
      await Promise.all(clients.map((c) => c.close()))
      await cluster.close()
    },
  }
}

/** Resolves when `check` holds, polling; fails after `ms`. */
export async function eventually(check: () => boolean, ms = 2000, what = 'a condition'): Promise<void> {
  const started = Date.now()
  while (!check()) {
    if (Date.now() - started > ms) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

/** The messages of warn/error log entries. */
export function warnings(logs: readonly WireLogEntry[]): string[] {
  return logs.filter((l) => l.level === 'warn' || l.level === 'error').map((l) => l.message)
}
