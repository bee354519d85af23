/**
 * Where an enqueued file's bytes wait for a worker: a table in the queue's
 * own schema (ogi_queue), one row per job (keyed by the job's id), written in
 * the same transaction as the job. Workers on any machine read the bytes from
 * here, so no shared file system is needed; the row is deleted once the job
 * is complete. The document's bytes stay in the store as evidence
 * (document_bytes), as after a local ingest.
 */
import type { PgClient, PgPool } from '../store/pg/db.js';

export const INBOX_SCHEMA = 'ogi_queue';

/**
 * Creates the queue's own schema once: the inbox, and host_pace (the shared
 * per-host request schedule, ./host-gate.ts). Several processes starting
 * together serialise on an advisory lock.
 */
export async function ensureInbox(c: PgClient): Promise<void> {
  await c.query('BEGIN');
  try {
    await c.query(`SELECT pg_advisory_xact_lock(hashtext('ogi_queue'))`);
    await c.query(`CREATE SCHEMA IF NOT EXISTS ${INBOX_SCHEMA}`);
    await c.query(`CREATE TABLE IF NOT EXISTS ${INBOX_SCHEMA}.inbox (
      job_id     uuid PRIMARY KEY,
      bytes      bytea NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await c.query(`CREATE TABLE IF NOT EXISTS ${INBOX_SCHEMA}.host_pace (
      host       text PRIMARY KEY,
      next_start timestamptz NOT NULL
    )`);
    await c.query('COMMIT');
  } catch (e) {
    await c.query('ROLLBACK').catch(() => {});
    throw e;
  }
}

export async function putBytes(c: PgClient, jobIds: string[], bytes: Uint8Array[]): Promise<void> {
  await c.query(`INSERT INTO ${INBOX_SCHEMA}.inbox (job_id, bytes) SELECT * FROM unnest($1::uuid[], $2::bytea[])`, [
    jobIds,
    bytes.map((b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength)),
  ]);
}

export async function takeBytes(pool: PgPool, jobId: string): Promise<Uint8Array | undefined> {
  const r = await pool.query(`SELECT bytes FROM ${INBOX_SCHEMA}.inbox WHERE job_id = $1`, [jobId]);
  const b: Buffer | undefined = r.rows[0]?.bytes;
  return b ? new Uint8Array(b.buffer, b.byteOffset, b.length) : undefined;
}

export async function dropBytes(c: PgPool | PgClient, jobId: string): Promise<void> {
  await c.query(`DELETE FROM ${INBOX_SCHEMA}.inbox WHERE job_id = $1`, [jobId]);
}

/** Files waiting and their size. */
export async function inboxSize(pool: PgPool): Promise<{ files: number; bytes: number }> {
  const r = await pool.query(`SELECT count(*) AS files, COALESCE(sum(length(bytes)), 0)::bigint AS bytes FROM ${INBOX_SCHEMA}.inbox`);
  return { files: r.rows[0].files, bytes: r.rows[0].bytes };
}

/** Deletes bytes whose job is done (complete, cancelled or archived) but whose worker died before deleting them. Failed jobs keep theirs: they can be retried. */
export async function dropOrphans(pool: PgPool, bossSchema: string): Promise<number> {
  const r = await pool.query(
    `DELETE FROM ${INBOX_SCHEMA}.inbox i WHERE i.created_at < now() - interval '1 minute' AND NOT EXISTS (
       SELECT 1 FROM ${bossSchema}.job j WHERE j.id = i.job_id AND j.state IN ('created', 'retry', 'active', 'failed'))`,
  );
  return r.rowCount ?? 0;
}
