/**
 * Stable ids for findings stored before ids existed (migration 5). Imported by
 * db.ts when a database is opened, so it imports nothing at run time from the
 * store (no cycle through db.ts).
 */
import { findingId } from '../contract/finding-id.js';
import type { DB } from './db.js';

/** Findings stored before ids existed (migration 5), with what their stable id is made of. */
export const FINDINGS_WITHOUT_ID = `SELECT f.id, f.rule, f.keys, d.sha256 AS sha, od.sha256 AS other_sha
  FROM findings f JOIN reports r ON r.id = f.report_id JOIN documents d ON d.id = r.document_id
  LEFT JOIN reports o ON o.id = f.other_report_id LEFT JOIN documents od ON od.id = o.document_id
  WHERE f.fid IS NULL`;

/** The stable id of each finding FINDINGS_WITHOUT_ID returned, as [fid, row id]. */
export function missingFindingIds(rows: readonly { id: number; rule: string; keys: string; sha: string; other_sha: string | null }[]) {
  return rows.map((r) => [findingId({ rule: r.rule, keys: JSON.parse(r.keys) as string[] }, r.sha, r.other_sha), r.id] as const);
}

/** Gives findings stored before ids existed (migration 5) their stable id. */
export function backfillFindingIds(db: DB): number {
  const ids = missingFindingIds(db.prepare(FINDINGS_WITHOUT_ID).all() as Parameters<typeof missingFindingIds>[0]);
  if (!ids.length) return 0;
  const set = db.prepare('UPDATE findings SET fid = ? WHERE id = ?');
  db.transaction(() => {
    for (const [fid, id] of ids) set.run(fid, id);
  })();
  return ids.length;
}
