/**
 * `memkafka serve`: an in-memory Kafka cluster that real clients reach over the wire protocol.
 * The command itself; memkafka.ts runs it as a program (from the source, with tsx), and the
 * built bin (launcher.ts) runs the bundle of this file through a V8 code cache.
 *
 *   npx memkafka serve [--brokers N] [--port P] [--host H] [--advertised-host H]
 *                      [--config key=value]... [--topic name[:partitions[:replicas]]]...
 *                      [--as-version X.Y]
 *
 * It prints `bootstrap: host:port,...` once every listener accepts connections, then one
 * readable line per thing that happens in the cluster (topics created, leaders elected, groups
 * rebalancing; the wording of cluster.story()), and exits 0 on SIGINT or SIGTERM once its
 * listeners are closed. The cluster runs on the wall clock.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { ClusterModel } from '../cluster/cluster-model.js'
import { SystemClock } from '../cluster/clock.js'
import { errorName } from '../cluster/error-codes.js'
import type { BrokerConfigInput } from '../cluster/cluster-config.js'
import { ListenerConfigError, type BrokerListenerConfig } from '../wire/broker-listeners.js'
import { kafkaRelease, knownKafkaVersions } from '../wire/kafka-versions.js'
import { listen, type WireServer } from '../wire/server.js'
import { formatWireLogEntry } from '../wire/wire-log.js'
import { eventTeller } from './event-teller.js'
import type { WebConsole } from '../console/console-server.js'

const USAGE = `Usage: memkafka serve [options]

Serves an in-memory Kafka cluster over Kafka's wire protocol.

Options:
  --brokers N                      brokers in the cluster (default 1)
  --port P                         broker i listens on P + i (default 9092; 0: ephemeral ports);
                                   with L listeners (--config listeners=PLAINTEXT://:9092,SSL://:9093)
                                   broker i's listener j is on P + i * L + j, each printed
  --host H                         the address to listen on (default 127.0.0.1)
  --advertised-host H              the host clients are told to connect to (default: --host)
  --config key=value               a broker config under Kafka's name (repeatable)
  --broker-config ID:key=value     broker ID's own listeners or advertised.listeners (repeatable),
                                   as in its server.properties: its listeners bind the ports named
  --topic name[:partitions[:replicas]]
                                   a topic to create at start (repeatable)
  --security-protocol P            the listeners' protocol: PLAINTEXT (default), SSL,
                                   SASL_PLAINTEXT or SASL_SSL (SASL: PLAIN, SCRAM-SHA-256 and
                                   SCRAM-SHA-512 unless --config sasl.enabled.mechanisms=...
                                   says otherwise). SSL/SASL_SSL without --config ssl.keystore.*:
                                   a self-signed CA and certificate for the advertised host,
                                   the CA written to a file printed as "ca: /path/ca.pem"
  --ca-file PATH                   where to write that CA certificate (default: a new
                                   temporary directory, removed on exit)
  --user name:password             a user with PLAIN and SCRAM credentials (repeatable)
  --as-version X.Y                 advertise only the API versions Kafka X.Y had
                                   (${knownKafkaVersions[0]} to ${knownKafkaVersions.at(-1)})
  --ui                             also serve the web console (prints "console: http://...")
  --ui-port P                      the console's port (default: any free port); it binds to localhost
  --help                           this text

It prints "bootstrap: host:port,..." once it accepts connections and exits on SIGINT or SIGTERM.`

class UsageError extends Error {}

interface ServeOptions {
  readonly brokers: number
  readonly port: number
  readonly host: string
  readonly advertisedHost?: string
  readonly config: BrokerConfigInput
  /** --broker-config: each broker's own listeners / advertised.listeners. */
  readonly brokerListeners: Record<number, BrokerListenerConfig>
  readonly topics: readonly { name: string; partitions: number; replicas: number }[]
  readonly asVersion?: string
  /** The web console's port, when --ui is given. */
  readonly uiPort?: number
  /** Users with PLAIN and SCRAM credentials (--user name:password). */
  readonly users: readonly { name: string; password: string }[]
  /** Where to write a generated CA certificate (--ca-file). */
  readonly caFile?: string
}

function parseServeArgs(args: string[]): ServeOptions | 'help' {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      brokers: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      'advertised-host': { type: 'string' },
      config: { type: 'string', multiple: true },
      'broker-config': { type: 'string', multiple: true },
      topic: { type: 'string', multiple: true },
      'as-version': { type: 'string' },
      ui: { type: 'boolean' },
      'ui-port': { type: 'string' },
      'security-protocol': { type: 'string' },
      user: { type: 'string', multiple: true },
      'ca-file': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help) return 'help'
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`)
  if (values['ui-port'] !== undefined && !values.ui) throw new UsageError('--ui-port needs --ui')
  const brokers = integerOption('--brokers', values.brokers, 1, 1, 1000)
  const port = integerOption('--port', values.port, 9092, 0, 65535)
  const config: Record<string, string> = {}
  for (const entry of values.config ?? []) {
    const eq = entry.indexOf('=')
    if (eq <= 0) throw new UsageError(`--config takes key=value, got "${entry}"`)
    config[entry.slice(0, eq)] = entry.slice(eq + 1)
  }
  const topics = (values.topic ?? []).map((spec) => {
    const [name = '', partitions, replicas, ...rest] = spec.split(':')
    if (name === '' || rest.length > 0) throw new UsageError(`--topic takes name[:partitions[:replicas]], got "${spec}"`)
    return {
      name,
      partitions: integerOption(`--topic ${name} partitions`, partitions, -1, 1, 1_000_000),
      replicas: integerOption(`--topic ${name} replicas`, replicas, -1, 1, 32767),
    }
  })
  const protocol = values['security-protocol']
  if (protocol !== undefined) {
    if (protocol !== 'PLAINTEXT' && protocol !== 'SASL_PLAINTEXT' && protocol !== 'SSL' && protocol !== 'SASL_SSL') {
      throw new UsageError(`--security-protocol must be PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL, got "${protocol}"`)
    }
    config.listeners ??= `${protocol}://:${port}`
  }
  // A SASL listener (from --security-protocol or --config listeners=...): the mechanisms --user
  // gives credentials for, unless the config names them.
  if (/SASL_/i.test(`${config.listeners ?? ''},${config['listener.security.protocol.map'] ?? ''}`)) config['sasl.enabled.mechanisms'] ??= 'PLAIN,SCRAM-SHA-256,SCRAM-SHA-512'
  const users = (values.user ?? []).map((spec) => {
    const colon = spec.indexOf(':')
    if (colon <= 0 || colon === spec.length - 1) throw new UsageError(`--user takes name:password, got "${spec}"`)
    return { name: spec.slice(0, colon), password: spec.slice(colon + 1) }
  })
  const asVersion = values['as-version']
  if (asVersion !== undefined) {
    try {
      kafkaRelease(asVersion)
    } catch (error) {
      throw new UsageError((error as Error).message)
    }
  }
  const brokerListeners: Record<number, { listeners?: string; 'advertised.listeners'?: string }> = {}
  for (const entry of values['broker-config'] ?? []) {
    const match = /^(\d+):([^=]+)=(.*)$/.exec(entry)
    if (!match) throw new UsageError(`--broker-config takes ID:key=value, got "${entry}"`)
    const id = Number(match[1])
    if (id >= brokers) throw new UsageError(`--broker-config ${entry}: there is no broker ${id} (--brokers ${brokers})`)
    const key = match[2]!
    if (key !== 'listeners' && key !== 'advertised.listeners') throw new UsageError(`--broker-config takes listeners or advertised.listeners, got "${key}" (other configs are the cluster's: --config)`)
    brokerListeners[id] = { ...brokerListeners[id], [key]: match[3]! }
  }
  return {
    brokers,
    port,
    brokerListeners,
    host: values.host ?? '127.0.0.1',
    ...(values['advertised-host'] === undefined ? {} : { advertisedHost: values['advertised-host'] }),
    config: config as BrokerConfigInput,
    topics,
    users,
    ...(values['as-version'] === undefined ? {} : { asVersion: values['as-version'] }),
    ...(values['ca-file'] === undefined ? {} : { caFile: values['ca-file'] }),
    ...(values.ui ? { uiPort: integerOption('--ui-port', values['ui-port'], 0, 0, 65535) } : {}),
  }
}

function integerOption(name: string, text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined || text === '') return fallback
  const value = Number(text)
  if (!/^\d+$/.test(text) || value < min || value > max) throw new UsageError(`${name} must be an integer from ${min} to ${max}, got "${text}"`)
  return value
}

async function serve(options: ServeOptions, ready: () => void): Promise<void> {
  let cluster: ClusterModel
  try {
    cluster = new ClusterModel({ brokers: options.brokers, clock: new SystemClock(), brokerConfig: options.config })
  } catch (error) {
    // A misspelt or invalid --config (Kafka's INVALID_CONFIG).
    throw new UsageError((error as Error).message)
  }
  for (const user of options.users) cluster.createUser(user.name, user.password)
  // Times count from the cluster's creation (its brokers registering).
  const origin = cluster.timeline()[0]?.time ?? cluster.clock.now()
  const print = (line: string): void => void process.stdout.write(`${line}\n`)
  const tell = eventTeller(origin, print)
  for (const event of cluster.timeline()) tell(event)
  cluster.eventLog.subscribe(tell)

  // Signals are taken from the start: a client that stops the process as soon as it reads the
  // bootstrap line (or before) must still see a clean exit.
  let server: WireServer | undefined
  let ui: WebConsole | undefined
  let stopping = false
  /** A temporary directory holding the generated CA file, removed on exit. */
  let caDirectory: string | undefined
  const stop = (signal: string): void => {
    if (stopping) return
    stopping = true
    print(`${signal}: closing the listeners`)
    void Promise.all([server?.close(), ui?.close()])
      .then(() => cluster.close())
      .then(() => {
        if (caDirectory !== undefined) rmSync(caDirectory, { recursive: true, force: true })
      })
      .then(() => process.exit(0))
  }
  process.on('SIGINT', () => stop('SIGINT'))
  process.on('SIGTERM', () => stop('SIGTERM'))

  for (const topic of options.topics) {
    if (stopping) return
    // The serve process is the cluster's operator: its topics are created whatever the ACLs say,
    // as Kafka's own tooling runs with a super user's credentials.
    const response = await cluster.send(0, {
      api: 'CreateTopics',
      topics: [{ name: topic.name, numPartitions: topic.partitions, replicationFactor: topic.replicas, assignments: [], configs: [] }],
      timeoutMs: 30_000,
      validateOnly: false,
    }, { clientId: 'memkafka-serve', operator: true })
    const result = response.topics[0]
    if (result && result.errorCode !== 0) {
      await cluster.close()
      throw new UsageError(`cannot create topic ${topic.name}: ${errorName(result.errorCode)}${result.errorMessage ? ` (${result.errorMessage})` : ''}`)
    }
  }

  try {
    server = await listen(cluster, {
      port: options.port,
      brokers: options.brokerListeners,
      host: options.host,
      ...(options.advertisedHost === undefined ? {} : { advertisedHost: options.advertisedHost }),
      ...(options.asVersion === undefined ? {} : { asVersion: options.asVersion }),
      log: (entry) => {
        if (entry.level !== 'debug') print(`${entry.level === 'info' ? '' : `${entry.level}: `}${formatWireLogEntry(entry)}`)
      },
    })
  } catch (error) {
    if (!(error instanceof ListenerConfigError)) throw error
    await cluster.close()
    throw new UsageError(error.message)
  }
  if (stopping) {
    // A signal came while the listeners opened: close them too.
    await server.close()
    return
  }
  if (options.uiPort !== undefined) {
    // Loaded only with --ui: the console (its page, node:http) is not part of starting to serve.
    const { startConsole } = await import('../console/console-server.js')
    ui = await startConsole(cluster, { port: options.uiPort })
    if (stopping) {
      await ui.close()
      return
    }
  }
  if (options.caFile !== undefined && server.caPem === undefined) {
    await server.close()
    await cluster.close()
    throw new UsageError('--ca-file: no CA certificate is generated (the listeners are not SSL/SASL_SSL, or ssl.keystore.* is configured)')
  }
  if (server.caPem !== undefined) {
    let caFile = options.caFile
    if (caFile === undefined) {
      caDirectory = mkdtempSync(join(tmpdir(), 'memkafka-'))
      caFile = join(caDirectory, 'ca.pem')
    }
    writeFileSync(caFile, server.caPem)
    print(`ca: ${caFile}`)
  }
  // With several listeners, each one's addresses; "bootstrap:" is the first listener's.
  if (server.listeners.length > 1) for (const l of server.listeners) print(`listener ${l.name} (${l.securityProtocol}): ${l.bootstrapBrokers.join(',')}`)
  print(`bootstrap: ${server.bootstrapBrokers.join(',')}`)
  if (ui) print(`console: ${ui.url}`)
  ready()
}

async function main(argv: string[], ready: () => void): Promise<void> {
  const [command, ...rest] = argv
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${USAGE}\n`)
    if (command === undefined) process.exitCode = 2
    return
  }
  if (command !== 'serve') throw new UsageError(`unknown command "${command}" (the one command is serve)`)
  const options = parseServeArgs(rest)
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`)
    return
  }
  await serve(options, ready)
}

/**
 * Runs `memkafka <argv>` in this process: `ready` is called once the served cluster accepts
 * connections (after its bootstrap line). A usage error exits 2, any other failure 1.
 */
export function runMemkafka(argv: string[], ready: () => void = () => {}): void {
  main(argv, ready).catch((error: unknown) => {
    const usage = error instanceof UsageError || (error instanceof Error && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))
    process.stderr.write(`memkafka: ${error instanceof Error ? error.message : String(error)}\n`)
    if (usage) process.stderr.write('Run memkafka serve --help for the options.\n')
    process.exit(usage ? 2 : 1)
  })
}
