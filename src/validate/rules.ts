/**
 * Checks on what a report says (spec/contract.md, "findings"):
 * - t3-balance:     per table-3 column, 一 + 二 = （七）总计 + 四
 * - t3-results-sum: per table-3 column, （七）总计 = the sum of every result row
 * - t3-row-sum:     per table-3 row, 总计 = the six applicant columns
 * - t4-sum:         per table-4 group, 总计 = 维持 + 纠正 + 其他 + 尚未审结
 *
 * `expected` is what the parts add up to, `actual` what the report prints as
 * the total (for t3-balance: 一 + 二 and （七） + 四).
 *
 * Blank operands: a blank or dashed part counts as 0 (reports leave zeros
 * blank); a blank total means nothing was printed to compare, so the check is
 * skipped. A cell printed as text, or absent, skips the check.
 *
 * A finding must never come from ogi's own misreading: when a check fails and
 * an operand is below FINDING_MIN_CONFIDENCE, no finding is raised; the unsure
 * operands are flagged 'identity-failed' and their confidence is lowered.
 */
import { FINDING_MIN_CONFIDENCE, PENALTY, round3 } from '../mapping/confidence.js';
import { T3_COLUMNS, T4_COLUMNS, T4_GROUPS, t3ResultRows, t3Rows } from '../mapping/catalog.js';
import type { Field, Finding } from '../contract/document.js';

interface Operand {
  key: string;
  /** Totals: a blank here means the check has nothing to compare. */
  total: boolean;
}

type IdentityRule = 't3-balance' | 't3-results-sum' | 't3-row-sum' | 't4-sum';

interface Identity {
  rule: IdentityRule;
  /** Human name of the column/row/group checked. */
  where: string;
  parts: Operand[];
  /** Right-hand side, printed totals (for t3-balance: （七） and 四). */
  totals: Operand[];
}

const T3_APPLICANTS = T3_COLUMNS.filter((c) => c.id !== 'total');
const COLUMN_NAME = new Map(T3_COLUMNS.map((c) => [c.id, c.labels[0]]));

function identities(fields: Record<string, Field>): Identity[] {
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
function sum(fields: Record<string, Field>, ops: Operand[]): number | undefined {
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

function describe(id: Identity, expected: number, actual: number): string {
  switch (id.rule) {
    case 't3-balance':
      return `Table 3, column ${id.where}: 一 + 二 = ${expected}, but （七）总计 + 四 = ${actual}`;
    case 't3-results-sum':
      return `Table 3, column ${id.where}: the result rows add up to ${expected}, but （七）总计 prints ${actual}`;
    case 't3-row-sum':
      return `Table 3, row ${id.where}: the six applicant columns add up to ${expected}, but 总计 prints ${actual}`;
    case 't4-sum':
      return `Table 4, ${id.where}: 维持 + 纠正 + 其他 + 尚未审结 = ${expected}, but 总计 prints ${actual}`;
    default: {
      // A new identity must say what it checks: the compiler stops a rule that borrows another's sentence.
      const unknown: never = id.rule;
      throw new Error(`no message for identity rule ${String(unknown)}`);
    }
  }
}

export function validateReport(fields: Record<string, Field>): Finding[] {
  const findings: Finding[] = [];
  for (const id of identities(fields)) {
    const expected = sum(fields, id.parts);
    const actual = sum(fields, id.totals);
    if (expected === undefined || actual === undefined) continue;
    if (Math.abs(expected - actual) < 1e-6) continue;
    const keys = [...id.parts, ...id.totals].map((o) => o.key);
    const unsure = keys.filter((k) => fields[k].confidence < FINDING_MIN_CONFIDENCE);
    if (unsure.length) {
      for (const k of unsure) {
        const f = fields[k];
        if (f.flags.includes('identity-failed')) continue;
        f.flags.push('identity-failed');
        f.confidence = round3(f.confidence * PENALTY.identityFailed);
      }
      continue;
    }
    findings.push({ rule: id.rule, severity: 'error', keys, expected, actual, message: describe(id, expected, actual) });
  }
  return findings;
}
