/**
 * Report series with planted cross-report problems, ingested and crawled as
 * an inspector's database would be: a carry-over break, a copied report, a
 * narrative number contradicting the table, a jump against last year, and a
 * silent edit between two crawls of a stand-in portal. Every planted problem
 * must be found, on the right reports, and nothing else; the corpus stays
 * clean. Then the review site is built and opened in Chromium from disk.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCrawl } from '../../src/crawl/run.js';
import { IngestService, type Submission } from '../../src/pipeline/service.js';
import { buildSite } from '../../src/review/site.js';
import { openDatabase, type DB } from '../../src/store/db.js';
import { SqliteStore, type FindingRow } from '../../src/store/store.js';
import {
  carryoverTruth,
  plantCarryoverBreak,
  plantContradiction,
  plantCopy,
  renderHtml,
  renderText,
  reportSeries,
  type SynthReport,
} from '../generate/synth/index.js';
import { FAST } from '../crawl/helpers/crawl.js';
import { serve } from '../crawl/helpers/server.js';
import { ROOT } from '../helpers/gold.js';
import { browserAvailable, openBrowser, screenshotDir } from './browser.js';

const AGENCIES = ['杭州市西湖区教育局', '成都市武侯区民政局', '南京市玄武区财政局', '广州市天河区司法局'];
const COPIER = '武汉市江汉区水利局';
const EDITED = '西安市雁塔区交通运输局';
/** The cells the silent edit moves (+3 each: one result row, its column total and 本年新收 keep every identity). */
const EDITED_KEYS = [
  't3.granted.natural_person',
  't3.granted.total',
  't3.total.natural_person',
  't3.total.total',
  't3.new.natural_person',
  't3.new.total',
];

interface Planted {
  carryover: { agency: string; year: number; columns: string[] };
  text: { agency: string; year: number; key: string; stated: number; table: number };
  copied: { from: string; year: number; to: string };
  yoy: { agency: string; year: number; key: string };
}

let db: DB;
let store: SqliteStore;
let planted: Planted;
let findings: FindingRow[];
let site: string;
let editedUrl: string;

function render(r: SynthReport, i: number) {
  return i % 3 === 2 ? renderText(r, 'tabs') : renderHtml(r, i % 3 === 0 ? 'official' : 'word-export');
}

/** The official form as a portal page, version `v`: v1 moves two cells of one result row (identities kept). */
function editedReport(v: number): Uint8Array {
  const [r] = reportSeries({ agencies: [EDITED], years: [2023], seed: 77 });
  if (v > 0) {
    for (const k of EDITED_KEYS) r.values[k] = (r.values[k] as number) + 3;
  }
  return renderHtml(r, 'official').bytes;
}

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ogi-planted-'));
  db = openDatabase(join(dir, 'ogi.sqlite'));
  store = new SqliteStore(db);

  const series = reportSeries({ agencies: AGENCIES, years: [2021, 2022, 2023], seed: 11 });
  const at = (agency: string, year: number) => series.findIndex((r) => r.agency === agency && r.year === year);
  // 1. Carry-over break: 成都 2023 says 上年结转 more than 2022 carried forward.
  const ci = at(AGENCIES[1], 2023);
  const column = plantCarryoverBreak(series[ci], 5);
  expect(column).toBeDefined();
  // 2. A narrative number against its cell: 南京 2022.
  const ti = at(AGENCIES[2], 2022);
  const contradiction = plantContradiction(series[ti], 9)!;
  series[ti] = contradiction.report;
  // 3. A copied report: 武汉 2022 prints 杭州 2022's tables.
  const copy = plantCopy({ ...series[at(AGENCIES[0], 2022)], agency: COPIER, seed: 4242 }, series[at(AGENCIES[0], 2022)]);
  series.push(copy);
  // 4. A jump: 广州 2023 licensing decisions ×30 (info).
  const yi = at(AGENCIES[3], 2023);
  series[yi].values['t2.licensing.decisions'] = Math.max(
    200,
    (series[at(AGENCIES[3], 2022)].values['t2.licensing.decisions'] as number) * 30,
  );
  planted = {
    carryover: { agency: AGENCIES[1], year: 2023, columns: carryoverTruth(series[at(AGENCIES[1], 2022)], series[ci]) },
    text: { agency: AGENCIES[2], year: 2022, key: contradiction.key, stated: contradiction.stated, table: contradiction.table },
    copied: { from: AGENCIES[0], year: 2022, to: COPIER },
    yoy: { agency: AGENCIES[3], year: 2023, key: 't2.licensing.decisions' },
  };

  // Files on disk, ingested with the real service (and the corpus beside them: it must stay clean).
  const inDir = join(dir, 'in');
  mkdirSync(inDir);
  const service = new IngestService(store, { workers: 0 });
  const submit = async (bytes: Uint8Array, name: string) =>
    service.submit({ bytes, name, location: name, kind: 'file' } satisfies Submission);
  for (const [i, r] of series.entries()) {
    const f = render(r, i);
    const path = join(inDir, `${i}-${f.name}`);
    writeFileSync(path, f.bytes);
    await submit(f.bytes, path);
  }
  for (const name of readdirSync(join(ROOT, 'corpus'))) {
    const path = join(ROOT, 'corpus', name);
    await submit(new Uint8Array(readFileSync(path)), path);
  }
  await service.finish();
  await service.close();

  // 5. A silent edit between two crawls of a stand-in portal.
  let version = 0;
  const portal = await serve({
    '/': (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<html><body><a href="/art/2023.html">${EDITED}2023年政府信息公开工作年度报告</a></body></html>`);
    },
    '/art/2023.html': (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(Buffer.from(editedReport(version)));
    },
  });
  try {
    editedUrl = `${portal.origin}/art/2023.html`;
    await runCrawl(db, { ...FAST, startUrls: [`${portal.origin}/`] }, { service: { workers: 0 } });
    version = 1;
    await runCrawl(db, { ...FAST, startUrls: [`${portal.origin}/`] }, { service: { workers: 0 } });
  } finally {
    await portal.close();
  }
  findings = await store.listFindings();
  site = join(dir, 'site');
  await buildSite(store, site);
}, 300_000);

afterAll(async () => {
  await store?.close();
});

const of = (rule: string) => findings.filter((f) => f.rule === rule);

describe('planted cross-report problems', () => {
  it('the carry-over break: one finding per broken column, on 2023, pointing at 2022', () => {
    const got = of('carryover');
    expect(planted.carryover.columns.length).toBeGreaterThan(0);
    expect(got.map((f) => f.keys[0]).sort()).toEqual(planted.carryover.columns.map((c) => `t3.carried_over.${c}`).sort());
    for (const f of got) {
      expect([f.agency, f.year]).toEqual([planted.carryover.agency, planted.carryover.year]);
      const other = findings.length ? f.otherReportId : null;
      expect(other).not.toBeNull();
      expect(f.cells.map((c) => c.report)).toEqual(['this', 'other']);
    }
  });

  it('the narrative contradiction: exactly one text-vs-table finding, with its sentence and cell', () => {
    const got = of('text-vs-table');
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({
      agency: planted.text.agency,
      year: planted.text.year,
      expected: planted.text.table,
      actual: planted.text.stated,
    });
    expect(got[0].keys[0]).toBe(planted.text.key);
    expect(got[0].evidence!.text!.sentence).toContain(String(planted.text.stated));
    expect(got[0].cells[0].source.table).toBeDefined();
  });

  it('the copied report: one finding on the copy, pointing at the original', () => {
    const got = of('copied-report');
    expect(got).toHaveLength(1);
    expect([got[0].agency, got[0].year]).toEqual([planted.copied.to, planted.copied.year]);
    const other = findings.find((f) => f.reportId === got[0].otherReportId);
    void other;
    expect(got[0].message).toContain(planted.copied.from);
  });

  it('the jump against last year: a yoy-outlier (info) with its factor', () => {
    const got = of('yoy-outlier');
    expect(got.map((f) => [f.agency, f.year, f.keys[0]])).toEqual([[planted.yoy.agency, planted.yoy.year, planted.yoy.key]]);
    expect(got[0].severity).toBe('info');
    expect(got[0].evidence!.factor).toBeGreaterThanOrEqual(10);
  });

  it('the silent edit: the changed fields old → new, both dates, both documents', () => {
    const got = of('silent-edit');
    expect(got).toHaveLength(1);
    const f = got[0];
    expect(f.agency).toBe(EDITED);
    expect(f.evidence!.url).toBe(editedUrl);
    expect(f.keys.sort()).toEqual([...EDITED_KEYS].sort());
    for (const c of f.evidence!.changes!) expect(c.after! - c.before!).toBe(3);
    expect(f.evidence!.before!.documentId).not.toBe(f.evidence!.after!.documentId);
  });

  it('nothing else: the clean reports and the whole corpus raise no other finding (the corpus PDF keeps its two real t4-sum errors)', () => {
    const expected = new Set(['carryover', 'text-vs-table', 'copied-report', 'yoy-outlier', 'silent-edit']);
    const others = findings.filter((f) => !expected.has(f.rule));
    expect(others.map((f) => `${f.agency} ${f.year} ${f.rule}`)).toEqual(['洪泽区人民政府 2023 t4-sum', '洪泽区人民政府 2023 t4-sum']);
  });
});

describe.skipIf(!browserAvailable())('the review site in Chromium, from disk', () => {
  it('index → filter by a rule → a report: highlighted cells, evidence, and every finding shows its evidence', async () => {
    const shots = screenshotDir('planted');
    const b = await openBrowser();
    try {
      const page = b.page;
      await page.goto(`file://${join(site, 'index.html')}`);
      await page.waitForSelector('#matrix');
      await page.screenshot({ path: join(shots, '1-index.png'), fullPage: true });
      await page.selectOption('#f-rule', 'carryover');
      await page.waitForSelector('#matrix a.report-link');
      expect(await page.locator('#matrix a.report-link').count()).toBe(1);
      await page.screenshot({ path: join(shots, '2-filtered.png'), fullPage: true });
      await page.click('#matrix a.report-link');
      await page.waitForSelector('section.finding[data-rule="carryover"]');
      const hits = await page.locator('table.form td.hit').count();
      expect(hits).toBeGreaterThanOrEqual(planted.carryover.columns.length);
      // Both sides of the carry-over, each with the table fragment of its own document.
      const card = page.locator('section.finding[data-rule="carryover"]').first();
      expect(await card.locator('.side-this .ev-table td.hit').count()).toBeGreaterThan(0);
      expect(await card.locator('.side-other .ev-table td.hit').count()).toBeGreaterThan(0);
      await page.screenshot({ path: join(shots, '3-carryover-report.png'), fullPage: true });
      // One click to the previous year.
      await page.click('#prev-year');
      await page.waitForSelector('h1');
      expect(await page.locator('h1').innerText()).toContain('2022');

      // Every finding on every report page shows evidence: a crop, a fragment, or the sentence.
      const reportIds = [...new Set(findings.map((f) => f.reportId))];
      for (const id of reportIds) {
        await page.goto(`file://${join(site, 'r', `${id}.html`)}`);
        await page.waitForSelector('section.finding');
        const cards = page.locator('section.finding');
        const n = await cards.count();
        expect(n).toBe(findings.filter((f) => f.reportId === id).length);
        for (let i = 0; i < n; i++) {
          const c = cards.nth(i);
          const rule = await c.getAttribute('data-rule');
          const shown = await c.locator('.ev-svg svg, .ev-img img, .ev-table table, .ev-text .sentence').count();
          expect(shown, `report ${id}, ${rule}`).toBeGreaterThan(0);
        }
        const rule = await cards.first().getAttribute('data-rule');
        await page.screenshot({ path: join(shots, `report-${id}-${rule}.png`), fullPage: true });
      }
      // The PDF's evidence is the page itself, redrawn: its printed numbers are in the crop.
      const pdf = findings.find((f) => f.rule === 't4-sum')!;
      await page.goto(`file://${join(site, 'r', `${pdf.reportId}.html`)}`);
      await page.waitForSelector('.ev-svg svg rect.hit');
      expect(await page.locator('.ev-svg svg text').count()).toBeGreaterThan(10);
      // The sentence of the contradiction, its number marked.
      const text = findings.find((f) => f.rule === 'text-vs-table')!;
      await page.goto(`file://${join(site, 'r', `${text.reportId}.html`)}`);
      expect(await page.locator('.ev-text mark.num').first().innerText()).toBe(String(planted.text.stated));
      expect(b.errors).toEqual([]);
      // No request left the disk.
      expect(b.requests.filter((u) => !u.startsWith('file://'))).toEqual([]);
    } finally {
      await b.close();
    }
  }, 180_000);
});

// Where the screenshots are: printed once, so a CI log points at them.
afterAll(() => {
  if (browserAvailable() && existsSync(screenshotDir('planted')))
    process.stderr.write(`review site screenshots: ${screenshotDir('planted')}\n`);
});
