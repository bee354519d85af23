/**
 * Non-reports in the store (issue 13): documents with their kind and reason
 * and no `reports` row; a correction linked to the report it corrects in
 * whichever order they arrive; the summary counts them apart. The same on
 * SQLite and on PostgreSQL (when installed: test/setup/postgres.ts).
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processBytes } from '../../src/pipeline/process.js';
import { PgStore } from '../../src/store/pg/store.js';
import { SqliteStore, type DocumentStore } from '../../src/store/store.js';
import { randomReport, renderHtml } from '../generate/synth/index.js';
import { ogi } from '../helpers/cli.js';
import { ROOT } from '../helpers/gold.js';
import { freshDatabase, PG_URL } from '../helpers/pg.js';

const DIR = join(ROOT, 'test/fixtures/distractors');

async function store(s: DocumentStore, bytes: Uint8Array, name: string) {
  const { doc } = await processBytes({ bytes, name });
  return s.saveDocument({ doc, text: null, contentHash: null }, { location: name, kind: 'file' });
}

/** The report the Qingshan correction names, generated: 青山县人民政府, 2023. */
function correctedReport() {
  const r = randomReport(77, { template: '2021', year: 2023, agency: '青山县人民政府' });
  return renderHtml(r, 'official');
}

const engines: [string, () => Promise<DocumentStore>][] = [['sqlite', async () => SqliteStore.open(':memory:')]];
if (PG_URL) engines.push(['postgres', async () => PgStore.open(await freshDatabase('ogi_classify'))]);

for (const [engine, open] of engines) {
  describe(`non-reports on ${engine}`, () => {
    let s: DocumentStore;
    const ids = new Map<string, number>();

    beforeAll(async () => {
      s = await open();
      // The correction first, the report it corrects after: the link must not depend on the order.
      for (const f of readdirSync(DIR).sort()) ids.set(f, (await store(s, readFileSync(join(DIR, f)), f)).id);
      const rep = correctedReport();
      ids.set('report', (await store(s, rep.bytes, rep.name)).id);
    }, 120_000);

    afterAll(async () => {
      await s?.close();
    });

    it('only reports get a reports row', async () => {
      const rows = await s.query(
        `SELECT d.kind, COUNT(r.id) AS reports, COUNT(*) AS documents FROM documents d LEFT JOIN reports r ON r.document_id = d.id GROUP BY d.kind ORDER BY d.kind`,
      );
      const byKind = Object.fromEntries(rows.map((r) => [r.kind, [Number(r.reports), Number(r.documents)]]));
      const expectedReports = readdirSync(DIR).filter((f) => f.startsWith('report-')).length + 1;
      expect(byKind.report).toEqual([expectedReports, expectedReports]);
      for (const kind of ['notice', 'interpretation', 'correction', 'other-report', 'unrelated']) {
        expect(byKind[kind]?.[0], kind).toBe(0);
        expect(byKind[kind]?.[1], kind).toBeGreaterThanOrEqual(3);
      }
    });

    it('a stored non-report comes back with its classification', async () => {
      const d = await s.loadDocument(ids.get('notice-qingshan-2024.html')!);
      expect(d.report).toBeNull();
      expect(d.classification).toMatchObject({ kind: 'notice', code: 'notice-title' });
      expect(d.classification?.reason).toContain('通知');
    });

    it('a correction is linked to the report it corrects, stored after it', async () => {
      const d = await s.loadDocument(ids.get('correction-qingshan-2023.html')!);
      const report = await s.loadDocument(ids.get('report')!);
      expect(report.report).toMatchObject({ agency: '青山县人民政府', year: 2023 });
      expect(d.classification?.corrects).toEqual({
        title: '青山县人民政府2023年政府信息公开工作年度报告',
        agency: '青山县人民政府',
        year: 2023,
        report_id: report.report_id,
      });
      const view = await s.query(`SELECT document_id, report_id FROM corrections WHERE report_id IS NOT NULL ORDER BY document_id`);
      expect(view.map((r) => [Number(r.document_id), Number(r.report_id)])).toEqual([
        [ids.get('correction-qingshan-2023.html'), report.report_id],
      ]);
    });

    it('a correction whose report is not stored has no link', async () => {
      const d = await s.loadDocument(ids.get('correction-cangwu-nature-2022.txt')!);
      expect(d.classification?.corrects).toEqual({
        title: '苍梧市自然资源局2022年政府信息公开工作年度报告',
        agency: '苍梧市自然资源局',
        year: 2022,
      });
    });

    it('the summary counts non-reports apart from reports', async () => {
      const sum = await s.summary();
      const files = readdirSync(DIR);
      expect(sum.reports).toBe(files.filter((f) => f.startsWith('report-')).length + 1);
      const n = (k: string) => sum.nonReports.find((x) => x.kind === k)?.n;
      expect(n('correction')).toBe(files.filter((f) => f.startsWith('correction-')).length);
      expect(n('other-report')).toBe(files.filter((f) => f.startsWith('other-')).length);
      expect(sum.nonReports.reduce((a, x) => a + x.n, 0)).toBe(files.filter((f) => !f.startsWith('report-')).length);
    });

    it('lists the non-reports by id (export --non-reports)', async () => {
      const expected = [...ids].filter(([f]) => f !== 'report' && !f.startsWith('report-')).map(([, id]) => id);
      expect(await s.nonReportIds()).toEqual(expected.sort((a, b) => a - b));
    });
  });
}

describe('through the CLI', () => {
  it('ingest counts non-reports apart; export --non-reports gives them with their classification', () => {
    const db = join(mkdtempSync(join(tmpdir(), 'ogi-classify-')), 'ogi.sqlite');
    const files = readdirSync(DIR);
    const others = files.filter((f) => !f.startsWith('report-'));
    const ingest = ogi(['ingest', DIR, '--db', db, '--quiet', '--json']);
    expect(ingest.code, ingest.stderr).toBe(0);
    expect(JSON.parse(ingest.stdout).summary).toMatchObject({ reports: files.length - others.length });

    const report = ogi(['report', '--db', db]);
    expect(report.stdout).toMatch(new RegExp(`not reports: ${others.length} \\(`));

    const exported = ogi(['export', '--format', 'jsonl', '--non-reports', '--db', db]);
    expect(exported.code, exported.stderr).toBe(0);
    const lines = exported.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(others.length);
    for (const l of lines) {
      expect(l.report).toBeNull();
      expect(l.classification.kind).not.toBe('report');
    }
    // Reports only, as before, without the flag.
    const reports = ogi(['export', '--format', 'jsonl', '--db', db]).stdout.trim().split('\n');
    expect(reports).toHaveLength(files.length - others.length);
    expect(ogi(['export', '--format', 'csv', '--non-reports', '--db', db]).code).not.toBe(0);
  }, 120_000);
});
