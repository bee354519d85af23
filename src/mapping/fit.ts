/**
 * Fitting a row's value cells to the form's column count. Cells spanning
 * several value columns become several slots: the first holds the printed
 * value (flagged merged), the others are covered and produce no field.
 */
import { isBlankText, type RowCell } from './rows.js';
import { isValueLike } from './values.js';

export interface SlotCell extends RowCell {
  /** The printed cell spans more than one value column or row. */
  merged: boolean;
}

export interface Fitted {
  values: SlotCell[];
  /** Blank cells at either end were dropped to reach the count. */
  trimmed: boolean;
}

export function toSlots(values: RowCell[]): SlotCell[] {
  const out: SlotCell[] = [];
  for (const c of values) {
    const span = Math.max(1, c.colSpan);
    const merged = span > 1 || c.rowSpan > 1;
    out.push({ ...c, merged });
    for (let k = 1; k < span; k++) out.push({ ...c, covered: true, merged });
  }
  return out;
}

/**
 * Picks `k` cells out of a row with too many, dropping blank cells at its ends.
 * Unambiguous when only one end has blanks. When both do, the cells must sit in
 * the columns where the table keeps its numbers (`valueStart`, a column
 * position); without that the row is left out rather than guessed.
 */
export function trimToCount<T extends RowCell>(cells: T[], k: number, valueStart?: number): { values: T[]; trimmed: boolean } | undefined {
  if (cells.length === k) return { values: cells, trimmed: false };
  if (cells.length < k) return undefined;
  const filled = cells.map((c, i) => (c.covered || !isBlankText(c.text) ? i : -1)).filter((i) => i >= 0);
  if (filled.length === 0) return { values: cells.slice(0, k), trimmed: true };
  const first = filled[0];
  const last = filled[filled.length - 1];
  if (last - first + 1 > k) return undefined;
  // Windows [start, start + k) that keep every filled cell.
  const lo = Math.max(0, last - k + 1);
  const hi = Math.min(first, cells.length - k);
  let start: number | undefined;
  if (lo === hi) start = lo;
  else if (valueStart !== undefined) {
    const s = cells.findIndex((c) => c.pos >= valueStart);
    if (s >= lo && s <= hi) start = s;
  }
  if (start === undefined) return undefined;
  return { values: cells.slice(start, start + k), trimmed: true };
}

/** A row's value cells as exactly `k` column slots. */
export function fitValues(values: RowCell[], k: number, valueStart?: number): Fitted | undefined {
  return trimToCount(toSlots(values), k, valueStart);
}

/**
 * Where a table keeps its numbers: the first column position holding a number
 * in any of its rows, when numbers span exactly `k` positions. Used to place
 * rows whose blank cells at both ends make their own alignment ambiguous.
 */
export function numericSpanStart(rows: { cells: RowCell[] }[], k: number): number | undefined {
  let min = Infinity;
  let max = -Infinity;
  for (const r of rows) {
    for (const c of r.cells) {
      if (!c.covered && /\d/.test(c.text) && isValueLike(c.text)) {
        min = Math.min(min, c.pos);
        max = Math.max(max, c.pos + Math.max(1, c.colSpan) - 1);
      }
    }
  }
  return max - min + 1 === k ? min : undefined;
}
