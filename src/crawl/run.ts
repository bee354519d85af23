/**
 * One crawl run: takes the lock, starts or resumes a run, and lets workers
 * drain the frontier. Each item goes robots → politeness → fetch → (ingest)
 * → links; fetching (fetch.ts), politeness (politeness/), the frontier
 * (frontier.ts), discovery (discover.ts) and storage (ingestBytes,
 * versions.ts) stay separate modules.
 */
import { setMaxListeners } from 'node:events';
import { ingestBytes, type IngestInput, type IngestOutcome } from '../pipeline/ingest.js';
import type { ProcessOptions } from '../pipeline/process.js';
import type { DB } from '../store/db.js';
import { touchLocation } from '../store/documents.js';
import { sniff } from '../extract/sniff.js';
import { decodeBytes } from '../text/decode.js';
import { canonicalize, hostMatches, type CanonicalUrl } from './canonical-url.js';
import { analysePage, followedFrom, type LinkRole, type PageAnalysis, type PageKind } from './discover.js';
import { Fetcher, type FetchImpl, type FetchResult, type TransientError } from './fetch.js';
import { Frontier, REVISIT_PRIORITY, type FrontierItem, type NewItem, type RunCounts } from './frontier.js';
import { CrawlLock } from './lock.js';
import { describeOptions, resolveOptions, type CrawlOptions } from './options.js';
import { HostGate } from './politeness/host-queue.js';
import { formatBytes, Progress, rate, type ProgressStream } from './progress.js';
import { RobotsCache, type RobotsFetcher } from './robots.js';
import { finishRun, saveCounts, startRun, type RunStatus } from './runs.js';
import { knownDocuments, latestContent, linksFrom, recordContent, recordLinks, recordNotModified, recordState } from './versions.js';

export type IngestFn = (db: DB, input: IngestInput, options: ProcessOptions) => Promise<IngestOutcome>;

export interface CrawlDeps {
  /** Stores a document (default: the pipeline's ingestBytes). Tests count calls through it. */
  ingest?: IngestFn;
  fetch?: FetchImpl;
  /** Log lines (stderr in the CLI). */
  log?: (line: string) => void;
  /** Where progress goes (stderr in the CLI). */
  progress?: ProgressStream;
  /** Stops the run gracefully (SIGINT/SIGTERM): in-flight items go back to the queue. */
  signal?: AbortSignal;
}

export interface StartFailure {
  url: string;
  error: string;
}

export interface CrawlResult extends RunCounts {
  runId: number;
  resumed: boolean;
  status: RunStatus;
  ms: number;
  /** Start URLs that could not be read at all (exit code 2). */
  startFailures: StartFailure[];
  /** 0 ok, 1 the run failed or was interrupted, 2 some start URLs could not be read. */
  exitCode: 0 | 1 | 2;
  /** Largest number of requests in flight on one host, as the crawler saw it. */
  maxInFlight: number;
}

const MAX_REDIRECTS = 5;
const ROBOTS_MAX_BYTES = 512 * 1024;

export async function runCrawl(db: DB, input: Partial<CrawlOptions> & { startUrls: string[] }, deps: CrawlDeps = {}): Promise<CrawlResult> {
  const options = resolveOptions(input);
  const log = deps.log ?? (() => {});
  const ingest = deps.ingest ?? ingestBytes;
  const t0 = Date.now();

  const seeds: CanonicalUrl[] = [];
  for (const u of options.startUrls) {
    const c = canonicalize(u);
    if (!c) throw new RangeError(`not an http(s) URL: ${u}`);
    seeds.push(c);
  }
  const seedHosts = new Set(seeds.map((s) => s.host));
  const hostAllowed = (host: string) => seedHosts.has(host) || options.allowHosts.some((p) => hostMatches(host, p));
  const excluded = (url: string) => options.exclude.some((r) => r.test(url));

  const stop = new AbortController();
  // Every worker's fetch and back-off listens to it: more than Node's default of 10.
  setMaxListeners(0, stop.signal);
  const onExternalStop = () => stop.abort(new Error('stopped'));
  deps.signal?.addEventListener('abort', onExternalStop, { once: true });
  if (deps.signal?.aborted) onExternalStop();

  const lock = CrawlLock.acquire(db, {
    staleAfterMs: options.lockStaleAfterMs,
    heartbeatMs: options.lockHeartbeatMs,
    onLost: () => {
      log('crawl: the lock was taken over by another run; stopping');
      stop.abort(new Error('lock lost'));
    },
  });
  if (lock.tookOverFrom) {
    const h = lock.tookOverFrom;
    log(`crawl: took over a stale lock (pid ${h.pid} on ${h.host}, last heartbeat ${h.heartbeat_at})`);
  }

  let progress: Progress | undefined;
  let runId = 0;
  let frontier: Frontier | undefined;
  try {
    const start = startRun(db, seeds.map((s) => s.key), describeOptions(options), options);
    runId = start.runId;
    lock.setRun(runId);
    frontier = new Frontier(db, runId, options);
    const fr = frontier;
    if (start.resumed) {
      const n = fr.requeueInProgress();
      log(`crawl: resuming run ${runId} (${fr.fetchedCount()} fetched, ${fr.queued()} queued${n ? `, ${n} retried` : ''})`);
    } else {
      if (start.abandoned) log(`crawl: run ${start.abandoned} was not finished and is abandoned (other start URLs, too old or --fresh)`);
      fr.add(seeds.map((s) => ({ url: s.key, fetchUrl: s.fetch, kind: 'start' as const, depth: 0 })));
      if (options.revisit) {
        const known = knownDocuments(db).filter((k) => {
          const c = canonicalize(k.fetched_url);
          return c !== undefined && hostAllowed(c.host) && !excluded(c.fetch);
        });
        fr.add(
          known.map((k) => ({
            url: k.url,
            fetchUrl: k.fetched_url,
            kind: 'report' as const,
            depth: 0,
            referrer: k.referrer ?? undefined,
            priority: REVISIT_PRIORITY,
          })),
        );
      }
    }

    const gate = new HostGate({ concurrency: options.concurrency, delayMs: options.delayMs });
    let retries = 0;
    const fetcher = new Fetcher(gate, options, stop.signal, deps.fetch, (url: string, e: TransientError, attempt: number) => {
      retries++;
      log(`crawl: retry ${attempt} for ${url} (${e.code})`);
    });
    const robots = new RobotsCache(robotsFetcher(fetcher), options.userAgent);

    let inFlight = 0;
    let fetchedTotal = fr.fetchedCount();
    progress = new Progress(deps.progress ?? { write: () => true }, options.progressMs, () => ({
      ...fr.counts(),
      queued: fr.queued(),
      inFlight,
      retries,
      elapsedMs: Date.now() - t0,
    }));
    progress.start();
    const heartbeat = setInterval(() => saveCounts(db, runId, fr.counts()), options.lockHeartbeatMs);
    heartbeat.unref();

    /** Where a followed link goes, or why it does not. */
    const child = (
      item: Pick<FrontierItem, 'url' | 'fetch_url' | 'depth' | 'listing_page'>,
      url: string,
      role: LinkRole,
      listingParent: boolean,
      anchor: string,
    ): { item: NewItem; skip?: string } | undefined => {
      const c = canonicalize(url);
      if (!c) return undefined;
      const kind: PageKind =
        role === 'attachment' ? 'attachment' : role === 'report' ? 'report' : role === 'frame' && !listingParent ? 'report' : 'listing';
      const sameListing = role === 'pagination' || role === 'frame';
      const next: NewItem = {
        url: c.key,
        fetchUrl: c.fetch,
        kind,
        depth: sameListing ? item.depth : item.depth + 1,
        listingPage: sameListing ? item.listing_page + 1 : 0,
        referrer: item.fetch_url,
        anchor: anchor || undefined,
      };
      if (excluded(c.fetch)) return { item: next, skip: 'excluded' };
      if (!hostAllowed(c.host)) return { item: next, skip: 'off-host' };
      if (next.depth > options.maxDepth) return { item: next, skip: 'max-depth' };
      if ((next.listingPage ?? 0) > options.maxListingPages) return { item: next, skip: 'max-listing-pages' };
      return { item: next };
    };

    const enqueue = (from: FrontierItem, links: Array<{ url: string; role: LinkRole; text: string }>, listingParent: boolean) => {
      const queue: NewItem[] = [];
      const skipped = new Map<string, NewItem[]>();
      const graph: Array<{ to: string; kind: string; anchor?: string }> = [];
      for (const l of links) {
        const c = child(from, l.url, l.role, listingParent, l.text);
        if (!c || c.item.url === from.url) continue;
        graph.push({ to: c.item.url, kind: l.role, anchor: l.text || undefined });
        if (c.skip) skipped.set(c.skip, [...(skipped.get(c.skip) ?? []), c.item]);
        else queue.push(c.item);
      }
      recordLinks(db, from.url, graph);
      fr.add(queue);
      for (const [reason, items] of skipped) fr.skip(items, reason);
    };

    const processItem = async (item: FrontierItem): Promise<void> => {
      const host = new URL(item.fetch_url).host;
      const rules = await robots.forUrl(item.fetch_url);
      if (rules.crawlDelayMs !== undefined) gate.setDelay(host, rules.crawlDelayMs);
      if (rules.status === 'unavailable') {
        fr.complete(item.id, { state: 'failed', error: `robots-unavailable:${rules.error}`, fetched: false });
        return;
      }
      if (!rules.isAllowed(item.fetch_url)) {
        fr.complete(item.id, { state: 'blocked', error: 'robots', fetched: false });
        return;
      }
      if (fetchedTotal >= options.maxPages) {
        fr.complete(item.id, { state: 'skipped', error: 'max-pages', fetched: false });
        return;
      }
      fetchedTotal++;
      const prev = latestContent(db, item.url);
      inFlight++;
      let res: FetchResult;
      try {
        res = await fetcher.get({
          url: item.fetch_url,
          referrer: item.referrer ?? undefined,
          etag: prev?.etag ?? undefined,
          lastModified: prev?.last_modified ?? undefined,
        });
      } finally {
        inFlight--;
      }
      const base = { fetched: true, bytes: res.bytesRead } as const;
      const observed = { url: item.url, fetchedUrl: item.fetch_url, runId, httpStatus: 'status' in res ? (res.status ?? 0) : 0 };

      switch (res.kind) {
        case 'redirect': {
          const c = canonicalize(res.location);
          const done = { ...base, httpStatus: res.status, redirectTo: c?.fetch ?? res.location };
          if (!c) return fr.complete(item.id, { ...done, state: 'failed', error: 'bad-redirect' });
          recordLinks(db, item.url, [{ to: c.key, kind: 'redirect' }]);
          const loop = c.key === item.url || fr.redirectsBackTo(c.key, item.url, (u) => canonicalize(u)?.key, MAX_REDIRECTS + 1);
          if (loop) return fr.complete(item.id, { ...done, state: 'failed', error: 'redirect-loop' });
          if (item.redirects >= MAX_REDIRECTS) return fr.complete(item.id, { ...done, state: 'failed', error: 'too-many-redirects' });
          if (!hostAllowed(c.host)) return fr.complete(item.id, { ...done, state: 'skipped', error: 'off-host-redirect' });
          if (excluded(c.fetch)) return fr.complete(item.id, { ...done, state: 'skipped', error: 'excluded' });
          // The target is an item of its own: robots, dedup and loops (A→B→A) are handled like any link.
          fr.add([
            {
              url: c.key,
              fetchUrl: c.fetch,
              kind: item.kind,
              depth: item.depth,
              listingPage: item.listing_page,
              redirects: item.redirects + 1,
              referrer: item.referrer ?? undefined,
              anchor: item.anchor ?? undefined,
            },
          ]);
          return fr.complete(item.id, { ...done, state: 'done', outcome: 'redirect' });
        }
        case 'not-modified': {
          const v = prev ? recordNotModified(db, item.url, res.etag, res.lastModified) : undefined;
          if (!v) return fr.complete(item.id, { ...base, state: 'failed', httpStatus: 304, error: 'unexpected-304' });
          if (v.document_id !== null) {
            db.transaction(() =>
              touchLocation(db, v.document_id!, { location: item.fetch_url, kind: 'url', referrer: item.referrer ?? undefined }),
            )();
          }
          // The page is as before, but its attachments may not be: revisit what it linked.
          enqueue(
            item,
            linksFrom(db, item.url).map((l) => ({ url: l.to_url, role: l.kind as LinkRole, text: l.anchor ?? '' })).filter((l) => l.role !== ('redirect' as LinkRole)),
            false,
          );
          return fr.complete(item.id, {
            ...base,
            state: 'done',
            outcome: 'unchanged',
            httpStatus: 304,
            documentId: v.document_id ?? undefined,
          });
        }
        case 'too-large':
          recordState(db, { ...observed, bytes: res.declared ?? res.bytesRead }, 'too-large');
          log(`crawl: ${item.fetch_url} is larger than ${formatBytes(options.maxBytes)}; cut off`);
          return fr.complete(item.id, { ...base, state: 'failed', httpStatus: res.status, error: 'too-large' });
        case 'http-error':
          if (res.status === 404 || res.status === 410) recordState(db, observed, 'gone');
          return fr.complete(item.id, { ...base, state: 'failed', httpStatus: res.status, error: res.error });
        case 'failed':
          return fr.complete(item.id, { ...base, state: 'failed', httpStatus: res.status, error: res.error });
        case 'ok':
          return handleContent(item, res);
      }
    };

    const handleContent = async (item: FrontierItem, res: Extract<FetchResult, { kind: 'ok' }>): Promise<void> => {
      const sniffed = sniff(res.bytes);
      // Markup-light pages (a list of links) sniff as text: the server's word decides then.
      const html = sniffed === 'html' || (sniffed === 'txt' && /\bx?html\b/i.test(res.contentType ?? ''));
      let page: PageAnalysis | undefined;
      let store: boolean;
      if (html) {
        const decoded = decodeBytes(res.bytes, { contentType: res.contentType, html: true });
        page = analysePage(decoded.text, item.fetch_url, item.kind, options);
        store = !page.listing;
      } else if (sniffed === 'pdf' || sniffed === 'doc' || sniffed === 'docx') {
        store = true;
      } else {
        // Text, binary, zip, empty: kept (with its error) only when it was linked as a report.
        store = item.kind === 'report' || item.kind === 'attachment';
      }
      let outcome: 'new' | 'changed' | 'unchanged' | 'page' = 'page';
      let documentId: number | undefined;
      if (store) {
        const out = await ingest(
          db,
          {
            bytes: res.bytes,
            name: item.fetch_url,
            contentType: res.contentType,
            location: item.fetch_url,
            kind: 'url',
            referrer: item.referrer ?? undefined,
          },
          { maxBytes: options.maxBytes, signal: stop.signal },
        );
        documentId = out.documentId;
        const v = recordContent(db, {
          url: item.url,
          fetchedUrl: item.fetch_url,
          runId,
          httpStatus: res.status,
          sha256: out.sha256,
          documentId: out.documentId,
          etag: res.etag,
          lastModified: res.lastModified,
          contentType: res.contentType,
          bytes: res.bytes.length,
        });
        outcome = v === 'changed' ? 'changed' : v === 'new' && out.status === 'new' ? 'new' : 'unchanged';
      }
      if (page) enqueue(item, page.links.filter((l) => followedFrom(page!, l)), page.listing);
      fr.complete(item.id, { state: 'done', fetched: true, bytes: res.bytesRead, httpStatus: res.status, outcome, documentId });
    };

    // Workers: enough to keep every host's slots busy while others are extracting.
    const hosts = new Set([...seedHosts, ...options.allowHosts.filter((h) => !h.includes('*'))]);
    const workers = Math.min(64, options.concurrency * hosts.size + 2);
    let active = 0;
    let wake: Array<() => void> = [];
    const notify = () => {
      const w = wake;
      wake = [];
      for (const f of w) f();
    };
    stop.signal.addEventListener('abort', notify, { once: true });
    const worker = async (): Promise<void> => {
      while (!stop.signal.aborted) {
        const item = fr.claim();
        if (!item) {
          if (active === 0) return notify();
          await new Promise<void>((r) => wake.push(r));
          continue;
        }
        active++;
        try {
          await processItem(item);
        } catch (e) {
          if (stop.signal.aborted) fr.requeue(item.id);
          else {
            log(`crawl: ${item.fetch_url}: internal error: ${(e as Error)?.stack ?? String(e)}`);
            fr.complete(item.id, { state: 'failed', error: 'internal-error', fetched: false });
          }
        } finally {
          active--;
          notify();
        }
      }
    };
    await Promise.all(Array.from({ length: workers }, () => worker()));
    clearInterval(heartbeat);
    progress.stop();

    const stopped = stop.signal.aborted;
    if (!stopped) {
      const left = fr.skipQueued('max-pages');
      if (left) log(`crawl: --max-pages ${options.maxPages} reached; ${left} queued URLs skipped`);
    }
    const counts = fr.counts();
    const startFailures = stopped ? [] : seedFailures(fr, seeds);
    const status: RunStatus = stopped ? 'interrupted' : 'ok';
    finishRun(db, runId, status, counts, stopped ? String((stop.signal.reason as Error)?.message ?? 'stopped') : undefined);

    const ms = Date.now() - t0;
    const docs = counts.new + counts.changed + counts.unchanged;
    log(
      `crawl: run ${runId} ${stopped ? 'interrupted (the next run resumes it)' : 'finished'} in ${(ms / 1000).toFixed(1)} s: ` +
        `${counts.pages} pages (${rate(counts.pages, ms)}/s), ${docs} documents (${counts.new} new, ${counts.changed} changed, ` +
        `${counts.unchanged} unchanged), ${counts.failed} failed, ${counts.blocked} blocked by robots.txt, ${counts.skipped} skipped, ` +
        `${formatBytes(counts.bytes)}`,
    );
    for (const f of fr.failures()) {
      log(`  failed: ${f.fetch_url} (${f.error}${f.referrer ? `, linked from ${f.referrer}` : ''})`);
    }
    for (const f of startFailures) log(`crawl: start URL could not be read: ${f.url} (${f.error})`);
    let maxInFlight = 0;
    for (const h of hosts) maxInFlight = Math.max(maxInFlight, gate.maxInFlight(h));
    return {
      ...counts,
      runId,
      resumed: start.resumed,
      status,
      ms,
      startFailures,
      exitCode: stopped ? 1 : startFailures.length > 0 ? 2 : 0,
      maxInFlight,
    };
  } catch (e) {
    progress?.stop();
    if (runId && frontier) {
      try {
        finishRun(db, runId, 'failed', frontier.counts(), (e as Error)?.message ?? String(e));
      } catch {
        // The database itself may be what failed.
      }
    }
    throw e;
  } finally {
    deps.signal?.removeEventListener('abort', onExternalStop);
    lock.release();
  }
}

/** Start URLs whose page (after redirects) could not be fetched. */
function seedFailures(fr: Frontier, seeds: CanonicalUrl[]): StartFailure[] {
  const failures: StartFailure[] = [];
  for (const s of seeds) {
    let key = s.key;
    for (let hop = 0; hop <= MAX_REDIRECTS + 1; hop++) {
      const st = fr.stateOf(key);
      if (!st) {
        failures.push({ url: s.fetch, error: 'not-fetched' });
        break;
      }
      if (st.state === 'done' && st.redirect_to) {
        const next = canonicalize(st.redirect_to);
        if (next && next.key !== key) {
          key = next.key;
          continue;
        }
      }
      if (st.state !== 'done') failures.push({ url: s.fetch, error: st.error ?? st.state });
      break;
    }
  }
  return failures;
}

/** robots.txt through the same politeness and retries; follows up to 5 redirects (RFC 9309). */
function robotsFetcher(fetcher: Fetcher): RobotsFetcher {
  return async (url) => {
    let target = url;
    for (let hop = 0; hop <= 5; hop++) {
      const r = await fetcher.get({ url: target });
      switch (r.kind) {
        case 'ok':
          return { status: r.status, text: Buffer.from(r.bytes.subarray(0, ROBOTS_MAX_BYTES)).toString('utf8') };
        case 'redirect':
          target = r.location;
          continue;
        case 'http-error':
          return { status: r.status, text: '' };
        case 'too-large':
          return { error: 'robots-too-large' };
        case 'not-modified':
          return { status: 404, text: '' };
        case 'failed':
          return { error: r.error };
      }
    }
    return { status: 404, text: '' };
  };
}
