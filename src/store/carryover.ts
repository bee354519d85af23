/**
 * The cross-report rule: this year's 上年结转 must equal last year's
 * 结转下年度继续办理, for the same agency. Recomputed over the whole store after
 * each ingest, because either report may arrive first.
 */
import type { DB } from './db.js';
import { carryoverFindings, type CarryoverField } from '../validate/carryover.js';

interface Candidate {
  report_id: number;
  agency: string;
  year: number;
}

export function recomputeCarryover(db: DB): number {
  return db.transaction(() => {
    db.prepare("DELETE FROM findings WHERE rule = 'carryover'").run();
    // The latest-processed report per agency and year stands for that year.
    const reports = db
      .prepare(
        `SELECT r.id AS report_id, r.agency, r.year FROM reports r JOIN documents d ON d.id = r.document_id
         WHERE r.agency IS NOT NULL AND r.year IS NOT NULL
           AND EXISTS (SELECT 1 FROM fields f WHERE f.report_id = r.id AND f.key LIKE 't3.%')
         ORDER BY d.processed_at, r.id`,
      )
      .all() as Candidate[];
    const byAgencyYear = new Map<string, Candidate>();
    for (const r of reports) byAgencyYear.set(`${r.agency}\u0000${r.year}`, r);
    const fieldsOf = db.prepare(
      "SELECT key, value, confidence, flags FROM fields WHERE report_id = ? AND (key LIKE 't3.carried_over.%' OR key LIKE 't3.carried_forward.%')",
    );
    const load = (id: number) =>
      Object.fromEntries(
        (fieldsOf.all(id) as { key: string; value: number | null; confidence: number; flags: string }[]).map((f) => [
          f.key,
          { value: f.value, confidence: f.confidence, flags: JSON.parse(f.flags) as string[] } satisfies CarryoverField,
        ]),
      );
    const insert = db.prepare(
      'INSERT INTO findings (report_id, rule, severity, keys, expected, actual, message, other_report_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    let n = 0;
    for (const cur of byAgencyYear.values()) {
      const prev = byAgencyYear.get(`${cur.agency}\u0000${cur.year - 1}`);
      if (!prev) continue;
      for (const f of carryoverFindings(load(prev.report_id), load(cur.report_id), cur.year)) {
        insert.run(cur.report_id, f.rule, f.severity, JSON.stringify(f.keys), f.expected, f.actual, f.message, prev.report_id);
        n++;
      }
    }
    return n;
  })();
}
