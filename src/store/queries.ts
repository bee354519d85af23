/** Reading the store back: summaries and exports. */
import type { DB } from './db.js';
import { FIELDS_OF_REPORT, LOCATION_COLUMNS, type FieldRow } from './documents.js';

export type { FieldRow } from './documents.js';

export interface Summary {
  documents: number;
  reports: number;
  fields: number;
  lowConfidenceFields: number;
  byFormat: { format: string | null; n: number }[];
  errors: { code: string; n: number }[];
  reportsByYear: { year: number | null; template: string; n: number }[];
  findings: { rule: string; n: number }[];
}

export function summary(db: DB): Summary {
  const n = (sql: string) => db.prepare(sql).pluck().get() as number;
  return {
    documents: n('SELECT COUNT(*) FROM documents'),
    reports: n('SELECT COUNT(*) FROM reports'),
    fields: n('SELECT COUNT(*) FROM fields'),
    lowConfidenceFields: n('SELECT COUNT(*) FROM fields WHERE confidence < 0.5'),
    byFormat: db.prepare('SELECT format, COUNT(*) AS n FROM documents GROUP BY format ORDER BY n DESC').all() as Summary['byFormat'],
    errors: db
      .prepare('SELECT error_code AS code, COUNT(*) AS n FROM documents WHERE error_code IS NOT NULL GROUP BY error_code ORDER BY n DESC')
      .all() as Summary['errors'],
    reportsByYear: db
      .prepare('SELECT year, template, COUNT(*) AS n FROM reports GROUP BY year, template ORDER BY year, template')
      .all() as Summary['reportsByYear'],
    findings: db.prepare('SELECT rule, COUNT(*) AS n FROM findings GROUP BY rule ORDER BY rule').all() as Summary['findings'],
  };
}

export function formatSummary(s: Summary): string {
  const lines: string[] = [];
  lines.push(`documents: ${s.documents} (${s.byFormat.map((f) => `${f.format ?? 'unknown'} ${f.n}`).join(', ') || 'none'})`);
  lines.push(
    `  with errors: ${s.errors.reduce((a, e) => a + e.n, 0)}${s.errors.length ? ` (${s.errors.map((e) => `${e.code} ${e.n}`).join(', ')})` : ''}`,
  );
  lines.push(`reports: ${s.reports}, fields: ${s.fields} (${s.lowConfidenceFields} below confidence 0.5)`);
  for (const r of s.reportsByYear) lines.push(`  ${r.year ?? 'year ?'}  ${r.template.padEnd(7)} ${r.n}`);
  lines.push(`findings: ${s.findings.reduce((a, f) => a + f.n, 0)}`);
  for (const f of s.findings) lines.push(`  ${f.rule.padEnd(16)} ${f.n}`);
  return lines.join('\n');
}

export interface ReportRow {
  report_id: number;
  document_id: number;
  sha256: string;
  format: string | null;
  agency: string | null;
  year: number | null;
  template: string;
  title: string | null;
  extractor: string | null;
  pipeline_version: string;
  size: number;
  file: string | null;
  source_url: string | null;
}

/** All reports, oldest document first; iterates lazily so exports run in constant memory. */
export function iterateReports(db: DB): IterableIterator<ReportRow> {
  return db
    .prepare(
      `SELECT r.id AS report_id, d.id AS document_id, d.sha256, d.format, r.agency, r.year, r.template, r.title,
              d.extractor, d.pipeline_version, d.size, ${LOCATION_COLUMNS}
       FROM reports r JOIN documents d ON d.id = r.document_id
       ORDER BY d.id`,
    )
    .iterate() as IterableIterator<ReportRow>;
}

/** The fields of one report, for the long-format CSV export. */
export function reportFields(db: DB): (reportId: number) => FieldRow[] {
  const fields = db.prepare(FIELDS_OF_REPORT);
  return (reportId: number) => fields.all(reportId) as FieldRow[];
}
