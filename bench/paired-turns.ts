/**
 * Two variants of the same work measured in alternating turns, for rows that compare one with
 * the other (an authorizer against none): each variant runs for `turnMs`, then the other, for
 * `rounds` rounds, and each variant's figure is the median of its turns' rates.
 *
 * Two tinybench tasks run one after the other (1.5 s each) see different moments of the machine
 * (another process's burst, a full GC brought on by the first task's garbage) and different log
 * lengths, so the ratio of their means swung from 0.65x to 1.41x between runs of the same build.
 * Turns of a few hundred milliseconds put both variants under the same conditions, and the median
 * drops the turns a burst or a full collection landed in.
 */
export interface PairedRates {
  /** Operations per second of the first variant (median of its turns). */
  readonly first: number
  /** Operations per second of the second variant (median of its turns). */
  readonly second: number
}

export interface PairedTurnsOptions {
  readonly rounds: number
  readonly turnMs: number
  /** Untimed turns of each variant before the first timed round (JIT warm-up). */
  readonly warmupRounds?: number
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** Operations per second of `op` over one turn of about `turnMs` (at least one operation). */
async function turn(op: () => Promise<void>, turnMs: number): Promise<number> {
  const startedAt = performance.now()
  let ops = 0
  let elapsed = 0
  do {
    await op()
    ops++
    elapsed = performance.now() - startedAt
  } while (elapsed < turnMs)
  return (ops * 1000) / elapsed
}

/** Rates of `first` and `second`, run in alternating turns; the first variant starts each round. */
export async function pairedTurns(first: () => Promise<void>, second: () => Promise<void>, options: PairedTurnsOptions): Promise<PairedRates> {
  for (let i = 0; i < (options.warmupRounds ?? 1); i++) {
    await turn(first, options.turnMs)
    await turn(second, options.turnMs)
  }
  const firstRates: number[] = []
  const secondRates: number[] = []
  for (let i = 0; i < options.rounds; i++) {
    firstRates.push(await turn(first, options.turnMs))
    secondRates.push(await turn(second, options.turnMs))
  }
  return { first: median(firstRates), second: median(secondRates) }
}
