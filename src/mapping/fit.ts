/**
 * Fitting a row's value cells to the form's column count. Cells spanning
 * several value columns become several slots: the first holds the printed
 * value (flagged merged), the others are covered and produce no field.
 */
import { isBlankText, type RowCell } from './rows.js';

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

export function fitValues(values: RowCell[], k: number): Fitted | undefined {
  let slots = toSlots(values);
  if (slots.length === k) return { values: slots, trimmed: false };
  if (slots.length < k) return undefined;
  slots = slots.slice();
  while (slots.length > k && isBlankText(slots[slots.length - 1].text) && !slots[slots.length - 1].covered) slots.pop();
  while (slots.length > k && isBlankText(slots[0].text) && !slots[0].covered) slots.shift();
  return slots.length === k ? { values: slots, trimmed: true } : undefined;
}
