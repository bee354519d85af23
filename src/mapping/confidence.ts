/**
 * The confidence scheme. A field's confidence is how likely its value is
 * exactly what the document prints. It starts from how the cell was read and
 * is multiplied down for every guess mapping had to make. The README's
 * "Confidence" section documents these numbers; keep the two in step.
 */

/** Starting confidence by how the table (or text) was read. */
export const METHOD_BASE: Record<string, number> = {
  'html-table': 0.99, // real cells and spans
  'docx-table': 0.99, // real cells and spans
  'pdf-ruled': 0.97, // cells rebuilt from ruling lines
  'txt-cells': 0.97, // one cell per line: cell boundaries are explicit
  'md-table': 0.96, // pipe tables from a converter: boundaries explicit, converter may drop cells
  'txt-delimited': 0.93, // tabs / runs of spaces: a blank cell can vanish
  'text-row': 0.9, // "label 1 2 3" on one line: a blank cell can vanish
  'ocr-ruled': 0.9, // scanned tables: grid from the image's ruling lines, times each cell's reading confidence
  'pdf-aligned': 0.45, // no rulings: rows and columns inferred from positions; wrapped labels can shift rows
  'doc-text': 0.45, // .doc read as plain text without LibreOffice: rows unreliable after merges
  'pdf-damaged': 0.5, // a PDF whose compressed streams are damaged: the reader went on through the damage
  'digit-run': 0.3, // cells run together and split by ogi
};
const DEFAULT_BASE = 0.8;

/** Flags a method implies on every field it produced. */
export const METHOD_FLAGS: Record<string, string[]> = {
  'pdf-aligned': ['layout-inferred'],
  'doc-text': ['doc-text-fallback'],
  'pdf-damaged': ['source-damaged'],
  'digit-run': ['digit-run-split'],
};

/** Multipliers for the guesses mapping makes, with the flag each one adds. */
export const PENALTY = {
  /** Row label matched only approximately (typo); scaled by the similarity. */
  labelFuzzy: (similarity: number) => 0.5 + 0.5 * similarity,
  /** Row had no usable label: placed by its order between labelled rows. */
  rowByOrder: 0.8,
  /** No header row confirmed the column order: the form's order was assumed. */
  columnsAssumed: 0.95,
  /** Extra blank cells were dropped to fit the form's column count. */
  cellsTrimmed: 0.95,
  /** The cell carries a note besides its number: 22（其中修订16件）. */
  annotated: 0.97,
  /** A unit printed in the cell was converted to the field's unit. */
  unitConverted: 0.97,
  /** The value cell spans several columns or rows of the form. */
  mergedValue: 0.4,
  /** The row looks damaged (row-doubt.ts: table-damaged, row-shape-suspect): its values may belong to another row. Keeps them below 0.5. */
  rowSuspect: 0.45,
  /** An identity fails and this cell was already uncertain: more likely a misreading than a filing error. */
  identityFailed: 0.5,
} as const;

/** Recognised (OCR) and split (digit-run) values, after the identity solver. */
export const SOLVED = {
  /** Every identity the value takes part in holds: the value can be trusted. */
  confirmed: 0.95,
  /** Split digit runs confirmed by the identities: leads that add up, still below a finding's bar. */
  confirmedRun: 0.6,
  /** The one plausible other reading that makes every identity hold (flag ocr-corrected). */
  corrected: 0.75,
  /** A value inside an identity that fails (and is not a localised filing error) stays below this. */
  failedCap: 0.45,
} as const;

/** A finding is raised only when every operand is at least this sure; otherwise the operands are flagged. */
export const FINDING_MIN_CONFIDENCE = 0.8;

export function baseConfidence(method: string): { confidence: number; flags: string[] } {
  return { confidence: METHOD_BASE[method] ?? DEFAULT_BASE, flags: [...(METHOD_FLAGS[method] ?? [])] };
}

export function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
