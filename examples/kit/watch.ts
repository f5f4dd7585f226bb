/**
 * The live view of `npm run example -- <name> --watch`: while the example runs, the terminal
 * shows the cluster as it is now (cluster.format()), the last lines of its story and of the
 * example's output, redrawn whenever something happened.
 *
 * The examples run on a ManualClock, so a whole run takes milliseconds of real time. The view
 * gives each cluster a clock that moves through virtual time one timer at a time and, when
 * the timeline or the output changed, draws a frame and waits `frameMs` of real time, so a
 * person can follow it. `tickMs` also draws every N ms of virtual time, to watch time pass.
 *
 * On a terminal each frame replaces the last (ANSI clear screen). When stdout is not a
 * terminal (piped, redirected, CI) nothing is cleared and nothing waits: the frames are
 * written one after the other, separated by a rule, so the output stays plain text.
 */
import { ManualClock, type Cluster } from '../../src/index.js'
import type { ExamplePart } from './example.js'

export interface LiveViewOptions {
  readonly title: string
  /** Real milliseconds to hold each frame on a terminal. Default 400. */
  readonly frameMs?: number
  /** Also draw every `tickMs` of virtual time, even when nothing happened. */
  readonly tickMs?: number
  /** Whether stdout is a terminal (frames replace each other, and wait). */
  readonly tty: boolean
  readonly write: (text: string) => void
  /** Real-time wait between frames; the view never waits off a terminal. */
  readonly sleep: (ms: number) => Promise<void>
  /** Lines of the story and of the output shown under the cluster. Default 12 and 10. */
  readonly storyLines?: number
  readonly outputLines?: number
}

const CLEAR = '\x1b[2J\x1b[3J\x1b[H'

export class LiveView {
  private cluster: Cluster | undefined
  private readonly output: string[] = []
  private lastEventCount = -1
  private lastEventTime = -1
  private lastOutputCount = -1
  private lastDrawnAt = -Infinity
  private frames = 0
  private lastClusterView: string[] = []
  private readonly options: LiveViewOptions

  constructor(options: LiveViewOptions) {
    this.options = options
  }

  /** The clock for each cluster the example makes: it draws as virtual time moves. */
  clock = (): ManualClock => new WatchClock(this, this.options.tickMs)

  /** The view follows the latest cluster the example made. */
  follow = (cluster: Cluster): void => {
    this.cluster = cluster
  }

  onPart = (part: ExamplePart): void => {
    this.output.push(`== ${part.heading} ==`)
  }

  onLine = (line: string): void => {
    this.output.push(line)
  }

  /** Called by the clock after each step of virtual time: draws if anything changed. */
  async step(force = false): Promise<void> {
    const cluster = this.cluster
    if (!cluster || cluster.isClosed) return
    const events = cluster.timeline()
    const last = events.at(-1)
    const changed = events.length !== this.lastEventCount || (last?.time ?? -1) !== this.lastEventTime || this.output.length !== this.lastOutputCount
    const ticked = this.options.tickMs !== undefined && cluster.clock.now() - this.lastDrawnAt >= this.options.tickMs
    if (!changed && !ticked && !force) return
    this.lastEventCount = events.length
    this.lastEventTime = last?.time ?? -1
    this.lastOutputCount = this.output.length
    this.lastDrawnAt = cluster.clock.now()
    this.draw(false)
    if (this.options.tty) await this.options.sleep(this.options.frameMs ?? 400)
  }

  /** The last frame, with the whole output under it; stays on the screen. */
  finish(): void {
    this.draw(true)
  }

  private draw(final: boolean): void {
    const cluster = this.cluster
    const frame: string[] = []
    const time = cluster ? `t=${cluster.clock.now()} ms (virtual)` : 'no cluster yet'
    frame.push(`memkafka example: ${this.options.title}    ${time}${final ? '    (finished)' : ''}`)
    frame.push('')
    // Once the example has ended its clusters are closed: the last frame shows them as they were.
    if (cluster && !cluster.isClosed) {
      const story = cluster.story().split('\n')
      const keep = this.options.storyLines ?? 12
      this.lastClusterView = [
        cluster.format(),
        '',
        `What happened (last ${Math.min(keep, story.length)} of ${story.length}):`,
        ...story.slice(-keep).map((l) => `  ${l}`),
        '',
      ]
    }
    frame.push(...this.lastClusterView)
    const outputKeep = final ? this.output.length : (this.options.outputLines ?? 10)
    frame.push(final ? 'Output:' : `Output (last ${Math.min(outputKeep, this.output.length)} lines):`)
    frame.push(...this.output.slice(-outputKeep).map((l) => `  ${l}`))
    const text = frame.join('\n')
    this.frames++
    if (this.options.tty) this.options.write(`${CLEAR}${text}\n`)
    else this.options.write(`${this.frames === 1 ? '' : '\n'}${'-'.repeat(20)} frame ${this.frames} ${'-'.repeat(20)}\n${text}\n`)
  }
}

/**
 * A ManualClock that stops at every timer on the way (and every `tickMs`) to let the view draw.
 * Each stop runs the same timers in the same order as one big advance would.
 */
class WatchClock extends ManualClock {
  private readonly view: LiveView
  private readonly tickMs: number | undefined

  constructor(view: LiveView, tickMs: number | undefined) {
    super(0)
    this.view = view
    this.tickMs = tickMs
  }

  override async advance(ms: number): Promise<void> {
    if (!Number.isFinite(ms) || ms < 0) return super.advance(ms)
    const target = this.now() + ms
    for (;;) {
      const next = this.nextTimerAt()
      const tick = this.tickMs !== undefined ? this.now() + this.tickMs : Infinity
      const stop = Math.min(next ?? Infinity, tick, target)
      await super.advance(Math.max(0, stop - this.now()))
      await this.view.step()
      if (stop >= target) break
    }
  }
}
