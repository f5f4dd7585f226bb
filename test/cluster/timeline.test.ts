import { describe, expect, it } from 'vitest'
import { Timeline, type TimelineEvent } from '../../src/cluster/timeline.js'

describe('Timeline.subscribe', () => {
  it('hears every event recorded after subscribing, stamped, until unsubscribed', () => {
    let now = 5
    const timeline = new Timeline(() => now, 2)
    timeline.record({ type: 'brokerStarted', brokerId: 0 })
    const heard: TimelineEvent[] = []
    const stop = timeline.subscribe((e) => heard.push(e))
    now = 7
    timeline.record({ type: 'brokerStopped', brokerId: 1, crash: true, lostUnflushed: false })
    timeline.record({ type: 'brokerStarted', brokerId: 1 })
    // The ring keeps two events; listeners heard each as it came.
    timeline.record({ type: 'brokerIsolated', brokerId: 2 })
    stop()
    timeline.record({ type: 'networkHealed', brokerIds: [2] })
    expect(heard.map((e) => [e.type, e.time])).toEqual([
      ['brokerStopped', 7],
      ['brokerStarted', 7],
      ['brokerIsolated', 7],
    ])
  })
})
