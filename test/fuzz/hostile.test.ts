/**
 * Hostile files (test/generate/hostile.ts) through the ingest service: each
 * gets its own error code, or is read, within the per-document budget, and
 * the batch goes on. Time is asserted only against the budget (10 s, the
 * issue's maximum per document), never as a speed measurement: that is
 * `npm run bench`.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { hostileFiles, issueBatch } from '../generate/hostile.js';
import { ROOT } from '../helpers/gold.js';
import { fuzzService } from './harness.js';

const BUDGET_MS = 10_000;
const ctx = fuzzService({ workers: 2, documentTimeoutMs: 30_000, limits: { docConvertMs: 6000 } });
afterAll(() => ctx.close());

async function outcome(name: string, bytes: Uint8Array): Promise<{ code: string; ms: number; message: string }> {
  const t0 = performance.now();
  const o = await ctx.service.submit({ bytes, name, location: `hostile:${name}`, kind: 'file' });
  const ms = performance.now() - t0;
  const doc = ctx.store.docs.get(o.sha256);
  const code = o.errorCode ?? (o.hasReport ? 'report' : 'read');
  return { code, ms, message: doc?.errors[0]?.message ?? '' };
}

describe('hostile files', () => {
  it('warms the workers up (not timed)', async () => {
    await Promise.all(
      hostileFiles(ROOT)
        .filter((f) => f.name.startsWith('good.'))
        .map((f) => outcome(`warm-${f.name}`, f.bytes())),
    );
  }, 120_000);

  for (const f of hostileFiles(ROOT)) {
    it(`${f.name} → ${f.expect}`, async () => {
      const r = await outcome(f.name, f.bytes());
      expect({ name: f.name, code: r.code }).toEqual({ name: f.name, code: f.expect });
      expect(r.ms, `${f.name} took ${Math.round(r.ms)} ms`).toBeLessThan(BUDGET_MS);
      // A budget's message names the limit and the option that raises it.
      if (/too-|-bomb|html-too|text-line/.test(f.expect) && f.expect !== 'docx-corrupt')
        expect(r.message).toMatch(/limits\.\w+ = .*; raise it with --[a-z-]+/);
    }, 60_000);
  }

  it("the issue's batch: every file coded correctly", async () => {
    const results = await Promise.all(
      issueBatch(ROOT).map(async (f) => ({ name: f.name, code: (await outcome(`batch-${f.name}`, f.bytes())).code, expect: f.expect })),
    );
    expect(results.map((r) => [r.name, r.code])).toEqual(results.map((r) => [r.name, r.expect]));
  }, 120_000);
});
