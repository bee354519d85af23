/**
 * The output contract (spec/contract.md): one extracted document as
 * `ogi extract --json` prints it, the store keeps it and `ogi export` gives
 * it back. Every layer may import this module; it imports only the model.
 */
import type { Format, SourceLocation } from '../model.js';
import type { Message } from './message.js';

export type { Message } from './message.js';

export type Template = '2021' | '2019' | 'legacy' | 'unknown';

export interface ReportMeta {
  /** The agency as the report names itself (from the title, else the preamble). */
  agency: string | null;
  /** The statistics year (not the publication year). */
  year: number | null;
  template: Template;
  title: string | null;
}

/**
 * What a document is (README "Reports and other documents"): an annual
 * information-disclosure report, or a page around one. Only a `report` gets
 * a `reports` row; the others are kept as documents, with the reason.
 */
export type DocumentKind = 'report' | 'notice' | 'interpretation' | 'correction' | 'other-report' | 'unrelated';

export interface Classification {
  kind: DocumentKind;
  /** Stable code of the evidence that decided it, e.g. 'report-title', 'notice-title', 'government-work-report'. */
  code: string;
  /** Why, in words (quotes the title or names the evidence). */
  reason: string;
  /** A correction notice: the report it corrects, as its title names it (agency and year when they can be read). */
  corrects?: { title: string; agency: string | null; year: number | null; report_id?: number };
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
  /** Cross-report rules (carryover …): the other report involved, as stored (export only). */
  other_report_id?: number;
  /** Where the evidence is, beyond the cells of `keys` in this report (README "Finding evidence"). */
  evidence?: FindingEvidence;
  /** The stable id of a stored finding (what `ogi review --mark` takes); export only. */
  id?: string;
}

/** A cell that takes part in a finding: in the finding's report ('this') or in its other report ('other'). */
export interface EvidenceCell {
  report: 'this' | 'other';
  key: string;
}

/** A sentence of the report's text, located in the document model. */
export interface EvidenceText {
  /** The sentence as printed (whitespace kept). */
  sentence: string;
  /** The text block (paragraph) it is in: 0-based index among the document's blocks. */
  block: number;
  /** [start, end) character offsets of the sentence inside that block's text. */
  chars: [number, number];
  /** [start, end) offsets of the stated number inside the block's text. */
  number: [number, number];
  /** The number as stated, in the unit of the field it is compared with. */
  stated: number;
  /** Where the block is printed, when the format knows: PDF page and box, text line. */
  page?: number;
  bbox?: [number, number, number, number];
  line?: number;
}

/** One version of a URL's content (silent-edit). */
export interface EvidenceVersion {
  documentId: number;
  sha256: string;
  /** When the crawler first saw this content (ISO time). */
  fetchedAt: string;
}

/** A field whose value changed between two versions of a document. */
export interface FieldChange {
  key: string;
  before: number | null;
  after: number | null;
  /** The printed text, when it says more than the value (a blank, a dash, a note). */
  rawBefore?: string;
  rawAfter?: string;
}

/**
 * What a finding rests on besides its `keys` (which, without `cells`, name
 * cells of the finding's own report).
 */
export interface FindingEvidence {
  cells?: EvidenceCell[];
  /** text-vs-table: the sentence. */
  text?: EvidenceText;
  /** silent-edit: the URL and both versions; the changed fields. */
  url?: string;
  before?: EvidenceVersion;
  after?: EvidenceVersion;
  changes?: FieldChange[];
  /** yoy-outlier: this year's value divided by last year's (null when last year was 0). */
  factor?: number | null;
  /** copied-report: how many cells are identical, and how many of them are non-zero. */
  identical?: number;
  nonZero?: number;
}

/** One processed document: the JSON object of `ogi extract --json` (spec/contract.md). */
export interface ExtractedDocument {
  file: string;
  sha256: string;
  format: Format | null;
  size: number;
  /** The report's metadata; null when the document is not a report (see `classification`) or could not be read. */
  report: ReportMeta | null;
  /** What the document is; absent when it could not be read. */
  classification?: Classification;
  fields: Record<string, Field>;
  findings: Finding[];
  /** Fatal problems: the document could not be read (or only partly). */
  errors: Message[];
  /** Non-fatal problems worth knowing about. */
  warnings: Message[];
  /** Which extractor path produced it, e.g. 'pdf', 'doc:soffice'. */
  extractor: string | null;
  encoding?: string;
  pages?: number;
  pipeline_version: string;
  /** Where a crawled document came from (export). */
  source_url?: string;
  /** The stored report's id (export). */
  report_id?: number;
}
