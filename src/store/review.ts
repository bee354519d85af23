/**
 * Findings as the review workbench and the findings export read them, and
 * reviewers' decisions (finding_reviews, keyed by the finding's stable id).
 */
import type { FieldSource, FindingEvidence, Severity } from '../contract/document.js';
import { stmt, type DB } from './db.js';
import { LOCATION_COLUMNS } from './documents.js';

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

/** Records a decision only when a stored finding has that id; one statement on either engine. */
export const MARK_FINDING = `INSERT INTO finding_reviews (fid, decision, note, reviewed_at)
  SELECT ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM findings WHERE fid = ?)
  ON CONFLICT (fid) DO UPDATE SET decision = excluded.decision, note = excluded.note, reviewed_at = excluded.reviewed_at`;

/** Records a reviewer's decision. Returns false when no stored finding has that id (nothing is written). */
export function markFinding(db: DB, fid: string, decision: ReviewDecision, note: string | null, now = new Date().toISOString()): boolean {
  return stmt(db, MARK_FINDING).run(fid, decision, note, now, fid).changes > 0;
}

export const FINDING_REVIEWS = 'SELECT fid, decision, note, reviewed_at AS "reviewedAt" FROM finding_reviews';

export function reviewMap(rows: readonly (FindingReview & { fid: string })[]): Map<string, FindingReview> {
  return new Map(rows.map(({ fid, ...r }) => [fid, r]));
}

export function findingReviews(db: DB): Map<string, FindingReview> {
  return reviewMap(stmt(db, FINDING_REVIEWS).all() as (FindingReview & { fid: string })[]);
}

/** Every stored finding with its report and review state, by agency, year and rule (aliases quoted: PostgreSQL folds case). */
export const LIST_FINDINGS = `SELECT f.fid AS id, f.report_id AS "reportId", f.other_report_id AS "otherReportId", r.document_id AS "documentId",
         r.agency, r.year, r.template, f.rule, f.severity, f.keys, f.expected, f.actual, f.message, f.evidence,
         ${LOCATION_COLUMNS.replace(/d\.id/g, 'r.document_id')},
         v.decision, v.note, v.reviewed_at AS "reviewedAt"
  FROM findings f JOIN reports r ON r.id = f.report_id
  LEFT JOIN finding_reviews v ON v.fid = f.fid
  ORDER BY r.agency, r.year, f.rule, f.id`;

export type StoredFindingListRow = Omit<FindingRow, 'keys' | 'evidence' | 'review' | 'sourceUrl' | 'cells'> & {
  keys: string;
  evidence: string | null;
  source_url: string | null;
  decision: ReviewDecision | null;
  note: string | null;
  reviewedAt: string | null;
};

/** One stored cell a finding rests on. */
export const FINDING_CELL = 'SELECT value, raw, confidence, source FROM fields WHERE report_id = ? AND key = ?';
export type StoredCell = { value: number | null; raw: string; confidence: number; source: string };

/** Builds FindingRows from stored rows, asking `cell` for each cell a finding names (whichever engine answers). */
export async function assembleFindings(
  rows: readonly StoredFindingListRow[],
  cell: (reportId: number, key: string) => StoredCell | undefined | Promise<StoredCell | undefined>,
): Promise<FindingRow[]> {
  const out: FindingRow[] = [];
  for (const { keys, evidence, source_url, decision, note, reviewedAt, ...f } of rows) {
    const ks = JSON.parse(keys) as string[];
    const ev = evidence ? (JSON.parse(evidence) as FindingEvidence) : null;
    const wanted = ev?.cells ?? ks.map((key) => ({ report: 'this' as const, key }));
    const cells: LocatedCell[] = [];
    for (const c of wanted) {
      const reportId = c.report === 'this' ? f.reportId : f.otherReportId;
      if (reportId === null) continue;
      const row = await cell(reportId, c.key);
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
    out.push({
      ...f,
      keys: ks,
      evidence: ev,
      sourceUrl: source_url,
      review: decision ? { decision, note, reviewedAt: reviewedAt! } : null,
      cells,
    });
  }
  return out;
}

export function listFindings(db: DB): Promise<FindingRow[]> {
  const field = stmt(db, FINDING_CELL);
  return assembleFindings(
    stmt(db, LIST_FINDINGS).all() as StoredFindingListRow[],
    (id, key) => field.get(id, key) as StoredCell | undefined,
  );
}

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
