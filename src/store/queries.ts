/** Reading the store back: summaries and exports. */
import type { DB } from './db.js';

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
              d.extractor, d.pipeline_version, d.size,
              (SELECT location FROM document_locations l WHERE l.document_id = d.id ORDER BY l.kind = 'url', l.first_seen LIMIT 1) AS file,
              (SELECT location FROM document_locations l WHERE l.document_id = d.id AND l.kind = 'url' ORDER BY l.first_seen LIMIT 1) AS source_url
       FROM reports r JOIN documents d ON d.id = r.document_id
       ORDER BY d.id`,
    )
    .iterate() as IterableIterator<ReportRow>;
}

export interface FieldRow {
  key: string;
  value: number | null;
  raw: string;
  confidence: number;
  flags: string;
  source: string;
}

export interface FindingRow {
  rule: string;
  severity: string;
  keys: string;
  expected: number | null;
  actual: number | null;
  message: string;
}

export function reportDetails(db: DB) {
  const fields = db.prepare('SELECT key, value, raw, confidence, flags, source FROM fields WHERE report_id = ?');
  const findings = db.prepare('SELECT rule, severity, keys, expected, actual, message FROM findings WHERE report_id = ? ORDER BY id');
  const messages = db.prepare('SELECT level, code, message FROM document_messages WHERE document_id = ?');
  return {
    fields: (reportId: number) => fields.all(reportId) as FieldRow[],
    findings: (reportId: number) => findings.all(reportId) as FindingRow[],
    messages: (documentId: number) => messages.all(documentId) as { level: string; code: string; message: string }[],
  };
}
