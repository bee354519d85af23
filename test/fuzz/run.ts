/**
 * The long fuzz run: `npm run fuzz -- --runs 10000 --seed 7 [--workers 2] [--short] [--budget-ms 10000] [--ocr] [--no-save]`.
 * Prints statistics (inputs, outcomes by code, p50/p99/max time per
 * document, crashes, documents without an outcome, confident wrong values)
 * and keeps every input that failed as a regression fixture in
 * test/fixtures/fuzz/ (replayed by test/fuzz/regressions.test.ts).
 */
import { fuzz } from './harness.js';
import { ALL_SEEDS, loadSeeds, SHORT_SEEDS } from './seeds.js';
import { saveFailure } from './regressions.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const runs = arg('runs', 1000);
const seed = arg('seed', 1);
const workers = arg('workers', 2);
const budgetMs = arg('budget-ms', 10_000);
const save = !process.argv.includes('--no-save');
const seeds = loadSeeds(process.argv.includes('--short') ? SHORT_SEEDS : ALL_SEEDS);
const started = Date.now();
const result = await fuzz({
  seeds,
  runs,
  seed,
  workers,
  budgetMs,
  ocr: process.argv.includes('--ocr'),
  onFailure: (f) => {
    const where = save ? saveFailure(f) : '(not saved)';
    process.stderr.write(`\nFAIL ${f.description}\n  ${f.reasons.join('\n  ')}\n  kept as ${where}\n`);
  },
  onProgress: (n) => {
    if (n % 100 === 0) process.stderr.write(`\r${n}/${runs} inputs, ${Math.round((Date.now() - started) / 1000)} s`);
  },
});
process.stderr.write('\n');
const { failures, ...stats } = result;
console.log(
  [
    `fuzz: ${stats.inputs} inputs from ${seeds.length} seeds, seed ${seed}, ${workers} workers, ${Math.round((Date.now() - started) / 1000)} s`,
    `outcomes: ${Object.entries(stats.outcomes)
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
    `time per document: p50 ${stats.ms.p50} ms, p99 ${stats.ms.p99} ms, max ${stats.ms.max} ms (max by format: ${JSON.stringify(stats.maxByFormat)})`,
    `crashes ${stats.crashes}, without outcome ${stats.withoutOutcome}, over budget ${stats.overBudget}, confident wrong values ${stats.confidentWrong} (unverified ${stats.unverified}), failed inputs ${failures.length}`,
  ].join('\n'),
);
console.log(JSON.stringify({ seed, ...stats, failed: failures.length }));
process.exitCode = failures.length ? 1 : 0;
