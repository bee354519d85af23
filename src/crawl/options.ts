/**
 * The crawler's options and their polite defaults. Politeness and limits are
 * options, not code in the request handler (as in Crawlee).
 */
import { OGI_VERSION } from '../version.js';
import { DEFAULT_NAV_TEXT, DEFAULT_REPORT_TEXT } from './discover.js';
import { DEFAULT_HEARTBEAT_MS, DEFAULT_STALE_AFTER_MS } from '../store/crawl/lock.js';

export interface CrawlOptions {
  startUrls: string[];
  /** URLs fetched per run (pages, reports, attachments; not robots.txt). */
  maxPages: number;
  /** URLs fetched per host and run: one broken or huge portal cannot eat the run's budget. */
  maxPagesPerHost: number;
  /** Render listing pages in Chromium: 'auto' only those that need it, 'never', 'always'. */
  render: RenderMode;
  /** Pages rendered at once (each is a browser tab). */
  renderConcurrency: number;
  /** Longest wait for a rendered page to settle (its scripts' requests done). */
  renderTimeoutMs: number;
  /** Link hops from a start page; pagination and frames do not add to it. */
  maxDepth: number;
  /** Pagination hops within one listing: ends endless calendars and "next" traps. */
  maxListingPages: number;
  /** Requests in flight per host. */
  concurrency: number;
  /** Minimum milliseconds between request starts on one host (robots Crawl-delay can raise it). */
  delayMs: number;
  include: RegExp[];
  exclude: RegExp[];
  /** Hosts besides those of the start URLs (host, host:port or *.domain). */
  allowHosts: string[];
  userAgent: string;
  maxBytes: number;
  timeoutMs: number;
  retries: number;
  retryBaseMs: number;
  retryMaxMs: number;
  maxRetryAfterMs: number;
  reportText: RegExp;
  navText: RegExp;
  /** Also revisit every stored document of the crawled hosts, linked or not (nightly evidence of edits and removals). */
  revisit: boolean;
  /** Start over even if an interrupted run with the same start URLs could be resumed. */
  fresh: boolean;
  /** An interrupted run older than this is abandoned rather than resumed. */
  resumeWithinMs: number;
  /** Progress line interval on stderr; 0 turns it off. */
  progressMs: number;
  lockStaleAfterMs: number;
  lockHeartbeatMs: number;
}

export type RenderMode = 'auto' | 'never' | 'always';

export const DEFAULT_USER_AGENT = `ogi/${OGI_VERSION} (government information-disclosure annual report crawler)`;

export const DEFAULTS: Omit<CrawlOptions, 'startUrls'> = {
  maxPages: 100_000,
  maxPagesPerHost: 5000,
  render: 'auto',
  renderConcurrency: 2,
  renderTimeoutMs: 15_000,
  maxDepth: 5,
  maxListingPages: 100,
  concurrency: 2,
  delayMs: 1000,
  include: [],
  exclude: [],
  allowHosts: [],
  userAgent: DEFAULT_USER_AGENT,
  maxBytes: 50 * 1024 * 1024,
  timeoutMs: 30_000,
  retries: 3,
  retryBaseMs: 1000,
  retryMaxMs: 30_000,
  maxRetryAfterMs: 120_000,
  reportText: DEFAULT_REPORT_TEXT,
  navText: DEFAULT_NAV_TEXT,
  revisit: true,
  fresh: false,
  resumeWithinMs: 20 * 3600_000,
  progressMs: 10_000,
  lockStaleAfterMs: DEFAULT_STALE_AFTER_MS,
  lockHeartbeatMs: DEFAULT_HEARTBEAT_MS,
};

export function resolveOptions(o: Partial<CrawlOptions> & { startUrls: string[] }): CrawlOptions {
  const r: CrawlOptions = { ...DEFAULTS, ...o };
  for (const k of [
    'maxPages',
    'maxPagesPerHost',
    'concurrency',
    'timeoutMs',
    'maxBytes',
    'renderConcurrency',
    'renderTimeoutMs',
  ] as const) {
    if (!(Number.isInteger(r[k]) && r[k] >= 1)) throw new RangeError(`${k} must be a whole number of at least 1`);
  }
  for (const k of ['maxDepth', 'delayMs', 'retries', 'retryBaseMs', 'maxListingPages'] as const) {
    if (!(Number.isInteger(r[k]) && r[k] >= 0)) throw new RangeError(`${k} must be a whole number of 0 or more`);
  }
  if (r.startUrls.length === 0) throw new RangeError('at least one start URL is needed');
  if (!['auto', 'never', 'always'].includes(r.render)) throw new RangeError('render must be auto, never or always');
  return r;
}

/** The options as stored in crawl_runs.options (JSON-friendly). */
export function describeOptions(o: CrawlOptions): Record<string, unknown> {
  const { include, exclude, reportText, navText, ...rest } = o;
  return {
    ...rest,
    include: include.map(String),
    exclude: exclude.map(String),
    reportText: String(reportText),
    navText: String(navText),
  };
}

/** Options as queued with a crawl job (JSON): regular expressions travel as source and flags. */
export function toJobOptions(o: Partial<CrawlOptions>): string {
  return JSON.stringify(o, (_k, v: unknown) => (v instanceof RegExp ? { $regexp: v.source, flags: v.flags } : v));
}

export function fromJobOptions(json: string): Partial<CrawlOptions> {
  return JSON.parse(json, (_k, v: unknown) => {
    const r = v as { $regexp?: string; flags?: string } | null;
    return r && typeof r === 'object' && typeof r.$regexp === 'string' ? new RegExp(r.$regexp, r.flags) : v;
  }) as Partial<CrawlOptions>;
}
