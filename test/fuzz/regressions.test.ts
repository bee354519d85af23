/**
 * Every input the fuzzer ever failed on (test/fixtures/fuzz/, written by
 * `npm run fuzz`), replayed through the ingest service and judged by the
 * same checks: an outcome, in time, no confident wrong value.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fuzzService, judgeInput } from './harness.js';
import { FUZZ_FIXTURES, loadRegressions } from './regressions.js';
import { loadSeeds } from './seeds.js';

const regressions = loadRegressions();
const ctx = fuzzService({ workers: 2, documentTimeoutMs: 30_000, limits: { docConvertMs: 6000 } });
afterAll(() => ctx.close());
// The seeds' truth first, concurrently: every worker starts (and loads its readers) before the first timed input.
beforeAll(async () => {
  await Promise.all(
    [...new Set(regressions.flatMap((r) => [r.seed, ...(r.other ? [r.other] : [])]))].map((s) => ctx.truth(loadSeeds([s])[0])),
  );
}, 120_000);

describe('fuzz regressions', () => {
  it('has kept inputs to replay', () => {
    expect(regressions.length).toBeGreaterThan(0);
  });

  for (const r of regressions) {
    // A known, open failure is expected to fail still; vitest reports it the day it passes.
    const test = r.known ? it.fails : it;
    test(`${r.known ? `KNOWN, ${r.known}: ` : ''}${r.file}: ${r.description.slice(0, 120)}`, async () => {
      const [seed] = loadSeeds([r.seed]);
      const other = r.other ? loadSeeds([r.other])[0] : undefined;
      const bytes = new Uint8Array(readFileSync(join(FUZZ_FIXTURES, r.file)));
      const out = await judgeInput(
        ctx.service,
        ctx.store,
        ctx.truth,
        { bytes, name: r.file, seed, other, duplicated: r.duplicated },
        // A kept input with an open slowness outside the readers' guards carries its own budget (and a note saying why).
        r.budgetMs ?? 10_000,
      );
      expect(out.reasons).toEqual([]);
    }, 90_000);
  }
});
