/**
 * npm run bench: throughput and memory of `ogi ingest` on synthetic corpora,
 * beside a baseline that only reads, hashes, decodes and parses the same files.
 *
 *   npm run bench                      N = 1,000 and 10,000
 *   npm run bench -- --quick           N = 200
 *   npm run bench -- --n 500,5000 --keep --seed 7 --strict
 *
 * Targets: ogi ≥ 100 docs/s on the 2-core dev machine; peak RSS must not grow
 * with N (largest N within ×1.25 + 16 MB of the smallest).
 * Exit codes: 0 ran (targets are reported, not enforced, unless --strict);
 * 1 the CLI is missing or failed, or --strict and a target was missed.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureAccuracy, type AccuracyRow, type WrongCell } from './accuracy.js';
import { baselineWorker, type BaselineResult } from './baseline.js';
import { generateCorpus, type CorpusInfo } from './generate-corpus.js';
import { OPTIONAL_MODULES, runOptionalModules } from './optional.js';
import { lastJsonLine, runMeasured, type Measured } from './proc.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
// OGI_BENCH_CLI: bench another build of the CLI (and test the missing-CLI message).
const CLI = process.env.OGI_BENCH_CLI ?? join(ROOT, 'dist', 'src', 'cli', 'main.js');
const SELF = fileURLToPath(import.meta.url);

const TARGET_DOCS_PER_SEC = 100;
const MEMORY_RATIO = 1.25;
const MEMORY_SLACK_MB = 16;

class BenchError extends Error {}

interface Options {
  ns: number[];
  keep: boolean;
  seed: number;
  strict: boolean;
  accuracy: boolean;
  confident: number;
  showWrong: number;
  byLayout: boolean;
  /** Optional modules to run (undefined: all; empty: none). */
  modules?: string[];
}

function parseArgs(argv: string[]): Options {
  const o: Options = {
    ns: [1000, 10000],
    keep: false,
    seed: 1,
    strict: false,
    accuracy: true,
    confident: 0.9,
    showWrong: 0,
    byLayout: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new BenchError(`${a} needs a value`);
      return v;
    };
    if (a === '--n')
      o.ns = value()
        .split(',')
        .map((s) => Number(s.trim()));
    else if (a === '--quick') o.ns = [200];
    else if (a === '--keep') o.keep = true;
    else if (a === '--seed') o.seed = Number(value());
    else if (a === '--strict') o.strict = true;
    else if (a === '--no-accuracy') o.accuracy = false;
    else if (a === '--confident') o.confident = Number(value());
    else if (a === '--show-wrong') o.showWrong = Number(value());
    else if (a === '--by-layout') o.byLayout = true;
    else if (a === '--modules')
      o.modules = value()
        .split(',')
        .map((m) => m.trim())
        .filter((m) => m && m !== 'none');
    else if (a === '--help' || a === '-h') {
      process.stdout.write(`${readmeOf()}\n`);
      process.exit(0);
    } else throw new BenchError(`unknown option ${a} (see --help)`);
  }
  if (!o.ns.length || o.ns.some((n) => !Number.isInteger(n) || n <= 0))
    throw new BenchError('--n takes positive integers, e.g. --n 1000,10000');
  if (!Number.isInteger(o.seed)) throw new BenchError('--seed takes an integer');
  const unknown = o.modules?.filter((m) => !OPTIONAL_MODULES.includes(m)) ?? [];
  if (unknown.length) throw new BenchError(`unknown module ${unknown.join(', ')} (known: ${OPTIONAL_MODULES.join(', ')}, or none)`);
  if (!(o.confident >= 0 && o.confident <= 1)) throw new BenchError('--confident takes a number in [0, 1]');
  if (!Number.isInteger(o.showWrong) || o.showWrong < 0) throw new BenchError('--show-wrong takes a count');
  // The listed files must still exist for whoever reads the list.
  if (o.showWrong > 0) o.keep = true;
  return o;
}

function readmeOf(): string {
  return `usage: npm run bench -- [--n 1000,10000] [--quick] [--keep] [--seed S] [--strict] [--no-accuracy] [--confident 0.9]
  --n         corpus sizes to generate and ingest (default 1000,10000)
  --quick     a single N = 200
  --keep      keep the generated corpora and databases (printed paths)
  --seed      corpus seed (default 1); the same seed gives the same files
  --strict    exit 1 when a target is missed
  --no-accuracy  skip comparing the stored values with the known ones
  --confident confidence at or above which a wrong value counts as "confident wrong" (default 0.9)
  --show-wrong K  list up to K wrong stored values (confident ones first), with their files; implies --keep
  --modules   optional modules to run after the ingest runs, comma-separated (pdf, docx, crawl, crawl-hosts, ocr,
              postgres, hostile, text-vs-table, pg-crawl), or none; default all
  --by-layout also ingest each layout's folder of the smallest corpus on its own and print docs/s per layout`;
}

interface RunResult {
  n: number;
  corpus: CorpusInfo;
  ogi: Measured;
  summary: Record<string, unknown> | null;
  baseline: Measured;
  baselineSummary: BaselineResult | null;
  accuracy: AccuracyRow[] | string | null;
  wrong: WrongCell[];
  /** --by-layout: layout → [files, seconds] of a separate ingest of that folder. */
  layouts: [string, number, number][];
  /** `ogi review --out` on the ingested database, and its baseline (`ogi export --format jsonl`, reading every report once). */
  review: Measured | null;
  reviewBaseline: Measured | null;
  reviewStats: string;
  tmp: string;
}

const gc = (): void => (globalThis as { gc?: () => void }).gc?.();
const fmt = (x: number | null | undefined, digits = 1): string =>
  x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(digits);
const int = (x: number): string => x.toLocaleString('en-US');

async function runOne(n: number, o: Options): Promise<RunResult> {
  const tmp = mkdtempSync(join(tmpdir(), `ogi-bench-${n}-`));
  const corpusDir = join(tmp, `corpus-${n}`);
  process.stderr.write(`[bench] N=${int(n)}: generating into ${corpusDir} …\n`);
  const corpus = generateCorpus(corpusDir, n, o.seed);
  gc();
  process.stderr.write(
    `[bench] N=${int(n)}: ${int(corpus.n)} files (${(corpus.bytes / 1e6).toFixed(1)} MB) in ${corpus.seconds.toFixed(1)} s; ingesting with the CLI …\n`,
  );
  const db = join(tmp, 'bench.sqlite');
  const ogi = await runMeasured(process.execPath, [CLI, 'ingest', corpusDir, '--db', db, '--json'], { cwd: ROOT });
  const summary = lastJsonLine(ogi.stdout);
  // 2 = some inputs unreadable: still a measured run.
  if ((ogi.code !== 0 && ogi.code !== 2) || summary === null) {
    throw new BenchError(
      `the CLI's ingest failed on N=${n} (exit ${ogi.code ?? ogi.signal}${summary === null ? ', no JSON summary on stdout' : ''}).\n` +
        `command: node ${CLI} ingest ${corpusDir} --db ${db} --json\nlast stderr:\n${ogi.stderrTail.split(/\r|\n/).filter(Boolean).slice(-15).join('\n')}\n` +
        `(corpus kept at ${tmp})`,
    );
  }
  process.stderr.write(`[bench] N=${int(n)}: ingest ${ogi.seconds.toFixed(1)} s; baseline …\n`);
  const baseline = await runMeasured(process.execPath, ['--expose-gc', SELF, '--baseline-worker', corpusDir], { cwd: ROOT });
  const bs = lastJsonLine(baseline.stdout) as BaselineResult | null;
  if (baseline.code !== 0 || !bs) throw new BenchError(`the baseline failed (exit ${baseline.code}):\n${baseline.stderrTail}`);
  let accuracy: AccuracyRow[] | string | null = null;
  const wrong: WrongCell[] = [];
  if (o.accuracy) {
    try {
      accuracy = measureAccuracy(db, corpusDir, corpus.manifest, o.confident, wrong, o.showWrong);
    } catch (e) {
      accuracy = `skipped: ${e instanceof Error ? e.message : String(e)}`;
    }
  }
  const layouts: [string, number, number][] = [];
  if (o.byLayout && n === Math.min(...o.ns)) {
    // Which extractor path is slow: each layout folder ingested into its own database.
    for (const layout of Object.keys(corpus.byLayout).sort()) {
      process.stderr.write(`[bench] N=${int(n)}: ingesting ${layout}/ alone …\n`);
      const m = await runMeasured(
        process.execPath,
        [CLI, 'ingest', join(corpusDir, layout), '--db', join(tmp, `layout-${layout}.sqlite`), '--json', '--quiet'],
        { cwd: ROOT },
      );
      const s = lastJsonLine(m.stdout);
      const secs = typeof s?.seconds === 'number' ? s.seconds : m.seconds;
      layouts.push([layout, corpus.byLayout[layout], secs]);
    }
  }
  // The review site of everything just ingested (issue 10: ≤ 60 s at N = 10,000), beside a full jsonl export of the same database.
  process.stderr.write(`[bench] N=${int(n)}: ogi review --out …\n`);
  const review = await runMeasured(process.execPath, [CLI, 'review', '--out', join(tmp, 'site'), '--db', db, '--quiet'], { cwd: ROOT });
  const reviewStats =
    review.stderrTail.split('\n').find((l) => l.includes('wrote')) ?? `exit ${review.code}: ${review.stderrTail.slice(-300)}`;
  const reviewBaseline = await runMeasured(
    process.execPath,
    [CLI, 'export', '--format', 'jsonl', '--out', join(tmp, 'export.jsonl'), '--db', db],
    {
      cwd: ROOT,
    },
  );
  if (!o.keep) rmSync(tmp, { recursive: true, force: true });
  return { n, corpus, ogi, summary, baseline, baselineSummary: bs, accuracy, wrong, layouts, tmp, review, reviewBaseline, reviewStats };
}

function table(head: string[], rows: string[][]): string {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]): string => r.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ');
  return [line(head), w.map((x) => '-'.repeat(x)).join('  '), ...rows.map(line)].join('\n');
}

function report(results: RunResult[], o: Options, optional: Awaited<ReturnType<typeof runOptionalModules>>): boolean {
  const out: string[] = [];
  const cpu = cpus();
  out.push(
    '',
    `ogi bench — ${cpu.length} cores (${cpu[0]?.model ?? '?'}), Node ${process.version}, load ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
  for (const r of results) {
    const layouts = Object.entries(r.corpus.byLayout)
      .sort()
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    out.push(
      `corpus N=${int(r.n)}: ${int(r.corpus.html)} HTML + ${int(r.corpus.txt)} TXT/MD, ${(r.corpus.bytes / 1e6).toFixed(1)} MB (${layouts})${o.keep ? ` at ${r.tmp}` : ''}`,
    );
  }
  out.push('');
  const rows: string[][] = [];
  for (const r of results) {
    const s = r.summary ?? {};
    const docs = typeof s.files === 'number' ? s.files : r.n;
    rows.push([
      'ogi ingest',
      int(r.n),
      int(docs),
      fmt(r.ogi.seconds, 2),
      fmt(docs / r.ogi.seconds),
      fmt(r.ogi.peakRssMb, 0),
      fmt(r.ogi.hwmMb, 0),
      typeof s.peak_rss_mb === 'number' ? fmt(s.peak_rss_mb, 0) : '—',
    ]);
    const b = r.baselineSummary;
    if (b)
      rows.push([
        'baseline',
        int(r.n),
        int(b.docs),
        fmt(b.seconds, 2),
        fmt(b.docs / b.seconds),
        fmt(r.baseline.peakRssMb, 0),
        fmt(r.baseline.hwmMb, 0),
        fmt(b.peak_rss_mb, 0),
      ]);
  }
  out.push(table(['what', 'N', 'docs', 'seconds', 'docs/s', 'peak RSS MB', 'VmHWM MB', 'self-reported MB'], rows));
  out.push(
    '',
    'seconds: wall clock of the whole `ogi ingest` process (start-up, database, carry-over pass included); the baseline times its loop only.',
    'peak RSS: max of VmRSS over the process tree, sampled every 50 ms from /proc; VmHWM: the kernel peak of the main process.',
    'baseline: read + sha256 + decodeBytes for every file, + cheerio.load for HTML, in a fresh node process.',
  );

  out.push('', 'review site (`ogi review --out`, from the database above; baseline: `ogi export --format jsonl` of the same database):');
  out.push(
    table(
      ['what', 'N', 'seconds', 'reports/s', 'peak RSS MB', 'target', 'pass'],
      results.flatMap((r) => [
        [
          'ogi review',
          int(r.n),
          fmt(r.review?.seconds, 2),
          fmt(r.review ? r.n / r.review.seconds : null),
          fmt(r.review?.peakRssMb, 0),
          r.n >= 10000 ? '≤ 60 s' : '',
          r.n >= 10000 && r.review ? (r.review.seconds <= 60 && r.review.code === 0 ? 'PASS' : 'FAIL') : '',
        ],
        [
          'baseline export jsonl',
          int(r.n),
          fmt(r.reviewBaseline?.seconds, 2),
          fmt(r.reviewBaseline ? r.n / r.reviewBaseline.seconds : null),
          fmt(r.reviewBaseline?.peakRssMb, 0),
          '',
          '',
        ],
      ]),
    ).replace(/^/gm, '  '),
  );
  for (const r of results) out.push(`  N=${int(r.n)}: ${r.reviewStats}`);

  for (const r of results.filter((x) => x.layouts.length)) {
    out.push('', `ingest by layout at N=${int(r.n)} (each folder alone; seconds as the CLI reports them, start-up excluded):`);
    out.push(
      table(
        ['layout', 'docs', 'seconds', 'docs/s'],
        r.layouts.map(([l, d, sec]) => [l, int(d), fmt(sec, 2), fmt(d / sec)]),
      ).replace(/^/gm, '  '),
    );
  }

  // Targets.
  let ok = true;
  out.push('', 'targets:');
  for (const r of results) {
    const dps = r.n / r.ogi.seconds;
    const pass = dps >= TARGET_DOCS_PER_SEC;
    ok &&= pass;
    out.push(`  ${pass ? 'PASS' : 'FAIL'}  ogi ≥ ${TARGET_DOCS_PER_SEC} docs/s at N=${int(r.n)}: ${fmt(dps)} docs/s`);
  }
  if (results.length >= 2) {
    const small = results.reduce((a, b) => (b.n < a.n ? b : a));
    const large = results.reduce((a, b) => (b.n > a.n ? b : a));
    const ps = small.ogi.peakRssMb ?? small.ogi.hwmMb;
    const pl = large.ogi.peakRssMb ?? large.ogi.hwmMb;
    if (ps !== null && pl !== null) {
      const pass = pl <= ps * MEMORY_RATIO + MEMORY_SLACK_MB;
      ok &&= pass;
      out.push(
        `  ${pass ? 'PASS' : 'FAIL'}  peak memory flat in N: ${fmt(ps, 0)} MB at N=${int(small.n)} → ${fmt(pl, 0)} MB at N=${int(large.n)} (×${(pl / ps).toFixed(2)}; limit ×${MEMORY_RATIO} + ${MEMORY_SLACK_MB} MB)`,
      );
    } else out.push('  ----  peak memory flat in N: no /proc samples on this system');
  } else out.push(`  ----  peak memory flat in N: needs two sizes (--n 1000,10000); only N=${int(results[0].n)} ran`);

  // Accuracy against the known values.
  for (const r of results) {
    if (r.accuracy === null) continue;
    out.push('', `accuracy at N=${int(r.n)} (stored values vs the synthesizer's; confident = confidence ≥ ${o.confident}):`);
    if (typeof r.accuracy === 'string') {
      out.push(`  ${r.accuracy}`);
      continue;
    }
    const pct = (a: number, b: number): string => (b ? `${((100 * a) / b).toFixed(1)}%` : '—');
    const acc = r.accuracy;
    const total = acc.reduce(
      (t, a) => ({
        ...t,
        docs: t.docs + a.docs,
        withReport: t.withReport + a.withReport,
        expected: t.expected + a.expected,
        correct: t.correct + a.correct,
        missing: t.missing + a.missing,
        wrong: t.wrong + a.wrong,
        confidentWrong: t.confidentWrong + a.confidentWrong,
        findingsExpected: t.findingsExpected + a.findingsExpected,
        findingsFound: t.findingsFound + a.findingsFound,
        spuriousFindings: t.spuriousFindings + a.spuriousFindings,
      }),
      {
        layout: 'all',
        docs: 0,
        withReport: 0,
        expected: 0,
        correct: 0,
        missing: 0,
        wrong: 0,
        confidentWrong: 0,
        findingsExpected: 0,
        findingsFound: 0,
        spuriousFindings: 0,
      } as AccuracyRow,
    );
    out.push(
      table(
        ['layout', 'docs', 'reports', 'cells', 'correct', 'missing', 'wrong', 'confident wrong', 'findings found', 'spurious findings'],
        [...acc, total].map((a) => [
          a.layout,
          int(a.docs),
          int(a.withReport),
          int(a.expected),
          pct(a.correct, a.expected),
          pct(a.missing, a.expected),
          int(a.wrong),
          int(a.confidentWrong),
          `${a.findingsFound}/${a.findingsExpected}`,
          int(a.spuriousFindings),
        ]),
      ).replace(/^/gm, '  '),
    );
    for (const w of r.wrong) out.push(`  wrong: ${w.key} expected ${w.expected} got ${w.got} (confidence ${w.confidence}) in ${w.file}`);
  }

  // Optional modules.
  out.push('', 'other formats (optional modules):');
  for (const m of optional) {
    if (!m.rows.length) {
      out.push(`  ${m.module}: ${m.note || 'returned no rows'}`);
      continue;
    }
    const targets: Record<string, string> = {
      docx: '≥ 50 docs/s',
      pdf: 'beside raw pdf.js',
      crawl: 'pages/s',
      'crawl-hosts': '≥ 0.8 × hosts pages/s',
      ocr: '≥ 0.8 × tesseract per page',
    };
    out.push(`  ${m.module} (target: ${targets[m.module]})`);
    out.push(
      table(
        ['what', 'docs', 'pages', 'seconds', 'docs/s', 'pages/s', 'peak RSS MB', 'target', 'pass', 'note'],
        m.rows.map((x) => [
          x.name,
          x.docs === undefined ? '—' : int(x.docs),
          x.pages === undefined ? '—' : int(x.pages),
          fmt(x.seconds, 2),
          fmt(x.docsPerSec ?? (x.docs && x.seconds ? x.docs / x.seconds : undefined)),
          fmt(x.pagesPerSec ?? (x.pages && x.seconds ? x.pages / x.seconds : undefined)),
          fmt(x.peakRssMb, 0),
          x.target ?? '',
          x.pass === undefined ? '' : x.pass ? 'PASS' : 'FAIL',
          x.note ?? '',
        ]),
      ).replace(/^/gm, '    '),
    );
    if (m.rows.some((x) => x.pass === false)) ok = false;
  }
  process.stdout.write(`${out.join('\n')}\n`);
  return ok;
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  if (argv[0] === '--baseline-worker') {
    if (!argv[1]) throw new BenchError('--baseline-worker needs a directory');
    process.stdout.write(`${JSON.stringify(await baselineWorker(argv[1]))}\n`);
    return 0;
  }
  const o = parseArgs(argv);
  if (!existsSync(CLI)) {
    throw new BenchError(
      `build the CLI first: ${CLI} does not exist.\nThe bench runs \`node dist/src/cli/main.js ingest DIR --db … --json\`; build it with \`npm run build\` once src/cli/main.ts is in place.`,
    );
  }
  const results: RunResult[] = [];
  for (const n of o.ns) {
    results.push(await runOne(n, o));
    gc();
  }
  const optional = await runOptionalModules(ROOT, o.modules);
  const ok = report(results, o, optional);
  return o.strict && !ok ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    // A clear message, not a stack trace, for the failures a user can fix.
    process.stderr.write(
      e instanceof BenchError
        ? `bench: ${e.message}\n`
        : `bench: unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
    );
    process.exitCode = 1;
  },
);
