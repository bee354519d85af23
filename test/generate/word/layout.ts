/**
 * Where each canonical field sits in the official forms as laid out in the
 * Word template: (table, grid row, grid column) of its origin cell, plus the
 * label cell that names its row. Shared by the fixture generator (to fill
 * cells) and the tests (to check the extracted model cell by cell).
 */
import { FIELD_SPECS } from '../../../src/spec/fields.js';

export type FormKind = '2021' | '2021-single-other' | '2019';

export interface Slot {
  key: string;
  table: number;
  row: number;
  col: number;
}

export const T3_COLUMNS = ['natural_person', 'commercial', 'research', 'social_welfare', 'legal_service', 'other_org', 'total'] as const;
export const T4_GROUPS = ['review', 'litigation_direct', 'litigation_after_review'] as const;
export const T4_PARTS = ['upheld', 'corrected', 'other', 'pending', 'total'] as const;
const OTHER_SUBROWS = ['other_no_correction', 'other_unpaid_fee', 'other_misc'];

/** Table-3 row ids ("new", "granted", …) in printed order, from spec/fields.tsv. */
export function t3Rows(form: FormKind): string[] {
  const ids: string[] = [];
  for (const f of FIELD_SPECS) {
    if (f.table !== 't3') continue;
    const id = f.key.split('.')[1];
    if (!ids.includes(id)) ids.push(id);
  }
  return form === '2021' ? ids.filter((r) => r !== 'other') : ids.filter((r) => !OTHER_SUBROWS.includes(r));
}

/** Row ids of table 3 that this form does not have. */
export function absentRows(form: FormKind): string[] {
  return form === '2021' ? ['other'] : [...OTHER_SUBROWS];
}

/** Table 3: header rows 0–2, then one grid row per data row; values in grid columns 3–9. */
export const T3_FIRST_ROW = 3;
export const T3_FIRST_COL = 3;

/** The grid column (0, 1 or 2) of the label cell naming a table-3 row. */
export function t3LabelCol(row: string): number {
  if (['new', 'carried_over', 'carried_forward'].includes(row)) return 0;
  if (['granted', 'partial', 'total', 'other'].includes(row)) return 1;
  return 2;
}

const T2_2021: Record<string, [number, number]> = {
  'rules.issued': [2, 1],
  'rules.repealed': [2, 2],
  'rules.in_force': [2, 3],
  'normative.issued': [3, 1],
  'normative.repealed': [3, 2],
  'normative.in_force': [3, 3],
  'licensing.decisions': [6, 1],
  'penalty.decisions': [9, 1],
  'coercion.decisions': [10, 1],
  'fees.amount': [13, 1],
};

const T2_2019: Record<string, [number, number]> = {
  'rules.made': [2, 1],
  'rules.published': [2, 2],
  'rules.total_public': [2, 3],
  'normative.made': [3, 1],
  'normative.published': [3, 2],
  'normative.total_public': [3, 3],
  'licensing.prev_items': [6, 1],
  'licensing.delta': [6, 2],
  'licensing.decisions': [6, 3],
  'other_services.prev_items': [7, 1],
  'other_services.delta': [7, 2],
  'other_services.decisions': [7, 3],
  'penalty.prev_items': [10, 1],
  'penalty.delta': [10, 2],
  'penalty.decisions': [10, 3],
  'coercion.prev_items': [11, 1],
  'coercion.delta': [11, 2],
  'coercion.decisions': [11, 3],
  'fees.prev_items': [14, 1],
  'fees.delta': [14, 2],
  'procurement.items': [17, 1],
  'procurement.amount': [17, 2],
};

/** Every value slot of the form, tables 2, 3 and 4, in printed order. */
export function slots(form: FormKind): Slot[] {
  const out: Slot[] = [];
  const t2 = form === '2019' ? T2_2019 : T2_2021;
  for (const [k, [row, col]] of Object.entries(t2)) out.push({ key: 't2.' + k, table: 0, row, col });
  t3Rows(form).forEach((r, i) => {
    T3_COLUMNS.forEach((c, j) => out.push({ key: `t3.${r}.${c}`, table: 1, row: T3_FIRST_ROW + i, col: T3_FIRST_COL + j }));
  });
  T4_GROUPS.forEach((g, gi) => T4_PARTS.forEach((p, pi) => out.push({ key: `t4.${g}.${p}`, table: 2, row: 3, col: gi * 5 + pi })));
  return out;
}

/** Label cells of table 2: the row label of each value row (grid column 0). */
export function t2LabelRows(form: FormKind): Record<number, string> {
  return form === '2019'
    ? {
        2: '规章',
        3: '规范性文件',
        6: '行政许可',
        7: '其他对外管理服务事项',
        10: '行政处罚',
        11: '行政强制',
        14: '行政事业性收费',
        17: '政府集中采购',
      }
    : { 2: '规章', 3: '行政规范性文件', 6: '行政许可', 9: '行政处罚', 10: '行政强制', 13: '行政事业性收费' };
}

/** The printed label item of a table-3 row, from fields.tsv ("（三）不予公开 1.属于国家秘密" → "1.属于国家秘密"). */
export function t3RowLabel(row: string): string {
  if (row === 'other') return '（六）其他处理';
  const spec = FIELD_SPECS.find((f) => f.key === `t3.${row}.natural_person`);
  if (!spec) throw new Error(`no spec for t3 row ${row}`);
  const parts = spec.rowLabel.split(' ');
  const last = parts[parts.length - 1];
  // "三、本年度办理结果（一）予以公开": the row's own label is the part after the block label.
  return last.replace(/^三、本年度办理结果/, '');
}
