/**
 * `ogi worker`: takes ingest jobs (and host crawl jobs, ./crawl-jobs.ts) from pg-boss and stores each document
 * through the same IngestService as a local ingest, with this process's own
 * worker pool and connections. Any number of workers, on any machines, can
 * run against one database:
 *
 *   fetch a job (SKIP LOCKED) → take its lease → read its bytes from the inbox
 *   → service.submit (idempotent: sha256 + pipeline version, one transaction,
 *     an advisory lock per sha256 against concurrent writers)
 *   → ask for the finish step → complete the job → drop the bytes → release
 *
 * The finish step (cross-report rules) is a job of its own in a 'stately'
 * queue: every ingest job asks for it before it completes, so while files are
 * being stored there is always one waiting; it runs only once no ingest job is
 * waiting or running (otherwise it asks again a little later and completes),
 * and never twice at once. So whichever worker takes it, it sees every
 * document, and several workers finishing together run it once.
 */
import { hostname } from 'node:os';
import type PgBoss from 'pg-boss';
import { IngestService, type IngestOutcome, type ServiceOptions } from '../pipeline/service.js';
import { createPool, inTransaction, type PgClient, type PgPool } from '../store/pg/db.js';
import { PgStore } from '../store/pg/store.js';
import { BOSS_SCHEMA, CRAWL_QUEUE, FINISH_QUEUE, INGEST_QUEUE, onClient, startBoss, type IngestJobData } from './boss.js';
import { runCrawlJob, type CrawlJobData } from './crawl-jobs.js';
import { dropBytes, dropOrphans, ensureInbox, takeBytes } from './inbox.js';
import { Leases } from './lease.js';

export interface WorkerOptions {
  url: string;
  /** Jobs in flight in this process (default 2 per reader thread). */
  concurrency?: number;
  /** Host crawl jobs run at once in this process (default 2); 0 takes none. */
  crawlJobs?: number;
  /** End once no job is waiting or running anywhere (and none was for idleGraceMs). */
  exitWhenIdle?: boolean;
  /** How documents are read: threads, limits (as for ogi ingest). The signal stops the worker. */
  service?: ServiceOptions;
  /** Wait between polls of an empty queue (default 1000 ms). */
  pollMs?: number;
  /** How often this worker looks for jobs of dead workers (default 5000 ms). */
  reapMs?: number;
  /** --exit-when-idle: how long the queues must stay empty (default 3000 ms), so that workers started just before the files are enqueued wait for them. */
  idleGraceMs?: number;
  log?: (line: string) => void;
  onOutcome?: (outcome: IngestOutcome, job: IngestJobData) => void;
}

export interface WorkerStats {
  jobs: number;
  new: number;
  reprocessed: number;
  unchanged: number;
  withErrors: number;
  /** Jobs this worker gave back (errors, stop); pg-boss retries them. */
  failed: number;
  /** Cross-report runs this worker did. */
  finishRuns: number;
  /** Jobs of dead workers this worker put back in the queue. */
  reaped: number;
  /** Host crawl jobs this worker ran to the end. */
  crawls: number;
}

/** Seconds an asked-for finish step waits, so that a burst of ingest jobs asks once. */
const FINISH_DELAY_S = 2;

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

const message = (e: unknown) => ({ message: (e as Error)?.message ?? String(e) });

export async function runWorker(options: WorkerOptions): Promise<WorkerStats> {
  const log = options.log ?? (() => {});
  const signal = options.service?.signal;
  const app = `ogi worker ${hostname()} ${process.pid}`;
  const pollMs = options.pollMs ?? 1000;
  const stats: WorkerStats = {
    jobs: 0,
    new: 0,
    reprocessed: 0,
    unchanged: 0,
    withErrors: 0,
    failed: 0,
    finishRuns: 0,
    reaped: 0,
    crawls: 0,
  };

  const store = await PgStore.open(options.url, { max: (options.concurrency ?? 4) + 2, applicationName: app });
  const queuePool: PgPool = createPool(options.url, { max: 2, applicationName: app });
  let boss: PgBoss | undefined;
  let leases: Leases | undefined;
  let service: IngestService | undefined;
  let reaper: NodeJS.Timeout | undefined;
  try {
    const c = await queuePool.connect();
    try {
      await ensureInbox(c);
    } finally {
      c.release();
    }
    boss = await startBoss(options.url, { supervise: true });
    leases = await Leases.open(options.url, app);
    service = new IngestService(store, options.service ?? {});
    const concurrency = options.concurrency ?? Math.max(1, service.workers * 2);
    const b = boss;
    const l = leases;
    const s = service;
    let stopping = false;
    let busy = 0;
    const stop = () => {
      stopping = true;
    };
    signal?.addEventListener('abort', stop, { once: true });
    // Without its lease connection this worker's jobs may be given to others at any moment: stop taking jobs and exit with an error.
    l.onLost = (e) => {
      log(`ogi worker: lease connection lost (${e.message}); stopping`);
      stop();
    };

    const pending = async (queue: string) => b.getQueueSize(queue, { before: 'completed' });

    /**
     * Completes a job and asks for the finish step in one transaction: the finish step is asked for no
     * later than the job completes, so the queues are never both empty before it has run. `alsoIn` adds
     * work to the same transaction.
     */
    const completeAskingFinish = (queue: string, id: string, output: object, alsoIn?: (tx: PgClient) => Promise<void>) =>
      inTransaction(queuePool, async (tx) => {
        const db = onClient(tx);
        await b.send(FINISH_QUEUE, {}, { startAfter: FINISH_DELAY_S, db });
        await b.complete(queue, id, output, { db });
        await alsoIn?.(tx);
      });

    const runIngest = async (job: PgBoss.Job<IngestJobData>) => {
      stats.jobs++;
      try {
        const bytes = await takeBytes(queuePool, job.id);
        if (!bytes) throw new Error(`the bytes of ${job.data.location} are not in the inbox (job ${job.id})`);
        const outcome = await s.submit({ bytes, name: job.data.name, location: job.data.location, kind: job.data.kind });
        if (outcome.status === 'stopped') {
          stats.failed++;
          await b.fail(INGEST_QUEUE, job.id, { message: 'worker stopped before the document was stored; retried' });
          return;
        }
        stats[outcome.status]++;
        if (outcome.errorCode && outcome.status !== 'unchanged') stats.withErrors++;
        options.onOutcome?.(outcome, job.data);
        // The bytes go exactly when the job is done.
        await completeAskingFinish(
          INGEST_QUEUE,
          job.id,
          { status: outcome.status, documentId: outcome.documentId, errorCode: outcome.errorCode },
          (tx) => dropBytes(tx, job.id),
        );
      } catch (e) {
        stats.failed++;
        log(`ogi worker: ${job.data.location}: ${(e as Error).message}`);
        await b.fail(INGEST_QUEUE, job.id, message(e)).catch(() => {});
      }
    };

    const runCrawl = async (job: PgBoss.Job<CrawlJobData>) => {
      try {
        const r = await runCrawlJob(job, { url: options.url, store, ingest: s, signal, log });
        if (r.status !== 'ok') {
          // Stopped: the job is retried, and its run resumed where it stopped.
          stats.failed++;
          await b.fail(CRAWL_QUEUE, job.id, { message: `crawl of ${job.data.host} ${r.status}; retried` });
          return;
        }
        stats.crawls++;
        const { new: added, changed, unchanged, failed, blocked, skipped, pages, bytes, runId } = r;
        await completeAskingFinish(CRAWL_QUEUE, job.id, {
          run: runId,
          new: added,
          changed,
          unchanged,
          failed,
          blocked,
          skipped,
          pages,
          bytes,
        });
      } catch (e) {
        stats.failed++;
        log(`ogi worker: crawl of ${job.data.host}: ${(e as Error).message}`);
        await b.fail(CRAWL_QUEUE, job.id, message(e)).catch(() => {});
      }
    };

    const runFinish = async (job: PgBoss.Job) => {
      try {
        if ((await pending(INGEST_QUEUE)) > 0 || (await pending(CRAWL_QUEUE)) > 0) {
          // Files are still being stored or hosts crawled: ask again later (stately: at most one waits).
          await b.send(FINISH_QUEUE, {}, { startAfter: FINISH_DELAY_S });
          await b.complete(FINISH_QUEUE, job.id, { deferred: true });
          return;
        }
        const counts = await s.finish();
        stats.finishRuns++;
        await dropOrphans(queuePool, BOSS_SCHEMA);
        log(
          `ogi worker: cross-report rules: ${
            Object.entries(counts)
              .map(([k, v]) => `${k} ${v}`)
              .join(', ') || 'none'
          }`,
        );
        await b.complete(FINISH_QUEUE, job.id, counts);
      } catch (e) {
        log(`ogi worker: finish step: ${(e as Error).message}`);
        await b.fail(FINISH_QUEUE, job.id, message(e)).catch(() => {});
      }
    };

    /** One lane: one job at a time from one queue, polling when it is empty. */
    const lane = async <T extends object>(queue: string, run: (job: PgBoss.Job<T>) => Promise<void>) => {
      while (!stopping) {
        let job: PgBoss.Job<T> | undefined;
        try {
          [job] = await b.fetch<T>(queue, { batchSize: 1 });
        } catch (e) {
          log(`ogi worker: fetch from ${queue}: ${(e as Error).message}`);
        }
        if (!job) {
          await sleep(pollMs, signal);
          continue;
        }
        busy++;
        try {
          await l.take(job.id);
          await run(job);
        } catch (e) {
          // The lease connection failed: the job stays active without a lease, and a reaper gives it back.
          log(`ogi worker: job ${job.id}: ${(e as Error).message}`);
        } finally {
          await l.release(job.id).catch(() => {});
          busy--;
        }
      }
    };

    reaper = setInterval(() => {
      void (async () => {
        try {
          for (const j of await l.orphans(BOSS_SCHEMA, [INGEST_QUEUE, FINISH_QUEUE, CRAWL_QUEUE])) {
            await b.fail(j.name, j.id, { message: 'its worker is gone (lease lost); retried' });
            stats.reaped++;
            log(`ogi worker: job ${j.id} (${j.name}) lost its worker; put back in the queue`);
          }
        } catch (e) {
          log(`ogi worker: reaper: ${(e as Error).message}`);
        }
      })();
    }, options.reapMs ?? 5000);

    const lanes = [
      ...Array.from({ length: concurrency }, () => lane<IngestJobData>(INGEST_QUEUE, runIngest)),
      lane<object>(FINISH_QUEUE, runFinish),
      ...Array.from({ length: options.crawlJobs ?? 2 }, () => lane<CrawlJobData>(CRAWL_QUEUE, runCrawl)),
    ];
    log(`ogi worker: ${hostname()} pid ${process.pid}: ${concurrency} job(s) at a time, ${s.workers} reader thread(s)`);

    if (options.exitWhenIdle) {
      let idleSince: number | undefined;
      while (!stopping) {
        await sleep(pollMs, signal);
        const idle =
          busy === 0 &&
          (await pending(INGEST_QUEUE)) === 0 &&
          (await pending(FINISH_QUEUE)) === 0 &&
          ((options.crawlJobs ?? 2) === 0 || (await pending(CRAWL_QUEUE)) === 0);
        if (!idle) idleSince = undefined;
        else if (idleSince === undefined) idleSince = Date.now();
        else if (Date.now() - idleSince >= (options.idleGraceMs ?? 3000)) stop();
      }
    }
    await Promise.all(lanes);
    if (l.lost) throw new Error(`lease connection lost: ${l.lost.message}`);
    return stats;
  } finally {
    if (reaper) clearInterval(reaper);
    await service?.close();
    await boss?.stop({ graceful: false, wait: true }).catch(() => {});
    await leases?.close().catch(() => {});
    await queuePool.end().catch(() => {});
    await store.close();
  }
}
