/** The command-line contract (spec/contract.md), end to end through the built CLI. */
import Database from 'better-sqlite3';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIELD_KEYS } from '../src/spec/fields.js';
import { ogi } from './helpers/cli.js';
import { engineStatus } from '../extractors/ocr/tesseract.js';

const ocrEngine = await engineStatus();
import { randomReport, renderHtml, renderText, T3_COLUMNS } from './generate/synth/index.js';
import { ROOT } from './helpers/gold.js';

const SEED = join(ROOT, 'corpus/000_97b5ed2afefa8716.txt');
const KEWEI = join(ROOT, 'corpus/kewei-2024-source.md');
const tmp = () => mkdtempSync(join(tmpdir(), 'ogi-cli-'));

describe('ogi extract --json', () => {
  it('prints one contract-shaped object per file, in input order, and writes no database', () => {
    const dir = tmp();
    const r = ogi(['extract', KEWEI, SEED, '--json'], { cwd: dir });
    expect(r.code).toBe(0);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.file)).toEqual([KEWEI, SEED]);
    const seed = lines[1];
    expect(Object.keys(seed)).toEqual(expect.arrayContaining(['file', 'sha256', 'format', 'report', 'fields', 'findings', 'errors']));
    expect(seed.format).toBe('txt');
    expect(seed.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(seed.report).toEqual({ agency: '铁东区政务服务局', year: 2023, template: '2021', title: expect.any(String) });
    for (const key of Object.keys(seed.fields)) expect(FIELD_KEYS.has(key)).toBe(true);
    expect(seed.fields['t3.new.natural_person']).toMatchObject({
      value: 0,
      raw: '0',
      flags: [],
      source: { table: 1, method: 'txt-cells' },
    });
    expect(seed.fields['t3.new.natural_person'].confidence).toBeGreaterThan(0.9);
    expect(readFileSync(join(ROOT, 'package.json'))).toBeTruthy();
    expect(() => readFileSync(join(dir, 'output/ogi.sqlite'))).toThrow();
  });

  it('exit code 2 when an input is missing, and still prints the others', () => {
    const r = ogi(['extract', SEED, '/nonexistent/report.pdf', '--json']);
    expect(r.code).toBe(2);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('/nonexistent/report.pdf');
  });

  it('exit code 1 on bad arguments', () => {
    expect(ogi(['extract']).code).toBe(1);
    expect(ogi(['extract', SEED, '--max-bytes', 'lots']).code).toBe(1);
    expect(ogi(['no-such-command']).code).toBe(1);
    expect(ogi(['export', '--format', 'xml']).code).toBe(1);
  });

  it('--help explains with examples and exits 0', () => {
    const r = ogi(['ingest', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Examples:');
    expect(ogi(['--help']).stdout).toContain('Exit codes');
  });
});

describe('ogi ingest', () => {
  let dir: string;
  let db: string;
  beforeAll(() => {
    dir = tmp();
    db = join(dir, 'ogi.sqlite');
    mkdirSync(join(dir, 'in'));
    copyFileSync(SEED, join(dir, 'in/seed.txt'));
    copyFileSync(KEWEI, join(dir, 'in/kewei.md'));
  });

  it('stores documents, reports, fields and a summary; a second run changes nothing', () => {
    const first = ogi(['ingest', join(dir, 'in'), '--db', db, '--json']);
    expect(first.code).toBe(0);
    expect(first.stderr).toContain('reports: 2');
    expect(JSON.parse(first.stdout.trim().split('\n').pop()!)).toMatchObject({ new: 2, unchanged: 0, unreadable: 0 });
    const snapshot = () => {
      const d = new Database(db, { readonly: true });
      const s = ['documents', 'reports', 'fields', 'findings', 'document_messages'].map((t) =>
        d.prepare(`SELECT COUNT(*) FROM ${t}`).pluck().get(),
      );
      const f = d.prepare('SELECT * FROM fields ORDER BY report_id, key').all();
      d.close();
      return { s, f };
    };
    const before = snapshot();
    expect(before.s.slice(0, 3)).toEqual([2, 2, 400]);
    const second = ogi(['ingest', join(dir, 'in'), '--db', db, '--json']);
    expect(JSON.parse(second.stdout.trim().split('\n').pop()!)).toMatchObject({ new: 0, unchanged: 2 });
    expect(snapshot()).toEqual(before);
  });

  it('the same content at a second path is one document with two locations', () => {
    copyFileSync(SEED, join(dir, 'copy-of-seed.txt'));
    const r = ogi(['ingest', join(dir, 'copy-of-seed.txt'), '--db', db, '--json']);
    expect(JSON.parse(r.stdout.trim())).toMatchObject({ unchanged: 1 });
    const d = new Database(db, { readonly: true });
    expect(d.prepare('SELECT COUNT(*) FROM documents').pluck().get()).toBe(2);
    expect(d.prepare("SELECT COUNT(*) FROM document_locations WHERE location LIKE '%seed.txt'").pluck().get()).toBe(2);
    d.close();
  });

  it('export jsonl: one contract object per report; csv: one row per field', () => {
    const j = ogi(['export', '--format', 'jsonl', '--db', db]);
    expect(j.code).toBe(0);
    const objs = j.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(objs).toHaveLength(2);
    expect(objs[0]).toMatchObject({ format: 'txt', report: { template: '2021' }, errors: [] });
    expect(Object.keys(objs[0].fields)).toHaveLength(200);
    const out = join(dir, 'fields.csv');
    expect(ogi(['export', '--format', 'csv', '--db', db, '--out', out]).code).toBe(0);
    const csv = readFileSync(out, 'utf8');
    const rows = csv
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n');
    expect(rows[0]).toBe('report_id,agency,year,template,key,value,confidence,flags,raw,sha256,file,source_url');
    expect(rows).toHaveLength(401);
    expect(rows.some((r) => r.includes(',上海市科委,2024,2021,t3.new.total,34,'))).toBe(true);
  });

  it('query and report read the database; an unusable database is exit code 1', () => {
    const q = ogi(['query', 'SELECT agency, year, new__total FROM t3_requests ORDER BY year', '--db', db, '--json']);
    expect(q.code).toBe(0);
    expect(
      q.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toEqual([
      { agency: '铁东区政务服务局', year: 2023, new__total: 0 },
      { agency: '上海市科委', year: 2024, new__total: 34 },
    ]);
    expect(ogi(['query', 'DELETE FROM fields', '--db', db]).code).toBe(1);
    expect(ogi(['report', '--db', db]).stdout).toContain('reports: 2');
    const s = ogi(['search', '政务大厅', '--db', db, '--json']);
    expect(s.code).toBe(0);
    expect(s.stdout).toContain('铁东区政务服务局');
    const notDb = join(dir, 'not-a-db.sqlite');
    writeFileSync(notDb, 'this is not sqlite');
    expect(ogi(['ingest', SEED, '--db', notDb]).code).toBe(1);
    expect(ogi(['report', '--db', join(dir, 'missing.sqlite')]).code).toBe(1);
  });
});

describe('bad input never stops a batch', () => {
  it('records every bad file with an error code and goes on', { timeout: 300_000 }, () => {
    const dir = tmp();
    const inDir = join(dir, 'in');
    mkdirSync(join(inDir, 'many'), { recursive: true });
    writeFileSync(join(inDir, 'empty.txt'), '');
    writeFileSync(join(inDir, 'blank.html'), '   \n\n ');
    const garbage = Buffer.alloc(4096);
    for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 7919 + 13) % 256;
    writeFileSync(join(inDir, 'garbage.html'), garbage);
    writeFileSync(
      join(inDir, 'undecodable.txt'),
      Buffer.from(Array.from({ length: 3000 }, (_, i) => (i % 3 === 0 ? 0x81 : i % 3 === 1 ? 0x7f : 0x30))),
    );
    writeFileSync(
      join(inDir, 'notes.xyz'),
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]),
    );
    writeFileSync(join(inDir, 'really-html.pdf'), '<html><body><p>页面不存在</p></body></html>');
    copyFileSync(SEED, join(inDir, 'good.txt'));
    // Word and PDF trouble, each one file: encrypted, truncated, scanned, HTML named .pdf, a zip bomb, a corrupt docx.
    for (const f of ['encrypted.pdf', 'truncated.pdf', 'scanned.pdf', 'html-as.pdf'])
      copyFileSync(join(ROOT, 'test/fixtures/pdf', f), join(inDir, f));
    writeFileSync(
      join(inDir, 'bomb.docx'),
      zipSync({ '[Content_Types].xml': strToU8('<Types/>'), 'word/document.xml': new Uint8Array(120 * 1024 * 1024) }, { level: 9 }),
    );
    writeFileSync(join(inDir, 'corrupt.docx'), readFileSync(join(ROOT, 'test/fixtures/docx/form2021-filled.docx')).subarray(0, 5000));
    // A 50 MB page: mostly inline images and scripts around a real report.
    const huge = [
      '<html><head><script>',
      'var x = 1;\n'.repeat(1_000_000),
      '</script></head><body>',
      readFileSync(join(ROOT, 'corpus/shanghai_office_2019.html'), 'utf8'),
    ];
    for (let i = 0; i < 40; i++) huge.push(`<img src="data:image/png;base64,${'A'.repeat(1024 * 1024)}">`);
    huge.push('</body></html>');
    writeFileSync(join(inDir, 'huge.html'), huge.join(''));
    // A folder with thousands of files.
    const seed = readFileSync(SEED, 'utf8');
    for (let i = 0; i < 2000; i++)
      writeFileSync(
        join(inDir, 'many', `r${String(i).padStart(4, '0')}.txt`),
        seed.replace('2023年度', `${2021 + (i % 4)}年度`).replace('邮编：136001', `邮编：${i}`),
      );
    const db = join(dir, 'ogi.sqlite');
    const r = ogi(['ingest', inDir, '--db', db, '--json', '--quiet'], { timeoutMs: 300_000 });
    expect(r.code).toBe(0);
    const d = new Database(db, { readonly: true });
    const codes = Object.fromEntries(
      (
        d
          .prepare(
            "SELECT substr(l.location, length(?) + 2) AS f, m.code FROM document_messages m JOIN document_locations l USING (document_id) WHERE m.level = 'error'",
          )
          .all(inDir) as { f: string; code: string }[]
      ).map((x) => [x.f, x.code]),
    );
    expect(codes['empty.txt']).toBe('empty-file');
    expect(codes['blank.html']).toBe('empty-file');
    expect(codes['garbage.html']).toBe('binary-content');
    expect(codes['undecodable.txt']).toMatch(/not-decodable|binary-content/);
    expect(codes['notes.xyz']).toBe('binary-content');
    expect(codes['really-html.pdf']).toBe('format-mismatch');
    expect(codes['good.txt']).toBeUndefined();
    expect(codes['encrypted.pdf']).toBe('pdf-encrypted');
    expect(codes['truncated.pdf']).toBe('pdf-corrupt');
    // With tesseract it is read by OCR and holds no ruled table and no title (a borderless table): pdf-no-text.
    expect(codes['scanned.pdf']).toBe(ocrEngine.ok ? 'pdf-no-text' : 'ocr-unavailable');
    expect(codes['html-as.pdf']).toBe('format-mismatch');
    expect(codes['bomb.docx']).toBe('docx-zip-bomb');
    expect(codes['corrupt.docx']).toBe('docx-corrupt');
    expect(codes['huge.html']).toBeUndefined();
    const huge50 = d
      .prepare(
        "SELECT r.agency, COUNT(f.key) AS n, d.size FROM reports r JOIN documents d ON d.id = r.document_id JOIN document_locations l ON l.document_id = d.id JOIN fields f ON f.report_id = r.id WHERE l.location LIKE '%huge.html' GROUP BY r.id",
      )
      .get() as { agency: string; n: number; size: number };
    expect(huge50).toMatchObject({ agency: '上海市人民政府办公厅', n: 198 });
    expect(huge50.size).toBeGreaterThan(50 * 1000 * 1000);
    expect(d.prepare('SELECT COUNT(*) FROM documents').pluck().get()).toBe(2014);
    expect(d.prepare("SELECT COUNT(*) FROM reports WHERE template = '2021'").pluck().get()).toBe(2001);
    d.close();
    // 2,014 documents, one of them read by OCR: minutes on a busy machine. Speed is the bench's business.
  });
});

describe('worker pool', () => {
  it('a document that takes too long is recorded as timeout, the batch goes on, and the next run retries it', () => {
    const dir = tmp();
    for (let i = 0; i < 6; i++) copyFileSync(i % 2 ? SEED : KEWEI, join(dir, `r${i}${i % 2 ? '.txt' : '.md'}`));
    const db = join(dir, 'ogi.sqlite'); // inside the input folder: ingest must leave it alone
    const slow = ogi(['ingest', dir, '--db', db, '--json', '--quiet', '--workers', '2', '--doc-timeout-ms', '1']);
    expect(slow.code).toBe(0);
    const d = new Database(db, { readonly: true });
    // A read that ends while its cancel is on the way still counts; the others are recorded as timeout.
    const timeouts = d.prepare("SELECT COUNT(*) FROM documents WHERE error_code = 'timeout'").pluck().get() as number;
    expect(timeouts).toBeGreaterThan(0);
    d.close();
    const again = ogi(['ingest', dir, '--db', db, '--json', '--quiet', '--workers', '2']);
    expect(JSON.parse(again.stdout.trim())).toMatchObject({ reprocessed: timeouts });
    const d2 = new Database(db, { readonly: true });
    expect(d2.prepare('SELECT COUNT(*) FROM documents WHERE error_code IS NOT NULL').pluck().get()).toBe(0);
    expect(d2.prepare('SELECT COUNT(*) FROM reports').pluck().get()).toBe(2);
    d2.close();
  });

  it('workers and the main thread store the same rows', () => {
    const dir = tmp();
    for (const f of [
      '000_97b5ed2afefa8716.txt',
      'kewei-2024-source.md',
      'pingtan_2020_80595_page.txt',
      'pingtan_2015_80445_page.txt',
      'shanghai_office_2019.html',
    ]) {
      copyFileSync(join(ROOT, 'corpus', f), join(dir, f));
    }
    const rows = (workers: string) => {
      const db = join(dir, `w${workers}.sqlite`);
      expect(ogi(['ingest', dir, '--db', db, '--quiet', '--workers', workers]).code).toBe(0);
      const d = new Database(db, { readonly: true });
      const f = d
        .prepare(
          'SELECT d.sha256, f.key, f.value, f.raw, f.confidence, f.flags, f.source FROM fields f JOIN reports r ON r.id = f.report_id JOIN documents d ON d.id = r.document_id ORDER BY 1, 2',
        )
        .all();
      d.close();
      return f;
    };
    const threaded = rows('2');
    expect(threaded.length).toBeGreaterThan(500);
    expect(rows('0')).toEqual(threaded);
  });
});

describe('ogi debug-pdf', () => {
  it('draws a page with its rebuilt cells and mapped keys', () => {
    const out = join(tmp(), 'p4.svg');
    const r = ogi(['debug-pdf', join(ROOT, 'corpus/hzq2023_working.pdf'), '--page', '4', '--out', out]);
    expect(r.code).toBe(0);
    const svg = readFileSync(out, 'utf8');
    expect(svg).toMatch(/^<svg|<\?xml/);
    expect(svg).toContain('r3c0');
    expect(svg).toContain('t4.review.upheld = 10');
    expect(ogi(['debug-pdf', join(ROOT, 'corpus/hzq2023_working.pdf'), '--page', '99', '--out', out]).code).toBe(1);
  });

  it.skipIf(!ocrEngine.ok)(
    'draws a scanned page: its picture, the grid found in it, each cell read with its confidence',
    { timeout: 600_000 },
    () => {
      const out = join(tmp(), 'scan.svg');
      const r = ogi(['debug-pdf', join(ROOT, 'test/fixtures/ocr/t3-cell-error-150.pdf'), '--page', '2', '--out', out], {
        timeoutMs: 600_000,
      });
      expect(r.code).toBe(0);
      const svg = readFileSync(out, 'utf8');
      expect(svg).toContain('<g class="scan" data-dpi="150"');
      expect(svg).toMatch(/<image [^>]*href="data:image\/png;base64,/);
      // A cell of table 3 with its reading and confidence, and the mapped key drawn over it.
      expect(svg).toMatch(/r\d+c\d+: &quot;\d+&quot; confidence 0\.\d+/);
      expect(svg).toMatch(/t3\.new\.total = \d+/);
    },
  );
});

describe('carryover across reports', () => {
  it('finds every column where this year’s 上年结转 differs from last year’s 结转下年度, after either order of ingest', () => {
    const dir = tmp();
    const agency = '示范市测试局';
    const y1 = randomReport(101, { template: '2021', year: 2022, agency, blankForZero: false, scale: 'medium' });
    const y2 = randomReport(202, { template: '2021', year: 2023, agency, blankForZero: false, scale: 'medium' });
    const expected = T3_COLUMNS.filter((c) => y2.values[`t3.carried_over.${c}`] !== y1.values[`t3.carried_forward.${c}`]).map((c) => ({
      key: `t3.carried_over.${c}`,
      expected: y1.values[`t3.carried_forward.${c}`],
      actual: y2.values[`t3.carried_over.${c}`],
    }));
    expect(expected.length).toBeGreaterThan(0);
    writeFileSync(join(dir, 'a-2023.html'), renderHtml(y2, 'official').bytes);
    writeFileSync(join(dir, 'b-2022.txt'), renderText(y1, 'cells-per-line').bytes);
    const db = join(tmp(), 'ogi.sqlite');
    // The later year first: the rule must still see the pair once both are in.
    expect(ogi(['ingest', join(dir, 'a-2023.html'), '--db', db, '--quiet']).code).toBe(0);
    expect(ogi(['ingest', join(dir, 'b-2022.txt'), '--db', db, '--quiet']).code).toBe(0);
    const d = new Database(db, { readonly: true });
    const rows = d
      .prepare(
        "SELECT f.keys, f.expected, f.actual, r.year FROM findings f JOIN reports r ON r.id = f.report_id WHERE f.rule = 'carryover' ORDER BY f.id",
      )
      .all() as { keys: string; expected: number; actual: number; year: number }[];
    d.close();
    expect(rows.map((r) => ({ key: JSON.parse(r.keys)[0], expected: r.expected, actual: r.actual }))).toEqual(expected);
    expect(rows.every((r) => r.year === 2023)).toBe(true);
  });
});
