/** Building one Field from a printed cell: value, raw text, confidence, flags and source. */
import type { Reading, SourceLocation } from '../model.js';
import { FIELD_SPECS } from '../spec/fields.js';
import { PENALTY, baseConfidence, round3 } from './confidence.js';
import type { Field } from '../contract/document.js';
import { parseValue, toFieldUnit } from './values.js';

const UNIT_OF = new Map(FIELD_SPECS.map((f) => [f.key, f.unit]));

/** A guess mapping made, to be charged to the field's confidence. */
export interface Guess {
  factor: number;
  flag: string;
}

export interface CellRef {
  text: string;
  source: SourceLocation;
  /** OCR: how sure the recogniser is, and what else the cell may say. */
  reading?: Reading;
}

/** The readings behind OCR'd fields, for the identity solver (not part of the output). */
const readings = new WeakMap<Field, Reading>();

export function readingOf(f: Field): Reading | undefined {
  return readings.get(f);
}

export function makeField(key: string, cell: CellRef, method: string, guesses: Guess[], labels: { row?: string; col?: string }): Field {
  const parsed = parseValue(cell.text);
  const base = baseConfidence(method);
  let confidence = base.confidence;
  const flags = [...base.flags, ...parsed.flags];
  for (const g of guesses) {
    confidence *= g.factor;
    if (!flags.includes(g.flag)) flags.push(g.flag);
  }
  if (parsed.flags.includes('annotated')) confidence *= PENALTY.annotated;
  // A recognised cell is as sure as its reading (a blank cell's reading is about the absence of ink).
  if (cell.reading) confidence *= cell.reading.confidence;
  let value = parsed.value;
  if (value !== null) {
    const unit = UNIT_OF.get(key) ?? '';
    const conv = toFieldUnit(value, parsed.unit, unit);
    if (conv.converted) {
      value = conv.value;
      confidence *= PENALTY.unitConverted;
      flags.push('unit-converted');
    }
  }
  // Built by assignment rather than spreads: this runs for every cell of every report.
  const source: Field['source'] = Object.assign({}, cell.source) as Field['source'];
  source.method = method;
  if (labels.row) source.rowLabel = labels.row.replace(/\s+/g, ' ').trim();
  if (labels.col) source.colLabel = labels.col;
  const field: Field = { value, raw: cell.text, confidence: round3(confidence), flags, source };
  if (cell.reading) readings.set(field, cell.reading);
  return field;
}
