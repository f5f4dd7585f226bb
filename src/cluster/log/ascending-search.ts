/**
 * The search the log's indexes and its batches share: in values that never decrease, the first
 * index at or after `lo` whose value is >= `target`, known to lie in [lo, hi] (hi meaning none
 * before it). A probe first (`probe`, the caller's guess of where `target` falls), then steps of
 * 1, 2, 4, ... from there towards the answer and a bisection of the last step.
 *
 * Offsets and timestamps grow at a fairly steady rate, batch after batch and record after record,
 * which puts the answer next to a probe placed by interpolation: a search over 10 000 entries
 * reads two or three cache lines, where a bisection reads one per step from the seventh on.
 * Whatever the values and the probe, it takes at most about twice the reads of a bisection. In a
 * long log the arrays searched are rarely in the CPU's cache (issue 15).
 *
 * The i-th value is values[i * stride + field]: an index keeps several fields per entry side by
 * side, so that one cache line holds all it knows of an entry (stride 1 and field 0 for a plain
 * array).
 */
export function firstAtLeastFrom(values: Float64Array, stride: number, field: number, lo: number, hi: number, target: number, probe: number): number {
  if (lo >= hi) return lo
  if (!(probe >= lo)) probe = lo
  else if (probe > hi - 1) probe = hi - 1
  if (values[probe * stride + field]! >= target) {
    hi = probe
    for (let step = 1; hi - step >= lo; step *= 2) {
      if (values[(hi - step) * stride + field]! < target) {
        lo = hi - step + 1
        break
      }
      hi -= step
    }
  } else {
    lo = probe + 1
    for (let step = 1; lo + step - 1 < hi; step *= 2) {
      if (values[(lo + step - 1) * stride + field]! >= target) {
        hi = lo + step - 1
        break
      }
      lo += step
    }
  }
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (values[mid * stride + field]! < target) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** Where `target` would fall in [lo, hi) if the values ran evenly from `low` to `high`. */
export function interpolate(lo: number, hi: number, target: number, low: number, high: number): number {
  return high > low ? lo + Math.floor(((target - low) * (hi - 1 - lo)) / (high - low)) : lo
}
