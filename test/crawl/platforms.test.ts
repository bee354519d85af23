/**
 * The platform adapters end to end: each stand-in portal (test/crawl/platform-portals.ts)
 * crawled from its home page must yield every report, through the platform's
 * own list transport, with the error answers recorded as failures with their message.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCrawl, type CrawlResult } from '../../src/crawl/run.js';
import { openDatabase, type DB } from '../../src/store/db.js';
import { FAST, tempDb } from './helpers/crawl.js';
import { startGkmlpt, startHanweb, startJpaas, startTrs, startXxgk, type PlatformPortal } from './platform-portals.js';

const OPTS = { ...FAST, maxListingPages: 20 };

function stored(db: DB): Set<string> {
  return new Set((db.prepare('SELECT location FROM document_locations').all() as Array<{ location: string }>).map((r) => r.location));
}

function missing(db: DB, p: PlatformPortal): string[] {
  const s = stored(db);
  return p.expected.filter((u) => !s.has(u));
}

async function crawlOne(start: () => Promise<PlatformPortal>) {
  const portal = await start();
  const db = openDatabase(tempDb());
  const r = await runCrawl(db, { ...OPTS, startUrls: [portal.start] });
  return { portal, db, r };
}

describe('Hanweb jpage', () => {
  let c: { portal: PlatformPortal; db: DB; r: CrawlResult };
  beforeAll(async () => {
    c = await crawlOne(() => startHanweb({ overlap: true }));
  });
  afterAll(async () => {
    c.db.close();
    await c.portal.close();
  });

  it('finds every report of the embedded first group, the POSTed groups, the InitData variant and the GET-only column', () => {
    expect(c.portal.expected.length).toBeGreaterThan(50);
    expect(missing(c.db, c.portal)).toEqual([]);
  });

  it('posts the groups as the plugin does: startrecord/endrecord/perpage, the params as a form body, a Referer', () => {
    const posts = c.portal.log.filter((l) => l.method === 'POST');
    expect(posts.map((p) => p.path).sort()).toEqual(
      [
        '/module/jslib/jquery/jpage/dataproxy.jsp?startrecord=26&endrecord=40&perpage=25',
        '/module/web/jpage/dataproxy.jsp?startrecord=46&endrecord=90&perpage=15',
        '/module/web/jpage/dataproxy.jsp?startrecord=91&endrecord=100&perpage=15',
      ].sort(),
    );
    for (const p of posts) {
      const form = new URLSearchParams(p.body);
      expect(form.get('unitid'), p.path).toMatch(/^(745545|49468)$/);
      expect(form.get('columnid')).toMatch(/^(59960|30067)$/);
      expect(form.get('webname')).toBeTruthy();
      expect(p.referer).toMatch(/\/col\/col(59960|30067)\/index\.html$/);
    }
    // The GET column was paged through its nextgroup link.
    expect(
      c.portal.log.filter((l) => l.method === 'GET' && l.path.includes('dataproxy.jsp') && l.path.includes('columnid=777')).length,
    ).toBe(3);
  });

  it('decodes Content-Disposition names (GBK bytes, RFC 5987, RFC 2047) and showname=', () => {
    const names = (
      c.db.prepare(`SELECT filename FROM crawl_frontier WHERE url LIKE '%/attach/0/%' AND filename IS NOT NULL`).all() as Array<{
        filename: string;
      }>
    ).map((r) => r.filename);
    expect(names.length).toBeGreaterThan(10);
    for (const n of names) expect(n).toMatch(/^[汉旧取]第\d+单位\d{4}年政府信息公开工作年度报告\.pdf$/);
  });

  it('reports no failures', () => {
    expect(c.r.failed).toBe(0);
    expect(c.r.hosts).toHaveLength(1);
    expect(c.r.hosts[0]).toMatchObject({ failed: 0, lastError: null });
  });
});

describe('Hanweb JPaaS', () => {
  let c: { portal: PlatformPortal; db: DB; r: CrawlResult };
  beforeAll(async () => {
    c = await crawlOne(startJpaas);
  });
  afterAll(async () => {
    c.db.close();
    await c.portal.close();
  });

  it('pages the unit API with paramJson and finds every report', () => {
    expect(missing(c.db, c.portal)).toEqual([]);
    const pages = c.portal.log
      .filter((l) => l.path.startsWith('/api-gateway/') && !l.path.includes('broken'))
      .map((l) => (JSON.parse(new URL(l.path, 'http://x').searchParams.get('paramJson')!) as { pageNo: number }).pageNo)
      .sort();
    expect(pages).toEqual([1, 2, 3, 4]);
    expect(c.portal.log.filter((l) => l.path.startsWith('/api-gateway/')).every((l) => l.status !== 403)).toBe(true);
  });

  it('records a 200 answer with success:false as a failure with its message, not an empty list', () => {
    const f = c.db
      .prepare(`SELECT state, error, error_message, http_status FROM crawl_frontier WHERE fetch_url LIKE '%pageId=broken%'`)
      .get();
    expect(f).toEqual({ state: 'failed', error: 'api-error', error_message: '栏目不存在或已停用', http_status: 200 });
    expect(c.r.hosts[0].lastError).toBe('api-error: 栏目不存在或已停用');
  });
});

describe('Guangdong gkmlpt', () => {
  let c: { portal: PlatformPortal; db: DB; r: CrawlResult };
  beforeAll(async () => {
    c = await crawlOne(startGkmlpt);
  });
  afterAll(async () => {
    c.db.close();
    await c.portal.close();
  });

  it('lists the report category through the API and finds every report and attachment', () => {
    expect(missing(c.db, c.portal)).toEqual([]);
    const api = c.portal.log.filter((l) => l.path.includes('/gkmlpt/api/'));
    expect(api.map((l) => l.path).sort()).toEqual([
      '/szzsj/gkmlpt/api/all/21023?page=1&sid=755001',
      '/szzsj/gkmlpt/api/all/21023?page=2&sid=755001',
      '/szzsj/gkmlpt/api/all/21023?page=3&sid=755001',
    ]);
  });

  it('reads the article text from _CONFIG.DETAIL.content', () => {
    const rows = c.db
      .prepare(
        `SELECT t.body FROM document_text t JOIN document_locations l ON l.document_id = t.rowid WHERE l.location LIKE '%/gkmlpt/content/%'`,
      )
      .all() as Array<{ body: string }>;
    expect(rows.length).toBe(23);
    for (const r of rows) expect(r.body).toContain('本年新收政府信息公开申请数量');
  });
});

describe('TRS', () => {
  let c: { portal: PlatformPortal; db: DB; r: CrawlResult };
  beforeAll(async () => {
    c = await crawlOne(startTrs);
  });
  afterAll(async () => {
    c.db.close();
    await c.portal.close();
  });

  it('follows 6-argument createPageHTML, createPage with a variable count, and document.writeln items', () => {
    expect(missing(c.db, c.portal)).toEqual([]);
    const paths = c.portal.log.map((l) => l.path);
    expect(paths).toContain('/xxgk/ndbg/index_2.shtml');
    expect(paths).toContain('/cq/ndbg/index_1.html');
    expect(paths).not.toContain('/xxgk/ndbg/index_3.shtml');
  });

  it('never requests the dead OLDSRC path or the pdf.js viewer, only the file', () => {
    const paths = c.portal.log.map((l) => l.path);
    expect(paths.filter((p) => p.startsWith('/protect/') || p.startsWith('/pdfjs/'))).toEqual([]);
    expect(c.db.prepare(`SELECT COUNT(*) AS n FROM crawl_frontier WHERE url LIKE '%/protect/%' OR url LIKE '%viewer.html%'`).get()).toEqual(
      { n: 0 },
    );
  });

  it('records an HTML error page served for a PDF link as a failure, not a document', () => {
    const rows = c.db.prepare(`SELECT state, error, error_message FROM crawl_frontier WHERE url LIKE '%/P0202401200000%'`).all() as Array<{
      state: string;
      error: string;
      error_message: string;
    }>;
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r).toEqual({ state: 'failed', error: 'error-page', error_message: '404 错误' });
    expect(c.db.prepare(`SELECT COUNT(*) AS n FROM document_locations WHERE location LIKE '%/P0202401200000%'`).get()).toEqual({ n: 0 });
  });

  it('stores the encrypted PDF with its error code', () => {
    const rows = c.db
      .prepare(
        `SELECT d.error_code FROM documents d JOIN document_locations l ON l.document_id = d.id WHERE l.location LIKE '%/P0202401209%'`,
      )
      .all() as Array<{ error_code: string | null }>;
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r.error_code).toBeTruthy();
  });
});

describe('Hanweb xxgk directory', () => {
  it('posts search.jsp with the loadDynamic parameters and pages it by 共N页', async () => {
    const c = await crawlOne(startXxgk);
    try {
      expect(missing(c.db, c.portal)).toEqual([]);
      const posts = c.portal.log.filter((l) => l.path.startsWith('/module/xxgk/search.jsp'));
      expect(posts.map((p) => new URLSearchParams(p.body).get('currpage')).sort()).toEqual(['1', '2', '3']);
      for (const p of posts) {
        expect(p.method).toBe('POST');
        expect(new URLSearchParams(p.body).get('divid')).toBe('div4');
      }
    } finally {
      c.db.close();
      await c.portal.close();
    }
  });
});

describe('all platforms in one run', () => {
  it('finds every report of every portal, with per-host counts', async () => {
    const portals = await Promise.all([startHanweb(), startJpaas(), startGkmlpt(), startTrs(), startXxgk()]);
    const db = openDatabase(tempDb());
    try {
      const r = await runCrawl(db, { ...OPTS, startUrls: portals.map((p) => p.start) });
      for (const p of portals) expect(missing(db, p), p.kind).toEqual([]);
      const hosts = db
        .prepare('SELECT host, pages, reports, failed, last_error FROM crawl_hosts WHERE run_id = ? ORDER BY host')
        .all(r.runId) as Array<{
        host: string;
        pages: number;
        reports: number;
        failed: number;
        last_error: string | null;
      }>;
      expect(hosts.map((h) => h.host).sort()).toEqual(portals.map((p) => new URL(p.origin).host).sort());
      for (const h of hosts) expect(h.pages).toBeGreaterThan(10);
      // The JPaaS portal's broken unit and the TRS portal's error pages.
      expect(db.prepare('SELECT hosts, hosts_failing FROM crawl_runs WHERE id = ?').get(r.runId)).toEqual({ hosts: 5, hosts_failing: 2 });
      const host = (p: PlatformPortal) => hosts.find((h) => h.host === new URL(p.origin).host)!;
      expect(host(portals[1]).last_error).toBe('api-error: 栏目不存在或已停用');
      expect(host(portals[3]).last_error).toBe('error-page: 404 错误');
      expect(host(portals[0]).failed + host(portals[2]).failed).toBe(0);
    } finally {
      db.close();
      await Promise.all(portals.map((p) => p.close()));
    }
  });
});
