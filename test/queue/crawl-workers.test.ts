/**
 * Crawling into PostgreSQL, in one process and sharded by host over two
 * `ogi worker` processes, on stand-in portals (test/crawl/portal.ts, which
 * counts requests and in-flight requests per host):
 * - a crawl into PostgreSQL exports exactly what a crawl of the same portal
 *   into SQLite exports;
 * - `ogi crawl --queue` puts one job per host; two workers crawl them with every
 *   host's politeness kept (in flight never above --concurrency, starts
 *   --delay-ms apart), every document fetched and stored once, through the
 *   same ingest path, the cross-report step run after the last crawl; the
 *   export equals a SQLite crawl of the same portals; `ogi status` shows each host.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCrawl } from '../../src/crawl/run.js';
import { openDatabase } from '../../src/store/db.js';
import { PgCrawlStore } from '../../src/store/pg/crawl.js';
import { FAST } from '../crawl/helpers/crawl.js';
import { serve } from '../crawl/helpers/server.js';
import { makePdf, startPortal, type Portal } from '../crawl/portal.js';
import { CLI, ogi } from '../helpers/cli.js';
import { normalizeJsonl, pgRows } from '../helpers/engine-inputs.js';
import { freshDatabase, PG_URL } from '../helpers/pg.js';

const HOSTS = 3;
const DELAY = 120;
const CONCURRENCY = 2;

interface Proc {
  child: ChildProcess;
  stdout: string;
  stderr: string;
  exit: Promise<number | null>;
}

function run(args: string[]): Proc {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const p: Proc = { child, stdout: '', stderr: '', exit: Promise.resolve(null) };
  child.stdout!.on('data', (d) => (p.stdout += d));
  child.stderr!.on('data', (d) => (p.stderr += d));
  p.exit = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  return p;
}

/** An `ogi worker` taking one host crawl job at a time; `--json` stats at exit. */
const worker = (url: string) =>
  run([
    'worker',
    '--db',
    url,
    '--exit-when-idle',
    '--workers',
    '1',
    '--concurrency',
    '1',
    '--crawl-jobs',
    '1',
    '--poll-ms',
    '100',
    '--json',
  ]);

interface WorkerStats {
  crawls: number;
  failed: number;
  reaped: number;
}

/** Waits for the workers; each must exit 0. Returns their stats. */
async function finished(workers: Proc[]): Promise<WorkerStats[]> {
  const codes = await Promise.all(workers.map((w) => w.exit));
  for (const [i, w] of workers.entries()) expect(codes[i], w.stderr).toBe(0);
  return workers.map((w) => JSON.parse(w.stdout.trim().split('\n').at(-1)!) as WorkerStats);
}

const sqliteFile = (name: string) => join(mkdtempSync(join(tmpdir(), 'ogi-crawl-pg-')), name);

function exported(db: string): string[] {
  const r = ogi(['export', '--format', 'jsonl', '--db', db]);
  expect(r.code, r.stderr).toBe(0);
  return normalizeJsonl(r.stdout).sort();
}

describe.skipIf(!PG_URL)('crawling into PostgreSQL', () => {
  let portals: Portal[] = [];
  beforeAll(async () => {
    portals = await Promise.all(
      Array.from({ length: HOSTS }, (_, i) =>
        startPortal({ plain: true, reports: 6, perPage: 3, latencyMs: 20, host: `127.0.0.${40 + i}`, seed: i }),
      ),
    );
  });
  afterAll(async () => {
    await Promise.all(portals.map((p) => p.close()));
  });

  it('a crawl into PostgreSQL exports the same as a crawl into SQLite; a second crawl of the host at once is refused', async () => {
    const p = portals[0];
    const options = { ...FAST, render: 'never' as const, startUrls: [`${p.origin}/`] };
    const file = sqliteFile('one.sqlite');
    const db = openDatabase(file);
    try {
      const r = await runCrawl(db, options);
      expect(r.new).toBeGreaterThan(6);
    } finally {
      db.close();
    }
    const url = await freshDatabase();
    const store = await PgCrawlStore.open(url);
    p.resetCounters();
    try {
      const [r, second] = await Promise.allSettled([
        runCrawl(store, options),
        // Started once the first is fetching (so it holds the host): refused, as on SQLite.
        (async () => {
          while (p.log.length === 0) await new Promise((r) => setTimeout(r, 10));
          return runCrawl(store, options);
        })(),
      ]);
      expect(r.status).toBe('fulfilled');
      expect(second.status).toBe('rejected');
      expect(String((second as PromiseRejectedResult).reason)).toMatch(/another crawl is running/);
      const pg = (r as PromiseFulfilledResult<Awaited<ReturnType<typeof runCrawl>>>).value;
      expect(pg.hosts.map((h) => h.host)).toEqual([new URL(p.origin).host]);
      expect(pg.hosts[0].failed).toBe(0);
    } finally {
      await store.close();
    }
    const sqlite = exported(file);
    expect(sqlite.length).toBeGreaterThan(6);
    expect(exported(url)).toEqual(sqlite);
    // Nightly: the second run on PostgreSQL revalidates and finds nothing new.
    const again = await PgCrawlStore.open(url);
    try {
      const r = await runCrawl(again, options);
      expect(r.new).toBe(0);
      expect(r.changed).toBe(0);
      expect(r.unchanged).toBeGreaterThan(6);
    } finally {
      await again.close();
    }
  }, 120_000);

  it('ogi crawl --queue: two workers, one job per host, politeness kept across both, each document once, export equal to SQLite', async () => {
    const url = await freshDatabase();
    for (const p of portals) p.resetCounters();
    const flags = [
      '--delay-ms',
      String(DELAY),
      '--concurrency',
      String(CONCURRENCY),
      '--render',
      'never',
      '--retries',
      '1',
      '--progress',
      '0',
    ];
    // A SQLite file has no queue.
    const refused = ogi(['crawl', `${portals[0].origin}/`, '--db', sqliteFile('q.sqlite'), '--queue']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/--queue needs --db postgres:/);
    const q = ogi(['crawl', ...portals.map((p) => `${p.origin}/`), '--db', url, '--queue', '--json', ...flags]);
    expect(q.code, q.stderr).toBe(0);
    expect(JSON.parse(q.stdout)).toMatchObject({ hosts: HOSTS, enqueued: HOSTS, alreadyWaiting: [] });
    // The same hosts again while they wait: not queued twice (singleton key per host).
    const again = ogi(['crawl', `${portals[0].origin}/`, '--db', url, '--queue', '--json', ...flags]);
    expect(JSON.parse(again.stdout)).toMatchObject({ enqueued: 0, alreadyWaiting: [new URL(portals[0].origin).host] });
    const stats = await finished([worker(url), worker(url)]);
    expect(stats.reduce((n, s) => n + s.crawls, 0)).toBe(HOSTS);
    expect(
      stats.every((s) => s.crawls >= 1),
      JSON.stringify(stats),
    ).toBe(true);
    expect(stats.reduce((n, s) => n + s.failed, 0)).toBe(0);

    for (const p of portals) {
      const host = new URL(p.origin).host;
      // Per host: never more in flight than --concurrency, starts --delay-ms apart (arrival jitter allowed).
      expect(p.maxInFlight.get(host) ?? 0).toBeLessThanOrEqual(CONCURRENCY);
      const t = p.log
        .filter((r) => r.host === host)
        .map((r) => r.at)
        .sort((a, b) => a - b);
      for (let i = 2; i < t.length; i++) expect(t[i] - t[1], `${host} request ${i}`).toBeGreaterThanOrEqual((i - 1) * DELAY - 80);
      // Every document fetched once, found where the portal put it.
      for (const e of p.expectedDocuments()) expect(p.requests.get(new URL(e.url).pathname + new URL(e.url).search), e.url).toBe(1);
    }
    const locations = new Set((await pgRows(url, 'SELECT location FROM document_locations')).map((r) => String(r.location)));
    for (const p of portals) for (const e of p.expectedDocuments()) expect(locations.has(e.url), e.url).toBe(true);
    const dup = await pgRows(url, 'SELECT sha256, count(*) AS n FROM documents GROUP BY sha256 HAVING count(*) > 1');
    expect(dup).toEqual([]);
    // Through the ingest service: every crawled document has its pipeline row; the cross-report step ran after the last crawl.
    const runs = await pgRows(
      url,
      `SELECT (SELECT max(completed_on) FROM pgboss.job WHERE name = 'ogi-crawl' AND state = 'completed') AS crawled,
              (SELECT max(completed_on) FROM pgboss.job WHERE name = 'ogi-finish' AND state = 'completed' AND NOT (output ? 'deferred')) AS finished`,
    );
    expect(runs[0].finished).not.toBeNull();
    expect(new Date(runs[0].finished as string).getTime()).toBeGreaterThanOrEqual(new Date(runs[0].crawled as string).getTime());

    const status = ogi(['status', '--db', url, '--json']);
    expect(status.code, status.stderr).toBe(0);
    const hosts = JSON.parse(status.stdout).crawl as { host: string; job: string; documents: number; failed: number }[];
    expect(hosts.map((h) => h.host).sort()).toEqual(portals.map((p) => new URL(p.origin).host).sort());
    for (const h of hosts) expect(h).toMatchObject({ job: 'completed', failed: 0 });

    // The same portals crawled into SQLite in one process export the same.
    const file = sqliteFile('all.sqlite');
    const db = openDatabase(file);
    try {
      await runCrawl(db, { ...FAST, render: 'never', startUrls: portals.map((p) => `${p.origin}/`) });
    } finally {
      db.close();
    }
    const sqlite = exported(file);
    expect(sqlite.length).toBeGreaterThan(6 * HOSTS);
    expect(exported(url)).toEqual(sqlite);
  }, 240_000);

  it('a file host both portals use (--allow-host): two workers crawling at once share its budget', async () => {
    // One file host F, two portal hosts A and B whose reports are PDFs on F; each worker crawls one portal.
    const FILES = 5;
    const LATENCY = 150;
    let inFlight = 0;
    let maxInFlight = 0;
    const starts: number[] = [];
    const routes: Parameters<typeof serve>[0] = { '/robots.txt': (_q, res) => res.writeHead(404).end() };
    for (const side of ['a', 'b']) {
      for (let i = 0; i < FILES; i++) {
        routes[`/${side}/${i}.pdf`] = async (_q, res) => {
          starts.push(Date.now());
          inFlight++;
          maxInFlight = Math.max(maxInFlight, inFlight);
          await new Promise((r) => setTimeout(r, LATENCY));
          inFlight--;
          res.writeHead(200, { 'content-type': 'application/pdf' }).end(makePdf(`${side} ${i} 2019 annual report`));
        };
      }
    }
    const files = await serve(routes);
    const portal = (side: string) =>
      serve({
        '/robots.txt': (_q, res) => res.writeHead(404).end(),
        '/': (_q, res) =>
          res
            .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
            .end(
              `<html><head><meta charset="utf-8"></head><body>${Array.from(
                { length: FILES },
                (_, i) => `<a href="${files.origin}/${side}/${i}.pdf">${2010 + i}年政府信息公开工作年度报告</a>`,
              ).join('')}</body></html>`,
            ),
      });
    const [a, b] = await Promise.all([portal('a'), portal('b')]);
    try {
      const url = await freshDatabase();
      const fileHost = new URL(files.origin).host;
      const q = ogi(
        ['crawl', `${a.origin}/`, `${b.origin}/`, '--db', url, '--queue', '--json'].concat([
          '--allow-host',
          fileHost,
          '--concurrency',
          '1',
          '--delay-ms',
          String(DELAY),
          '--render',
          'never',
          '--progress',
          '0',
        ]),
      );
      expect(JSON.parse(q.stdout)).toMatchObject({ hosts: 2, enqueued: 2 });
      const stats = await finished([worker(url), worker(url)]);
      expect(stats.map((s) => s.crawls)).toEqual([1, 1]);
      // Both portals' PDFs came from F, one request at a time across both workers, starts DELAY apart.
      expect(starts).toHaveLength(2 * FILES);
      expect(maxInFlight).toBe(1);
      starts.sort((x, y) => x - y);
      for (let i = 1; i < starts.length; i++) expect(starts[i] - starts[0]).toBeGreaterThanOrEqual(i * DELAY - 80);
      const stored = await pgRows(url, `SELECT count(*) AS n FROM document_locations WHERE location LIKE $1`, [`${files.origin}/%`]);
      expect(Number(stored[0].n)).toBe(2 * FILES);
    } finally {
      await Promise.all([a.close(), b.close(), files.close()]);
    }
  }, 180_000);

  it('a worker killed with SIGKILL mid-crawl: another takes the host job back and resumes its run; nothing stored twice', async () => {
    const p = await startPortal({ plain: true, reports: 12, perPage: 4, latencyMs: 60, host: '127.0.0.50', seed: 9 });
    try {
      const url = await freshDatabase();
      const q = ogi([
        'crawl',
        `${p.origin}/`,
        '--db',
        url,
        '--queue',
        '--delay-ms',
        '80',
        '--concurrency',
        '1',
        '--render',
        'never',
        '--progress',
        '0',
      ]);
      expect(q.code, q.stderr).toBe(0);
      const first = worker(url);
      // Killed once it has crawled part of the host (and stored some of its documents).
      for (let i = 0; i < 600 && p.log.length < 12; i++) await new Promise((r) => setTimeout(r, 50));
      expect(p.log.length).toBeGreaterThanOrEqual(12);
      first.child.kill('SIGKILL');
      await first.exit;
      const before = Number((await pgRows(url, 'SELECT count(*) AS n FROM documents'))[0].n);
      const [second] = await finished([worker(url)]);
      expect(second).toMatchObject({ crawls: 1, reaped: 1 });
      const runs = await pgRows(url, 'SELECT status, resumed FROM crawl_runs');
      expect(runs).toEqual([{ status: 'ok', resumed: 1 }]);
      const docs = Number((await pgRows(url, 'SELECT count(*) AS n FROM documents'))[0].n);
      expect(docs).toBeGreaterThan(before);
      const locations = new Set((await pgRows(url, 'SELECT location FROM document_locations')).map((r) => String(r.location)));
      for (const e of p.expectedDocuments()) expect(locations.has(e.url), e.url).toBe(true);
      // At most what was in progress at the kill is repeated: with --concurrency 1 a host has at most two
      // items in progress (one fetching, one fetched and being read); no URL is fetched a third time.
      const repeated = [...p.requests.entries()].filter(([path, n]) => n > 1 && path !== '/robots.txt');
      expect(repeated.length).toBeLessThanOrEqual(2);
      expect(repeated.every(([, n]) => n === 2)).toBe(true);
      expect(await pgRows(url, 'SELECT sha256 FROM documents GROUP BY sha256 HAVING count(*) > 1')).toEqual([]);
      expect(await pgRows(url, `SELECT url FROM url_versions GROUP BY url HAVING count(*) > 1`)).toEqual([]);
    } finally {
      await p.close();
    }
  }, 180_000);
});
