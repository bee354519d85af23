/**
 * Crawling sharded by host: `ogi crawl SEEDS… --db postgres://… --queue`
 * puts one job per host in the ogi-crawl queue (singleton key: the host, so a
 * host waits at most once and runs at most once at a time), and any
 * `ogi worker` runs it: the same crawl engine as `ogi crawl`, on the shared
 * store, with a politeness gate shared by every worker (./crawl-gate.ts), and
 * its documents through the worker's ingest service. The cross-report step is
 * the worker's finish job, after every queued job.
 */
import type PgBoss from 'pg-boss';
import { canonicalize } from '../crawl/canonical-url.js';
import { DEFAULTS, fromJobOptions, toJobOptions, type CrawlOptions } from '../crawl/options.js';
import { runCrawl, type CrawlResult } from '../crawl/run.js';
import type { IngestService } from '../pipeline/service.js';
import { PgCrawlStore } from '../store/pg/crawl.js';
import type { PgStore } from '../store/pg/store.js';
import { CRAWL_QUEUE, startBoss } from './boss.js';
import { SharedPoliteness } from './crawl-gate.js';
import { SharedHostGate } from './host-gate.js';

export interface CrawlJobData {
  host: string;
  /** Start URLs on this host. */
  seeds: string[];
  /** The crawl options given to `ogi crawl --queue` (./options.ts toJobOptions). */
  options: string;
}

export interface CrawlEnqueueStats {
  hosts: number;
  enqueued: number;
  /** Hosts that already had a job waiting: not queued twice. */
  alreadyWaiting: string[];
}

/** Start URLs grouped by their host, in order of first appearance. */
export function seedsByHost(urls: readonly string[]): Map<string, string[]> {
  const by = new Map<string, string[]>();
  for (const u of urls) {
    const c = canonicalize(u);
    if (!c) throw new RangeError(`not an http(s) URL: ${u}`);
    const list = by.get(c.host) ?? [];
    if (!list.includes(c.fetch)) list.push(c.fetch);
    by.set(c.host, list);
  }
  return by;
}

export async function enqueueCrawl(
  url: string,
  startUrls: readonly string[],
  options: Omit<Partial<CrawlOptions>, 'startUrls'>,
): Promise<CrawlEnqueueStats> {
  const groups = seedsByHost(startUrls);
  const boss = await startBoss(url);
  const stats: CrawlEnqueueStats = { hosts: groups.size, enqueued: 0, alreadyWaiting: [] };
  try {
    const json = toJobOptions(options);
    for (const [host, seeds] of groups) {
      const id = await boss.send(CRAWL_QUEUE, { host, seeds, options: json } satisfies CrawlJobData, { singletonKey: host });
      if (id) stats.enqueued++;
      else stats.alreadyWaiting.push(host);
    }
    return stats;
  } finally {
    await boss.stop({ graceful: false, wait: true }).catch(() => {});
  }
}

/** Runs one host's crawl job in a worker. Throws when the crawl could not run (the job is retried). */
export async function runCrawlJob(
  job: PgBoss.Job<CrawlJobData>,
  ctx: { url: string; store: PgStore; ingest: IngestService; signal?: AbortSignal; log: (line: string) => void },
): Promise<CrawlResult> {
  const options = fromJobOptions(job.data.options);
  const politeness = {
    concurrency: options.concurrency ?? DEFAULTS.concurrency,
    delayMs: options.delayMs ?? DEFAULTS.delayMs,
  };
  const shared = await SharedHostGate.open(ctx.url, politeness, `ogi crawl gate ${job.data.host}`);
  try {
    return await runCrawl(
      new PgCrawlStore(ctx.store, ctx.url),
      // A worker has no terminal: no progress lines.
      { ...options, startUrls: job.data.seeds, progressMs: 0 },
      {
        gate: new SharedPoliteness(shared, politeness, (e) => ctx.log(`crawl ${job.data.host}: shared gate: ${e.message}`)),
        ingest: ctx.ingest,
        signal: ctx.signal,
        log: (line) => ctx.log(`[${job.data.host}] ${line}`),
      },
    );
  } finally {
    await shared.close().catch(() => {});
  }
}
