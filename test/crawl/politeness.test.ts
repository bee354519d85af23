/**
 * Politeness and limits end to end: request spacing, Crawl-delay, the
 * in-flight counter itself, hosts, --exclude, --max-pages, the lock.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { LockedError } from '../../src/crawl/lock.js';
import { runCrawl } from '../../src/crawl/run.js';
import { openDatabase, type DB } from '../../src/store/db.js';
import { FAST, tempDb } from './helpers/crawl.js';
import { startPortal, type Portal } from './portal.js';

let portal: Portal | undefined;
let db: DB | undefined;
afterEach(async () => {
  db?.close();
  db = undefined;
  await portal?.close();
  portal = undefined;
});

/** Arrival times (ms) of the requests, in order. */
function arrivals(p: Portal): number[] {
  return p.log.map((r) => r.at).sort((a, b) => a - b);
}

describe('politeness', () => {
  it('spaces request starts on a host by --delay-ms', async () => {
    portal = await startPortal({ plain: true, reports: 2 });
    db = openDatabase(tempDb());
    await runCrawl(db, { ...FAST, delayMs: 200, maxPages: 6, startUrls: [`${portal.origin}/`] });
    const t = arrivals(portal);
    expect(t.length).toBe(7); // robots.txt + 6 pages
    // Starts are 200 ms apart at the crawler; arrivals jitter with the connection set-up
    // (the first request opens it) and the machine's load, hence the margins.
    // Without spacing the gaps would be a few ms.
    for (let i = 2; i < t.length; i++) {
      expect(t[i] - t[i - 1], `gap ${i}`).toBeGreaterThanOrEqual(100);
      expect(t[i] - t[1], `span 1..${i}`).toBeGreaterThanOrEqual((i - 1) * 200 - 60);
    }
  });

  it('obeys robots.txt Crawl-delay even when --delay-ms is 0', async () => {
    portal = await startPortal({ plain: true, reports: 2, robots: 'User-agent: *\nCrawl-delay: 0.3\nDisallow: /private/\n' });
    db = openDatabase(tempDb());
    await runCrawl(db, { ...FAST, delayMs: 0, maxPages: 4, startUrls: [`${portal.origin}/`] });
    const t = arrivals(portal);
    expect(t.length).toBe(5);
    // The gap after robots.txt itself is not bound (the delay was unknown); every later one is.
    for (let i = 2; i < t.length; i++) {
      expect(t[i] - t[i - 1], `gap ${i}`).toBeGreaterThanOrEqual(180);
      expect(t[i] - t[1], `span 1..${i}`).toBeGreaterThanOrEqual((i - 1) * 300 - 60);
    }
  });

  it('measures in-flight requests for real: a higher --concurrency shows up at the portal', async () => {
    portal = await startPortal({ plain: true, reports: 24, perPage: 24, latencyMs: 60 });
    db = openDatabase(tempDb());
    const r = await runCrawl(db, { ...FAST, concurrency: 4, startUrls: [`${portal.origin}/`] });
    const host = new URL(portal.origin).host;
    expect(portal.maxInFlight.get(host)).toBeGreaterThan(2);
    expect(portal.maxInFlight.get(host)).toBeLessThanOrEqual(4);
    expect(r.maxInFlight).toBeLessThanOrEqual(4);
  });

  it('with --concurrency 1, one request at a time', async () => {
    portal = await startPortal({ plain: true, reports: 8, perPage: 8, latencyMs: 20 });
    db = openDatabase(tempDb());
    await runCrawl(db, { ...FAST, concurrency: 1, startUrls: [`${portal.origin}/`] });
    expect(portal.maxInFlight.get(new URL(portal.origin).host)).toBe(1);
  });
});

describe('limits and scope', () => {
  it('crawls another host only when --allow-host names it', async () => {
    portal = await startPortal({ reports: 2, slowMs: 10 });
    db = openDatabase(tempDb());
    const other = new URL(portal.otherOrigin).host;
    await runCrawl(db, { ...FAST, allowHosts: [other], exclude: [/\/trap\//, /huge/], startUrls: [`${portal.origin}/`] });
    expect(portal.count('other:/robots.txt')).toBe(1);
    expect(portal.count('other:/ndbg/2012.html')).toBe(1);
    const loc = db.prepare('SELECT referrer FROM document_locations WHERE location = ?').get(`${portal.otherOrigin}/ndbg/2012.html`);
    expect(loc).toEqual({ referrer: `${portal.origin}/xxgk/ndbg/index.html` });
  });

  it('never fetches what --exclude matches', async () => {
    portal = await startPortal({ reports: 4, slowMs: 10 });
    db = openDatabase(tempDb());
    const r = await runCrawl(db, { ...FAST, exclude: [/\/files\//, /trap/], startUrls: [`${portal.origin}/`] });
    expect(portal.count('/files/')).toBe(0);
    expect(portal.count('/trap/')).toBe(0);
    expect(db.prepare(`SELECT COUNT(*) AS n FROM crawl_frontier WHERE error = 'excluded'`).get()).toEqual({ n: r.skipped - 2 });
  });

  it('stops at --max-pages and records what was left as skipped', async () => {
    portal = await startPortal({ plain: true, reports: 12 });
    db = openDatabase(tempDb());
    const r = await runCrawl(db, { ...FAST, maxPages: 5, startUrls: [`${portal.origin}/`] });
    expect(r.pages).toBe(5);
    expect(portal.log.filter((x) => x.path !== '/robots.txt')).toHaveLength(5);
    expect(r.skipped).toBeGreaterThan(0);
    expect(r).toMatchObject({ status: 'ok', exitCode: 0 });
  });

  it('stops at --max-depth', async () => {
    portal = await startPortal({ plain: true, reports: 4 });
    db = openDatabase(tempDb());
    // / (0) → /xxgk/ (1) → columns (2) → reports (3): depth 2 reaches no report.
    const r = await runCrawl(db, { ...FAST, maxDepth: 2, startUrls: [`${portal.origin}/`] });
    expect(portal.count('/art/')).toBe(0);
    expect(r.new).toBe(0);
    expect((db.prepare(`SELECT COUNT(*) AS n FROM crawl_frontier WHERE error = 'max-depth'`).get() as { n: number }).n).toBeGreaterThan(0);
  });

  it('refuses a second run on the same database while the first holds the lock', async () => {
    portal = await startPortal({ plain: true, reports: 2, latencyMs: 30 });
    db = openDatabase(tempDb());
    const a = runCrawl(db, { ...FAST, startUrls: [`${portal.origin}/`] });
    await expect(runCrawl(db, { ...FAST, startUrls: [`${portal.origin}/`] })).rejects.toBeInstanceOf(LockedError);
    expect((await a).status).toBe('ok');
    // Released at the end: the next run goes ahead.
    expect((await runCrawl(db, { ...FAST, startUrls: [`${portal.origin}/`] })).status).toBe('ok');
  });
});

describe('revalidation without ETags', () => {
  it('uses If-Modified-Since when the server only sends Last-Modified', async () => {
    portal = await startPortal({ plain: true, reports: 4, validators: 'last-modified' });
    db = openDatabase(tempDb());
    const first = await runCrawl(db, { ...FAST, startUrls: [`${portal.origin}/`] });
    portal.resetCounters();
    const second = await runCrawl(db, { ...FAST, startUrls: [`${portal.origin}/`] });
    expect(second).toMatchObject({ new: 0, changed: 0, unchanged: first.new });
    expect(portal.log.filter((r) => r.status === 304)).toHaveLength(first.new);
  });

  it('compares the bytes when the server ignores conditional requests', async () => {
    portal = await startPortal({ plain: true, reports: 4, validators: 'none' });
    db = openDatabase(tempDb());
    const first = await runCrawl(db, { ...FAST, startUrls: [`${portal.origin}/`] });
    const before = db.prepare('SELECT id, processed_at FROM documents ORDER BY id').all();
    const second = await runCrawl(db, { ...FAST, startUrls: [`${portal.origin}/`] });
    expect(second).toMatchObject({ new: 0, changed: 0, unchanged: first.new });
    expect(db.prepare('SELECT id, processed_at FROM documents ORDER BY id').all()).toEqual(before);
    expect(db.prepare('SELECT COUNT(*) AS n FROM url_versions').get()).toEqual({ n: first.new });
  });
});

describe('redirects', () => {
  it('ends redirect loops and chains, and does not follow a redirect off the host', async () => {
    const { serve } = await import('./helpers/server.js');
    const other = await serve({ '/elsewhere.html': (_q, res) => void res.writeHead(200).end('<title>2020年度报告</title>') });
    const html = (body: string) => (_q: unknown, res: import('node:http').ServerResponse) =>
      void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(body);
    const to = (location: string) => (_q: unknown, res: import('node:http').ServerResponse) => void res.writeHead(302, { location }).end();
    const routes: Record<string, (q: import('node:http').IncomingMessage, r: import('node:http').ServerResponse, n: number) => void> = {
      '/': html(
        '<a href="/loop-a.html">2021年度报告</a><a href="/away.html">2020年度报告</a>' +
          '<a href="/chain/0.html">2019年度报告</a><a href="/self.html">2018年度报告</a><a href="/ok-old.html">2017年度报告</a>' +
          '<a href="/refresh.html">2016年度报告</a>',
      ),
      '/loop-a.html': to('/loop-b.html'),
      '/loop-b.html': to('/loop-a.html'),
      '/away.html': to(`${other.origin}/elsewhere.html`),
      '/self.html': to('/self.html#again'),
      '/ok-old.html': to('/ok-new.html'),
      '/ok-new.html': html('<title>2017年政府信息公开工作年度报告</title><p>正文</p>'),
      '/refresh.html': html('<html><head><meta http-equiv="refresh" content="0;url=/refreshed.html"></head><body></body></html>'),
      '/refreshed.html': html('<title>2016年政府信息公开工作年度报告</title><p>正文</p>'),
    };
    for (let i = 0; i < 20; i++) routes[`/chain/${i}.html`] = to(`/chain/${i + 1}.html`);
    const srv = await serve(routes);
    db = openDatabase(tempDb());
    try {
      const r = await runCrawl(db, { ...FAST, startUrls: [`${srv.origin}/`] });
      const state = (p: string) =>
        db!.prepare('SELECT state, error FROM crawl_frontier WHERE url = ?').get(srv.origin + p) as { state: string; error: string | null };
      expect(srv.counts.get('/loop-a.html')).toBe(1);
      expect(srv.counts.get('/loop-b.html')).toBe(1);
      expect(state('/loop-b.html')).toEqual({ state: 'failed', error: 'redirect-loop' });
      expect(state('/self.html')).toEqual({ state: 'failed', error: 'redirect-loop' });
      expect(state('/away.html')).toEqual({ state: 'skipped', error: 'off-host-redirect' });
      expect(other.counts.size).toBe(0);
      // 0 → 1 → … → 5 is followed; the 6th redirect is refused.
      expect(srv.counts.get('/chain/5.html')).toBe(1);
      expect(srv.counts.get('/chain/6.html')).toBeUndefined();
      expect(state('/chain/5.html')).toEqual({ state: 'failed', error: 'too-many-redirects' });
      // A plain redirect and a meta refresh end in the document, stored under its final URL.
      expect(db.prepare('SELECT location, referrer FROM document_locations ORDER BY location').all()).toEqual([
        { location: `${srv.origin}/ok-new.html`, referrer: `${srv.origin}/` },
        { location: `${srv.origin}/refreshed.html`, referrer: `${srv.origin}/` },
      ]);
      expect(db.prepare('SELECT outcome, redirect_to FROM crawl_frontier WHERE url = ?').get(`${srv.origin}/refresh.html`)).toEqual({
        outcome: 'redirect',
        redirect_to: `${srv.origin}/refreshed.html`,
      });
      expect(r).toMatchObject({ new: 2, status: 'ok', exitCode: 0 });
    } finally {
      await srv.close();
      await other.close();
    }
  });
});
