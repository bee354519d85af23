import type { SourceLocation } from '../model.js';

export type Template = '2021' | '2019' | 'legacy' | 'unknown';

export interface ReportMeta {
  /** The agency as the report names itself (from the title, else the preamble). */
  agency: string | null;
  /** The statistics year (not the publication year). */
  year: number | null;
  template: Template;
  title: string | null;
}

/** Where a field came from and how it was read. */
export interface FieldSource extends SourceLocation {
  /** How the cell was obtained: the table's method ('html-table', 'pdf-ruled', …) or a mapping strategy ('digit-run'). */
  method: string;
  /** The row and column labels the value was matched by, as printed. */
  rowLabel?: string;
  colLabel?: string;
}

export interface Field {
  /** A number, or null when the printed cell is blank, a dash or text. */
  value: number | null;
  /** The printed text of the cell. */
  raw: string;
  /** 0..1: how likely `value` is exactly what the document prints. See README "Confidence". */
  confidence: number;
  flags: string[];
  source: FieldSource;
}

export type Severity = 'error' | 'warning' | 'info';

export interface Finding {
  rule: string;
  severity: Severity;
  keys: string[];
  expected: number | null;
  actual: number | null;
  message: string;
}
