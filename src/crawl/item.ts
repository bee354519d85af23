/**
 * One frontier item, start to end: robots.txt → politeness budget → fetch
 * (conditional when the URL has a stored version) → by answer: record a
 * redirect target as a new item, confirm a 304, record gone/too-large, or read
 * the content: sniff, decode, find links, ingest what is a document, record
 * its version. Every path ends in exactly one Frontier.complete().
 */
import type { IngestOutcome, Submission } from '../pipeline/service.js';
import type { DB } from '../store/db.js';
import { touchLocation } from '../store/documents.js';
import { sniff } from '../extract/sniff.js';
import { decodeBytes } from '../text/decode.js';
import { canonicalize } from './canonical-url.js';
import { analysePage, followedFrom, type DiscoverPatterns, type LinkRole, type PageAnalysis } from './discover.js';
import type { Fetcher, FetchResult } from './fetch.js';
import type { Frontier, FrontierItem, NewItem } from './frontier.js';
import type { HostGate } from './politeness/host-queue.js';
import { formatBytes } from './progress.js';
import type { RobotsCache } from './robots.js';
import type { Scope, SkipReason } from './scope.js';
import { latestContent, linksFrom, recordContent, recordLinks, recordNotModified, recordState } from './versions.js';

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
  db: DB;
  runId: number;
  frontier: Frontier;
  scope: Scope;
  gate: HostGate;
  fetcher: Fetcher;
  robots: RobotsCache;
  patterns: DiscoverPatterns;
  submit: (submission: Submission) => Promise<IngestOutcome>;
  onIngested?: IngestObserver;
  maxPages: number;
  maxBytes: number;
  stop: AbortSignal;
  log: (line: string) => void;
}

type Ok = Extract<FetchResult, { kind: 'ok' }>;

export class ItemProcessor {
  /** Items fetched in this run so far (survives a resume through the frontier). */
  fetched: number;
  inFlight = 0;

  constructor(private readonly c: ItemContext) {
    this.fetched = c.frontier.fetchedCount();
  }

  async process(item: FrontierItem): Promise<void> {
    const { frontier: fr, gate } = this.c;
    const rules = await this.c.robots.forUrl(item.fetch_url);
    if (rules.crawlDelayMs !== undefined) gate.setDelay(new URL(item.fetch_url).host, rules.crawlDelayMs);
    if (rules.status === 'unavailable') {
      return fr.complete(item.id, { state: 'failed', error: `robots-unavailable:${rules.error}`, fetched: false });
    }
    if (!rules.isAllowed(item.fetch_url)) return fr.complete(item.id, { state: 'blocked', error: 'robots', fetched: false });
    if (this.fetched >= this.c.maxPages) return fr.complete(item.id, { state: 'skipped', error: 'max-pages', fetched: false });
    this.fetched++;

    const prev = latestContent(this.c.db, item.url);
    this.inFlight++;
    let res: FetchResult;
    try {
      res = await this.c.fetcher.get({
        url: item.fetch_url,
        referrer: item.referrer ?? undefined,
        etag: prev?.etag ?? undefined,
        lastModified: prev?.last_modified ?? undefined,
      });
    } finally {
      this.inFlight--;
    }
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
        recordState(this.c.db, { ...observed, bytes: res.declared ?? res.bytesRead }, 'too-large');
        this.c.log(`crawl: ${item.fetch_url} is larger than ${formatBytes(this.c.maxBytes)}; cut off`);
        return fr.complete(item.id, { ...base, state: 'failed', httpStatus: res.status, error: 'too-large' });
      case 'http-error':
        // A report that disappears after publication is evidence too.
        if (res.status === 404 || res.status === 410) recordState(this.c.db, observed, 'gone');
        return fr.complete(item.id, { ...base, state: 'failed', httpStatus: res.status, error: res.error });
      case 'failed':
        return fr.complete(item.id, { ...base, state: 'failed', httpStatus: res.status, error: res.error });
      case 'ok':
        return this.content(item, res);
    }
  }

  /** The target becomes an item of its own, so robots, dedup and host rules apply to it as to any link. */
  private redirect(item: FrontierItem, location: string, status: number, base: { fetched: true; bytes: number }): void {
    const { frontier: fr, scope } = this.c;
    const target = canonicalize(location);
    const done = { ...base, httpStatus: status, redirectTo: target?.fetch ?? location };
    if (!target) return fr.complete(item.id, { ...done, state: 'failed', error: 'bad-redirect' });
    recordLinks(this.c.db, item.url, [{ to: target.key, kind: 'redirect' }]);
    const loop = target.key === item.url || fr.redirectsBackTo(target.key, item.url, (u) => canonicalize(u)?.key, MAX_REDIRECTS + 1);
    if (loop) return fr.complete(item.id, { ...done, state: 'failed', error: 'redirect-loop' });
    if (item.redirects >= MAX_REDIRECTS) return fr.complete(item.id, { ...done, state: 'failed', error: 'too-many-redirects' });
    if (!scope.hostAllowed(target.host)) return fr.complete(item.id, { ...done, state: 'skipped', error: 'off-host-redirect' });
    if (scope.excluded(target.fetch)) return fr.complete(item.id, { ...done, state: 'skipped', error: 'excluded' });
    fr.add([
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
    fr.complete(item.id, { ...done, state: 'done', outcome: 'redirect' });
  }

  private notModified(
    item: FrontierItem,
    res: Extract<FetchResult, { kind: 'not-modified' }>,
    conditional: boolean,
    base: { fetched: true; bytes: number },
  ): void {
    const { db, frontier: fr } = this.c;
    const v = conditional ? recordNotModified(db, item.url, res.etag, res.lastModified) : undefined;
    if (!v) return fr.complete(item.id, { ...base, state: 'failed', httpStatus: 304, error: 'unexpected-304' });
    if (v.document_id !== null) {
      const documentId = v.document_id;
      db.transaction(() =>
        touchLocation(db, documentId, { location: item.fetch_url, kind: 'url', referrer: item.referrer ?? undefined }),
      )();
    }
    // The page is as before, but the attachments it links may not be: revisit them.
    const links = linksFrom(db, item.url)
      .filter((l) => l.kind !== 'redirect')
      .map((l) => ({ url: l.to_url, role: l.kind as LinkRole, text: l.anchor ?? '' }));
    this.enqueue(item, links, false);
    fr.complete(item.id, { ...base, state: 'done', outcome: 'unchanged', httpStatus: 304, documentId: v.document_id ?? undefined });
  }

  private async content(item: FrontierItem, res: Ok): Promise<void> {
    const sniffed = sniff(res.bytes);
    // Markup-light pages (a list of links) sniff as text: the server's word decides then.
    const html = sniffed === 'html' || (sniffed === 'txt' && /\bx?html\b/i.test(res.contentType ?? ''));
    let page: PageAnalysis | undefined;
    let store: boolean;
    if (html) {
      const decoded = decodeBytes(res.bytes, { contentType: res.contentType, html: true });
      page = analysePage(decoded.text, item.fetch_url, item.kind, this.c.patterns);
      if (page.redirect) return this.redirect(item, page.redirect, res.status, { fetched: true, bytes: res.bytesRead });
      store = !page.listing;
    } else if (sniffed === 'pdf' || sniffed === 'doc' || sniffed === 'docx') {
      store = true;
    } else {
      // Text, binary, zip, empty: kept (with its error) only when it was linked as a report.
      store = item.kind === 'report' || item.kind === 'attachment';
    }
    let outcome: 'new' | 'changed' | 'unchanged' | 'page' = 'page';
    let documentId: number | undefined;
    if (store) ({ outcome, documentId } = await this.store(item, res));
    if (page) {
      const p = page;
      this.enqueue(
        item,
        p.links.filter((l) => followedFrom(p, l)),
        p.listing,
      );
    }
    this.c.frontier.complete(item.id, { state: 'done', fetched: true, bytes: res.bytesRead, httpStatus: res.status, outcome, documentId });
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
    };
    const out = await this.c.submit(submission);
    this.c.onIngested?.(submission, out);
    if (out.status === 'stopped' || out.documentId === null) throw new StoppedError(item.fetch_url);
    const v = recordContent(this.c.db, {
      url: item.url,
      fetchedUrl: item.fetch_url,
      runId: this.c.runId,
      httpStatus: res.status,
      sha256: out.sha256,
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

  /** Queues the followed links in scope, records the others as skipped, and remembers them all (crawl_links). */
  private enqueue(from: FrontierItem, links: Array<{ url: string; role: LinkRole; text: string }>, fromListing: boolean): void {
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
    recordLinks(this.c.db, from.url, graph);
    this.c.frontier.add(queue);
    for (const [reason, items] of skipped) this.c.frontier.skip(items, reason);
  }
}
