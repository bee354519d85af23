/**
 * Table 3 (收到和处理政府信息公开申请情况): 7 value columns × 23 or 25 rows.
 *
 * Rows are matched by their labels. Rows whose label is missing (converters
 * separate labels from values) are placed by order between labelled rows,
 * and only when the count of unlabelled rows fits the gap exactly.
 */
import type { Message } from '../model.js';
import { T3_ALL_ROWS, T3_COLUMNS, t3Rows, type LabelledId, type T3Variant } from './catalog.js';
import { PENALTY } from './confidence.js';
import { makeField, type Guess } from './field.js';
import { bestMatch, labelCore, memoise, normLabel } from './normalize.js';
import { fitValues, numericSpanStart, type Fitted } from './fit.js';
import { doubtMessage, rowDoubt, withDoubt, type RowDoubt } from './row-doubt.js';
import { rowLabel, rowPlace, splitRow, type LogicalRow } from './rows.js';
import type { Field } from '../contract/document.js';

const K = T3_COLUMNS.length;

interface ValueRow {
  row: LogicalRow;
  label: string;
  fitted?: Fitted;
  match?: { id: string; score: number };
  doubt?: RowDoubt;
}

export interface SectionResult {
  fields: Record<string, Field>;
  warnings: Message[];
}

export interface Table3Result extends SectionResult {
  variant?: T3Variant;
}

const matchRow = memoise((label: string): { id: string; score: number } | undefined => {
  if (!label) return undefined;
  const m = bestMatch(labelCore(label), T3_ALL_ROWS, (r: LabelledId) => r.labels);
  return m ? { id: m.item.id, score: m.score } : undefined;
});

/** The column header, if present, must read 自然人 … 其他 … 总计 in the form's order. */
function headerConfirmsColumns(rows: LogicalRow[]): boolean {
  const text = normLabel(rows.map((r) => r.cells.map((c) => c.text).join('')).join(''));
  let at = -1;
  for (const col of ['自然人', '商业企业', '科研机构', '社会公益组织', '法律服务机构', '总计']) {
    const i = text.indexOf(col, at + 1);
    if (i < 0) return false;
    at = i;
  }
  return true;
}

function chooseVariant(rows: ValueRow[]): T3Variant | undefined {
  const ids = new Set(rows.map((r) => r.match?.id));
  if (ids.has('other_no_correction') || ids.has('other_unpaid_fee') || ids.has('other_misc')) return 'triple';
  if (ids.has('other')) return 'single';
  const n = rows.length;
  if (n === t3Rows('triple').length) return 'triple';
  if (n === t3Rows('single').length) return 'single';
  return undefined;
}

/**
 * Assigns value rows to form rows: labelled rows by label, unlabelled ones by
 * order where the gap between two labelled rows has exactly as many form rows.
 */
function align(rows: ValueRow[], form: LabelledId[], warnings: Message[]): Map<number, { vr: ValueRow; byOrder: boolean }> {
  const index = new Map(form.map((r, i) => [r.id, i]));
  const anchors: { pos: number; formIdx: number }[] = [];
  let lastIdx = -1;
  rows.forEach((vr, pos) => {
    const fi = vr.match ? index.get(vr.match.id) : undefined;
    if (fi === undefined) return;
    if (fi <= lastIdx) {
      warnings.push({
        code: 't3-row-order',
        message: `table 3 row "${vr.label}" is out of the form's order or repeated; ignored`,
        place: rowPlace(vr.row),
      });
      vr.match = undefined;
      return;
    }
    anchors.push({ pos, formIdx: fi });
    lastIdx = fi;
  });
  const out = new Map<number, { vr: ValueRow; byOrder: boolean }>();
  for (const a of anchors) out.set(a.formIdx, { vr: rows[a.pos], byOrder: false });
  // Gaps: before the first anchor, between anchors, after the last.
  const bounds = [{ pos: -1, formIdx: -1 }, ...anchors, { pos: rows.length, formIdx: form.length }];
  for (let g = 0; g + 1 < bounds.length; g++) {
    const a = bounds[g];
    const b = bounds[g + 1];
    const loose = rows.slice(a.pos + 1, b.pos).filter((vr) => !vr.match);
    const slots = b.formIdx - a.formIdx - 1;
    if (loose.length === 0) continue;
    if (loose.length === slots) {
      loose.forEach((vr, k) => out.set(a.formIdx + 1 + k, { vr, byOrder: true }));
    } else {
      warnings.push({
        code: 't3-rows-unplaced',
        message: `table 3: ${loose.length} row(s) without a readable label could not be placed (${slots} form row(s) free in that gap); left out`,
        place: rowPlace(loose[0].row),
      });
    }
  }
  return out;
}

export function mapTable3(section: LogicalRow[]): Table3Result {
  const warnings: Message[] = [];
  const fields: Record<string, Field> = {};
  const valueRows: ValueRow[] = [];
  const spanStart = new Map<number | undefined, number | undefined>();
  for (const t of new Set(section.map((r) => r.tableIndex))) {
    if (t !== undefined)
      spanStart.set(
        t,
        numericSpanStart(
          section.filter((r) => r.tableIndex === t),
          K,
        ),
      );
  }
  for (const row of section) {
    const split = splitRow(row);
    const label = rowLabel(split);
    // A copy: alignment may drop the match of an out-of-order row.
    const found = matchRow(label);
    const match = found ? { ...found } : undefined;
    const fitted = fitValues(split.values, K, spanStart.get(row.tableIndex));
    const hasNumber = split.values.some((c) => /\d/.test(c.text));
    if (!fitted) {
      if (match && hasNumber) {
        warnings.push({
          code: 't3-row-shape',
          message: `table 3 row "${label}" has ${split.values.length} value cells, expected ${K}; left out`,
          place: rowPlace(row),
        });
        valueRows.push({ row, label, match });
      }
      continue;
    }
    if (!match && !hasNumber) continue;
    valueRows.push({ row, label, fitted, match, doubt: rowDoubt(row, split, T3_ALL_ROWS) });
  }
  if (valueRows.length === 0) return { fields, warnings };

  const variant = chooseVariant(valueRows);
  if (!variant) {
    warnings.push({
      code: 't3-variant-unknown',
      message: 'table 3: cannot tell whether （六） has one row or three; only labelled rows were mapped',
    });
  }
  const form = t3Rows(variant ?? 'triple');
  const columnsConfirmed = headerConfirmsColumns(section);
  const placed = variant
    ? align(valueRows, form, warnings)
    : new Map(
        valueRows
          .filter((vr) => vr.match && form.some((f) => f.id === vr.match!.id))
          .map((vr) => [form.findIndex((f) => f.id === vr.match!.id), { vr, byOrder: false }] as const),
      );

  for (const [formIdx, { vr, byOrder }] of placed) {
    if (!vr.fitted) continue;
    const rowId = form[formIdx].id;
    const guesses: Guess[] = [];
    if (byOrder) guesses.push({ factor: PENALTY.rowByOrder, flag: 'row-by-order' });
    else if (vr.match && vr.match.score < 1) guesses.push({ factor: PENALTY.labelFuzzy(vr.match.score), flag: 'label-fuzzy' });
    if (!columnsConfirmed) guesses.push({ factor: PENALTY.columnsAssumed, flag: 'columns-assumed' });
    if (vr.fitted.trimmed) guesses.push({ factor: PENALTY.cellsTrimmed, flag: 'cells-trimmed' });
    if (vr.doubt) warnings.push({ code: vr.doubt.flag, message: doubtMessage('table 3', vr.label, vr.doubt), place: rowPlace(vr.row) });
    vr.fitted.values.forEach((cell, j) => {
      const key = `t3.${rowId}.${T3_COLUMNS[j].id}`;
      if (cell.covered) return; // a merged cell's value belongs to the row it starts in
      const merged = cell.merged ? [...guesses, { factor: PENALTY.mergedValue, flag: 'merged-cell' }] : guesses;
      const g = withDoubt(merged, cell, vr.doubt);
      fields[key] = makeField(key, cell, vr.row.method, g, { row: vr.label || form[formIdx].labels[0], col: T3_COLUMNS[j].labels[0] });
    });
  }
  return { fields, warnings, variant };
}
