import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { analysePage, DEFAULT_NAV_TEXT, DEFAULT_REPORT_TEXT, followedFrom, type DiscoverPatterns } from '../../src/crawl/discover.js';
import { decodeBytes } from '../../src/text/decode.js';

const P: DiscoverPatterns = { reportText: DEFAULT_REPORT_TEXT, navText: DEFAULT_NAV_TEXT, include: [] };
const BASE = 'http://x.gov.cn/col/col1/index.html';
const roles = (html: string, kind: 'start' | 'listing' | 'report' = 'listing', patterns = P) =>
  analysePage(html, BASE, kind, patterns).links.map((l) => `${l.role} ${l.url}`);

describe('analysePage', () => {
  it('classifies report, column, navigation, pagination and attachment links; ignores the rest', () => {
    const html = `<title>政府信息公开年报</title>
      <a href="/art/1.html">某市2022年政府信息公开工作年度报告</a>
      <a href="/col/col2/index.html">政府信息公开年报</a>
      <a href="/xxgk/">政府信息公开</a>
      <a href="index_1.html">下一页</a>
      <a href="/files/2021.pdf">2021年报告.pdf</a>
      <a href="/news/1.html">新闻动态</a>
      <a href="/img/a.jpg">2022年年度报告图解</a>
      <a href="javascript:void(0)">2022年度报告</a>
      <a href="#top">年度报告</a>`;
    expect(roles(html)).toEqual([
      'report http://x.gov.cn/art/1.html',
      'listing http://x.gov.cn/col/col2/index.html',
      'listing http://x.gov.cn/xxgk/',
      'pagination http://x.gov.cn/col/col1/index_1.html',
      'attachment http://x.gov.cn/files/2021.pdf',
    ]);
  });

  it('reads truncated titles from the title attribute and image alt text', () => {
    const html = `<a href="/art/2.html" title="某区2019年政府信息公开工作年度报告">某区2019年政府信…</a>
      <a href="/art/3.html"><img src="x.png" alt="2018年年报"></a>`;
    expect(roles(html)).toEqual(['report http://x.gov.cn/art/2.html', 'report http://x.gov.cn/art/3.html']);
  });

  it('writes the pages of a TRS createPageHTML script and honours <base href>', () => {
    const html = `<base href="http://x.gov.cn/col/col9/"><a href="a.html">2020年度报告</a>
      <script>createPageHTML(3, 0, "index", "html");</script>`;
    expect(roles(html)).toEqual([
      'report http://x.gov.cn/col/col9/a.html',
      'pagination http://x.gov.cn/col/col9/index.html',
      'pagination http://x.gov.cn/col/col9/index_1.html',
      'pagination http://x.gov.cn/col/col9/index_2.html',
    ]);
  });

  it('tells a report page (with 上一篇/下一篇) from a listing', () => {
    const report = `<title>某市2022年政府信息公开工作年度报告</title><p>正文</p>
      <p>上一篇：<a href="/art/0.html">某市2021年政府信息公开工作年度报告</a></p>
      <p>下一篇：<a href="/art/2.html">某市2023年政府信息公开工作年度报告</a></p>
      <a href="/module/download/downfile.jsp?id=1">附件：全文</a>`;
    const page = analysePage(report, 'http://x.gov.cn/art/1.html', 'report', P);
    expect(page.listing).toBe(false);
    expect(page.links.filter((l) => followedFrom(page, l)).map((l) => l.role)).toEqual(['report', 'report', 'attachment']);

    const listing = analysePage(report + '<a href="/art/9.html">某市2019年年度报告</a>', 'http://x.gov.cn/art/1.html', 'report', P);
    expect(listing.listing).toBe(true);
    // A start page is a report only when its title names one and it lists none.
    expect(analysePage('<title>某市2022年政府信息公开工作年度报告</title><p>正文</p>', BASE, 'start', P).listing).toBe(false);
    expect(analysePage('<title>某市人民政府</title><p>正文</p>', BASE, 'start', P).listing).toBe(true);
  });

  it('on listings, follows only attachments that name a report or match --include', () => {
    const html = `<a href="/f/guide.pdf">政府信息公开指南.pdf</a><a href="/f/2022.pdf">2022年度报告.pdf</a><a href="/f/x.doc">附件</a>`;
    const page = analysePage(html, BASE, 'listing', { ...P, include: [/x\.doc$/] });
    expect(page.links.filter((l) => followedFrom(page, l)).map((l) => l.url)).toEqual([
      'http://x.gov.cn/f/2022.pdf',
      'http://x.gov.cn/f/x.doc',
    ]);
  });

  it('follows a configurable link text instead of the default', () => {
    const html = `<a href="/a.html">2022年度报告</a><a href="/b.html">2022年工作总结</a>`;
    expect(roles(html, 'listing', { ...P, reportText: /工作总结/ })).toEqual(['report http://x.gov.cn/b.html']);
  });

  it('finds report links on a GBK page with no charset anywhere, once decoded', () => {
    const html =
      '<html><body><p>本栏目公开本级各部门政府信息公开工作年度报告。</p>' +
      '<a href="/bm/d1.html">某局2022年政府信息公开工作年度报告</a></body></html>';
    const bytes = iconv.encode(html, 'gbk');
    const decoded = decodeBytes(bytes, { html: true });
    expect(roles(decoded.text)).toEqual(['report http://x.gov.cn/bm/d1.html']);
    // Read as UTF-8 (what fetch().text() does) the link text is lost.
    expect(roles(Buffer.from(bytes).toString('utf8'))).toEqual([]);
  });
});

describe('redirect pages', () => {
  const redirectOf = (html: string) => analysePage(html, 'http://x.gov.cn/a/index.html', 'listing', P).redirect;

  it('reads <meta http-equiv=refresh> and script redirects on empty pages as redirects', () => {
    expect(redirectOf('<meta http-equiv="Refresh" content="0; URL=/col/col12/index.html">')).toBe('http://x.gov.cn/col/col12/index.html');
    expect(redirectOf(`<body><script>window.location.href = "../b/list.html";</script></body>`)).toBe('http://x.gov.cn/b/list.html');
    expect(redirectOf(`<script>location.replace('https://y.gov.cn/')</script>`)).toBe('https://y.gov.cn/');
  });

  it('does not mistake a slow refresh, a search handler or a page with content for one', () => {
    expect(redirectOf('<meta http-equiv="refresh" content="300; url=/">')).toBeUndefined();
    expect(redirectOf(`<script>function go(q){ window.location.href = '/search?q=' + q; }</script>`)).toBeUndefined();
    expect(redirectOf(`<a href="/r.html">2022年度报告</a><script>location.href = '/x.html';</script>`)).toBeUndefined();
    expect(redirectOf(`<p>${'正文'.repeat(200)}</p><script>location.href = '/x.html';</script>`)).toBeUndefined();
  });
});
