/**
 * Inputs for the tests that run the same work on SQLite and PostgreSQL: the
 * repository's corpus, generated reports with carryover pairs (an agency's
 * consecutive years whose 结转 cells disagree), the same bytes at two paths,
 * and files that cannot be read (empty, corrupt, unsupported).
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { randomReport, renderHtml, renderText } from '../generate/synth/index.js';
import { ROOT } from './gold.js';

export interface Inputs {
  dir: string;
  files: number;
}

/** Writes the inputs under a new directory; `pairs` agencies get two consecutive years each. */
export function writeInputs(pairs = 4): Inputs {
  const dir = mkdtempSync(join(tmpdir(), 'ogi-engines-'));
  cpSync(join(ROOT, 'corpus'), join(dir, 'corpus'), { recursive: true });
  const gen = join(dir, 'generated');
  mkdirSync(gen);
  for (let i = 0; i < pairs; i++) {
    const agency = `示范市第${i + 1}测试局`;
    const before = randomReport(100 + i, { template: '2021', year: 2022, agency, blankForZero: false, scale: 'medium' });
    const after = randomReport(200 + i, { template: '2021', year: 2023, agency, blankForZero: false, scale: 'medium' });
    writeFileSync(join(gen, `a${i}-2022.html`), renderHtml(before, i % 2 ? 'official' : 'word-export').bytes);
    writeFileSync(join(gen, `a${i}-2023.txt`), renderText(after, i % 2 ? 'cells-per-line' : 'tabs').bytes);
  }
  // The same bytes at a second path: one document, two locations.
  writeFileSync(
    join(gen, 'copy-of-a0-2022.html'),
    renderHtml(
      randomReport(100, { template: '2021', year: 2022, agency: '示范市第1测试局', blankForZero: false, scale: 'medium' }),
      'word-export',
    ).bytes,
  );
  writeFileSync(join(gen, 'empty.pdf'), '');
  writeFileSync(join(gen, 'corrupt.docx'), 'PK\u0003\u0004 this is not a zip');
  writeFileSync(join(gen, 'notes.xyz'), 'not a report');
  return { dir, files: countFiles(dir) };
}

function countFiles(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) n += e.isDirectory() ? countFiles(join(dir, e.name)) : 1;
  return n;
}

/**
 * `ogi export --format jsonl` made comparable across stores: report ids are
 * per store (they follow the order documents were stored in), so each is
 * replaced by the report's sha256 (other_report_id by the other report's); lines sorted.
 */
export function normalizeJsonl(text: string): string[] {
  const rows = text
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown> & { report_id: number; sha256: string; findings: Record<string, unknown>[] });
  const sha = new Map(rows.map((r) => [r.report_id, r.sha256]));
  return rows
    .map(({ report_id: _id, ...r }) => {
      r.findings = r.findings.map((f) =>
        f.other_report_id !== undefined ? { ...f, other_report_id: sha.get(f.other_report_id as number) } : f,
      );
      return JSON.stringify(r);
    })
    .sort();
}

/** Rows of one SQL statement on a PostgreSQL database (test assertions only). */
export async function pgRows(url: string, sql: string, values: unknown[] = []): Promise<Record<string, unknown>[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql, values)).rows;
  } finally {
    await c.end();
  }
}
