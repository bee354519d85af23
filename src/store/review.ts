/**
 * Findings as the review workbench and the findings export read them, and
 * reviewers' decisions (finding_reviews, keyed by the finding's stable id).
 */
import type { FieldSource, FindingEvidence, Severity } from '../contract/document.js';
import { findingId } from '../contract/finding-id.js';
import { stmt, type DB } from './db.js';
import { FIELDS_OF_REPORT, LOCATION_COLUMNS, type FieldRow } from './documents.js';

export type ReviewDecision = 'confirmed' | 'dismissed';

export interface FindingReview {
  decision: ReviewDecision;
  note: string | null;
  reviewedAt: string;
}

/** A cell a finding rests on, where it was printed. */
export interface LocatedCell {
  report: 'this' | 'other';
  reportId: number;
  key: string;
  value: number | null;
  raw: string;
  confidence: number;
  source: FieldSource;
}

/** A stored finding with its report, where the report came from, its cells and its review state. */
export interface FindingRow {
  /** Stable id (src/contract/finding-id.ts). */
  id: string;
  reportId: number;
  otherReportId: number | null;
  documentId: number;
  agency: string | null;
  year: number | null;
  template: string;
  rule: string;
  severity: Severity;
  keys: string[];
  expected: number | null;
  actual: number | null;
  message: string;
  evidence: FindingEvidence | null;
  file: string | null;
  sourceUrl: string | null;
  review: FindingReview | null;
  /** The cells of `keys` (or of evidence.cells) that are stored, with their source. */
  cells: LocatedCell[];
}

/** Gives findings stored before ids existed (migration 5) their stable id. */
export function backfillFindingIds(db: DB): number {
  const rows = db
    .prepare(
      `SELECT f.id, f.rule, f.keys, d.sha256 AS sha, od.sha256 AS other_sha
       FROM findings f JOIN reports r ON r.id = f.report_id JOIN documents d ON d.id = r.document_id
       LEFT JOIN reports o ON o.id = f.other_report_id LEFT JOIN documents od ON od.id = o.document_id
       WHERE f.fid IS NULL`,
    )
    .all() as { id: number; rule: string; keys: string; sha: string; other_sha: string | null }[];
  if (!rows.length) return 0;
  const set = db.prepare('UPDATE findings SET fid = ? WHERE id = ?');
  db.transaction(() => {
    for (const r of rows) set.run(findingId({ rule: r.rule, keys: JSON.parse(r.keys) as string[] }, r.sha, r.other_sha), r.id);
  })();
  return rows.length;
}

/** Records a reviewer's decision. Returns false when no stored finding has that id (nothing is written). */
export function markFinding(db: DB, fid: string, decision: ReviewDecision, note: string | null, now = new Date().toISOString()): boolean {
  return db
    .transaction(() => {
      if (!stmt(db, 'SELECT 1 FROM findings WHERE fid = ? LIMIT 1').get(fid)) return false;
      stmt(
        db,
        `INSERT INTO finding_reviews (fid, decision, note, reviewed_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (fid) DO UPDATE SET decision = excluded.decision, note = excluded.note, reviewed_at = excluded.reviewed_at`,
      ).run(fid, decision, note, now);
      return true;
    })
    .immediate();
}

export function findingReviews(db: DB): Map<string, FindingReview> {
  const rows = stmt(db, 'SELECT fid, decision, note, reviewed_at AS reviewedAt FROM finding_reviews').all() as (FindingReview & {
    fid: string;
  })[];
  return new Map(rows.map(({ fid, ...r }) => [fid, r]));
}

/** Every stored finding, by agency, year and rule. */
export function listFindings(db: DB): FindingRow[] {
  const rows = stmt(
    db,
    `SELECT f.fid AS id, f.report_id AS reportId, f.other_report_id AS otherReportId, r.document_id AS documentId,
            r.agency, r.year, r.template, f.rule, f.severity, f.keys, f.expected, f.actual, f.message, f.evidence,
            ${LOCATION_COLUMNS.replace(/d\.id/g, 'r.document_id')},
            v.decision, v.note, v.reviewed_at AS reviewedAt
     FROM findings f JOIN reports r ON r.id = f.report_id
     LEFT JOIN finding_reviews v ON v.fid = f.fid
     ORDER BY r.agency, r.year, f.rule, f.id`,
  ).all() as (Omit<FindingRow, 'keys' | 'evidence' | 'review' | 'sourceUrl'> & {
    keys: string;
    evidence: string | null;
    source_url: string | null;
    decision: ReviewDecision | null;
    note: string | null;
    reviewedAt: string | null;
  })[];
  const field = stmt(db, 'SELECT value, raw, confidence, source FROM fields WHERE report_id = ? AND key = ?');
  return rows.map(({ keys, evidence, source_url, decision, note, reviewedAt, ...f }) => {
    const ks = JSON.parse(keys) as string[];
    const ev = evidence ? (JSON.parse(evidence) as FindingEvidence) : null;
    const wanted = ev?.cells ?? ks.map((key) => ({ report: 'this' as const, key }));
    const cells: LocatedCell[] = [];
    for (const c of wanted) {
      const reportId = c.report === 'this' ? f.reportId : f.otherReportId;
      if (reportId === null) continue;
      const row = field.get(reportId, c.key) as { value: number | null; raw: string; confidence: number; source: string } | undefined;
      if (row)
        cells.push({
          report: c.report,
          reportId,
          key: c.key,
          value: row.value,
          raw: row.raw,
          confidence: row.confidence,
          source: JSON.parse(row.source),
        });
    }
    return {
      ...f,
      keys: ks,
      evidence: ev,
      sourceUrl: source_url,
      review: decision ? { decision, note, reviewedAt: reviewedAt! } : null,
      cells,
    };
  });
}

/** A report's fields as stored (flags and source as JSON text): pages embed them without parsing. */
export function reportFieldRows(db: DB, reportId: number): FieldRow[] {
  // Rows as arrays: for tens of thousands of pages, objects per row cost more than the query.
  let s = rawFields.get(db);
  if (!s) rawFields.set(db, (s = db.prepare(FIELDS_OF_REPORT).raw(true)));
  return (s.all(reportId) as [string, number | null, string, number, string, string][]).map(
    ([key, value, raw, confidence, flags, source]) => ({
      key,
      value,
      raw,
      confidence,
      flags,
      source,
    }),
  );
}
const rawFields = new WeakMap<DB, ReturnType<DB['prepare']>>();

export interface DocumentMessageRow {
  level: 'error' | 'warning';
  code: string;
  message: string;
}

export function documentMessages(db: DB, documentId: number): DocumentMessageRow[] {
  return stmt(db, 'SELECT level, code, message FROM document_messages WHERE document_id = ? ORDER BY rowid').all(
    documentId,
  ) as DocumentMessageRow[];
}
