/**
 * Stand-in portals of the CMS platforms in notes/portals.md, on 127.0.0.1
 * (one origin each), reproducing their HTTP shapes: Hanweb jpage (embedded
 * <datastore>, param_<unit>, the POST dataproxy with a form body and a
 * Referer check, a boundary record repeated between groups, the older
 * InitData array with another proxy path, a GET-only nextgroup column),
 * Hanweb JPaaS (script url= + queryData, paramJson paging, 403 without a
 * Referer, {"success":false,"msg"} with HTTP 200), Guangdong gkmlpt
 * (_CONFIG SID/TREE, /gkmlpt/api/all/{cat}?page&sid, DETAIL.content) and TRS
 * (6-argument createPageHTML, createPage, document.writeln lists, P020 files
 * with a dead OLDSRC, a pdf.js viewer link). Downloads: downfile.jsp → 302
 * /attach/…, Content-Disposition in raw GBK bytes, RFC 5987 and
 * =?UTF-8?B?…?=, no name at all; an encrypted PDF; an empty dataproxy answer.
 *
 * Every portal lists its annual reports among other notices; `expected` is
 * the set of URLs whose documents a crawl must store.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import { makeDocx, makePdf } from './portal.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

export type PlatformKind = 'hanweb' | 'jpaas' | 'gkmlpt' | 'trs' | 'xxgk';

export interface PlatformPortal {
  kind: PlatformKind;
  origin: string;
  /** Start URL of the crawl. */
  start: string;
  /** URLs whose documents must be stored. */
  expected: string[];
  /** Requests: method, path (with query), status. */
  log: Array<{ method: string; path: string; status: number; referer?: string; body?: string }>;
  close(): Promise<void>;
}

interface Reply {
  status: number;
  body?: Buffer | string;
  type?: string;
  headers?: Record<string, string>;
}

const html = (body: string, title = '', head = ''): Reply => ({
  status: 200,
  type: 'text/html; charset=utf-8',
  body: `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${title}</title>${head}</head><body>${body}</body></html>`,
});
const json = (v: unknown, status = 200): Reply => ({ status, type: 'application/json;charset=UTF-8', body: JSON.stringify(v) });
const xml = (s: string): Reply => ({ status: 200, type: 'text/xml;charset=UTF-8', body: s });

function table(seed: number): string {
  const n = (k: number) => ((seed * 31 + k * 17) % 800) + 20;
  return (
    `<table border="1"><tr><th>本年新收政府信息公开申请数量</th><td>${n(1)}</td></tr>` +
    `<tr><th>上年结转政府信息公开申请数量</th><td>${n(2)}</td></tr><tr><th>予以公开</th><td>${n(3)}</td></tr></table>`
  );
}

/** Items of a column: every third is an annual report, the others are notices. */
function items(n: number, seed: string): Array<{ id: number; title: string; report: boolean }> {
  return Array.from({ length: n }, (_, k) => {
    const report = k % 3 === 0;
    const year = 2024 - (k % 9);
    const title = report ? `${seed}第${k}单位${year}年政府信息公开工作年度报告` : `关于${seed}第${k}项工作的通知`;
    return { id: 1000 + k, title, report };
  });
}

async function serve(kind: PlatformKind, route: (req: IncomingMessage, url: URL, body: string) => Reply | Promise<Reply>) {
  const log: PlatformPortal['log'] = [];
  let origin = '';
  const server = createServer((req, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', origin);
      Promise.resolve(route(req, url, body))
        .then((r) => {
          log.push({
            method: req.method ?? 'GET',
            path: url.pathname + url.search,
            status: r.status,
            referer: req.headers.referer,
            body: body || undefined,
          });
          const headers: Record<string, string> = { ...(r.headers ?? {}) };
          if (r.type) headers['content-type'] = r.type;
          res.writeHead(r.status, headers);
          res.end(r.body);
        })
        .catch(() => res.destroy());
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const close = () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  return { origin, log, close, kind };
}

/** Attachments as Hanweb and TRS portals serve them, each with another way of naming the file. */
function download(name: string, bytes: Buffer, style: 'gbk' | 'rfc5987' | 'rfc2047' | 'none', type = 'application/octet-stream'): Reply {
  let cd: string | undefined;
  if (style === 'gbk') cd = `attachment;filename=${iconv.encode(name, 'gbk').toString('latin1')}`;
  if (style === 'rfc5987') cd = `attachment; filename="report.pdf"; filename*=UTF-8''${encodeURIComponent(name)}`;
  if (style === 'rfc2047') cd = `attachment; filename="=?UTF-8?B?${Buffer.from(name).toString('base64')}?="`;
  return { status: 200, type, body: bytes, headers: cd ? { 'content-disposition': cd } : {} };
}

// ---------------------------------------------------------------- Hanweb jpage

export interface HanwebOptions {
  /** Records of the main column (default 100: 3 groups of 45 with perPage 15). */
  records?: number;
  proxyPath?: string;
  /** Repeat the last record of the previous group at the top of each group. */
  overlap?: boolean;
}

export async function startHanweb(o: HanwebOptions = {}): Promise<PlatformPortal> {
  const unit = '745545';
  const col = 59960;
  const list = items(o.records ?? 100, '汉');
  const old = items(40, '旧');
  const getCol = items(30, '取');
  const proxy = o.proxyPath ?? '/module/web/jpage/dataproxy.jsp';
  const artUrl = (id: number, c = col) => `/art/2024/1/20/art_${c}_${id}.html`;
  const record = (it: { id: number; title: string }, c = col) =>
    `<record><![CDATA[\n\t<li class="clearfix">\t\t<a href='${artUrl(it.id, c)}' title='${it.title}' target="_blank">${it.title.slice(0, 12)}</a>\t\t<span class="bt-data-time">2024-01-20</span>\t</li>]]></record>`;
  const datastore = (recs: typeof list, total: number, c = col) =>
    `<datastore>\n<totalrecord>${total}</totalrecord>\n<totalpage>${Math.ceil(total / 15)}</totalpage>\n` +
    `<nextgroup><![CDATA[<a href="${proxy}?page=2&webid=355&path=/&columnid=${c}&unitid=${unit}&webname=%25E5%25B1%25B1&permissiontype=0"></a>]]></nextgroup>\n` +
    `<recordset>\n${recs.map((r) => record(r, c)).join('\n')}\n</recordset>\n</datastore>`;
  const params = `{col:1,webid:355,path:'/',columnid:${col},sourceContentType:1,unitid:'${unit}',webname:'%E5%B1%B1%E4%B8%9C',permissiontype:0}`;

  const s = await serve('hanweb', (req, url, body) => {
    const p = url.pathname;
    if (p === '/robots.txt') return { status: 404 };
    if (p === '/') {
      return html(
        `<a href="/col/col${col}/index.html">政府信息公开年报</a> <a href="/col/col30067/index.html">历年信息公开年报</a> ` +
          `<a href="/col/col777/index.html">部门信息公开年报</a> <a href="/col/col1/index.html">新闻</a>`,
        '示例省能源局',
      );
    }
    if (p === `/col/col${col}/index.html`) {
      return html(
        `<div class="main"><div id="${unit}"><script type="text/xml"><datastore>\n<nextgroup><![CDATA[<a href="${proxy}?page=1&webid=355&path=/&columnid=${col}&unitid=${unit}&webname=%25E5%25B1%25B1&permissiontype=0"></a>]]></nextgroup>\n` +
          `<recordset>\n<ul class='jgdj_list'>\n</ul>${list
            .slice(0, 45)
            .map((r) => record(r))
            .join('\n')}\n</recordset>\n</datastore></script></div></div>\n` +
          `<script language="javascript" src="/module/web/jpage/jquery.jpage.js"></script>\n` +
          `<form id="jpageform_${unit}"><input type="hidden" name="keyWordinfo" value=""></form>` +
          `<script>var param_${unit} = ${params};\nfunction jpage_${unit}(){$('#jpageform_${unit} :input').each(function(){param_${unit}[$(this).attr('name')]=$(this).val();});}\n` +
          `$(function(){$('#${unit}').jpage({themeName:'lucidity',showMode:'full',totalRecord:${list.length},openCookies:false,dataBefore:'<ul class=\\'jgdj_list\\'>',dataStore:$('#${unit}').children('script').html(),dataAfter:'</ul>',groupSize:3,proxyUrl:'${proxy}',perPage:15,barPosition:'bottom',ajaxParam:param_${unit}});});</script>`,
        '政府信息公开年报',
        `<meta name='WebId' content='355'><meta name="ColumnName" content="政府信息公开年报"><meta name="i_webid" content="355"><meta name="i_columnid" content="${col}">`,
      );
    }
    // The older variant: a JS array of records and another proxy path.
    if (p === '/col/col30067/index.html') {
      const first = old
        .slice(0, 25)
        .map((r) =>
          JSON.stringify(`<li><a href="${artUrl(r.id, 30067)}" target="_blank"><span>${r.title}</span><i>2020-08-14</i></a></li>`),
        );
      return html(
        `<div id="49468"></div><script>var InitData49468 = [${first.join(',')}];\n` +
          `$('#49468').jpage({themeName:'default',totalRecord:${old.length},dataStore:InitData49468,groupSize:1,proxyUrl:'/module/jslib/jquery/jpage/dataproxy.jsp',perPage:25,ajaxParam:{col:1,appid:'1',webid:60,path:'/',columnid:30067,unitid:'49468',webname:'示例',permissiontype:0}});</script>`,
        '历年信息公开年报',
      );
    }
    // Only a datastore with a <nextgroup> GET link: no jpage call on the page.
    if (p === '/col/col777/index.html') {
      return html(
        `<div id="888"><script type="text/xml">${datastore(getCol.slice(0, 10), getCol.length, 777)
          .replace(/page=2/, 'page=1')
          .replace(proxy, '/module/web/jpage/dataproxy.jsp')}</script></div>`,
        '部门信息公开年报',
      );
    }
    if (/dataproxy\.jsp$/.test(p)) {
      if (req.method === 'GET') {
        const c = Number(url.searchParams.get('columnid'));
        if (c !== 777) return { status: 200, type: 'text/xml', body: '' };
        const page = Number(url.searchParams.get('page') ?? 1);
        return xml(
          datastore(getCol.slice((page - 1) * 10, page * 10), getCol.length, 777).replace(
            /<totalpage>\d+/,
            `<totalpage>${Math.ceil(getCol.length / 10)}`,
          ),
        );
      }
      if (!req.headers.referer) return { status: 403, body: 'forbidden' };
      const form = new URLSearchParams(body);
      const start = Number(url.searchParams.get('startrecord'));
      const end = Number(url.searchParams.get('endrecord'));
      const column = form.get('columnid');
      // A request without the form body gets an empty answer (as the real proxy does).
      if (!column || !form.get('unitid')) return { status: 200, type: 'text/xml', body: '' };
      const source = column === '30067' ? old : column === String(col) ? list : undefined;
      if (!source || p !== (column === '30067' ? '/module/jslib/jquery/jpage/dataproxy.jsp' : proxy)) return { status: 404 };
      const from = o.overlap && start > 1 ? start - 2 : start - 1;
      return xml(datastore(source.slice(from, end), source.length, Number(column)));
    }
    const m = p.match(/^\/art\/2024\/1\/20\/art_(\d+)_(\d+)\.html$/);
    if (m) {
      const id = Number(m[2]);
      const all = [...list, ...old, ...getCol];
      const it = all.find(
        (x) => x.id === id && (m[1] === String(col) ? list.includes(x) : m[1] === '30067' ? old.includes(x) : getCol.includes(x)),
      );
      if (!it) return { status: 404 };
      const head = `<meta name="ArticleTitle" content="${it.title}"><meta name="PubDate" content="2024-01-20"><meta name="ContentSource" content="示例">`;
      // Reports: some inline, some behind downfile.jsp (showname= or not).
      const k = id % 4;
      const attach =
        it.report && k !== 0
          ? `<p>附件：<a href="/module/download/downfile.jsp?classid=0${k === 3 ? '' : `&showname=${encodeURIComponent(it.title + '.pdf')}`}&filename=${m[1]}${id}abcdef0123456789.pdf">${it.title}.pdf</a></p>`
          : '';
      return html(
        `<div id="zoom"><h1>${it.title}</h1><p>一、总体情况</p>${it.report && k === 0 ? table(id) : '<p>正文</p>'}${attach}</div>`,
        it.title,
        head,
      );
    }
    if (p === '/module/download/downfile.jsp') {
      const f = url.searchParams.get('filename') ?? '';
      return { status: 302, headers: { location: `/attach/0/${f}` } };
    }
    const a = p.match(/^\/attach\/0\/(\d+?)(\d{4})abcdef0123456789\.pdf$/);
    if (a) {
      const id = Number(a[2]);
      const it = [...list, ...old, ...getCol].find((x) => x.id === id);
      if (!it) return { status: 404 };
      const k = id % 4;
      const style = k === 1 ? 'gbk' : k === 2 ? 'rfc5987' : a[1] === '30067' ? 'rfc2047' : 'none';
      return download(`${it.title}.pdf`, makePdf(`hanweb ${a[1]} ${id} attachment`), style);
    }
    return { status: 404 };
  });
  const expected: string[] = [];
  const add = (its: typeof list, c: number) => {
    for (const it of its.filter((x) => x.report)) {
      expected.push(s.origin + artUrl(it.id, c));
      if (it.id % 4 !== 0) expected.push(`${s.origin}/attach/0/${c}${it.id}abcdef0123456789.pdf`);
    }
  };
  add(list, col);
  add(old, 30067);
  add(getCol, 777);
  return { ...s, start: `${s.origin}/`, expected };
}

// ---------------------------------------------------------------- JPaaS

export async function startJpaas(): Promise<PlatformPortal> {
  const list = items(35, '浙');
  const rows = 10;
  const endpoint = '/api-gateway/jpaas-publish-server/front/page/build/unit';
  const s = await serve('jpaas', (req, url) => {
    const p = url.pathname;
    if (p === '/robots.txt') return { status: 200, type: 'text/plain', body: 'User-agent: *\nDisallow: /private/\n' };
    if (p === '/')
      return html('<a href="/col/col1229/index.html">政府信息公开年报</a> <a href="/col/col2/index.html">信息公开专栏</a>', '示例');
    if (p === '/col/col1229/index.html') {
      return html(
        `<div class="list"><script url="${endpoint}" queryData="{'parseType':'bulidstatic','webId':'8d828e408d90447786ddbe128d495e9e','tplSetId':'209741b2109044b5b7695700b2bec37e','pageType':'column','tagId':'当前栏目_list','editType':'null','pageId':'c52d1'}" type="text/javascript" src="/static/jpaas/unit.js"></script></div>`,
        '政府信息公开年报',
      );
    }
    // A unit whose API answers 200 with an error body.
    if (p === '/col/col2/index.html') {
      return html(`<script url="${endpoint}" queryData="{'parseType':'bulidstatic','pageId':'broken'}"></script>`, '信息公开专栏');
    }
    if (p === endpoint) {
      if (!req.headers.referer || !req.headers['user-agent']) return { status: 403, body: 'forbidden' };
      if (url.searchParams.get('pageId') === 'broken') return json({ success: false, msg: '栏目不存在或已停用' });
      const pj = JSON.parse(url.searchParams.get('paramJson') ?? '{"pageNo":1}') as { pageNo: number };
      const page = pj.pageNo ?? 1;
      const slice = list.slice((page - 1) * rows, page * rows);
      const lis = slice
        .map(
          (it) =>
            `<li><a href="/art/2024/3/1/art_1229_${it.id}.html" title="${it.title}" target="_blank">${it.title}</a><span>2024-03-01</span></li>`,
        )
        .join('');
      return json({
        success: true,
        data: {
          html: `<div class='page-content'><ul>${lis}</ul></div><div class="pagination" rows="${rows}" count="${list.length}" pageNo="${page}"></div>`,
        },
      });
    }
    const m = p.match(/^\/art\/2024\/3\/1\/art_1229_(\d+)\.html$/);
    if (m) {
      const it = list.find((x) => x.id === Number(m[1]));
      if (!it) return { status: 404 };
      return html(`<div class="article"><h1>${it.title}</h1><p>一、总体情况</p>${it.report ? table(it.id) : ''}</div>`, it.title);
    }
    return { status: 404 };
  });
  const expected = list.filter((x) => x.report).map((it) => `${s.origin}/art/2024/3/1/art_1229_${it.id}.html`);
  return { ...s, start: `${s.origin}/`, expected };
}

// ---------------------------------------------------------------- gkmlpt

export async function startGkmlpt(): Promise<PlatformPortal> {
  const reports = items(23, '粤').map((x) => ({
    ...x,
    report: true,
    title: x.title.replace(/关于.*的通知/, `粤第${x.id}单位2023年政府信息公开工作年度报告`),
  }));
  const notices = items(12, '粤通').map((x) => ({ ...x, id: x.id + 500, report: false, title: `粤通知${x.id}` }));
  const sid = '755001';
  const perPage = 10;
  const post = (id: number) => `/szzsj/gkmlpt/content/3/${Math.floor(id / 100)}/post_${id}.html`;
  const cats: Record<string, typeof reports> = { '21023': reports, '21030': notices };
  const s = await serve('gkmlpt', (_req, url) => {
    const p = url.pathname;
    if (p === '/robots.txt') return { status: 404 };
    if (p === '/') return html('<a href="/szzsj/gkmlpt/index">政府信息公开目录</a>', '示例市');
    if (p === '/szzsj/gkmlpt/index') {
      const tree = JSON.stringify([
        { id: 21022, name: '政府信息公开', children: [{ id: 21023, name: '政府信息公开年报', children: [], post_count: reports.length }] },
        { id: 21030, name: '通知公告', children: [] },
        { id: 21040, name: '外链', jump_url: 'http://example.invalid/' },
      ]);
      return html(
        `<div id="app"></div><script>window._CONFIG = {SID:'${sid}', SITE_NAME:'示例', TREE:${tree}, SERVICE_AREA_ID: 1, LEVEL: 2};</script><script src="/gkmlpt/static/js/app.js"></script>`,
        '政府信息公开目录',
      );
    }
    const api = p.match(/^\/szzsj\/gkmlpt\/api\/all\/(\d+)$/);
    if (api) {
      if (url.searchParams.get('sid') !== sid) return json({ success: false, msg: '站点不存在' });
      const all = cats[api[1]];
      if (!all) return json({ success: false, msg: '分类不存在' });
      const page = Number(url.searchParams.get('page') ?? 1);
      const slice = all.slice((page - 1) * perPage, page * perPage);
      return json({
        classify: {
          id: Number(api[1]),
          name: api[1] === '21023' ? '政府信息公开年报' : '通知公告',
          post_count: all.length,
          theme_count: all.length,
        },
        articles: slice.map((it) => ({
          id: it.id,
          title: it.title,
          date: 1700000000,
          publisher: '示例局',
          url: `${s.origin}${post(it.id)}`,
          identifier: `11441200MB2C91453G/2023-${it.id}`,
          attachment: it.report && it.id % 2 === 1 ? [{ name: `${it.title}.pdf`, url: `/attachment/0/306/${it.id}/${it.id}.pdf` }] : [],
        })),
      });
    }
    const d = p.match(/^\/szzsj\/gkmlpt\/content\/3\/\d+\/post_(\d+)\.html$/);
    if (d) {
      const it = [...reports, ...notices].find((x) => x.id === Number(d[1]));
      if (!it) return { status: 404 };
      const content = `<p>一、总体情况</p>${it.report ? table(it.id) : '<p>通知正文</p>'}${it.report && it.id % 2 === 0 ? `<p><a class="nfw-cms-attachment" href="/attachment/0/307/${it.id}/${it.id}.docx">附件：${it.title}.docx</a></p>` : ''}`;
      // JSON in a script, with < and > escaped as the real pages do.
      const detail = JSON.stringify({ title: it.title, content }).replace(/</g, '\\u003C').replace(/>/g, '\\u003E');
      return html(`<div id="app"></div><script>window._CONFIG = {SID:'${sid}', DETAIL: ${detail}, LEVEL: 3};</script>`, it.title);
    }
    const att = p.match(/^\/attachment\/0\/(30[67])\/(\d+)\/\d+\.(pdf|docx)$/);
    if (att) {
      const id = Number(att[2]);
      return att[3] === 'pdf'
        ? { status: 200, type: 'application/pdf', body: makePdf(`gkmlpt ${id}`) }
        : {
            status: 200,
            type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
            body: makeDocx([`gkmlpt ${id}`, '一、总体情况']),
          };
    }
    return { status: 404 };
  });
  const expected: string[] = [];
  for (const it of reports) {
    expected.push(s.origin + post(it.id));
    expected.push(`${s.origin}/attachment/0/${it.id % 2 === 1 ? '306' : '307'}/${it.id}/${it.id}.${it.id % 2 === 1 ? 'pdf' : 'docx'}`);
  }
  return { ...s, start: `${s.origin}/`, expected };
}

// ---------------------------------------------------------------- TRS

export async function startTrs(): Promise<PlatformPortal> {
  const col = items(24, '武');
  const cq = items(12, '渝');
  const perPage = 8;
  const encrypted = readFileSync(join(FIXTURES, 'pdf', 'encrypted.pdf'));
  const art = (it: { id: number }, dir = 'xxgk/ndbg') => `/${dir}/202401/t20240120_${it.id}.shtml`;
  const s = await serve('trs', (_req, url) => {
    const p = url.pathname;
    if (p === '/robots.txt') return { status: 200, type: 'text/plain', body: 'User-agent: *\nDisallow: /protect/\n' };
    if (p === '/')
      return html(
        '<a href="/xxgk/ndbg/index.shtml">政府信息公开年报</a> <a href="/cq/ndbg/index.html">区县信息公开年报</a>',
        '示例市人民政府',
      );
    // 6-argument createPageHTML and items written by document.writeln (Wuhan).
    let m = p.match(/^\/xxgk\/ndbg\/index(?:_(\d+))?\.shtml$/);
    if (m) {
      const page = Number(m[1] ?? 0);
      if (page >= 3) return html('<p>404</p>'); // the broken deep-page stub
      const scripts = col
        .slice(page * perPage, (page + 1) * perPage)
        .map(
          (it) =>
            `<li><script>var url = ".${art(it).slice('/xxgk/ndbg'.length)}";\nvar title = "${it.title}";\nvar FILENUM = "武政规〔2024〕${it.id}号";\n` +
            `document.writeln("<a href="+url+" target=_blank title='"+title+"'>");document.writeln(title.substring(0,40));document.writeln("</a>");\ndocument.writeln("<span>2024-01-20 17:32</span>");</script></li>`,
        )
        .join('\n');
      return html(
        `<ul class="list">${scripts}</ul><div id="page_div"></div><script>createPageHTML('page_div', 3, ${page}, 'index', 'shtml', 1000);</script>`,
        '政府信息公开年报',
      );
    }
    // Chongqing: createPage(total, current, "index", "html") with the count in a variable.
    m = p.match(/^\/cq\/ndbg\/index(?:_(\d+))?\.html$/);
    if (m) {
      const page = Number(m[1] ?? 0);
      if (page >= 2) return { status: 404 };
      const lis = cq
        .slice(page * 6, (page + 1) * 6)
        .map((it) => `<li><a href="..${art(it, 'cq').slice(3)}" title="${it.title}">${it.title}</a></li>`)
        .join('');
      return html(
        `<ul>${lis}</ul><script>var countPage = 2;\ncreatePage(countPage, ${page}, "index", "html");</script>`,
        '区县信息公开年报',
      );
    }
    m = p.match(/^\/(xxgk\/ndbg|cq)\/202401\/t20240120_(\d+)\.shtml$/);
    if (m) {
      const it = (m[1] === 'cq' ? cq : col).find((x) => x.id === Number(m![2]));
      if (!it) return { status: 404 };
      const k = it.id % 4;
      const attach = !it.report
        ? ''
        : k === 1
          ? `<p><a appendix="true" href="./P0202401203822950${it.id}.pdf" title="${it.title}.pdf" download="${it.title}.pdf" OLDSRC="/protect/P0202401/P020240120/P0202401203822950${it.id}.pdf">${it.title}.pdf</a></p>`
          : k === 2
            ? `<p><a href="/pdfjs/web/viewer.html?file=${encodeURIComponent(`/${m[1]}/202401/W0202401200${it.id}.pdf`)}">在线阅读：${it.title}</a></p>`
            : k === 3
              ? `<p><a href="./P0202401209${it.id}.pdf">附件：${it.title}（加密）.pdf</a></p>`
              : `<p><a href="./P0202401200000${it.id}.pdf">附件：${it.title}.pdf</a></p>`;
      return html(
        `<div class="TRS_Editor"><h1>${it.title}</h1><p>一、总体情况</p>${it.report && k === 0 ? table(it.id) : '<p>详见附件</p>'}${attach}</div>`,
        it.title,
      );
    }
    // A PDF link that answers an HTML error page with HTTP 200.
    if (/\/202401\/P0202401200000\d+\.pdf$/.test(p)) return html('<p>对不起，您访问的文件不存在或已删除！</p>', '404 错误');
    m = p.match(/^\/(xxgk\/ndbg|cq)\/202401\/(P0202401203822950|W0202401200|P0202401209)(\d+)\.pdf$/);
    if (m) {
      if (m[2] === 'P0202401209') return { status: 200, type: 'application/pdf', body: encrypted };
      return { status: 200, type: 'application/pdf', body: makePdf(`trs ${m[1]} ${m[3]}`) };
    }
    if (p.startsWith('/pdfjs/web/viewer.html')) return html('<div id="viewer">pdf.js</div>', 'PDF.js viewer');
    if (p.startsWith('/protect/')) return { status: 404 };
    return { status: 404 };
  });
  const expected: string[] = [];
  for (const [list, dir] of [
    [col, 'xxgk/ndbg'],
    [cq, 'cq'],
  ] as const) {
    for (const it of list.filter((x) => x.report)) {
      expected.push(s.origin + art(it, dir));
      const k = it.id % 4;
      if (k === 1) expected.push(`${s.origin}/${dir}/202401/P0202401203822950${it.id}.pdf`);
      if (k === 2) expected.push(`${s.origin}/${dir}/202401/W0202401200${it.id}.pdf`);
      if (k === 3) expected.push(`${s.origin}/${dir}/202401/P0202401209${it.id}.pdf`);
    }
  }
  return { ...s, start: `${s.origin}/`, expected };
}

// ---------------------------------------------------------------- Hanweb xxgk

export async function startXxgk(): Promise<PlatformPortal> {
  const list = items(20, '杭');
  const perPage = 8;
  const art = (id: number) => `/art/2024/2/2/art_1305_${id}.html`;
  const s = await serve('xxgk', (req, url, body) => {
    const p = url.pathname;
    if (p === '/robots.txt') return { status: 404 };
    if (p === '/') return html('<a href="/col/col1305/index.html">政府信息公开目录</a>', '示例市卫健委');
    if (p === '/col/col1305/index.html') {
      return html(
        `<iframe src="/module/xxgk/tree.jsp?standardXxgk=1&amp;area=11330100&amp;divid=div4"></iframe><div id="div4"></div>` +
          `<script>function show(a){ loadDynamic('/module/xxgk/search.jsp?standardXxgk=1&infotypeId=' + a + '&jdid=1305&area=11330100', 'div4', 1); }\nshow('');</script>`,
        '政府信息公开目录',
      );
    }
    if (p === '/module/xxgk/tree.jsp') return html(`<a href="javascript:show('A02')">年度报告</a>`, '目录');
    if (p === '/module/xxgk/search.jsp') {
      const form = new URLSearchParams(body);
      if (req.method !== 'POST' || form.get('jdid') !== '1305') return { status: 200, type: 'text/html', body: '' };
      const page = Number(form.get('currpage') ?? 1);
      const rows = list
        .slice((page - 1) * perPage, page * perPage)
        .map(
          (it, k) =>
            `<tr class="tr_main_value_${k % 2 ? 'even' : 'odd'}"><td><a href="${art(it.id)}" target="_blank" title="${it.title}">${it.title}</a></td><td>2024-02-02</td></tr>`,
        )
        .join('');
      return html(
        `<table>${rows}</table><div class="page">&nbsp;&nbsp;共${Math.ceil(list.length / perPage)}页&nbsp;&nbsp;第${page}页</div>`,
      );
    }
    const m = p.match(/^\/art\/2024\/2\/2\/art_1305_(\d+)\.html$/);
    if (m) {
      const it = list.find((x) => x.id === Number(m[1]));
      if (!it) return { status: 404 };
      return html(`<div id="zoom"><h1>${it.title}</h1><p>一、总体情况</p>${it.report ? table(it.id) : ''}</div>`, it.title);
    }
    return { status: 404 };
  });
  const expected = list.filter((x) => x.report).map((it) => s.origin + art(it.id));
  return { ...s, start: `${s.origin}/`, expected };
}

export async function startPlatformPortal(kind: PlatformKind): Promise<PlatformPortal> {
  switch (kind) {
    case 'hanweb':
      return startHanweb({ overlap: true });
    case 'jpaas':
      return startJpaas();
    case 'gkmlpt':
      return startGkmlpt();
    case 'trs':
      return startTrs();
    case 'xxgk':
      return startXxgk();
  }
}
