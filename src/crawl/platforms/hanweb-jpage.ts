/**
 * Hanweb (大汉) JCMS "jpage" lists.
 *
 * A column page embeds its first group of records as XML inside
 * `<script type="text/xml"><datastore><recordset><record><![CDATA[<li>…]]>`
 * (older pages: a JS array `var InitData49468 = ['<li>…', …]`), and the
 * jpage plugin loads the rest: `$('#UNIT').jpage({totalRecord, perPage,
 * groupSize, proxyUrl, ajaxParam: param_UNIT})` posts
 * `proxyUrl?startrecord=S&endrecord=E&perpage=P` with the params as a form body
 * and gets the same <datastore> back, with <totalrecord>/<totalpage>.
 * One request is one group (groupSize × perPage records; startrecord is 1-based,
 * endrecord inclusive). Proxy paths vary (/module/web/jpage/, /module/jpage/,
 * /module/jslib/jquery/jpage/ …): the page's own proxyUrl is used. Groups may
 * repeat a boundary record: the frontier keeps one item per URL.
 * Pages without a jpage call but with a <nextgroup> link are paged by GET
 * `dataproxy.jsp?page=N&…` up to <totalpage>.
 */
import { load } from 'cheerio/slim';
import { assignedValue, objectAt, type JsValue } from '../js-literals.js';
import type { LinkCollector } from '../links.js';
import { ApiError, MAX_API_PAGES, type ApiAnswer, type ApiRequest, type Found, type Platform, type PlatformPage } from './types.js';

const DEFAULT_PROXY = '/module/web/jpage/dataproxy.jsp';
const RECORD = /<record(?:\s[^>]*)?>\s*(?:<!\[CDATA\[([\s\S]*?)\]\]>|([\s\S]*?))\s*<\/record>/gi;

/** The HTML of every <record> of a <datastore> text. */
export function datastoreRecords(xml: string): string[] {
  const out: string[] = [];
  for (const m of xml.matchAll(RECORD)) out.push(m[1] ?? decodeEntities(m[2] ?? ''));
  return out;
}

function decodeEntities(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

function tagNumber(xml: string, tag: string): number | undefined {
  const m = xml.match(new RegExp(`<${tag}>\\s*(?:<!\\[CDATA\\[)?\\s*(\\d+)`, 'i'));
  return m ? Number(m[1]) : undefined;
}

function nextGroupHref(xml: string): string | undefined {
  const m = xml.match(/<nextgroup>[\s\S]*?href\s*=\s*["']([^"']+)["']/i);
  return m ? decodeEntities(m[1]) : undefined;
}

function addRecords(records: string[], links: LinkCollector): void {
  if (records.length === 0) return;
  links.addAnchors(load(records.join('\n')));
}

function num(v: JsValue, fallback: number): number {
  const n = typeof v === 'string' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? Math.floor(n) : fallback;
}

function formBody(params: Record<string, JsValue>): string {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === null || v === undefined || typeof v === 'object') continue;
    body.append(k, String(v));
  }
  return body.toString();
}

interface GroupState extends Record<string, unknown> {
  mode: 'post';
  proxy: string;
  body: string;
  perPage: number;
  groupSize: number;
  total: number;
}

function groupRequest(s: GroupState, start: number, end: number, referer: string): ApiRequest {
  const sep = s.proxy.includes('?') ? '&' : '?';
  return {
    method: 'POST',
    url: `${s.proxy}${sep}startrecord=${start}&endrecord=${end}&perpage=${s.perPage}`,
    body: s.body,
    contentType: 'application/x-www-form-urlencoded; charset=UTF-8',
    accept: 'application/xml, text/xml, */*; q=0.01',
    xhr: true,
    referer,
    state: s,
  };
}

/** Requests for the groups from record `from` (1-based) to the total. */
function groups(s: GroupState, from: number, referer: string): ApiRequest[] {
  const size = s.perPage * s.groupSize;
  const out: ApiRequest[] = [];
  // Group boundaries as the plugin computes them: 1, size+1, 2·size+1 …
  for (let start = Math.floor((from - 1) / size) * size + 1; start <= s.total && out.length < MAX_API_PAGES; start += size) {
    out.push(groupRequest(s, start, Math.min(start + size - 1, s.total), referer));
  }
  return out;
}

function getPages(href: string, base: string, totalPage: number, referer: string): ApiRequest[] {
  const out: ApiRequest[] = [];
  let u: URL;
  try {
    u = new URL(href, base);
  } catch {
    return out;
  }
  for (let p = 1; p <= Math.min(totalPage, MAX_API_PAGES); p++) {
    u.searchParams.set('page', String(p));
    out.push({
      method: 'GET',
      url: u.href,
      accept: 'application/xml, text/xml, */*; q=0.01',
      xhr: true,
      referer,
      state: { mode: 'get', href },
    });
  }
  return out;
}

function fromPage(page: PlatformPage): Found | undefined {
  const { $, url } = page;
  const scripts = $('script')
    .map((_, el) => $(el).text())
    .get();
  const all = scripts.join('\n;\n');
  const requests: ApiRequest[] = [];
  let recognised = false;

  // Embedded first groups: <script type="text/xml"><datastore>…
  const stores = new Map<string, string>();
  $('script').each((_, el) => {
    const t = $(el).text();
    if (!/<datastore/i.test(t)) return;
    const unit = $(el).parent().attr('id') ?? '';
    stores.set(unit, (stores.get(unit) ?? '') + t);
  });
  // A <datastore> outside any script (some templates park it in a hidden element).
  if (stores.size === 0 && /<datastore/i.test(page.html)) {
    for (const m of page.html.matchAll(/<datastore[\s\S]*?<\/datastore>/gi)) stores.set(`#${stores.size}`, m[0]);
  }
  for (const xml of stores.values()) {
    recognised = true;
    addRecords(datastoreRecords(xml), page.links);
  }

  // Every `.jpage({…})` call: one list each.
  const seenUnits = new Set<string>();
  for (const m of all.matchAll(/(?:\$|jQuery)\(\s*['"]#([\w-]+)['"]\s*\)\s*\.jpage\s*\(/g)) {
    const unit = m[1];
    if (seenUnits.has(unit)) continue;
    seenUnits.add(unit);
    const cfg = objectAt(all, m.index! + m[0].length - 1) ?? {};
    recognised = true;
    const cfgText = all.slice(m.index!, m.index! + 4000);
    let embedded = datastoreRecords(stores.get(unit) ?? '');
    // Older pages: dataStore:InitData49468 (a JS array of record strings).
    const ds = cfgText.match(/dataStore\s*:\s*([A-Za-z_$][\w$]*)\s*[,}]/);
    if (ds) {
      const arr = assignedValue(all, ds[1]);
      if (Array.isArray(arr)) {
        const recs = arr.filter((x): x is string => typeof x === 'string');
        addRecords(recs, page.links);
        embedded = recs;
      }
    }
    // ajaxParam: param_UNIT, or an inline object.
    let params: Record<string, JsValue> = {};
    const ap = cfgText.match(/ajaxParam\s*:\s*([A-Za-z_$][\w$]*)/);
    if (ap) {
      const v = assignedValue(all, ap[1]);
      if (v && typeof v === 'object' && !Array.isArray(v)) params = v;
    } else if (cfg.ajaxParam && typeof cfg.ajaxParam === 'object' && !Array.isArray(cfg.ajaxParam)) params = cfg.ajaxParam;
    // jpageform_UNIT inputs are posted too.
    $(`#jpageform_${unit} :input, form[name="jpageform_${unit}"] :input`).each((_, el) => {
      const name = $(el).attr('name');
      if (name) params[name] = $(el).attr('value') ?? '';
    });
    const groupSize = num(cfg.groupSize, 3);
    // No perPage in the call: the embedded records are one group.
    const perPage = num(cfg.perPage, embedded.length >= groupSize ? Math.ceil(embedded.length / groupSize) : 15);
    const total = num(cfg.totalRecord, 0);
    let proxy: string;
    try {
      proxy = new URL(typeof cfg.proxyUrl === 'string' && cfg.proxyUrl ? cfg.proxyUrl : DEFAULT_PROXY, page.base).href;
    } catch {
      continue;
    }
    const state: GroupState = { mode: 'post', proxy, body: formBody(params), perPage, groupSize, total };
    // The embedded records are the first group; a page that embeds fewer gets them all from the proxy.
    const from = embedded.length >= perPage * groupSize ? perPage * groupSize + 1 : 1;
    if (total > 0 && embedded.length < total) requests.push(...groups(state, from, url));
    else if (total > 0) continue;
    else requests.push(groupRequest({ ...state, total: perPage * groupSize }, 1, perPage * groupSize, url));
  }

  // A datastore without any jpage call on the page: page through its <nextgroup> link by GET.
  if (seenUnits.size === 0) {
    for (const xml of stores.values()) {
      const href = nextGroupHref(xml);
      if (href && /dataproxy/i.test(href)) requests.push(...getPages(href, page.base, 1, url));
    }
  }
  return recognised ? { requests } : undefined;
}

function fromAnswer(a: ApiAnswer, links: LinkCollector): Found {
  const xml = a.text;
  if (!xml.trim()) throw new ApiError('api-empty', `empty answer from ${a.request.url}`);
  if (!/<datastore|<recordset|<record/i.test(xml)) {
    throw new ApiError('api-not-datastore', `the answer is not a jpage <datastore> (${xml.slice(0, 60).replace(/\s+/g, ' ')}…)`);
  }
  addRecords(datastoreRecords(xml), links);
  const s = a.request.state ?? {};
  const referer = a.request.referer ?? a.request.url;
  if (s.mode === 'post') {
    const state = s as GroupState;
    // The server's total may be newer than the page's: ask for the groups the page did not know of.
    const total = tagNumber(xml, 'totalrecord');
    if (total !== undefined && total > state.total) return { requests: groups({ ...state, total }, state.total + 1, referer) };
    return {};
  }
  if (s.mode === 'get') {
    const pages = tagNumber(xml, 'totalpage');
    if (pages !== undefined && pages > 1 && typeof s.href === 'string')
      return { requests: getPages(s.href, a.request.url, pages, referer) };
  }
  return {};
}

export const platform: Platform = { name: 'hanweb-jpage', fromPage, fromAnswer };
