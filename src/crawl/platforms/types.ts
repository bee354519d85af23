/**
 * A platform adapter: one file in src/crawl/platforms/ exporting `platform`.
 * It recognises its CMS from a fetched page, says which API requests load the
 * lists the page would show by script (they become frontier items, fetched
 * under the same politeness, robots.txt and caps as any page), reads those
 * answers into links and further requests, and may say where a report page
 * keeps its text when the page itself only carries a script.
 */
import type { CheerioAPI } from 'cheerio/slim';
import type { DiscoverPatterns, LinkCollector, PageKind } from '../links.js';

/** An API request of a platform: stored as JSON in crawl_frontier.request. */
export interface ApiRequest {
  /** The adapter that reads the answer (set by the loader when absent). */
  platform?: string;
  method: 'GET' | 'POST';
  /** Absolute URL, sent as is (API parameters such as sid= must not be canonicalised away). */
  url: string;
  body?: string;
  contentType?: string;
  accept?: string;
  /** Sends X-Requested-With: XMLHttpRequest, as the page's script would. */
  xhr?: boolean;
  /** The page the request is made from (many portal APIs refuse requests without it). */
  referer?: string;
  /** What the adapter needs to read the answer (page size, ids). JSON-serialisable. */
  state?: Record<string, unknown>;
}

export interface PlatformPage {
  $: CheerioAPI;
  html: string;
  url: string;
  base: string;
  kind: PageKind;
  /** Links found so far; an adapter adds the ones its scripts would write. */
  links: LinkCollector;
}

export interface ApiAnswer {
  request: ApiRequest;
  /** The answer decoded as text. */
  text: string;
  contentType?: string;
  status: number;
  patterns: DiscoverPatterns;
}

export interface Found {
  requests?: ApiRequest[];
}

export interface Platform {
  name: string;
  /** undefined: not this platform (or nothing to add). */
  fromPage?(page: PlatformPage): Found | undefined;
  /** Reads an answer to one of this adapter's requests into `links`. Throws ApiError for an error answer. */
  fromAnswer?(answer: ApiAnswer, links: LinkCollector): Found;
  /** A report page whose text sits in a script: the HTML to read instead (else undefined). */
  documentHtml?(page: PlatformPage): string | undefined;
}

/** An API answer that is an error, whatever its HTTP status ({"success":false,"msg":…}, an empty body …). */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Generated pages beyond this from one list are a trap, not a column. */
export const MAX_API_PAGES = 500;

/** Parses a JSON answer; an HTML or empty body where JSON was expected is an error, not an empty list. */
export function parseJsonAnswer(a: ApiAnswer): Record<string, unknown> {
  const t = a.text.replace(/^\uFEFF/, '').trim();
  if (!t) throw new ApiError('api-empty', `empty answer from ${a.request.url}`);
  let v: unknown;
  try {
    v = JSON.parse(t);
  } catch {
    throw new ApiError('api-not-json', `the answer is not JSON (${t.slice(0, 60).replace(/\s+/g, ' ')}…)`);
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new ApiError('api-not-json', 'the answer is not a JSON object');
  const o = v as Record<string, unknown>;
  // {"success":false,"msg":"…"} or {"code":500,"message":"…"} with HTTP 200.
  const failed =
    o.success === false ||
    o.ok === false ||
    (typeof o.code === 'number' && o.code >= 400 && !('articles' in o) && !('data' in o && o.data));
  if (failed) {
    const msg = [o.msg, o.message, o.error, o.errMsg].find((x) => typeof x === 'string' && x) as string | undefined;
    throw new ApiError('api-error', msg ?? `error answer: ${t.slice(0, 80)}`);
  }
  return o;
}
