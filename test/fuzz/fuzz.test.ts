/**
 * A short seeded fuzz run, part of `npm test`: mutated corpus and fixture
 * files through the ingest service, every input judged (harness.ts). The
 * long run is `npm run fuzz -- --runs 10000 --seed N`.
 */
import { describe, expect, it } from 'vitest';
import { fuzz } from './harness.js';
import { loadSeeds, SHORT_SEEDS } from './seeds.js';

describe('fuzzing (short seeded run)', () => {
  it('gives every mutated input an outcome in time, without crashing the batch or a confident wrong value', async () => {
    const result = await fuzz({ seeds: loadSeeds(SHORT_SEEDS), runs: 90, seed: 20261203, workers: 2, budgetMs: 10_000 });
    expect(result.inputs).toBe(90);
    expect(result.failures.map((f) => `${f.description}: ${f.reasons.join('; ')}`)).toEqual([]);
    expect(result.crashes).toBe(0);
    expect(result.withoutOutcome).toBe(0);
    expect(result.confidentWrong).toBe(0);
    // The run produced reports and error codes alike: the mutations reached the readers.
    expect(result.outcomes.report).toBeGreaterThan(10);
    expect(Object.keys(result.outcomes).length).toBeGreaterThan(4);
  }, 120_000);
});
