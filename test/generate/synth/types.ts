/** Public types of the report synthesizer. */

export type SynthTemplate = '2021' | '2019';

/**
 * Real-world label deviations (templates.md §2 "Real-world variants"):
 * - `prohibited-typo`: '2.其他法律行政止公开' (HZ2023/HZ2024)
 * - `dunhao`: '1、' instead of '1.' on numbered rows (HA2024)
 * - `quotes`: “三安全一稳定” printed with straight quotes or none
 * - `normative`: 规范性文件 for 行政规范性文件 in a 2021 Table 2 (kewei 2024)
 * - `breaks`: line breaks inside header and row labels (商业/企业, the vertical 三、本年度办理结果)
 * - `spaces`: spaces inside labels ('第二十条 第（一）项', HA2024)
 */
export type TypoKind = 'prohibited-typo' | 'dunhao' | 'quotes' | 'normative' | 'breaks' | 'spaces';
export const TYPO_KINDS: readonly TypoKind[] = ['prohibited-typo', 'dunhao', 'quotes', 'normative', 'breaks', 'spaces'];

export interface SynthReport {
  agency: string;
  year: number;
  template: SynthTemplate;
  /** A 2021-era report that keeps the single （六）其他处理 row (t3.other.*). Ignored for 2019. */
  singleOther?: boolean;
  /** Canonical key → true value; null = the cell is printed blank and its value is unknown. */
  values: Record<string, number | null>;
  /** Print '' instead of 0 (Shanghai 2019). The value stays 0 in `values`. */
  blankForZero?: boolean;
  /** true: a seeded subset of the deviations; a list: exactly those. */
  typos?: boolean | readonly TypoKind[];
  /** key → printed text that replaces the number, e.g. '22（其中修订16件）'. It must start with the value. */
  annotations?: Record<string, string>;
  /** Drives every rendering choice (typo picks, narrative numbers, run splits). Defaults to a hash of agency/year/template. */
  seed?: number;
  /** Extra paragraphs of 一、总体情况, after the generated ones (restated numbers, traps, planted contradictions: statements.ts). */
  statements?: string[];
}

export type HtmlLayout = 'official' | 'word-export' | 'portal' | 'split-thead' | 'gbk' | 'gbk-noheader' | 'drift';
export const HTML_LAYOUTS: readonly HtmlLayout[] = ['official', 'word-export', 'portal', 'split-thead', 'gbk', 'gbk-noheader', 'drift'];

export type TextLayout = 'cells-per-line' | 'tabs' | 'spaces' | 'markdown';
export const TEXT_LAYOUTS: readonly TextLayout[] = ['cells-per-line', 'tabs', 'spaces', 'markdown'];

export type IdentityRule = 't3-balance' | 't3-results-sum' | 't3-row-sum' | 't4-sum';
export const IDENTITY_RULES: readonly IdentityRule[] = ['t3-balance', 't3-results-sum', 't3-row-sum', 't4-sum'];

/** A violated identity, in the shape of ogi's findings (contract.md). */
export interface ExpectedFinding {
  rule: IdentityRule;
  keys: string[];
  expected: number;
  actual: number;
}

export interface RenderedFile {
  bytes: Uint8Array;
  name: string;
  contentType?: string;
}
