/**
 * For tests that check what the library lets go of (a WeakRef and a forced full collection, not
 * timings): gc() with the flag set at run time, taken from a V8 context made after it, and a
 * turn of the event loop, since a WeakRef made in one job holds its target until that job ends.
 */
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

let gc: (() => void) | undefined

/** A full garbage collection. */
export function fullGc(): void {
  if (!gc) {
    setFlagsFromString('--expose-gc')
    gc = runInNewContext('gc') as () => void
  }
  gc()
}

/** A turn of the event loop. */
export const nextTurn = (): Promise<void> => new Promise<void>((resolve) => setImmediate(resolve))
