/**
 * A full garbage collection on demand. `node --expose-gc` provides global.gc; without the flag
 * (tsx starts node without it) the flag can still be set at run time and the function taken
 * from a new V8 context, which is created after the flag and so sees it.
 */
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

let gc: (() => void) | undefined

export function fullGc(): void {
  if (!gc) {
    const exposed = (globalThis as { gc?: () => void }).gc
    if (typeof exposed === 'function') gc = exposed
    else {
      setFlagsFromString('--expose-gc')
      gc = runInNewContext('gc') as () => void
    }
  }
  gc()
}
