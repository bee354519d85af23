/**
 * The headless-browser fallback: listing pages that show no report links
 * without scripts (and match no platform adapter) are rendered in Chromium,
 * driven by playwright-core with the system's browser (no browser download).
 * Every request the page makes is intercepted and fetched by the crawler
 * itself, so the browser obeys the same per-host politeness gate, robots.txt,
 * host scope and size cap as every other request; images, fonts, media and
 * styles are not fetched at all. Links come from the rendered DOM and from the
 * JSON/XML/HTML answers to the page's own requests (XHR, fetch).
 *
 * Pages render p-queue's `concurrency` at a time, each in a fresh tab of one
 * browser with a fresh profile (--user-data-dir in a temp directory, removed on close).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import PQueue from 'p-queue';
import type { BrowserContext, Route } from 'playwright-core';
import type { FetchResult } from './fetch.js';

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

/** The Chromium to drive: $OGI_CHROMIUM when set (even if missing: that is how tests turn it off), else the first installed. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.OGI_CHROMIUM !== undefined) return env.OGI_CHROMIUM && existsSync(env.OGI_CHROMIUM) ? env.OGI_CHROMIUM : undefined;
  return CANDIDATES.find((p) => existsSync(p));
}

export interface BrowserRequest {
  url: string;
  method: 'GET' | 'POST';
  body?: string;
  contentType?: string;
  referrer?: string;
  xhr: boolean;
}

/** A request the crawler refused to make for the browser (another host, robots.txt). */
export type Refused = { kind: 'refused'; reason: string };

export interface RenderedPage {
  html: string;
  /** Text answers (JSON, XML, HTML fragments) to the page's own XHR/fetch requests. */
  answers: Array<{ url: string; contentType?: string; text: string }>;
  /** Requests the page made that the crawler fetched for it. */
  fetched: number;
  refused: number;
}

export interface RendererOptions {
  executablePath: string;
  concurrency: number;
  timeoutMs: number;
  userAgent: string;
  /** Fetches for the browser under the crawler's rules. */
  fetch: (req: BrowserRequest) => Promise<FetchResult | Refused>;
}

const SKIPPED_TYPES = new Set(['image', 'media', 'font', 'stylesheet', 'websocket', 'eventsource', 'manifest', 'texttrack', 'ping']);
const MAX_ANSWER_CHARS = 4 * 1024 * 1024;

export class Renderer {
  private context?: Promise<BrowserContext>;
  private profile?: string;
  private readonly queue: PQueue;
  private closed = false;

  constructor(private readonly options: RendererOptions) {
    this.queue = new PQueue({ concurrency: options.concurrency });
  }

  private launch(): Promise<BrowserContext> {
    this.context ??= (async () => {
      const { chromium } = await import('playwright-core');
      this.profile = mkdtempSync(join(tmpdir(), 'ogi-chromium-'));
      // --headless comes from `headless`, --user-data-dir from the persistent context, --no-sandbox from chromiumSandbox.
      return chromium.launchPersistentContext(this.profile, {
        executablePath: this.options.executablePath,
        headless: true,
        chromiumSandbox: false,
        args: CHROMIUM_FLAGS.filter((f) => f !== '--headless' && f !== '--no-sandbox'),
        userAgent: this.options.userAgent,
        serviceWorkers: 'block',
        acceptDownloads: false,
        timeout: 60_000,
      });
    })();
    return this.context;
  }

  /** Renders `url`, answering the page's first request with the bytes the crawler already has. */
  render(url: string, first?: { bytes: Uint8Array; contentType?: string; status: number }): Promise<RenderedPage> {
    return this.queue.add(() => this.renderNow(url, first)) as Promise<RenderedPage>;
  }

  private async renderNow(url: string, first?: { bytes: Uint8Array; contentType?: string; status: number }): Promise<RenderedPage> {
    if (this.closed) throw new Error('renderer closed');
    const context = await this.launch();
    const page = await context.newPage();
    const out: RenderedPage = { html: '', answers: [], fetched: 0, refused: 0 };
    let served = false;
    const handler = async (route: Route): Promise<void> => {
      const req = route.request();
      const type = req.resourceType();
      const target = req.url();
      if (SKIPPED_TYPES.has(type) || !/^https?:/i.test(target)) return route.abort('blockedbyclient');
      if (!served && first && type === 'document' && target.replace(/#.*$/, '') === url.replace(/#.*$/, '')) {
        served = true;
        return route.fulfill({ status: first.status, contentType: first.contentType ?? 'text/html', body: Buffer.from(first.bytes) });
      }
      const headers = req.headers();
      const res = await this.options.fetch({
        url: target,
        method: req.method() === 'POST' ? 'POST' : 'GET',
        body: req.postData() ?? undefined,
        contentType: headers['content-type'],
        referrer: headers.referer,
        xhr: type === 'xhr' || type === 'fetch',
      });
      switch (res.kind) {
        case 'refused':
          out.refused++;
          return route.abort('blockedbyclient');
        case 'ok': {
          out.fetched++;
          if (
            (type === 'xhr' || type === 'fetch') &&
            !/image|audio|video|font|octet-stream|pdf|msword|officedocument/i.test(res.contentType ?? '')
          ) {
            const text = Buffer.from(res.bytes.subarray(0, MAX_ANSWER_CHARS)).toString('utf8');
            out.answers.push({ url: target, contentType: res.contentType, text });
          }
          return route.fulfill({
            status: res.status,
            contentType: res.contentType ?? 'application/octet-stream',
            body: Buffer.from(res.bytes),
          });
        }
        case 'redirect':
          out.fetched++;
          return route.fulfill({ status: res.status, headers: { location: res.location } });
        case 'http-error':
          out.fetched++;
          return route.fulfill({ status: res.status, body: '' });
        default:
          return route.abort('failed');
      }
    };
    try {
      await page.route('**/*', (route) => handler(route).catch(() => route.abort('failed').catch(() => {})));
      const deadline = Date.now() + this.options.timeoutMs;
      await page.goto(url, { waitUntil: 'load', timeout: this.options.timeoutMs }).catch(() => {});
      // The page's scripts' own requests: wait until the network is quiet (or the time is up).
      await page.waitForLoadState('networkidle', { timeout: Math.max(1000, deadline - Date.now()) }).catch(() => {});
      out.html = await page.content();
      return out;
    } finally {
      await page.close().catch(() => {});
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.queue.clear();
    const ctx = this.context;
    this.context = undefined;
    if (ctx) await (await ctx.catch(() => undefined))?.close().catch(() => {});
    if (this.profile) rmSync(this.profile, { recursive: true, force: true });
  }
}
