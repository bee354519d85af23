/**
 * Printed cell text → value, following spec/contract.md: numbers (full-width
 * digits, thousands separators, decimals, negatives), blank / dash / text as
 * null with a flag, annotated cells such as 22（其中修订16件） as 22 + 'annotated'.
 */
import { toHalfWidth } from './normalize.js';

export type ValueKind = 'number' | 'blank' | 'dash' | 'text';

export interface ParsedValue {
  value: number | null;
  kind: ValueKind;
  flags: string[];
  /** Unit printed in the cell, if any (元, 万元, 件, 项, 条). */
  unit?: string;
}

const NUMBER = String.raw`[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?`;
const UNIT = String.raw`万元|元|件|项|条|个|次|人`;
const PLAIN = new RegExp(`^(${NUMBER})\\s*(${UNIT})?$`);
const ANNOTATED = new RegExp(`^(${NUMBER})\\s*(${UNIT})?\\s*[(\\[]([^()]*)[)\\]]$`);
const DASH = /^[-—–―－~～/\\／…]+$|^无$/;

function clean(raw: string): string {
  return toHalfWidth(raw)
    .replace(/[\s\u00a0\u200b\ufeff]+/g, ' ')
    .trim()
    .replace(/[−‒–](?=\d)/g, '-')
    .replace(/，/g, ',');
}

function toNumber(s: string): number {
  return Number(s.replace(/,/g, ''));
}

export function parseValue(raw: string): ParsedValue {
  const s = clean(raw);
  if (s === '') return { value: null, kind: 'blank', flags: ['blank'] };
  if (DASH.test(s)) return { value: null, kind: 'dash', flags: ['dash'] };
  let m = s.match(PLAIN);
  if (m) return { value: toNumber(m[1]), kind: 'number', flags: [], ...(m[2] ? { unit: m[2] } : {}) };
  m = s.match(ANNOTATED);
  if (m) return { value: toNumber(m[1]), kind: 'number', flags: ['annotated'], ...(m[2] ? { unit: m[2] } : {}) };
  return { value: null, kind: 'text', flags: ['text'] };
}

/** True for cell text that can stand in a value column: a number, a blank or a dash (not a label). */
export function isValueLike(raw: string): boolean {
  return parseValue(raw).kind !== 'text';
}

/** Converts a parsed money value to the field's unit (元 or 万元); returns the factor applied. */
export function toFieldUnit(value: number, printedUnit: string | undefined, fieldUnit: string): { value: number; converted: boolean } {
  if (!printedUnit || printedUnit === fieldUnit) return { value, converted: false };
  if (fieldUnit.startsWith('万元') && printedUnit === '元') return { value: value / 10000, converted: true };
  if (fieldUnit.includes('normalise to 元') && printedUnit === '万元') return { value: round(value * 10000), converted: true };
  return { value, converted: false };
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
