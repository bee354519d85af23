/**
 * yoy-outlier (info): a total that jumps by a large factor against the same
 * agency's previous year. Not an error in itself (a new portal, a campaign, a
 * merger can explain it), but worth a look, often a misplaced digit or a unit.
 *
 * A jump is this year ≥ factor × last year, or ≤ last year ÷ factor, where the
 * larger of the two is at least `minimum` (small counts jump all the time:
 * 1 → 5 is nothing). From or to 0 counts when the other side reaches the
 * minimum (the factor is then null or 0). Both cells must be printed as
 * numbers with confidence ≥ FINDING_MIN_CONFIDENCE.
 */
import { FINDING_MIN_CONFIDENCE } from '../mapping/confidence.js';
import type { Finding } from '../contract/document.js';
import type { StoredField } from '../store/store.js';
import { consecutiveYears } from './carryover.js';
import type { CrossReportRule } from './cross-report.js';

export interface YoyOptions {
  /** The jump that is reported, as a factor either way (default 10). */
  factor: number;
  /** The larger of the two values must reach this (default 100). */
  minimum: number;
}

export const YOY_DEFAULTS: YoyOptions = { factor: 10, minimum: 100 };

/** The totals compared, with what the message calls them. */
export const YOY_TOTALS: readonly { key: string; label: string }[] = [
  { key: 't3.new.total', label: 'Table 3 本年新收申请 总计' },
  { key: 't4.review.total', label: 'Table 4 行政复议 总计' },
  { key: 't4.litigation_direct.total', label: 'Table 4 未经复议直接起诉 总计' },
  { key: 't4.litigation_after_review.total', label: 'Table 4 复议后起诉 总计' },
  { key: 't2.licensing.decisions', label: 'Table 2 行政许可 处理决定' },
  { key: 't2.penalty.decisions', label: 'Table 2 行政处罚 处理决定' },
  { key: 't2.coercion.decisions', label: 'Table 2 行政强制 处理决定' },
  { key: 't2.fees.amount', label: 'Table 2 行政事业性收费 (万元)' },
];

const round = (x: number) => Math.round(x * 100) / 100;

export function yoyFindings(
  previous: Record<string, StoredField>,
  current: Record<string, StoredField>,
  year: number,
  options: YoyOptions = YOY_DEFAULTS,
): Finding[] {
  const out: Finding[] = [];
  for (const { key, label } of YOY_TOTALS) {
    const now = current[key];
    const before = previous[key];
    if (!now || !before || now.value === null || before.value === null) continue;
    if (now.confidence < FINDING_MIN_CONFIDENCE || before.confidence < FINDING_MIN_CONFIDENCE) continue;
    const [a, b] = [before.value, now.value];
    if (Math.max(a, b) < options.minimum || a < 0 || b < 0) continue;
    const up = b >= a * options.factor;
    const down = a >= b * options.factor;
    if (!up && !down) continue;
    const factor = a === 0 ? null : round(b / a);
    const how = factor === null ? 'from 0' : `×${factor}`;
    out.push({
      rule: 'yoy-outlier',
      severity: 'info',
      keys: [key],
      expected: a,
      actual: b,
      message: `${label} ${up ? 'jumps' : 'drops'} from ${a} (${year - 1}) to ${b} (${year}): ${how} (threshold ×${options.factor}, values ≥ ${options.minimum})`,
      evidence: {
        factor,
        cells: [
          { report: 'this', key },
          { report: 'other', key },
        ],
      },
    });
  }
  return out;
}

const PREFIXES = YOY_TOTALS.map((t) => t.key);

export function yoyOutlierRule(options: Partial<YoyOptions> = {}): CrossReportRule {
  const opts: YoyOptions = { ...YOY_DEFAULTS, ...options };
  return {
    id: 'yoy-outlier',
    compute: (store) => consecutiveYears(store, PREFIXES, (prev, cur, year) => yoyFindings(prev, cur, year, opts)),
  };
}
