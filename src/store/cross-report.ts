/**
 * The queries cross-report rules read and write through. The rules themselves
 * live in src/validate; the store only knows reports, fields and findings as rows.
 */
import type { Finding } from '../contract/document.js';
import { stmt, type DB } from './db.js';

export interface ReportCandidate {
  reportId: number;
  documentId: number;
  agency: string;
  year: number;
  template: string;
  processedAt: string;
}

export interface StoredField {
  value: number | null;
  confidence: number;
  flags: string[];
}

export function crossReportCandidates(db: DB): ReportCandidate[] {
  return stmt(
    db,
    `SELECT r.id AS reportId, r.document_id AS documentId, r.agency, r.year, r.template, d.processed_at AS processedAt
     FROM reports r JOIN documents d ON d.id = r.document_id
     WHERE r.agency IS NOT NULL AND r.year IS NOT NULL
       AND EXISTS (SELECT 1 FROM fields f WHERE f.report_id = r.id AND f.key LIKE 't3.%')
     ORDER BY d.processed_at, r.id`,
  ).all() as ReportCandidate[];
}

export function fieldsOfReport(db: DB, reportId: number, prefixes: readonly string[]): Record<string, StoredField> {
  const out: Record<string, StoredField> = {};
  const rows = stmt(db, 'SELECT key, value, confidence, flags FROM fields WHERE report_id = ?').all(reportId) as {
    key: string;
    value: number | null;
    confidence: number;
    flags: string;
  }[];
  for (const f of rows) {
    if (prefixes.length && !prefixes.some((p) => f.key.startsWith(p))) continue;
    out[f.key] = { value: f.value, confidence: f.confidence, flags: JSON.parse(f.flags) as string[] };
  }
  return out;
}

export function replaceRuleFindings(
  db: DB,
  rule: string,
  findings: readonly (Finding & { reportId: number; otherReportId: number })[],
): number {
  return db
    .transaction(() => {
      stmt(db, 'DELETE FROM findings WHERE rule = ? AND other_report_id IS NOT NULL').run(rule);
      const insert = stmt(
        db,
        'INSERT INTO findings (report_id, rule, severity, keys, expected, actual, message, other_report_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      );
      for (const f of findings) {
        insert.run(f.reportId, f.rule, f.severity, JSON.stringify(f.keys), f.expected, f.actual, f.message, f.otherReportId);
      }
      return findings.length;
    })
    .immediate();
}
