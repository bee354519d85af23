/**
 * Known values: random reports whose numbers satisfy every identity of
 * templates.md §4, the identity checker, and deliberate violations.
 */
import { randomAgency } from './agencies.js';
import { T3_APPLICANTS, T3_COLUMNS, T4_GROUPS, T4_PARTS, reportKeys, t3Rows, usesSingleOther } from './form.js';
import { createRng, hashString, type Rng } from './prng.js';
import type { ExpectedFinding, IdentityRule, SynthReport, SynthTemplate } from './types.js';

export type Scale = 'zero' | 'tiny' | 'small' | 'medium' | 'large';

export interface RandomReportOptions extends Partial<Omit<SynthReport, 'values'>> {
  /** Magnitude of the numbers; 'zero' is an all-zero report like 000_97b5ed2afefa8716.txt. */
  scale?: Scale;
  /** Shanghai 2019: the 总计 column is printed only in rows 一/二/（七）/四; the other totals become null. */
  totalsOnlyMainRows?: boolean;
  /** Add annotated Table 2 cells such as '22（其中修订16件）' (2021 only). */
  annotate?: boolean;
}

/** The seed that drives rendering choices for a report. */
export function reportSeed(r: SynthReport): number {
  return r.seed ?? hashString(`${r.agency}|${r.year}|${r.template}`);
}

const SCALE_MAX: Record<Scale, number> = { zero: 0, tiny: 3, small: 30, medium: 300, large: 3000 };

/** Relative size of each result row and applicant column: real reports are dominated by 自然人, 予以公开 and 不掌握. */
const ROW_WEIGHT: Record<string, number> = {
  granted: 1,
  partial: 0.25,
  denied_state_secret: 0.03,
  denied_prohibited: 0.05,
  denied_security_stability: 0.03,
  denied_third_party: 0.08,
  denied_internal_affairs: 0.1,
  denied_process_info: 0.1,
  denied_enforcement_file: 0.05,
  denied_query: 0.15,
  unable_not_held: 0.8,
  unable_needs_creation: 0.2,
  unable_unclear: 0.15,
  rejected_complaint: 0.3,
  rejected_duplicate: 0.15,
  rejected_publication: 0.05,
  rejected_excessive: 0.05,
  rejected_confirmation: 0.1,
  other: 0.3,
  other_no_correction: 0.2,
  other_unpaid_fee: 0.02,
  other_misc: 0.2,
};
const COLUMN_WEIGHT: Record<string, number> = {
  natural_person: 1,
  commercial: 0.3,
  research: 0.04,
  social_welfare: 0.04,
  legal_service: 0.1,
  other_org: 0.1,
};

/** 0 with probability pZero, else 1..max. */
function draw(rng: Rng, max: number, pZero: number): number {
  if (max <= 0 || rng.chance(pZero)) return 0;
  return rng.int(1, Math.max(1, Math.round(max)));
}

/** A decimal with 1–6 fractional digits, e.g. 18651.06 or 4166.241619 (万元 amounts in PT-2024/PT-2025). */
function decimal(rng: Rng, maxInt: number, fracDigits: number): number {
  const whole = rng.int(0, maxInt);
  let frac = '';
  for (let i = 0; i < fracDigits; i++) frac += String(rng.int(0, 9));
  return Number(`${whole}.${frac}`);
}

function t3Values(rng: Rng, scale: Scale, singleOther: boolean, values: Record<string, number | null>): void {
  const max = SCALE_MAX[scale];
  const rows = t3Rows(singleOther);
  for (const col of T3_APPLICANTS) {
    let total = 0;
    for (const row of rows.filter((x) => x.result)) {
      const w = ROW_WEIGHT[row.id] * COLUMN_WEIGHT[col];
      const pZero = scale === 'tiny' ? 0.75 : Math.min(0.9, Math.max(0.05, 0.9 - w * 1.2));
      const v = draw(rng, max * w * (0.5 + rng.next()), pZero);
      values[`t3.${row.id}.${col}`] = v;
      total += v;
    }
    // Pick the carried rows so that 一 + 二 = （七） + 四 holds with 一 ≥ 0.
    const forward = draw(rng, Math.max(1, total * 0.12), 0.5);
    const over = Math.min(total + forward, draw(rng, Math.max(1, total * 0.1), 0.5));
    values[`t3.total.${col}`] = total;
    values[`t3.carried_forward.${col}`] = forward;
    values[`t3.carried_over.${col}`] = over;
    values[`t3.new.${col}`] = total + forward - over;
  }
  if (scale === 'zero') for (const k of Object.keys(values)) if (k.startsWith('t3.')) values[k] = 0;
  for (const row of rows) {
    values[`t3.${row.id}.total`] = T3_APPLICANTS.reduce((s, c) => s + (values[`t3.${row.id}.${c}`] ?? 0), 0);
  }
}

function t4Values(rng: Rng, scale: Scale, values: Record<string, number | null>): void {
  const max = { zero: 0, tiny: 2, small: 10, medium: 60, large: 200 }[scale];
  for (const g of T4_GROUPS) {
    const gmax = g === 'review' ? max : max / 3;
    let total = 0;
    for (const p of T4_PARTS) {
      const v = draw(rng, gmax * (p === 'upheld' ? 1 : 0.4), 0.45);
      values[`t4.${g}.${p}`] = v;
      total += v;
    }
    values[`t4.${g}.total`] = total;
  }
}

function t2Values2021(rng: Rng, scale: Scale, values: Record<string, number | null>): void {
  const z = scale === 'zero';
  const big = scale === 'large' || scale === 'medium';
  const makesRules = !z && rng.chance(0.25);
  values['t2.rules.issued'] = makesRules ? rng.int(0, 15) : 0;
  values['t2.rules.repealed'] = makesRules ? rng.int(0, 6) : 0;
  values['t2.rules.in_force'] = makesRules ? rng.int(10, 600) : 0;
  const issued = z ? 0 : draw(rng, big ? 90 : 20, 0.3);
  values['t2.normative.issued'] = issued;
  values['t2.normative.repealed'] = z ? 0 : draw(rng, big ? 40 : 8, 0.5);
  values['t2.normative.in_force'] = z ? 0 : issued + draw(rng, big ? 900 : 60, 0.1);
  values['t2.licensing.decisions'] = z ? 0 : draw(rng, big ? 99999 : 800, 0.2);
  values['t2.penalty.decisions'] = z ? 0 : draw(rng, big ? 30000 : 300, 0.3);
  values['t2.coercion.decisions'] = z ? 0 : draw(rng, big ? 800 : 20, 0.5);
  values['t2.fees.amount'] =
    z || rng.chance(0.45)
      ? 0
      : rng.chance(0.2)
        ? rng.int(1, 5000)
        : decimal(
            rng,
            big ? 99999 : 500,
            rng.weighted([
              [2, 6],
              [1, 2],
              [4, 1],
              [6, 1],
            ]),
          );
}

function t2Values2019(rng: Rng, scale: Scale, values: Record<string, number | null>): void {
  const z = scale === 'zero';
  const big = scale === 'large' || scale === 'medium';
  const made = z ? 0 : draw(rng, big ? 60 : 10, 0.3);
  values['t2.rules.made'] = z ? 0 : draw(rng, 15, 0.6);
  values['t2.rules.published'] = values['t2.rules.made'];
  values['t2.rules.total_public'] = z ? 0 : draw(rng, 600, 0.3);
  values['t2.normative.made'] = made;
  values['t2.normative.published'] = made;
  values['t2.normative.total_public'] = z ? 0 : made + draw(rng, big ? 800 : 80, 0.1);
  const items = (k: string, prevMax: number, decisionsMax: number): void => {
    const prev = z ? 0 : draw(rng, prevMax, 0.3);
    // 本年增/减 is negative in real reports (PT-2020 行政处罚 −18); never below −prev.
    const delta = z || rng.chance(0.4) ? 0 : rng.int(-Math.min(prev, 60), Math.max(1, Math.round(prevMax / 10)));
    values[`t2.${k}.prev_items`] = prev;
    values[`t2.${k}.delta`] = delta;
    if (decisionsMax >= 0) values[`t2.${k}.decisions`] = z ? 0 : draw(rng, decisionsMax, 0.3);
  };
  items('licensing', big ? 800 : 80, big ? 99999 : 500);
  items('other_services', big ? 200 : 30, big ? 9000 : 100);
  items('penalty', big ? 3000 : 200, big ? 30000 : 300);
  items('coercion', big ? 100 : 20, big ? 800 : 30);
  items('fees', big ? 60 : 10, -1);
  const procurements = z ? 0 : draw(rng, big ? 400 : 20, 0.3);
  values['t2.procurement.items'] = procurements;
  values['t2.procurement.amount'] =
    procurements === 0 ? 0 : rng.chance(0.5) ? rng.int(1, 9999) * 1000 : decimal(rng, big ? 99_999_999 : 999_999, 2);
}

/** A deterministic random report; every identity holds (see checkIdentities). */
export function randomReport(seed: number, opts: RandomReportOptions = {}): SynthReport {
  const rng = createRng(seed);
  const template: SynthTemplate = opts.template ?? (rng.chance(0.7) ? '2021' : '2019');
  const year = opts.year ?? (template === '2019' ? rng.int(2019, 2020) : rng.int(2021, 2024));
  const agency = opts.agency ?? randomAgency(rng.fork(1));
  const singleOther = template === '2021' ? (opts.singleOther ?? rng.chance(0.15)) : undefined;
  const scale =
    opts.scale ??
    rng.weighted<Scale>([
      ['zero', 6],
      ['tiny', 24],
      ['small', 30],
      ['medium', 25],
      ['large', 15],
    ]);
  const blankForZero = opts.blankForZero ?? rng.chance(0.2);
  const typos = opts.typos ?? rng.chance(0.3);
  const totalsOnlyMainRows = opts.totalsOnlyMainRows ?? (template === '2019' && blankForZero && rng.chance(0.5));

  const values: Record<string, number | null> = {};
  if (template === '2021') t2Values2021(rng.fork(2), scale, values);
  else t2Values2019(rng.fork(2), scale, values);
  t3Values(rng.fork(3), scale, usesSingleOther({ template, singleOther }), values);
  t4Values(rng.fork(4), scale, values);
  if (totalsOnlyMainRows) {
    for (const row of t3Rows(usesSingleOther({ template, singleOther }))) {
      if (row.result) values[`t3.${row.id}.total`] = null;
    }
  }

  const report: SynthReport = { agency, year, template, values, blankForZero, typos, seed: opts.seed ?? seed };
  if (singleOther !== undefined) report.singleOther = singleOther;
  const annotate = opts.annotate ?? (template === '2021' && rng.chance(0.15));
  const annotations = { ...(opts.annotations ?? {}) };
  if (annotate && template === '2021') {
    const arng = rng.fork(5);
    const sp = arng.chance(0.5) ? ' ' : '';
    const issued = values['t2.normative.issued'] ?? 0;
    const repealed = values['t2.normative.repealed'] ?? 0;
    if (issued >= 2) annotations['t2.normative.issued'] = `${issued}（其中修订${sp}${arng.int(1, issued - 1)}${sp}件）`;
    if (repealed >= 2) annotations['t2.normative.repealed'] = `${repealed}（含自然失效${sp}${arng.int(1, repealed - 1)}${sp}件）`;
  }
  if (Object.keys(annotations).length) report.annotations = annotations;
  return report;
}

// ---- identities ----

function resultRowIds(r: SynthReport): string[] {
  return t3Rows(usesSingleOther(r))
    .filter((x) => x.result)
    .map((x) => x.id);
}

/**
 * Every violated identity of templates.md §4 (rules 1–3 and the balance), as
 * a correct reader must report it (spec/contract.md):
 * - an identity with a null operand (a blank whose value is unknown) is not checked;
 * - a blank part counts as 0, but a total printed blank (blankForZero) leaves
 *   nothing to compare, so that identity is not checked either. Totals are the
 *   总计 column, the （七）总计 row and the table-4 总计 cells.
 * Conventions: sums → expected = sum of the parts, actual = the printed total;
 * t3-balance → expected = 一 + 二, actual = （七） + 四.
 */
export function checkIdentities(r: SynthReport): ExpectedFinding[] {
  const v = r.values;
  const out: ExpectedFinding[] = [];
  const printedBlank = (k: string): boolean => v[k] === 0 && r.blankForZero === true;
  const isTotal = (k: string): boolean => k.endsWith('.total') || k.startsWith('t3.total.');
  const checkable = (keys: string[]): boolean =>
    keys.every((k) => typeof v[k] === 'number') && !keys.some((k) => isTotal(k) && printedBlank(k));
  const sumCheck = (rule: IdentityRule, totalKey: string, partKeys: string[]): void => {
    const all = [totalKey, ...partKeys];
    if (!checkable(all)) return;
    const expected = partKeys.reduce((s, k) => s + (v[k] as number), 0);
    const actual = v[totalKey] as number;
    if (expected !== actual) out.push({ rule, keys: all, expected, actual });
  };
  const results = resultRowIds(r);
  for (const c of T3_COLUMNS) {
    const keys = [`t3.new.${c}`, `t3.carried_over.${c}`, `t3.total.${c}`, `t3.carried_forward.${c}`];
    if (checkable(keys)) {
      const [a, b, t, f] = keys.map((k) => v[k] as number);
      if (a + b !== t + f) out.push({ rule: 't3-balance', keys, expected: a + b, actual: t + f });
    }
  }
  for (const c of T3_COLUMNS)
    sumCheck(
      't3-results-sum',
      `t3.total.${c}`,
      results.map((id) => `t3.${id}.${c}`),
    );
  for (const row of t3Rows(usesSingleOther(r))) {
    sumCheck(
      't3-row-sum',
      `t3.${row.id}.total`,
      T3_APPLICANTS.map((c) => `t3.${row.id}.${c}`),
    );
  }
  for (const g of T4_GROUPS)
    sumCheck(
      't4-sum',
      `t4.${g}.total`,
      T4_PARTS.map((p) => `t4.${g}.${p}`),
    );
  return out;
}

function cloneReport(r: SynthReport): SynthReport {
  const copy: SynthReport = { ...r, values: { ...r.values } };
  if (r.annotations) copy.annotations = { ...r.annotations };
  return copy;
}

/**
 * Introduces violations of exactly one rule, and returns them. Each edit adds
 * a positive amount (or, for t4, zeroes a total like HZ2023), so no cell goes
 * negative or turns into a printed blank; edits are paired so that no other
 * rule is disturbed:
 * - t3-balance: 一 column c and 一 总计 both +d → balance fails in c and 总计.
 * - t3-results-sum: one result row, column c and its 总计 both +d → results-sum fails in c (and 总计 if printed).
 * - t3-row-sum: the 总计 cell of 一 or 二 and of 四, both +d → the two row sums fail, the balance still holds.
 * - t4-sum: one cell of one group +d, or its total set to 0.
 * With blankForZero, printed blank parts count as 0 and a blank total skips its identity (checkIdentities).
 */
export function breakIdentity(
  r: SynthReport,
  which: IdentityRule,
  seed: number,
): { report: SynthReport; expectedFindings: ExpectedFinding[] } {
  if (checkIdentities(r).length) throw new Error('breakIdentity needs a report whose identities hold');
  const rng = createRng(hashString(`break:${which}:${seed}`));
  const out = cloneReport(r);
  const v = out.values;
  const d = rng.weighted([
    [rng.int(1, 9), 6],
    [rng.int(10, 99), 3],
    [rng.int(100, 999), 1],
  ]);
  const bump = (k: string): void => {
    if (typeof v[k] !== 'number') throw new Error(`cannot break ${k}: it is blank`);
    v[k] = (v[k] as number) + d;
    if (out.annotations) delete out.annotations[k];
  };
  const col = rng.pick(T3_APPLICANTS);
  switch (which) {
    case 't3-balance':
      bump(`t3.new.${col}`);
      bump('t3.new.total');
      break;
    case 't3-results-sum': {
      const row = rng.pick(resultRowIds(out));
      bump(`t3.${row}.${col}`);
      if (typeof v[`t3.${row}.total`] === 'number') bump(`t3.${row}.total`);
      break;
    }
    case 't3-row-sum':
      bump(`t3.${rng.pick(['new', 'carried_over'])}.total`);
      bump('t3.carried_forward.total');
      break;
    case 't4-sum': {
      const g = rng.pick(T4_GROUPS);
      const total = v[`t4.${g}.total`] as number;
      if (total > 0 && !out.blankForZero && rng.chance(0.3)) v[`t4.${g}.total`] = 0;
      else bump(`t4.${g}.${rng.pick([...T4_PARTS, 'total'])}`);
      break;
    }
  }
  const expectedFindings = checkIdentities(out);
  // With blank for zero, a break can hide behind a total printed blank: then nothing is expected.
  if ((expectedFindings.length === 0 && !out.blankForZero) || expectedFindings.some((f) => f.rule !== which)) {
    throw new Error(`breakIdentity(${which}) produced ${JSON.stringify(expectedFindings)}`);
  }
  return { report: out, expectedFindings };
}

// ---- printed text and expected readings ----

/** Canonical string of a number as printed (no exponent, no float noise). */
export function formatNumber(n: number): string {
  if (Number.isInteger(n)) return String(n);
  return String(Number(n.toFixed(6)));
}

/** The text printed in the cell of `key`; '' for a blank. */
export function printedValue(r: SynthReport, key: string): string {
  const ann = r.annotations?.[key];
  if (ann !== undefined) return ann;
  const v = r.values[key];
  if (v === null || v === undefined) return '';
  if (v === 0 && r.blankForZero) return '';
  const s = formatNumber(v);
  return key === 't2.procurement.amount' ? `${s}元` : s;
}

/** What a correct reader reports for `key`: the number printed, or null for a blank. */
export function expectedValue(r: SynthReport, key: string): number | null {
  const printed = printedValue(r, key);
  if (printed === '') return null;
  const m = printed.match(/^-?\d+(?:\.\d+)?/);
  if (!m) throw new Error(`no number in printed cell ${key}: ${printed}`);
  return Number(m[0]);
}

/** key → expected reading, for every key the report prints. */
export function expectedFields(r: SynthReport): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const k of reportKeys(r)) out[k] = expectedValue(r, k);
  return out;
}
