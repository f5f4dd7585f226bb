import { describe, it } from 'vitest'
import { compactedTopicsUnderFaults } from '../testing/safety-properties.js'
describe('hunt compaction check', () => {
  for (let seed = 800; seed < 808; seed++) it(`compacted ${seed}`, async () => { await compactedTopicsUnderFaults(500, seed, 'long') }, 900_000)
})
