/**
 * Politeness per host shared by every process crawling through one
 * PostgreSQL database: the same contract as the crawler's in-process
 * HostGate (src/crawl/politeness/host-queue.ts) — at most `concurrency`
 * requests in flight per host, request starts at least `delayMs` apart,
 * Retry-After pauses — but counted across all workers on all machines.
 *
 * - A slot is a session-level advisory lock (host, slot number) on this
 *   gate's own connection. A worker that dies (kill -9, lost machine) loses
 *   its session and so its slots: no slot leaks, no clock guesses.
 * - Spacing is a reservation in ogi_queue.host_pace: each request takes the
 *   next start time for its host in one atomic UPDATE (next = max(next, now) +
 *   delay) and waits until its reserved start, so starts are `delayMs` apart
 *   across workers, on the database's clock.
 *
 * This is the building block for crawling sharded by host (issue 11, second
 * part); the crawler does not use it yet (it still runs in one process).
 */
import type pg from 'pg';
import { createPool, type PgPool } from '../store/pg/db.js';
import { sleep } from '../crawl/politeness/host-queue.js';
import { ensureInbox, INBOX_SCHEMA } from './inbox.js';

/** Advisory lock namespace of host slots. */
export const HOST_SLOT_LOCK = 0x6f6705;

export interface SharedHostGateOptions {
  concurrency: number;
  delayMs: number;
  /** How often a waiting request looks for a free slot (default 25 ms). */
  pollMs?: number;
}

export type Release = () => Promise<void>;

export class SharedHostGate {
  /** Slots this gate holds, per host (its session's locks are re-entrant: never lock one twice). */
  private readonly held = new Map<string, Set<number>>();
  private readonly delays = new Map<string, number>();

  private constructor(
    private readonly pool: PgPool,
    private readonly session: pg.PoolClient,
    private readonly options: SharedHostGateOptions,
  ) {}

  static async open(url: string, options: SharedHostGateOptions, applicationName = 'ogi host gate'): Promise<SharedHostGate> {
    if (!(options.concurrency >= 1)) throw new RangeError('concurrency must be at least 1');
    if (!(options.delayMs >= 0)) throw new RangeError('delayMs must be 0 or more');
    const pool = createPool(url, { max: 1, applicationName });
    const session = await pool.connect();
    // A cut connection (server restart, terminated backend) fails the calls that follow; it must not crash the process.
    session.on('error', () => {});
    await ensureInbox(session);
    return new SharedHostGate(pool, session, options);
  }

  private queue: Promise<unknown> = Promise.resolve();

  /**
   * One query at a time on the session (its advisory locks are the slots):
   * concurrent acquires wait their turn here rather than inside pg, which
   * deprecates queueing on a busy client (removed in pg 9).
   */
  private query(sql: string, values: unknown[]): Promise<pg.QueryResult> {
    const run = this.queue.then(() => this.session.query(sql, values));
    this.queue = run.catch(() => {});
    return run;
  }

  /** Raises the spacing for one host (robots.txt Crawl-delay); never below the option. */
  setDelay(host: string, delayMs: number): void {
    this.delays.set(host, Math.max(this.options.delayMs, delayMs));
  }

  delayOf(host: string): number {
    return this.delays.get(host) ?? this.options.delayMs;
  }

  /** No request to this host starts before `ms` from now, in any worker (Retry-After). */
  async pause(host: string, ms: number): Promise<void> {
    await this.query(
      `INSERT INTO ${INBOX_SCHEMA}.host_pace (host, next_start) VALUES ($1, clock_timestamp() + make_interval(secs => $2))
       ON CONFLICT (host) DO UPDATE SET next_start = greatest(host_pace.next_start, excluded.next_start)`,
      [host, ms / 1000],
    );
  }

  private async tryTake(host: string): Promise<number | undefined> {
    let mine = this.held.get(host);
    if (!mine) this.held.set(host, (mine = new Set<number>()));
    for (let slot = 0; slot < this.options.concurrency; slot++) {
      if (mine.has(slot)) continue;
      // Claimed before the query: two local acquires must not both try the same slot (the session's locks are re-entrant).
      mine.add(slot);
      const r = await this.query('SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok', [HOST_SLOT_LOCK, `${host}#${slot}`]);
      if (r.rows[0].ok) return slot;
      mine.delete(slot);
    }
    return undefined;
  }

  private async free(host: string, slot: number): Promise<void> {
    this.held.get(host)?.delete(slot);
    await this.query('SELECT pg_advisory_unlock($1, hashtext($2))', [HOST_SLOT_LOCK, `${host}#${slot}`]);
  }

  /** Waits for a slot on `host` (across all workers) and for its reserved start; resolves with the function that frees the slot. */
  async acquire(host: string, signal?: AbortSignal): Promise<Release> {
    let slot: number | undefined;
    while ((slot = await this.tryTake(host)) === undefined) await sleep(this.options.pollMs ?? 25, signal);
    const taken = slot;
    let released = false;
    const release: Release = async () => {
      if (released) return;
      released = true;
      await this.free(host, taken);
    };
    try {
      const delay = this.delayOf(host) / 1000;
      const r = await this.query(
        `INSERT INTO ${INBOX_SCHEMA}.host_pace (host, next_start) VALUES ($1, clock_timestamp() + make_interval(secs => $2))
         ON CONFLICT (host) DO UPDATE SET next_start = greatest(host_pace.next_start, clock_timestamp()) + make_interval(secs => $2)
         RETURNING extract(epoch FROM (next_start - make_interval(secs => $2)) - clock_timestamp())::float8 * 1000 AS wait_ms`,
        [host, delay],
      );
      const wait: number = r.rows[0].wait_ms;
      if (wait > 0) await sleep(wait, signal);
    } catch (e) {
      await release();
      throw e;
    }
    return release;
  }

  /** Requests in flight on `host` across all workers (slots held). */
  async inFlight(host: string): Promise<number> {
    let n = 0;
    for (let slot = 0; slot < this.options.concurrency; slot++) {
      const r = await this.query(
        `SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND classid::bigint = $1 AND objid::bigint = (hashtext($2)::bigint & 4294967295) AND objsubid = 2 AND granted`,
        [HOST_SLOT_LOCK, `${host}#${slot}`],
      );
      n += r.rows[0].n;
    }
    return n;
  }

  async close(): Promise<void> {
    this.session.release();
    await this.pool.end();
  }
}
