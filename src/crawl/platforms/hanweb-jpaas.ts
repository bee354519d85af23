/**
 * Hanweb/JCMS "JPaaS" publish API (集约化 sites: MIIT, SAMR, Zhejiang …).
 *
 * The list page carries `<script url="/api-gateway/jpaas-publish-server/front/page/build/unit"
 * queryData="{'parseType':'bulidstatic','pageId':'abc'}">`; the script GETs that URL with
 * the queryData as parameters plus `paramJson={"pageNo":N,"pageSize":M}` and gets
 * `{"success":true,"data":{"html":"…<div class="pagination" rows="24" count="48" pageNo="1">"}}`.
 * `{"success":false,"msg":…}` with HTTP 200 is an error. The API refuses requests
 * without a Referer (the column page), which every request here carries.
 */
import { load } from 'cheerio/slim';
import { parseLooseObject, type JsValue } from '../js-literals.js';
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

const DEFAULT_PAGE_SIZE = 20;

interface UnitState extends Record<string, unknown> {
  endpoint: string;
  params: Record<string, string>;
  paging: Record<string, JsValue>;
  pageSize: number;
  pageNo: number;
}

function request(s: UnitState, pageNo: number, referer: string): ApiRequest {
  const q = new URLSearchParams(s.params);
  q.set('paramJson', JSON.stringify({ ...s.paging, pageNo, pageSize: s.pageSize }));
  return {
    method: 'GET',
    url: `${s.endpoint}${s.endpoint.includes('?') ? '&' : '?'}${q.toString()}`,
    accept: 'application/json, text/javascript, */*; q=0.01',
    xhr: true,
    referer,
    state: { ...s, pageNo },
  };
}

function fromPage(page: PlatformPage): Found | undefined {
  const { $ } = page;
  const requests: ApiRequest[] = [];
  $('script[url]').each((_, el) => {
    const src = $(el).attr('url') ?? '';
    if (!/build\/unit|jpaas/i.test(src)) return;
    let endpoint: string;
    try {
      endpoint = new URL(src, page.base).href;
    } catch {
      return;
    }
    const query = parseLooseObject($(el).attr('querydata') ?? $(el).attr('queryData') ?? '{}') ?? {};
    const params: Record<string, string> = {};
    let paging: Record<string, JsValue> = {};
    for (const [k, v] of Object.entries(query)) {
      if (k === 'paramJson') {
        const p = typeof v === 'string' ? parseLooseObject(v) : v && typeof v === 'object' && !Array.isArray(v) ? v : undefined;
        if (p) paging = p;
      } else if (v !== undefined && v !== null) params[k] = typeof v === 'object' ? JSON.stringify(v) : String(v);
    }
    const size = Number(paging.pageSize);
    const pageSize = Number.isInteger(size) && size > 0 ? size : DEFAULT_PAGE_SIZE;
    requests.push(request({ endpoint, params, paging, pageSize, pageNo: 1 }, 1, page.url));
  });
  return requests.length ? { requests } : undefined;
}

function fromAnswer(a: ApiAnswer, links: LinkCollector): Found {
  const o = parseJsonAnswer(a);
  const data = o.data as unknown;
  const html = typeof data === 'string' ? data : data && typeof data === 'object' ? (data as Record<string, unknown>).html : undefined;
  if (typeof html !== 'string') throw new ApiError('api-error', 'the answer has no data.html');
  const $ = load(html);
  links.addAnchors($);
  const s = a.request.state as UnitState | undefined;
  if (!s || s.pageNo !== 1) return {};
  // <div class="pagination" rows="24" count="48" pageNo="1">: 2 pages of 24.
  const pager = $('.pagination[count], [rows][count], [count][pageno], [totalpage], [pagecount]').first();
  const d = (data && typeof data === 'object' ? data : {}) as Record<string, unknown>;
  const count = Number(pager.attr('count') ?? pager.attr('total') ?? d.count ?? d.total ?? d.totalCount ?? NaN);
  const rows = Number(pager.attr('rows') ?? pager.attr('pagesize') ?? d.pageSize ?? d.rows ?? s.pageSize);
  const declared = Number(pager.attr('totalpage') ?? pager.attr('pagecount') ?? d.totalPage ?? d.pageCount ?? d.pages ?? NaN);
  const byCount = count > 0 && rows > 0 ? Math.ceil(count / rows) : NaN;
  const total = Number.isFinite(declared) && declared > 0 ? declared : byCount;
  if (!(total > 1)) return {};
  const pages = Math.min(total, MAX_API_PAGES);
  const next: ApiRequest[] = [];
  const state = { ...s, pageSize: rows > 0 ? rows : s.pageSize };
  for (let p = 2; p <= pages; p++) next.push(request(state, p, a.request.referer ?? a.request.url));
  return { requests: next };
}

export const platform: Platform = { name: 'hanweb-jpaas', fromPage, fromAnswer };
