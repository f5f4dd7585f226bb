/**
 * What `memkafka serve` prints as the cluster lives: one line per event, in cluster.story()'s
 * words. The story tells an event from what came before it ("leader of orders-0 moved 0 -> 1",
 * "ISR of orders-0 shrank to 1,2"), so each event is told after the few earlier ones it depends
 * on (the partition's previous leader or ISR, its topic's creation), and only its own line is
 * printed: constant work per event however long the process runs.
 */
import { storyLines } from '../cluster/story.js'
import type { TimelineEvent, TimelineEventType } from '../cluster/timeline.js'

/** Events that come by the thousand under load; the served log leaves them out. */
export const quietEvents: readonly TimelineEventType[] = ['produced', 'offsetsCommitted', 'txnBegun', 'txnEnded', 'recordsDeleted']

/** A function to call with each event, printing its line (times relative to `origin`). */
export function eventTeller(origin: number, print: (line: string) => void): (event: TimelineEvent) => void {
  const quiet = new Set(quietEvents)
  const context = new Map<string, TimelineEvent>()
  return (event) => {
    if (quiet.has(event.type)) return
    let before: (TimelineEvent | undefined)[] = []
    if (event.type === 'leaderElected' || event.type === 'partitionOffline') {
      const key = `leader ${event.topic}-${event.partition}`
      before = [context.get(key)]
      context.set(key, event)
    } else if (event.type === 'isrChanged') {
      const key = `isr ${event.topic}-${event.partition}`
      before = [context.get(`topic ${event.topic}`), context.get(key)]
      context.set(key, event)
    } else if (event.type === 'topicCreated') {
      context.set(`topic ${event.topic}`, event)
    } else if (event.type === 'topicDeleted') {
      for (const key of [...context.keys()]) {
        if (key === `topic ${event.topic}` || key.startsWith(`leader ${event.topic}-`) || key.startsWith(`isr ${event.topic}-`)) context.delete(key)
      }
    }
    const lines = storyLines([...before.filter((e): e is TimelineEvent => e !== undefined), event], { origin })
    const own = lines.at(-1)
    if (own !== undefined) print(own)
  }
}
