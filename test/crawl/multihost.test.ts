/**
 * Many portals in one run, on 127.0.0.x loopback addresses (one host each):
 * per-host politeness holds for every host while the hosts are crawled side
 * by side, --seeds reads the start URLs, --max-pages-per-host caps each host,
 * and the per-host counts land in the summary, crawl_runs and crawl_hosts.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSeeds } from '../../src/cli/crawl.js';
import { runCrawl } from '../../src/crawl/run.js';
import { openDatabase } from '../../src/store/db.js';
import { FAST, tempDb } from './helpers/crawl.js';
import { startPortal, type Portal } from './portal.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const HOSTS = 6;
const DELAY = 250;
let portals: Portal[] = [];

beforeAll(async () => {
  portals = await Promise.all(
    Array.from({ length: HOSTS }, (_, i) => startPortal({ plain: true, reports: 6, perPage: 3, latencyMs: 5, host: `127.0.0.${20 + i}` })),
  );
});
afterAll(async () => {
  await Promise.all(portals.map((p) => p.close()));
});

describe('many hosts in one run', () => {
  it('reads --seeds files: one URL a line, # comments, blank lines', () => {
    const f = join(dirname(tempDb()), 'seeds.txt');
    writeFileSync(f, '# portals\nhttp://127.0.0.20:1/\n\n  http://127.0.0.21:2/x  # trailing comment\n#http://127.0.0.22:3/\n');
    expect(readSeeds(f)).toEqual(['http://127.0.0.20:1/', 'http://127.0.0.21:2/x']);
  });

  it('crawls every host side by side, each within its politeness, and records per-host counts (CLI, --seeds)', async () => {
    for (const p of portals) p.resetCounters();
    const db = tempDb();
    const seeds = join(dirname(db), 'seeds.txt');
    writeFileSync(seeds, `# ${HOSTS} portals\n${portals.map((p) => `${p.origin}/`).join('\n')}\n`);
    const child = spawn(
      process.execPath,
      [
        '--import',
        join(ROOT, 'test/helpers/ts-register.mjs'),
        join(ROOT, 'src/cli/main.ts'),
        'crawl',
        '--seeds',
        seeds,
        '--db',
        db,
        '--delay-ms',
        String(DELAY),
        '--progress',
        '0',
        '--json',
        '--render',
        'never',
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((r) => child.on('close', r));
    expect(code, stderr).toBe(0);
    const summary = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
      hosts: Array<{ host: string; pages: number; reports: number; failed: number }>;
    };
    expect(summary.hosts.map((h) => h.host).sort()).toEqual(portals.map((p) => new URL(p.origin).host).sort());

    const d = new Database(db, { readonly: true });
    try {
      const stored = new Set(
        (d.prepare('SELECT location FROM document_locations').all() as Array<{ location: string }>).map((r) => r.location),
      );
      for (const p of portals) for (const e of p.expectedDocuments()) expect(stored.has(e.url), e.url).toBe(true);
      const rows = d.prepare('SELECT host, pages, documents, failed FROM crawl_hosts ORDER BY host').all() as Array<{
        host: string;
        pages: number;
        documents: number;
        failed: number;
      }>;
      expect(rows).toHaveLength(HOSTS);
      for (const r of rows) {
        expect(r.failed).toBe(0);
        expect(r.documents).toBeGreaterThan(6);
      }
      expect(d.prepare('SELECT hosts, hosts_failing FROM crawl_runs').get()).toEqual({ hosts: HOSTS, hosts_failing: 0 });
    } finally {
      d.close();
    }

    // Politeness per host: never more than 2 in flight, starts at least DELAY apart (arrival jitter allowed).
    for (const p of portals) {
      const host = new URL(p.origin).host;
      expect(p.maxInFlight.get(host) ?? 0).toBeLessThanOrEqual(2);
      const t = p.log.map((r) => r.at).sort((a, b) => a - b);
      // One arrival delayed by a busy machine shortens the gap after it: each gap gets 150 ms of jitter,
      // the whole run only 80 ms (a gate that lets requests through early fails the second check).
      for (let i = 2; i < t.length; i++) expect(t[i] - t[1]).toBeGreaterThanOrEqual((i - 1) * DELAY - 150);
      if (t.length > 2) expect(t[t.length - 1] - t[0]).toBeGreaterThanOrEqual((t.length - 2) * DELAY - 80);
    }
    // Side by side, not one after another: every host started before any host was done.
    const firsts = portals.map((p) => Math.min(...p.log.map((r) => r.at)));
    const lasts = portals.map((p) => Math.max(...p.log.map((r) => r.at)));
    expect(Math.max(...firsts)).toBeLessThan(Math.min(...lasts));
  });

  it('caps each host at --max-pages-per-host and records the rest as skipped', async () => {
    const db = openDatabase(tempDb());
    try {
      const r = await runCrawl(db, { ...FAST, maxPagesPerHost: 5, startUrls: portals.map((p) => `${p.origin}/`) });
      expect(r.hosts).toHaveLength(HOSTS);
      for (const h of r.hosts) expect(h.pages).toBe(5);
      expect(r.pages).toBe(5 * HOSTS);
      const skipped = db
        .prepare(`SELECT COUNT(*) AS n FROM crawl_frontier WHERE state = 'skipped' AND error = 'max-pages-per-host'`)
        .get() as { n: number };
      expect(skipped.n).toBeGreaterThan(0);
      expect(db.prepare(`SELECT COUNT(*) AS n FROM crawl_frontier WHERE state = 'queued'`).get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  });
});
