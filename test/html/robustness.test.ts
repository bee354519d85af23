/**
 * Error paths, 50 MB pages (generated here, never committed) and throughput.
 */
import { gzipSync } from 'node:zlib';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../src/contract/limits.js';
import { t3Value, table3Html } from '../generate/html-fixtures.js';
import { extract, fixture, tables, textAt } from './helpers.js';
import { errorCode as code } from '../helpers/errors.js';

const MiB = 1024 * 1024;
const PROSE = '本机关认真贯彻落实《条例》要求，持续推进政务公开工作。全年主动公开政府信息一千余条。';

/** Deterministic pseudo-random bytes (LCG): the same garbage on every run. */
function garbage(n: number, seed = 1): Buffer {
  const b = Buffer.alloc(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}

/** A page of `filler` repeated to about `bytes` bytes, with a report section at the end. */
function bigPage(filler: string, bytes: number): Buffer {
  const unit = Buffer.byteLength(filler);
  const parts = new Array<string>(Math.ceil(bytes / unit)).fill(filler);
  return Buffer.from(
    `<html><head><title>大页面</title></head><body>${parts.join('')}<p>三、收到和处理政府信息公开申请情况</p>${table3Html()}</body></html>`,
  );
}

describe('unreadable input', () => {
  it('rejects an empty or whitespace-only file', async () => {
    expect(await code(extract(new Uint8Array(0)))).toBe('empty-file');
    expect(await code(extract(' \r\n\t  \n'))).toBe('empty-file');
  });

  it('rejects binary garbage named .html', async () => {
    expect(await code(extract(garbage(20000)))).toBe('not-decodable');
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), garbage(5000, 9)]);
    expect(await code(extract(png))).toBe('not-decodable');
  });

  it('rejects text that decodes to garbage in every candidate encoding', async () => {
    const bad = Buffer.alloc(4000);
    for (let i = 0; i < bad.length; i += 2) bad.set([0x80, 0xff], i);
    const page = Buffer.concat([Buffer.from('<html><body><p>'), bad, Buffer.from('</p></body></html>')]);
    await expect(extract(page)).rejects.toThrow(/invalid or control characters/);
    expect(await code(extract(page))).toBe('not-decodable');
  });

  it('names a gzip body that was saved without undoing Content-Encoding', async () => {
    const gz = gzipSync(fixture('portal-layout.html'));
    await expect(extract(gz)).rejects.toThrow(/gzip/);
    expect(await code(extract(gz))).toBe('not-decodable');
  });

  it('rejects a page with no text or tables (frameset, iframe, script-rendered)', async () => {
    expect(
      await code(
        extract('<html><head><title>报告</title><script>render()</script></head><body><iframe src="r.html"></iframe></body></html>'),
      ),
    ).toBe('no-content');
    expect(await code(extract('<frameset><frame src="a.html"></frameset>'))).toBe('no-content');
  });

  it('stops when the signal has fired', async () => {
    const ac = new AbortController();
    ac.abort();
    expect(await code(extract(fixture('portal-layout.html'), { signal: ac.signal }))).toBe('aborted');
  });

  it('warns when the page text looks like a wrong single-byte decode', async () => {
    // GBK bytes served under a Cyrillic charset: decodes without a replacement character, but as mojibake.
    const bytes = iconv.encode(`<p>${PROSE.repeat(5)}</p>`, 'gbk');
    const doc = await extract(bytes, {}, 'text/html; charset=windows-1251');
    expect(doc.meta.warnings.map((w) => w.code)).toContain('encoding-suspect');
  });
});

describe('size limits', () => {
  it('honours limits.htmlMarkupBytes on the markup left after cleaning, and only there', async () => {
    const page = fixture('portal-layout.html');
    await expect(extract(page, { limits: { htmlMarkupBytes: 4096 } })).rejects.toThrow(
      /more than 4 KiB of markup .*limits\.htmlMarkupBytes = 4 KiB; raise it with --max-html-bytes/,
    );
    expect(await code(extract(page, { limits: { htmlMarkupBytes: 4096 } }))).toBe('html-too-large');
    // --max-bytes is the file size only: it never limits the markup.
    expect(tables(await extract(page, { maxBytes: 4096 }))).toHaveLength(3);
    // Scripts, styles and comments do not count: 60 KB of them under a 12 KB limit is fine.
    const padded = Buffer.concat([Buffer.from(`<script>${'x'.repeat(30000)}</script><!--${'c'.repeat(30000)}-->`), page]);
    const doc = await extract(padded, { limits: { htmlMarkupBytes: 12 * 1024 } });
    expect(tables(doc)).toHaveLength(3);
  });

  it('reads a 50 MB page that is mostly base64 images, scripts and comments', async () => {
    const b64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=='.repeat(2000);
    const filler = `<p><img src="data:image/png;base64,${b64}"></p><script>var s="${'y'.repeat(50000)}";</script><!-- ${'注释'.repeat(20000)} -->`;
    const page = bigPage(filler, 50 * MiB);
    expect(page.length).toBeGreaterThan(50 * MiB);
    const t0 = performance.now();
    const doc = await extract(page);
    const seconds = (performance.now() - t0) / 1000;
    const t = tables(doc);
    expect(t).toHaveLength(1);
    expect(textAt(t[0], 3, 3)).toBe(t3Value(0, 0));
    expect(seconds).toBeLessThan(20);
  });

  it('refuses 50 MB of real markup quickly instead of building a multi-GB DOM', async () => {
    const page = bigPage('<tr><td><p class=MsoNormal>行政许可<o:p></o:p></p></td><td>12</td><td>&nbsp;</td><td>34</td></tr>', 50 * MiB);
    const t0 = performance.now();
    await expect(extract(page)).rejects.toThrow(/more than 8 MiB of markup/);
    expect((performance.now() - t0) / 1000).toBeLessThan(15);
    expect(DEFAULT_LIMITS.htmlMarkupBytes).toBe(8 * MiB);
  });

  it('parses a page just under the default limit', async () => {
    const filler = `<p>${PROSE}</p>`;
    const page = bigPage(filler, 6 * MiB);
    const doc = await extract(page);
    expect(tables(doc)).toHaveLength(1);
    // Every filler paragraph, the section title and the table.
    expect(doc.blocks.length).toBe(Math.ceil((6 * MiB) / Buffer.byteLength(filler)) + 2);
  });
});

describe('throughput', () => {
  it('extracts a portal page at well over 100 pages per CPU-second', async () => {
    const page = fixture('portal-layout.html');
    for (let i = 0; i < 20; i++) await extract(page);
    const n = 200;
    const c0 = process.cpuUsage();
    for (let i = 0; i < n; i++) await extract(page);
    const c = process.cpuUsage(c0);
    const perSecond = n / ((c.user + c.system) / 1e6);
    // Measured 270–450/s on a loaded 2-core machine; 100 catches a regression to quadratic work.
    expect(perSecond).toBeGreaterThan(100);
  });
});
