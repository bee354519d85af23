/**
 * A crawl's history reaches PostgreSQL: crawl a stand-in portal into SQLite,
 * copy it with migrate-store, and read
 * the per-host state with `ogi status`; the crawl tables (runs, frontier, url
 * versions, links, hosts) come across row for row.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCrawl } from '../../src/crawl/run.js';
import { openDatabase } from '../../src/store/db.js';
import { FAST } from '../crawl/helpers/crawl.js';
import { serve } from '../crawl/helpers/server.js';
import { ogi } from '../helpers/cli.js';
import { pgRows } from '../helpers/engine-inputs.js';
import { ROOT } from '../helpers/gold.js';
import { freshDatabase, PG_URL } from '../helpers/pg.js';

describe.skipIf(!PG_URL)('crawl history on PostgreSQL', () => {
  it('migrate-store copies every crawl table; ogi status shows the latest run per host', async () => {
    const report = readFileSync(join(ROOT, 'corpus/shanghai_office_2019.html'));
    const portal = await serve({
      '/robots.txt': (_q, res) => res.writeHead(404).end(),
      '/xxgk/ndbg/index.html': (_q, res) =>
        res
          .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
          .end('<html><head><meta charset="utf-8"></head><body><a href="/art/r.html">2019年政府信息公开工作年度报告</a></body></html>'),
      '/art/r.html': (_q, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(report),
    });
    const file = join(mkdtempSync(join(tmpdir(), 'ogi-crawl-state-')), 'crawl.sqlite');
    const db = openDatabase(file);
    try {
      const r = await runCrawl(db, { ...FAST, startUrls: [`${portal.origin}/xxgk/ndbg/index.html`] });
      expect(r.new).toBe(1);
    } finally {
      db.close();
      await portal.close();
    }
    const url = await freshDatabase();
    const copy = ogi(['migrate-store', '--from', file, '--to', url, '--json']);
    expect(copy.code, copy.stderr).toBe(0);
    const rows = Object.fromEntries((JSON.parse(copy.stdout).tables as { table: string; rows: number }[]).map((t) => [t.table, t.rows]));
    for (const t of ['crawl_runs', 'crawl_frontier', 'url_versions', 'crawl_links', 'crawl_hosts']) expect(rows[t], t).toBeGreaterThan(0);
    const latest = await pgRows(url, 'SELECT url, status, document_id FROM url_latest ORDER BY url');
    expect(latest.some((v) => String(v.url).endsWith('/art/r.html') && v.status === 'new' && v.document_id !== null)).toBe(true);

    const s = ogi(['status', '--db', url, '--json']);
    expect(s.code, s.stderr).toBe(0);
    const hosts = JSON.parse(s.stdout).crawl as { host: string; documents: number; failed: number; status: string }[];
    expect(hosts).toHaveLength(1);
    expect(hosts[0]).toMatchObject({ host: new URL(portal.origin).host, documents: 1, failed: 0, status: 'ok' });
    expect(ogi(['status', '--db', url]).stdout).toMatch(/per host:\n {2}127\.0\.0\.1:\d+: \d+ fetched, 1 documents/);
    // The crawled report exports the same from both stores, source_url included.
    expect(ogi(['export', '--format', 'jsonl', '--db', url]).stdout).toBe(ogi(['export', '--format', 'jsonl', '--db', file]).stdout);
  });
});
