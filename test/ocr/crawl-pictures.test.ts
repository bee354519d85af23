/**
 * A crawled 图片版 report end to end: the portal's article is page pictures;
 * the HTML reader asks for them, the crawler fetches them under its rules
 * (same host scope, robots.txt, gate and size cap as attachments, recorded in
 * the frontier), and the pictures are read by OCR into the report's fields.
 * Needs tesseract with chi_sim; skips, saying why, without it.
 */
import { readFileSync, readdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineStatus } from '../../extractors/ocr/tesseract.js';
import { runCrawl } from '../../src/crawl/run.js';
import { openDatabase } from '../../src/store/db.js';
import { loadDocument } from '../../src/store/documents.js';
import { SqliteStore } from '../../src/store/store.js';
import { FAST } from '../crawl/helpers/crawl.js';
import { serve } from '../crawl/helpers/server.js';
import { ROOT } from '../helpers/gold.js';

const DIR = join(ROOT, 'test', 'fixtures', 'ocr');
const GOLD = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/pdf-form/form2021-filled.json'), 'utf8')) as {
  agency: string;
  year: number;
  fields: Record<string, number | null>;
};
const engine = await engineStatus();
if (!engine.ok) console.warn(`crawled picture report test skipped: ${engine.reason}`);

let portal: Awaited<ReturnType<typeof serve>>;
beforeAll(async () => {
  const page = readFileSync(join(DIR, 'filled-150.html'));
  const routes: Parameters<typeof serve>[0] = {
    '/robots.txt': (_q, res) => res.writeHead(404).end(),
    '/xxgk/ndbg/index.html': (_q, res) =>
      res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end(
          '<html><head><meta charset="utf-8"><title>政府信息公开工作年度报告</title></head><body><a href="/xxgk/ndbg/2023.html">示范市自然资源局2023年度政府信息公开工作年度报告</a></body></html>',
        ),
    '/xxgk/ndbg/2023.html': (_q, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page),
  };
  for (const f of readdirSync(join(DIR, 'filled-150_files'))) {
    const bytes = readFileSync(join(DIR, 'filled-150_files', f));
    routes[`/xxgk/ndbg/filled-150_files/${f}`] = (_q, res) => res.writeHead(200, { 'content-type': 'image/jpeg' }).end(bytes);
  }
  portal = await serve(routes);
});
afterAll(async () => {
  await portal?.close();
});

describe('a crawled report made of page pictures', () => {
  it.skipIf(!engine.ok)(
    'is fetched with its pictures and read by OCR into exact fields',
    async () => {
      const store = new SqliteStore(openDatabase(join(mkdtempSync(join(tmpdir(), 'ogi-crawl-pictures-')), 'ogi.sqlite')));
      try {
        const r = await runCrawl(store.db, { ...FAST, startUrls: [`${portal.origin}/xxgk/ndbg/index.html`] });
        expect(r.failed).toBe(0);
        // The four pictures were fetched as resources of the article, through the frontier.
        const fetched = store.db.prepare(`SELECT url, state FROM crawl_frontier WHERE anchor = 'resource' ORDER BY url`).all() as {
          url: string;
          state: string;
        }[];
        expect(fetched.map((f) => f.url.replace(/^.*\//, ''))).toEqual(['page1.jpg', 'page2.jpg', 'page3.jpg', 'page4.jpg']);
        expect(fetched.every((f) => f.state === 'done')).toBe(true);
        const id = store.db
          .prepare(`SELECT r.document_id FROM reports r JOIN documents d ON d.id = r.document_id WHERE d.extractor = 'html:ocr'`)
          .pluck()
          .get() as number | undefined;
        expect(id, 'the article is stored as a report read by OCR').toBeDefined();
        const doc = loadDocument(store.db, id!);
        expect(doc.report).toMatchObject({ agency: GOLD.agency, year: GOLD.year, template: '2021' });
        let exact = 0;
        for (const [k, v] of Object.entries(GOLD.fields)) {
          const f = doc.fields[k];
          if (f?.value === v) exact++;
          // A wrong value is never confident.
          else if (f) expect(f.confidence, `${k}: ${v} read ${f.value}`).toBeLessThan(0.5);
        }
        expect(exact / Object.keys(GOLD.fields).length).toBeGreaterThanOrEqual(0.99);
        expect(Object.values(doc.fields).every((f) => f.source.method === 'ocr-ruled')).toBe(true);
      } finally {
        await store.close();
      }
    },
    600_000,
  );
});
