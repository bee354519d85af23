/**
 * One crawl run: takes the lock, starts or resumes a run, lets workers drain
 * the frontier, and writes the summary. What happens to one item is in
 * item.ts; fetching (fetch.ts), politeness (politeness/), the frontier
 * (frontier.ts), discovery (discover.ts), scope (scope.ts) and storage
 * (versions.ts; documents go through the ingest service, src/pipeline/service.ts,
 * the same path as `ogi ingest`) stay separate modules.
 */
import { setMaxListeners } from 'node:events';
import type { DB } from '../store/db.js';
import type { CrawlFrontier, CrawlStore } from '../store/crawl/types.js';
import { SqliteCrawlStore } from '../store/crawl/sqlite.js';
import { canonicalize, type CanonicalUrl } from './canonical-url.js';
import { Fetcher, type FetchImpl, type FetchResult, type TransientError } from './fetch.js';
import { REVISIT_PRIORITY, type RunCounts } from '../store/crawl/frontier.js';
import { IngestService, type IngestOutcome, type ServiceOptions, type Submission } from '../pipeline/service.js';
import { ItemProcessor, MAX_REDIRECTS, type IngestObserver } from './item.js';
import { describeOptions, resolveOptions, type CrawlOptions } from './options.js';
import { HostGate } from './politeness/host-queue.js';
import { formatBytes, Progress, rate, type ProgressStream } from './progress.js';
import { RobotsCache, type RobotsFetcher } from './robots.js';
import type { HostCounts, RunStatus } from '../store/crawl/runs.js';
import { findChromium, Renderer, type BrowserRequest, type Refused } from './render.js';
import { HostScheduler } from './scheduler.js';
import { Scope } from './scope.js';

export type { IngestObserver } from './item.js';

export interface CrawlDeps {
  /** Ingest service options (workers, time and memory limits per document). The crawl's stop signal is added. */
  service?: Omit<ServiceOptions, 'signal'>;
  /** Sees every document handed to the ingest service (tests count through it). */
  onIngested?: IngestObserver;
  /** Replaces the ingest service's submit: benchmarks of the crawler alone. */
  submit?: (submission: Submission) => Promise<IngestOutcome>;
  fetch?: FetchImpl;
  /** Log lines (stderr in the CLI). */
  log?: (line: string) => void;
  /** Where progress goes (stderr in the CLI). */
  progress?: ProgressStream;
  /** Stops the run gracefully (SIGINT/SIGTERM): in-flight items go back to the queue. */
  signal?: AbortSignal;
  /**
   * The caller's politeness gate (a worker's, shared with every other worker through
   * PostgreSQL); default: one for this run. Its concurrency and delay should be the run's.
   */
  gate?: HostGate;
  /**
   * The caller's ingest service (a worker's): documents go through it, it stays open,
   * and the cross-report step is left to the caller (crossReportFindings is then empty).
   */
  ingest?: IngestService;
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
  /** 0 ok, 1 the run was interrupted, 2 some start URLs could not be read. (Errors throw.) */
  exitCode: 0 | 1 | 2;
  /** Largest number of requests in flight on one host, as the crawler saw it. */
  maxInFlight: number;
  /** Documents of the run read as reports, and read as something else (stored, not reports). */
  reports: number;
  nonReports: number;
  /** Per-host counts (also in crawl_hosts). */
  hosts: HostCounts[];
  /** Findings of the cross-report rules after the run, per rule. */
  crossReportFindings: Record<string, number>;
}

const ROBOTS_MAX_BYTES = 512 * 1024;
/** Items in progress at once over all hosts (each may hold a downloaded body). */
const MAX_TASKS = 256;

/** Per-host lines of the summary: every host when there are few, else the ones with failures. */
function hostLines(hosts: HostCounts[]): string[] {
  const shown = hosts.length <= 20 ? hosts : hosts.filter((h) => h.failed > 0 || h.documents === 0);
  const lines = shown.map(
    (h) =>
      `  host ${h.host}: ${h.pages} pages, ${h.reports} reports, ${h.nonReports} other documents (${h.documents} documents, ${h.new} new, ${h.changed} changed), ` +
      `${h.failed} failed${h.lastError ? ` (last: ${h.lastError}${h.lastErrorUrl ? ` at ${h.lastErrorUrl}` : ''})` : ''}`,
  );
  if (shown.length < hosts.length) lines.unshift(`crawl: ${hosts.length} hosts; ${shown.length} with failures or no documents:`);
  return lines;
}

/** Crawls into a CrawlStore (either engine), or into a SQLite handle the caller keeps open. */
export async function runCrawl(
  target: DB | CrawlStore,
  input: Partial<CrawlOptions> & { startUrls: string[] },
  deps: CrawlDeps = {},
): Promise<CrawlResult> {
  const store: CrawlStore = isCrawlStore(target) ? target : new SqliteCrawlStore(target);
  const options = resolveOptions(input);
  const log = deps.log ?? (() => {});
  const t0 = Date.now();

  const seeds: CanonicalUrl[] = [];
  for (const u of options.startUrls) {
    const c = canonicalize(u);
    if (!c) throw new RangeError(`not an http(s) URL: ${u}`);
    seeds.push(c);
  }
  const seedHosts = new Set(seeds.map((s) => s.host));
  const scope = new Scope(seedHosts, options);
  const chromium = options.render === 'never' ? undefined : findChromium();
  if (options.render === 'always' && !chromium) {
    throw new RangeError('--render always needs Chromium: none found at /usr/bin/chromium (install it, or set OGI_CHROMIUM)');
  }
  if (options.render === 'auto' && !chromium) {
    log('crawl: Chromium not found (/usr/bin/chromium or $OGI_CHROMIUM): pages that need scripts are not rendered in this run');
  }

  const stop = new AbortController();
  // Every worker's fetch and back-off listens to it: more than Node's default of 10.
  setMaxListeners(0, stop.signal);
  const onExternalStop = () => stop.abort(new Error('stopped'));
  deps.signal?.addEventListener('abort', onExternalStop, { once: true });
  if (deps.signal?.aborted) onExternalStop();

  let lock;
  try {
    lock = await store.lock({
      hosts: [...seedHosts],
      staleAfterMs: options.lockStaleAfterMs,
      heartbeatMs: options.lockHeartbeatMs,
      onLost: () => {
        log('crawl: the lock was taken over by another run; stopping');
        stop.abort(new Error('lock lost'));
      },
    });
  } catch (e) {
    deps.signal?.removeEventListener('abort', onExternalStop);
    throw e;
  }
  if (lock.tookOverFrom) {
    const h = lock.tookOverFrom;
    log(`crawl: took over a stale lock (pid ${h.pid} on ${h.host}, last heartbeat ${h.heartbeat_at})`);
  }

  // Extraction runs in the service's workers: a slow document never stalls fetching, timers or the lock heartbeat.
  const service = deps.ingest ?? new IngestService(store.documents, { maxBytes: options.maxBytes, ...deps.service, signal: stop.signal });
  let progress: Progress | undefined;
  let heartbeat: NodeJS.Timeout | undefined;
  let counter: NodeJS.Timeout | undefined;
  let runId = 0;
  let frontier: CrawlFrontier | undefined;
  let renderer: Renderer | undefined;
  try {
    const start = await store.startRun(
      seeds.map((s) => s.key),
      describeOptions(options),
      options,
    );
    runId = start.runId;
    await lock.setRun(runId);
    const fr = (frontier = store.frontier(runId, options));
    if (start.resumed) {
      const n = await fr.requeueInProgress();
      log(`crawl: resuming run ${runId} (${await fr.fetchedCount()} fetched, ${await fr.queued()} queued${n ? `, ${n} retried` : ''})`);
    } else {
      if (start.abandoned) log(`crawl: run ${start.abandoned} was not finished and is abandoned (other start URLs, too old or --fresh)`);
      await fr.add(seeds.map((s) => ({ url: s.key, fetchUrl: s.fetch, kind: 'start' as const, depth: 0 })));
      if (options.revisit) await seedKnownDocuments(store, fr, scope);
    }

    const gate = deps.gate ?? new HostGate({ concurrency: options.concurrency, delayMs: options.delayMs });
    let retries = 0;
    const fetcher = new Fetcher(gate, options, stop.signal, deps.fetch, (url: string, e: TransientError, attempt: number) => {
      retries++;
      log(`crawl: retry ${attempt} for ${url} (${e.code})`);
    });
    const robots = new RobotsCache(robotsFetcher(fetcher), options.userAgent);
    renderer = chromium
      ? new Renderer({
          executablePath: chromium,
          concurrency: options.renderConcurrency,
          timeoutMs: options.renderTimeoutMs,
          userAgent: options.userAgent,
          fetch: browserFetch(fetcher, robots, scope),
        })
      : undefined;
    const items = await new ItemProcessor({
      store,
      runId,
      frontier: fr,
      scope,
      gate,
      fetcher,
      robots,
      renderMode: options.render,
      renderer,
      patterns: options,
      submit: deps.submit ?? ((sub) => service.submit(sub)),
      onIngested: deps.onIngested,
      maxPages: options.maxPages,
      maxPagesPerHost: options.maxPagesPerHost,
      maxBytes: options.maxBytes,
      stop: stop.signal,
      log,
    }).init();

    // The progress line is drawn synchronously: it shows the counts the store last gave.
    let seen = { ...(await fr.counts()), queued: await fr.queued() };
    const refresh = async () => {
      seen = { ...(await fr.counts()), queued: await fr.queued() };
    };
    progress = new Progress(deps.progress ?? { write: () => true }, options.progressMs, () => ({
      ...seen,
      inFlight: items.inFlight,
      retries,
      elapsedMs: Date.now() - t0,
    }));
    if (options.progressMs > 0) {
      counter = setInterval(() => void refresh().catch(() => {}), Math.max(50, Math.floor(options.progressMs / 2)));
      counter.unref();
    }
    progress.start();
    heartbeat = setInterval(
      () =>
        void fr
          .counts()
          .then((c) => store.saveCounts(runId, c))
          .catch(() => {}),
      options.lockHeartbeatMs,
    );
    heartbeat.unref();

    const hosts = new Set([...seedHosts, ...options.allowHosts.filter((h) => !h.includes('*'))]);
    const scheduler = new HostScheduler(
      fr,
      gate,
      // Enough tasks for every host's slots plus documents being stored.
      {
        concurrency: options.concurrency,
        maxTasks: Math.min(MAX_TASKS, Math.max(8, 2 * options.concurrency * hosts.size + 4)),
        exhausted: () => items.fetched >= options.maxPages,
        hostOpen: (h) => !items.hostsCapped.has(h),
      },
      (item, fetched) => items.process(item, fetched),
      stop.signal,
      async (item, e) => {
        if (stop.signal.aborted) await fr.requeue(item.id);
        else {
          log(`crawl: ${item.fetch_url}: internal error: ${(e as Error)?.stack ?? String(e)}`);
          await fr.complete(item.id, { state: 'failed', error: 'internal-error', fetched: false });
        }
      },
    );
    await scheduler.run();
    progress.stop();
    if (counter) clearInterval(counter);
    // The post-batch step, as after `ogi ingest`: cross-report rules over everything stored, also after a stop.
    // A worker's crawl leaves it to the worker's finish step (after every queued job).
    const crossReport = deps.ingest ? {} : await service.finish();
    const crossTotal = Object.values(crossReport).reduce((a, b) => a + b, 0);
    if (crossTotal)
      log(
        `crawl: cross-report findings: ${Object.entries(crossReport)
          .map(([r, n]) => `${r} ${n}`)
          .join(', ')}`,
      );

    const stopped = stop.signal.aborted;
    if (!stopped) {
      for (const h of items.hostsCapped) {
        const n = await fr.skipQueuedOf(h, 'max-pages-per-host');
        log(`crawl: --max-pages-per-host ${options.maxPagesPerHost} reached on ${h}${n ? `; ${n} queued URLs skipped` : ''}`);
      }
      const left = await fr.skipQueued('max-pages');
      if (left) log(`crawl: --max-pages ${options.maxPages} reached; ${left} queued URLs skipped`);
    }
    const counts = await fr.counts();
    const startFailures = stopped ? [] : await seedFailures(fr, seeds);
    const status: RunStatus = stopped ? 'interrupted' : 'ok';
    const perHost = await store.hostCounts(runId);
    await store.saveHosts(runId, perHost);
    await store.finishRun(runId, status, counts, stopped ? String((stop.signal.reason as Error)?.message ?? 'stopped') : undefined);

    const ms = Date.now() - t0;
    const reports = perHost.reduce((a, h) => a + h.reports, 0);
    const nonReports = perHost.reduce((a, h) => a + h.nonReports, 0);
    log(summaryLine(runId, stopped, ms, counts) + (items.rendered ? `, ${items.rendered} pages rendered` : ''));
    // Pages read as no report (notices, 图解, corrections …) are stored as evidence but never counted as reports.
    log(`crawl: ${reports} reports, ${nonReports} other documents (not reports)`);
    for (const line of hostLines(perHost)) log(line);
    for (const f of await fr.failures()) {
      log(
        `  failed: ${f.fetch_url} (${f.error}${f.error_message ? `: ${f.error_message}` : ''}${f.referrer ? `, linked from ${f.referrer}` : ''})`,
      );
    }
    for (const f of startFailures) log(`crawl: start URL could not be read: ${f.url} (${f.error})`);
    return {
      ...counts,
      runId,
      resumed: start.resumed,
      status,
      reports,
      nonReports,
      ms,
      startFailures,
      exitCode: stopped ? 1 : startFailures.length > 0 ? 2 : 0,
      maxInFlight: Math.max(0, ...perHost.map((h) => gate.maxInFlight(h.host))),
      hosts: perHost,
      crossReportFindings: crossReport,
    };
  } catch (e) {
    progress?.stop();
    if (runId && frontier) {
      try {
        await store.finishRun(runId, 'failed', await frontier.counts(), (e as Error)?.message ?? String(e));
      } catch {
        // The database itself may be what failed.
      }
    }
    throw e;
  } finally {
    await renderer?.close();
    if (heartbeat) clearInterval(heartbeat);
    if (counter) clearInterval(counter);
    deps.signal?.removeEventListener('abort', onExternalStop);
    await lock.release();
    if (!deps.ingest) await service.close();
  }
}

/** Stored documents of the crawled hosts, revisited after everything else (see REVISIT_PRIORITY). */
async function seedKnownDocuments(store: CrawlStore, fr: CrawlFrontier, scope: Scope): Promise<void> {
  const known = (await store.knownDocuments()).filter((k) => {
    const c = canonicalize(k.fetched_url);
    return c !== undefined && scope.hostAllowed(c.host) && !scope.excluded(c.fetch);
  });
  await fr.add(
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

function summaryLine(runId: number, stopped: boolean, ms: number, c: RunCounts): string {
  return (
    `crawl: run ${runId} ${stopped ? 'interrupted (the next run resumes it)' : 'finished'} in ${(ms / 1000).toFixed(1)} s: ` +
    `${c.pages} pages (${rate(c.pages, ms)}/s), ${c.new + c.changed + c.unchanged} documents (${c.new} new, ${c.changed} changed, ` +
    `${c.unchanged} unchanged), ${c.failed} failed, ${c.blocked} blocked by robots.txt, ${c.skipped} skipped, ${formatBytes(c.bytes)}`
  );
}

/** Start URLs whose page (after redirects) could not be fetched. */
async function seedFailures(fr: CrawlFrontier, seeds: CanonicalUrl[]): Promise<StartFailure[]> {
  const failures: StartFailure[] = [];
  for (const s of seeds) {
    let key = s.key;
    for (let hop = 0; hop <= MAX_REDIRECTS + 1; hop++) {
      const st = await fr.stateOf(key);
      if (!st) {
        failures.push({ url: s.fetch, error: 'not-fetched' });
        break;
      }
      const next = st.state === 'done' && st.redirect_to ? canonicalize(st.redirect_to) : undefined;
      if (next && next.key !== key) {
        key = next.key;
        continue;
      }
      if (st.state !== 'done') failures.push({ url: s.fetch, error: st.error ?? st.state });
      break;
    }
  }
  return failures;
}

/** The browser's requests: only allowed hosts, never what robots.txt or --exclude forbid; through the same gate and size cap. */
function browserFetch(fetcher: Fetcher, robots: RobotsCache, scope: Scope) {
  return async (req: BrowserRequest): Promise<FetchResult | Refused> => {
    const c = canonicalize(req.url);
    if (!c || !scope.hostAllowed(c.host)) return { kind: 'refused', reason: 'off-host' };
    if (scope.excluded(req.url)) return { kind: 'refused', reason: 'excluded' };
    const rules = await robots.forUrl(req.url);
    if (!rules.isAllowed(req.url)) return { kind: 'refused', reason: 'robots' };
    return fetcher.get({
      url: req.url,
      method: req.method,
      body: req.body,
      contentType: req.contentType,
      referrer: req.referrer,
      xhr: req.xhr,
      ...(req.xhr ? { accept: '*/*' } : {}),
    });
  };
}

/** robots.txt through the same politeness and retries; follows up to 5 redirects (RFC 9309). */
function robotsFetcher(fetcher: Fetcher): RobotsFetcher {
  return async (url) => {
    let target = url;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
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
    // Too many redirects: as if there were no robots.txt (RFC 9309 2.3.1.2).
    return { status: 404, text: '' };
  };
}

function isCrawlStore(t: DB | CrawlStore): t is CrawlStore {
  return typeof (t as CrawlStore).startRun === 'function' && 'documents' in t;
}
