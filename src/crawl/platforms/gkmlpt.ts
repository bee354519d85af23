/**
 * Guangdong gkmlpt (政府信息公开目录管理平台).
 *
 * `{prefix}/gkmlpt/index` sets `window._CONFIG = {SID:'…', TREE:[{id, name, children, jump_url}…], …}`;
 * lists come from `{prefix}/gkmlpt/api/all/{category}?page=N&sid=SID` as JSON
 * `{classify:{post_count}, articles:[{url, title, date, attachment:[…]}]}`.
 * Categories whose name names the reports (--link-text) are listed; when none
 * does, every leaf category is. An article page keeps its text in
 * `_CONFIG.DETAIL.content` (HTML in a JSON string): that is the document read.
 */
import { load } from 'cheerio/slim';
import { escapeXml } from '../../text/xml.js';
import { objectAt, type JsValue } from '../js-literals.js';
import type { LinkCollector } from '../links.js';
import {
  ApiError,
  MAX_API_PAGES,
  parseJsonAnswer,
  type ApiAnswer,
  type ApiRequest,
  type Found,
  type Platform,
  type PlatformPage,
} from './types.js';

type Obj = { [k: string]: JsValue };
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

function config(page: PlatformPage): Obj | undefined {
  for (const el of page.$('script').toArray()) {
    const t = page.$(el).text();
    const m = t.match(/(?:window\.)?_CONFIG\s*=\s*\{/);
    if (m) return objectAt(t, m.index! + m[0].length - 1);
  }
  return undefined;
}

interface Category {
  id: string;
  name: string;
  leaf: boolean;
}

function categories(tree: JsValue): Category[] {
  const out: Category[] = [];
  const walk = (nodes: JsValue, inherited: string): void => {
    if (!Array.isArray(nodes)) return;
    for (const n of nodes) {
      if (!isObj(n) || n.id === undefined || n.id === null) continue;
      if (typeof n.jump_url === 'string' && n.jump_url) continue;
      const name = `${inherited} ${typeof n.name === 'string' ? n.name : ''}`.trim();
      const children = [n.children, n.child, n.nodes, n.sub].find((c) => Array.isArray(c) && c.length > 0);
      out.push({ id: String(n.id), name, leaf: !children });
      if (children) walk(children, name);
    }
  };
  walk(tree, '');
  return out;
}

/** {prefix}/gkmlpt/ of the page (departments sit under a prefix: /zqhjj/gkmlpt/index). */
function apiBase(url: string): string {
  const u = new URL(url);
  const i = u.pathname.indexOf('/gkmlpt/');
  return `${u.origin}${i >= 0 ? u.pathname.slice(0, i) : ''}/gkmlpt/api/all/`;
}

function listRequest(base: string, cat: string, sid: string, page: number, referer: string, perPage?: number): ApiRequest {
  return {
    method: 'GET',
    url: `${base}${encodeURIComponent(cat)}?page=${page}&sid=${encodeURIComponent(sid)}`,
    accept: 'application/json, text/plain, */*',
    xhr: true,
    referer,
    state: { base, cat, sid, page, ...(perPage ? { perPage } : {}) },
  };
}

/** Attachment entries in any of the shapes seen: {name, url}, {title, link}, {file_name, path} … */
function addAttachments(list: JsValue | unknown, links: LinkCollector, report: boolean): void {
  if (!Array.isArray(list)) return;
  for (const a of list) {
    if (typeof a === 'string') {
      links.add(a, '附件', 'attachment', report);
      continue;
    }
    if (!isObj(a)) continue;
    const href = [a.url, a.link, a.href, a.path, a.file_url, a.download_url].find((x) => typeof x === 'string' && x) as string | undefined;
    const name = [a.name, a.title, a.file_name, a.filename].find((x) => typeof x === 'string' && x) as string | undefined;
    links.add(href, name ?? '附件', 'attachment', report);
  }
}

function fromPage(page: PlatformPage): Found | undefined {
  if (!/_CONFIG/.test(page.html)) return undefined;
  const cfg = config(page);
  if (!cfg) return undefined;
  const detail = cfg.DETAIL;
  if (isObj(detail)) {
    // An article page: its attachments sit in the content and in DETAIL.attachment.
    if (typeof detail.content === 'string') page.links.addAnchors(load(detail.content), true);
    addAttachments(detail.attachment ?? detail.attachments, page.links, true);
    return { requests: [] };
  }
  const sid = cfg.SID ?? cfg.sid;
  if ((typeof sid !== 'string' && typeof sid !== 'number') || !Array.isArray(cfg.TREE)) return undefined;
  const cats = categories(cfg.TREE);
  const reportCats = cats.filter((c) => page.links.patterns.reportText.test(c.name));
  // A report category and everything under it; otherwise every leaf.
  const chosen = reportCats.length ? cats.filter((c) => reportCats.some((r) => c.name.startsWith(r.name))) : cats.filter((c) => c.leaf);
  const base = apiBase(page.url);
  return { requests: chosen.slice(0, MAX_API_PAGES).map((c) => listRequest(base, c.id, String(sid), 1, page.url)) };
}

function fromAnswer(a: ApiAnswer, links: LinkCollector): Found {
  const o = parseJsonAnswer(a);
  const articles = o.articles ?? (isObj(o.data) ? o.data.articles : undefined);
  if (!Array.isArray(articles)) throw new ApiError('api-error', 'the answer has no articles[]');
  for (const art of articles as unknown[]) {
    if (!isObj(art)) continue;
    const title = typeof art.title === 'string' ? art.title : '';
    const href = [art.url, art.post_url, art.link].find((x) => typeof x === 'string' && x) as string | undefined;
    const link = links.add(href, title);
    addAttachments(art.attachment ?? art.attachments, links, link?.role === 'report');
  }
  const s = a.request.state ?? {};
  if (articles.length === 0) return {};
  const classify = isObj(o.classify) ? o.classify : {};
  const total = Number(classify.post_count ?? classify.theme_count ?? o.total ?? o.count ?? NaN);
  if (!Number.isFinite(total)) {
    // No count: the next page, until one comes back empty.
    const page = Number(s.page);
    return { requests: [listRequest(String(s.base), String(s.cat), String(s.sid), page + 1, a.request.referer ?? a.request.url)] };
  }
  if (s.page !== 1 || !(total > articles.length)) return {};
  const pages = Math.min(Math.ceil(total / articles.length), MAX_API_PAGES);
  const next: ApiRequest[] = [];
  for (let p = 2; p <= pages; p++) {
    next.push(listRequest(String(s.base), String(s.cat), String(s.sid), p, a.request.referer ?? a.request.url, articles.length));
  }
  return { requests: next };
}

function documentHtml(page: PlatformPage): string | undefined {
  if (!/_CONFIG/.test(page.html)) return undefined;
  const detail = config(page)?.DETAIL;
  if (!isObj(detail) || typeof detail.content !== 'string' || !detail.content.trim()) return undefined;
  const title = typeof detail.title === 'string' ? detail.title : page.$('title').first().text();
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${escapeXml(title)}</title></head><body><h1>${escapeXml(title)}</h1>${detail.content}</body></html>`;
}

export const platform: Platform = { name: 'gkmlpt', fromPage, fromAnswer, documentHtml };
