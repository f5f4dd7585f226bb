/**
 * Checks a scenario before simulate() plays it: a malformed one (a send step when there are no
 * producers, a topic name that is a number, an unknown fault kind) is refused with a TypeError
 * that names the field, rather than crash mid-run or be played as something else. Indexes of
 * producers, topics, brokers and clients only have to be integers >= 0: they wrap around the
 * real counts, by design (the arbitraries draw them that way, and shrinking keeps them valid).
 */
import type { SimulationOptions } from './simulation-options.js'

const FAULTS_WITH_BROKER = new Set(['stopBroker', 'startBroker', 'isolate', 'slowFollower', 'pauseReplication', 'resumeReplication'])
const FAULTS = new Set([...FAULTS_WITH_BROKER, 'heal', 'failRequests', 'pauseClient', 'resumeClient', 'electPreferredLeaders', 'advance'])

class ScenarioCheck {

  fail(path: string, wanted: string, got: unknown): never {
    throw new TypeError(`simulate: ${path} must be ${wanted}, got ${typeof got === 'string' ? `'${got}'` : JSON.stringify(got) ?? String(got)}`)
  }

  object(path: string, value: unknown): Record<string, unknown> {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) this.fail(path, 'an object', value)
    return value as Record<string, unknown>
  }

  array(path: string, value: unknown): unknown[] {
    if (!Array.isArray(value)) this.fail(path, 'an array', value)
    return value
  }

  integer(path: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
    if (max < min) this.fail(path, 'an index of an existing entry, and there is none', value)
    if (!Number.isSafeInteger(value) || (value as number) < min || (value as number) > max) this.fail(path, `an integer from ${min}${max === Number.MAX_SAFE_INTEGER ? '' : ` to ${max}`}`, value)
    return value as number
  }

  oneOf(path: string, value: unknown, allowed: readonly unknown[]): void {
    if (!allowed.includes(value)) this.fail(path, `one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`, value)
  }

  /** An index that wraps around a list, which must then not be empty. */
  index(path: string, value: unknown, length: number): void {
    this.integer(path, value, 0, length === 0 ? -1 : Number.MAX_SAFE_INTEGER)
  }
}

export function checkScenario(options: SimulationOptions): void {
  const c = new ScenarioCheck()
  const top = c.object('the scenario', options)
  const brokers = top.brokers === undefined ? 3 : c.integer('brokers', top.brokers, 1)
  c.integer('seed', top.seed, Number.MIN_SAFE_INTEGER)
  const workload = c.object('workload', top.workload)
  const topics = c.array('workload.topics', workload.topics)
  topics.forEach((value, i) => {
    const topic = c.object(`workload.topics[${i}]`, value)
    if (typeof topic.name !== 'string' || topic.name === '') c.fail(`workload.topics[${i}].name`, 'a topic name', topic.name)
    c.integer(`workload.topics[${i}].partitions`, topic.partitions, 1)
    c.integer(`workload.topics[${i}].replicationFactor`, topic.replicationFactor, 1, brokers)
    const configs = c.object(`workload.topics[${i}].configs`, topic.configs)
    for (const [name, v] of Object.entries(configs)) if (typeof v !== 'string') c.fail(`workload.topics[${i}].configs['${name}']`, 'a string', v)
  })
  const producers = c.array('workload.producers', workload.producers)
  producers.forEach((value, i) => {
    const producer = c.object(`workload.producers[${i}]`, value)
    c.oneOf(`workload.producers[${i}].acks`, producer.acks, [-1, 0, 1])
    c.oneOf(`workload.producers[${i}].idempotent`, producer.idempotent, [true, false])
    c.oneOf(`workload.producers[${i}].transactional`, producer.transactional, [true, false])
  })
  c.array('workload.steps', workload.steps).forEach((value, i) => {
    const path = `workload.steps[${i}]`
    const step = c.object(path, value)
    c.oneOf(`${path}.kind`, step.kind, ['send', 'advance'])
    if (step.kind === 'advance') return void c.integer(`${path}.ms`, step.ms, 0)
    c.index(`${path}.producer`, step.producer, producers.length)
    c.index(`${path}.topic`, step.topic, topics.length)
    c.integer(`${path}.key`, step.key, Number.MIN_SAFE_INTEGER)
    c.integer(`${path}.count`, step.count, 1)
    c.oneOf(`${path}.abort`, step.abort, [true, false])
  })
  c.array('workload.groups', workload.groups).forEach((value, i) => {
    const group = c.object(`workload.groups[${i}]`, value)
    c.array(`workload.groups[${i}].topics`, group.topics).forEach((t, j) => c.index(`workload.groups[${i}].topics[${j}]`, t, topics.length))
    c.oneOf(`workload.groups[${i}].handler`, group.handler, ['eachMessage', 'eachBatch'])
    c.array(`workload.groups[${i}].steps`, group.steps).forEach((s, j) => {
      const path = `workload.groups[${i}].steps[${j}]`
      const step = c.object(path, s)
      c.oneOf(`${path}.kind`, step.kind, ['join', 'leave', 'advance'])
      if (step.kind === 'leave') c.integer(`${path}.member`, step.member, 0)
      if (step.kind === 'advance') c.integer(`${path}.ms`, step.ms, 0)
    })
  })
  c.array('faults', top.faults).forEach((value, i) => {
    const path = `faults[${i}]`
    const fault = c.object(path, value)
    c.oneOf(`${path}.kind`, fault.kind, [...FAULTS])
    if (FAULTS_WITH_BROKER.has(fault.kind as string)) c.index(`${path}.broker`, fault.broker, brokers)
    if (fault.kind === 'advance') c.integer(`${path}.ms`, fault.ms, 0)
    if (fault.kind === 'slowFollower') c.integer(`${path}.ms`, fault.ms, 0)
    if (fault.kind === 'failRequests') {
      if (fault.broker !== null) c.index(`${path}.broker`, fault.broker, brokers)
      c.integer(`${path}.times`, fault.times, 1)
      c.object(`${path}.effect`, fault.effect)
    }
    if (fault.kind === 'pauseClient' || fault.kind === 'resumeClient') {
      const client = c.object(`${path}.client`, fault.client)
      c.oneOf(`${path}.client.role`, client.role, ['producer', 'consumer'])
      c.integer(`${path}.client.index`, client.index, 0)
    }
  })
}
