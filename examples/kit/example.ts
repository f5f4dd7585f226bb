/**
 * What every teaching example is made of: a name, a title, and a `run(ctx)` that drives an
 * in-process cluster and prints what happens through the context, part by part. The same run
 * serves three readers: a person at a terminal (`npm run example -- <name>`), the example's own
 * test (which checks the facts `run` returns), and the guide (docs/guide.md shows each part's
 * output, and test/docs/guide.test.ts fails when the two drift apart).
 *
 * So an example must print the same text on every run: every cluster it makes runs on a
 * ManualClock from 0 with a fixed seed, and nothing it prints comes from the wall clock.
 */
import { Cluster, ManualClock, logLevel, type ClusterOptions, type Kafka, type KafkaConfig } from '../../src/index.js'
import type { StoryOptions } from '../../src/cluster/story.js'

/** A titled stretch of an example's output; the guide shows one per ```text block. */
export interface ExamplePart {
  readonly id: string
  readonly heading: string
  readonly lines: string[]
}

export interface Example<R = unknown> {
  /** Its folder under examples/, and the name `npm run example -- <name>` takes. */
  readonly name: string
  readonly title: string
  /** Drives the clusters it makes through `ctx`, printing as it goes; returns what its test checks. */
  run(ctx: ExampleContext): Promise<R>
}

export function defineExample<R>(example: Example<R>): Example<R> {
  return example
}

export interface ExampleHooks {
  /** Each line as it is printed (the terminal runner writes it out at once). */
  readonly onLine?: (line: string, part: ExamplePart) => void
  /** A new part starts. */
  readonly onPart?: (part: ExamplePart) => void
  /** Makes the clock of each cluster (the live view passes one that redraws as time moves). */
  readonly clock?: () => ManualClock
  /** Each cluster the example makes, as it is made. */
  readonly onCluster?: (cluster: Cluster) => void
}

/** kafkajs's retry defaults outside tests (src/retry/defaults.js). */
const PRODUCTION_RETRY = { retries: 5, initialRetryTime: 300, maxRetryTime: 30_000, factor: 0.2, multiplier: 2 }

export type ExampleClusterOptions = Omit<ClusterOptions, 'clock'>

export class ExampleContext {
  readonly parts: ExamplePart[] = []
  private readonly clusters: Cluster[] = []
  private readonly cleanups: (() => unknown)[] = []
  private readonly hooks: ExampleHooks

  constructor(hooks: ExampleHooks = {}) {
    this.hooks = hooks
  }

  /** Starts a new part of the output; `id` names it in the guide (```text <example>#<id>). */
  part(id: string, heading: string): void {
    // The guide tags its blocks with `<example>#<part id>`: keep ids to what a tag can hold.
    if (!/^[a-z0-9-]+$/.test(id)) throw new Error(`part id ${JSON.stringify(id)}: use lower-case letters, digits and dashes`)
    if (this.parts.some((p) => p.id === id)) throw new Error(`part ${id} is printed twice`)
    const part: ExamplePart = { id, heading, lines: [] }
    this.parts.push(part)
    this.hooks.onPart?.(part)
  }

  /** Prints text (one or more lines) into the current part. */
  log(text = ''): void {
    if (this.parts.length === 0) this.part('main', 'Output')
    const part = this.parts.at(-1)!
    for (const line of text.split('\n')) {
      part.lines.push(line)
      this.hooks.onLine?.(line, part)
    }
  }

  /**
   * A 3-broker cluster (unless told otherwise) on a ManualClock at 0 with seed 1: the same run
   * every time. Closed when the example ends.
   */
  cluster(options: ExampleClusterOptions = {}): Cluster {
    const clock = this.hooks.clock?.() ?? new ManualClock(0)
    const cluster = new Cluster({ brokers: 3, seed: 1, ...options, clock })
    this.clusters.push(cluster)
    this.hooks.onCluster?.(cluster)
    return cluster
  }

  /**
   * A kafkajs `Kafka` for one client of the cluster. kafkajs's own logging is off: the example
   * prints what it wants to show, and a log line with a wall-clock time would break the guide.
   * The retry settings are kafkajs's production defaults, spelled out: left implicit, kafkajs
   * (and memkafka) take quicker ones when NODE_ENV=test, and the example run by its test would
   * not print what it prints in a terminal.
   */
  kafka(cluster: Cluster, clientId: string, config: Omit<KafkaConfig, 'clientId' | 'brokers'> = {}): Kafka {
    return cluster.kafka({ clientId, logLevel: logLevel.NOTHING, ...config, retry: { ...PRODUCTION_RETRY, ...config.retry } })
  }

  /** Prints cluster.format(): brokers, partitions (leader, ISR, watermarks), groups (members, lag). */
  view(cluster: Cluster): void {
    this.log(cluster.format())
  }

  /** Prints cluster.story(): the timeline as sentences. */
  story(cluster: Cluster, options?: StoryOptions): void {
    this.log(cluster.story(options))
  }

  /** Runs `cleanup` when the example ends (before the clusters close), last registered first. */
  defer(cleanup: () => unknown): void {
    this.cleanups.push(cleanup)
  }

  /** Moves the cluster's clock forward in steps until `condition` holds; throws after `maxMs`. */
  async until(cluster: Cluster, condition: () => boolean | Promise<boolean>, what: string, { stepMs = 100, maxMs = 120_000 } = {}): Promise<void> {
    for (let waited = 0; !(await condition()); waited += stepMs) {
      if (waited >= maxMs) throw new Error(`${what}: not reached after ${maxMs} ms of virtual time\n${cluster.format()}`)
      await cluster.advance(stepMs)
    }
  }

  /** Moves the clock forward in steps until `promise` settles (a join that waits for heartbeats). */
  async drive<T>(cluster: Cluster, promise: Promise<T>, what: string, options: { stepMs?: number; maxMs?: number } = {}): Promise<T> {
    let settled = false
    const watched = promise.finally(() => {
      settled = true
    })
    // Settling is checked before each step; the rejection, if any, surfaces from `await watched`.
    watched.catch(() => {})
    await this.until(cluster, () => settled, what, options)
    return watched
  }

  /** The whole output as the terminal shows it: each part under its heading. */
  text(): string {
    return this.parts.map((p) => [`== ${p.heading} ==`, ...trimEnd(p.lines)].join('\n')).join('\n\n')
  }

  /**
   * Runs the cleanups, then closes every cluster. A cleanup may need virtual time (a consumer's
   * disconnect waits for its handler, which may be waiting on the clock), so the clocks move
   * while it runs; one that does not finish within a minute of virtual time is abandoned, and
   * closing the cluster ends whatever it was waiting for.
   */
  async close(): Promise<void> {
    const cluster = this.clusters.at(-1)
    for (const cleanup of this.cleanups.splice(0).reverse()) {
      let done = false
      const running = Promise.resolve()
        .then(cleanup)
        .catch(() => {
          // A client that cannot disconnect cleanly (its broker is gone) must not hide the example's result.
        })
        .finally(() => {
          done = true
        })
      for (let waited = 0; !done && cluster && !cluster.isClosed && waited < 60_000; waited += 100) await cluster.advance(100)
      if (done || !cluster) await running
    }
    for (const c of this.clusters.splice(0)) await c.close()
  }
}

/** A part's lines as the guide shows them: trailing blank lines dropped. */
export function trimEnd(lines: readonly string[]): string[] {
  const out = [...lines]
  while (out.length > 0 && out.at(-1)!.trim() === '') out.pop()
  return out
}

export interface ExampleRun<R> {
  readonly result: R
  readonly parts: ExamplePart[]
  readonly text: string
}

/** Runs an example to the end and closes what it opened. */
export async function runExample<R>(example: Example<R>, hooks: ExampleHooks = {}): Promise<ExampleRun<R>> {
  const ctx = new ExampleContext(hooks)
  try {
    const result = await example.run(ctx)
    return { result, parts: ctx.parts, text: ctx.text() }
  } finally {
    await ctx.close()
  }
}
