/**
 * One frontier item, start to end: robots.txt → politeness budget → fetch
 * (conditional when the URL has a stored version) → by answer: record a
 * redirect target as a new item, confirm a 304, record gone/too-large, or read
 * the content: sniff, decode, find links, ingest what is a document, record
 * its version. Every path ends in exactly one Frontier.complete().
 */
import type { IngestOutcome, Submission } from '../pipeline/service.js';
import { sniff } from '../extract/sniff.js';
import { decodeBytes } from '../text/decode.js';
import { load } from 'cheerio/slim';
import { canonicalize } from './canonical-url.js';
import { dispositionFilename, urlFilename } from './content-disposition.js';
import { analysePage, followedFrom, type DiscoverPatterns, type LinkRole, type PageAnalysis } from './discover.js';
import type { Fetcher, FetchResult } from './fetch.js';
import type { FrontierItem, NewItem } from '../store/crawl/frontier.js';
import type { CrawlFrontier, CrawlStore } from '../store/crawl/types.js';
import { baseOf, LinkCollector, norm } from './links.js';
import type { RenderMode } from './options.js';
import { platformNamed } from './platforms/index.js';
import type { Renderer } from './render.js';
import { addAnswerLinks, needsRender, visibleTextLength } from './render-policy.js';
import { ApiError, type ApiRequest } from './platforms/types.js';
import type { HostGate } from './politeness/host-queue.js';
import { formatBytes } from './progress.js';
import type { RobotsCache } from './robots.js';
import type { Scope, SkipReason } from './scope.js';

/** Sees every document the crawler handed to the ingest service, with its outcome (tests count through it). */
export type IngestObserver = (submission: Submission, outcome: IngestOutcome) => void;

/** A read the ingest service stopped: the item goes back to the queue, as if never fetched. */
export class StoppedError extends Error {
  constructor(url: string) {
    super(`${url}: stopped while reading`);
    this.name = 'StoppedError';
  }
}

/** Redirect hops followed from one link (RFC 9110 suggests at least 5). */
export const MAX_REDIRECTS = 5;

export interface ItemContext {
  store: CrawlStore;
  runId: number;
  frontier: CrawlFrontier;
  scope: Scope;
  gate: HostGate;
  fetcher: Fetcher;
  robots: RobotsCache;
  patterns: DiscoverPatterns;
  submit: (submission: Submission) => Promise<IngestOutcome>;
  onIngested?: IngestObserver;
  maxPages: number;
  /** URLs fetched per host and run. */
  maxPagesPerHost: number;
  maxBytes: number;
  stop: AbortSignal;
  log: (line: string) => void;
  renderMode: RenderMode;
  /** Absent: no Chromium (or --render never). */
  renderer?: Renderer;
}

type Ok = Extract<FetchResult, { kind: 'ok' }>;

const DOCUMENT_NAME = /\.(pdf|docx?|wps|ofd)$/i;
const ERROR_TEXT = /404|403|500|错误|不存在|已删除|无权|出错|失败|error|not found|forbidden/i;

/** An HTML error page where a download was promised (a .pdf link answering "文件不存在"): a failure, not a document. */
function isErrorPage($: ReturnType<typeof load>, name: string): boolean {
  if (!DOCUMENT_NAME.test(name.replace(/[?#].*$/, ''))) return false;
  return visibleTextLength($) < 300 && ERROR_TEXT.test(`${$('title').text()} ${$.root().text().slice(0, 600)}`);
}

/** Downloads named as one of these are not documents ogi reads (spreadsheets, archives, images, media). */
const NOT_A_DOCUMENT = /\.(xlsx?|et|csv|zip|rar|7z|gz|tar|jpe?g|png|gif|bmp|tiff?|mp[34]|avi|wmv|flv|mov|exe|apk|pptx?|dps)$/i;

export class ItemProcessor {
  /** Items fetched in this run so far (survives a resume through the frontier). */
  fetched = 0;
  inFlight = 0;
  /** Items fetched per host in this run. */
  private fetchedByHost = new Map<string, number>();
  /** Hosts that reached --max-pages-per-host. */
  readonly hostsCapped = new Set<string>();
  /** Pages rendered in Chromium in this process. */
  rendered = 0;

  constructor(private readonly c: ItemContext) {}

  /** Reads what this run fetched before (a resume): page caps count it. Call once before process(). */
  async init(): Promise<this> {
    this.fetched = await this.c.frontier.fetchedCount();
    this.fetchedByHost = await this.c.frontier.fetchedByHost();
    return this;
  }

  /** `fetched` is called once the item's own request is done (or it will make none): the scheduler frees the host's turn. */
  async process(item: FrontierItem, fetched: () => void = () => {}): Promise<void> {
    try {
      await this.run(item, fetched);
    } finally {
      fetched();
    }
  }

  private async run(item: FrontierItem, fetched: () => void): Promise<void> {
    const { frontier: fr, gate } = this.c;
    const host = item.host || new URL(item.fetch_url).host;
    const rules = await this.c.robots.forUrl(item.fetch_url);
    if (rules.crawlDelayMs !== undefined) gate.setDelay(host, rules.crawlDelayMs);
    if (rules.status === 'unavailable') {
      return fr.complete(item.id, { state: 'failed', error: `robots-unavailable:${rules.error}`, fetched: false });
    }
    if (!rules.isAllowed(item.fetch_url)) return fr.complete(item.id, { state: 'blocked', error: 'robots', fetched: false });
    if (this.fetched >= this.c.maxPages) return fr.complete(item.id, { state: 'skipped', error: 'max-pages', fetched: false });
    const onHost = this.fetchedByHost.get(host) ?? 0;
    if (onHost >= this.c.maxPagesPerHost) {
      this.hostsCapped.add(host);
      return fr.complete(item.id, { state: 'skipped', error: 'max-pages-per-host', fetched: false });
    }
    this.fetched++;
    this.fetchedByHost.set(host, onHost + 1);
    if (onHost + 1 >= this.c.maxPagesPerHost) this.hostsCapped.add(host);

    const request: ApiRequest | undefined = item.request ? (JSON.parse(item.request) as ApiRequest) : undefined;
    const prev = request ? undefined : await this.c.store.latestContent(item.url);
    this.inFlight++;
    let res: FetchResult;
    try {
      res = await this.c.fetcher.get({
        url: item.fetch_url,
        referrer: request?.referer ?? item.referrer ?? undefined,
        etag: prev?.etag ?? undefined,
        lastModified: prev?.last_modified ?? undefined,
        ...(request
          ? { method: request.method, body: request.body, contentType: request.contentType, accept: request.accept, xhr: request.xhr }
          : {}),
      });
    } finally {
      this.inFlight--;
      fetched();
    }
    if (request) return this.answer(item, request, res);
    const base = { fetched: true, bytes: res.bytesRead } as const;
    const observed = {
      url: item.url,
      fetchedUrl: item.fetch_url,
      runId: this.c.runId,
      httpStatus: 'status' in res ? (res.status ?? 0) : 0,
    };
    switch (res.kind) {
      case 'redirect':
        return this.redirect(item, res.location, res.status, base);
      case 'not-modified':
        return this.notModified(item, res, prev !== undefined, base);
      case 'too-large':
        await this.c.store.recordState({ ...observed, bytes: res.declared ?? res.bytesRead }, 'too-large');
        this.c.log(`crawl: ${item.fetch_url} is larger than ${formatBytes(this.c.maxBytes)}; cut off`);
        return fr.complete(item.id, { ...base, state: 'failed', httpStatus: res.status, error: 'too-large' });
      case 'http-error':
        // A report that disappears after publication is evidence too.
        if (res.status === 404 || res.status === 410) await this.c.store.recordState(observed, 'gone');
        return fr.complete(item.id, { ...base, state: 'failed', httpStatus: res.status, error: res.error });
      case 'failed':
        return fr.complete(item.id, { ...base, state: 'failed', httpStatus: res.status, error: res.error });
      case 'ok':
        return this.content(item, res);
    }
  }

  /** The target becomes an item of its own, so robots, dedup and host rules apply to it as to any link. */
  private async redirect(item: FrontierItem, location: string, status: number, base: { fetched: true; bytes: number }): Promise<void> {
    const { frontier: fr, scope } = this.c;
    const target = canonicalize(location);
    const done = { ...base, httpStatus: status, redirectTo: target?.fetch ?? location };
    if (!target) return fr.complete(item.id, { ...done, state: 'failed', error: 'bad-redirect' });
    await this.c.store.recordLinks(item.url, [{ to: target.key, kind: 'redirect' }]);
    const loop = target.key === item.url || (await redirectsBackTo(fr, target.key, item.url, MAX_REDIRECTS + 1));
    if (loop) return fr.complete(item.id, { ...done, state: 'failed', error: 'redirect-loop' });
    if (item.redirects >= MAX_REDIRECTS) return fr.complete(item.id, { ...done, state: 'failed', error: 'too-many-redirects' });
    if (!scope.hostAllowed(target.host)) return fr.complete(item.id, { ...done, state: 'skipped', error: 'off-host-redirect' });
    if (scope.excluded(target.fetch)) return fr.complete(item.id, { ...done, state: 'skipped', error: 'excluded' });
    await fr.add([
      {
        url: target.key,
        fetchUrl: target.fetch,
        kind: item.kind,
        depth: item.depth,
        listingPage: item.listing_page,
        redirects: item.redirects + 1,
        // The page that linked the first URL is the referrer of the final one.
        referrer: item.referrer ?? undefined,
        anchor: item.anchor ?? undefined,
      },
    ]);
    await fr.complete(item.id, { ...done, state: 'done', outcome: 'redirect' });
  }

  private async notModified(
    item: FrontierItem,
    res: Extract<FetchResult, { kind: 'not-modified' }>,
    conditional: boolean,
    base: { fetched: true; bytes: number },
  ): Promise<void> {
    const { store, frontier: fr } = this.c;
    const v = conditional ? await store.recordNotModified(item.url, res.etag, res.lastModified) : undefined;
    if (!v) return fr.complete(item.id, { ...base, state: 'failed', httpStatus: 304, error: 'unexpected-304' });
    if (v.document_id !== null) {
      await store.documents.touchLocation(v.document_id, { location: item.fetch_url, kind: 'url', referrer: item.referrer ?? undefined });
    }
    // The page is as before, but the attachments it links may not be: revisit them.
    const links = (await store.linksFrom(item.url))
      .filter((l) => l.kind !== 'redirect')
      .map((l) => ({ url: l.to_url, role: l.kind as LinkRole, text: l.anchor ?? '' }));
    await this.enqueue(item, links, false);
    await fr.complete(item.id, { ...base, state: 'done', outcome: 'unchanged', httpStatus: 304, documentId: v.document_id ?? undefined });
  }

  private async content(item: FrontierItem, res: Ok): Promise<void> {
    const sniffed = sniff(res.bytes);
    const filename = dispositionFilename(res.contentDisposition) ?? urlFilename(item.fetch_url);
    const done = { fetched: true, bytes: res.bytesRead, httpStatus: res.status, filename } as const;
    if (filename && NOT_A_DOCUMENT.test(filename) && sniffed !== 'html' && sniffed !== 'pdf') {
      return this.c.frontier.complete(item.id, { ...done, state: 'skipped', error: 'not-a-document' });
    }
    // Markup-light pages (a list of links) sniff as text: the server's word decides then.
    const html = sniffed === 'html' || (sniffed === 'txt' && /\bx?html\b/i.test(res.contentType ?? ''));
    let page: PageAnalysis | undefined;
    let store: boolean;
    let replacement: string | undefined;
    if (html) {
      const decoded = decodeBytes(res.bytes, { contentType: res.contentType, html: true });
      const $ = load(decoded.text);
      if (item.kind === 'attachment' && isErrorPage($, filename ?? item.fetch_url)) {
        return this.c.frontier.complete(item.id, { ...done, state: 'failed', error: 'error-page', errorMessage: norm($('title').text()) });
      }
      page = analysePage(decoded.text, item.fetch_url, item.kind, this.c.patterns, $);
      if (page.redirect) return this.redirect(item, page.redirect, res.status, { fetched: true, bytes: res.bytesRead });
      if (this.c.renderer && needsRender(this.c.renderMode, $, page, item.kind)) {
        const r = await this.render(item, res, page);
        page = r.page;
        replacement = r.html;
      }
      store = !page.listing;
      if (store && replacement === undefined && page.platforms.length) {
        // A report page whose text sits in a script (gkmlpt DETAIL.content): read that instead.
        const pp = {
          $,
          html: decoded.text,
          url: item.fetch_url,
          base: baseOf($, item.fetch_url),
          kind: item.kind,
          links: new LinkCollector(item.fetch_url, item.fetch_url, this.c.patterns),
        };
        for (const name of page.platforms) replacement ??= platformNamed(name)?.documentHtml?.(pp);
      }
    } else if (sniffed === 'pdf' || sniffed === 'doc' || sniffed === 'docx') {
      store = true;
    } else {
      // Text, binary, zip, empty: kept (with its error) only when it was linked as a report.
      store = item.kind === 'report' || item.kind === 'attachment';
    }
    let outcome: 'new' | 'changed' | 'unchanged' | 'page' = 'page';
    let documentId: number | undefined;
    if (store) {
      const bytes = replacement !== undefined ? Buffer.from(replacement, 'utf8') : res.bytes;
      const contentType = replacement !== undefined ? 'text/html; charset=utf-8' : res.contentType;
      ({ outcome, documentId } = await this.store(item, { ...res, bytes, contentType }));
    }
    if (page) {
      const p = page;
      await this.enqueue(
        item,
        p.links.filter((l) => followedFrom(p, l)),
        p.listing,
      );
      await this.enqueueRequests(item, p.requests);
    }
    await this.c.frontier.complete(item.id, { ...done, state: 'done', outcome, documentId });
  }

  /**
   * Renders the page in Chromium (its requests go through the crawler's fetcher) and adds
   * the links of the rendered DOM and of the answers to its scripts' requests. A report
   * page that had no text of its own is stored as rendered (`html`).
   */
  private async render(item: FrontierItem, res: Ok, page: PageAnalysis): Promise<{ page: PageAnalysis; html?: string }> {
    let r;
    try {
      r = await this.c.renderer!.render(item.fetch_url, { bytes: res.bytes, contentType: res.contentType, status: res.status });
    } catch (e) {
      if (this.c.stop.aborted) throw e;
      this.c.log(`crawl: ${item.fetch_url}: could not render: ${(e as Error)?.message ?? String(e)}`);
      return { page };
    }
    this.rendered++;
    const $ = load(r.html);
    const shown = analysePage(r.html, item.fetch_url, item.kind, this.c.patterns, $);
    const answers = new LinkCollector(item.fetch_url, baseOf($, item.fetch_url), this.c.patterns);
    for (const a of r.answers) addAnswerLinks(a.text, a.contentType, answers);
    const seen = new Set<string>();
    const links = [...page.links, ...shown.links, ...answers.links].filter((l) => {
      const k = `${l.role} ${l.url}`;
      return seen.has(k) ? false : (seen.add(k), true);
    });
    const listing = page.listing || shown.listing || answers.links.some((l) => l.role === 'report');
    const merged: PageAnalysis = {
      ...page,
      links,
      listing,
      requests: [...page.requests, ...shown.requests],
      platforms: [...new Set([...page.platforms, ...shown.platforms])],
    };
    const html = !listing && visibleTextLength($) >= 100 ? r.html : undefined;
    return { page: merged, html };
  }

  /** A platform API answer: its adapter reads it into links and further requests; an error answer fails the item with its message. */
  private async answer(item: FrontierItem, request: ApiRequest, res: FetchResult): Promise<void> {
    const { frontier: fr } = this.c;
    const base = { fetched: true, bytes: res.bytesRead } as const;
    if (res.kind !== 'ok') {
      const status = 'status' in res ? res.status : undefined;
      const error =
        res.kind === 'redirect' ? 'api-redirect' : res.kind === 'not-modified' ? 'unexpected-304' : 'error' in res ? res.error : res.kind;
      return fr.complete(item.id, {
        ...base,
        state: 'failed',
        httpStatus: status,
        error,
        errorMessage: 'message' in res ? res.message : undefined,
      });
    }
    const platform = platformNamed(request.platform);
    if (!platform?.fromAnswer) return fr.complete(item.id, { ...base, state: 'failed', httpStatus: res.status, error: 'unknown-platform' });
    const text = decodeBytes(res.bytes, { contentType: res.contentType, html: false }).text;
    const links = new LinkCollector(request.referer ?? item.fetch_url, request.referer ?? item.fetch_url, this.c.patterns);
    let next: ApiRequest[];
    try {
      next = (
        platform.fromAnswer({ request, text, contentType: res.contentType, status: res.status, patterns: this.c.patterns }, links)
          .requests ?? []
      ).map((r) => ({ ...r, platform: r.platform ?? platform.name }));
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      this.c.log(`crawl: ${item.fetch_url}: ${e.code}: ${e.message}`);
      return fr.complete(item.id, { ...base, state: 'failed', httpStatus: res.status, error: e.code, errorMessage: e.message });
    }
    const listing = { listing: true } as PageAnalysis;
    await this.enqueue(
      item,
      links.links.filter((l) => followedFrom(listing, l)),
      true,
    );
    await this.enqueueRequests(item, next);
    await fr.complete(item.id, { ...base, state: 'done', httpStatus: res.status, outcome: 'page' });
  }

  private async enqueueRequests(from: FrontierItem, requests: ApiRequest[]): Promise<void> {
    if (requests.length === 0) return;
    const queue: NewItem[] = [];
    const skipped = new Map<SkipReason, NewItem[]>();
    for (const r of requests) {
      const c = this.c.scope.apiChild(from, r);
      if (!c || c.item.url === from.url) continue;
      if (c.skip) skipped.set(c.skip, [...(skipped.get(c.skip) ?? []), c.item]);
      else queue.push(c.item);
    }
    await this.c.frontier.add(queue);
    for (const [reason, items] of skipped) await this.c.frontier.skip(items, reason);
  }

  /** Ingests the bytes (content-addressed: known bytes are not read again) and records the URL's version. */
  private async store(item: FrontierItem, res: Ok): Promise<{ outcome: 'new' | 'changed' | 'unchanged'; documentId: number }> {
    const submission: Submission = {
      bytes: res.bytes,
      name: item.fetch_url,
      contentType: res.contentType,
      location: item.fetch_url,
      kind: 'url',
      referrer: item.referrer ?? undefined,
      // Page images of an image-only report: fetched like its attachments.
      resources: (ref) => this.resource(item, ref),
    };
    const out = await this.c.submit(submission);
    this.c.onIngested?.(submission, out);
    if (out.status === 'stopped' || out.documentId === null) throw new StoppedError(item.fetch_url);
    const v = await this.c.store.recordContent({
      url: item.url,
      fetchedUrl: item.fetch_url,
      runId: this.c.runId,
      httpStatus: res.status,
      sha256: out.sha256,
      contentHash: out.contentHash,
      documentId: out.documentId,
      etag: res.etag,
      lastModified: res.lastModified,
      contentType: res.contentType,
      bytes: res.bytes.length,
    });
    // 'new' means a document stored for the first time; the same bytes at another URL are 'unchanged'.
    const outcome = v === 'changed' ? 'changed' : v === 'new' && out.status === 'new' ? 'new' : 'unchanged';
    return { outcome, documentId: out.documentId };
  }

  /**
   * A file a document refers to (a page image of an image-only report), asked for by the
   * ingest service: fetched under the same host scope, robots.txt, per-host gate, page caps
   * and size cap as an attachment, and recorded in the frontier as one (anchor 'resource').
   */
  private async resource(from: FrontierItem, ref: string): Promise<Uint8Array | undefined> {
    const { frontier: fr, scope } = this.c;
    const c = canonicalize(ref, from.fetch_url);
    if (!c) return undefined;
    const it: NewItem = {
      url: c.key,
      fetchUrl: c.fetch,
      kind: 'attachment',
      depth: from.depth + 1,
      referrer: from.fetch_url,
      anchor: 'resource',
    };
    const refuse = async (state: 'skipped' | 'blocked' | 'failed', error: string): Promise<undefined> => {
      await fr.recordDone(it, { state, error, fetched: false });
      return undefined;
    };
    if (!scope.hostAllowed(c.host)) return refuse('skipped', 'off-host');
    if (scope.excluded(c.fetch)) return refuse('skipped', 'excluded');
    const rules = await this.c.robots.forUrl(c.fetch);
    if (rules.status === 'unavailable') return refuse('failed', `robots-unavailable:${rules.error}`);
    if (!rules.isAllowed(c.fetch)) return refuse('blocked', 'robots');
    const onHost = this.fetchedByHost.get(c.host) ?? 0;
    if (this.fetched >= this.c.maxPages) return refuse('skipped', 'max-pages');
    if (onHost >= this.c.maxPagesPerHost) return refuse('skipped', 'max-pages-per-host');
    this.fetched++;
    this.fetchedByHost.set(c.host, onHost + 1);
    const res = await this.c.fetcher.get({ url: c.fetch, referrer: from.fetch_url });
    const base = { fetched: true, bytes: res.bytesRead, httpStatus: 'status' in res ? res.status : undefined } as const;
    if (res.kind !== 'ok') {
      await fr.recordDone(it, { ...base, state: 'failed', error: 'error' in res ? res.error : res.kind });
      return undefined;
    }
    await fr.recordDone(it, { ...base, state: 'done', outcome: 'page' });
    return res.bytes;
  }

  /** Queues the followed links in scope, records the others as skipped, and remembers them all (crawl_links). */
  private async enqueue(
    from: FrontierItem,
    links: Array<{ url: string; role: LinkRole; text: string }>,
    fromListing: boolean,
  ): Promise<void> {
    const queue: NewItem[] = [];
    const skipped = new Map<SkipReason, NewItem[]>();
    const graph: Array<{ to: string; kind: string; anchor?: string }> = [];
    for (const l of links) {
      const c = this.c.scope.child(from, l.url, l.role, fromListing, l.text);
      if (!c || c.item.url === from.url) continue;
      graph.push({ to: c.item.url, kind: l.role, anchor: l.text || undefined });
      if (c.skip) skipped.set(c.skip, [...(skipped.get(c.skip) ?? []), c.item]);
      else queue.push(c.item);
    }
    await this.c.store.recordLinks(from.url, graph);
    await this.c.frontier.add(queue);
    for (const [reason, items] of skipped) await this.c.frontier.skip(items, reason);
  }
}

/**
 * Whether following redirects from `url` leads back to `to` (A → B → A):
 * the redirect targets recorded so far in this run, at most `hops` of them.
 */
async function redirectsBackTo(fr: CrawlFrontier, url: string, to: string, hops: number): Promise<boolean> {
  let at: string | undefined = url;
  for (let i = 0; i < hops && at; i++) {
    if (at === to) return true;
    const st = await fr.stateOf(at);
    at = st?.redirect_to ? canonicalize(st.redirect_to)?.key : undefined;
  }
  return at === to;
}
