/** The options of the cross-report rules that `ingest` and `crawl` recompute after their run. */
import type { Command } from 'commander';
import { crossReportRules, type CrossReportRule } from '../validate/cross-report.js';
import { YOY_DEFAULTS } from '../validate/yoy-outlier.js';
import { CliError } from './exit.js';

export interface CrossReportFlags {
  yoyFactor?: number;
  yoyMin?: number;
}

function factor(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 1) throw new CliError(`--yoy-factor must be a number above 1, got "${v}"`);
  return n;
}

function minimum(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new CliError(`--yoy-min must be 0 or more, got "${v}"`);
  return n;
}

export function withCrossReportOptions(cmd: Command): Command {
  return cmd
    .option(
      '--yoy-factor <x>',
      `yoy-outlier: report a total that grows or shrinks by this factor against the agency's previous year (default ${YOY_DEFAULTS.factor})`,
      factor,
    )
    .option(
      '--yoy-min <n>',
      `yoy-outlier: only when the larger of the two values is at least this (default ${YOY_DEFAULTS.minimum})`,
      minimum,
    );
}

export function rulesFromFlags(flags: CrossReportFlags): CrossReportRule[] {
  return crossReportRules({
    yoy: {
      ...(flags.yoyFactor !== undefined ? { factor: flags.yoyFactor } : {}),
      ...(flags.yoyMin !== undefined ? { minimum: flags.yoyMin } : {}),
    },
  });
}
