/**
 * The ESM half of memkafka/register: a module customization hook (Node's module.register) that
 * resolves kafkajs, by name or by the URL of its main file, to memkafka's ESM build. It runs on
 * Node's hooks thread, so it learns where memkafka is from the data register() passes.
 */
import { isKafkajsMain } from './kafkajs-main.js'

let memkafkaEsm = ''

export function initialize(data: { memkafkaEsm: string }): void {
  memkafkaEsm = data.memkafkaEsm
}

interface ResolveResult {
  url: string
  format?: string | null
  shortCircuit?: boolean
}

export async function resolve(specifier: string, context: unknown, nextResolve: (specifier: string, context?: unknown) => Promise<ResolveResult>): Promise<ResolveResult> {
  if (specifier === 'kafkajs') return { url: memkafkaEsm, format: 'module', shortCircuit: true }
  const resolved = await nextResolve(specifier, context)
  if (resolved.url.startsWith('file:') && isKafkajsMain(resolved.url)) return { url: memkafkaEsm, format: 'module', shortCircuit: true }
  return resolved
}
