/**
 * Cross-report rules: checks that need more than one report (carryover,
 * copied-report, silent-edit, yoy-outlier; further rules register here). They run once after a batch or a crawl,
 * wherever the documents came from, read through store queries, and replace
 * their own findings, because either report of a pair may arrive first.
 */
import type { CrossReportFinding, DocumentStore } from '../store/store.js';
import { carryoverRule } from './carryover.js';
import { copiedReportRule } from './copied-report.js';
import { silentEditRule } from './silent-edit.js';
import { yoyOutlierRule, type YoyOptions } from './yoy-outlier.js';

export interface CrossReportRule {
  id: string;
  compute(store: DocumentStore): Promise<CrossReportFinding[]>;
}

export interface CrossReportOptions {
  /** yoy-outlier's threshold (--yoy-factor, --yoy-min). */
  yoy?: Partial<YoyOptions>;
}

/** Every cross-report rule, with the options the command line gave. */
export function crossReportRules(options: CrossReportOptions = {}): CrossReportRule[] {
  return [carryoverRule, copiedReportRule, silentEditRule, yoyOutlierRule(options.yoy)];
}

export const CROSS_REPORT_RULES: readonly CrossReportRule[] = crossReportRules();

/** Recomputes every cross-report rule. Returns the number of findings per rule. */
export async function runCrossReportRules(
  store: DocumentStore,
  rules: readonly CrossReportRule[] = CROSS_REPORT_RULES,
): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const rule of rules) counts[rule.id] = await store.replaceRuleFindings(rule.id, await rule.compute(store));
  return counts;
}
