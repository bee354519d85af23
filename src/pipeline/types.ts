import type { Format, Message } from '../model.js';
import type { Field, Finding, ReportMeta } from '../mapping/types.js';

/** One processed document: the JSON object of `ogi extract --json` (spec/contract.md). */
export interface ExtractedDocument {
  file: string;
  sha256: string;
  format: Format | null;
  size: number;
  report: ReportMeta | null;
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
  source_url?: string;
}
