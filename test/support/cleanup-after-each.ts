/**
 * The teardown the wire tests share: what a test registers (clients to disconnect, servers to
 * close) is undone after it, newest first, a failure in one not stopping the others; then the
 * test's cluster, if it made one, is closed last, once.
 */
import { afterEach } from 'vitest'

export function cleanupAfterEach(cluster?: () => { close(): Promise<unknown> } | undefined): (() => Promise<unknown>)[] {
  const cleanups: (() => Promise<unknown>)[] = []
  let closed: unknown
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {})
    const current = cluster?.()
    if (current !== undefined && current !== closed) {
      closed = current
      await current.close()
    }
  })
  return cleanups
}
