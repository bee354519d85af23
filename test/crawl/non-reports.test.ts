/**
 * A portal column mixes the reports with pages about them (issue 13): the
 * crawler stores every such page (evidence), and counts only the reports as
 * reports, in its result, its summary line and crawl_hosts.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCrawl, type CrawlResult } from '../../src/crawl/run.js';
import { openDatabase, type DB } from '../../src/store/db.js';
import { randomReport, renderHtml, reportTitle } from '../generate/synth/index.js';
import { ROOT } from '../helpers/gold.js';
import { FAST, tempDb } from './helpers/crawl.js';

const DIR = join(ROOT, 'test/fixtures/distractors');
const report = randomReport(4242, { template: '2021', year: 2023, agency: '青山县人民政府' });

/** Path → [link text, body]. */
const PAGES: Record<string, [string, Buffer]> = {
  '/art/report.html': [reportTitle(report), Buffer.from(renderHtml(report, 'official').bytes)],
  '/art/notice.html': ['关于做好2024年政府信息公开工作年度报告编制发布工作的通知', readFileSync(join(DIR, 'notice-qingshan-2024.html'))],
  '/art/tujie.html': [
    '一图读懂《青山县人民政府2024年政府信息公开工作年度报告》',
    readFileSync(join(DIR, 'interpretation-one-picture.html')),
  ],
  '/art/correction.html': [
    '关于《青山县人民政府2023年政府信息公开工作年度报告》的更正说明',
    readFileSync(join(DIR, 'correction-qingshan-2023.html')),
  ],
};

const COLUMN = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>政府信息公开年报</title></head><body><h1>政府信息公开年报</h1><ul>${Object.entries(
  PAGES,
)
  .map(([path, [text]]) => `<li><a href="${path}">${text}</a></li>`)
  .join('')}</ul></body></html>`;

let server: Server;
let origin: string;
let db: DB;
let result: CrawlResult;
const lines: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const body = path === '/ndbg/' ? Buffer.from(COLUMN) : PAGES[path]?.[1];
    if (!body) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  db = openDatabase(tempDb());
  result = await runCrawl(db, { ...FAST, startUrls: [`${origin}/ndbg/`] }, { log: (l) => lines.push(l) });
}, 120_000);

afterAll(async () => {
  db?.close();
  await new Promise((r) => server?.close(r));
});

describe('a column of reports and pages about them', () => {
  it('stores every page, but only the report gets a reports row', () => {
    const rows = db
      .prepare(
        `SELECT l.location, d.kind, (SELECT COUNT(*) FROM reports r WHERE r.document_id = d.id) AS reports
         FROM documents d JOIN document_locations l ON l.document_id = d.id ORDER BY l.location`,
      )
      .all() as { location: string; kind: string; reports: number }[];
    expect(rows.map((r) => [r.location.slice(origin.length), r.kind, r.reports])).toEqual([
      ['/art/correction.html', 'correction', 0],
      ['/art/notice.html', 'notice', 0],
      ['/art/report.html', 'report', 1],
      ['/art/tujie.html', 'interpretation', 0],
    ]);
  });

  it('counts the other pages apart in its result, its summary and crawl_hosts', () => {
    expect(result).toMatchObject({ new: 4, reports: 1, nonReports: 3 });
    expect(lines).toContain('crawl: 1 reports, 3 other documents (not reports)');
    expect(db.prepare('SELECT reports, non_reports FROM crawl_hosts').get()).toEqual({ reports: 1, non_reports: 3 });
  });

  it('links the correction to the report it corrects', () => {
    const r = db.prepare('SELECT c.report_id, r.agency, r.year FROM corrections c JOIN reports r ON r.id = c.report_id').all();
    expect(r).toEqual([{ report_id: expect.any(Number), agency: '青山县人民政府', year: 2023 }]);
  });
});
