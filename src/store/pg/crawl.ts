/**
 * The CrawlStore on PostgreSQL: the crawl tables of migrations 002 and 004
 * with the same rules as the SQLite modules (../crawl/frontier.ts,
 * versions.ts, runs.ts), safe with many crawling processes at once:
 * - the crawl lock is a session advisory lock per start host, so crawls of
 *   other hosts (the queue's one job per host) run at once and a second crawl
 *   of a host already being crawled is refused (LockedError); a crawler that
 *   dies loses its session and so its locks: nothing is ever stale;
 * - a run is resumed or replaced among the runs with the same start URLs only
 *   (SQLite keeps one frontier per file; here one per set of start URLs);
 * - a URL's versions are written under an advisory lock on the URL.
 */
import { hostname } from 'node:os';
import type { Completion, FrontierItem, FrontierState, NewItem, RunCounts } from '../crawl/frontier.js';
import { hostOf, PRIORITY } from '../crawl/frontier.js';
import { LockedError } from '../crawl/lock.js';
import {
  hostValues,
  INSERT_HOST,
  isUnfinished,
  RESUME_RUN,
  resumable,
  resumeValues,
  seedsKey,
  type HostCounts,
  type RunStart,
  type RunStatus,
} from '../crawl/runs.js';
import type { CrawlFrontier, CrawlLease, CrawlStore, FailedItem, LockRequest } from '../crawl/types.js';
import { sameContent, versionValues, type LinkRow, type Observed, type UrlVersion, type VersionStatus } from '../crawl/versions.js';
import { createPool, inTransaction, LOCK, numbered, type PgClient, type PgPool } from './db.js';
import { PgStore } from './store.js';

type Query = Pick<PgClient, 'query'>;

const ITEM_COLUMNS = 'id, url, fetch_url, kind, depth, listing_page, redirects, referrer, anchor, host, request';

const INSERT_ITEM = `INSERT INTO crawl_frontier (run_id, url, fetch_url, kind, depth, listing_page, redirects, referrer, anchor, priority, state, error,
    discovered_at, host, request)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
  ON CONFLICT (run_id, url) DO UPDATE SET
    state = 'queued', error = NULL,
    depth = LEAST(crawl_frontier.depth, excluded.depth),
    listing_page = LEAST(crawl_frontier.listing_page, excluded.listing_page)
  WHERE excluded.state = 'queued'
    AND ((crawl_frontier.state = 'skipped' AND crawl_frontier.error IN ('max-depth', 'max-listing-pages')
          AND excluded.depth <= $16 AND excluded.listing_page <= $17)
      OR (crawl_frontier.state = 'queued'
          AND (excluded.depth < crawl_frontier.depth OR excluded.listing_page < crawl_frontier.listing_page)))`;

const COMPLETE_ITEM = `UPDATE crawl_frontier SET state = $2, outcome = $3, http_status = $4, error = $5, bytes = $6, document_id = $7,
    redirect_to = $8, error_message = $9, filename = $10, fetched_at = CASE WHEN $11 THEN $12 ELSE fetched_at END
  WHERE id = $1`;

const bound = (n: number) => (Number.isFinite(n) ? n : 1e9);

class PgFrontier implements CrawlFrontier {
  onQueued?: (host: string) => void;

  constructor(
    private readonly pool: PgPool,
    readonly runId: number,
    private readonly bounds: { maxDepth: number; maxListingPages: number },
  ) {}

  add(items: NewItem[]): Promise<number> {
    return this.record(items, 'queued');
  }

  skip(items: NewItem[], reason: string): Promise<number> {
    return this.record(items, 'skipped', reason);
  }

  private async record(items: NewItem[], state: FrontierState, error?: string): Promise<number> {
    if (items.length === 0) return 0;
    const now = new Date().toISOString();
    const hosts = new Set<string>();
    const added = await inTransaction(this.pool, async (c) => {
      let n = 0;
      for (const it of items) {
        const host = hostOf(it.fetchUrl);
        const r = await c.query(INSERT_ITEM, [
          this.runId,
          it.url,
          it.fetchUrl,
          it.kind,
          it.depth,
          it.listingPage ?? 0,
          it.redirects ?? 0,
          it.referrer ?? null,
          it.anchor ?? null,
          it.priority ?? PRIORITY[it.kind],
          state,
          error ?? null,
          now,
          host,
          it.request ?? null,
          bound(this.bounds.maxDepth),
          bound(this.bounds.maxListingPages),
        ]);
        n += r.rowCount ?? 0;
        if (r.rowCount && state === 'queued') hosts.add(host);
      }
      return n;
    });
    for (const h of hosts) this.onQueued?.(h);
    return added;
  }

  async claimFor(host: string): Promise<FrontierItem | undefined> {
    const r = await this.pool.query(
      `UPDATE crawl_frontier SET state = 'in_progress'
       WHERE id = (SELECT id FROM crawl_frontier WHERE run_id = $1 AND host = $2 AND state = 'queued' ORDER BY priority, id LIMIT 1
                   FOR UPDATE SKIP LOCKED)
       RETURNING ${ITEM_COLUMNS}`,
      [this.runId, host],
    );
    return r.rows[0];
  }

  async queuedHosts(): Promise<string[]> {
    const r = await this.pool.query(`SELECT DISTINCT host FROM crawl_frontier WHERE run_id = $1 AND state = 'queued'`, [this.runId]);
    return r.rows.map((x: { host: string }) => x.host);
  }

  async fetchedByHost(): Promise<Map<string, number>> {
    const r = await this.pool.query(
      `SELECT host, count(*) AS n FROM crawl_frontier WHERE run_id = $1 AND fetched_at IS NOT NULL GROUP BY host`,
      [this.runId],
    );
    return new Map(r.rows.map((x: { host: string; n: number }) => [x.host, x.n]));
  }

  async complete(id: number, c: Completion): Promise<void> {
    await completeItem(this.pool, id, c);
  }

  async recordDone(item: NewItem, c: Completion): Promise<void> {
    await this.record([item], 'skipped', 'resource');
    const r = await this.pool.query('SELECT id FROM crawl_frontier WHERE run_id = $1 AND url = $2', [this.runId, item.url]);
    if (r.rows[0]) await this.complete(r.rows[0].id, c);
  }

  async requeue(id: number): Promise<void> {
    await this.pool.query(`UPDATE crawl_frontier SET state = 'queued' WHERE id = $1`, [id]);
  }

  async skipQueuedOf(host: string, reason: string): Promise<number> {
    const r = await this.pool.query(
      `UPDATE crawl_frontier SET state = 'skipped', error = $1 WHERE run_id = $2 AND host = $3 AND state = 'queued'`,
      [reason, this.runId, host],
    );
    return r.rowCount ?? 0;
  }

  async requeueInProgress(): Promise<number> {
    const r = await this.pool.query(`UPDATE crawl_frontier SET state = 'queued' WHERE run_id = $1 AND state = 'in_progress'`, [this.runId]);
    return r.rowCount ?? 0;
  }

  async skipQueued(reason: string): Promise<number> {
    const r = await this.pool.query(`UPDATE crawl_frontier SET state = 'skipped', error = $1 WHERE run_id = $2 AND state = 'queued'`, [
      reason,
      this.runId,
    ]);
    return r.rowCount ?? 0;
  }

  async queued(): Promise<number> {
    const r = await this.pool.query(`SELECT count(*) AS n FROM crawl_frontier WHERE run_id = $1 AND state = 'queued'`, [this.runId]);
    return r.rows[0].n;
  }

  async fetchedCount(): Promise<number> {
    const r = await this.pool.query(`SELECT count(*) AS n FROM crawl_frontier WHERE run_id = $1 AND fetched_at IS NOT NULL`, [this.runId]);
    return r.rows[0].n;
  }

  async counts(): Promise<RunCounts> {
    const r = await this.pool.query(
      `SELECT
         count(*) FILTER (WHERE outcome = 'new') AS new,
         count(*) FILTER (WHERE outcome = 'changed') AS changed,
         count(*) FILTER (WHERE outcome = 'unchanged') AS unchanged,
         count(*) FILTER (WHERE state = 'failed') AS failed,
         count(*) FILTER (WHERE state = 'blocked') AS blocked,
         count(*) FILTER (WHERE state = 'skipped') AS skipped,
         count(*) FILTER (WHERE fetched_at IS NOT NULL) AS pages,
         COALESCE(sum(bytes), 0)::bigint AS bytes
       FROM crawl_frontier WHERE run_id = $1`,
      [this.runId],
    );
    return r.rows[0];
  }

  async failures(limit = 20): Promise<FailedItem[]> {
    const r = await this.pool.query(
      `SELECT fetch_url, error, error_message, http_status, referrer FROM crawl_frontier
       WHERE run_id = $1 AND state = 'failed' ORDER BY id LIMIT $2`,
      [this.runId, limit],
    );
    return r.rows;
  }

  async stateOf(url: string) {
    const r = await this.pool.query('SELECT state, error, redirect_to FROM crawl_frontier WHERE run_id = $1 AND url = $2', [
      this.runId,
      url,
    ]);
    return r.rows[0] as { state: FrontierState; error: string | null; redirect_to: string | null } | undefined;
  }
}

function completeItem(q: Query, id: number, c: Completion) {
  return q.query(COMPLETE_ITEM, [
    id,
    c.state,
    c.outcome ?? null,
    c.httpStatus ?? null,
    c.error ?? null,
    c.bytes ?? 0,
    c.documentId ?? null,
    c.redirectTo ?? null,
    c.errorMessage ?? null,
    c.filename ?? null,
    c.fetched,
    new Date().toISOString(),
  ]);
}

/** Hosts of stored start URLs (canonical keys are absolute URLs). */
function hostsOfSeeds(seeds: string): string[] {
  try {
    return (JSON.parse(seeds) as string[]).map(hostOf).filter(Boolean);
  } catch {
    return [];
  }
}

export class PgCrawlStore implements CrawlStore {
  readonly engine = 'postgres';
  private readonly pool: PgPool;

  /** `documents` stays the caller's unless `owned`. */
  constructor(
    readonly documents: PgStore,
    private readonly url: string,
    private readonly owned = false,
  ) {
    this.pool = documents.pool;
  }

  static async open(url: string, applicationName = 'ogi crawl'): Promise<PgCrawlStore> {
    return new PgCrawlStore(await PgStore.open(url, { applicationName, max: 6 }), url, true);
  }

  async lock(r: LockRequest): Promise<CrawlLease> {
    // Its own connection: the locks live as long as this session, and die with the process.
    const pool = createPool(this.url, { max: 1, applicationName: `ogi crawl ${hostname()} ${process.pid}` });
    const session = await pool.connect();
    let lost = false;
    let released = false;
    session.on('error', () => {
      if (released || lost) return;
      lost = true;
      r.onLost();
    });
    const hosts = [...new Set(r.hosts)].sort();
    const taken: string[] = [];
    const end = async () => {
      released = true;
      for (const h of taken) await session.query('SELECT pg_advisory_unlock($1, hashtext($2))', [LOCK.crawlHost, h]).catch(() => {});
      session.release();
      await pool.end().catch(() => {});
    };
    for (const h of hosts) {
      const ok = (await session.query('SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok', [LOCK.crawlHost, h])).rows[0].ok as boolean;
      if (ok) {
        taken.push(h);
        continue;
      }
      const holder = await session.query(
        `SELECT a.application_name AS app, a.backend_start AS since FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
         WHERE l.locktype = 'advisory' AND l.classid::bigint = $1 AND l.objid::bigint = (hashtext($2)::bigint & 4294967295)
           AND l.objsubid = 2 AND l.granted LIMIT 1`,
        [LOCK.crawlHost, h],
      );
      await end();
      const row = holder.rows[0] as { app: string; since: Date } | undefined;
      const [, , host, pid] = (row?.app ?? '').split(' ');
      const since = row ? new Date(row.since).toISOString() : new Date().toISOString();
      throw new LockedError({
        run_id: null,
        pid: Number(pid) || 0,
        host: host ?? '?',
        started_at: since,
        heartbeat_at: new Date().toISOString(),
      });
    }
    return { setRun: async () => {}, release: end };
  }

  async startRun(seeds: string[], options: Record<string, unknown>, policy: { fresh: boolean; resumeWithinMs: number }): Promise<RunStart> {
    const key = seedsKey(seeds);
    const mine = new Set(hostsOfSeeds(key));
    const now = new Date();
    return inTransaction(this.pool, async (c) => {
      await c.query('SELECT pg_advisory_xact_lock($1, 0)', [LOCK.crawlRuns]);
      const last = (await c.query(`SELECT id, started_at, status FROM crawl_runs WHERE seeds = $1 ORDER BY id DESC LIMIT 1`, [key]))
        .rows[0] as { id: number; started_at: string; status: RunStatus } | undefined;
      const unfinished = last && isUnfinished(last.status);
      if (last && resumable(last, policy, now)) {
        await c.query(numbered(RESUME_RUN), resumeValues(options, last.id));
        return { runId: last.id, resumed: true };
      }
      const stamp = now.toISOString();
      // Unfinished runs of these hosts are dead (this process holds their hosts' locks): abandoned.
      const open = (await c.query(`SELECT id, seeds FROM crawl_runs WHERE status IN ('running', 'interrupted')`)).rows as {
        id: number;
        seeds: string;
      }[];
      const dead = open.filter((r) => hostsOfSeeds(r.seeds).some((h) => mine.has(h))).map((r) => r.id);
      if (dead.length) await c.query(`UPDATE crawl_runs SET status = 'abandoned', finished_at = $1 WHERE id = ANY($2)`, [stamp, dead]);
      // Only the latest run of these start URLs keeps its frontier; history is in url_versions and crawl_hosts.
      await c.query(`DELETE FROM crawl_frontier WHERE run_id IN (SELECT id FROM crawl_runs WHERE seeds = $1) OR run_id = ANY($2)`, [
        key,
        dead,
      ]);
      const id = (
        await c.query(
          `INSERT INTO crawl_runs (started_at, status, seeds, options, pid, host) VALUES ($1, 'running', $2, $3, $4, $5) RETURNING id`,
          [stamp, key, JSON.stringify(options), process.pid, hostname()],
        )
      ).rows[0].id as number;
      return { runId: id, resumed: false, abandoned: unfinished ? last.id : undefined };
    });
  }

  frontier(runId: number, bounds: { maxDepth: number; maxListingPages: number }): CrawlFrontier {
    return new PgFrontier(this.pool, runId, bounds);
  }

  async saveCounts(runId: number, c: RunCounts): Promise<void> {
    await this.pool.query(
      `UPDATE crawl_runs SET new = $1, changed = $2, unchanged = $3, failed = $4, blocked = $5, skipped = $6, pages = $7, bytes = $8
       WHERE id = $9`,
      [c.new, c.changed, c.unchanged, c.failed, c.blocked, c.skipped, c.pages, c.bytes, runId],
    );
  }

  async finishRun(runId: number, status: RunStatus, c: RunCounts, error?: string): Promise<void> {
    await this.saveCounts(runId, c);
    await this.pool.query('UPDATE crawl_runs SET status = $1, finished_at = $2, error = $3 WHERE id = $4', [
      status,
      status === 'interrupted' ? null : new Date().toISOString(),
      error ?? null,
      runId,
    ]);
  }

  async hostCounts(runId: number): Promise<HostCounts[]> {
    const last = (col: string) => `(SELECT ${col} FROM crawl_frontier g
        WHERE g.run_id = f.run_id AND g.host = f.host AND g.state = 'failed' ORDER BY COALESCE(g.fetched_at, '') DESC, g.id DESC LIMIT 1)`;
    const r = await this.pool.query(
      `SELECT f.host AS host,
         count(*) FILTER (WHERE f.fetched_at IS NOT NULL) AS pages,
         count(*) FILTER (WHERE f.outcome IN ('new', 'changed', 'unchanged')) AS documents,
         count(DISTINCT CASE WHEN f.document_id IS NOT NULL AND EXISTS (SELECT 1 FROM reports r WHERE r.document_id = f.document_id)
                        THEN f.document_id END) AS reports,
         count(DISTINCT CASE WHEN f.document_id IS NOT NULL AND EXISTS (SELECT 1 FROM documents d WHERE d.id = f.document_id
                          AND d.kind IS NOT NULL AND d.kind <> 'report') THEN f.document_id END) AS "nonReports",
         count(*) FILTER (WHERE f.outcome = 'new') AS new,
         count(*) FILTER (WHERE f.outcome = 'changed') AS changed,
         count(*) FILTER (WHERE f.state = 'failed') AS failed,
         count(*) FILTER (WHERE f.state = 'blocked') AS blocked,
         count(*) FILTER (WHERE f.state = 'skipped') AS skipped,
         COALESCE(sum(f.bytes), 0)::bigint AS bytes,
         ${last(`COALESCE(g.error, '') || COALESCE(': ' || g.error_message, '')`)} AS "lastError",
         ${last('g.fetch_url')} AS "lastErrorUrl"
       FROM crawl_frontier f WHERE f.run_id = $1 AND f.host IS NOT NULL
       GROUP BY f.run_id, f.host ORDER BY f.host COLLATE "C"`,
      [runId],
    );
    return r.rows;
  }

  async saveHosts(runId: number, hosts: HostCounts[]): Promise<void> {
    await inTransaction(this.pool, async (c) => {
      await c.query('DELETE FROM crawl_hosts WHERE run_id = $1', [runId]);
      for (const h of hosts) {
        await c.query(numbered(INSERT_HOST), hostValues(runId, h));
      }
      await c.query('UPDATE crawl_runs SET hosts = $1, hosts_failing = $2 WHERE id = $3', [
        hosts.length,
        hosts.filter((h) => h.failed > 0).length,
        runId,
      ]);
    });
  }

  latestContent(url: string, q: Query = this.pool): Promise<UrlVersion | undefined> {
    return q
      .query('SELECT * FROM url_versions WHERE url = $1 AND sha256 IS NOT NULL ORDER BY id DESC LIMIT 1', [url])
      .then((r) => r.rows[0]);
  }

  private latestVersion(url: string, q: Query): Promise<UrlVersion | undefined> {
    return q.query('SELECT * FROM url_versions WHERE url = $1 ORDER BY id DESC LIMIT 1', [url]).then((r) => r.rows[0]);
  }

  /** Runs fn in a transaction holding the URL's version lock. */
  private withUrl<T>(url: string, fn: (c: PgClient) => Promise<T>): Promise<T> {
    return inTransaction(this.pool, async (c) => {
      await c.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK.urlVersion, url]);
      return fn(c);
    });
  }

  recordContent(o: Observed): Promise<'new' | 'changed' | 'unchanged'> {
    const now = new Date().toISOString();
    return this.withUrl(o.url, async (c) => {
      const last = await this.latestVersion(o.url, c);
      const lastContent = last?.sha256 ? last : await this.latestContent(o.url, c);
      if (last && last.sha256 && sameContent(last, o)) {
        await c.query(
          `UPDATE url_versions SET last_checked_at = $1, etag = COALESCE($2, etag), last_modified = COALESCE($3, last_modified),
             last_sha256 = COALESCE($4, last_sha256), content_hash = COALESCE(content_hash, $5)
           WHERE id = $6`,
          [now, o.etag ?? null, o.lastModified ?? null, o.sha256 ?? null, o.contentHash ?? null, last.id],
        );
        return 'unchanged' as const;
      }
      if (lastContent && sameContent(lastContent, o)) {
        await insertVersion(c, o, 'restored', now);
        return 'unchanged' as const;
      }
      const status = lastContent ? ('changed' as const) : ('new' as const);
      await insertVersion(c, o, status, now);
      return status;
    });
  }

  recordNotModified(url: string, etag?: string, lastModified?: string): Promise<UrlVersion | undefined> {
    return this.withUrl(url, async (c) => {
      const v = await this.latestContent(url, c);
      if (!v) return undefined;
      await c.query(
        `UPDATE url_versions SET last_checked_at = $1, etag = COALESCE($2, etag), last_modified = COALESCE($3, last_modified) WHERE id = $4`,
        [new Date().toISOString(), etag ?? null, lastModified ?? null, v.id],
      );
      return v;
    });
  }

  recordState(o: Observed, status: 'gone' | 'too-large'): Promise<boolean> {
    const now = new Date().toISOString();
    return this.withUrl(o.url, async (c) => {
      const last = await this.latestVersion(o.url, c);
      if (status === 'gone' && !last) return false;
      if (last && last.status === status) {
        await c.query('UPDATE url_versions SET last_checked_at = $1 WHERE id = $2', [now, last.id]);
        return false;
      }
      await insertVersion(c, o, status, now);
      return true;
    });
  }

  async recordLinks(fromUrl: string, links: Array<{ to: string; kind: string; anchor?: string }>): Promise<void> {
    if (links.length === 0) return;
    // One statement: the last of repeated targets wins, as row by row in SQLite.
    const byTarget = new Map(links.map((l) => [l.to, l]));
    const rows = [...byTarget.values()];
    const now = new Date().toISOString();
    await this.pool.query(
      `INSERT INTO crawl_links (from_url, to_url, kind, anchor, first_seen, last_seen)
       SELECT $1, t.to_url, t.kind, t.anchor, $2, $2 FROM unnest($3::text[], $4::text[], $5::text[]) AS t(to_url, kind, anchor)
       ON CONFLICT (from_url, to_url) DO UPDATE SET last_seen = excluded.last_seen, kind = excluded.kind,
         anchor = COALESCE(excluded.anchor, crawl_links.anchor)`,
      [fromUrl, now, rows.map((l) => l.to), rows.map((l) => l.kind), rows.map((l) => l.anchor ?? null)],
    );
  }

  async linksFrom(fromUrl: string): Promise<LinkRow[]> {
    const r = await this.pool.query(
      'SELECT to_url, kind, anchor FROM crawl_links WHERE from_url = $1 ORDER BY first_seen, to_url COLLATE "C"',
      [fromUrl],
    );
    return r.rows;
  }

  async knownDocuments(): Promise<Array<{ url: string; fetched_url: string; referrer: string | null }>> {
    const r = await this.pool.query(
      `SELECT v.url, v.fetched_url,
         (SELECT referrer FROM document_locations l WHERE l.location = v.fetched_url AND l.referrer IS NOT NULL LIMIT 1) AS referrer
       FROM url_versions v
       WHERE v.id = (SELECT max(id) FROM url_versions w WHERE w.url = v.url) AND v.status IN ('new', 'changed', 'restored')
       ORDER BY v.id`,
    );
    return r.rows;
  }

  async close(): Promise<void> {
    if (this.owned) await this.documents.close();
  }
}

function insertVersion(c: Query, o: Observed, status: VersionStatus, now: string) {
  return c.query(
    `INSERT INTO url_versions (url, fetched_url, status, sha256, document_id, http_status, etag, last_modified,
       content_type, bytes, fetched_at, last_checked_at, run_id, content_hash, last_sha256)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
    versionValues(o, status, now),
  );
}
