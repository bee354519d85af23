/**
 * The queries cross-report rules read and write through. The rules themselves
 * live in src/validate; the store only knows reports, fields, findings and
 * URL versions as rows.
 */
import type { Finding } from '../contract/document.js';
import { findingId } from '../contract/finding-id.js';
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
  /** The printed text (silent-edit shows it when it says more than the value). */
  raw?: string;
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

/** The query for a report's fields under some key prefixes: key ranges on the primary key (report_id, key), so a rule that needs six cells does not read a hundred and fifty. */
export function fieldsOfReportQuery(reportId: number, prefixes: readonly string[]): { sql: string; params: unknown[] } {
  const ranges = prefixes.map(() => '(key >= ? AND key < ?)').join(' OR ');
  return {
    sql: `SELECT key, value, raw, confidence, flags FROM fields WHERE report_id = ?${prefixes.length ? ` AND (${ranges})` : ''}`,
    params: [reportId, ...prefixes.flatMap((p) => [p, `${p}\uffff`])],
  };
}

type StoredFieldRow = { key: string; value: number | null; raw: string; confidence: number; flags: string };

export function toStoredFields(rows: readonly StoredFieldRow[], prefixes: readonly string[]): Record<string, StoredField> {
  const out: Record<string, StoredField> = {};
  for (const f of rows) {
    // The ranges compare by the engine's collation: the prefix test is the exact one.
    if (prefixes.length && !prefixes.some((p) => f.key.startsWith(p))) continue;
    // Most cells have no flag: skip the parse (rules read every field of every report).
    out[f.key] = { value: f.value, raw: f.raw, confidence: f.confidence, flags: f.flags === '[]' ? [] : (JSON.parse(f.flags) as string[]) };
  }
  return out;
}

export function fieldsOfReport(db: DB, reportId: number, prefixes: readonly string[]): Record<string, StoredField> {
  const q = fieldsOfReportQuery(reportId, prefixes);
  return toStoredFields(stmt(db, q.sql).all(...q.params) as StoredFieldRow[], prefixes);
}

const shaOfReport = (db: DB, reportId: number): string | null =>
  (stmt(db, 'SELECT d.sha256 FROM reports r JOIN documents d ON d.id = r.document_id WHERE r.id = ?').pluck().get(reportId) as
    | string
    | undefined) ?? null;

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
        'INSERT INTO findings (report_id, rule, severity, keys, expected, actual, message, other_report_id, fid, evidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      );
      const sha = new Map<number, string | null>();
      const shaOf = (id: number) => {
        if (!sha.has(id)) sha.set(id, shaOfReport(db, id));
        return sha.get(id)!;
      };
      for (const f of findings) {
        const fid = findingId(f, shaOf(f.reportId) ?? String(f.reportId), shaOf(f.otherReportId));
        insert.run(
          f.reportId,
          f.rule,
          f.severity,
          JSON.stringify(f.keys),
          f.expected,
          f.actual,
          f.message,
          f.otherReportId,
          fid,
          f.evidence ? JSON.stringify(f.evidence) : null,
        );
      }
      return findings.length;
    })
    .immediate();
}

/** One content version of a URL, with the report read from it (if any). */
export interface UrlContentVersion {
  versionId: number;
  documentId: number;
  reportId: number | null;
  sha256: string;
  /** Hash of the extracted content (documents.content_hash): equal hashes mean only page noise changed. */
  contentHash: string | null;
  fetchedAt: string;
}

/** A URL whose content changed: the version before and the changed one. */
export interface UrlEdit {
  url: string;
  before: UrlContentVersion;
  after: UrlContentVersion;
}

/**
 * Every url_versions row with status 'changed', paired with the content
 * version before it (the latest earlier row that had content). Oldest first.
 */
export const URL_EDITS = `SELECT v.url, v.id AS a_id, v.document_id AS a_doc, v.sha256 AS a_sha, v.fetched_at AS a_at,
            ra.id AS a_report, da.content_hash AS a_hash,
            p.id AS b_id, p.document_id AS b_doc, p.sha256 AS b_sha, p.fetched_at AS b_at,
            rb.id AS b_report, db.content_hash AS b_hash
     FROM url_versions v
     JOIN url_versions p ON p.id = (SELECT MAX(w.id) FROM url_versions w
                                    WHERE w.url = v.url AND w.id < v.id AND w.sha256 IS NOT NULL AND w.document_id IS NOT NULL)
     JOIN documents da ON da.id = v.document_id
     JOIN documents db ON db.id = p.document_id
     LEFT JOIN reports ra ON ra.document_id = v.document_id
     LEFT JOIN reports rb ON rb.document_id = p.document_id
     WHERE v.status = 'changed' AND v.document_id IS NOT NULL
     ORDER BY v.id`;

export type UrlEditRow = {
  url: string;
  a_id: number;
  a_doc: number;
  a_sha: string;
  a_at: string;
  a_report: number | null;
  a_hash: string | null;
  b_id: number;
  b_doc: number;
  b_sha: string;
  b_at: string;
  b_report: number | null;
  b_hash: string | null;
};

export const toUrlEdit = (r: UrlEditRow): UrlEdit => ({
  url: r.url,
  before: { versionId: r.b_id, documentId: r.b_doc, reportId: r.b_report, sha256: r.b_sha, contentHash: r.b_hash, fetchedAt: r.b_at },
  after: { versionId: r.a_id, documentId: r.a_doc, reportId: r.a_report, sha256: r.a_sha, contentHash: r.a_hash, fetchedAt: r.a_at },
});

export function urlEdits(db: DB): UrlEdit[] {
  return (stmt(db, URL_EDITS).all() as UrlEditRow[]).map(toUrlEdit);
}
