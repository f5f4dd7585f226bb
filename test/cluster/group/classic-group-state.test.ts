import { describe, expect, it } from 'vitest'
import { ClassicGroupState, assertValidTransition, canRebalance, groupStates, isValidTransition } from '../../../src/cluster/group/classic-group-state.js'

// The transitions Kafka's ClassicGroupState.validPreviousStates allows, spelled out as from -> to pairs.
const allowed = new Set([
  'Empty->PreparingRebalance',
  'Stable->PreparingRebalance',
  'CompletingRebalance->PreparingRebalance',
  'PreparingRebalance->CompletingRebalance',
  'PreparingRebalance->Empty',
  'CompletingRebalance->Stable',
  'Empty->Dead',
  'PreparingRebalance->Dead',
  'CompletingRebalance->Dead',
  'Stable->Dead',
  'Dead->Dead',
])

describe('group states', () => {
  it('allows exactly the transitions of Kafka 3.7', () => {
    for (const from of groupStates) {
      for (const to of groupStates) {
        expect(isValidTransition(from, to), `${from} -> ${to}`).toBe(allowed.has(`${from}->${to}`))
      }
    }
  })

  it('lets only live states start a rebalance', () => {
    expect(groupStates.filter(canRebalance)).toEqual([ClassicGroupState.Empty, ClassicGroupState.CompletingRebalance, ClassicGroupState.Stable])
  })

  it('names the states as Kafka does, and rejects a forbidden move with both states in the message', () => {
    expect(groupStates).toEqual(['Empty', 'PreparingRebalance', 'CompletingRebalance', 'Stable', 'Dead'])
    expect(() => assertValidTransition('g', ClassicGroupState.Stable, ClassicGroupState.CompletingRebalance)).toThrow(/moving to CompletingRebalance.*in Stable state/)
    expect(() => assertValidTransition('g', ClassicGroupState.PreparingRebalance, ClassicGroupState.Empty)).not.toThrow()
  })
})
