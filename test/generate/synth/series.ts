/**
 * Report series: several agencies over several years, as an inspector
 * receives them. Within an agency the years are linked as a real filing's
 * are: 二、上年结转 of year N is 四、结转下年度 of year N−1, and the totals of
 * tables 2 and 4 move by a modest factor from year to year. Planters break
 * one thing each (a carry-over, a copied report, a jump), and the truth
 * functions say what a cross-report check must find, from the values alone.
 */
import { T3_APPLICANTS, T4_GROUPS, T4_PARTS, t3Rows, usesSingleOther } from './form.js';
import { createRng, hashString } from './prng.js';
import type { SynthReport } from './types.js';
import { randomReport, type Scale } from './values.js';

export interface SeriesOptions {
  agencies: readonly string[];
  years: readonly number[];
  seed: number;
  scale?: Scale;
}

function recomputeRowTotals(r: SynthReport): void {
  for (const row of t3Rows(usesSingleOther(r))) {
    const k = `t3.${row.id}.total`;
    if (r.values[k] === null) continue;
    r.values[k] = T3_APPLICANTS.reduce((s, c) => s + (r.values[`t3.${row.id}.${c}`] ?? 0), 0);
  }
}

/** Makes `cur`'s 上年结转 equal `prev`'s 结转下年度, column by column, keeping every identity of `cur`. */
export function chainCarryover(prev: SynthReport, cur: SynthReport): void {
  const v = cur.values;
  for (const c of T3_APPLICANTS) {
    const over = prev.values[`t3.carried_forward.${c}`] ?? 0;
    const total = v[`t3.total.${c}`] ?? 0;
    let forward = v[`t3.carried_forward.${c}`] ?? 0;
    let fresh = total + forward - over;
    if (fresh < 0) {
      forward -= fresh;
      fresh = 0;
    }
    v[`t3.carried_over.${c}`] = over;
    v[`t3.carried_forward.${c}`] = forward;
    v[`t3.new.${c}`] = fresh;
  }
  recomputeRowTotals(cur);
}

/** Tables 2 and 4 of `cur` as `base`'s, each value times a factor in [0.8, 1.25]: an agency's size does not jump. */
function steady(base: SynthReport, cur: SynthReport, seed: number): void {
  const rng = createRng(seed);
  const f = () => 0.8 + rng.next() * 0.45;
  for (const [k, v] of Object.entries(base.values)) {
    if (!k.startsWith('t2.') || typeof v !== 'number' || !(k in cur.values)) continue;
    cur.values[k] = Number.isInteger(v) ? Math.round(v * f()) : Number((v * f()).toFixed(2));
  }
  for (const g of T4_GROUPS) {
    let total = 0;
    for (const p of T4_PARTS) {
      const v = Math.round((base.values[`t4.${g}.${p}`] ?? 0) * f());
      cur.values[`t4.${g}.${p}`] = v;
      total += v;
    }
    cur.values[`t4.${g}.total`] = total;
  }
}

/** One report per agency and year, oldest first within each agency. Identities hold; carry-overs chain. */
export function reportSeries(o: SeriesOptions): SynthReport[] {
  const out: SynthReport[] = [];
  for (const agency of o.agencies) {
    let prev: SynthReport | undefined;
    let base: SynthReport | undefined;
    for (const year of o.years) {
      const seed = hashString(`series:${o.seed}:${agency}:${year}`);
      const r = randomReport(seed, {
        agency,
        year,
        template: year >= 2021 ? '2021' : '2019',
        scale: o.scale ?? 'medium',
        blankForZero: false,
        typos: false,
        annotate: false,
        totalsOnlyMainRows: false,
        singleOther: false,
      });
      if (base && base.template === r.template) steady(base, r, seed);
      else base = r;
      if (prev) chainCarryover(prev, r);
      out.push(r);
      prev = r;
    }
  }
  return out;
}

/**
 * Breaks the carry-over of `cur` in one applicant column: 上年结转 +d and
 * 本年新收 −d (so every identity of the report still holds). Returns the
 * column, or undefined when 本年新收 is too small to move.
 */
export function plantCarryoverBreak(cur: SynthReport, seed: number): string | undefined {
  const rng = createRng(hashString(`carry:${seed}`));
  const columns = T3_APPLICANTS.filter((c) => (cur.values[`t3.new.${c}`] ?? 0) >= 2);
  if (!columns.length) return undefined;
  const c = rng.pick(columns);
  const d = rng.int(1, (cur.values[`t3.new.${c}`] as number) - 1);
  cur.values[`t3.carried_over.${c}`] = (cur.values[`t3.carried_over.${c}`] ?? 0) + d;
  cur.values[`t3.new.${c}`] = (cur.values[`t3.new.${c}`] as number) - d;
  recomputeRowTotals(cur);
  return c;
}

/** `target` with the tables (2–4) of `source`: a report copied from another. Agency, year and text stay `target`'s. */
export function plantCopy(target: SynthReport, source: SynthReport): SynthReport {
  if (target.template !== source.template) throw new Error('a copy keeps the form: use two reports of the same template');
  return { ...target, values: { ...source.values }, singleOther: source.singleOther, annotations: undefined };
}

/** Columns whose 上年结转 in `cur` differs from 结转下年度 in `prev` (the carryover rule's truth), as table-3 column ids. */
export function carryoverTruth(prev: SynthReport, cur: SynthReport): string[] {
  const cols = [...T3_APPLICANTS, 'total'];
  return cols.filter((c) => {
    const a = cur.values[`t3.carried_over.${c}`];
    const b = prev.values[`t3.carried_forward.${c}`];
    return typeof a === 'number' && typeof b === 'number' && a !== b;
  });
}
