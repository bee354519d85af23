/**
 * `ogi status`: what the queue holds and who works on it, read from pg-boss's
 * tables, the inbox, PostgreSQL's lock table (live leases) and its session
 * list (connected workers).
 */
import type { PgPool } from '../store/pg/db.js';
import { BOSS_SCHEMA, FINISH_QUEUE, INGEST_QUEUE } from './boss.js';
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

/** A host's counts in the latest crawl run stored in this database (crawl_hosts). */
export interface HostCrawlState {
  runId: number;
  status: string;
  host: string;
  pages: number;
  documents: number;
  new: number;
  changed: number;
  failed: number;
  blocked: number;
  lastError: string | null;
}

/**
 * Per-host state of the latest crawl run (hosts that failed first). Crawls
 * reach PostgreSQL through `ogi migrate-store` for now: the crawler itself still
 * writes to SQLite.
 */
export async function crawlHosts(pool: PgPool, limit = 20): Promise<HostCrawlState[]> {
  const r = await pool.query(
    `SELECT h.run_id AS "runId", c.status, h.host, h.pages, h.documents, h.new, h.changed, h.failed, h.blocked, h.last_error AS "lastError"
     FROM crawl_hosts h JOIN crawl_runs c ON c.id = h.run_id
     WHERE h.run_id = (SELECT max(id) FROM crawl_runs)
     ORDER BY h.failed > 0 DESC, h.host COLLATE "C" LIMIT $1`,
    [limit],
  );
  return r.rows;
}

export function formatHosts(hosts: readonly HostCrawlState[]): string {
  if (!hosts.length) return 'crawl: no crawl run with per-host counts in this database';
  const lines = [`crawl run ${hosts[0].runId} (${hosts[0].status}), per host:`];
  for (const h of hosts) {
    lines.push(
      `  ${h.host}: ${h.pages} fetched, ${h.documents} documents (${h.new} new, ${h.changed} changed), ${h.failed} failed, ${h.blocked} blocked${h.lastError ? `; last error ${h.lastError}` : ''}`,
    );
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
