/**
 * Rows that look damaged. A damaged file (a stretch overwritten or cut out, a
 * cell boundary flipped into text) joins the start of one row to the rest of
 * another: the label still reads right, the values after the damage belong to
 * another row, and nothing else about the row need look wrong. Values whose
 * placement depends on such a row are kept below confidence 0.5 with a flag
 * saying why (PENALTY.rowSuspect), never confident.
 *
 * Signs, all format-blind (what readers put in the model, and the text):
 * - `table-damaged`: the reader marked a cell broken (Cell.damaged), or a
 *   cell holds control characters (zeroed bytes): from that cell on;
 * - `row-shape-suspect`: the label cell ends in a number (a value cell lost
 *   its boundary and joined the label, so every value moved one column), or
 *   holds the labels of two form rows (two rows run together).
 */
import type { LabelledId } from './catalog.js';
import { PENALTY } from './confidence.js';
import type { Guess } from './field.js';
import { labelCore, toHalfWidth } from './normalize.js';
import { rowLabel, type LogicalRow, type SplitRow } from './rows.js';

export interface RowDoubt {
  /** Column position from which the row's values are in doubt (-Infinity: all of them). */
  fromPos: number;
  flag: 'table-damaged' | 'row-shape-suspect';
  reason: string;
}

// Zeroed or otherwise broken bytes; tab, line feed, form feed and carriage return are text.
const CONTROL = /[\u0000-\u0008\u000b\u000e-\u001f]/;

/** A label followed by a number: "上年结转政府信息公开申请数量 : 2". Enumerators (1. 2、) are at the start. */
const TRAILING_NUMBER = /[^\d\s.,:：;；|]\s*[:：;；|,，]?\s*\d[\d,]*(?:\.\d+)?$/;

/** Form labels long enough that finding one inside another label is not chance (其他, 总计, 规章 are not). */
const MIN_DISTINCT_LABEL = 4;

/** Each form's distinctive labels, longest first (sorted once per form: this runs for every row of every table). */
const distinctLabels = new WeakMap<readonly LabelledId[], { id: string; l: string }[]>();

function labelsOf(rows: readonly LabelledId[]): { id: string; l: string }[] {
  let labels = distinctLabels.get(rows);
  if (!labels) {
    labels = rows
      .flatMap((r) => r.labels.map((l) => ({ id: r.id, l })))
      .filter((x) => x.l.length >= MIN_DISTINCT_LABEL)
      .sort((a, b) => b.l.length - a.l.length);
    distinctLabels.set(rows, labels);
  }
  return labels;
}

/** How many different form rows' labels one label holds (non-overlapping, longest first). */
function formRowsIn(label: string, rows: readonly LabelledId[]): number {
  let s = labelCore(label);
  const found = new Set<string>();
  for (const { id, l } of labelsOf(rows)) {
    const i = s.indexOf(l);
    if (i < 0) continue;
    found.add(id);
    s = s.slice(0, i) + '\u0000'.repeat(l.length) + s.slice(i + l.length);
  }
  return found.size;
}

export function rowDoubt(row: LogicalRow, split: SplitRow, formRows: readonly LabelledId[]): RowDoubt | undefined {
  const nLabels = split.labels.length;
  for (let i = 0; i < row.cells.length; i++) {
    const c = row.cells[i];
    // A parent label spanning down from a row above does not place this row's values.
    if (c.covered && i < nLabels) continue;
    const marked = c.damaged === true;
    if (marked || CONTROL.test(c.text)) {
      return {
        fromPos: i < nLabels ? -Infinity : c.pos,
        flag: 'table-damaged',
        reason: marked ? 'the reader found its cells broken (damaged bytes)' : 'a cell holds control characters (damaged bytes)',
      };
    }
  }
  const label = toHalfWidth(rowLabel(split)).trim();
  if (TRAILING_NUMBER.test(label)) {
    return { fromPos: -Infinity, flag: 'row-shape-suspect', reason: 'its label ends in a number, so a value cell may have joined it' };
  }
  if (formRowsIn(label, formRows) > 1) {
    return { fromPos: -Infinity, flag: 'row-shape-suspect', reason: 'its label holds the labels of two rows of the form' };
  }
  return undefined;
}

/** The warning for a doubted row, named for the table it is in. */
export function doubtMessage(table: string, label: string, doubt: RowDoubt): string {
  const which = doubt.fromPos === -Infinity ? 'its values are' : 'its values from that cell on are';
  return `${table} row "${label}": ${doubt.reason}; ${which} kept below confidence 0.5`;
}

/** The guesses for one value cell of a row, with the row's doubt charged when the cell lies in its reach. */
export function withDoubt(guesses: Guess[], cell: { pos: number }, doubt: RowDoubt | undefined): Guess[] {
  return doubt && cell.pos >= doubt.fromPos ? [...guesses, { factor: PENALTY.rowSuspect, flag: doubt.flag }] : guesses;
}
