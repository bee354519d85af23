/**
 * The crawler against the fixture portal: first run, nightly rerun after the
 * portal changed, a silent edit of an attachment. One database across the
 * three runs, as in production.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCrawl, type CrawlResult } from '../../src/crawl/run.js';
import { openDatabase, type DB } from '../../src/store/db.js';
import { countingIngest, FAST, tempDb } from './helpers/crawl.js';
import { startPortal, type Portal } from './portal.js';

let portal: Portal;
let db: DB;
const counter = countingIngest();
let first: CrawlResult;
let storedUrls: string[] = [];

/** Later runs leave out the slow page: its timeouts were tested in the first one. */
const LATER = { ...FAST, exclude: [/slow-2016/] };

const rows = <T>(sql: string, ...args: unknown[]) => db.prepare(sql).all(...args) as T[];
const one = <T>(sql: string, ...args: unknown[]) => db.prepare(sql).get(...args) as T;

beforeAll(async () => {
  // The slow page answers after a minute: it times out however busy the machine is.
  portal = await startPortal({ reports: 8, slowMs: 60_000 });
  db = openDatabase(tempDb());
});
afterAll(async () => {
  db?.close();
  await portal?.close();
});

describe('first run', () => {
  beforeAll(async () => {
    first = await runCrawl(db, { ...FAST, timeoutMs: 2500, startUrls: [`${portal.origin}/`] }, { onIngested: counter.onIngested });
  });

  it('finds and stores every report with its source URL and the page that linked it', () => {
    const expected = portal.expectedDocuments();
    const locations = new Map(
      rows<{ location: string; referrer: string; kind: string }>('SELECT location, referrer, kind FROM document_locations').map((r) => [
        r.location,
        r,
      ]),
    );
    for (const e of expected) {
      const loc = locations.get(e.url);
      expect(loc, e.url).toBeDefined();
      expect(loc!.kind).toBe('url');
      expect(e.linkedFrom, `referrer of ${e.url}`).toContain(loc!.referrer);
    }
    // Nothing else: listing pages, the home page and the trap are read for links, not stored.
    expect([...locations.keys()].sort()).toEqual(expected.map((e) => e.url).sort());
    storedUrls = expected.map((e) => e.url);
  });

  it('stores the same content at two URLs once, with both locations', () => {
    const a = one<{ document_id: number }>(
      'SELECT document_id FROM document_locations WHERE location LIKE ?',
      '%downfile.jsp?classid=0&id=1',
    );
    const b = one<{ document_id: number }>('SELECT document_id FROM document_locations WHERE location LIKE ?', '%/files/copy/r1.pdf');
    expect(a.document_id).toBe(b.document_id);
    expect(one<{ n: number }>('SELECT COUNT(*) AS n FROM documents').n).toBe(storedUrls.length - 1);
  });

  it('records one url_versions row per stored URL, and the run summary adds up', () => {
    expect(one<{ n: number }>(`SELECT COUNT(*) AS n FROM url_versions WHERE status = 'new'`).n).toBe(storedUrls.length);
    expect(first).toMatchObject({ new: storedUrls.length - 1, unchanged: 1, changed: 0, status: 'ok', exitCode: 0, resumed: false });
    // 404, the slow page (timeout) and the two huge files.
    expect(first.failed).toBe(4);
    // /private/ and /private/2015.html.
    expect(first.blocked).toBe(2);
    const run = one<Record<string, unknown>>('SELECT * FROM crawl_runs WHERE id = ?', first.runId);
    expect(run).toMatchObject({ status: 'ok', new: first.new, failed: first.failed, pages: first.pages, bytes: first.bytes });
    expect(first.pages).toBe(one<{ n: number }>('SELECT COUNT(*) AS n FROM crawl_frontier WHERE fetched_at IS NOT NULL').n);
  });

  it('sends no request to a robots.txt-disallowed path or to another host', () => {
    expect(portal.count('/private')).toBe(0);
    expect(portal.count('other:')).toBe(0);
    expect(portal.requests.get('/robots.txt')).toBe(1);
    const skipped = rows<{ url: string; error: string }>(
      `SELECT url, error FROM crawl_frontier WHERE state = 'skipped' AND error = 'off-host'`,
    );
    expect(skipped.map((s) => s.url).sort()).toEqual([`${portal.otherOrigin}/ndbg/`, `${portal.otherOrigin}/ndbg/2012.html`]);
  });

  it('never has more requests in flight on the host than --concurrency', () => {
    const host = new URL(portal.origin).host;
    expect(portal.maxInFlight.get(host)).toBeLessThanOrEqual(2);
    expect(first.maxInFlight).toBeLessThanOrEqual(2);
  });

  it('bounds the endless calendar and collapses session-id links', () => {
    // month=0 … month=5 (maxListingPages 5); month=6 is recorded as skipped, not fetched.
    const paths = [...portal.requests.keys()];
    expect(paths.filter((p) => p.startsWith('/trap/')).sort()).toEqual([0, 1, 2, 3, 4, 5].map((m) => `/trap/calendar?month=${m}`));
    // The session-id variants of every page collapsed into the page itself.
    expect(paths.filter((p) => /jsessionid|[?&]sid=/i.test(p))).toEqual([]);
    expect(one<{ n: number }>(`SELECT COUNT(*) AS n FROM crawl_frontier WHERE error = 'max-listing-pages'`).n).toBe(1);
    expect(rows(`SELECT url FROM crawl_frontier WHERE url LIKE '%jsessionid%' OR url LIKE '%?sid=%' OR url LIKE '%&sid=%'`)).toEqual([]);
  });

  it('cuts off the huge files, records them and goes on', () => {
    expect(portal.requests.get('/files/huge.pdf')).toBe(1);
    expect(portal.hugeSent()).toBeLessThan(32 * 1024 * 1024);
    const versions = rows<{ url: string; status: string; bytes: number }>(
      `SELECT url, status, bytes FROM url_versions WHERE status = 'too-large' ORDER BY url`,
    );
    expect(versions.map((v) => v.url)).toEqual([`${portal.origin}/files/huge-declared.pdf`, `${portal.origin}/files/huge.pdf`]);
    expect(versions[0].bytes).toBe(64 * 1024 * 1024);
    expect(versions[1].bytes).toBeGreaterThan(1024 * 1024);
    const f = rows<{ error: string }>(`SELECT error FROM crawl_frontier WHERE url LIKE '%/files/huge%'`);
    expect(f.map((x) => x.error)).toEqual(['too-large', 'too-large']);
  });

  it('retries the 500 until it succeeds, gives up on the slow page, does not retry the 404', () => {
    expect(portal.requests.get('/art/flaky-2017.html')).toBe(3);
    expect(portal.requests.get('/art/slow-2016.html')).toBe(3);
    expect(portal.requests.get('/art/missing-2018.html')).toBe(1);
    const state = (p: string) =>
      one<{ state: string; error: string | null }>('SELECT state, error FROM crawl_frontier WHERE url = ?', portal.origin + p);
    expect(state('/art/slow-2016.html')).toEqual({ state: 'failed', error: 'timeout' });
    expect(state('/art/missing-2018.html')).toEqual({ state: 'failed', error: 'http-404' });
    expect(state('/art/flaky-2017.html')).toEqual({ state: 'done', error: null });
  });

  it('follows the 302 and records the final URL', () => {
    const r = one<{ outcome: string; redirect_to: string }>(
      'SELECT outcome, redirect_to FROM crawl_frontier WHERE url = ?',
      `${portal.origin}/art/old-2019.html`,
    );
    expect(r).toEqual({ outcome: 'redirect', redirect_to: `${portal.origin}/art/2019/moved.html` });
    expect(rows(`SELECT 1 FROM document_locations WHERE location LIKE '%old-2019%'`)).toEqual([]);
  });

  it('keeps report rows consistent with what the pipeline recognised', () => {
    // The extractors and the mapping are still landing: whatever they recognise must be stored.
    for (const c of counter.calls.filter((x) => x.hasReport)) {
      expect(one('SELECT 1 AS ok FROM reports WHERE document_id = ?', c.documentId), c.location).toEqual({ ok: 1 });
    }
  });
});

describe('nightly rerun after the portal changed one report and added one', () => {
  let second: CrawlResult;
  let added: number;
  beforeAll(async () => {
    portal.changeReport(4);
    added = portal.addReport();
    portal.resetCounters();
    counter.calls.length = 0;
    second = await runCrawl(db, { ...LATER, startUrls: [`${portal.origin}/`] }, { onIngested: counter.onIngested });
  });

  it('answers unchanged documents with 304 and does not read them again', () => {
    const stored = new Set(storedUrls.map((u) => u.slice(portal.origin.length)));
    const revisits = portal.log.filter((r) => stored.has(r.path) && r.path !== '/art/r4.html');
    expect(new Set(revisits.map((r) => r.path)).size).toBe(stored.size - 1);
    for (const r of revisits) expect([r.path, r.conditional, r.status]).toEqual([r.path, true, 304]);
    // Only the changed and the new report went through the pipeline.
    expect(counter.calls.map((c) => c.location.slice(portal.origin.length)).sort()).toEqual(['/art/r4.html', `/art/r${added}.html`]);
  });

  it('stores the changed report as a new version and keeps the old one', () => {
    const v = rows<{ status: string; document_id: number; sha256: string }>(
      'SELECT status, document_id, sha256 FROM url_versions WHERE url = ? ORDER BY id',
      `${portal.origin}/art/r4.html`,
    );
    expect(v.map((x) => x.status)).toEqual(['new', 'changed']);
    expect(v[0].document_id).not.toBe(v[1].document_id);
    expect(v[0].sha256).not.toBe(v[1].sha256);
    expect(one<{ n: number }>('SELECT COUNT(*) AS n FROM documents WHERE id IN (?, ?)', v[0].document_id, v[1].document_id).n).toBe(2);
    expect(rows<{ url: string }>('SELECT DISTINCT url FROM url_edits').map((r) => r.url)).toEqual([`${portal.origin}/art/r4.html`]);
  });

  it('adds the new report and says so in the summary', () => {
    expect(rows('SELECT 1 FROM document_locations WHERE location = ?', `${portal.origin}/art/r${added}.html`)).toHaveLength(1);
    expect(second).toMatchObject({ new: 1, changed: 1, unchanged: storedUrls.length - 1, status: 'ok', exitCode: 0 });
    expect(one<{ n: number }>('SELECT COUNT(*) AS n FROM crawl_runs').n).toBe(2);
  });

  it('reads listing pages in full every night (that is how new reports show up)', () => {
    const listings = portal.log.filter((r) => r.path.startsWith('/xxgk/ndbg/') || r.path.startsWith('/bm/ndbg/'));
    expect(listings.length).toBeGreaterThanOrEqual(5);
    for (const r of listings) expect([r.path, r.conditional, r.status]).toEqual([r.path, false, 200]);
  });

  it('does not add url_versions rows for what did not change', () => {
    expect(one<{ n: number }>('SELECT COUNT(*) AS n FROM url_versions').n).toBe(
      storedUrls.length + 2 /* too-large */ + 2 /* r4 changed, new report */,
    );
  });
});

describe('a silent edit of an attachment behind an unchanged report page', () => {
  it('is found through the links of the page the server answered 304 for', async () => {
    portal.editAttachment(1);
    portal.resetCounters();
    counter.calls.length = 0;
    const docsBefore = one<{ n: number }>('SELECT COUNT(*) AS n FROM documents').n;
    const third = await runCrawl(db, { ...LATER, startUrls: [`${portal.origin}/`] }, { onIngested: counter.onIngested });
    expect(portal.log.find((r) => r.path === '/art/r1.html')).toMatchObject({ conditional: true, status: 304 });
    // Both URLs serving that PDF changed: two new versions, one new document.
    expect(third).toMatchObject({ new: 0, changed: 2 });
    expect(one<{ n: number }>('SELECT COUNT(*) AS n FROM documents').n).toBe(docsBefore + 1);
    const v = rows<{ status: string }>(`SELECT status FROM url_versions WHERE url LIKE '%downfile.jsp?classid=0&id=1' ORDER BY id`);
    expect(v.map((x) => x.status)).toEqual(['new', 'changed']);
  });
});

describe('reports that no page links any more', () => {
  it('are revisited: an edit and a removal are recorded; without revisits they go unnoticed', async () => {
    portal.unlist(0);
    portal.changeReport(0);
    // r6 is linked from no other report page (inline reports link their neighbours).
    portal.unlist(6);
    portal.remove(6);
    portal.resetCounters();
    const blind = await runCrawl(db, { ...LATER, revisit: false, startUrls: [`${portal.origin}/`] });
    expect(blind.changed).toBe(0);
    expect(portal.count('/art/r0.html') + portal.count('/art/r6.html')).toBe(0);

    portal.resetCounters();
    const r = await runCrawl(db, { ...LATER, startUrls: [`${portal.origin}/`] });
    expect(r.changed).toBe(1);
    const versions = (url: string) =>
      rows<{ status: string }>('SELECT status FROM url_versions WHERE url = ? ORDER BY id', `${portal.origin}${url}`).map((v) => v.status);
    expect(versions('/art/r0.html')).toEqual(['new', 'changed']);
    expect(versions('/art/r6.html')).toEqual(['new', 'gone']);
    expect(portal.log.find((x) => x.path === '/art/r6.html')).toMatchObject({ status: 404, conditional: true });
    // Its attachment is still there and unchanged.
    expect(portal.log.find((x) => x.path === '/files/r6.docx')).toMatchObject({ status: 304, conditional: true });
  });
});
