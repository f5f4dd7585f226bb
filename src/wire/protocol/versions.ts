/**
 * Kafka's version ranges as its message JSON writes them: "0+", "3-5", "7", "none".
 */
import type { VersionRange } from './schema.js'

export interface Versions {
  readonly min: number
  /** Infinity for an open range ("3+"); below min for "none". */
  readonly max: number
}

const cache = new Map<string, Versions>()

/** Parses a VersionRange; throws on a malformed one (a typo in a hand-written table). */
export function parseVersions(range: VersionRange): Versions {
  let parsed = cache.get(range)
  if (parsed) return parsed
  const text = range.trim()
  let match: RegExpExecArray | null
  if (text === 'none') parsed = { min: 0, max: -1 }
  else if ((match = /^(\d+)\+$/.exec(text))) parsed = { min: Number(match[1]), max: Infinity }
  else if ((match = /^(\d+)-(\d+)$/.exec(text))) parsed = { min: Number(match[1]), max: Number(match[2]) }
  else if ((match = /^(\d+)$/.exec(text))) parsed = { min: Number(match[1]), max: Number(match[1]) }
  else throw new Error(`malformed version range "${range}"`)
  cache.set(range, parsed)
  return parsed
}

/** Whether `version` lies in `range` (an absent range is "none"). */
export function inVersions(range: VersionRange | undefined, version: number): boolean {
  if (range === undefined) return false
  const { min, max } = parseVersions(range)
  return version >= min && version <= max
}
