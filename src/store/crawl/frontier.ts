/**
 * The frontier: the crawl queue as rows of crawl_frontier, so a killed run
 * resumes where it stopped. One row per canonical URL per run (UNIQUE), so a
 * URL is fetched at most once per run however often it is linked.
 * Reports and attachments come before listings: documents land early.
 */
import type { DB } from '../db.js';
import type { PageKind } from './types.js';

export type FrontierState = 'queued' | 'in_progress' | 'done' | 'failed' | 'blocked' | 'skipped';
export type Outcome = 'new' | 'changed' | 'unchanged' | 'page' | 'redirect';

export interface NewItem {
  url: string;
  fetchUrl: string;
  kind: PageKind;
  depth: number;
  listingPage?: number;
  redirects?: number;
  referrer?: string;
  anchor?: string;
  /** Lower first; default by kind (documents 0, listings 1). */
  priority?: number;
  /** A platform API request (JSON of ApiRequest): fetched as described, read by its adapter. */
  request?: string;
}

/** Revisits of known documents no page links any more: after everything else. */
export const REVISIT_PRIORITY = 2;

export interface FrontierItem {
  id: number;
  url: string;
  fetch_url: string;
  kind: PageKind;
  depth: number;
  listing_page: number;
  redirects: number;
  referrer: string | null;
  anchor: string | null;
  host: string;
  request: string | null;
}

export interface Completion {
  state: Exclude<FrontierState, 'queued' | 'in_progress'>;
  outcome?: Outcome;
  httpStatus?: number;
  error?: string;
  bytes?: number;
  documentId?: number;
  redirectTo?: string;
  fetched: boolean;
  /** A readable message beside the error code (an API's own error text). */
  errorMessage?: string;
  /** The file name a download announced. */
  filename?: string;
}

export interface RunCounts {
  new: number;
  changed: number;
  unchanged: number;
  failed: number;
  blocked: number;
  skipped: number;
  pages: number;
  bytes: number;
}

export const PRIORITY: Record<PageKind, number> = { attachment: 0, report: 0, start: 1, listing: 1 };

export class Frontier {
  private readonly insert;
  private readonly claimStmt;
  private readonly completeStmt;
  private readonly claimHostStmt;
  /** Called with the host of every item queued (the scheduler keeps its set of hosts with work). */
  onQueued?: (host: string) => void;

  constructor(
    private readonly db: DB,
    readonly runId: number,
    private readonly bounds: { maxDepth: number; maxListingPages: number } = { maxDepth: Infinity, maxListingPages: Infinity },
  ) {
    this.insert = db.prepare(
      `INSERT INTO crawl_frontier (run_id, url, fetch_url, kind, depth, listing_page, redirects, referrer, anchor, priority, state, error,
         discovered_at, host, request)
       VALUES (@run, @url, @fetchUrl, @kind, @depth, @listingPage, @redirects, @referrer, @anchor, @priority, @state, @error,
         @now, @host, @request)
       ON CONFLICT (run_id, url) DO UPDATE SET
         state = 'queued', error = NULL,
         depth = MIN(crawl_frontier.depth, excluded.depth),
         listing_page = MIN(crawl_frontier.listing_page, excluded.listing_page)
       -- Found again by a shorter path: a link skipped as too deep becomes reachable,
       -- and a queued one keeps the smaller depth (so its own links are not cut short).
       WHERE excluded.state = 'queued'
         AND ((crawl_frontier.state = 'skipped' AND crawl_frontier.error IN ('max-depth', 'max-listing-pages')
               AND excluded.depth <= @maxDepth AND excluded.listing_page <= @maxListingPages)
           OR (crawl_frontier.state = 'queued'
               AND (excluded.depth < crawl_frontier.depth OR excluded.listing_page < crawl_frontier.listing_page)))`,
    );
    this.claimStmt = db.prepare(
      `UPDATE crawl_frontier SET state = 'in_progress'
       WHERE id = (SELECT id FROM crawl_frontier WHERE run_id = ? AND state = 'queued' ORDER BY priority, id LIMIT 1)
       RETURNING id, url, fetch_url, kind, depth, listing_page, redirects, referrer, anchor, host, request`,
    );
    this.claimHostStmt = db.prepare(
      `UPDATE crawl_frontier SET state = 'in_progress'
       WHERE id = (SELECT id FROM crawl_frontier WHERE run_id = ? AND host = ? AND state = 'queued' ORDER BY priority, id LIMIT 1)
       RETURNING id, url, fetch_url, kind, depth, listing_page, redirects, referrer, anchor, host, request`,
    );
    this.completeStmt = db.prepare(
      `UPDATE crawl_frontier SET state = @state, outcome = @outcome, http_status = @httpStatus, error = @error,
         bytes = @bytes, document_id = @documentId, redirect_to = @redirectTo, error_message = @errorMessage, filename = @filename,
         fetched_at = CASE WHEN @fetched THEN @now ELSE fetched_at END
       WHERE id = @id`,
    );
  }

  /** Queues items not yet in this run (or found again by a shorter path). Returns how many rows changed. */
  add(items: NewItem[]): number {
    return this.record(items, 'queued');
  }

  /** Records links that will not be fetched (off-host, too deep, excluded …) so the summary counts them once. */
  skip(items: NewItem[], reason: string): number {
    return this.record(items, 'skipped', reason);
  }

  private record(items: NewItem[], state: FrontierState, error?: string): number {
    const now = new Date().toISOString();
    let added = 0;
    const hosts = new Set<string>();
    this.db.transaction(() => {
      for (const it of items) {
        const host = hostOf(it.fetchUrl);
        const changed = this.insert.run({
          run: this.runId,
          url: it.url,
          fetchUrl: it.fetchUrl,
          kind: it.kind,
          depth: it.depth,
          listingPage: it.listingPage ?? 0,
          redirects: it.redirects ?? 0,
          referrer: it.referrer ?? null,
          anchor: it.anchor ?? null,
          priority: it.priority ?? PRIORITY[it.kind],
          state,
          error: error ?? null,
          now,
          maxDepth: Number.isFinite(this.bounds.maxDepth) ? this.bounds.maxDepth : 1e9,
          maxListingPages: Number.isFinite(this.bounds.maxListingPages) ? this.bounds.maxListingPages : 1e9,
          host,
          request: it.request ?? null,
        }).changes;
        added += changed;
        if (changed && state === 'queued') hosts.add(host);
      }
    })();
    for (const h of hosts) this.onQueued?.(h);
    return added;
  }

  has(url: string): boolean {
    return this.db.prepare('SELECT 1 FROM crawl_frontier WHERE run_id = ? AND url = ?').get(this.runId, url) !== undefined;
  }

  /** Takes the next queued item (marks it in_progress). */
  claim(): FrontierItem | undefined {
    return this.claimStmt.get(this.runId) as FrontierItem | undefined;
  }

  /** Takes the next queued item of one host. */
  claimFor(host: string): FrontierItem | undefined {
    return this.claimHostStmt.get(this.runId, host) as FrontierItem | undefined;
  }

  /** Hosts that have queued items (at the start or resume of a run). */
  queuedHosts(): string[] {
    return (
      this.db.prepare(`SELECT DISTINCT host FROM crawl_frontier WHERE run_id = ? AND state = 'queued'`).all(this.runId) as Array<{
        host: string;
      }>
    ).map((r) => r.host);
  }

  /** Items fetched so far per host (per-host page caps survive a resume). */
  fetchedByHost(): Map<string, number> {
    const rows = this.db
      .prepare(`SELECT host, COUNT(*) AS n FROM crawl_frontier WHERE run_id = ? AND fetched_at IS NOT NULL GROUP BY host`)
      .all(this.runId) as Array<{ host: string; n: number }>;
    return new Map(rows.map((r) => [r.host, r.n]));
  }

  complete(id: number, c: Completion): void {
    this.completeStmt.run({
      id,
      state: c.state,
      outcome: c.outcome ?? null,
      httpStatus: c.httpStatus ?? null,
      error: c.error ?? null,
      bytes: c.bytes ?? 0,
      documentId: c.documentId ?? null,
      redirectTo: c.redirectTo ?? null,
      fetched: c.fetched ? 1 : 0,
      now: new Date().toISOString(),
      errorMessage: c.errorMessage ?? null,
      filename: c.filename ?? null,
    });
  }

  /** Records an item handled outside the queue (a resource fetched for the ingest service), with its outcome. */
  recordDone(item: NewItem, c: Completion): void {
    this.record([item], 'skipped', 'resource');
    const row = this.db.prepare('SELECT id FROM crawl_frontier WHERE run_id = ? AND url = ?').get(this.runId, item.url) as
      | { id: number }
      | undefined;
    if (row) this.complete(row.id, c);
  }

  /** Puts an item back (the run is stopping). */
  requeue(id: number): void {
    this.db.prepare(`UPDATE crawl_frontier SET state = 'queued' WHERE id = ?`).run(id);
  }

  /** At the end of a run: what was left of hosts that reached --max-pages-per-host. */
  skipQueuedOf(host: string, reason: string): number {
    return this.db
      .prepare(`UPDATE crawl_frontier SET state = 'skipped', error = ? WHERE run_id = ? AND host = ? AND state = 'queued'`)
      .run(reason, this.runId, host).changes;
  }

  /** After a crash: items that were being fetched are fetched again. */
  requeueInProgress(): number {
    return this.db.prepare(`UPDATE crawl_frontier SET state = 'queued' WHERE run_id = ? AND state = 'in_progress'`).run(this.runId).changes;
  }

  /** At the end of a run cut short by --max-pages: what was left is skipped, not lost silently. */
  skipQueued(reason: string): number {
    return this.db
      .prepare(`UPDATE crawl_frontier SET state = 'skipped', error = ? WHERE run_id = ? AND state = 'queued'`)
      .run(reason, this.runId).changes;
  }

  queued(): number {
    return (
      this.db.prepare(`SELECT COUNT(*) AS n FROM crawl_frontier WHERE run_id = ? AND state = 'queued'`).get(this.runId) as {
        n: number;
      }
    ).n;
  }

  /** Items fetched so far in this run (counts towards --max-pages, survives a resume). */
  fetchedCount(): number {
    return (
      this.db.prepare(`SELECT COUNT(*) AS n FROM crawl_frontier WHERE run_id = ? AND fetched_at IS NOT NULL`).get(this.runId) as {
        n: number;
      }
    ).n;
  }

  /** The run's summary, from the rows: exact across kills and resumes. */
  counts(): RunCounts {
    const r = this.db
      .prepare(
        `SELECT
           COALESCE(SUM(outcome = 'new'), 0) AS new,
           COALESCE(SUM(outcome = 'changed'), 0) AS changed,
           COALESCE(SUM(outcome = 'unchanged'), 0) AS unchanged,
           COALESCE(SUM(state = 'failed'), 0) AS failed,
           COALESCE(SUM(state = 'blocked'), 0) AS blocked,
           COALESCE(SUM(state = 'skipped'), 0) AS skipped,
           COALESCE(SUM(fetched_at IS NOT NULL), 0) AS pages,
           COALESCE(SUM(bytes), 0) AS bytes
         FROM crawl_frontier WHERE run_id = ?`,
      )
      .get(this.runId) as RunCounts;
    return r;
  }

  /** Failed items, for the end-of-run report. */
  failures(limit = 20): Array<{
    fetch_url: string;
    error: string | null;
    error_message: string | null;
    http_status: number | null;
    referrer: string | null;
  }> {
    return this.db
      .prepare(
        `SELECT fetch_url, error, error_message, http_status, referrer FROM crawl_frontier
         WHERE run_id = ? AND state = 'failed' ORDER BY id LIMIT ?`,
      )
      .all(this.runId, limit) as Array<{
      fetch_url: string;
      error: string | null;
      error_message: string | null;
      http_status: number | null;
      referrer: string | null;
    }>;
  }

  /**
   * Whether following redirects from `url` leads back to `to` (A → B → A):
   * the redirect targets recorded so far, at most `hops` of them.
   */
  redirectsBackTo(url: string, to: string, canonical: (u: string) => string | undefined, hops: number): boolean {
    let at: string | undefined = url;
    for (let i = 0; i < hops && at; i++) {
      if (at === to) return true;
      const st = this.stateOf(at);
      at = st?.redirect_to ? canonical(st.redirect_to) : undefined;
    }
    return at === to;
  }

  /** The state of given URLs (start URLs: did they work?). */
  stateOf(url: string): { state: FrontierState; error: string | null; redirect_to: string | null } | undefined {
    return this.db.prepare('SELECT state, error, redirect_to FROM crawl_frontier WHERE run_id = ? AND url = ?').get(this.runId, url) as
      | { state: FrontierState; error: string | null; redirect_to: string | null }
      | undefined;
  }
}

/** host[:port] of a URL, as the politeness gate keys it. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '';
  }
}
