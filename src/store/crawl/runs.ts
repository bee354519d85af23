/**
 * crawl_runs: one row per run. A run that did not finish (killed: still
 * 'running' though nobody holds the lock; or stopped: 'interrupted') is
 * resumed by the next run with the same start URLs, unless it is too old or
 * --fresh is given; otherwise it is marked 'abandoned' and its frontier dropped.
 * Callers hold the crawl lock, so a 'running' row here is never alive.
 */
import { hostname } from 'node:os';
import type { DB } from '../db.js';
import type { RunCounts } from './frontier.js';

export type RunStatus = 'running' | 'ok' | 'failed' | 'interrupted' | 'abandoned';

interface RunRow {
  id: number;
  started_at: string;
  status: RunStatus;
  seeds: string;
}

export interface RunStart {
  runId: number;
  resumed: boolean;
  /** The unfinished run that was abandoned instead of resumed. */
  abandoned?: number;
}

export function seedsKey(seeds: string[]): string {
  return JSON.stringify([...new Set(seeds)].sort());
}

/** A run that did not finish: killed ('running' though nobody holds its lock) or stopped. */
export const isUnfinished = (status: RunStatus): boolean => status === 'running' || status === 'interrupted';

/** An unfinished run of the same start URLs is resumed unless --fresh or too old (both engines). */
export function resumable(
  last: { status: RunStatus; started_at: string },
  policy: { fresh: boolean; resumeWithinMs: number },
  now: Date,
): boolean {
  return isUnfinished(last.status) && !policy.fresh && now.getTime() - Date.parse(last.started_at) <= policy.resumeWithinMs;
}

/** Takes a run up again in this process; values from resumeValues (`?` placeholders: PostgreSQL numbers them). */
export const RESUME_RUN = `UPDATE crawl_runs SET status = 'running', pid = ?, host = ?, resumed = resumed + 1, options = ? WHERE id = ?`;

export function resumeValues(options: Record<string, unknown>, runId: number): unknown[] {
  return [process.pid, hostname(), JSON.stringify(options), runId];
}

export function startRun(
  db: DB,
  seeds: string[],
  options: Record<string, unknown>,
  policy: { fresh: boolean; resumeWithinMs: number },
  now = new Date(),
): RunStart {
  const key = seedsKey(seeds);
  return db
    .transaction((): RunStart => {
      const last = db.prepare('SELECT id, started_at, status, seeds FROM crawl_runs ORDER BY id DESC LIMIT 1').get() as RunRow | undefined;
      const unfinished = last && isUnfinished(last.status);
      if (last && last.seeds === key && resumable(last, policy, now)) {
        db.prepare(RESUME_RUN).run(...resumeValues(options, last.id));
        return { runId: last.id, resumed: true };
      }
      const stamp = now.toISOString();
      db.prepare(`UPDATE crawl_runs SET status = 'abandoned', finished_at = ? WHERE status IN ('running', 'interrupted')`).run(stamp);
      // Only the latest run keeps its frontier (to answer "why was X skipped?"); history is in url_versions.
      db.prepare('DELETE FROM crawl_frontier').run();
      const id = Number(
        db
          .prepare(`INSERT INTO crawl_runs (started_at, status, seeds, options, pid, host) VALUES (?, 'running', ?, ?, ?, ?)`)
          .run(stamp, key, JSON.stringify(options), process.pid, hostname()).lastInsertRowid,
      );
      return { runId: id, resumed: false, abandoned: unfinished ? last.id : undefined };
    })
    .immediate();
}

export function saveCounts(db: DB, runId: number, c: RunCounts): void {
  db.prepare(
    `UPDATE crawl_runs SET new = ?, changed = ?, unchanged = ?, failed = ?, blocked = ?, skipped = ?, pages = ?, bytes = ?
     WHERE id = ?`,
  ).run(c.new, c.changed, c.unchanged, c.failed, c.blocked, c.skipped, c.pages, c.bytes, runId);
}

export function finishRun(db: DB, runId: number, status: RunStatus, c: RunCounts, error?: string): void {
  saveCounts(db, runId, c);
  db.prepare('UPDATE crawl_runs SET status = ?, finished_at = ?, error = ? WHERE id = ?').run(
    status,
    status === 'interrupted' ? null : new Date().toISOString(),
    error ?? null,
    runId,
  );
}

/** Per-host counts of one run (crawl_hosts). */
export interface HostCounts {
  host: string;
  pages: number;
  documents: number;
  reports: number;
  /** Documents read as something other than a report (a notice, a 图解, a correction …): stored, not counted as reports. */
  nonReports: number;
  new: number;
  changed: number;
  failed: number;
  blocked: number;
  skipped: number;
  bytes: number;
  lastError: string | null;
  lastErrorUrl: string | null;
}

/** Counts per host from the run's frontier rows (exact across kills and resumes). */
export function hostCounts(db: DB, runId: number): HostCounts[] {
  const rows = db
    .prepare(
      `SELECT f.host AS host,
         COALESCE(SUM(f.fetched_at IS NOT NULL), 0) AS pages,
         COALESCE(SUM(f.outcome IN ('new', 'changed', 'unchanged')), 0) AS documents,
         COUNT(DISTINCT CASE WHEN f.document_id IS NOT NULL AND EXISTS (SELECT 1 FROM reports r WHERE r.document_id = f.document_id)
                        THEN f.document_id END) AS reports,
         COUNT(DISTINCT CASE WHEN f.document_id IS NOT NULL AND EXISTS (SELECT 1 FROM documents d WHERE d.id = f.document_id
                          AND d.kind IS NOT NULL AND d.kind <> 'report') THEN f.document_id END) AS nonReports,
         COALESCE(SUM(f.outcome = 'new'), 0) AS new,
         COALESCE(SUM(f.outcome = 'changed'), 0) AS changed,
         COALESCE(SUM(f.state = 'failed'), 0) AS failed,
         COALESCE(SUM(f.state = 'blocked'), 0) AS blocked,
         COALESCE(SUM(f.state = 'skipped'), 0) AS skipped,
         COALESCE(SUM(f.bytes), 0) AS bytes,
         (SELECT COALESCE(g.error, '') || COALESCE(': ' || g.error_message, '') FROM crawl_frontier g
            WHERE g.run_id = f.run_id AND g.host = f.host AND g.state = 'failed' ORDER BY COALESCE(g.fetched_at, '') DESC, g.id DESC LIMIT 1) AS lastError,
         (SELECT g.fetch_url FROM crawl_frontier g
            WHERE g.run_id = f.run_id AND g.host = f.host AND g.state = 'failed' ORDER BY COALESCE(g.fetched_at, '') DESC, g.id DESC LIMIT 1) AS lastErrorUrl
       FROM crawl_frontier f WHERE f.run_id = ? AND f.host IS NOT NULL
       GROUP BY f.host ORDER BY f.host`,
    )
    .all(runId) as HostCounts[];
  return rows;
}

/** Replaces the run's crawl_hosts rows and its host totals in crawl_runs. */
export function saveHosts(db: DB, runId: number, hosts: HostCounts[]): void {
  db.transaction(() => {
    db.prepare('DELETE FROM crawl_hosts WHERE run_id = ?').run(runId);
    const ins = db.prepare(INSERT_HOST);
    for (const h of hosts) ins.run(...hostValues(runId, h));
    db.prepare('UPDATE crawl_runs SET hosts = ?, hosts_failing = ? WHERE id = ?').run(
      hosts.length,
      hosts.filter((h) => h.failed > 0).length,
      runId,
    );
  })();
}

/** A crawl_hosts row; values from hostValues (`?` placeholders: PostgreSQL numbers them). */
export const INSERT_HOST = `INSERT INTO crawl_hosts (run_id, host, pages, documents, reports, non_reports, new, changed, failed, blocked, skipped, bytes, last_error, last_error_url)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

/** A crawl_hosts row's values, in the column order of INSERT_HOST. */
export function hostValues(runId: number, h: HostCounts): Array<string | number | null> {
  return [
    runId,
    h.host,
    h.pages,
    h.documents,
    h.reports,
    h.nonReports,
    h.new,
    h.changed,
    h.failed,
    h.blocked,
    h.skipped,
    h.bytes,
    h.lastError,
    h.lastErrorUrl,
  ];
}
