/**
 * Table 2 (主动公开政府信息情况): blocks 第二十条第（一）（五）（六）（八）（九）项,
 * each a header row (信息内容 + column labels) and data rows.
 *
 * Values are mapped by their order within the row against the column labels
 * of the nearest header above, not by grid position: the 2019 form's blocks
 * use different colspans on one grid ("column drift"), so positions do not
 * line up across blocks.
 */
import type { Message } from '../model.js';
import { FIELD_KEYS } from '../spec/fields.js';
import { T2_COLUMNS, T2_DEFAULT_COLUMNS, T2_ROWS } from './catalog.js';
import { PENALTY } from './confidence.js';
import { makeField, type Guess } from './field.js';
import { bestMatch, labelCore, memoise, normLabel } from './normalize.js';
import { doubtMessage, rowDoubt, withDoubt } from './row-doubt.js';
import { isBlankText, rowLabel, rowPlace, splitRow, type LogicalRow, type RowCell } from './rows.js';
import { trimToCount } from './fit.js';
import type { SectionResult } from './table3.js';
import type { Field } from '../contract/document.js';

export type T2Form = '2019' | '2021';

interface HeaderColumn {
  id: string;
  label: string;
  form: '2019' | '2021' | 'both';
}

const BY_LENGTH = [...T2_COLUMNS].sort((a, b) => b.label.length - a.label.length);

/** Column labels found in a header row's text, in printed order (greedy, longest label first). */
export function headerColumns(text: string): HeaderColumn[] {
  let s = normLabel(text);
  const found: { at: number; col: HeaderColumn }[] = [];
  for (const col of BY_LENGTH) {
    for (let i = s.indexOf(col.label); i >= 0; i = s.indexOf(col.label, i + 1)) {
      found.push({ at: i, col });
      s = s.slice(0, i) + '\u0000'.repeat(col.label.length) + s.slice(i + col.label.length);
    }
  }
  return found.sort((a, b) => a.at - b.at).map((f) => f.col);
}

/** Which form a header belongs to, from its column labels. */
function formOf(cols: HeaderColumn[]): T2Form | undefined {
  if (cols.some((c) => c.form === '2021')) return '2021';
  if (cols.some((c) => c.form === '2019')) return '2019';
  return undefined;
}

const matchT2Row = memoise((label: string) => (label ? bestMatch(labelCore(label), T2_ROWS, (r) => r.labels) : undefined));

export interface Table2Result extends SectionResult {
  form?: T2Form;
}

export function mapTable2(section: LogicalRow[], fallbackForm: T2Form | undefined): Table2Result {
  const fields: Record<string, Field> = {};
  const warnings: Message[] = [];
  let header: HeaderColumn[] | undefined;
  /** Column position of the header's first value column: places rows with blanks at both ends. */
  let headerStart: number | undefined;
  let form: T2Form | undefined;
  for (const row of section) {
    const split = splitRow(row);
    const label = rowLabel(split);
    const m = split.values.length ? matchT2Row(label) : undefined;
    if (!m) {
      // Not a data row: maybe the header of the next block.
      if (!split.values.some((c) => !isBlankText(c.text))) {
        const cols = headerColumns(row.cells.map((c) => c.text).join(' '));
        if (cols.length) {
          header = cols;
          headerStart = row.cells.find((c) => headerColumns(c.text).length > 0)?.pos;
          form ??= formOf(cols);
        }
      }
      continue;
    }
    const rowId = m.item.id;
    const guesses: Guess[] = m.score < 1 ? [{ factor: PENALTY.labelFuzzy(m.score), flag: 'label-fuzzy' }] : [];
    // Columns: the nearest header if it fits this row, else the form's columns for the row.
    const f = form ?? fallbackForm;
    const candidates: { ids: string[]; assumed: boolean }[] = [];
    if (header && header.every((h) => FIELD_KEYS.has(`t2.${rowId}.${h.id}`)))
      candidates.push({ ids: header.map((h) => h.id), assumed: false });
    const defaults = f ? T2_DEFAULT_COLUMNS[f][rowId] : undefined;
    if (defaults) candidates.push({ ids: defaults, assumed: true });
    let cols: string[] | undefined;
    let values: RowCell[] = [];
    for (const c of candidates) {
      // Merged value cells leave empty slots behind them in some renderings (Markdown): drop blank ends to fit.
      const fitted = trimToCount(split.values, c.ids.length, headerStart);
      if (!fitted) continue;
      cols = c.ids;
      values = fitted.values;
      if (c.assumed) guesses.push({ factor: PENALTY.columnsAssumed, flag: 'columns-assumed' });
      if (fitted.trimmed) guesses.push({ factor: PENALTY.cellsTrimmed, flag: 'cells-trimmed' });
      break;
    }
    if (!cols) {
      warnings.push({
        code: 't2-row-shape',
        message: `table 2 row "${label}" has ${split.values.length} value cells and no header that fits; left out`,
        place: rowPlace(row),
      });
      continue;
    }
    const doubt = rowDoubt(row, split, T2_ROWS);
    if (doubt) warnings.push({ code: doubt.flag, message: doubtMessage('table 2', label, doubt), place: rowPlace(row) });
    cols.forEach((colId, j) => {
      const key = `t2.${rowId}.${colId}`;
      if (!FIELD_KEYS.has(key) || key in fields) return;
      const cell = values[j];
      if (cell.covered) return;
      const colLabel = header?.find((h) => h.id === colId)?.label ?? colId;
      fields[key] = makeField(key, cell, row.method, withDoubt(guesses, cell, doubt), { row: label, col: colLabel });
    });
  }
  return { fields, warnings, form };
}
