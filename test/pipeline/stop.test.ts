/**
 * A stop (Ctrl-C, SIGTERM) in the middle of extraction is not an outcome:
 * the interrupted document is not stored, and the next run reads it — for
 * `ogi ingest` (the real CLI, a real signal) and for `ogi crawl`.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runCrawl } from '../../src/crawl/run.js';
import { openDatabase } from '../../src/store/db.js';
import { FAST } from '../crawl/helpers/crawl.js';
import { serve } from '../crawl/helpers/server.js';
import { CLI, ogi } from '../helpers/cli.js';
import { ROOT } from '../helpers/gold.js';
import { slowPdf } from './slow-pdf.js';

const docs = (db: string) => {
  const d = new Database(db, { readonly: true });
  try {
    return d
      .prepare(`SELECT l.location, d.error_code FROM documents d JOIN document_locations l ON l.document_id = d.id ORDER BY l.location`)
      .all() as { location: string; error_code: string | null }[];
  } finally {
    d.close();
  }
};

describe('a stop in the middle of extraction', () => {
  it('ogi ingest: SIGINT stores nothing half-read, exits 1, and the next run reads the interrupted documents', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ogi-stop-ingest-'));
    const db = join(mkdtempSync(join(tmpdir(), 'ogi-stop-db-')), 'ogi.sqlite');
    writeFileSync(join(dir, 'a-slow.pdf'), slowPdf(400, 'a'));
    writeFileSync(join(dir, 'b-slow.pdf'), slowPdf(400, 'b'));
    copyFileSync(join(ROOT, 'corpus/000_97b5ed2afefa8716.txt'), join(dir, 'c-seed.txt'));
    const child = spawn(process.execPath, [CLI, 'ingest', dir, '--db', db, '--workers', '2'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Long enough for both readers to be inside their PDFs (each takes seconds), short of either finishing.
    await new Promise((r) => setTimeout(r, 1500));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    expect(code, stderr).toBe(1);
    expect(stderr).toMatch(/SIGINT: stopping/);
    const stored = docs(db);
    // Neither PDF was stored, and nothing was stored as 'aborted' or any other error.
    expect(stored.filter((d) => d.location.endsWith('.pdf'))).toEqual([]);
    expect(stored.every((d) => d.error_code === null)).toBe(true);

    const again = ogi(['ingest', dir, '--db', db, '--json', '--quiet']);
    expect(again.code, again.stderr).toBe(0);
    const summary = JSON.parse(again.stdout.trim());
    expect(summary.new).toBeGreaterThanOrEqual(2);
    expect(summary.new + summary.unchanged).toBe(3);
    expect(docs(db).map((d) => [d.location.split('/').pop(), d.error_code])).toEqual([
      ['a-slow.pdf', null],
      ['b-slow.pdf', null],
      ['c-seed.txt', null],
    ]);
  });

  it('ogi crawl: a stop while a downloaded report is being read puts it back in the queue; the next run reads it', async () => {
    const pdf = slowPdf(400, 'crawl');
    let served = 0;
    const portal = await serve({
      '/robots.txt': (_q, res) => res.writeHead(404).end(),
      '/ndbg/index.html': (_q, res) =>
        res
          .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
          .end('<html><body><a href="/files/2023.pdf">2023年政府信息公开工作年度报告</a></body></html>'),
      '/files/2023.pdf': (_q, res) => {
        served++;
        res.writeHead(200, { 'content-type': 'application/pdf' }).end(pdf);
      },
    });
    const db = openDatabase(join(mkdtempSync(join(tmpdir(), 'ogi-stop-crawl-')), 'ogi.sqlite'));
    try {
      const stop = new AbortController();
      const watcher = setInterval(() => {
        // The PDF is downloaded: its read starts at once and takes seconds.
        if (served > 0) setTimeout(() => stop.abort(new Error('SIGTERM')), 700);
        if (served > 0) clearInterval(watcher);
      }, 20);
      const first = await runCrawl(
        db,
        { ...FAST, maxBytes: 16 * 1024 * 1024, startUrls: [`${portal.origin}/ndbg/index.html`] },
        { signal: stop.signal },
      );
      clearInterval(watcher);
      expect(first.status).toBe('interrupted');
      expect(first.exitCode).toBe(1);
      expect(db.prepare('SELECT COUNT(*) FROM documents').pluck().get()).toBe(0);

      const second = await runCrawl(db, { ...FAST, maxBytes: 16 * 1024 * 1024, startUrls: [`${portal.origin}/ndbg/index.html`] });
      expect(second.resumed).toBe(true);
      expect(second.status).toBe('ok');
      expect(second.new).toBe(1);
      const row = db.prepare('SELECT d.error_code, d.pages FROM documents d').get() as { error_code: string | null; pages: number };
      expect(row).toEqual({ error_code: null, pages: 400 });
    } finally {
      db.close();
      await portal.close();
    }
  });
});
