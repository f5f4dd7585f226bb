/**
 * Property tests run with one fixed fast-check seed, so `npm test` (and CI) checks the same
 * cases every time and a failure replays exactly. To explore other seeds:
 *   FC_SEED=12345 npx vitest run        or        FC_SEED=random npx vitest run
 * A failure prints its seed and path either way.
 */
import fc from 'fast-check'

const configured = process.env.FC_SEED
if (configured !== 'random') fc.configureGlobal({ seed: configured ? Number(configured) : 20_261_121 })
