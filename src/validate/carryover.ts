/**
 * carryover: 二、上年结转 of year N = 四、结转下年度继续办理 of year N−1, per
 * table-3 column, for the same agency. `keys` name year N's carried_over cell
 * first, then year N−1's carried_forward cell. The finding sits on year N's
 * report and points at year N−1's.
 */
import type { Finding } from '../contract/document.js';
import { T3_COLUMNS } from '../mapping/catalog.js';
import { FINDING_MIN_CONFIDENCE } from '../mapping/confidence.js';
import type { CrossReportFinding, DocumentStore, ReportCandidate, StoredField } from '../store/store.js';
import type { CrossReportRule } from './cross-report.js';

export type CarryoverField = StoredField;

export function carryoverFindings(
  previous: Record<string, CarryoverField>,
  current: Record<string, CarryoverField>,
  year: number,
): Finding[] {
  const out: Finding[] = [];
  for (const c of T3_COLUMNS) {
    const now = current[`t3.carried_over.${c.id}`];
    const before = previous[`t3.carried_forward.${c.id}`];
    // Blank cells and unsure readings say nothing about the filing.
    if (!now || !before || now.value === null || before.value === null) continue;
    if (now.confidence < FINDING_MIN_CONFIDENCE || before.confidence < FINDING_MIN_CONFIDENCE) continue;
    if (now.value === before.value) continue;
    out.push({
      rule: 'carryover',
      severity: 'error',
      keys: [`t3.carried_over.${c.id}`, `t3.carried_forward.${c.id}`],
      expected: before.value,
      actual: now.value,
      message: `Table 3, column ${c.labels[0]}: ${year} reports 上年结转 ${now.value}, but the ${year - 1} report carried forward ${before.value}`,
      evidence: {
        cells: [
          { report: 'this', key: `t3.carried_over.${c.id}` },
          { report: 'other', key: `t3.carried_forward.${c.id}` },
        ],
      },
    });
  }
  return out;
}

const PREFIXES = ['t3.carried_over.', 't3.carried_forward.'];

/** The report that stands for each agency and year: the latest processed one. */
export function latestByAgencyYear(candidates: readonly ReportCandidate[]): Map<string, ReportCandidate> {
  const out = new Map<string, ReportCandidate>();
  for (const r of candidates) out.set(agencyYearKey(r.agency, r.year), r);
  return out;
}

export function agencyYearKey(agency: string, year: number): string {
  return `${agency}\u0000${year}`;
}

/**
 * Runs `check` on every pair of consecutive years of one agency (the latest
 * report of each year standing for it), with the fields under `prefixes`; the
 * findings sit on year N's report and point at year N−1's.
 */
export async function consecutiveYears(
  store: DocumentStore,
  prefixes: readonly string[],
  check: (previous: Record<string, StoredField>, current: Record<string, StoredField>, year: number) => Finding[],
): Promise<CrossReportFinding[]> {
  const byAgencyYear = latestByAgencyYear(await store.crossReportCandidates());
  const out: CrossReportFinding[] = [];
  for (const cur of byAgencyYear.values()) {
    const prev = byAgencyYear.get(agencyYearKey(cur.agency, cur.year - 1));
    if (!prev) continue;
    const found = check(await store.fieldsOfReport(prev.reportId, prefixes), await store.fieldsOfReport(cur.reportId, prefixes), cur.year);
    for (const f of found) out.push({ ...f, reportId: cur.reportId, otherReportId: prev.reportId });
  }
  return out;
}

export const carryoverRule: CrossReportRule = {
  id: 'carryover',
  compute: (store) => consecutiveYears(store, PREFIXES, carryoverFindings),
};
