/**
 * src/text/decode.ts: the order BOM → HTTP → meta → UTF-8 → detection →
 * gb18030, and the cases where a declaration must lose to the bytes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { badCharRatio, charsetFromContentType, charsetFromMeta, decodeBytes, normaliseCharset } from '../../src/text/decode.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const REPORT = readFileSync(join(ROOT, 'corpus/shanghai_office_2019.html'), 'utf8');
const TITLE = '2019年上海市人民政府办公厅政府信息公开工作年度报告';
const utf8 = Buffer.from(REPORT, 'utf8');
const gbk = iconv.encode(REPORT, 'gbk');
const withMeta = (charset: string, body: Buffer) =>
  Buffer.concat([Buffer.from(`<meta http-equiv="Content-Type" content="text/html; charset=${charset}">`), body]);

describe('labels', () => {
  it('normalises the Chinese national encodings to gb18030', () => {
    for (const l of ['GB2312', 'gbk', '"GBK"', 'x-gbk', 'GB18030', 'cp936']) expect(normaliseCharset(l)).toBe('gb18030');
    expect(normaliseCharset('UTF8')).toBe('utf-8');
    expect(normaliseCharset('no-such-charset')).toBeUndefined();
    expect(normaliseCharset('')).toBeUndefined();
  });

  it('reads the HTTP and meta charsets', () => {
    expect(charsetFromContentType('text/html; charset="GBK"')).toBe('gb18030');
    expect(charsetFromContentType('text/html')).toBeUndefined();
    expect(charsetFromMeta(Buffer.from('<head><meta charset=gb2312></head>'))).toBe('gb18030');
    expect(charsetFromMeta(Buffer.from('<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=utf-8">'))).toBe('utf-8');
    expect(charsetFromMeta(Buffer.from('<meta name="keywords" content="年报"><p>no charset</p>'))).toBeUndefined();
  });

  it('reads a meta that names UTF-16 as UTF-8 (the meta itself was read as ASCII)', () => {
    expect(charsetFromMeta(Buffer.from('<meta charset="utf-16">'))).toBe('utf-8');
    const d = decodeBytes(withMeta('utf-16', utf8), { html: true });
    expect(d.encoding).toBe('utf-8');
    expect(d.text).toContain(TITLE);
  });
});

describe('decodeBytes', () => {
  it('honours a BOM', () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<p>年度报告</p>', 'utf16le')]);
    expect(decodeBytes(le)).toMatchObject({ encoding: 'utf-16le', source: 'bom', text: '<p>年度报告</p>' });
    const u = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('<p>年度报告</p>')]);
    expect(decodeBytes(u, { contentType: 'text/html; charset=gbk' })).toMatchObject({
      encoding: 'utf-8',
      source: 'bom',
      text: '<p>年度报告</p>',
    });
  });

  it('decodes GBK with no declaration at all', () => {
    const d = decodeBytes(gbk, { html: true });
    expect(d).toMatchObject({ encoding: 'gb18030', source: 'detected', badRatio: 0 });
    expect(d.text).toContain(TITLE);
  });

  it('decodes a few GBK characters by falling back to gb18030', () => {
    const d = decodeBytes(iconv.encode('<p>年报</p>', 'gbk'), { html: true });
    expect(d.encoding).toBe('gb18030');
    expect(d.text).toBe('<p>年报</p>');
  });

  it('decodes GBK-only characters under a gb2312 declaration (gb18030 is the superset)', () => {
    const d = decodeBytes(withMeta('gb2312', iconv.encode('<p>喆堃镇2021年年度报告</p>', 'gbk')), { html: true });
    expect(d).toMatchObject({ encoding: 'gb18030', source: 'meta' });
    expect(d.text).toContain('喆堃镇2021年年度报告');
  });

  it('trusts valid UTF-8 over a stale gb2312 meta and over a GBK server default', () => {
    const m = decodeBytes(withMeta('gb2312', utf8), { html: true });
    expect(m).toMatchObject({ encoding: 'utf-8', source: 'utf8-valid', declared: 'gb18030' });
    const h = decodeBytes(utf8, { contentType: 'text/html; charset=GBK', html: true });
    expect(h).toMatchObject({ encoding: 'utf-8', source: 'utf8-valid', declared: 'gb18030' });
    expect(h.text).toContain(TITLE);
  });

  it('ignores a charset=utf-8 declaration that the GBK bytes contradict', () => {
    for (const d of [decodeBytes(gbk, { contentType: 'text/html; charset=utf-8' }), decodeBytes(withMeta('utf-8', gbk), { html: true })]) {
      expect(d.encoding).toBe('gb18030');
      expect(d.declared).toBe('utf-8');
      expect(d.text).toContain(TITLE);
      expect(d.badRatio).toBe(0);
    }
  });

  it('treats an ISO-8859-1 server default on non-ASCII bytes as no declaration', () => {
    const d = decodeBytes(withMeta('gbk', gbk), { contentType: 'text/html; charset=ISO-8859-1', html: true });
    expect(d).toMatchObject({ encoding: 'gb18030', source: 'meta', declared: 'iso-8859-1' });
    expect(d.text).toContain(TITLE);
    // Pure ASCII: the header is harmless and kept.
    expect(decodeBytes(Buffer.from('<p>ok</p>'), { contentType: 'text/html; charset=iso-8859-1' })).toMatchObject({ source: 'http' });
  });

  it('keeps UTF-8 cut mid-character (a truncated download) as UTF-8, not gb18030 mojibake', () => {
    for (let cut = 1000; cut < 1004; cut++) {
      const d = decodeBytes(utf8.subarray(0, cut), { html: true });
      expect(d.encoding, `cut at ${cut}`).toBe('utf-8');
      expect(d.text).toContain(TITLE);
    }
    const stray = Buffer.concat([utf8.subarray(0, 5000), Buffer.from([0xff]), utf8.subarray(5000)]);
    const d = decodeBytes(stray, { html: true });
    expect(d).toMatchObject({ encoding: 'utf-8', source: 'detected' });
    expect(d.badRatio).toBeGreaterThan(0);
    expect(d.text).toContain(TITLE);
  });

  it('reports garbage through badRatio', () => {
    let x = 7;
    const random = Buffer.alloc(20000, 0).map(() => (x = (x * 1103515245 + 12345) % 2147483648) >> 23);
    expect(decodeBytes(random, { html: true }).badRatio).toBeGreaterThan(0.1);
    expect(badCharRatio('正常文本\n\t')).toBe(0);
    expect(badCharRatio('\u0000\ufffd正常')).toBe(0.5);
    expect(badCharRatio('')).toBe(0);
  });
});
