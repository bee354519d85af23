/**
 * Job leases that end with the worker. A worker holds a session-level
 * advisory lock (on one dedicated connection) for every job it runs. When the
 * worker dies, even by kill -9, PostgreSQL closes its session and the locks
 * go with it. Any worker's reaper then finds active jobs whose lock is free
 * and fails them, and pg-boss puts them back in the queue (retry). So a job
 * of a dead worker is retried within seconds, while a live worker's long job
 * (an OCR read of many minutes) is never taken from it: no clock guesses.
 */
import type pg from 'pg';
import { createPool, type PgPool } from '../store/pg/db.js';

/** Advisory lock namespace of job leases (first key of pg_try_advisory_lock(int, int)). */
export const LEASE_LOCK = 0x6f6704;

/** A job fetched this long ago and still without a lock is its worker's (it locks right after fetching) unless the worker is gone. */
const GRACE_SECONDS = 10;

export class Leases {
  private readonly held = new Set<string>();
  /** Set when the lease connection broke: every lease this process held is gone. */
  lost: Error | undefined;

  private constructor(
    private readonly pool: PgPool,
    private readonly client: pg.PoolClient,
  ) {}

  /** One connection for this process's leases (its session is the lease). */
  static async open(url: string, applicationName: string): Promise<Leases> {
    const pool = createPool(url, { max: 1, applicationName });
    const client = await pool.connect();
    const leases = new Leases(pool, client);
    client.on('error', (e) => {
      leases.lost = e;
      leases.onLost?.(e);
    });
    return leases;
  }

  onLost?: (e: Error) => void;

  /** Takes the lease of a job; false when another live session holds it (then the job is someone else's). */
  async take(jobId: string): Promise<boolean> {
    // Marked before the query: the reaper, on the same session, must never take this job for an orphan meanwhile.
    this.held.add(jobId);
    const r = await this.client.query('SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok', [LEASE_LOCK, jobId]);
    if (!r.rows[0].ok) this.held.delete(jobId);
    return r.rows[0].ok;
  }

  async release(jobId: string): Promise<void> {
    if (!this.held.delete(jobId)) return;
    await this.client.query('SELECT pg_advisory_unlock($1, hashtext($2))', [LEASE_LOCK, jobId]);
  }

  /**
   * Active jobs of these queues whose lease nobody holds: their worker is gone.
   * Jobs this process holds are skipped (its own locks would test as free).
   */
  async orphans(bossSchema: string, queues: readonly string[]): Promise<{ id: string; name: string }[]> {
    const active = await this.client.query(
      `SELECT id::text, name FROM ${bossSchema}.job
       WHERE name = ANY($1) AND state = 'active' AND started_on < now() - make_interval(secs => $2)`,
      [queues, GRACE_SECONDS],
    );
    const out: { id: string; name: string }[] = [];
    for (const j of active.rows as { id: string; name: string }[]) {
      if (this.held.has(j.id)) continue;
      const r = await this.client.query('SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok', [LEASE_LOCK, j.id]);
      if (!r.rows[0].ok) continue;
      await this.client.query('SELECT pg_advisory_unlock($1, hashtext($2))', [LEASE_LOCK, j.id]);
      if (!this.held.has(j.id)) out.push(j);
    }
    return out;
  }

  async close(): Promise<void> {
    this.client.release();
    await this.pool.end();
  }
}

/** Leases held right now, across all workers. */
export async function leasesHeld(pool: PgPool): Promise<number> {
  const r = await pool.query(
    `SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND classid::bigint = $1 AND objsubid = 2 AND granted`,
    [LEASE_LOCK],
  );
  return r.rows[0].n;
}
