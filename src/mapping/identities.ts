/**
 * The arithmetic the national form implies, as data: each identity says
 * which printed cells must add up to which. Validation checks them
 * (src/validate/rules.ts); the identity solver (identity-solver.ts) uses them
 * to choose among readings of OCR'd cells and splits of run-together digits.
 */
import { T3_COLUMNS, T4_COLUMNS, T4_GROUPS, t3ResultRows, t3Rows } from './catalog.js';
import type { Field } from '../contract/document.js';

export interface Operand {
  key: string;
  /** Totals: a blank here means the check has nothing to compare. */
  total: boolean;
}

/** The arithmetic rules of the form (README, "Findings"). */
export type IdentityRule = 't3-balance' | 't3-results-sum' | 't3-row-sum' | 't4-sum';

export interface Identity {
  rule: IdentityRule;
  /** Human name of the column/row/group checked. */
  where: string;
  parts: Operand[];
  /** Right-hand side, printed totals (for t3-balance: （七） and 四). */
  totals: Operand[];
}

const T3_APPLICANTS = T3_COLUMNS.filter((c) => c.id !== 'total');
const COLUMN_NAME = new Map(T3_COLUMNS.map((c) => [c.id, c.labels[0]]));

export function identities(fields: Record<string, Field>): Identity[] {
  const out: Identity[] = [];
  const variant = Object.keys(fields).some((k) => k.startsWith('t3.other.')) ? 'single' : 'triple';
  const op = (key: string, total: boolean): Operand => ({ key, total });
  for (const c of T3_COLUMNS) {
    const isTotalCol = c.id === 'total';
    out.push({
      rule: 't3-balance',
      where: COLUMN_NAME.get(c.id)!,
      parts: [op(`t3.new.${c.id}`, isTotalCol), op(`t3.carried_over.${c.id}`, isTotalCol)],
      totals: [op(`t3.total.${c.id}`, true), op(`t3.carried_forward.${c.id}`, isTotalCol)],
    });
    out.push({
      rule: 't3-results-sum',
      where: COLUMN_NAME.get(c.id)!,
      parts: t3ResultRows(variant).map((r) => op(`t3.${r}.${c.id}`, isTotalCol)),
      totals: [op(`t3.total.${c.id}`, true)],
    });
  }
  for (const r of t3Rows(variant)) {
    out.push({
      rule: 't3-row-sum',
      where: r.labels[0],
      parts: T3_APPLICANTS.map((c) => op(`t3.${r.id}.${c.id}`, r.id === 'total')),
      totals: [op(`t3.${r.id}.total`, true)],
    });
  }
  for (const g of T4_GROUPS) {
    out.push({
      rule: 't4-sum',
      where: g.labels[0],
      parts: T4_COLUMNS.filter((c) => c.id !== 'total').map((c) => op(`t4.${g.id}.${c.id}`, false)),
      totals: [op(`t4.${g.id}.total`, true)],
    });
  }
  return out;
}

/** Sum of operands, or undefined when the check cannot be made. */
export function sum(fields: Record<string, Field>, ops: Operand[]): number | undefined {
  let s = 0;
  for (const o of ops) {
    const f = fields[o.key];
    if (!f) return undefined;
    if (f.value === null) {
      if (o.total || f.flags.includes('text')) return undefined;
      continue; // blank or dash part: 0
    }
    s += f.value;
  }
  return s;
}

export type IdentityState = 'holds' | 'fails' | 'skipped';

/** Whether an identity holds, fails, or cannot be checked (a blank total, text, a missing cell). */
export function evaluate(fields: Record<string, Field>, id: Identity): IdentityState {
  const expected = sum(fields, id.parts);
  const actual = sum(fields, id.totals);
  if (expected === undefined || actual === undefined) return 'skipped';
  return Math.abs(expected - actual) < 1e-6 ? 'holds' : 'fails';
}

/** Every key an identity reads. */
export function keysOf(id: Identity): string[] {
  return [...id.parts, ...id.totals].map((o) => o.key);
}
