import { describe, expect, it } from 'vitest'
import { GroupState, assertValidTransition, canRebalance, groupStates, isValidTransition } from '../../../src/cluster/group/group-state.js'

// The transitions Kafka's GroupState.validPreviousStates allows, spelled out as from -> to pairs.
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
    expect(groupStates.filter(canRebalance)).toEqual([GroupState.Empty, GroupState.CompletingRebalance, GroupState.Stable])
  })

  it('names the states as Kafka does, and rejects a forbidden move with both states in the message', () => {
    expect(groupStates).toEqual(['Empty', 'PreparingRebalance', 'CompletingRebalance', 'Stable', 'Dead'])
    expect(() => assertValidTransition('g', GroupState.Stable, GroupState.CompletingRebalance)).toThrow(/moving to CompletingRebalance.*in Stable state/)
    expect(() => assertValidTransition('g', GroupState.PreparingRebalance, GroupState.Empty)).not.toThrow()
  })
})
