/**
 * `ogi ingest` and `ogi crawl` store through the same service: the same
 * documents give the same stored results and the same findings, cross-report
 * ones included, whichever source brought them.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentJson } from '../../src/contract/json.js';
import { runCrawl } from '../../src/crawl/run.js';
import { ingestFiles } from '../../src/pipeline/ingest-files.js';
import { IngestService } from '../../src/pipeline/service.js';
import { openDatabase } from '../../src/store/db.js';
import { loadDocument } from '../../src/store/documents.js';
import { SqliteStore } from '../../src/store/store.js';
import { FAST } from '../crawl/helpers/crawl.js';
import { serve } from '../crawl/helpers/server.js';
import { randomReport, renderHtml, renderText } from '../generate/synth/index.js';
import { ROOT } from '../helpers/gold.js';

const agency = '示范市一致性测试局';
const y2022 = randomReport(7, { template: '2021', year: 2022, agency, blankForZero: false, scale: 'medium' });
const y2023 = randomReport(8, { template: '2021', year: 2023, agency, blankForZero: false, scale: 'medium' });

/** name on disk / path on the portal → bytes, content type. */
const DOCS: Array<{ file: string; path: string; type: string; bytes: Uint8Array }> = [
  {
    file: 'shanghai.html',
    path: '/art/shanghai.html',
    type: 'text/html; charset=utf-8',
    bytes: readFileSync(join(ROOT, 'corpus/shanghai_office_2019.html')),
  },
  {
    file: 'hzq2023.pdf',
    path: '/files/hzq2023.pdf',
    type: 'application/pdf',
    bytes: readFileSync(join(ROOT, 'corpus/hzq2023_working.pdf')),
  },
  {
    file: 'form.docx',
    path: '/files/form.docx',
    type: 'application/octet-stream',
    bytes: readFileSync(join(ROOT, 'test/fixtures/docx/form2021-filled.docx')),
  },
  { file: 'a-2023.html', path: '/art/a-2023.html', type: 'text/html; charset=utf-8', bytes: renderHtml(y2023, 'official').bytes },
  { file: 'b-2022.txt', path: '/files/b-2022.txt', type: 'text/plain; charset=utf-8', bytes: renderText(y2022, 'cells-per-line').bytes },
];

/** Each stored document as the contract prints it, keyed by sha256, without what depends on the source (paths, ids). */
function storedDocuments(store: SqliteStore): Map<string, Record<string, unknown>> {
  const ids = store.db.prepare('SELECT id FROM documents ORDER BY id').pluck().all() as number[];
  const out = new Map<string, Record<string, unknown>>();
  for (const id of ids) {
    const j = documentJson(loadDocument(store.db, id));
    delete j.file;
    delete j.source_url;
    delete j.report_id;
    j.findings = (j.findings as Array<Record<string, unknown>>).map(({ other_report_id, ...f }) => ({
      ...f,
      other: other_report_id !== undefined,
    }));
    out.set(j.sha256 as string, j);
  }
  return out;
}

let crawled: SqliteStore;
let ingested: SqliteStore;
let portal: Awaited<ReturnType<typeof serve>>;

beforeAll(async () => {
  const listing = `<html><head><meta charset="utf-8"><title>政府信息公开工作年度报告</title></head><body><ul>
    ${DOCS.map((d, i) => `<li><a href="${d.path}">示范单位${2019 + i}年政府信息公开工作年度报告</a></li>`).join('\n')}
  </ul></body></html>`;
  const routes: Parameters<typeof serve>[0] = {
    '/robots.txt': (_q, res) => res.writeHead(404).end(),
    '/xxgk/ndbg/index.html': (_q, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(listing),
  };
  for (const d of DOCS) routes[d.path] = (_q, res) => res.writeHead(200, { 'content-type': d.type }).end(d.bytes);
  portal = await serve(routes);

  crawled = new SqliteStore(openDatabase(join(mkdtempSync(join(tmpdir(), 'ogi-onepath-')), 'crawl.sqlite')));
  const r = await runCrawl(crawled.db, { ...FAST, startUrls: [`${portal.origin}/xxgk/ndbg/index.html`] });
  expect(r.failed).toBe(0);

  const dir = mkdtempSync(join(tmpdir(), 'ogi-onepath-files-'));
  for (const d of DOCS) writeFileSync(join(dir, d.file), d.bytes);
  ingested = new SqliteStore(openDatabase(join(dir, 'ingest.sqlite')));
  const service = new IngestService(ingested, { workers: 2 });
  try {
    const stats = await ingestFiles(
      service,
      DOCS.map((d) => join(dir, d.file)),
    );
    expect(stats.new).toBe(DOCS.length);
    await service.finish();
  } finally {
    await service.close();
  }
});

afterAll(async () => {
  await crawled?.close();
  await ingested?.close();
  await portal?.close();
});

describe('one ingest path', () => {
  it('the crawl and the file ingest store the same documents, field for field', () => {
    const a = storedDocuments(crawled);
    const b = storedDocuments(ingested);
    expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
    expect(a.size).toBe(DOCS.length);
    for (const [sha, doc] of b) expect(a.get(sha), sha).toEqual(doc);
  });

  it('the crawl runs the cross-report rules too: the carryover findings match the ingest’s', () => {
    const q = `SELECT f.rule, f.keys, f.expected, f.actual, r.year, o.year AS other_year FROM findings f
      JOIN reports r ON r.id = f.report_id LEFT JOIN reports o ON o.id = f.other_report_id ORDER BY f.rule, f.keys, r.year`;
    const fromCrawl = crawled.db.prepare(q).all();
    expect(fromCrawl).toEqual(ingested.db.prepare(q).all());
    const carry = (fromCrawl as Array<{ rule: string; year: number; other_year: number }>).filter((f) => f.rule === 'carryover');
    expect(carry.length).toBeGreaterThan(0);
    expect(carry.every((f) => f.year === 2023 && f.other_year === 2022)).toBe(true);
  });

  it('export keeps what extract prints: encoding and pages included', () => {
    const docs = [...storedDocuments(ingested).values()];
    const pdf = docs.find((d) => d.format === 'pdf');
    expect(pdf?.pages).toBe(5);
    const html = docs.find((d) => d.format === 'html');
    expect(html?.encoding).toBeDefined();
  });
});
