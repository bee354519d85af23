/**
 * Optional bench modules written elsewhere: test/bench/pdf.ts (benchPdf),
 * docx.ts (benchDocx), crawl.ts (benchCrawl), ocr.ts (benchOcr), postgres.ts (benchPostgres), pg-crawl.ts (benchPgCrawl). Each is imported only if its
 * compiled file exists; a missing or failing module is reported, never fatal.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { BenchRow } from './types.js';

const run = promisify(execFile);

export interface OptionalResult {
  module: string;
  rows: BenchRow[];
  /** 'absent', an error, or '' when it ran. */
  note: string;
}

function findFiles(dirs: string[], ext: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    if (!existsSync(d)) return;
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory() && e.name !== 'node_modules') walk(p);
      else if (e.isFile() && e.name.toLowerCase().endsWith(ext)) out.push(p);
    }
  };
  dirs.forEach(walk);
  return out.sort();
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** Accepts camelCase or snake_case fields from modules that do not import BenchRow. */
export function toRows(module: string, x: unknown): BenchRow[] {
  const list = Array.isArray(x) ? x : x && typeof x === 'object' ? [x] : [];
  return list
    .filter((o): o is Record<string, unknown> => !!o && typeof o === 'object')
    .map((o) => ({
      name: typeof o.name === 'string' ? o.name : module,
      docs: num(o.docs),
      pages: num(o.pages),
      seconds: num(o.seconds) ?? (num(o.ms) === undefined ? undefined : (num(o.ms) as number) / 1000),
      docsPerSec: num(o.docsPerSec) ?? num(o.docs_per_s) ?? num(o.docs_per_sec),
      pagesPerSec: num(o.pagesPerSec) ?? num(o.pages_per_s) ?? num(o.pages_per_sec),
      peakRssMb: num(o.peakRssMb) ?? num(o.peak_rss_mb),
      target: typeof o.target === 'string' ? o.target : undefined,
      pass: typeof o.pass === 'boolean' ? o.pass : undefined,
      note: typeof o.note === 'string' ? o.note : undefined,
    }));
}

/**
 * Runs one bench function in a fresh node process, so its peak RSS is its own
 * and not the bench runner's (which has just generated and ingested corpora).
 */
async function runInChild(path: string, fnName: string, args: unknown[]): Promise<unknown> {
  const script = `
    const [path, fnName, args] = JSON.parse(process.argv[1]);
    const mod = await import(path);
    if (typeof mod[fnName] !== 'function') throw new Error('no export ' + fnName);
    const r = await mod[fnName](...args);
    const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
    const rows = (Array.isArray(r) ? r : [r]).map((x) => ({ peakRssMb, ...x }));
    process.stdout.write('\\n@@result ' + JSON.stringify(rows) + '\\n');`;
  const { stdout } = await run(
    process.execPath,
    ['--input-type=module', '-e', script, JSON.stringify([pathToFileURL(path).href, fnName, args])],
    {
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const line = stdout.split('\n').find((l) => l.startsWith('@@result '));
  if (!line) throw new Error(`${fnName} printed no result`);
  return JSON.parse(line.slice('@@result '.length)) as unknown;
}

/** The optional modules, in the order they run (npm run bench -- --modules LIST picks some). */
export const OPTIONAL_MODULES = ['pdf', 'docx', 'crawl', 'crawl-hosts', 'ocr', 'postgres', 'hostile', 'text-vs-table', 'pg-crawl'];

export async function runOptionalModules(root: string, only?: readonly string[]): Promise<OptionalResult[]> {
  const sources = [join(root, 'corpus'), join(root, 'test', 'fixtures')];
  const specs: [string, string, () => unknown[]][] = [
    ['pdf', 'benchPdf', () => [findFiles(sources, '.pdf')]],
    ['docx', 'benchDocx', () => [findFiles(sources, '.docx')]],
    ['crawl', 'benchCrawl', () => []],
    ['crawl-hosts', 'benchCrawlHosts', () => []],
    ['ocr', 'benchOcr', () => [root]],
    ['postgres', 'benchPostgres', () => []],
    ['hostile', 'benchHostile', () => [root]],
    ['text-vs-table', 'benchTextVsTable', () => []],
    ['pg-crawl', 'benchPgCrawl', () => []],
  ];
  if (specs.map(([m]) => m).join() !== OPTIONAL_MODULES.join()) throw new Error('OPTIONAL_MODULES is out of step with the specs');
  const out: OptionalResult[] = [];
  for (const [module, fnName, args] of specs) {
    if (only && !only.includes(module)) continue;
    const path = fileURLToPath(new URL(`./${module}.js`, import.meta.url));
    if (!existsSync(path)) {
      out.push({ module, rows: [], note: `absent (test/bench/${module}.ts not written yet)` });
      continue;
    }
    try {
      out.push({ module, rows: toRows(module, await runInChild(path, fnName, args())), note: '' });
    } catch (e) {
      out.push({ module, rows: [], note: `failed: ${e instanceof Error ? e.message : String(e)}` });
    }
  }
  return out;
}
