/**
 * A fixture government portal on 127.0.0.1 (node:http), for crawler tests and
 * the benchmark. Nothing here ever contacts another address.
 *
 * Layout (N column reports, newest first, `perPage` per listing page):
 *   /robots.txt                 Disallow: /private/
 *   /                           home, UTF-8: links to /xxgk/, /news/ (not a report link), /private/,
 *                               an off-host column, the trap, and a link with a jsessionid
 *   /xxgk/                      GBK with <meta charset=gbk>, no HTTP charset
 *   /xxgk/ndbg/index.html       the column (UTF-8, HTTP charset), index_1.html … with 下一页;
 *                               page 0 also lists the special cases below
 *   /bm/ndbg/ (+ index_1.html)  GBK without any charset; pagination only in a TRS createPageHTML script
 *   /art/r{i}.html              report i: i%4=0 inline report (with 上一篇/下一篇 links);
 *                               1: page + PDF at /module/download/downfile.jsp?id=i (octet-stream);
 *                               2: page + /files/r{i}.docx (octet-stream); 3: page + /attach/r{i} (HTML as octet-stream)
 *   specials on page 0: /art/old-2019.html 302 → /art/2019/moved.html; /art/missing-2018.html 404;
 *     /art/flaky-2017.html 500 twice then 200; /art/slow-2016.html answers after slowMs;
 *     /private/2015.html (robots); /files/huge.pdf (chunked, endless until cut off);
 *     /files/huge-declared.pdf (Content-Length over the limit); /files/copy/r1.pdf (= r1's PDF);
 *     /art/shanghai-2019.html (corpus/shanghai_office_2019.html); /files/hzq2023.pdf (corpus PDF, octet-stream)
 *   /trap/calendar?month=N      年报日历: 下一页 → month N+1 forever, plus ;jsessionid self-links
 *   other host (second server)  /ndbg/2012.html: must never be requested unless allowed
 *
 * Every response carries ETag and Last-Modified and honours If-None-Match /
 * If-Modified-Since. The portal counts requests per path and in-flight
 * requests per Host header.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { zipSync, strToU8 } from 'fflate';
import iconv from 'iconv-lite';

const HERE = dirname(fileURLToPath(import.meta.url));
// test/crawl/ from the sources, dist/test/crawl/ when compiled (the benchmark).
const ROOT = [join(HERE, '..', '..'), join(HERE, '..', '..', '..')].find((d) => existsSync(join(d, 'corpus'))) ?? join(HERE, '..', '..');

export interface PortalOptions {
  /** Column reports (default 9). */
  reports?: number;
  perPage?: number;
  /** Added to every response, so concurrent requests overlap (default 5 ms). */
  latencyMs?: number;
  /** How long /art/slow-2016.html takes (default 1500 ms). */
  slowMs?: number;
  /** 500 answers before /art/flaky-2017.html succeeds (default 2). */
  flakyFailures?: number;
  /** Bytes /files/huge.pdf would send if nobody stopped it (default 64 MiB). */
  hugeBytes?: number;
  robots?: string;
  /** Which validators responses carry (default both). With 'none', conditional requests are ignored. */
  validators?: 'both' | 'last-modified' | 'none';
  /** Leave out the special cases (benchmark). */
  plain?: boolean;
  /** Loopback address to listen on (multi-host tests: 127.0.0.x). Default 127.0.0.1. */
  host?: string;
  /**
   * Report pages carry noise that changes on every request: a view counter
   * (访问次数), today's date and a session token, as real portals do.
   */
  noise?: boolean;
  /** Makes every page and file of this portal differ from another portal's (benchmarks of many portals with extraction). */
  seed?: number;
}

export interface RequestRecord {
  path: string;
  /** Arrival time, ms (Date.now()). */
  at: number;
  host: string;
  status: number;
  conditional: boolean;
}

export interface ExpectedDocument {
  /** The URL the document is stored under (document_locations.location). */
  url: string;
  /** Pages that link it: the stored referrer must be one of them. */
  linkedFrom: string[];
}

export interface Portal {
  origin: string;
  otherOrigin: string;
  /** Requests per path (with query), both servers. */
  requests: Map<string, number>;
  log: RequestRecord[];
  /** Largest number of requests in flight at once, per Host header. */
  maxInFlight: Map<string, number>;
  /** Bytes /files/huge.pdf actually wrote before the client went away. */
  hugeSent: () => number;
  expectedDocuments(): ExpectedDocument[];
  /** Silent edit of inline report i (i % 4 === 0). */
  changeReport(i: number): void;
  /** Silent edit of the PDF attachment of report i (i % 4 === 1). */
  editAttachment(i: number): void;
  /** A new report at the top of the column. Returns its index. */
  addReport(): number;
  /** Report i is no longer listed in the column (its page is still served). */
  unlist(i: number): void;
  /** Report i's page answers 404 from now on. */
  remove(i: number): void;
  resetCounters(): void;
  count(pathPrefix: string): number;
  close(): Promise<void>;
}

function sleep(ms: number): Promise<void> {
  // unref: a pending slow answer never keeps a finished test process alive.
  return new Promise((r) => setTimeout(r, ms).unref());
}

/** A small valid PDF whose page shows `text` (ASCII). */
export function makePdf(text: string): Buffer {
  const stream = `BT /F1 12 Tf 72 720 Td (${text.replace(/[()\\]/g, '')}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) out += `${String(off).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** A minimal .docx holding one paragraph per line. */
export function makeDocx(lines: string[]): Buffer {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const body = lines.map((l) => `<w:p><w:r><w:t>${esc(l)}</w:t></w:r></w:p>`).join('');
  const files = {
    '[Content_Types].xml': strToU8(
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
        '<Default Extension="xml" ContentType="application/xml"/>' +
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
    ),
    '_rels/.rels': strToU8(
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
    ),
    'word/document.xml': strToU8(
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">' +
        `<w:body>${body}</w:body></w:document>`,
    ),
  };
  // Fixed mtime: the same content always zips to the same bytes.
  return Buffer.from(zipSync(files, { mtime: new Date('2024-01-01T00:00:00Z') }));
}

function page(title: string, body: string, charset = 'utf-8', meta = true): string {
  const m = meta ? `<meta charset="${charset}">` : '';
  return `<!DOCTYPE html><html><head>${m}<title>${title}</title></head><body><h1>${title}</h1>${body}</body></html>`;
}

function reportTable(seed: number): string {
  const n = (k: number) => ((seed * 37 + k * 11) % 900) + 10;
  return (
    '<table border="1"><tr><th>本年新收政府信息公开申请数量</th><td>' +
    n(1) +
    '</td></tr><tr><th>上年结转政府信息公开申请数量</th><td>' +
    n(2) +
    '</td></tr><tr><th>予以公开</th><td>' +
    n(3) +
    '</td></tr></table>'
  );
}

const YEAR0 = 2023;

interface Response {
  status: number;
  body?: Buffer;
  type?: string;
  headers?: Record<string, string>;
  /** Stream this many bytes instead of a body (the huge file). */
  stream?: number;
}

export async function startPortal(options: PortalOptions = {}): Promise<Portal> {
  const perPage = options.perPage ?? 4;
  const latency = options.latencyMs ?? 5;
  const slowMs = options.slowMs ?? 1500;
  const flakyFailures = options.flakyFailures ?? 2;
  const hugeBytes = options.hugeBytes ?? 64 * 1024 * 1024;
  const plain = options.plain ?? false;
  let reports = options.reports ?? 9;
  const inlineVersion = new Map<number, number>();
  const attachmentVersion = new Map<number, number>();
  const requests = new Map<string, number>();
  const log: RequestRecord[] = [];
  const inFlight = new Map<string, number>();
  const maxInFlight = new Map<string, number>();
  let flakyCount = 0;
  const active = new Set<string>();
  let hugeSent = 0;
  let origin = '';
  let otherOrigin = '';

  const year = (i: number) => YEAR0 - (i % 12);
  /** Column index i is shown newest first: report N-1 on top. */
  const unit = options.seed === undefined ? '' : `${options.seed}区`;
  const title = (i: number) => `${unit}第${i}号单位${year(i)}年政府信息公开工作年度报告`;
  const pdfOf = (i: number) => makePdf(`report ${unit ? `${options.seed}-` : ''}${i} attachment version ${attachmentVersion.get(i) ?? 0}`);
  const listingUrl = (p: number) => `${origin}/xxgk/ndbg/${p === 0 ? 'index.html' : `index_${p}.html`}`;
  const hidden = new Set<number>();
  const removed = new Set<number>();
  const order = () => Array.from({ length: reports }, (_, k) => reports - 1 - k).filter((i) => !hidden.has(i));
  const pageOfReport = (i: number) => Math.floor(order().indexOf(i) / perPage);
  const pages = () => Math.max(1, Math.ceil(reports / perPage));

  const specials = (): Array<{ href: string; text: string }> =>
    plain
      ? []
      : [
          { href: '/art/shanghai-2019.html', text: '上海市人民政府办公厅2019年政府信息公开工作年度报告' },
          { href: '/files/hzq2023.pdf', text: '2023年政府信息公开工作年度报告（PDF）' },
          { href: '/art/old-2019.html', text: '2019年度报告（已迁移）' },
          { href: '/art/missing-2018.html', text: '2018年度报告' },
          { href: '/art/flaky-2017.html', text: '2017年度报告' },
          { href: '/art/slow-2016.html', text: '2016年度报告' },
          { href: '/private/2015.html', text: '2015年度报告（内部）' },
          { href: '/files/huge.pdf', text: '2014年政府信息公开年度报告全文.pdf' },
          { href: '/files/huge-declared.pdf', text: '2013年政府信息公开年度报告全文.pdf' },
          { href: '/files/copy/r1.pdf', text: '2012年度报告附件（副本）.pdf' },
          { href: `${otherOrigin}/ndbg/2012.html`, text: '外单位2012年度报告' },
          { href: 'index.html;jsessionid=A1B2C3D4', text: '政府信息公开年报' },
          { href: '/xxgk/ndbg/?sid=0F0F0F', text: '政府信息公开年报' },
        ];

  const listing = (p: number): string => {
    const items = order()
      .slice(p * perPage, (p + 1) * perPage)
      .map((i) => `<li><a href="/art/r${i}.html" title="${title(i)}">${title(i).slice(0, 14)}…</a> <span>${year(i) + 1}-01-20</span></li>`)
      .join('');
    const extra =
      p === 0
        ? specials()
            .map((s) => `<li><a href="${s.href}">${s.text}</a></li>`)
            .join('')
        : '';
    const nav: string[] = [];
    if (p > 0) nav.push(`<a href="${p === 1 ? 'index.html' : `index_${p - 1}.html`}">上一页</a>`);
    for (let k = 0; k < pages(); k++) nav.push(`<a href="${k === 0 ? 'index.html' : `index_${k}.html`}">${k + 1}</a>`);
    if (p < pages() - 1) nav.push(`<a href="index_${p + 1}.html">下一页</a>`);
    return page('政府信息公开年报', `<ul>${items}${extra}</ul><div class="pager">${nav.join(' ')}</div><a href="/">首页</a>`);
  };

  let views = 0;
  /** What changes on every request of a noisy page (the content does not). */
  const noiseOf = (): string => {
    if (!options.noise) return '';
    views++;
    const d = new Date(Date.UTC(2026, 0, 1) + views * 86_400_000);
    const token = createHash('md5').update(String(views)).digest('hex');
    return (
      `<div class="info">今天是${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日 星期${'日一二三四五六'[d.getUTCDay()]}` +
      ` 访问次数：${1000 + views * 7} 浏览量: ${views}</div><input type="hidden" name="csrf" value="${token}">` +
      `<a href="/search?token=${token}">站内搜索</a>`
    );
  };

  const reportPage = (i: number): string => {
    const neighbours = [i + 1, i - 1]
      .filter((k) => k >= 0 && k < reports)
      .map((k, n) => `<p>${n === 0 ? '上一篇' : '下一篇'}：<a href="/art/r${k}.html">${title(k)}</a></p>`)
      .join('');
    switch (i % 4) {
      case 0:
        return page(
          title(i),
          `<p>一、总体情况（第${inlineVersion.get(i) ?? 0}版）</p>${reportTable(i + 100 * (inlineVersion.get(i) ?? 0))}${neighbours}${noiseOf()}`,
        );
      case 1:
        return page(
          title(i),
          `<p>全文请见附件。</p><p><a href="/module/download/downfile.jsp?id=${i}&classid=0">附件：${title(i)}</a></p>${noiseOf()}`,
        );
      case 2:
        return page(title(i), `<p>附件下载：</p><a href="/files/r${i}.docx">${year(i)}年报告.docx</a>`);
      default:
        return page(title(i), `<p>附件：</p><a href="/attach/r${i}">年度报告全文（网页版）</a>`);
    }
  };

  const gbk = (s: string) => iconv.encode(s, 'gbk');
  const deptTitle = (k: number) => `${unit}部门${k}${YEAR0 - k}年政府信息公开工作年度报告`;
  const deptListing = (p: number) =>
    page(
      '部门信息公开年报',
      '<p>本栏目公开本级各部门政府信息公开工作年度报告，按照政府信息公开条例要求发布。</p><ul>' +
        [0, 1, 2]
          .map((k) => k + p * 3)
          .map((k) => `<li><a href="/bm/art/d${k}.html">${deptTitle(k)}</a></li>`)
          .join('') +
        `</ul><script>createPageHTML(2, ${p}, "index", "html");</script>`,
      'gbk',
      false,
    );

  /** `gone` resolves when the client hangs up (a slow answer stops waiting then). */
  function route(req: IncomingMessage, gone: Promise<void>): Response | Promise<Response> {
    const url = new URL(req.url ?? '/', origin);
    const path = url.pathname;
    const html = (s: string, type = 'text/html; charset=utf-8'): Response => ({ status: 200, body: Buffer.from(s, 'utf8'), type });
    const gbkHtml = (s: string): Response => ({ status: 200, body: gbk(s), type: 'text/html' });

    if (path === '/robots.txt') {
      return { status: 200, body: Buffer.from(options.robots ?? 'User-agent: *\nDisallow: /private/\n'), type: 'text/plain' };
    }
    if (path === '/') {
      return html(
        page(
          '示例市人民政府',
          '<a href="/xxgk/">政府信息公开</a> <a href="/news/">新闻动态</a> ' +
            (plain ? '' : '<a href="/private/">内部信息公开年报</a> <a href="/trap/calendar?month=0">年报日历</a> ') +
            (plain ? '' : `<a href="${otherOrigin}/ndbg/">友情链接：外单位信息公开年报</a>`),
        ),
      );
    }
    if (path === '/xxgk/') {
      return gbkHtml(
        page(
          '政府信息公开',
          '<p>政府信息公开目录，按照条例规定公开本机关政府信息。</p><a href="/xxgk/ndbg/index.html">政府信息公开年报</a> ' +
            '<a href="/bm/ndbg/">部门信息公开年报</a> <a href="/xxgk/zn.html">公开指南</a>',
          'gbk',
        ),
      );
    }
    let m = path.match(/^\/xxgk\/ndbg\/(?:index(?:_(\d+))?\.html)?$/);
    if (m) {
      const p = Number(m[1] ?? 0);
      return p < pages() ? html(listing(p)) : { status: 404 };
    }
    m = path.match(/^\/bm\/ndbg\/(?:index(?:_(\d+))?\.html)?$/);
    if (m) {
      const p = Number(m[1] ?? 0);
      return p < 2 ? gbkHtml(deptListing(p)) : { status: 404 };
    }
    m = path.match(/^\/bm\/art\/d(\d+)\.html$/);
    if (m) {
      const k = Number(m[1]);
      return gbkHtml(page(deptTitle(k), `<p>一、总体情况。本部门认真贯彻落实政府信息公开条例。</p>${reportTable(k + 500)}`, 'gbk', false));
    }
    m = path.match(/^\/art\/r(\d+)\.html$/);
    if (m && Number(m[1]) < reports && !removed.has(Number(m[1]))) return html(reportPage(Number(m[1])));
    m = path.match(/^\/module\/download\/downfile\.jsp$/);
    if (m) {
      const i = Number(url.searchParams.get('id'));
      if (i % 4 === 1 && i < reports) return { status: 200, body: pdfOf(i), type: 'application/octet-stream' };
      return { status: 404 };
    }
    m = path.match(/^\/files\/r(\d+)\.docx$/);
    if (m && Number(m[1]) % 4 === 2) {
      const i = Number(m[1]);
      return { status: 200, body: makeDocx([title(i), `一、总体情况（${i}）`]), type: 'application/octet-stream' };
    }
    m = path.match(/^\/attach\/r(\d+)$/);
    if (m && Number(m[1]) % 4 === 3) {
      const i = Number(m[1]);
      return { status: 200, body: Buffer.from(page(title(i), `<p>附件正文</p>${reportTable(i + 300)}`)), type: 'application/octet-stream' };
    }
    if (plain) return { status: 404 };
    switch (path) {
      case '/art/shanghai-2019.html':
        return html(
          page('2019年上海市人民政府办公厅政府信息公开工作年度报告', readFileSync(join(ROOT, 'corpus/shanghai_office_2019.html'), 'utf8')),
        );
      case '/files/hzq2023.pdf':
        return { status: 200, body: readFileSync(join(ROOT, 'corpus/hzq2023_working.pdf')), type: 'application/octet-stream' };
      case '/art/old-2019.html':
        return { status: 302, headers: { location: '/art/2019/moved.html' } };
      case '/art/2019/moved.html':
        return html(page('2019年政府信息公开工作年度报告', `<p>迁移后的报告</p>${reportTable(2019)}`));
      case '/art/missing-2018.html':
        return { status: 404, body: Buffer.from(page('404', '页面不存在')), type: 'text/html; charset=utf-8' };
      case '/art/flaky-2017.html':
        if (flakyCount++ < flakyFailures) return { status: 500, body: Buffer.from('busy'), type: 'text/plain' };
        return html(page('2017年政府信息公开工作年度报告', `<p>第三次才成功</p>${reportTable(2017)}`));
      case '/art/slow-2016.html':
        return Promise.race([sleep(slowMs), gone]).then(() =>
          html(page('2016年政府信息公开工作年度报告', `<p>很慢</p>${reportTable(2016)}`)),
        );
      case '/private/2015.html':
      case '/private/':
        return html(page('内部', '<p>robots.txt 不允许</p>'));
      case '/files/huge.pdf':
        return { status: 200, stream: hugeBytes, type: 'application/pdf' };
      case '/files/huge-declared.pdf':
        return { status: 200, stream: hugeBytes, type: 'application/pdf', headers: { 'content-length': String(hugeBytes) } };
      case '/files/copy/r1.pdf':
        return { status: 200, body: pdfOf(1), type: 'application/pdf' };
      case '/trap/calendar': {
        const month = Number(url.searchParams.get('month') ?? 0);
        const sid = Math.random().toString(36).slice(2);
        return html(
          page(
            `年报日历 ${month}`,
            `<a href="/trap/calendar;jsessionid=${sid}?month=${month}">年报日历</a> <a href="/trap/calendar?sid=${sid}&month=${month}">年报日历</a> ` +
              `<a href="/trap/calendar?month=${month + 1}&sid=${sid}">下一页</a>`,
          ),
        );
      }
    }
    return { status: 404 };
  }

  function validatorsOf(body: Buffer): { etag: string; lastModified: string } {
    const h = createHash('sha1').update(body).digest('hex');
    // A date derived from the content: another content gets another date.
    const lastModified = new Date(Date.UTC(2024, 0, 1) + (parseInt(h.slice(0, 6), 16) % 100_000) * 60_000).toUTCString();
    return { etag: `"${h.slice(0, 16)}"`, lastModified };
  }

  async function handle(req: IncomingMessage, res: ServerResponse, server: 'main' | 'other'): Promise<void> {
    const at = Date.now();
    const host = req.headers.host ?? '?';
    const path = req.url ?? '/';
    const key = server === 'other' ? `other:${path}` : path;
    requests.set(key, (requests.get(key) ?? 0) + 1);
    const n = (inFlight.get(host) ?? 0) + 1;
    inFlight.set(host, n);
    active.add(key);
    res.on('close', () => active.delete(key));
    if (process.env.PORTAL_DEBUG && n > 2) console.error('inflight', n, [...active]);
    maxInFlight.set(host, Math.max(maxInFlight.get(host) ?? 0, n));
    res.on('close', () => inFlight.set(host, (inFlight.get(host) ?? 1) - 1));
    const conditional = req.headers['if-none-match'] !== undefined || req.headers['if-modified-since'] !== undefined;
    if (latency) await sleep(latency);

    let r: Response;
    if (server === 'other') {
      r = { status: 200, body: Buffer.from(page('外单位2012年度报告', '<p>外部</p>')), type: 'text/html; charset=utf-8' };
    } else {
      r = await route(req, new Promise<void>((resolve) => res.once('close', () => resolve())));
    }
    const record = (status: number) => log.push({ path: key, at, host, status, conditional });

    if (r.stream !== undefined) {
      res.writeHead(200, { 'content-type': r.type ?? 'application/octet-stream', ...(r.headers ?? {}) });
      record(200);
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      chunk.write('%PDF-1.4\n');
      let closed = false;
      res.once('close', () => (closed = true));
      let sent = 0;
      // Write until the client hangs up (or everything is sent): counts what really left.
      while (sent < r.stream && !closed) {
        const part = chunk.subarray(0, Math.min(chunk.length, r.stream - sent));
        const ok = res.write(part);
        sent += part.length;
        hugeSent += part.length;
        if (!ok) {
          await new Promise<void>((resolve) => {
            const done = () => {
              res.off('drain', done);
              res.off('close', done);
              resolve();
            };
            res.on('drain', done);
            res.on('close', done);
          });
        }
      }
      res.end();
      return;
    }
    const headers: Record<string, string> = { ...(r.headers ?? {}) };
    if (r.type) headers['content-type'] = r.type;
    if (r.body) headers['content-length'] = String(r.body.length);
    const validators = options.validators ?? 'both';
    if (r.status === 200 && r.body && validators !== 'none') {
      const v = validatorsOf(r.body);
      if (validators === 'both') headers.etag = v.etag;
      headers['last-modified'] = v.lastModified;
      const inm = req.headers['if-none-match'];
      const ims = req.headers['if-modified-since'];
      // If-None-Match wins when both are sent (RFC 9110 13.2.2).
      const fresh = inm !== undefined && validators === 'both' ? inm === v.etag : ims === v.lastModified;
      if (fresh) {
        const h304: Record<string, string> = { 'last-modified': v.lastModified };
        if (validators === 'both') h304.etag = v.etag;
        res.writeHead(304, h304);
        record(304);
        res.end();
        return;
      }
    }
    res.writeHead(r.status, headers);
    record(r.status);
    res.end(r.body);
  }

  const servers: Server[] = [];
  const listen = (which: 'main' | 'other') =>
    new Promise<string>((resolve) => {
      const s = createServer((req, res) => {
        handle(req, res, which).catch((e) => {
          res.destroy(e as Error);
        });
      });
      s.keepAliveTimeout = 1000;
      servers.push(s);
      const host = which === 'main' ? (options.host ?? '127.0.0.1') : '127.0.0.1';
      s.listen(0, host, () => resolve(`http://${host}:${(s.address() as AddressInfo).port}`));
    });
  origin = await listen('main');
  otherOrigin = await listen('other');

  return {
    origin,
    otherOrigin,
    requests,
    log,
    maxInFlight,
    hugeSent: () => hugeSent,
    expectedDocuments(): ExpectedDocument[] {
      const docs: ExpectedDocument[] = [];
      for (let i = 0; i < reports; i++) {
        const pageUrl = `${origin}/art/r${i}.html`;
        const linkers = [listingUrl(pageOfReport(i))];
        if ((i + 1) % 4 === 0 && i + 1 < reports) linkers.push(`${origin}/art/r${i + 1}.html`);
        if ((i - 1) % 4 === 0 && i - 1 >= 0) linkers.push(`${origin}/art/r${i - 1}.html`);
        docs.push({ url: pageUrl, linkedFrom: linkers });
        if (i % 4 === 1) docs.push({ url: `${origin}/module/download/downfile.jsp?classid=0&id=${i}`, linkedFrom: [pageUrl] });
        if (i % 4 === 2) docs.push({ url: `${origin}/files/r${i}.docx`, linkedFrom: [pageUrl] });
        if (i % 4 === 3) docs.push({ url: `${origin}/attach/r${i}`, linkedFrom: [pageUrl] });
      }
      for (let k = 0; k < 6; k++) {
        docs.push({ url: `${origin}/bm/art/d${k}.html`, linkedFrom: [`${origin}/bm/ndbg/${k < 3 ? '' : 'index_1.html'}`] });
      }
      if (!plain) {
        const l0 = listingUrl(0);
        docs.push({ url: `${origin}/art/shanghai-2019.html`, linkedFrom: [l0] });
        docs.push({ url: `${origin}/files/hzq2023.pdf`, linkedFrom: [l0] });
        docs.push({ url: `${origin}/art/2019/moved.html`, linkedFrom: [l0] });
        docs.push({ url: `${origin}/art/flaky-2017.html`, linkedFrom: [l0] });
        docs.push({ url: `${origin}/files/copy/r1.pdf`, linkedFrom: [l0] });
      }
      return docs;
    },
    changeReport(i: number) {
      if (i % 4 !== 0) throw new Error('inline reports are those with i % 4 === 0');
      inlineVersion.set(i, (inlineVersion.get(i) ?? 0) + 1);
    },
    editAttachment(i: number) {
      if (i % 4 !== 1) throw new Error('PDF attachments are those with i % 4 === 1');
      attachmentVersion.set(i, (attachmentVersion.get(i) ?? 0) + 1);
    },
    addReport() {
      return reports++;
    },
    unlist(i: number) {
      hidden.add(i);
    },
    remove(i: number) {
      removed.add(i);
    },
    resetCounters() {
      requests.clear();
      log.length = 0;
      maxInFlight.clear();
    },
    count(prefix: string) {
      let n = 0;
      for (const [p, c] of requests) if (p.startsWith(prefix)) n += c;
      return n;
    },
    close: () =>
      Promise.all(
        servers.map(
          (s) =>
            new Promise<void>((resolve) => {
              s.closeAllConnections();
              s.close(() => resolve());
            }),
        ),
      ).then(() => undefined),
  };
}
