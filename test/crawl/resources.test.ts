/**
 * Page images of an image-only report: when the ingest service asks for a
 * document's resources, the crawler fetches them like attachments, under the
 * same host scope, robots.txt, politeness gate and size cap, and records them
 * in the frontier. (No extractor on main lists resources yet, so the service's
 * call is made here by a submit that asks as the OCR reader will.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCrawl } from '../../src/crawl/run.js';
import type { IngestOutcome, Submission } from '../../src/pipeline/service.js';
import { openDatabase } from '../../src/store/db.js';
import { FAST, tempDb } from './helpers/crawl.js';
import { serve } from './helpers/server.js';

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
let site: Awaited<ReturnType<typeof serve>>;

beforeAll(async () => {
  const html = (body: string) => (_q: unknown, res: import('node:http').ServerResponse) =>
    void res
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      .end(
        `<!DOCTYPE html><html><head><meta charset="utf-8"><title>2023年政府信息公开工作年度报告</title></head><body>${body}</body></html>`,
      );
  site = await serve({
    '/robots.txt': (_q, res) => void res.writeHead(200, { 'content-type': 'text/plain' }).end('User-agent: *\nDisallow: /private/\n'),
    '/': html('<a href="/ndbg/2023.html">2023年政府信息公开工作年度报告</a>'),
    '/ndbg/2023.html': html('<h1>2023年政府信息公开工作年度报告</h1><img src="scan/p1.png"><img src="scan/p2.png">'),
    '/ndbg/scan/p1.png': (_q, res) => void res.writeHead(200, { 'content-type': 'image/png' }).end(PNG),
    '/ndbg/scan/big.png': (_q, res) => void res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.alloc(2 * 1024 * 1024)),
    '/private/p3.png': (_q, res) => void res.writeHead(200, { 'content-type': 'image/png' }).end(PNG),
  });
});
afterAll(async () => {
  await site.close();
});

describe('resources asked for by the ingest service', () => {
  it('are fetched through the crawler’s rules and recorded like attachments', async () => {
    const db = openDatabase(tempDb());
    const got = new Map<string, Uint8Array | undefined>();
    let asked = false;
    const submit = async (sub: Submission): Promise<IngestOutcome> => {
      if (sub.location.endsWith('/ndbg/2023.html') && sub.resources && !asked) {
        asked = true;
        for (const ref of ['scan/p1.png', 'scan/big.png', '/private/p3.png', 'http://127.0.0.1:9/p4.png', 'scan/missing.png'])
          got.set(ref, await sub.resources(ref));
      }
      const id = Number(
        db.prepare(`INSERT INTO documents (sha256, size, pipeline_version, processed_at) VALUES (hex(randomblob(16)), 1, 't', 'now')`).run()
          .lastInsertRowid,
      );
      return { status: 'new', documentId: id, sha256: String(id), errorCode: null, hasReport: true, contentHash: null };
    };
    try {
      await runCrawl(db, { ...FAST, startUrls: [`${site.origin}/`] }, { submit });
      expect(asked).toBe(true);
      expect(Buffer.from(got.get('scan/p1.png')!)).toEqual(PNG);
      expect(got.get('scan/big.png')).toBeUndefined(); // over --max-bytes (1 MiB in FAST)
      expect(got.get('/private/p3.png')).toBeUndefined(); // robots.txt
      expect(got.get('http://127.0.0.1:9/p4.png')).toBeUndefined(); // another host (port): never contacted
      expect(got.get('scan/missing.png')).toBeUndefined(); // 404
      expect(site.counts.get('/private/p3.png')).toBeUndefined();
      const p1 = site.seen.find((r) => r.url === '/ndbg/scan/p1.png')!;
      expect(p1.headers.referer).toBe(`${site.origin}/ndbg/2023.html`);
      expect(p1.headers['user-agent']).toMatch(/^ogi\//);
      const rows = db.prepare(`SELECT url, state, error FROM crawl_frontier WHERE anchor = 'resource' ORDER BY url`).all() as Array<{
        url: string;
        state: string;
        error: string | null;
      }>;
      expect(rows).toEqual([
        { url: `${site.origin}/ndbg/scan/big.png`, state: 'failed', error: 'too-large' },
        { url: `${site.origin}/ndbg/scan/missing.png`, state: 'failed', error: 'http-404' },
        { url: `${site.origin}/ndbg/scan/p1.png`, state: 'done', error: null },
        { url: `${site.origin}/private/p3.png`, state: 'blocked', error: 'robots' },
        { url: 'http://127.0.0.1:9/p4.png', state: 'skipped', error: 'off-host' },
      ]);
    } finally {
      db.close();
    }
  });
});
