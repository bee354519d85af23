/**
 * copied-report: tables 2–4 of a report are identical, cell for cell, to
 * another report's (the same agency's other year, or another agency).
 *
 * All-zero and nearly empty tables are common and honest, so identity alone
 * is not enough. The shared tables must carry at least COPIED_MIN_NONZERO
 * non-zero cells that are not totals (a total repeats its parts), holding at
 * least COPIED_MIN_DISTINCT different values. Every cell of both reports must
 * be read with confidence ≥ FINDING_MIN_CONFIDENCE: identity cannot rest on a
 * guess. The same report published twice (same year, one agency name
 * containing the other: an HTML page and its PDF) is not a copy.
 *
 * The finding sits on the later report (by year, then by id) and points at
 * the earliest report with the same tables. `keys` are the non-zero cells.
 */
import { FINDING_MIN_CONFIDENCE } from '../mapping/confidence.js';
import type { CrossReportFinding, DocumentStore, ReportCandidate, StoredField } from '../store/store.js';
import type { CrossReportRule } from './cross-report.js';

export const COPIED_MIN_NONZERO = 6;
export const COPIED_MIN_DISTINCT = 3;

const PREFIXES = ['t2.', 't3.', 't4.'];

/** A total: the 总计 column and row of table 3, the 总计 of table 4's groups. */
export function isTotalKey(key: string): boolean {
  return key.endsWith('.total') || key.startsWith('t3.total.');
}

export interface TableSignature {
  /** Template and every key=value, sorted: equal signatures mean identical tables. */
  signature: string;
  cells: number;
  /** Non-zero cells that are not totals, and how many distinct values they hold. */
  nonZeroKeys: string[];
  distinct: number;
}

/** The signature of a report's tables, or undefined when they cannot ground a copy finding. */
export function tableSignature(template: string, fields: Record<string, StoredField>): TableSignature | undefined {
  const keys = Object.keys(fields).sort();
  if (!keys.length) return undefined;
  const parts: string[] = [template];
  const nonZeroKeys: string[] = [];
  const values = new Set<number>();
  for (const k of keys) {
    const f = fields[k];
    if (f.confidence < FINDING_MIN_CONFIDENCE) return undefined;
    // A blank and a 0 print the same count; a copy may have been retyped either way.
    const v = f.value ?? 0;
    parts.push(`${k}=${v}`);
    if (v !== 0 && !isTotalKey(k)) {
      nonZeroKeys.push(k);
      values.add(v);
    }
  }
  if (nonZeroKeys.length < COPIED_MIN_NONZERO || values.size < COPIED_MIN_DISTINCT) return undefined;
  return { signature: parts.join('|'), cells: keys.length, nonZeroKeys, distinct: values.size };
}

/** Two reports that are one publication (same year, one agency name contains the other). */
export function sameReport(a: ReportCandidate, b: ReportCandidate): boolean {
  return a.year === b.year && (a.agency.includes(b.agency) || b.agency.includes(a.agency));
}

export function copiedFindings(reports: readonly (ReportCandidate & { sig: TableSignature })[]): CrossReportFinding[] {
  const groups = new Map<string, (ReportCandidate & { sig: TableSignature })[]>();
  for (const r of reports) {
    const g = groups.get(r.sig.signature);
    if (g) g.push(r);
    else groups.set(r.sig.signature, [r]);
  }
  const out: CrossReportFinding[] = [];
  for (const g of groups.values()) {
    if (g.length < 2) continue;
    g.sort((a, b) => a.year - b.year || a.reportId - b.reportId);
    for (let i = 1; i < g.length; i++) {
      const cur = g[i];
      const first = g.slice(0, i).find((o) => !sameReport(o, cur));
      if (!first) continue;
      const who = first.agency === cur.agency ? `the same agency's ${first.year} report` : `${first.agency}'s ${first.year} report`;
      out.push({
        rule: 'copied-report',
        severity: 'warning',
        keys: cur.sig.nonZeroKeys,
        expected: null,
        actual: null,
        message: `Tables 2–4 are identical to ${who}: all ${cur.sig.cells} cells, ${cur.sig.nonZeroKeys.length} of them non-zero (not counting totals)`,
        evidence: { identical: cur.sig.cells, nonZero: cur.sig.nonZeroKeys.length },
        reportId: cur.reportId,
        otherReportId: first.reportId,
      });
    }
  }
  return out;
}

export const copiedReportRule: CrossReportRule = {
  id: 'copied-report',
  async compute(store: DocumentStore): Promise<CrossReportFinding[]> {
    const reports: (ReportCandidate & { sig: TableSignature })[] = [];
    for (const r of await store.crossReportCandidates()) {
      const sig = tableSignature(r.template, await store.fieldsOfReport(r.reportId, PREFIXES));
      if (sig) reports.push({ ...r, sig });
    }
    return copiedFindings(reports);
  },
};
