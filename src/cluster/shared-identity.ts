/**
 * Class identity that holds across loaded copies of memkafka. One process can load memkafka twice
 * (its ESM and CJS builds, or memkafka under its own name and again as an alias for kafkajs), and
 * each copy defines its own classes: without help, an error thrown by one copy fails
 * `instanceof` against the other's class. A class given a process-wide name here answers
 * `instanceof` for any object whose prototype chain holds a class of the same name, whichever
 * copy made it. (Names are prefixed 'memkafka:' so they never meet another package's.)
 */
const SHARED_NAME = Symbol.for('memkafka.sharedClassName')

// The ordinary instanceof, for a class given no shared name (a user's subclass, for instance).
const ordinaryHasInstance = Function.prototype[Symbol.hasInstance]

const hasOwn = (object: object, key: symbol): boolean => Object.prototype.hasOwnProperty.call(object, key)

function sharedHasInstance(this: abstract new (...args: never[]) => unknown, value: unknown): boolean {
  if (ordinaryHasInstance.call(this, value)) return true
  // Most values that fail the ordinary test carry no shared name at all (a plain Error): one native lookup.
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null || !(SHARED_NAME in value)) return false
  const prototype = this.prototype as Record<symbol, unknown>
  if (!hasOwn(prototype, SHARED_NAME)) return false
  const own = prototype[SHARED_NAME]
  // Classes and prototypes are few and fixed: the answer per (class, prototype) is remembered.
  const first = Object.getPrototypeOf(value) as Record<symbol, unknown> | null
  if (first === null) return false
  let answers = remembered.get(this)
  if (!answers) remembered.set(this, (answers = new WeakMap()))
  const known = answers.get(first)
  if (known !== undefined) return known
  let found = false
  for (let proto: Record<symbol, unknown> | null = first; proto !== null && !found; proto = Object.getPrototypeOf(proto) as Record<symbol, unknown> | null) {
    found = hasOwn(proto, SHARED_NAME) && proto[SHARED_NAME] === own
  }
  answers.set(first, found)
  return found
}

const remembered = new WeakMap<object, WeakMap<object, boolean>>()

/**
 * Gives each class its name as a process-wide identity. The roots of a hierarchy get the shared
 * `instanceof`; their subclasses inherit it (static methods are inherited).
 */
export function shareClassIdentity(classes: Record<string, abstract new (...args: never[]) => unknown>): void {
  for (const [name, cls] of Object.entries(classes)) {
    Object.defineProperty(cls.prototype, SHARED_NAME, { value: `memkafka:${name}` })
    if (!Object.prototype.hasOwnProperty.call(cls, Symbol.hasInstance)) {
      const parent = Object.getPrototypeOf(cls) as { [Symbol.hasInstance]?: unknown }
      if (parent[Symbol.hasInstance] !== sharedHasInstance) Object.defineProperty(cls, Symbol.hasInstance, { value: sharedHasInstance })
    }
  }
}
