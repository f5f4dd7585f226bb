/**
 * One line of the benchmark table, and the table itself. Each figure is printed with the
 * DESIGN.md target and the raw-JS baseline measured in the same run, so that a reader on a
 * slower or noisier machine can still tell whether memkafka is where it should be.
 */
import type { Bench, TaskResultWithStatistics } from 'tinybench'

export interface BenchResult {
  /** What was measured, e.g. 'sendBatch 1000 x 100 B, acks=-1, RF=3'. */
  readonly name: string
  readonly value: number
  /** 'msgs/s', 'sends/s', 'µs', 'ms', 's' or 'B/msg'. */
  readonly unit: string
  /** The DESIGN.md target, in the same unit; undefined where DESIGN.md sets none (p99). */
  readonly target: number | undefined
  /** Which way is better: throughput is 'higher', latency, time and memory are 'lower'. */
  readonly better: 'higher' | 'lower'
  /** The raw-JS baseline's figure for the same work, in the same unit. */
  readonly baseline: number
  /**
   * In a sweep over sizes (partitions, topics, members, log length), the smallest size's figure:
   * the table then prints this row's cost relative to it, so a cliff shows at a glance.
   */
  readonly smallest?: number | undefined
}

/** `npm run bench -- --quick`: fewer samples and smaller sizes, for a check before a commit. */
export const quick: boolean = process.argv.includes('--quick')

/** How many times the smallest size's cost this row pays: 1 = flat, 85 = a cliff. */
export function sizeRatio(result: BenchResult): number | undefined {
  if (result.smallest === undefined) return undefined
  return result.better === 'higher' ? result.smallest / result.value : result.value / result.smallest
}

/** How far the target is met: >= 1 means met (value / target, or target / value for 'lower'). */
export function targetRatio(result: BenchResult): number | undefined {
  if (result.target === undefined) return undefined
  return result.better === 'higher' ? result.value / result.target : result.target / result.value
}

/** How many times the baseline's cost memkafka pays: 1 = as cheap as an array, 20 = 20x dearer. */
export function baselineRatio(result: BenchResult): number {
  return result.better === 'higher' ? result.baseline / result.value : result.value / result.baseline
}

export function formatValue(value: number, unit: string): string {
  if (!Number.isFinite(value)) return `${value} ${unit}`
  if (unit.endsWith('/s')) {
    if (value >= 1e6) return `${(value / 1e6).toFixed(2)} M ${unit}`
    if (value >= 1e3) return `${(value / 1e3).toFixed(1)} k ${unit}`
    return `${value.toFixed(0)} ${unit}`
  }
  if (value < 1) return `${value.toPrecision(3)} ${unit}`
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2
  return `${value.toFixed(digits)} ${unit}`
}

function formatRatio(ratio: number): string {
  if (!Number.isFinite(ratio)) return String(ratio)
  return ratio >= 100 ? `${ratio.toFixed(0)}x` : ratio >= 10 ? `${ratio.toFixed(1)}x` : `${ratio.toFixed(2)}x`
}

export function formatTable(results: readonly BenchResult[]): string {
  const header = ['benchmark', 'memkafka', 'target', 'vs target', 'baseline (raw JS)', 'vs baseline', 'cost vs smallest size']
  const rows = results.map((r) => {
    const ratio = targetRatio(r)
    return [
      r.name,
      formatValue(r.value, r.unit),
      r.target === undefined ? '-' : `${r.better === 'higher' ? '>=' : '<='} ${formatValue(r.target, r.unit)}`,
      ratio === undefined ? '-' : `${formatRatio(ratio)} ${ratio >= 1 ? 'met' : 'MISSED'}`,
      formatValue(r.baseline, r.unit),
      formatRatio(baselineRatio(r)),
      sizeRatio(r) === undefined ? '' : formatRatio(sizeRatio(r)!),
    ]
  })
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)))
  const line = (cells: readonly string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ')
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n')
}

/** The statistics of a finished tinybench task; a task that failed rethrows its error. */
export function completed(bench: Bench, name: string): TaskResultWithStatistics {
  const result = bench.getTask(name)?.result
  if (!result) throw new Error(`no benchmark task named ${name}`)
  if (result.state === 'errored') throw result.error
  if (result.state !== 'completed' && result.state !== 'aborted-with-statistics') throw new Error(`benchmark task ${name} ended ${result.state}`)
  return result
}
