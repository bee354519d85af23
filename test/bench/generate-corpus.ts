/**
 * Writes N synthetic reports (HTML and TXT, mixed layouts and seeds) into a
 * directory, plus manifest.jsonl: one line per file with the seed, layout and
 * any broken identity, from which the expected values are regenerated
 * exactly (see manifestReport).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import {
  IDENTITY_RULES,
  breakIdentity,
  randomReport,
  renderHtml,
  renderRunTogether,
  renderText,
  type ExpectedFinding,
  type HtmlLayout,
  type IdentityRule,
  type SynthReport,
  type TextLayout,
} from '../generate/synth/index.js';
import { createRng } from '../generate/synth/prng.js';

export type BenchLayout = HtmlLayout | TextLayout | 'run-together';

/** Share of each layout in a generated corpus (weights; HTML ≈ 65 %, TXT ≈ 35 %). */
export const LAYOUT_WEIGHTS: readonly (readonly [BenchLayout, number])[] = [
  ['official', 10],
  ['word-export', 10],
  ['portal', 14],
  ['split-thead', 8],
  ['gbk', 8],
  ['gbk-noheader', 6],
  ['drift', 8],
  ['cells-per-line', 8],
  ['tabs', 7],
  ['spaces', 7],
  ['markdown', 6],
  ['run-together', 8],
];

export interface ManifestEntry {
  /** Path relative to the corpus directory. */
  file: string;
  layout: BenchLayout;
  seed: number;
  /** The identity broken on purpose, if any (≈ 10 % of reports). */
  broken?: IdentityRule;
}

export interface CorpusInfo {
  dir: string;
  n: number;
  html: number;
  txt: number;
  bytes: number;
  seconds: number;
  byLayout: Record<string, number>;
  manifest: string;
}

/** The report a manifest line stands for, and the findings it must produce. */
export function manifestReport(e: ManifestEntry): { report: SynthReport; findings: ExpectedFinding[] } {
  const base = randomReport(e.seed);
  if (!e.broken) return { report: base, findings: [] };
  const { report, expectedFindings } = breakIdentity(base, e.broken, e.seed);
  return { report, findings: expectedFindings };
}

export function generateCorpus(dir: string, n: number, seedBase = 1): CorpusInfo {
  const started = performance.now();
  const rng = createRng(seedBase);
  const manifest: string[] = [];
  const byLayout: Record<string, number> = {};
  let html = 0;
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    const seed = seedBase * 1_000_003 + i;
    const layout = rng.weighted(LAYOUT_WEIGHTS);
    const broken = rng.chance(0.1) ? rng.pick(IDENTITY_RULES) : undefined;
    const entry: ManifestEntry = { file: '', layout, seed, ...(broken ? { broken } : {}) };
    const { report } = manifestReport(entry);
    const f =
      layout === 'run-together'
        ? renderRunTogether(report)
        : (['cells-per-line', 'tabs', 'spaces', 'markdown'] as string[]).includes(layout)
          ? renderText(report, layout as TextLayout)
          : renderHtml(report, layout as HtmlLayout);
    // One folder per layout: ingest must walk directories recursively.
    mkdirSync(join(dir, layout), { recursive: true });
    // The index keeps names unique even if two seeds give the same report.
    entry.file = join(layout, `${String(i).padStart(6, '0')}-${f.name}`);
    writeFileSync(join(dir, entry.file), f.bytes);
    if (f.name.endsWith('.html')) html++;
    bytes += f.bytes.length;
    byLayout[layout] = (byLayout[layout] ?? 0) + 1;
    manifest.push(JSON.stringify(entry));
  }
  // Beside the corpus, not in it: the manifest must not be ingested as a document.
  const manifestPath = join(dirname(dir), `${basename(dir)}.manifest.jsonl`);
  writeFileSync(manifestPath, manifest.join('\n') + '\n');
  return { dir, n, html, txt: n - html, bytes, seconds: (performance.now() - started) / 1000, byLayout, manifest: manifestPath };
}
