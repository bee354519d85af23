/**
 * `ogi status`: what the queue holds and who works on it, read from pg-boss's
 * tables, the inbox, PostgreSQL's lock table (live leases) and its session
 * list (connected workers).
 */
import type { PgPool } from '../store/pg/db.js';
import { BOSS_SCHEMA, CRAWL_QUEUE, FINISH_QUEUE, INGEST_QUEUE } from './boss.js';
import { inboxSize, INBOX_SCHEMA } from './inbox.js';
import { leasesHeld } from './lease.js';

export interface QueueCounts {
  /** Waiting to run (created), including jobs put back for a retry. */
  waiting: number;
  retrying: number;
  /** Running now (active). */
  inFlight: number;
  /** Done and not yet archived by pg-boss (12 h). */
  completed: number;
  failed: number;
  cancelled: number;
}

export interface Failure {
  id: string;
  location: string | null;
  message: string | null;
  at: string | null;
  retries: number;
}

export interface QueueStatus {
  /** false when nothing was ever enqueued in this database (no pg-boss schema). */
  installed: boolean;
  ingest: QueueCounts;
  finish: QueueCounts & { lastRun: string | null };
  /** Jobs whose worker holds a lease right now. */
  leases: number;
  /** Connected workers: host and pid. */
  workers: { host: string; pid: number; since: string }[];
  inbox: { files: number; bytes: number };
  failures: Failure[];
}

/** A host's crawl state: its queued crawl job (ogi crawl --queue), if any, and its latest crawl run's counts (crawl_hosts). */
export interface HostCrawlState {
  host: string;
  /** The host's newest crawl job: created (waiting), retry, active, completed, failed; null when never queued. */
  job: string | null;
  retries: number | null;
  jobError: string | null;
  /** The latest run that counted this host (null while its first run is going). */
  runId: number | null;
  status: string | null;
  pages: number | null;
  documents: number | null;
  new: number | null;
  changed: number | null;
  failed: number | null;
  blocked: number | null;
  lastError: string | null;
}

/**
 * Per-host crawl state: every host with a queued crawl job or a finished
 * crawl run (hosts running or failing first). A host's counts are its latest
 * run's: with one job per host, hosts are crawled in runs of their own.
 */
export async function crawlHosts(pool: PgPool, limit = 50): Promise<HostCrawlState[]> {
  const queued = (await pool.query(`SELECT to_regclass('${BOSS_SCHEMA}.job') IS NOT NULL AS ok`)).rows[0].ok as boolean;
  const jobs = queued
    ? `SELECT DISTINCT ON (singleton_key) singleton_key AS host, state::text AS state, retry_count AS retries, output->>'message' AS error
       FROM ${BOSS_SCHEMA}.job WHERE name = '${CRAWL_QUEUE}' AND singleton_key IS NOT NULL
       ORDER BY singleton_key, (state = 'active') DESC, created_on DESC`
    : `SELECT NULL::text AS host, NULL::text AS state, NULL::int AS retries, NULL::text AS error WHERE false`;
  const r = await pool.query(
    `WITH latest AS (
       SELECT DISTINCT ON (h.host) h.run_id, c.status, h.host, h.pages, h.documents, h.new, h.changed, h.failed, h.blocked, h.last_error
       FROM crawl_hosts h JOIN crawl_runs c ON c.id = h.run_id ORDER BY h.host, h.run_id DESC
     ), jobs AS (${jobs})
     SELECT COALESCE(l.host, j.host) AS host, j.state AS job, j.retries, j.error AS "jobError", l.run_id AS "runId", l.status,
       l.pages, l.documents, l.new, l.changed, l.failed, l.blocked, l.last_error AS "lastError"
     FROM latest l FULL JOIN jobs j ON j.host = l.host
     ORDER BY j.state IN ('active', 'retry', 'failed') DESC, COALESCE(l.failed, 0) > 0 DESC, COALESCE(l.host, j.host) COLLATE "C"
     LIMIT $1`,
    [limit],
  );
  return r.rows;
}

export function formatHosts(hosts: readonly HostCrawlState[]): string {
  if (!hosts.length) return 'crawl: no crawl job or crawl run in this database';
  const lines = ['crawl, per host:'];
  for (const h of hosts) {
    const parts = [
      h.runId === null
        ? 'no finished run yet'
        : `${h.pages} fetched, ${h.documents} documents (${h.new} new, ${h.changed} changed), ${h.failed} failed, ${h.blocked} blocked${h.lastError ? `, last error ${h.lastError}` : ''}; run ${h.runId} (${h.status})`,
    ];
    if (h.job) {
      const state = h.job === 'created' ? 'waiting' : h.job;
      parts.push(`job ${state}${h.retries ? ` (${h.retries} retries)` : ''}${h.job === 'failed' && h.jobError ? `: ${h.jobError}` : ''}`);
    }
    lines.push(`  ${h.host}: ${parts.join('; ')}`);
  }
  return lines.join('\n');
}

const EMPTY: QueueCounts = { waiting: 0, retrying: 0, inFlight: 0, completed: 0, failed: 0, cancelled: 0 };

async function counts(pool: PgPool, queue: string): Promise<QueueCounts> {
  const r = await pool.query(`SELECT state, count(*) AS n FROM ${BOSS_SCHEMA}.job WHERE name = $1 GROUP BY state`, [queue]);
  const by = Object.fromEntries((r.rows as { state: string; n: number }[]).map((x) => [x.state, x.n]));
  return {
    waiting: (by.created ?? 0) + (by.retry ?? 0),
    retrying: by.retry ?? 0,
    inFlight: by.active ?? 0,
    completed: by.completed ?? 0,
    failed: by.failed ?? 0,
    cancelled: by.cancelled ?? 0,
  };
}

export async function queueStatus(pool: PgPool, failureLimit = 10): Promise<QueueStatus> {
  const installed = (await pool.query(`SELECT to_regclass('${BOSS_SCHEMA}.job') IS NOT NULL AS ok`)).rows[0].ok as boolean;
  const workers = (
    await pool.query(
      `SELECT application_name AS app, backend_start AS since FROM pg_stat_activity
       WHERE application_name LIKE 'ogi worker %' AND datname = current_database() ORDER BY backend_start`,
    )
  ).rows as { app: string; since: Date }[];
  // A worker holds several connections (store, queue, lease): one line per process.
  const seen = new Map<string, { host: string; pid: number; since: string }>();
  for (const w of workers) {
    const [, , host, pid] = w.app.split(' ');
    if (!seen.has(w.app)) seen.set(w.app, { host, pid: Number(pid), since: new Date(w.since).toISOString() });
  }
  if (!installed) {
    return {
      installed,
      ingest: EMPTY,
      finish: { ...EMPTY, lastRun: null },
      leases: 0,
      workers: [...seen.values()],
      inbox: { files: 0, bytes: 0 },
      failures: [],
    };
  }
  const hasInbox = (await pool.query(`SELECT to_regclass('${INBOX_SCHEMA}.inbox') IS NOT NULL AS ok`)).rows[0].ok as boolean;
  const last = await pool.query(
    `SELECT max(completed_on) AS at FROM ${BOSS_SCHEMA}.job WHERE name = $1 AND state = 'completed' AND NOT (output ? 'deferred')`,
    [FINISH_QUEUE],
  );
  const failures = await pool.query(
    `SELECT id::text, data->>'location' AS location, output->>'message' AS message, completed_on AS at, retry_count AS retries
     FROM ${BOSS_SCHEMA}.job WHERE name = $1 AND state = 'failed' ORDER BY completed_on DESC LIMIT $2`,
    [INGEST_QUEUE, failureLimit],
  );
  return {
    installed,
    ingest: await counts(pool, INGEST_QUEUE),
    finish: { ...(await counts(pool, FINISH_QUEUE)), lastRun: last.rows[0].at ? new Date(last.rows[0].at).toISOString() : null },
    leases: await leasesHeld(pool),
    workers: [...seen.values()],
    inbox: hasInbox ? await inboxSize(pool) : { files: 0, bytes: 0 },
    failures: (failures.rows as (Omit<Failure, 'at'> & { at: Date | null })[]).map((f) => ({
      ...f,
      at: f.at ? new Date(f.at).toISOString() : null,
    })),
  };
}

export function formatStatus(s: QueueStatus): string {
  if (!s.installed) return 'queue: nothing was ever enqueued in this database (ogi ingest PATH --db URL --queue)';
  const q = (name: string, c: QueueCounts) =>
    `${name}: ${c.waiting} waiting${c.retrying ? ` (${c.retrying} to retry)` : ''}, ${c.inFlight} in flight, ${c.completed} done, ${c.failed} failed`;
  const lines = [
    q('ingest jobs', s.ingest),
    `${q('finish step', s.finish)}; last run ${s.finish.lastRun ?? 'never'}`,
    `leases held: ${s.leases}; inbox: ${s.inbox.files} file(s), ${(s.inbox.bytes / 1048576).toFixed(1)} MiB`,
    `workers connected: ${s.workers.length}`,
    ...s.workers.map((w) => `  ${w.host} pid ${w.pid} since ${w.since}`),
  ];
  if (s.failures.length) {
    lines.push(`failed jobs (newest ${s.failures.length}):`);
    for (const f of s.failures) lines.push(`  ${f.location ?? f.id}: ${f.message ?? '?'} (${f.retries} retries, ${f.at ?? ''})`);
  }
  return lines.join('\n');
}
