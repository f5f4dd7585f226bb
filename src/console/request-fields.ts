/**
 * Reading the fields of a console request (a JSON body or a query string) with the checks the
 * admin API makes before anything reaches the cluster: a name is a string, a count an integer.
 * Every failure is a 400 naming the field, so a malformed request never touches the cluster.
 */
import { badRequest } from './console-error.js'

export type Fields = Record<string, unknown>

export function asObject(value: unknown, what = 'the request body'): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw badRequest(`${what} must be a JSON object`)
  return value as Fields
}

export function requiredString(fields: Fields, name: string): string {
  const value = fields[name]
  if (typeof value !== 'string' || value.length === 0) throw badRequest(`'${name}' must be a non-empty string`)
  return value
}

export function optionalString(fields: Fields, name: string): string | null {
  const value = fields[name]
  if (value === undefined || value === null) return null
  if (typeof value !== 'string') throw badRequest(`'${name}' must be a string`)
  return value
}

/** An integer, given as a JSON number or (from a query string or a form) a decimal string. */
export function optionalInteger(fields: Fields, name: string, options: { min?: number } = {}): number | null {
  let value = fields[name]
  if (value === undefined || value === null || value === '') return null
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) value = Number(value.trim())
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw badRequest(`'${name}' must be an integer`)
  if (options.min !== undefined && value < options.min) throw badRequest(`'${name}' must be at least ${options.min}, got ${value}`)
  return value
}

export function requiredInteger(fields: Fields, name: string, options: { min?: number } = {}): number {
  const value = optionalInteger(fields, name, options)
  if (value === null) throw badRequest(`'${name}' is required`)
  return value
}

/** A map of string to string (topic configs, record headers). */
export function stringMap(fields: Fields, name: string): Record<string, string> {
  const value = fields[name]
  if (value === undefined || value === null) return {}
  const object = asObject(value, `'${name}'`)
  for (const [k, v] of Object.entries(object)) {
    if (typeof v !== 'string') throw badRequest(`'${name}.${k}' must be a string`)
  }
  return object as Record<string, string>
}

export function oneOf<T extends string>(fields: Fields, name: string, allowed: readonly T[], fallback?: T): T {
  const value = fields[name] ?? fallback
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw badRequest(`'${name}' must be one of ${allowed.join(', ')}`)
  }
  return value as T
}
