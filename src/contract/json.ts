/**
 * The one place that turns an ExtractedDocument into the JSON object of the
 * contract: `ogi extract --json`, `ogi export --format jsonl` and anything
 * else that prints a document go through here, so they cannot drift apart
 * (export once dropped `encoding` and `pages`). Key order is fixed, and
 * fields follow the order of spec/fields.tsv.
 */
import { FIELD_SPECS } from '../spec/fields.js';
import type { ExtractedDocument, Field } from './document.js';

const ORDER = new Map(FIELD_SPECS.map((f, i) => [f.key, i]));

function orderedFields(fields: Record<string, Field>): Record<string, Field> {
  const keys = Object.keys(fields).sort((a, b) => (ORDER.get(a) ?? 1e9) - (ORDER.get(b) ?? 1e9) || (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(keys.map((k) => [k, fields[k]]));
}

/** The contract's JSON object for one document. Optional members appear only when known. */
export function documentJson(doc: ExtractedDocument): Record<string, unknown> {
  return {
    ...(doc.report_id !== undefined ? { report_id: doc.report_id } : {}),
    file: doc.file,
    sha256: doc.sha256,
    format: doc.format,
    size: doc.size,
    report: doc.report,
    ...(doc.classification !== undefined ? { classification: doc.classification } : {}),
    fields: orderedFields(doc.fields),
    findings: doc.findings,
    errors: doc.errors,
    warnings: doc.warnings,
    extractor: doc.extractor,
    ...(doc.encoding !== undefined ? { encoding: doc.encoding } : {}),
    ...(doc.pages !== undefined ? { pages: doc.pages } : {}),
    pipeline_version: doc.pipeline_version,
    ...(doc.source_url !== undefined ? { source_url: doc.source_url } : {}),
  };
}
