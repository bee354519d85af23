/**
 * Table 4 (行政复议、行政诉讼): three groups × 结果维持/结果纠正/其他结果/尚未审结/总计.
 * The form prints one row of 15 numbers; some reports print one row per group.
 */
import type { Message } from '../model.js';
import { T4_COLUMNS, T4_GROUPS, type LabelledId } from './catalog.js';
import { PENALTY } from './confidence.js';
import { makeField, type Guess } from './field.js';
import { fitValues, type Fitted } from './fit.js';
import { bestMatch, labelCore, memoise, normLabel } from './normalize.js';
import { doubtMessage, rowDoubt, withDoubt } from './row-doubt.js';
import { rowLabel, rowPlace, splitRow, type LogicalRow, type SplitRow } from './rows.js';
import type { SectionResult } from './table3.js';
import type { Field } from '../contract/document.js';

const PER_GROUP = T4_COLUMNS.length;

function headerConfirms(rows: LogicalRow[]): boolean {
  const text = normLabel(rows.map((r) => r.cells.map((c) => c.text).join('')).join(''));
  let at = -1;
  for (const col of T4_COLUMNS) {
    const i = text.indexOf(col.labels[0], at + 1);
    if (i < 0) return false;
    at = i;
  }
  return text.includes('行政复议') && text.includes('行政诉讼');
}

const matchGroup = memoise((label: string) => (label ? bestMatch(labelCore(label), T4_GROUPS, (g) => g.labels) : undefined));

export function mapTable4(section: LogicalRow[]): SectionResult {
  const fields: Record<string, Field> = {};
  const warnings: Message[] = [];
  const confirmed = headerConfirms(section);
  const emit = (groups: LabelledId[], row: LogicalRow, split: SplitRow, fitted: Fitted, label: string, extra: Guess[]) => {
    const guesses: Guess[] = [...extra];
    if (!confirmed) guesses.push({ factor: PENALTY.columnsAssumed, flag: 'columns-assumed' });
    if (fitted.trimmed) guesses.push({ factor: PENALTY.cellsTrimmed, flag: 'cells-trimmed' });
    const doubt = rowDoubt(row, split, T4_GROUPS);
    if (doubt) warnings.push({ code: doubt.flag, message: doubtMessage('table 4', label, doubt), place: rowPlace(row) });
    fitted.values.forEach((cell, j) => {
      const g = groups[Math.floor(j / PER_GROUP)];
      const c = T4_COLUMNS[j % PER_GROUP];
      const key = `t4.${g.id}.${c.id}`;
      if (cell.covered || key in fields) return;
      const gs = withDoubt(cell.merged ? [...guesses, { factor: PENALTY.mergedValue, flag: 'merged-cell' }] : guesses, cell, doubt);
      fields[key] = makeField(key, cell, row.method, gs, { row: label || g.labels[0], col: c.labels[0] });
    });
  };

  // The form's single row of 15 numbers; a row of blanks counts only when no row has a number.
  let blankRow: { row: LogicalRow; split: SplitRow; fitted: Fitted; label: string } | undefined;
  for (const row of section) {
    const split = splitRow(row);
    const label = rowLabel(split);
    const hasNumber = split.values.some((c) => /\d/.test(c.text));
    const all = fitValues(split.values, PER_GROUP * T4_GROUPS.length);
    if (all) {
      if (!hasNumber) blankRow ??= { row, split, fitted: all, label };
      else if (Object.keys(fields).length === 0) emit(T4_GROUPS, row, split, all, label, []);
      else warnings.push({ code: 't4-extra-row', message: 'table 4: a second row of 15 values was ignored', place: rowPlace(row) });
      continue;
    }
    if (!hasNumber) continue;
    // One row per group, labelled 行政复议 / 未经复议直接起诉 / 复议后起诉.
    const one = fitValues(split.values, PER_GROUP);
    const m = matchGroup(label);
    if (one && m) {
      const extra: Guess[] = m.score < 1 ? [{ factor: PENALTY.labelFuzzy(m.score), flag: 'label-fuzzy' }] : [];
      emit([m.item], row, split, one, label, extra);
    } else if (m || split.labels.length === 0) {
      warnings.push({
        code: 't4-row-shape',
        message: `table 4 row "${label}" has ${split.values.length} value cells; expected ${PER_GROUP} or ${PER_GROUP * 3}; left out`,
        place: rowPlace(row),
      });
    }
  }
  if (Object.keys(fields).length === 0 && blankRow) emit(T4_GROUPS, blankRow.row, blankRow.split, blankRow.fitted, blankRow.label, []);
  return { fields, warnings };
}
