import { describe, expect, it } from 'vitest';
import { T3_COLUMNS } from '../src/mapping/catalog.js';
import type { Field } from '../src/contract/document.js';
import { carryoverFindings } from '../src/validate/carryover.js';
import { validateReport } from '../src/validate/rules.js';
import { T3_IDS_2021 } from './helpers/model.js';

function field(value: number | null, confidence = 0.99, flags: string[] = value === null ? ['blank'] : []): Field {
  return { value, raw: value === null ? '' : String(value), confidence, flags, source: { method: 'test' } };
}

/** A consistent 2021-form table 3 + table 4: every identity holds. */
function consistent(): Record<string, Field> {
  const f: Record<string, Field> = {};
  const apps = T3_COLUMNS.slice(0, 6).map((c) => c.id);
  const row = (id: string, vals: number[]) => {
    vals.forEach((v, j) => (f[`t3.${id}.${apps[j]}`] = field(v)));
    f[`t3.${id}.total`] = field(vals.reduce((a, b) => a + b, 0));
  };
  const results = T3_IDS_2021.slice(2, 23);
  results.forEach((id, i) => row(id, [i % 4, i % 2, 0, 0, i % 3, 0]));
  const totals = apps.map((_, j) => results.reduce((s, id) => s + (f[`t3.${id}.${apps[j]}`].value as number), 0));
  row('total', totals);
  row('carried_over', [1, 0, 0, 0, 0, 0]);
  row('carried_forward', [2, 1, 0, 0, 0, 0]);
  row(
    'new',
    totals.map((t, j) => t + (j === 0 ? 1 : j === 1 ? 1 : 0)),
  ); // new + 1 carried over = total + 2 carried forward
  for (const g of ['review', 'litigation_direct', 'litigation_after_review']) {
    const parts = [3, 1, 0, 2];
    ['upheld', 'corrected', 'other', 'pending'].forEach((c, j) => (f[`t4.${g}.${c}`] = field(parts[j])));
    f[`t4.${g}.total`] = field(6);
  }
  return f;
}

describe('identities', () => {
  it('a consistent report has no findings', () => {
    expect(validateReport(consistent())).toEqual([]);
  });

  it('t3-balance: one column out by one', () => {
    const f = consistent();
    f['t3.new.natural_person'].value! += 1;
    const got = validateReport(f).filter((x) => x.rule === 't3-balance');
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({
      severity: 'error',
      keys: ['t3.new.natural_person', 't3.carried_over.natural_person', 't3.total.natural_person', 't3.carried_forward.natural_person'],
    });
    expect(got[0].expected! - got[0].actual!).toBe(1);
  });

  it('t3-results-sum and t3-row-sum on a wrong （七）总计 cell', () => {
    const f = consistent();
    f['t3.total.research'] = field(5);
    const rules = validateReport(f)
      .map((x) => `${x.rule}:${x.keys.at(-1)}`)
      .sort();
    expect(rules).toEqual(['t3-balance:t3.carried_forward.research', 't3-results-sum:t3.total.research', 't3-row-sum:t3.total.total']);
  });

  it('t4-sum: totals printed 0 while parts are not (洪泽区 2023)', () => {
    const f = consistent();
    f['t4.review.total'] = field(0);
    const got = validateReport(f);
    expect(got).toEqual([
      expect.objectContaining({
        rule: 't4-sum',
        keys: ['t4.review.upheld', 't4.review.corrected', 't4.review.other', 't4.review.pending', 't4.review.total'],
        expected: 6,
        actual: 0,
      }),
    ]);
  });

  it('a blank total is not a violation; blank parts count as 0', () => {
    const f = consistent();
    f['t3.granted.total'] = field(null);
    f['t3.partial.natural_person'] = field(null); // was 1: now the parts miss 1
    f['t3.partial.total'] = field(null);
    const rules = validateReport(f).map((x) => `${x.rule}:${x.keys.at(-1)}`);
    expect(rules).not.toContain('t3-row-sum:t3.granted.total');
    expect(rules).not.toContain('t3-results-sum:t3.total.total');
    expect(rules).toContain('t3-results-sum:t3.total.natural_person');
  });

  it('a cell printed as text, or missing, skips the check', () => {
    const f = consistent();
    f['t4.review.total'] = { ...field(null), raw: '见说明', flags: ['text'] };
    delete f['t4.litigation_direct.upheld'];
    f['t4.litigation_direct.total'] = field(99);
    expect(validateReport(f).filter((x) => x.rule === 't4-sum')).toEqual([]);
  });

  it('never blames the filing for an unsure reading: flags the unsure cell instead', () => {
    const f = consistent();
    f['t4.review.total'] = field(0, 0.45);
    expect(validateReport(f)).toEqual([]);
    expect(f['t4.review.total'].flags).toContain('identity-failed');
    expect(f['t4.review.total'].confidence).toBeLessThan(0.45);
    expect(f['t4.review.upheld'].flags).not.toContain('identity-failed');
  });

  it('the single （六） row variant sums t3.other', () => {
    const f = consistent();
    for (const id of ['other_no_correction', 'other_unpaid_fee', 'other_misc']) {
      for (const c of T3_COLUMNS) delete f[`t3.${id}.${c.id}`];
    }
    for (const c of T3_COLUMNS) f[`t3.other.${c.id}`] = field(0);
    // other_* rows held something in some columns: the single row now must carry it.
    const got = validateReport(f).filter((x) => x.rule === 't3-results-sum');
    const expectedBroken = T3_COLUMNS.filter((c) =>
      ['other_no_correction', 'other_unpaid_fee', 'other_misc'].some((id) => (consistent()[`t3.${id}.${c.id}`].value ?? 0) !== 0),
    );
    expect(got).toHaveLength(expectedBroken.length);
  });
});

describe('carryover', () => {
  const prev = {
    't3.carried_forward.total': { value: 103, confidence: 0.99, flags: [] },
    't3.carried_forward.natural_person': { value: 100, confidence: 0.99, flags: [] },
  };
  it('flags a 上年结转 that differs from last year’s 结转下年度', () => {
    const cur = {
      't3.carried_over.total': { value: 34, confidence: 0.99, flags: [] },
      't3.carried_over.natural_person': { value: 100, confidence: 0.99, flags: [] },
    };
    expect(carryoverFindings(prev, cur, 2024)).toEqual([
      expect.objectContaining({
        rule: 'carryover',
        keys: ['t3.carried_over.total', 't3.carried_forward.total'],
        expected: 103,
        actual: 34,
      }),
    ]);
  });
  it('stays silent on unsure or blank cells', () => {
    const cur = {
      't3.carried_over.total': { value: 34, confidence: 0.3, flags: [] },
      't3.carried_over.natural_person': { value: null, confidence: 0.99, flags: ['blank'] },
    };
    expect(carryoverFindings(prev, cur, 2024)).toEqual([]);
  });
});
