/**
 * Every teaching example, in the order the guide (docs/guide.md) tells them. `npm run examples`
 * runs them in this order; the guide test runs each one and compares its output with the guide.
 */
import type { Example } from './example.js'

export interface CatalogEntry {
  readonly name: string
  readonly load: () => Promise<Example>
}

const entry = (name: string, load: () => Promise<{ default: Example<unknown> }>): CatalogEntry => ({
  name,
  load: async () => (await load()).default,
})

export const catalog: readonly CatalogEntry[] = [
  entry('topics-partitions-offsets', () => import('../topics-partitions-offsets/main.js')),
  entry('consumer-groups', () => import('../consumer-groups/main.js')),
  entry('offsets-and-replay', () => import('../offsets-and-replay/main.js')),
  entry('replication', () => import('../replication/main.js')),
  entry('controller', () => import('../controller/main.js')),
  entry('log-compaction', () => import('../log-compaction/main.js')),
  entry('retention', () => import('../retention/main.js')),
  entry('exactly-once', () => import('../exactly-once/main.js')),
  entry('parallel-processing', () => import('../parallel-processing/main.js')),
  entry('retries-and-dead-letters', () => import('../retries-and-dead-letters/main.js')),
  entry('back-pressure', () => import('../back-pressure/main.js')),
  entry('order-workflow-extended', () => import('../order-workflow-extended/main.js')),
  entry('security', () => import('../security/main.js')),
]

export function findExample(name: string): CatalogEntry | undefined {
  return catalog.find((e) => e.name === name)
}
