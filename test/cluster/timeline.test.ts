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

describe('Timeline produced events', () => {
  it('lists recordProduced events among the others, in order, as the objects recordAt would keep, through the ring wrapping', () => {
    let now = 1
    const timeline = new Timeline(() => now, 3)
    timeline.record({ type: 'brokerStarted', brokerId: 0 })
    timeline.recordProduced('t', 4, 10, 2, -1, 2)
    now = 3
    timeline.record({ type: 'brokerStarted', brokerId: 1 })
    timeline.recordProduced('u', 0, 0, 1, 1, 4)
    timeline.recordProduced('t', 4, 12, 5, 0, 5)
    // Three kept: the oldest two have left the ring.
    expect(timeline.list()).toEqual([
      { type: 'brokerStarted', brokerId: 1, time: 3 },
      { type: 'produced', topic: 'u', partition: 0, baseOffset: 0, count: 1, acks: 1, time: 4 },
      { type: 'produced', topic: 't', partition: 4, baseOffset: 12, count: 5, acks: 0, time: 5 },
    ])
    expect(timeline.list({ types: ['produced'] }).map((e) => e.type === 'produced' && e.baseOffset)).toEqual([0, 12])
    expect(timeline.list({ types: ['brokerStarted'] })).toHaveLength(1)
    // The same event as recordAt keeps, down to its keys' order.
    const viaObject = new Timeline(() => now, 3)
    viaObject.recordAt({ type: 'produced', topic: 't', partition: 4, baseOffset: 12, count: 5, acks: 0 }, 5)
    expect(Object.keys(timeline.list()[2]!)).toEqual(Object.keys(viaObject.list()[0]!))
  })

  it('grows its columns past their first size and tells listeners', () => {
    const timeline = new Timeline(() => 0, 1_000)
    const heard: TimelineEvent[] = []
    for (let i = 0; i < 150; i++) {
      if (i === 149) timeline.subscribe((e) => heard.push(e))
      if (i % 3 === 0) timeline.record({ type: 'brokerStarted', brokerId: i })
      else timeline.recordProduced(`t${i}`, i, i * 10, i, -1, i)
    }
    const produced = timeline.list({ types: ['produced'] })
    expect(produced).toHaveLength(100)
    expect(produced[99]).toEqual({ type: 'produced', topic: 't149', partition: 149, baseOffset: 1490, count: 149, acks: -1, time: 149 })
    expect(produced[0]).toEqual({ type: 'produced', topic: 't1', partition: 1, baseOffset: 10, count: 1, acks: -1, time: 1 })
    expect(heard).toEqual([produced[99]])
  })
})
