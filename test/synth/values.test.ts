import { describe, expect, it } from 'vitest';
import {
  IDENTITY_RULES,
  breakIdentity,
  checkIdentities,
  expectedFields,
  randomReport,
  renderHtml,
  renderText,
  type ExpectedFinding,
  type SynthReport,
} from '../generate/synth/index.js';
import { specKeys } from './helpers.js';

const SEEDS = Array.from({ length: 300 }, (_, i) => i * 7919 + 3);

/** The identities of templates.md §4, written independently of the generator. */
function violations(r: SynthReport): ExpectedFinding[] {
  const v = r.values;
  const single = r.template === '2019' || r.singleOther === true;
  const results = [
    'granted',
    'partial',
    ...[
      'state_secret',
      'prohibited',
      'security_stability',
      'third_party',
      'internal_affairs',
      'process_info',
      'enforcement_file',
      'query',
    ].map((s) => `denied_${s}`),
    ...['not_held', 'needs_creation', 'unclear'].map((s) => `unable_${s}`),
    ...['complaint', 'duplicate', 'publication', 'excessive', 'confirmation'].map((s) => `rejected_${s}`),
    ...(single ? ['other'] : ['other_no_correction', 'other_unpaid_fee', 'other_misc']),
  ];
  const rows = ['new', 'carried_over', ...results, 'total', 'carried_forward'];
  const applicants = ['natural_person', 'commercial', 'research', 'social_welfare', 'legal_service', 'other_org'];
  const cols = [...applicants, 'total'];
  const out: ExpectedFinding[] = [];
  const num = (k: string): number | null => (typeof v[k] === 'number' ? (v[k] as number) : null);
  // A total printed blank (blank for zero) leaves a reader nothing to compare (spec/contract.md).
  const blankTotal = (k: string): boolean => r.blankForZero === true && v[k] === 0 && (k.endsWith('.total') || k.startsWith('t3.total.'));
  const sum = (rule: ExpectedFinding['rule'], total: string, parts: string[]): void => {
    const vals = [total, ...parts].map(num);
    if (vals.some((x) => x === null) || [total, ...parts].some(blankTotal)) return;
    const expected = parts.reduce((s, k) => s + (num(k) as number), 0);
    if (expected !== num(total)) out.push({ rule, keys: [total, ...parts], expected, actual: num(total) as number });
  };
  for (const c of cols) {
    const k = ['new', 'carried_over', 'total', 'carried_forward'].map((x) => `t3.${x}.${c}`);
    const [a, b, t, f] = k.map(num);
    if (k.some(blankTotal)) continue;
    if (a !== null && b !== null && t !== null && f !== null && a + b !== t + f)
      out.push({ rule: 't3-balance', keys: k, expected: a + b, actual: t + f });
  }
  for (const c of cols)
    sum(
      't3-results-sum',
      `t3.total.${c}`,
      results.map((x) => `t3.${x}.${c}`),
    );
  for (const row of rows)
    sum(
      't3-row-sum',
      `t3.${row}.total`,
      applicants.map((c) => `t3.${row}.${c}`),
    );
  for (const g of ['review', 'litigation_direct', 'litigation_after_review']) {
    sum(
      't4-sum',
      `t4.${g}.total`,
      ['upheld', 'corrected', 'other', 'pending'].map((p) => `t4.${g}.${p}`),
    );
  }
  return out;
}

const asSet = (fs: ExpectedFinding[]): string[] =>
  fs.map((f) => `${f.rule}|${[...f.keys].sort().join(',')}|${f.expected}|${f.actual}`).sort();

describe('randomReport', () => {
  it('is deterministic', () => {
    for (const s of SEEDS.slice(0, 20)) {
      expect(randomReport(s)).toEqual(randomReport(s));
      // Buffer.equals: vitest's deep equality is slow on 100 KB byte arrays.
      expect(Buffer.from(renderHtml(randomReport(s), 'word-export').bytes).equals(renderHtml(randomReport(s), 'word-export').bytes)).toBe(
        true,
      );
      expect(Buffer.from(renderText(randomReport(s), 'spaces').bytes).equals(renderText(randomReport(s), 'spaces').bytes)).toBe(true);
    }
    expect(randomReport(1)).not.toEqual(randomReport(2));
  });

  it('fills exactly the keys of fields.tsv that its template prints', () => {
    for (const s of SEEDS) {
      const r = randomReport(s);
      expect(Object.keys(r.values).sort(), `seed ${s}`).toEqual(
        specKeys(r)
          .map((f) => f.key)
          .sort(),
      );
      expect(Object.keys(expectedFields(r)).sort()).toEqual(Object.keys(r.values).sort());
    }
  });

  it('satisfies every identity', () => {
    for (const s of SEEDS) {
      const r = randomReport(s);
      expect(violations(r), `seed ${s}`).toEqual([]);
      expect(checkIdentities(r), `seed ${s}`).toEqual([]);
      const bad = Object.entries(r.values).filter(
        ([k, v]) => v !== null && ((!k.endsWith('.delta') && v < 0) || (/^t[34]\./.test(k) && !Number.isInteger(v))),
      );
      expect(bad, `seed ${s}`).toEqual([]);
    }
  });

  it('varies templates, options and magnitudes across seeds', () => {
    const rs = SEEDS.map((s) => randomReport(s));
    const some = (f: (r: SynthReport) => boolean): number => rs.filter(f).length;
    expect(some((r) => r.template === '2019')).toBeGreaterThan(30);
    expect(some((r) => r.template === '2021')).toBeGreaterThan(100);
    expect(some((r) => r.singleOther === true)).toBeGreaterThan(5);
    expect(some((r) => r.blankForZero === true)).toBeGreaterThan(20);
    expect(some((r) => r.typos === true)).toBeGreaterThan(30);
    expect(some((r) => r.annotations !== undefined)).toBeGreaterThan(5);
    expect(some((r) => Object.values(r.values).every((v) => v === 0 || v === null))).toBeGreaterThan(3);
    expect(some((r) => (r.values['t3.total.total'] ?? 0) >= 1000)).toBeGreaterThan(10);
    expect(some((r) => (r.values['t3.new.natural_person'] ?? 0) >= 100 && (r.values['t3.new.natural_person'] ?? 0) < 1000)).toBeGreaterThan(
      10,
    );
    expect(some((r) => Object.entries(r.values).some(([k, v]) => k.startsWith('t3.') && v === null))).toBeGreaterThan(0);
    // 万元 fees with decimals (2021), negative 本年增/减 and 元 procurement amounts (2019).
    expect(some((r) => r.template === '2021' && !Number.isInteger(r.values['t2.fees.amount']))).toBeGreaterThan(20);
    expect(
      some((r) => r.template === '2019' && Object.entries(r.values).some(([k, v]) => k.endsWith('.delta') && (v ?? 0) < 0)),
    ).toBeGreaterThan(10);
    expect(some((r) => r.template === '2019' && !Number.isInteger(r.values['t2.procurement.amount']))).toBeGreaterThan(5);
  });

  it('honours explicit options', () => {
    const r = randomReport(9, { template: '2019', year: 2020, agency: '测试局', blankForZero: false, typos: false, scale: 'large' });
    expect([r.template, r.year, r.agency, r.blankForZero, r.typos]).toEqual(['2019', 2020, '测试局', false, false]);
    expect(r.singleOther).toBeUndefined();
    const single = randomReport(9, { template: '2021', singleOther: true });
    expect(Object.keys(single.values)).toContain('t3.other.total');
    expect(Object.keys(single.values)).not.toContain('t3.other_misc.total');
    const zero = randomReport(9, { scale: 'zero' });
    expect(Object.values(zero.values).every((v) => v === 0 || v === null)).toBe(true);
    const shanghai = randomReport(9, { template: '2019', totalsOnlyMainRows: true });
    expect(shanghai.values['t3.granted.total']).toBeNull();
    expect(shanghai.values['t3.new.total']).not.toBeNull();
    expect(violations(shanghai)).toEqual([]);
  });

  it('annotations start with the value they annotate', () => {
    let seen = 0;
    for (const s of SEEDS) {
      const r = randomReport(s);
      for (const [k, text] of Object.entries(r.annotations ?? {})) {
        seen++;
        expect(text.startsWith(String(r.values[k])), text).toBe(true);
        expect(text).toMatch(/（(其中修订|含自然失效) ?\d+ ?件）$/);
        expect(expectedFields(r)[k]).toBe(r.values[k]);
      }
    }
    expect(seen).toBeGreaterThan(5);
  });
});

describe('breakIdentity', () => {
  it('introduces violations of exactly the named rule, and reports exactly them', () => {
    for (const s of SEEDS.slice(0, 120)) {
      const r = randomReport(s);
      for (const rule of IDENTITY_RULES) {
        const { report, expectedFindings } = breakIdentity(r, rule, s);
        const found = violations(report);
        // With blank for zero a break can hide behind a blank total; otherwise it must show.
        if (!r.blankForZero) expect(found.length, `${rule} seed ${s}`).toBeGreaterThan(0);
        expect(found.every((f) => f.rule === rule)).toBe(true);
        expect(asSet(expectedFindings), `${rule} seed ${s}`).toEqual(asSet(found));
        // The original report is untouched.
        expect(violations(r)).toEqual([]);
        // Few cells change, none becomes negative or blank.
        const changed = Object.keys(r.values).filter((k) => r.values[k] !== report.values[k]);
        expect(changed.length).toBeGreaterThan(0);
        expect(changed.length).toBeLessThanOrEqual(2);
        for (const k of changed) {
          expect(report.values[k]).not.toBeNull();
          expect(report.values[k] as number).toBeGreaterThanOrEqual(0);
          expect(report.annotations?.[k]).toBeUndefined();
        }
      }
    }
  });

  it('breaks all-zero and Shanghai-style reports too', () => {
    const zero = randomReport(5, { scale: 'zero', blankForZero: true });
    const sh = randomReport(6, { template: '2019', totalsOnlyMainRows: true });
    for (const r of [zero, sh]) {
      for (const rule of IDENTITY_RULES) {
        const { report, expectedFindings } = breakIdentity(r, rule, 1);
        expect(asSet(expectedFindings)).toEqual(asSet(violations(report)));
      }
    }
  });

  it('uses the documented expected/actual convention', () => {
    const r = randomReport(77, { scale: 'medium' });
    const { report, expectedFindings } = breakIdentity(r, 't4-sum', 3);
    const f = expectedFindings[0];
    const [total, ...parts] = f.keys;
    expect(total).toMatch(/\.total$/);
    expect(f.actual).toBe(report.values[total]);
    expect(f.expected).toBe(parts.reduce((s, k) => s + (report.values[k] as number), 0));
    const bal = breakIdentity(r, 't3-balance', 3).expectedFindings[0];
    const b = breakIdentity(r, 't3-balance', 3).report.values;
    expect(bal.keys.map((k) => k.split('.')[1])).toEqual(['new', 'carried_over', 'total', 'carried_forward']);
    expect(bal.expected).toBe((b[bal.keys[0]] as number) + (b[bal.keys[1]] as number));
    expect(bal.actual).toBe((b[bal.keys[2]] as number) + (b[bal.keys[3]] as number));
  });

  it('refuses a report that is already inconsistent', () => {
    const { report } = breakIdentity(randomReport(3), 't4-sum', 1);
    expect(() => breakIdentity(report, 't3-balance', 1)).toThrow(/identities hold/);
  });
});
