/**
 * Reports made of pictures (图片版): an HTML article whose report is page
 * images in NAME_files/ (test/fixtures/ocr/filled-150.html, the same pages as
 * filled-150.pdf). The extractor asks for the pictures; the local source, the
 * ingest service and `ogi extract` supply them; they are read like scanned
 * PDF pages. OCR tests need tesseract with chi_sim and skip, saying why, without it.
 */
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { engineStatus } from '../../extractors/ocr/tesseract.js';
import { decodePicture, pictureDpi } from '../../extractors/ocr/picture.js';
import { resolveRef } from '../../extractors/html/pictures.js';
import { processBytes } from '../../src/pipeline/process.js';
import { ingestFiles } from '../../src/pipeline/ingest-files.js';
import { IngestService } from '../../src/pipeline/service.js';
import { loadResources } from '../../src/sources/local-resources.js';
import { openDatabase } from '../../src/store/db.js';
import { SqliteStore } from '../../src/store/store.js';
import type { ExtractedDocument } from '../../src/contract/document.js';
import { ogi } from '../helpers/cli.js';
import { ROOT } from '../helpers/gold.js';

const DIR = join(ROOT, 'test', 'fixtures', 'ocr');
const PAGE = join(DIR, 'filled-150.html');
const GOLD = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/pdf-form/form2021-filled.json'), 'utf8')) as {
  agency: string;
  year: number;
  fields: Record<string, number | null>;
};
const engine = await engineStatus();
if (!engine.ok) console.warn(`OCR picture tests skipped: ${engine.reason}`);

function exactShare(doc: ExtractedDocument): { exact: number; confidentWrong: string[] } {
  let exact = 0;
  const confidentWrong: string[] = [];
  for (const [k, v] of Object.entries(GOLD.fields)) {
    const f = doc.fields[k];
    if (f?.value === v) exact++;
    else if (f && f.confidence >= 0.5) confidentWrong.push(`${k}: ${v} read ${f.value} at ${f.confidence}`);
  }
  return { exact: exact / Object.keys(GOLD.fields).length, confidentWrong };
}

describe('picture refs and decoding', () => {
  it('resolves src against a saved page path or a page URL', () => {
    expect(resolveRef('a_files/p1.jpg', 'dir/a.html')).toBe('dir/a_files/p1.jpg');
    expect(resolveRef('./img/../a_files/%E5%9B%BE1.png?x=1', 'dir/a.html')).toBe('dir/a_files/图1.png');
    expect(resolveRef('p1.jpg', 'a.html')).toBe('p1.jpg');
    expect(resolveRef('/u/p1.jpg', 'http://gov.cn/xxgk/a.html')).toBe('http://gov.cn/u/p1.jpg');
    expect(resolveRef('p1.jpg', 'http://gov.cn/xxgk/a.html')).toBe('http://gov.cn/xxgk/p1.jpg');
    expect(resolveRef('http://img.gov.cn/p1.jpg', 'dir/a.html')).toBe('http://img.gov.cn/p1.jpg');
  });

  it('decodes JPEG and PNG to grey, refuses other formats with a reason', () => {
    const w = 40;
    const h = 30;
    const rgba = new Uint8Array(w * h * 4).fill(255);
    for (let x = 0; x < w; x++) rgba.set([0, 0, 0, 255], (10 * w + x) * 4); // a black line on row 10
    const png = new PNG({ width: w, height: h });
    png.data = Buffer.from(rgba);
    const fromPng = decodePicture(new Uint8Array(PNG.sync.write(png)));
    expect([fromPng.image.width, fromPng.image.height]).toEqual([w, h]);
    expect(fromPng.image.data[10 * w + 5]).toBe(0);
    expect(fromPng.image.data[5 * w + 5]).toBe(255);
    const fromJpeg = decodePicture(new Uint8Array(jpeg.encode({ width: w, height: h, data: Buffer.from(rgba) }, 95).data));
    expect(fromJpeg.image.data[10 * w + 5]).toBeLessThan(60);
    expect(fromJpeg.image.data[2 * w + 5]).toBeGreaterThan(200);
    expect(() => decodePicture(new TextEncoder().encode('GIF89a....'))).toThrow(/GIF/);
    expect(() => decodePicture(new Uint8Array([1, 2, 3, 4]))).toThrow(/JPEG or PNG/);
  });

  it('a page-shaped picture is an A4 page; a table picture takes the size its container prints it at', () => {
    const page = { width: 1240, height: 1754, data: new Uint8Array(0) };
    expect(pictureDpi(page)).toBe(150);
    const table = { width: 1500, height: 600, data: new Uint8Array(0) };
    expect(pictureDpi(table, undefined, 6)).toBe(250);
    expect(pictureDpi(table, 300)).toBe(300);
    expect(pictureDpi(table)).toBe(96);
  });
});

describe('an HTML article of page pictures (图片版)', () => {
  it('without its pictures: asks for them, says they were not read, no error', async () => {
    const { doc, model } = await processBytes({ bytes: readFileSync(PAGE), name: 'test/fixtures/ocr/filled-150.html' });
    expect(doc.errors).toEqual([]);
    expect(model?.meta.resources).toEqual([1, 2, 3, 4].map((i) => `test/fixtures/ocr/filled-150_files/page${i}.jpg`));
    expect(doc.warnings.map((w) => w.code)).toContain('pictures-not-read');
    expect(doc.fields).toEqual({});
  });

  it('a page whose tables are HTML asks for nothing', async () => {
    const { model } = await processBytes({ bytes: readFileSync(join(ROOT, 'corpus/shanghai_office_2019.html')), name: 'x.html' });
    expect(model?.meta.resources).toBeUndefined();
  });

  // OCR takes seconds a page, many more on a loaded machine.
  describe.skipIf(!engine.ok)('with the engine', { timeout: 600_000 }, () => {
    it('with its pictures: every table read like the scanned PDF, each value traced to its picture and pixels', async () => {
      const name = 'test/fixtures/ocr/filled-150.html';
      const first = await processBytes({ bytes: readFileSync(PAGE), name });
      const resources = await loadResources(join(ROOT, name), first.model!.meta.resources!);
      // The refs are relative to the working directory of the caller; resolve them from the repository.
      const byRef = new Map([...resources].map(([k, v]) => [k, v]));
      expect(byRef.size).toBe(4);
      const { doc } = await processBytes({ bytes: readFileSync(PAGE), name, resources: byRef });
      expect(doc.errors).toEqual([]);
      expect(doc.extractor).toBe('html:ocr');
      expect(doc.report).toMatchObject({ agency: GOLD.agency, year: GOLD.year, template: '2021' });
      expect(doc.warnings.map((w) => w.code)).toContain('ocr-pictures');
      const { exact, confidentWrong } = exactShare(doc);
      expect(confidentWrong).toEqual([]);
      expect(exact).toBeGreaterThanOrEqual(0.99);
      for (const f of Object.values(doc.fields)) {
        expect(f.source.method).toBe('ocr-ruled');
        expect(f.source.image).toMatch(/filled-150_files\/page\d\.jpg$/);
        expect(f.source.pixels).toHaveLength(4);
        expect(f.source.page).toBeUndefined();
      }
      expect(doc.findings).toEqual([]);
    });

    it('ogi ingest of the saved page reads its NAME_files/ (the service asks the local source)', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'ogi-pictures-'));
      cpSync(PAGE, join(dir, 'report.html'));
      cpSync(join(DIR, 'filled-150_files'), join(dir, 'report_files'), { recursive: true });
      // The page refers to filled-150_files/: the resolver finds the pictures in report_files/ by name.
      const store = new SqliteStore(openDatabase(join(dir, 'db.sqlite')));
      const service = new IngestService(store, { workers: 1, documentTimeoutMs: 600_000 });
      try {
        const stats = await ingestFiles(service, [join(dir, 'report.html')]);
        expect(stats.new).toBe(1);
        const n = store.db.prepare('SELECT count(*) AS n FROM fields').get() as { n: number };
        expect(n.n).toBeGreaterThan(190);
      } finally {
        await service.close();
        store.close();
      }
    });

    it('ogi extract reads the pictures the same way', () => {
      const r = ogi(['extract', PAGE, '--json'], { timeoutMs: 600_000 });
      expect(r.code).toBe(0);
      const doc = JSON.parse(r.stdout) as ExtractedDocument;
      expect(doc.extractor).toBe('html:ocr');
      expect(exactShare(doc).exact).toBeGreaterThanOrEqual(0.99);
    });
  });

  it('without the engine, a page that is only pictures gets ocr-unavailable', async () => {
    const was = process.env.OGI_TESSERACT;
    process.env.OGI_TESSERACT = '0';
    try {
      const name = 'test/fixtures/ocr/filled-150.html';
      const resources = await loadResources(join(ROOT, name), [`test/fixtures/ocr/filled-150_files/page1.jpg`]);
      const { doc } = await processBytes({ bytes: readFileSync(PAGE), name, resources });
      expect(doc.errors.map((e) => e.code)).toEqual(['ocr-unavailable']);
      expect(doc.fields).toEqual({});
    } finally {
      if (was === undefined) delete process.env.OGI_TESSERACT;
      else process.env.OGI_TESSERACT = was;
    }
  });
});

describe('finding the pictures of a 图片版 article', () => {
  const page = (article: string) =>
    new TextEncoder().encode(
      `<!DOCTYPE html><html><head><meta charset="utf-8"><title>某县2023年度政府信息公开工作年度报告</title></head><body>` +
        `<div class="nav"><a href="/">首页</a><a href="/a">机构概况</a><a href="/b">政务公开</a><a href="/c">政务服务</a><a href="/d">互动交流</a></div>` +
        `<div class="header"><img src="/images/logo.png"></div>` +
        `<div class="side"><p>本站由县人民政府办公室主办，联系电话：0591-12345678。欢迎访问，提出宝贵意见和建议。请使用最新浏览器访问本站以获得最佳体验。</p></div>` +
        article +
        `<div class="footer"><p>主办单位：某县人民政府办公室 版权所有</p><img src="/images/gongan.png" width="20"></div></body></html>`,
    );

  it('an article holding nothing but pictures is found even when the text-chosen body misses it', async () => {
    const html = page(
      '<div class="article-body"><p><img src="/u/2024/P020240101.jpg"></p><p><img data-src="/u/2024/P020240102.png" src="/images/loading.gif"></p><img src="/images/qrcode.jpg"><img src="/u/icon.png" width="16" height="16"></div>',
    );
    const { model } = await processBytes({ bytes: html, name: 'http://www.example.gov.cn/xxgk/2024/t1.html' });
    expect(model?.meta.resources).toEqual([
      'http://www.example.gov.cn/u/2024/P020240101.jpg',
      'http://www.example.gov.cn/u/2024/P020240102.png',
    ]);
  });

  it('pictures in a page that has the form as HTML tables are not asked for', async () => {
    const html = readFileSync(join(ROOT, 'corpus/shanghai_office_2019.html'), 'utf8').replace(
      '</body>',
      '<p><img src="/u/photo.jpg"></p></body>',
    );
    const { model } = await processBytes({ bytes: new TextEncoder().encode(html), name: 'x.html' });
    expect(model?.meta.resources).toBeUndefined();
  });
});
