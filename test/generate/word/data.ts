/**
 * Report values for the generated fixtures: seeded, non-trivial, and
 * consistent with every identity of the forms (spec/templates.md §4):
 * - table 3, per column: new + carried_over = total + carried_forward;
 * - table 3, per column: total = the sum of the result rows;
 * - table 3, per row: 总计 = the sum of the six applicant columns;
 * - table 4, per group: 总计 = 维持 + 纠正 + 其他 + 尚未审结.
 */
import { T3_COLUMNS, T4_GROUPS, t3Rows, type FormKind } from './layout.js';
import { mulberry32 as rng } from '../synth/prng.js';

/** A value as printed in its cell: the number and, when it is not a plain number, the printed text. */
export interface Printed {
  value: number;
  text: string;
}

export type Values = Record<string, Printed>;

export type Profile = 'busy' | 'sparse';

const plain = (value: number): Printed => ({ value, text: String(value) });

/** Upper bound and share of zeros per applicant column. */
const SHAPE: Record<Profile, Record<string, [number, number]>> = {
  busy: {
    natural_person: [60, 0.15],
    commercial: [18, 0.35],
    research: [4, 0.6],
    social_welfare: [4, 0.6],
    legal_service: [9, 0.45],
    other_org: [6, 0.5],
  },
  sparse: {
    natural_person: [6, 0.55],
    commercial: [3, 0.8],
    research: [1, 0.95],
    social_welfare: [1, 0.95],
    legal_service: [2, 0.9],
    other_org: [1, 0.95],
  },
};

export function makeValues(form: FormKind, seed: number, profile: Profile): Values {
  const rand = rng(seed);
  const int = (max: number, zeroShare = 0) => (rand() < zeroShare ? 0 : 1 + Math.floor(rand() * max));
  const v: Values = {};

  if (form === '2019') {
    for (const row of ['rules', 'normative']) {
      const made = int(row === 'rules' ? 4 : 40);
      v[`t2.${row}.made`] = plain(made);
      v[`t2.${row}.published`] = plain(made - int(2, 0.6));
      v[`t2.${row}.total_public`] = plain(made + 20 + int(300));
    }
    for (const row of ['licensing', 'other_services', 'penalty', 'coercion']) {
      v[`t2.${row}.prev_items`] = plain(int(400));
      const delta = int(30) - 15;
      v[`t2.${row}.delta`] = plain(delta);
      v[`t2.${row}.decisions`] = plain(int(3000));
    }
    v['t2.fees.prev_items'] = plain(int(60));
    v['t2.fees.delta'] = plain(-int(9));
    v['t2.procurement.items'] = plain(int(400));
    const amount = (int(90_000_000) * 100 + 1 + int(98)) / 100;
    v['t2.procurement.amount'] = { value: amount, text: amount.toFixed(2) + '元' };
  } else {
    for (const row of ['rules', 'normative']) {
      const issued = int(row === 'rules' ? 5 : 30);
      const repealed = int(row === 'rules' ? 3 : 12, 0.2);
      v[`t2.${row}.issued`] = plain(issued);
      v[`t2.${row}.repealed`] = plain(repealed);
      v[`t2.${row}.in_force`] = plain(issued + int(200));
    }
    v['t2.licensing.decisions'] = plain(int(5000));
    v['t2.penalty.decisions'] = plain(int(2000));
    v['t2.coercion.decisions'] = plain(int(300, 0.2));
    // Cents never end in 0, so the printed text is the shortest form of the number.
    const fee = (int(50_000) * 100 + 1 + Math.floor(rand() * 9) * 10 + Math.floor(rand() * 9)) / 100;
    v['t2.fees.amount'] = { value: fee, text: String(fee) };
  }

  const rows = t3Rows(form);
  const results = rows.filter((r) => !['new', 'carried_over', 'total', 'carried_forward'].includes(r));
  const shape = SHAPE[profile];
  for (const c of T3_COLUMNS.slice(0, 6)) {
    const [max, zeros] = shape[c];
    let total = 0;
    for (const r of results) {
      const weight = r === 'granted' ? 3 : r === 'partial' || r === 'unable_not_held' ? 1.5 : 0.5;
      const n = int(Math.max(1, Math.round(max * weight)), r === 'granted' ? zeros / 2 : zeros);
      v[`t3.${r}.${c}`] = plain(n);
      total += n;
    }
    const forward = int(Math.max(1, Math.round(max / 5)), zeros);
    const over = Math.min(int(Math.max(1, Math.round(max / 5)), zeros), total + forward);
    v[`t3.total.${c}`] = plain(total);
    v[`t3.carried_forward.${c}`] = plain(forward);
    v[`t3.carried_over.${c}`] = plain(over);
    v[`t3.new.${c}`] = plain(total + forward - over);
  }
  for (const r of rows) {
    v[`t3.${r}.total`] = plain(T3_COLUMNS.slice(0, 6).reduce((s, c) => s + v[`t3.${r}.${c}`].value, 0));
  }

  for (const g of T4_GROUPS) {
    const big = g === 'review' ? 14 : 6;
    const parts = [int(big, 0.2), int(big / 2, 0.4), int(4, 0.5), int(5, 0.4)];
    ['upheld', 'corrected', 'other', 'pending'].forEach((p, i) => (v[`t4.${g}.${p}`] = plain(parts[i])));
    v[`t4.${g}.total`] = plain(parts.reduce((a, b) => a + b, 0));
  }
  return v;
}

export interface Inconsistency {
  rule: string;
  detail: string;
}

/** The identities that fail on these values, worded like the corpus gold files. Blanks count as 0. */
export function inconsistencies(form: FormKind, v: Values): Inconsistency[] {
  const n = (k: string) => v[k]?.value ?? 0;
  const out: Inconsistency[] = [];
  const rows = t3Rows(form);
  const results = rows.filter((r) => !['new', 'carried_over', 'total', 'carried_forward'].includes(r));
  for (const c of T3_COLUMNS) {
    const left = n(`t3.new.${c}`) + n(`t3.carried_over.${c}`);
    const right = n(`t3.total.${c}`) + n(`t3.carried_forward.${c}`);
    if (left !== right) {
      out.push({ rule: `T3 column balance (${c}): new + carried_over = total + carried_forward`, detail: `${left} ≠ ${right}` });
    }
    const sum = results.reduce((s, r) => s + n(`t3.${r}.${c}`), 0);
    if (sum !== n(`t3.total.${c}`)) {
      out.push({
        rule: `T3 column sum (${c}): （七）总计 = sum of result rows （一）…（六）`,
        detail: `（七）总计 = ${n(`t3.total.${c}`)} but result rows sum to ${sum}`,
      });
    }
  }
  for (const r of rows) {
    const parts = T3_COLUMNS.slice(0, 6).map((c) => n(`t3.${r}.${c}`));
    const sum = parts.reduce((a, b) => a + b, 0);
    if (sum !== n(`t3.${r}.total`)) {
      out.push({
        rule: `T3 row sum (${r}): 总计 = 自然人 + 商业企业 + 科研机构 + 社会公益组织 + 法律服务机构 + 其他`,
        detail: `总计 = ${n(`t3.${r}.total`)} but the six applicant columns sum to ${sum} (${parts.join(', ')})`,
      });
    }
  }
  for (const g of T4_GROUPS) {
    const parts = ['upheld', 'corrected', 'other', 'pending'].map((p) => n(`t4.${g}.${p}`));
    const sum = parts.reduce((a, b) => a + b, 0);
    if (sum !== n(`t4.${g}.total`)) {
      out.push({
        rule: `T4 group total (${g}): 总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结`,
        detail: `总计 = ${n(`t4.${g}.total`)} but parts sum to ${sum} (${parts.join(', ')})`,
      });
    }
  }
  return out;
}
