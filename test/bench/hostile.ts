/**
 * The hostile batch of issue 12 — deep.html (200,000 nested divs), a .docx
 * with a stretch zeroed, a zip bomb — beside three good reports, ingested by
 * the real CLI in a fresh process, next to a baseline of the good reports
 * alone in the same run. Targets: the batch in < 20 s, peak RSS < 600 MB,
 * every file coded as expected.
 *
 *   node dist/test/bench/hostile.js       (also part of npm run bench)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { goodReports, issueBatch, type HostileFile } from '../generate/hostile.js';
import { runMeasured } from './proc.js';

export const TARGET_SECONDS = 20;
export const TARGET_RSS_MB = 600;

export interface HostileRow {
  name: string;
  docs: number;
  seconds: number;
  docsPerSec: number;
  peakRssMb: number | null;
  target: string;
  pass: boolean;
  note: string;
}

async function ingest(root: string, label: string, files: HostileFile[], withTargets: boolean): Promise<HostileRow> {
  const dir = mkdtempSync(join(tmpdir(), 'ogi-bench-hostile-'));
  try {
    const input = join(dir, 'in');
    rmSync(input, { recursive: true, force: true });
    const { mkdirSync } = await import('node:fs');
    mkdirSync(input);
    for (const f of files) writeFileSync(join(input, f.name), f.bytes());
    const db = join(dir, 'ogi.sqlite');
    const cli = join(root, 'dist', 'src', 'cli', 'main.js');
    const m = await runMeasured(process.execPath, [cli, 'ingest', input, '--db', db, '--json', '--quiet']);
    if (m.code !== 0) throw new Error(`ogi ingest exited ${m.code}: ${m.stderrTail}`);
    const d = new Database(db, { readonly: true });
    const rows = d
      .prepare(
        `SELECT l.location AS location, d.error_code AS code, (SELECT COUNT(*) FROM reports r WHERE r.document_id = d.id) AS reports
         FROM documents d JOIN document_locations l ON l.document_id = d.id`,
      )
      .all() as { location: string; code: string | null; reports: number }[];
    d.close();
    const got = new Map(rows.map((r) => [r.location.split('/').pop()!, r.code ?? (r.reports ? 'report' : 'read')]));
    const wrong = files
      .filter((f) => got.get(f.name) !== f.expect)
      .map((f) => `${f.name}: ${got.get(f.name) ?? 'missing'} (expected ${f.expect})`);
    const coded = files.map((f) => `${f.name} ${got.get(f.name) ?? 'missing'}`).join(', ');
    const pass = wrong.length === 0 && (!withTargets || (m.seconds < TARGET_SECONDS && (m.peakRssMb ?? 0) < TARGET_RSS_MB));
    return {
      name: label,
      docs: files.length,
      seconds: m.seconds,
      docsPerSec: files.length / m.seconds,
      peakRssMb: m.peakRssMb,
      target: withTargets ? `< ${TARGET_SECONDS} s, < ${TARGET_RSS_MB} MB, every file coded` : 'baseline',
      pass,
      note: wrong.length ? `WRONG: ${wrong.join('; ')}` : coded,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchHostile(root: string): Promise<HostileRow[]> {
  const baseline = await ingest(root, 'ingest: the 3 good reports alone (baseline)', goodReports(root), false);
  const batch = await ingest(
    root,
    'ingest: hostile batch (deep.html, damaged .docx, zip bomb) + the 3 good reports',
    issueBatch(root),
    true,
  );
  return [baseline, batch];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  for (const r of await benchHostile(root)) {
    console.log(
      `${r.name}: ${r.docs} files in ${r.seconds.toFixed(2)} s, peak RSS ${r.peakRssMb} MB — ${r.target}: ${r.pass ? 'pass' : 'MISSED'}\n  ${r.note}`,
    );
  }
}
