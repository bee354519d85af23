/**
 * Hanweb 信息公开目录 (xxgk): the directory page loads its list with
 * `loadDynamic('/module/xxgk/search.jsp?standardXxgk=1&infotypeId=' + a + …, 'div4', …)`
 * (or a form posting to search.jsp / search_custom.jsp), a POST whose form
 * body repeats the query (infotypeId, jdid, area, divid, currpage …) and whose
 * answer is an HTML table fragment (`.tr_main_value_odd a`) with
 * `共N页` in its pager. Unknown script variables (the tree's selected
 * category) are sent empty: the whole directory.
 */
import { load } from 'cheerio/slim';
import { readString } from '../js-literals.js';
import type { LinkCollector } from '../links.js';
import { ApiError, MAX_API_PAGES, type ApiAnswer, type ApiRequest, type Found, type Platform, type PlatformPage } from './types.js';

const SEARCH = /\/module\/xxgk\/search(?:_\w+)?\.jsp/;

function request(endpoint: string, params: URLSearchParams, page: number, referer: string): ApiRequest {
  const p = new URLSearchParams(params);
  p.set('currpage', String(page));
  const u = new URL(endpoint);
  u.search = p.toString();
  return {
    method: 'POST',
    url: u.href,
    body: p.toString(),
    contentType: 'application/x-www-form-urlencoded; charset=UTF-8',
    accept: 'text/html, */*; q=0.01',
    xhr: true,
    referer,
    state: { endpoint, params: params.toString(), page },
  };
}

/** The URL a script builds from a literal prefix and variables: the literal parts, variables empty. */
function literalUrl(script: string, at: number): string {
  let out = '';
  let i = at;
  for (;;) {
    const s = readString(script, i);
    if (s) {
      out += s.value;
      i = s.end;
    } else {
      const id = script.slice(i).match(/^[\w$.]+(?:\([^)]*\))?/);
      if (!id) break;
      i += id[0].length;
    }
    const plus = script.slice(i).match(/^\s*\+\s*/);
    if (!plus) break;
    i += plus[0].length;
  }
  return out;
}

function fromPage(page: PlatformPage): Found | undefined {
  const { $ } = page;
  const found = new Map<string, { url: string; divid?: string }>();
  $('script').each((_, el) => {
    const t = $(el).text();
    if (!SEARCH.test(t)) return;
    for (const m of t.matchAll(/(['"])[^'"]*\/module\/xxgk\/search(?:_\w+)?\.jsp[^'"]*\1/g)) {
      const url = literalUrl(t, m.index!);
      const after = t.slice(m.index! + m[0].length, m.index! + m[0].length + 400);
      const divid = after.match(/^[^;]*?,\s*['"](div[\w-]*)['"]/)?.[1];
      found.set(url, { url, divid });
    }
  });
  $('form[action]').each((_, el) => {
    const action = $(el).attr('action') ?? '';
    if (!SEARCH.test(action)) return;
    const q = new URLSearchParams();
    $(el)
      .find('input[name], select[name]')
      .each((__, inp) => void q.set($(inp).attr('name')!, $(inp).attr('value') ?? ''));
    found.set(action, { url: `${action}${action.includes('?') ? '&' : '?'}${q.toString()}` });
  });
  if (found.size === 0) return undefined;
  const requests: ApiRequest[] = [];
  for (const { url, divid } of found.values()) {
    let u: URL;
    try {
      u = new URL(url, page.base);
    } catch {
      continue;
    }
    const params = new URLSearchParams(u.search);
    if (divid && !params.get('divid')) params.set('divid', divid);
    u.search = '';
    requests.push(request(u.href, params, 1, page.url));
  }
  return { requests };
}

function fromAnswer(a: ApiAnswer, links: LinkCollector): Found {
  const text = a.text.trim();
  if (!text) throw new ApiError('api-empty', `empty answer from ${a.request.url}`);
  if (/^\s*[{[]/.test(text)) {
    throw new ApiError('api-error', `expected an HTML list, got JSON: ${text.slice(0, 80)}`);
  }
  const $ = load(text);
  links.addAnchors($);
  const s = a.request.state ?? {};
  if (s.page !== 1) return {};
  const pages = Number(
    $.root()
      .text()
      .replace(/\u00a0/g, ' ')
      .match(/共\s*(\d+)\s*页/)?.[1] ?? NaN,
  );
  if (!(pages > 1)) return {};
  const params = new URLSearchParams(String(s.params));
  const next: ApiRequest[] = [];
  for (let p = 2; p <= Math.min(pages, MAX_API_PAGES); p++)
    next.push(request(String(s.endpoint), params, p, a.request.referer ?? a.request.url));
  return { requests: next };
}

export const platform: Platform = { name: 'hanweb-xxgk', fromPage, fromAnswer };
