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

function sharedHasInstance(this: abstract new (...args: never[]) => unknown, value: unknown): boolean {
  if (ordinaryHasInstance.call(this, value)) return true
  const own = Object.getOwnPropertyDescriptor(this.prototype, SHARED_NAME)?.value as string | undefined
  if (own === undefined || (typeof value !== 'object' && typeof value !== 'function') || value === null) return false
  for (let proto = Object.getPrototypeOf(value); proto !== null; proto = Object.getPrototypeOf(proto)) {
    if (Object.getOwnPropertyDescriptor(proto, SHARED_NAME)?.value === own) return true
  }
  return false
}

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
